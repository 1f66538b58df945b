/**
 * The store in a real browser: keys that still sign after a reload, two tabs writing at once,
 * and an import cut off by closing the page.
 */
import { describe, expect, test } from 'vitest';
import { fixture } from '../support/fixtures';
import { appSuite } from './support/suite';
import { firstPage, type TestBrowser } from './support/browser';
import { acceptAssignment, addIpAddress, certificateRow, createRequest, createSelfSigned, importSummaryText, openApp, waitForIdle, waitForWorkspace } from './support/app';
import type { Page } from 'playwright-core';

const app = appSuite();
let browser: TestBrowser;

async function certificateNames(page: Page): Promise<string[]> {
  return page.locator('table.certificate-table td[data-label="Friendly Name"] a.row-link').allInnerTexts();
}

describe('the store in Chromium', () => {
  test('a key created in one page load signs after a reload', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await openApp(page, app.url);
    await page.getByRole('button', { name: 'Create internal CA' }).click();
    await page.getByLabel('CA Name').fill('Reload Root');
    await page.getByLabel('Also create an intermediate CA').uncheck();
    await page.getByRole('button', { name: 'Create internal CA' }).click();
    await page.getByRole('link', { name: 'Reload Root', exact: true }).waitFor({ timeout: 60_000 });

    // A new page load: the CA key is a CryptoKey read back from IndexedDB.
    await page.reload();
    await waitForWorkspace(page);
    await createRequest(page, { friendlyName: 'after-reload', sans: ['after-reload.example.com'] });
    await page.getByRole('region', { name: 'Certificate Requests' }).getByRole('link', { name: 'after-reload', exact: true }).click();
    await page.getByRole('button', { name: 'Sign with internal CA' }).click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor({ timeout: 60_000 });
    expect(await importSummaryText(page)).toMatch(/Linked: 1/);
    await page.getByRole('link', { name: /Back to Certificates/ }).click();
    await expect.poll(() => certificateRow(page, 'after-reload').innerText()).toContain('Chain complete');
    browser.assertClean();
  });

  test('two tabs assigning IPs at the same time both keep their change', async () => {
    browser = await app.browser();
    const first = await firstPage(browser);
    await openApp(first, app.url);
    await addIpAddress(first, '192.0.2.21', 'one.example.com');
    await addIpAddress(first, '192.0.2.22', 'two.example.com');
    await createSelfSigned(first, { friendlyName: 'One', sans: ['one.example.com'] });
    await createSelfSigned(first, { friendlyName: 'Two', sans: ['two.example.com'] });
    const second = await browser.newPage();
    await openApp(second, app.url);

    const prepare = async (page: Page, name: string, ip: string) => {
      await certificateRow(page, name).getByRole('link', { name: /Assign IP/ }).click();
      await page.getByRole('checkbox', { name: ip }).check();
      await page.getByRole('region', { name: 'Before you save' }).waitFor();
      await acceptAssignment(page);
    };
    await prepare(first, 'One', '192.0.2.21');
    await prepare(second, 'Two', '192.0.2.22');
    await Promise.all([
      first.getByRole('button', { name: 'Save Configuration' }).click(),
      second.getByRole('button', { name: 'Save Configuration' }).click(),
    ]);
    for (const page of [first, second]) {
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).count(), { timeout: 30_000 }).toBe(1);
    }
    // Each tab sees the other's change without a reload (BroadcastChannel), and so does a new load.
    for (const page of [first, second]) {
      await page.goto(app.url + '/#/certificates');
      await waitForWorkspace(page);
      await expect.poll(() => certificateRow(page, 'One').locator('td[data-label="IP Addresses"]').innerText()).toBe('192.0.2.21');
      await expect.poll(() => certificateRow(page, 'Two').locator('td[data-label="IP Addresses"]').innerText()).toBe('192.0.2.22');
    }
    browser.assertClean();
  });

  test('a page closed while the 144 Mozilla roots are being imported leaves all or none of them', async () => {
    const roots = Buffer.from(fixture('mozilla-roots.pem'));
    const outcomes: number[] = [];
    for (const delay of [0, 10, 20, 30, 45, 800]) {
      // A fresh profile per round, so "none" cannot hide behind an idempotent re-import.
      browser = await app.browser();
      const page = await firstPage(browser);
      await openApp(page, app.url);
      const before = (await certificateNames(page)).length;
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByLabel('Certificate file').setInputFiles({ name: 'mozilla-roots.pem', mimeType: 'application/x-pem-file', buffer: roots });
      await page.getByRole('button', { name: 'Upload' }).click();
      await new Promise((resolve) => setTimeout(resolve, delay));
      await page.close({ runBeforeUnload: false });

      const check = await browser.newPage();
      await openApp(check, app.url);
      const after = (await certificateNames(check)).length;
      // All or nothing: the import is one transaction.
      expect([before, before + 144]).toContain(after);
      outcomes.push(after - before);
      await browser.close();
    }
    // The delays are chosen to fall before, inside and after the write on this kind of machine.
    console.log(`roots imported per round (0 = none, 144 = all): ${outcomes.join(', ')}`);
    expect(outcomes.every((n) => n === 0 || n === 144)).toBe(true);
  });
});
