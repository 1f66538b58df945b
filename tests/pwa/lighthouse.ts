/**
 * `npm run lighthouse`: Lighthouse against `vite preview` of the production build, in the
 * system's Chromium (no browser download), then the installability check Lighthouse 12 no
 * longer has (it dropped the PWA category): Chromium's own `Page.getInstallabilityErrors`, and
 * the manifest as Chromium parsed it (`Page.getAppManifest`). Exits non-zero when accessibility
 * or best practices score under 100 or the app is not installable.
 */
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { chromium } from 'playwright-core';
import { startPreview } from '../e2e/support/server';
import { chromePath } from '../e2e/support/browser';

const categories = ['accessibility', 'best-practices'] as const;

const server = await startPreview();
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
});
let failed = false;
try {
  const url = server.url + '/';
  console.log(`Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version} on ${url}`);
  for (const formFactor of ['mobile', 'desktop'] as const) {
    const result = await lighthouse(
      url,
      { port: chrome.port, logLevel: 'error', onlyCategories: [...categories] },
      formFactor === 'desktop'
        ? { extends: 'lighthouse:default', settings: { formFactor: 'desktop', screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false } } }
        : undefined,
    );
    const lhr = result?.lhr;
    if (!lhr) throw new Error('Lighthouse returned no result.');
    console.log(`\n${formFactor}:`);
    for (const id of categories) {
      const category = lhr.categories[id];
      const score = Math.round((category?.score ?? 0) * 100);
      console.log(`  ${category?.title ?? id}: ${score}`);
      if (score < 100) failed = true;
      for (const ref of category?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) console.log(`    ✕ ${audit.id}: ${audit.title}`);
      }
    }
  }

  // Installability as Chromium decides it (the check behind the browser's Install offer).
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated', undefined, { timeout: 30_000 });
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  const manifest = await cdp.send('Page.getAppManifest');
  console.log('\nInstallability (Page.getInstallabilityErrors):', installabilityErrors.length === 0 ? 'installable, no errors' : '');
  for (const error of installabilityErrors) console.log(`  ✕ ${error.errorId} ${JSON.stringify(error.errorArguments)}`);
  console.log(`Manifest (Page.getAppManifest) ${manifest.url}: ${manifest.errors.length === 0 ? 'no errors or warnings' : ''}`);
  for (const error of manifest.errors) console.log(`  ${error.critical ? '✕' : '▲'} ${error.message}`);
  // The members as served (Chromium parsed them without an error or warning, above).
  const served = JSON.parse(manifest.data ?? '{}') as Record<string, unknown>;
  for (const member of ['id', 'start_url', 'display', 'icons', 'shortcuts', 'screenshots', 'file_handlers', 'share_target', 'launch_handler']) {
    console.log(`  ${member}: ${JSON.stringify(served[member])}`);
  }
  if (installabilityErrors.length > 0 || manifest.errors.length > 0) failed = true;
  await browser.close();
} finally {
  chrome.kill();
  await server.stop();
}
process.exit(failed ? 1 : 0);
