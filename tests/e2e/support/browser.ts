import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../support/fixtures';

export const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a machine with no network but loopback. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A fresh persistent Chromium profile per test (service workers and IndexedDB behave as for a
 * real user), with a recorder that collects console errors, page errors and any request to an
 * origin other than the app's own.
 */
export interface TestBrowser {
  context: BrowserContext;
  downloadsDir: string;
  problems: string[];
  newPage(): Promise<Page>;
  /** Throws if anything was recorded: console errors, uncaught errors, foreign requests. */
  assertClean(): void;
  close(): Promise<void>;
}

export async function openBrowser(
  appUrl: string,
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean; profileDir?: string } = {},
): Promise<TestBrowser> {
  // A given profile directory outlives the browser (a test reopens it); a fresh one is removed.
  const profile = options.profileDir ?? mkdtempSync(join(tmpdir(), 'certdesk-profile-'));
  const downloadsDir = mkdtempSync(join(tmpdir(), 'certdesk-downloads-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromePath,
    headless: true,
    args: chromiumArgs,
    viewport: options.viewport ?? { width: 1440, height: 900 },
    acceptDownloads: options.acceptDownloads ?? true,
    downloadsPath: downloadsDir,
    serviceWorkers: 'allow',
  });
  const origin = new URL(appUrl).origin;
  let closed = false;
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  };
  context.on('page', watch);
  context.pages().forEach(watch);
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) problems.push(`request to another origin: ${url}`);
  });
  return {
    context,
    downloadsDir,
    problems,
    newPage: () => context.newPage(),
    assertClean() {
      if (problems.length) throw new Error(`The page was not clean:\n${problems.join('\n')}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close();
      if (!options.profileDir) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The first page of a persistent context (it opens with one blank page). */
export async function firstPage(browser: TestBrowser): Promise<Page> {
  return browser.context.pages()[0] ?? (await browser.newPage());
}

const screenshotDir = join(projectRoot, 'test-results', 'screenshots');

/**
 * Saves a full-page screenshot under test-results/screenshots/NAME.png and returns its path;
 * with `part`, only that part of the page.
 */
export async function screenshot(page: Page, name: string, part?: Locator | 'viewport'): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  if (part === 'viewport') await page.screenshot({ path });
  else if (part) await part.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
  return path;
}

/** Waits until the service worker is activated, i.e. the whole app is precached. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => (await navigator.serviceWorker.ready).active?.state === 'activated',
    undefined,
    { timeout: 30_000 },
  );
}

/** Horizontal overflow of the document in CSS pixels (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export const viewports = {
  phone: { width: 390, height: 844 },
  tablet: { width: 768, height: 1024 },
  tabletLandscape: { width: 1024, height: 768 },
  desktop: { width: 1440, height: 900 },
} as const;
