/**
 * A thousand certificates in Chromium (issue 11): imported through the Import form as one PEM
 * bundle, then a warm start on the same profile and a page switch. The page must never freeze —
 * the longest main-thread task stays under a generous ceiling (the quadratic chain statuses
 * this guards against took 4 s at this size) — and the list stays paged, so the DOM holds the
 * same number of elements whatever the count. Timings belong to `npm run bench -- chromium`;
 * the ceiling here only catches a return of work that grows with the whole workspace.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { openssl } from '../support/fixtures';
import { bulkCertificates } from '../support/bulk-certificates';
import { addProbe, domElements, firstPaint, longestTask, longTasks, startMarks } from '../bench/chromium-probe';
import { pem, selectors } from '../bench/chromium-workspace';
import { appSuite } from './support/suite';
import { firstPage, screenshot } from './support/browser';
import { importFiles, importSummaryText, openApp, waitForIdle } from './support/app';
import type { Page } from 'playwright-core';

const app = appSuite();

/** Far above the 50 ms budget (a loaded machine stretches tasks), far below one pass over a thousand certificates' chains (4 s). */
const LONGEST_TASK_CEILING_MS = 1_000;
/** The budget of issue 11 at 5,000 certificates; paging keeps the page well under it at any size. */
const DOM_ELEMENTS_BOUND = 5_000;
const PAGE_ROWS = 50;

/** Rows shown in the certificates table, and the first pager's line ("Previous page 1–50 of N Next page"). */
async function listShape(page: Page): Promise<{ rows: number; pager: string }> {
  return {
    rows: await page.locator('table.certificate-table tbody tr').count(),
    pager: (await page.getByRole('navigation', { name: 'Certificates pages' }).first().innerText()).replace(/\s+/g, ' '),
  };
}

/** Issue 11: the JavaScript of a first load, gzipped. */
const FIRST_LOAD_JS_BOUND_KB = 100;

/** The scripts the page itself loaded (workers' own scripts are loaded off the page: initiator 'other'). */
async function pageScripts(page: Page): Promise<string[]> {
  const names = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((entry) => (entry as PerformanceResourceTiming).initiatorType !== 'other')
      .map((entry) => new URL(entry.name).pathname),
  );
  return [...new Set(names.filter((name) => name.endsWith('.js')))].sort();
}

/** The gzipped size of the built scripts, in KB (as served compressed). */
function gzippedKb(paths: string[]): number {
  return paths.reduce((sum, path) => sum + gzipSync(readFileSync(join('dist', path))).length, 0) / 1024;
}

/** The factory default certificate and key record of the only appliance, read from the page's database. */
async function factoryDefault(page: Page): Promise<{ der: number[]; publicKeySha256: string; keyIsCryptoKey: boolean; extractable: boolean }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('certdesk');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = <T,>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(request.error);
      });
    const certificates = await all<{ factoryDefault?: boolean; der: Uint8Array; keyId?: string }>('certificates');
    const keys = await all<{ id: string; key: { privateKey: CryptoKey; publicKeySha256: string } }>('keys');
    db.close();
    const certificate = certificates.find((c) => c.factoryDefault)!;
    const key = keys.find((k) => k.id === certificate.keyId)!;
    return {
      der: [...certificate.der],
      publicKeySha256: key.key.publicKeySha256,
      keyIsCryptoKey: key.key.privateKey instanceof CryptoKey,
      extractable: key.key.privateKey.extractable,
    };
  });
}

