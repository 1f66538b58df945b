/**
 * The hooks every browser-test file needs: one `vite preview` of the production build for the
 * file, and fresh Chromium profiles that are closed after each test.
 *
 *   const app = appSuite();
 *   test('…', async () => { const { page } = await app.open(); … });
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startPreview, type PreviewServer } from './server';
import { firstPage, openBrowser, type TestBrowser } from './browser';
import { openApp } from './app';

export interface AppSuite {
  /** The preview's origin, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** A fresh profile, closed after the test. */
  browser(options?: { viewport?: { width: number; height: number }; profileDir?: string }): Promise<TestBrowser>;
  /** A fresh profile with the app open at `hash` and its workspace shown. */
  open(options?: { viewport?: { width: number; height: number }; hash?: string }): Promise<{ browser: TestBrowser; page: Page }>;
  /**
   * Off the network for real: the server stops and the browser goes offline. The returned
   * function brings both back (same origin, so the same service worker and storage).
   */
  offline(browser: TestBrowser): Promise<() => Promise<void>>;
}

export function appSuite(): AppSuite {
  let server: PreviewServer | undefined;
  const open: TestBrowser[] = [];

  beforeAll(async () => {
    server = await startPreview();
  });
  afterEach(async () => {
    for (const browser of open.splice(0)) await browser.close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const url = () => {
    if (!server) throw new Error('The preview server is not running.');
    return server.url;
  };

  const suite: AppSuite = {
    get url() {
      return url();
    },
    async browser(options = {}) {
      const browser = await openBrowser(url(), options);
      open.push(browser);
      return browser;
    },
    async open(options = {}) {
      const browser = await suite.browser(options.viewport ? { viewport: options.viewport } : {});
      const page = await firstPage(browser);
      await openApp(page, url(), options.hash);
      return { browser, page };
    },
    async offline(browser) {
      const port = server!.port;
      await server!.stop();
      await browser.context.setOffline(true);
      return async () => {
        await browser.context.setOffline(false);
        server = await startPreview(port);
      };
    },
  };
  return suite;
}
