/**
 * Certdesk's service worker: precaches the whole app (vite-plugin-pwa injects the list), serves
 * every navigation from the precached index.html so the app starts offline, and receives files
 * shared to Certdesk through the operating system's share sheet (manifest `share_target`).
 *
 * It never takes over by itself: a new version waits until the page asks (SKIP_WAITING), which
 * it does only after the admin clicks "Reload" (src/pwa/register.ts).
 */
import { cacheNames } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { looksLikePem } from '../core/pki/pem';
import { dropVary, withoutVary } from './vary';
import {
  SHARED_BATCH_PARAM,
  SHARED_FILES_CACHE,
  SHARED_NAME_HEADER,
  SHARE_FILES_FIELD,
  SHARE_TARGET_PATH,
  SHARE_TEXT_FIELD,
  sharedFileKey,
} from './file-types';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

/**
 * The Service Worker Static Routing API: where the browser has it, the build's assets (named by
 * their content hash, precached under their own URL) are answered from Cache Storage without
 * starting this worker or waiting for its fetch handler, which each of the page's module
 * requests did on every start. Where the API is missing, the fetch handler below serves them as
 * before; a miss falls through to the network, as the handler's would.
 */
interface RouterRule {
  condition: { urlPattern: { pathname: string } };
  source: 'cache';
}
self.addEventListener('install', (event: ExtendableEvent & { addRoutes?: (rules: RouterRule[]) => Promise<void> }) => {
  if (event.addRoutes) event.waitUntil(event.addRoutes([{ condition: { urlPattern: { pathname: '/assets/*' } }, source: 'cache' }]).catch((error: unknown) => console.warn(error)));
});

// Kept without `Vary`: a server that varies on Origin would make the module scripts' requests
// (which carry one) miss these entries in the routes above, and they are the same bytes for all.
// Entries an earlier version kept with it are rewritten before this version takes over.
addPlugins([{ cacheWillUpdate: async ({ response }) => withoutVary(response) }]);
self.addEventListener('activate', (event: ExtendableEvent) => event.waitUntil(caches.open(cacheNames.precache).then(dropVary)));
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
registerRoute(({ url }) => url.origin === self.location.origin && url.pathname === SHARE_TARGET_PATH, receiveShare, 'POST');

/**
 * The share sheet navigates here with a multipart POST (Web Share Target Level 2). The files are
 * kept in Cache Storage, and a 303 sends the window to the app, which picks them up by the
 * share's id (src/pwa/share-target.ts) and imports them. Works offline: nothing is fetched.
 */
async function receiveShare({ request }: { request: Request }): Promise<Response> {
  const batch = crypto.randomUUID();
  const cache = await caches.open(SHARED_FILES_CACHE);
  let count = 0;
  try {
    const form = await request.formData();
    const shared: File[] = form.getAll(SHARE_FILES_FIELD).filter((value): value is File => typeof value !== 'string');
    const text = form.get(SHARE_TEXT_FIELD);
    // Shared text is kept only when it carries PEM armour: a share sheet also sends titles and links.
    if (typeof text === 'string' && looksLikePem(text)) shared.push(new File([text], 'Shared text', { type: 'text/plain' }));
    count = shared.length;
    await Promise.all(
      shared.map((file, index) =>
        cache.put(
          sharedFileKey(batch, index),
          new Response(file, {
            headers: { 'content-type': file.type || 'application/octet-stream', [SHARED_NAME_HEADER]: encodeURIComponent(file.name) },
          }),
        ),
      ),
    );
  } catch (error) {
    // The page finds no files for this share and says so; nothing half-stored stays behind.
    console.warn(error);
    await Promise.all(Array.from({ length: count }, (_, index) => cache.delete(sharedFileKey(batch, index))));
  }
  return Response.redirect(new URL(`/?${SHARED_BATCH_PARAM}=${batch}#/certificates`, self.location.origin).href, 303);
}
