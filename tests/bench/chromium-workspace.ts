/**
 * Workspaces for the Chromium benchmark, made the same way for every build compared:
 *   - 20 appliances, the first holding `size` certificates (one ECDSA root and `size − 1` leaves
 *     it signed) besides its factory default, each of the 19 others a root and 9 leaves;
 *   - appliances are added through the Appliances page (each gets its own key and factory
 *     default certificate, as an admin's would); the certificates are written into the app's
 *     IndexedDB as the store writes an import (same records, facts read by the same code), so a
 *     build whose import is slow can still be measured on a large workspace. A build that keeps
 *     a certificate index (schema v5, src/store/certificate-index.ts) finds it out of step on
 *     the next start and rebuilds it: the settling start does, before any start is measured.
 * And the steps an admin takes, through the UI, that the benchmark times.
 */
import type { Page } from 'playwright-core';
import { readCertificateFacts } from '../../src/core/appliance/certificate-facts';
import type { CertificateEntry } from '../../src/core/appliance/certificate-entry';
import { bulkCertificates } from '../support/bulk-certificates';

export const OTHER_APPLIANCES = 19;
export const OTHER_APPLIANCE_CERTIFICATES = 10;

export const selectors = {
  listRow: 'table.certificate-table tbody tr a.row-link',
  rowCheckbox: 'table.certificate-table tbody tr input[type="checkbox"]',
  nav: (name: string) => `nav[aria-label="Main"] a:text-is("${name}")`,
  appliancesPage: '.appliance-list > *',
  progress: '.progress',
};

/** Waits until no progress indicator is shown. */
export async function waitForIdle(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.progress') === null, undefined, { timeout: timeoutMs, polling: 50 });
}

/** Adds an appliance through the Appliances page's form. */
export async function addAppliance(page: Page, index: number): Promise<void> {
  if ((await page.getByRole('form', { name: 'Add an appliance' }).count()) === 0) await page.getByRole('button', { name: 'Add Appliance' }).click();
  const form = page.getByRole('form', { name: 'Add an appliance' });
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill(`Node ${index}`);
  await form.getByRole('combobox', { name: 'Role' }).selectOption({ index: 2 });
  await form.getByRole('textbox', { name: 'Hostname', exact: true }).fill(`node${index}.bench.example.com`);
  await form.getByRole('textbox', { name: 'Site hostname', exact: true }).fill('support.bench.example.com');
  await form.getByRole('button', { name: 'Save Appliance' }).click();
  await page.getByText(`Added Node ${index} with its own factory default certificate.`).waitFor({ timeout: 60_000 });
  await waitForIdle(page, 60_000);
}

/** Certificate records as an import of `ders` into `applianceId` stores them. */
export async function certificateRecords(applianceId: string, ders: readonly Uint8Array[], importedAt: number): Promise<CertificateEntry[]> {
  const out: CertificateEntry[] = [];
  for (const der of ders) {
    const facts = await readCertificateFacts(der);
    out.push({
      id: `${applianceId}:${facts.sha256}`,
      applianceId,
      sha256: facts.sha256,
      friendlyName: facts.commonName ?? facts.subject,
      der,
      facts,
      factoryDefault: false,
      source: 'imported',
      importedAt,
    });
  }
  return out;
}

/** The appliance ids, oldest first (the first is the default appliance the list shows). */
export function applianceIds(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('certdesk');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = await new Promise<{ id: string; createdAt: number }[]>((resolve, reject) => {
      const request = db.transaction('appliances').objectStore('appliances').getAll();
      request.onsuccess = () => resolve(request.result as { id: string; createdAt: number }[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return all.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)).map((a) => a.id);
  });
}

/** Writes certificate records into the app's database, 500 per transaction. */
export async function writeCertificates(page: Page, records: readonly CertificateEntry[]): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    const batch = records.slice(i, i + 500).map((r) => ({ ...r, der: Buffer.from(r.der).toString('base64') }));
    await page.evaluate(async (list) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('certdesk');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const t = db.transaction('certificates', 'readwrite', { durability: 'strict' });
      for (const r of list) {
        const der = Uint8Array.from(atob(r.der), (c) => c.charCodeAt(0));
        t.objectStore('certificates').put({ ...r, der });
      }
      await new Promise((resolve, reject) => {
        t.oncomplete = resolve;
        t.onerror = () => reject(t.error);
      });
      db.close();
    }, batch);
  }
}

/** The certificates of the benchmark's workspace: the first appliance's `size`, the others' 10 each. */
export function benchCertificates(size: number): { first: Uint8Array[]; other: Uint8Array[] } {
  const first = bulkCertificates(size - 1);
  const other = bulkCertificates(OTHER_APPLIANCE_CERTIFICATES - 1);
  return { first: [first.root, ...first.leaves], other: [other.root, ...other.leaves] };
}

/** PEM text of certificates. */
export function pem(ders: readonly Uint8Array[]): string {
  return ders
    .map((d) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(d).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`)
    .join('');
}

/** Chooses files in the Import form and clicks Upload (the form is opened when closed). */
export async function startImport(page: Page, files: { name: string; buffer: Buffer }[]): Promise<void> {
  if ((await page.locator('form.import-form').count()) === 0) await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('#certificate-file').setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/x-pem-file', buffer: f.buffer })));
}

/** Fills the Create form for an exportable self-signed RSA-4096 certificate. */
export async function fillCreate(page: Page, friendlyName: string): Promise<void> {
  if ((await page.locator('form.create-form').count()) === 0) await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByLabel('Certificate Friendly Name').fill(friendlyName);
  await page.getByLabel('Key', { exact: true }).selectOption({ label: 'RSA 4096' });
  await page.getByLabel('Name (Common Name)', { exact: true }).fill('bench.example.com');
  const exportable = page.getByRole('checkbox', { name: 'Private key exportable' });
  if (!(await exportable.isChecked())) await exportable.click();
}

/** The id of the certificate with this friendly name (read from the app's database). */
export function certificateIdByName(page: Page, friendlyName: string): Promise<string | undefined> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('certdesk');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const id = await new Promise<string | undefined>((resolve, reject) => {
      const request = db.transaction('certificates').objectStore('certificates').openCursor();
      request.onsuccess = () => {
        const cursor = request.result;
        if (!cursor) return resolve(undefined);
        if ((cursor.value as { friendlyName: string }).friendlyName === name) return resolve((cursor.value as { id: string }).id);
        cursor.continue();
      };
      request.onerror = () => reject(request.error);
    });
    db.close();
    return id;
  }, friendlyName);
}

/** Fills the Export page for a PKCS#12 with the key and chain. */
export async function fillExport(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Export', level: 1 }).waitFor({ timeout: 60_000 });
  await page.getByRole('checkbox', { name: 'Include Private Key' }).check();
  await page.getByLabel('Format').selectOption({ label: 'PKCS#12' });
  await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
  await page.getByLabel('Confirm Passphrase').fill('correct horse battery');
}
