/**
 * The admin's data on a nearly full disk, in Chromium on a real small filesystem: a large import
 * is refused before it writes (a full disk makes Chromium delete the origin's whole storage), and
 * a database the browser deleted is noticed on the next start, with the safety copy restored.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appSuite } from './support/suite';
import { firstPage, screenshot } from './support/browser';
import { createRequest, createSelfSigned, openApp } from './support/app';
import { smallDisk } from './support/small-disk';
import { bulkCertificates, pemBundle } from '../support/bulk-certificates';
import { openssl } from '../support/fixtures';
import type { Page } from 'playwright-core';

const app = appSuite();
const disk = smallDisk(9);
afterAll(() => disk.release());
if (!disk.dir) console.warn(`\n*** storage-safety.test.ts: NOT RUN — ${disk.reason} ***\n`);

const names = (page: Page) => page.locator('table.certificate-table td[data-label="Friendly Name"] a.row-link').allInnerTexts();

describe.skipIf(!disk.dir)(`a full disk under the browser profile (${disk.reason})`, () => {
  test('an import larger than the free space is refused before it writes, and the workspace is intact after a restart', async () => {
    const profileDir = join(disk.dir!, 'profile-import');
    let browser = await app.browser({ profileDir });
    let page = await firstPage(browser);
    await openApp(page, app.url);
    await createSelfSigned(page, { friendlyName: 'Keep me', sans: ['keep.example.com'] });

    const bulk = bulkCertificates(4000);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByLabel('Certificate file').setInputFiles([{ name: 'bundle.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(pemBundle([bulk.root, ...bulk.leaves])) }]);
    await page.getByRole('button', { name: 'Upload' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'There is not enough free disk space' });
    await alert.waitFor({ timeout: 120_000 });
    expect(await alert.innerText()).toMatch(/There is not enough free disk space for this \(it needs about \d+ MB free\)\. Nothing was changed\./);
    await screenshot(page, 'storage-full-refused');
    expect((await names(page)).sort()).toEqual(['Factory default', 'Keep me']);
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('certdesk');

    await browser.close();
    browser = await app.browser({ profileDir });
    page = await firstPage(browser);
    await openApp(page, app.url);
    expect((await names(page)).sort()).toEqual(['Factory default', 'Keep me']);
    expect(await page.getByRole('heading', { name: /data in this browser is gone/ }).count()).toBe(0);
    browser.assertClean();
    await browser.close();
    rmSync(profileDir, { recursive: true, force: true }); // the next test needs the room
  });

  test('a database the browser deleted is reported on the next start, and the safety copy brings back what it holds', async () => {
    const profileDir = join(disk.dir!, 'profile-loss');
    let browser = await app.browser({ profileDir });
    let page = await firstPage(browser);
    await openApp(page, app.url);
    await createSelfSigned(page, { friendlyName: 'Keep me', sans: ['keep.example.com'] });
    await createRequest(page, { friendlyName: 'Pending 2027', sans: ['pending.example.com'] });
    // The safety copy is taken a moment after the last change.
    await page.waitForFunction(() => (localStorage.getItem('certdesk:safety-copy:certdesk') ?? '').includes('Pending 2027'), undefined, { timeout: 30_000 });
    const copy = JSON.parse(await page.evaluate(() => localStorage.getItem('certdesk:safety-copy:certdesk')!)) as { contents: { certificates: { friendlyName: string; der: string }[] } };
    for (const c of copy.contents.certificates) {
      const read = openssl(['x509', '-inform', 'DER', '-noout', '-subject'], Buffer.from(c.der, 'base64'));
      expect(read.status, `${c.friendlyName}: ${read.stderr}`).toBe(0);
    }
    await browser.close();

    // What Chromium does to a backing store it cannot write: the origin's IndexedDB is gone.
    const indexedDb = join(profileDir, 'Default', 'IndexedDB');
    expect(existsSync(indexedDb)).toBe(true);
    rmSync(indexedDb, { recursive: true, force: true });

    browser = await app.browser({ profileDir });
    page = await firstPage(browser);
    await page.goto(`${app.url}/#/certificates`);
    const panel = page.getByRole('region', { name: /data in this browser is gone/ });
    await panel.waitFor({ timeout: 30_000 });
    expect(await panel.innerText()).toMatch(/held 1 appliance, 2 certificates, 3 keys and 1 request; now it holds nothing\./);
    expect(await names(page)).toEqual([]); // no fresh workspace was made up behind the admin's back
    await screenshot(page, 'storage-loss-detected');

    await page.getByRole('button', { name: 'Restore the safety copy' }).click();
    const restored = page.getByRole('region', { name: 'The safety copy is restored' });
    await restored.waitFor({ timeout: 30_000 });
    expect(await restored.innerText()).toMatch(/Not restored — private keys are never in the safety copy: .*Keep me/);
    expect((await names(page)).sort()).toEqual(['Factory default', 'Keep me']);
    await expect.poll(() => page.getByRole('region', { name: 'Certificate Requests' }).innerText()).toContain('Pending 2027');
    await screenshot(page, 'storage-loss-restored');
    browser.assertClean();
  });
});