describe('the first load in Chromium', () => {
  test('creates the default appliance with no PKI code on the page: it loads no script a returning start does not but the one that writes it, under 100 KB gzipped; a returning start finds every module it needs before its list named in index.html, in a few files, and marks its phases in order', { timeout: 120_000 }, async () => {
    const browser = await app.browser();
    const page = await firstPage(browser);
    await openApp(page, app.url);
    await waitForIdle(page);
    const first = await pageScripts(page);

    // Its key and self-signed certificate, made in the PKI worker, are stored and belong together.
    const factory = await factoryDefault(page);
    expect(factory.keyIsCryptoKey).toBe(true);
    expect(factory.extractable).toBe(false);
    const pemText = openssl(['x509', '-inform', 'DER'], Uint8Array.from(factory.der));
    expect(pemText.status, pemText.stderr).toBe(0);
    const spki = new X509Certificate(Buffer.from(factory.der)).publicKey.export({ type: 'spki', format: 'der' });
    expect(createHash('sha256').update(spki).digest('hex')).toBe(factory.publicKeySha256);
    expect(openssl(['x509', '-noout', '-subject'], pemText.stdout).stdout).toMatch(/CN = Certdesk Appliance/);

    await addProbe(browser.context, { firstPaintOf: selectors.listRow, clickTarget: selectors.rowCheckbox });
    await page.reload();
    await openApp(page, app.url);
    const listPainted = await firstPaint(page, 60_000);
    await waitForIdle(page);
    const returning = await pageScripts(page);
    // Every script and stylesheet a returning start loads before its list is painted is named in
    // index.html: fetched in one round with the page, not after the entry has run.
    const html = readFileSync(join('dist', 'index.html'), 'utf8');
    const beforeList = await page.evaluate(
      (until) =>
        performance
          .getEntriesByType('resource')
          .filter((entry) => entry.startTime < until && /\.(js|css)$/.test(new URL(entry.name).pathname) && (entry as PerformanceResourceTiming).initiatorType !== 'other')
          .map((entry) => new URL(entry.name).pathname),
      listPainted,
    );
    expect(beforeList.filter((path) => !html.includes(`"${path}"`))).toEqual([]);
    // The start's phases are marked in order (the bench prints them). The list is painted after
    // the entry ran; it may be before the workspace is read (from the first screen kept).
    const phases = await startMarks(page);
    expect(Object.values(phases).map((marks) => marks.length)).toEqual([1, 1, 1]);
    const [entry, databaseOpen, workspaceRead] = [phases.entry[0], phases.databaseOpen[0], phases.workspaceRead[0]];
    expect(entry).toBeLessThan(databaseOpen!);
    expect(databaseOpen).toBeLessThan(workspaceRead!);
    expect(entry).toBeLessThan(listPainted);
    // In a few files (vite.config.ts startChunks): the entry, the start's and the UI's chunks, the
    // bundler's runtime and their stylesheets. Split by default, they were twenty-one files.
    expect(beforeList.filter((path) => path.endsWith('.js')).length, beforeList.join(' ')).toBeGreaterThanOrEqual(3);
    expect(beforeList.length, beforeList.join(' ')).toBeLessThanOrEqual(6);
    const summary = `first load: ${gzippedKb(first).toFixed(1)} KB gzipped in ${first.length} scripts; returning: ${gzippedKb(returning).toFixed(1)} KB in ${returning.length}`;
    console.log(summary);
    // Only the module that writes the default appliance (src/store/appliance-factory.ts) is extra.
    expect(first.filter((script) => !returning.includes(script)).map((script) => script.replace(/-[\w-]{8}\.js$/, '.js')), summary).toEqual(['/assets/appliance-factory.js']);
    expect(gzippedKb(first), summary).toBeLessThanOrEqual(FIRST_LOAD_JS_BOUND_KB);
    browser.assertClean();
  });
});

