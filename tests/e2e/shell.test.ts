import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../support/fixtures';
import { startPreview } from './support/server';
import { appSuite } from './support/suite';
import {
  firstPage,
  horizontalOverflow,
  openBrowser,
  screenshot,
  viewports,
  waitForServiceWorker,
  type TestBrowser,
} from './support/browser';

const app = appSuite();
let browser: TestBrowser;

describe('the app shell', () => {
  test('loads with no console error and no request to another origin; navigation works by keyboard', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Certificates' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('alert').count()).toBe(1);

    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Basics', 'Appliances', 'Certificates']) {
      const link = nav.getByRole('link', { name, exact: true });
      await link.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('heading', { level: 1, name, exact: true }).count()).toBe(1);
      expect(await link.getAttribute('aria-current')).toBe('page');
    }

    // Tab order reaches the links from the top of a freshly loaded page.
    await page.goto(app.url + '/#/certificates');
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const focused: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
    }
    expect(focused).toEqual(expect.arrayContaining(['Certificates', 'Basics', 'Appliances']));
    browser.assertClean();
  });

  test('after one online visit, a reload and a new tab both show the app with the network off', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await page.goto(app.url);
    await waitForServiceWorker(page);

    // Off the network for real: the server is gone and the browser is offline.
    const restore = await app.offline(browser);

    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Certificates' }).count()).toBe(1);

    const tab = await browser.newPage();
    await tab.goto(app.url + '/#/basics');
    await expect.poll(() => tab.getByRole('heading', { level: 1, name: 'Basics' }).count()).toBe(1);
    await screenshot(tab, 'shell-offline-new-tab');

    await restore();
  });

  test('the page carries the Content-Security-Policy and the build has no inline script', async () => {
    const response = await fetch(app.url + '/');
    const policy = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');

    const html = readFileSync(join(projectRoot, 'dist', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'self';/);
  });

  test('the web app manifest is served with its icons', async () => {
    const response = await fetch(app.url + '/manifest.webmanifest');
    expect(response.ok).toBe(true);
    const manifest = (await response.json()) as {
      name: string;
      short_name: string;
      theme_color: string;
      start_url: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest.name).toBe('Certdesk');
    expect(manifest.short_name).toBe('Certdesk');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.start_url).toBe('/');
    const sizes = manifest.icons.map((icon) => icon.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, app.url + '/'));
      expect(image.ok).toBe(true);
      expect(image.headers.get('content-type')).toBe('image/png');
      const bytes = new Uint8Array(await image.arrayBuffer());
      // PNG signature, then the IHDR width and height must match the declared size.
      expect([...bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      const view = new DataView(bytes.buffer);
      expect(`${view.getUint32(16)}x${view.getUint32(20)}`).toBe(icon.sizes);
    }
  });

  test.each(Object.entries(viewports))('the shell fits the %s width without horizontal scrolling', async (name, viewport) => {
    browser = await app.browser({ viewport });
    const page = await firstPage(browser);
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Certificates' }).count()).toBe(1);
    await screenshot(page, `shell-${name}-${viewport.width}x${viewport.height}`);
    expect(await horizontalOverflow(page)).toBe(0);
    browser.assertClean();
  });
});

describe('updates', () => {
  test('a new version is offered with "Update available — Reload" and only taken when the admin clicks', async () => {
    const { cpSync, appendFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const copy = mkdtempSync(join(tmpdir(), 'certdesk-dist-'));
    cpSync(join(projectRoot, 'dist'), copy, { recursive: true });
    let own = await startPreview(undefined, copy);
    // This test serves its own copy of the build, on its own origin.
    const browser = await openBrowser(own.url);
    try {
      const page = await firstPage(browser);
      await page.goto(own.url);
      await waitForServiceWorker(page);
      // A later visit, as an admin's every visit after the first: the worker controls the page.
      await page.reload();
      expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
      const before = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);

      // Publish a new version: the service worker script changes by one byte.
      const port = own.port;
      await own.stop();
      appendFileSync(join(copy, 'sw.js'), '\n// next version\n');
      own = await startPreview(port, copy);
      await page.evaluate(async () => (await navigator.serviceWorker.ready).update());

      const banner = page.getByRole('status').filter({ hasText: 'Update available' });
      await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
      // Nothing was swapped under the running page: a worker waits, the old one still controls it.
      expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).waiting))).toBe(true);
      await screenshot(page, 'update-available');

      await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
      await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Certificates' }).count()).toBe(1);
      expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).waiting))).toBe(false);
      expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toBe(before);
      expect(await page.getByRole('status').filter({ hasText: 'Update available' }).count()).toBe(0);
      browser.assertClean();
    } finally {
      await browser.close();
      await own.stop();
    }
  });
});
