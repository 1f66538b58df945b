/**
 * The page's half of the share target: the service worker (src/pwa/sw.ts) kept the shared files
 * in Cache Storage and redirected here with `?shared=<id>`; they are taken out (and deleted) and
 * queued for the same import as the Import form's files.
 */
import { alerts } from '../ui/state/alerts.svelte';
import { incoming } from '../ui/state/incoming-files.svelte';
import type { ChosenFile } from '../ui/state/files';
import { SHARED_BATCH_PARAM, SHARED_FILES_CACHE, SHARED_NAME_HEADER, sharedFileKey } from './file-types';

/** Picks up the share this page was opened for, if any, and clears it from the address. */
export async function pickUpSharedFiles(): Promise<void> {
  const url = new URL(location.href);
  const batch = url.searchParams.get(SHARED_BATCH_PARAM);
  if (batch === null) return;
  url.searchParams.delete(SHARED_BATCH_PARAM);
  // A reload must not look for the same share again.
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  const files: ChosenFile[] = [];
  if ('caches' in window) {
    const cache = await caches.open(SHARED_FILES_CACHE);
    for (let index = 0; ; index++) {
      const key = sharedFileKey(batch, index);
      const response = await cache.match(key);
      if (!response) break;
      const name = decodeURIComponent(response.headers.get(SHARED_NAME_HEADER) ?? '') || `Shared file ${index + 1}`;
      files.push({ name, bytes: new Uint8Array(await response.arrayBuffer()) });
      await cache.delete(key);
    }
  }
  if (files.length === 0) {
    alerts.show(
      'Nothing that was shared reached Certdesk. Share the certificate files themselves (.cer, .crt, .pem, .p7b, .p12 …), or use Import.',
    );
    return;
  }
  incoming.deliver({ source: 'shared', files });
}