describe('a workspace of 1,000 certificates in Chromium', () => {
  test('imports, starts and switches pages without a long freeze, with a bounded DOM', { timeout: 300_000 }, async () => {
    const browser = await app.browser();
    await addProbe(browser.context, { firstPaintOf: selectors.listRow, clickTarget: selectors.rowCheckbox });
    // When the list's page of rows is painted whole (its rows are drawn over a few frames).
    await browser.context.addInitScript({ content: `globalThis.__bench.waitForPaint('table.certificate-table tbody tr:nth-child(${PAGE_ROWS})').then((at) => (globalThis.__pageDrawnAt = at));` });
    const page = await firstPage(browser);
    await openApp(page, app.url);

    const { root, leaves } = bulkCertificates(999);
    const importFrom = await page.evaluate(() => performance.now());
    await importFiles(page, [{ name: 'thousand.pem', buffer: Buffer.from(pem([root, ...leaves])), mimeType: 'application/x-pem-file' }]);
    expect(await importSummaryText(page)).toMatch(/Added: 1000 · Linked: 0 · Already present: 0 · Rejected: 0/);
    await waitForIdle(page);
    const importLongest = await longestTask(page, importFrom);

    // Warm start: the same profile reloaded, the kept chain statuses read, not recomputed.
    await page.reload();
    await firstPaint(page, 60_000);
    await waitForIdle(page);
    await page.waitForTimeout(2_000);
    // The start's later work waits for the list's page of rows: the first sync, which starts
    // the workspace worker, comes after them (it competed with their sort and first draw).
    const { workerFetchedAt, pageDrawnAt } = await page.evaluate(() => ({
      workerFetchedAt: performance.getEntriesByType('resource').find((entry) => /\/workspace\.worker-[\w-]+\.js$/.test(new URL(entry.name).pathname))?.startTime,
      pageDrawnAt: (globalThis as { __pageDrawnAt?: number }).__pageDrawnAt,
    }));
    expect(pageDrawnAt).toBeGreaterThan(0);
    expect(workerFetchedAt, `worker fetched at ${workerFetchedAt} ms, the page of rows painted at ${pageDrawnAt} ms`).toBeGreaterThan(pageDrawnAt!);
    // The factory default and the thousand imported: one page of 50 rows.
    expect(await listShape(page)).toEqual({ rows: PAGE_ROWS, pager: `Previous page 1–50 of 1,001 Next page` });
    expect(await page.locator('table.certificate-table tbody').getByText('Chain complete').count()).toBeGreaterThan(0);
    const startElements = await domElements(page);

    await page.getByRole('navigation', { name: 'Certificates pages' }).first().getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => listShape(page)).toEqual({ rows: PAGE_ROWS, pager: `Previous page 51–100 of 1,001 Next page` });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appliances', exact: true }).click();
    await page.locator(selectors.appliancesPage).first().waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates', exact: true }).click();
    await page.locator(selectors.listRow).first().waitFor();
    await page.waitForTimeout(1_000);
    const startLongest = await longestTask(page, 0);
    const elements = await domElements(page);

    const summary = `import: longest task ${importLongest.toFixed(0)} ms; warm start and page switches: longest task ${startLongest.toFixed(0)} ms (${(await longTasks(page)).length} over 50 ms); DOM elements ${startElements} after start, ${elements} after switching back`;
    console.log(summary);
    expect(startElements, summary).toBeLessThan(DOM_ELEMENTS_BOUND);
    expect(elements, summary).toBeLessThan(DOM_ELEMENTS_BOUND);
    expect(importLongest, summary).toBeLessThan(LONGEST_TASK_CEILING_MS);
    expect(startLongest, summary).toBeLessThan(LONGEST_TASK_CEILING_MS);
    browser.assertClean();
  });
});

