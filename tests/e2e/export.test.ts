/**
 * Export with the private key as an admin does it: the PKCS#12 derivation runs in the PKI
 * worker while the page shows its progress with a Cancel button and stays responsive; the file
 * is read by the OpenSSL CLI; Cancel leaves nothing behind and the page usable.
 */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { fixture, fixturePath, openssl, tempDir } from '../support/fixtures';
import { appSuite } from './support/suite';
import { firstPage, type TestBrowser } from './support/browser';
import { certificateRow, importFiles, openApp, waitForIdle } from './support/app';

const app = appSuite();
const PASS = 'correct horse battery';

/** What a person sees of a progress indicator at one moment. */
interface ProgressSeen {
  name: string | null;
  /** −1 while the length of the work is unknown, else the fraction done. */
  position: number;
  cancel: boolean;
}

async function exportPageForServer(): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = await app.browser();
  const page = await firstPage(browser);
  await openApp(page, app.url);
  await importFiles(page, [{ name: 'server-default.p12', buffer: fixture('openssl-set/rsa/server-default.p12') }], 'changeit');
  const name = await page
    .locator('table.certificate-table tbody tr')
    .filter({ hasText: 'Server certificate' })
    .filter({ hasNotText: 'Factory default' })
    .locator('a.row-link')
    .first()
    .innerText();
  await certificateRow(page, name).getByRole('checkbox', { name }).check();
  await page.getByLabel('Select Action').selectOption({ label: 'Export' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('heading', { name: 'Export', level: 1 }).waitFor();
  await page.getByRole('checkbox', { name: 'Include Private Key' }).check();
  await page.getByRole('checkbox', { name: 'Include Certificate Chain' }).check();
  await page.getByLabel('Format').selectOption({ label: 'PKCS#12' });
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByLabel('Confirm Passphrase').fill(PASS);
  return { browser, page };
}

/**
 * Records, in the page, every state of every progress indicator (role status holding a
 * progressbar) on each DOM change and each frame, and the main thread's long tasks. When
 * `cancelAtOnce`, clicks the indicator's Cancel button the moment it appears.
 */
async function watchProgress(page: Page, options: { cancelAtOnce?: boolean } = {}): Promise<void> {
  await page.evaluate((cancelAtOnce) => {
    const seen: ProgressSeen[] = [];
    const longTasks: number[] = [];
    const record = () => {
      for (const status of document.querySelectorAll('[role="status"]')) {
        const bar = status.querySelector('progress');
        if (!bar) continue;
        const cancel = [...status.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Cancel');
        seen.push({ name: bar.getAttribute('aria-label'), position: bar.position, cancel: cancel !== undefined });
        if (cancelAtOnce && cancel && !(globalThis as unknown as { cancelled?: boolean }).cancelled) {
          (globalThis as unknown as { cancelled?: boolean }).cancelled = true;
          cancel.click();
        }
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const frame = () => {
      record();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
    Object.assign(globalThis, { progressSeen: seen, longTasks });
  }, options.cancelAtOnce ?? false);
}

const progressSeen = (page: Page) => page.evaluate(() => (globalThis as unknown as { progressSeen: ProgressSeen[] }).progressSeen);

describe('Export PKCS#12 with progress', () => {
  test('the page shows the export’s progress with Cancel, stays responsive, and OpenSSL reads the .p12', async () => {
    const { browser, page } = await exportPageForServer();
    await watchProgress(page);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export', exact: true }).click()]);
    const path = join(tempDir('certdesk-export-'), download.suggestedFilename());
    await download.saveAs(path);
    await waitForIdle(page);

    const seen = await progressSeen(page);
    const label = 'Writing the PKCS#12 file and reading it back to check it…';
    expect(seen.filter((s) => s.name === label && s.cancel).length).toBeGreaterThan(0);
    // Steps only go forward: "reading" (0 of 2), then "encrypting" (1 of 2) once the worker has
    // the job; the derivation takes long enough (100,000 iterations) to be seen on a frame.
    const positions = [...new Set(seen.filter((s) => s.name === label).map((s) => s.position))];
    expect(positions.every((p) => p === -1 || p === 0 || p === 0.5)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(positions).toContain(0.5);
    const longTasks = await page.evaluate(() => (globalThis as unknown as { longTasks: number[] }).longTasks);
    expect(longTasks.filter((duration) => duration > 200)).toEqual([]);
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Exported ${download.suggestedFilename()}.` }).count()).toBe(1);

    expect(download.suggestedFilename()).toMatch(/\.p12$/);
    const info = openssl(['pkcs12', '-info', '-in', path, '-passin', `pass:${PASS}`, '-noout']);
    expect(info.status, info.stderr).toBe(0);
    expect(info.stderr).toMatch(/AES-256-CBC/);
    const key = openssl(['pkcs12', '-in', path, '-passin', `pass:${PASS}`, '-nocerts', '-nodes']);
    expect(openssl(['pkey', '-pubout'], key.stdout).stdout).toBe(openssl(['pkey', '-in', fixturePath('openssl-set/rsa/server.pkcs8.pem'), '-pubout']).stdout);
    const certificates = openssl(['pkcs12', '-in', path, '-passin', `pass:${PASS}`, '-nokeys']).stdout;
    expect((certificates.match(/BEGIN CERTIFICATE/g) ?? []).length).toBe(3);
    browser.assertClean();
  });

  test('Cancel stops the export: no file, no alert, and the next export works', async () => {
    const { browser, page } = await exportPageForServer();
    await watchProgress(page, { cancelAtOnce: true });
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { cancelled?: boolean }).cancelled === true)).toBe(true);
    await waitForIdle(page);
    expect(downloads).toBe(0);
    // The alert region is always there; it holds nothing.
    expect((await page.getByRole('alert').first().innerText()).trim()).toBe('');
    expect(await page.getByRole('status').filter({ hasText: 'Exported' }).count()).toBe(0);

    await page.evaluate(() => Object.assign(globalThis, { cancelled: true }));
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export', exact: true }).click()]);
    const path = join(tempDir('certdesk-export-'), download.suggestedFilename());
    await download.saveAs(path);
    expect(openssl(['pkcs12', '-info', '-in', path, '-passin', `pass:${PASS}`, '-noout']).status).toBe(0);
    browser.assertClean();
  });
});
