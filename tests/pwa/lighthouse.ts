/**
 * `npm run lighthouse`: Lighthouse against `vite preview` of the production build, in the
 * system's Chromium (no browser download), then the installability check Lighthouse 12 no
 * longer has (it dropped the PWA category): Chromium's own `Page.getInstallabilityErrors`, and
 * the manifest as Chromium parsed it (`Page.getAppManifest`). Exits non-zero when accessibility
 * or best practices score under 100, when mobile performance scores under 95 or the first load
 * shifts its layout by 0.05 or more (issue 11), or when the app is not installable.
 *
 * Performance is Lighthouse's simulated mobile and desktop throttling of a first load (an empty
 * profile, so the first start creates the workspace). Printed with it: the metrics behind the
 * score, the JavaScript transferred, and the elements that shifted.
 */
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { chromium } from 'playwright-core';
import { startPreview } from '../e2e/support/server';
import { chromePath } from '../e2e/support/browser';

const categories = ['performance', 'accessibility', 'best-practices'] as const;
/** Each category's floor (score × 100), per form factor; performance only has a mobile floor. */
const floors: Record<'mobile' | 'desktop', Record<(typeof categories)[number], number>> = {
  mobile: { performance: 95, accessibility: 100, 'best-practices': 100 },
  desktop: { performance: 0, accessibility: 100, 'best-practices': 100 },
};
const MAX_CLS = 0.05;

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
      if (score < floors[formFactor][id]) failed = true;
      for (const ref of category?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (id !== 'performance' && ref.weight > 0 && audit && audit.score !== null && audit.score < 1) console.log(`    ✕ ${audit.id}: ${audit.title}`);
      }
    }
    // The metrics behind the performance score, the JavaScript it loaded, and what shifted.
    for (const metric of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index', 'interactive']) {
      const audit = lhr.audits[metric];
      if (audit) console.log(`    ${audit.title}: ${audit.displayValue ?? audit.numericValue} (score ${audit.score})`);
    }
    const cls = lhr.audits['cumulative-layout-shift']?.numericValue ?? Infinity;
    if (cls >= MAX_CLS) failed = true;
    const requests = (lhr.audits['network-requests']?.details as { items?: { url: string; resourceType?: string; transferSize?: number }[] } | undefined)?.items ?? [];
    const scripts = requests.filter((r) => r.resourceType === 'Script');
    console.log(`    JavaScript transferred: ${(scripts.reduce((n, r) => n + (r.transferSize ?? 0), 0) / 1024).toFixed(1)} KB in ${scripts.length} files`);
    const largest = [...scripts].sort((a, b) => (b.transferSize ?? 0) - (a.transferSize ?? 0)).slice(0, 8);
    console.log(`      largest: ${largest.map((r) => `${new URL(r.url).pathname.split('/').pop()} ${((r.transferSize ?? 0) / 1024).toFixed(1)} KB`).join(', ')}`);
    const shifts = (lhr.audits['layout-shifts']?.details as { items?: { node?: { snippet?: string }; score?: number }[] } | undefined)?.items ?? [];
    for (const shift of shifts) console.log(`    shifted ${shift.score?.toFixed(4)}: ${shift.node?.snippet ?? '?'}`);
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