describe('hundreds of files chosen at once in Chromium', () => {
  test('import as one, read as the import goes: every file once, in order, a damaged one named, pasted text with them; the progress counts the files', { timeout: 120_000 }, async () => {
    const browser = await app.browser();
    const page = await firstPage(browser);
    await openApp(page, app.url);
    const { root, leaves } = bulkCertificates(449);
    // 450 files (read in three parts), the 301st damaged, then PEM text pasted into the form.
    const files = [root, ...leaves].map((der, i) => ({
      name: `cert-${String(i).padStart(3, '0')}.pem`,
      mimeType: 'application/x-pem-file',
      buffer: i === 300 ? Buffer.from('-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n') : Buffer.from(pem([der])),
    }));
    const { root: pastedRoot } = bulkCertificates(0);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByLabel('Certificate file').setInputFiles(files);
    await page.getByLabel('Paste', { exact: true }).fill(pem([pastedRoot]));
    // Every label the progress indicator showed, from the click on (it may come and go within a frame).
    await page.evaluate(() => {
      const seen: string[] = [];
      (globalThis as { __progress?: string[] }).__progress = seen;
      new MutationObserver(() => {
        for (const status of document.querySelectorAll('[role="status"]')) {
          const bar = status.querySelector('progress');
          const text = `${status.textContent?.replace(/\s+/g, ' ').trim()} ${bar?.hasAttribute('value') ? `${bar.value}/${bar.max}` : 'indeterminate'}`;
          if (text.includes('Importing') && seen.at(-1) !== text) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor({ timeout: 60_000 });
    await waitForIdle(page);

    expect(await importSummaryText(page)).toMatch(/Added: 450 · Linked: 0 · Already present: 0 · Rejected: 1/);
    // The rejected file is listed first, by its name; then the others in the order chosen.
    const listed = await page.getByRole('region', { name: 'Import summary' }).locator('li').allInnerTexts();
    expect(listed[0]).toMatch(/^cert-300\.pem:\s+✕\s+rejected/);
    expect(listed.slice(1, 5).map((text) => text.split(':')[0])).toEqual(['cert-000.pem', 'cert-001.pem', 'cert-002.pem', 'cert-003.pem']);
    const progress = await page.evaluate(() => (globalThis as { __progress?: string[] }).__progress ?? []);
    console.log(`progress shown: ${progress.join(' | ')}`);
    expect(progress.length, progress.join(' | ')).toBeGreaterThan(0);
    expect(progress.every((text) => text.includes('Importing 451 files')), progress.join(' | ')).toBe(true);
    // Counted over the files chosen, as they were decoded.
    expect(progress.some((text) => / \d+\/451$/.test(text)), progress.join(' | ')).toBe(true);
    // Stored: every certificate of the files and the pasted one, each once.
    const stored = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('certdesk');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const certificates = await new Promise<{ sha256: string; factoryDefault?: boolean }[]>((resolve, reject) => {
        const request = db.transaction('certificates').objectStore('certificates').getAll();
        request.onsuccess = () => resolve(request.result as { sha256: string; factoryDefault?: boolean }[]);
        request.onerror = () => reject(request.error);
      });
      db.close();
      return certificates.filter((c) => !c.factoryDefault).map((c) => c.sha256);
    });
    const expected = [...[root, ...leaves].filter((_, i) => i !== 300), pastedRoot].map((der) => createHash('sha256').update(der).digest('hex'));
    expect(stored.sort()).toEqual(expected.sort());
    await screenshot(page, 'import-450-files-summary', page.getByRole('region', { name: 'Import summary' }));
    browser.assertClean();
  });
});

/** The first screen kept in this browser (first-screen.ts): its rows' friendly names and the count it held. */
async function keptScreen(page: Page): Promise<{ names: string[]; total: number } | undefined> {
  return page.evaluate(() => {
    const text = localStorage.getItem('certdesk:first-screen');
    if (!text) return undefined;
    const screen = JSON.parse(text) as { total: number; rows: { certificate: { friendlyName: string } }[] };
    return { names: screen.rows.map((row) => row.certificate.friendlyName), total: screen.total };
  });
}

/** Where the table's first row is on the page (not in the viewport: a click may scroll). */
function firstRowTop(page: Page): Promise<number> {
  return page.locator('table.certificate-table tbody tr').first().evaluate((row) => row.getBoundingClientRect().top + window.scrollY);
}

/** The friendly names of the table's rows, in order. */
function rowNames(page: Page): Promise<string[]> {
  return page.locator('table.certificate-table tbody tr td:nth-child(2) a.row-link').allInnerTexts();
}

/**
 * Holds the workspace's database from another page: a read-write transaction over every store,
 * kept alive by one request after another, so the start's reads wait behind it. Returns its release.
 */
async function holdDatabase(holder: Page): Promise<() => Promise<void>> {
  await holder.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('certdesk');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const transaction = db.transaction([...db.objectStoreNames], 'readwrite');
          const store = transaction.objectStore(db.objectStoreNames[0]!);
          const spin = () => {
            if ((globalThis as { __release?: boolean }).__release) return;
            store.count().onsuccess = spin;
          };
          spin();
          transaction.oncomplete = () => db.close();
          resolve();
        };
      }),
  );
  return () => holder.evaluate(() => void ((globalThis as { __release?: boolean }).__release = true));
}

