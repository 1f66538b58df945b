import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA, type ManifestOptions } from 'vite-plugin-pwa';
import { SHARE_FILES_FIELD, SHARE_TARGET_PATH, SHARE_TEXT_FIELD, certificateFileTypes } from './src/pwa/file-types.ts';

/**
 * The app needs no network at all, so the policy allows nothing but its own origin.
 * Style attributes are not allowed either: components style through classes only.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Puts the policy into the built index.html (a meta tag cannot carry frame-ancestors). */
function cspMetaTag(): Plugin {
  const metaPolicy = contentSecurityPolicy.replace(/; frame-ancestors [^;]+/, '');
  return {
    name: 'certdesk-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      // Right after the charset, before any script or stylesheet the policy must govern.
      handler: (html) =>
        html.replace(
          /(<meta charset="utf-8" \/>)/,
          `$1\n    <meta http-equiv="Content-Security-Policy" content="${metaPolicy}" />`,
        ),
    },
  };
}

/**
 * Names the UI's modules (src/ui/mount.ts, imported dynamically by the entry so that they
 * evaluate in a task of their own) and their stylesheets in index.html, beside the entry's: the
 * browser fetches and compiles them with the entry instead of after it has run (a second round
 * of requests, on every start). Evaluation still waits for the import.
 */
function preloadMountModules(): Plugin {
  return {
    name: 'certdesk-preload-mount',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) => {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((output) => output.type === 'chunk');
        const mount = chunks.find((chunk) => chunk.moduleIds.some((id) => id.endsWith('/src/ui/mount.ts')));
        if (!mount) throw new Error('The build has no chunk for src/ui/mount.ts.');
        const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk] as const));
        const scripts = new Set<string>();
        const styles = new Set<string>();
        const visit = (fileName: string) => {
          if (scripts.has(fileName)) return;
          scripts.add(fileName);
          const chunk = byName.get(fileName);
          for (const css of chunk?.viteMetadata?.importedCss ?? []) styles.add(css);
          for (const imported of chunk?.imports ?? []) visit(imported);
        };
        visit(mount.fileName);
        const named = (file: string) => html.includes(`/${file}"`);
        const links = [
          ...[...scripts].filter((file) => !named(file)).map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`),
          ...[...styles].filter((file) => !named(file)).map((file) => `<link rel="stylesheet" crossorigin href="/${file}">`),
        ];
        return html.replace('</head>', `  ${links.join('\n    ')}\n  </head>`);
      },
    },
  };
}

/** What the bundler tells a chunk-naming function of the module graph. */
interface ChunkingContext {
  getModuleInfo(id: string): ModuleGraphInfo | null;
}
interface ModuleGraphInfo {
  importedIds: readonly string[];
}

/**
 * The start's modules in two chunks: what the entry (src/main.ts) imports, and what the UI
 * (src/ui/mount.ts, imported dynamically) imports besides. Split by default, the start was
 * eighteen scripts, each fetched, compiled and instantiated on its own; in two chunks (and the
 * bundler's runtime), a warm start at 100 certificates painted its list 40–70 ms sooner (the
 * bench's side-by-side comparison). Modules only the lazily loaded pages use are split as before.
 */
function startChunks(): (moduleId: string, ctx: ChunkingContext) => string | null {
  const entry = fileURLToPath(new URL('./src/main.ts', import.meta.url));
  const mount = fileURLToPath(new URL('./src/ui/mount.ts', import.meta.url));
  // Worked out once per chunking pass: the bundler hands out the same module info within one.
  let pass: { entryInfo: ModuleGraphInfo; start: Set<string>; ui: Set<string> } | undefined;
  /** The modules `from` imports statically, transitively, leaving out those of `seen`. */
  const reachable = (from: string, ctx: ChunkingContext, seen: Set<string>) => {
    const stack = [from];
    const found = new Set<string>();
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (found.has(id) || seen.has(id)) continue;
      found.add(id);
      stack.push(...(ctx.getModuleInfo(id)?.importedIds ?? []));
    }
    return found;
  };
  return (moduleId, ctx) => {
    const entryInfo = ctx.getModuleInfo(entry);
    // Another bundle (a worker's, the service worker's): split as the bundler does.
    if (!entryInfo) return null;
    if (pass?.entryInfo !== entryInfo) {
      const start = reachable(entry, ctx, new Set());
      pass = { entryInfo, start, ui: reachable(mount, ctx, start) };
    }
    return pass.start.has(moduleId) ? 'start' : pass.ui.has(moduleId) ? 'ui' : null;
  };
}

const certificateExtensions = Object.values(certificateFileTypes).flat();
const shortcutIcon = { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' };

/**
 * The web app manifest. `file_handlers` and `share_target` list the certificate files an admin
 * receives (src/pwa/file-types.ts); shortcuts are deep links the router understands.
 */
export const webAppManifest: Partial<ManifestOptions> = {
  name: 'Certdesk',
  short_name: 'Certdesk',
  description: 'Certificates for your remote-support appliance, offline.',
  id: '/',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  background_color: '#f6f7f9',
  theme_color: '#1d4e89',
  categories: ['utilities', 'productivity'],
  icons: [
    { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
    { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
    { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
  shortcuts: [
    { name: 'Create a certificate or request', short_name: 'Create', url: '/#/certificates/create', icons: [shortcutIcon] },
    { name: 'Import certificates', short_name: 'Import', url: '/#/certificates/import', icons: [shortcutIcon] },
    { name: 'Status > Basics', short_name: 'Basics', url: '/#/basics', icons: [shortcutIcon] },
  ],
  // Made by `npm run screenshots` (tests/pwa/screenshots.ts) from the production build.
  screenshots: [
    { src: 'screenshots/narrow.png', sizes: '390x844', type: 'image/png', form_factor: 'narrow', label: 'Certificates of an appliance on a phone' },
    { src: 'screenshots/wide.png', sizes: '1280x800', type: 'image/png', form_factor: 'wide', label: 'Certificates of an appliance, with its requests' },
  ],
  // Files opened from the operating system reach the open window (src/pwa/launch.ts).
  file_handlers: [
    { action: '/', accept: Object.fromEntries(Object.entries(certificateFileTypes).map(([type, extensions]) => [type, [...extensions]])) },
  ],
  launch_handler: { client_mode: ['focus-existing', 'auto'] },
  share_target: {
    action: SHARE_TARGET_PATH,
    method: 'POST',
    enctype: 'multipart/form-data',
    params: {
      text: SHARE_TEXT_FIELD,
      files: [{ name: SHARE_FILES_FIELD, accept: [...Object.keys(certificateFileTypes), ...certificateExtensions] }],
    },
  },
};

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export default defineConfig({
  plugins: [
    svelte({ configFile: false }),
    cspMetaTag(),
    preloadMountModules(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: null,
      // A small typed service worker of our own (src/pwa/sw.ts): workbox precaching as before,
      // plus the share target's POST handler, which generateSW cannot express.
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      includeAssets: ['icons/*.png', 'icons/*.svg'],
      manifest: webAppManifest,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest,json}'],
        // The store's screenshots are for the install dialog only; the app never shows them offline.
        globIgnores: ['screenshots/**'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        rollupFormat: 'iife',
      },
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: startChunks() }] } } },
  },
  worker: {
    format: 'es',
  },
  server: { headers: { 'X-Content-Type-Options': 'nosniff' } },
  preview: { headers: securityHeaders },
  test: {
    projects: [
      {
        plugins: [svelte({ configFile: false })],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/interop/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['reflect-metadata'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // A page's answer (an action, its refresh) may take seconds on a busy machine: polls wait for it.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