describe('a returning start in Chromium', () => {
  test('shows the first screen kept while the workspace is read, busy and held: a row checked meanwhile stays checked, an action asked for waits, and the rows read replace it', { timeout: 120_000 }, async () => {
    const browser = await app.browser();
    const page = await firstPage(browser);
    await openApp(page, app.url);
    const { root, leaves } = bulkCertificates(59);
    await importFiles(page, [{ name: 'sixty.pem', buffer: Buffer.from(pem([root, ...leaves])), mimeType: 'application/x-pem-file' }]);
    expect(await importSummaryText(page)).toMatch(/Added: 60 /);
    await waitForIdle(page);

    // Kept once drawn: the first page's rows in order, and the count of the whole list.
    const drawn = await rowNames(page);
    expect(drawn).toHaveLength(PAGE_ROWS);
    await expect.poll(() => keptScreen(page)).toEqual({ names: drawn, total: 61 });

    // What is kept is only what was drawn: a row renamed since (here, in storage) shows as kept
    // until the workspace is read, then as it is.
    await page.evaluate(() => {
      const screen = JSON.parse(localStorage.getItem('certdesk:first-screen')!) as { rows: { certificate: { friendlyName: string } }[] };
      screen.rows[0]!.certificate.friendlyName = 'Name as last drawn';
      localStorage.setItem('certdesk:first-screen', JSON.stringify(screen));
    });

    const holder = await browser.context.newPage();
    await holder.goto(app.url + '/#/basics');
    const release = await holdDatabase(holder);
    await page.reload();
    const table = page.locator('table.certificate-table');
    await table.getByRole('link', { name: 'Name as last drawn', exact: true }).waitFor();
    // Shown as kept and said to be: busy, the count as last opened, filters and pager held.
    expect(await table.getAttribute('aria-busy')).toBe('true');
    expect(await rowNames(page)).toEqual(['Name as last drawn', ...drawn.slice(1)]);
    expect(await page.locator('.list-count').innerText()).toBe('61 certificates (as last opened; reading…)');
    expect(await page.getByLabel('Search certificates').isDisabled()).toBe(true);
    expect(await page.getByLabel('Sort by').isDisabled()).toBe(true);
    const pager = page.getByRole('navigation', { name: 'Certificates pages' }).first();
    expect((await pager.innerText()).replace(/\s+/g, ' ')).toBe('Previous page 1–50 of 61 Next page');
    expect(await pager.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    expect(await page.getByText('Reading the expiry timeline…').isVisible()).toBe(true);
    // The timeline's place is kept at the height it was drawn: the rows do not move when it is.
    const keptAt = await firstRowTop(page);
    await screenshot(page, 'first-screen-kept', 'viewport');

    // A row checked now stays checked; Delete asked for now waits for the workspace.
    const second = drawn[1]!;
    await page.getByRole('checkbox', { name: second, exact: true }).check();
    expect(await page.getByText('1 selected').isVisible()).toBe(true);
    await page.getByLabel('Select Action').selectOption('delete');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForTimeout(300);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await table.getAttribute('aria-busy')).toBe('true');

    await release();
    await page.locator('table.certificate-table:not([aria-busy="true"])').waitFor();
    // The rows read: as they are, the check kept, the filters free, the count as read.
    expect(await rowNames(page)).toEqual(drawn);
    await page.getByText('Reading the expiry timeline…').waitFor({ state: 'detached' });
    expect(await firstRowTop(page)).toBe(keptAt);
    expect(await page.getByRole('checkbox', { name: second, exact: true }).isChecked()).toBe(true);
    expect(await page.getByText('1 selected').isVisible()).toBe(true);
    expect(await page.locator('.list-count').innerText()).toBe('61 certificates.');
    expect(await page.getByLabel('Search certificates').isDisabled()).toBe(false);
    // The Delete asked for goes on with the certificate as read.
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(second);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await screenshot(page, 'first-screen-read', 'viewport');
    // And kept again as drawn now.
    await expect.poll(() => keptScreen(page)).toEqual({ names: drawn, total: 61 });
    await holder.close();
    browser.assertClean();
  });
});
