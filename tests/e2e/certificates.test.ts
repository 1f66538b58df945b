/**
 * The Security > Certificates workflows of the guide, driven as an admin would: by role and the
 * vocabulary's names. Every file the app writes is read back by the OpenSSL CLI.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { fixture, fixturePath, fixtureText, openssl } from '../support/fixtures';
import { appSuite } from './support/suite';
import { saveDownload, signCsr } from './support/ca';
import { firstPage, screenshot, type TestBrowser } from './support/browser';
import {
  acceptAssignment,
  accessibilityViolations,
  addIpAddress,
  certificateRow,
  createRequest,
  createSelfSigned,
  fillCreateForm,
  importFiles,
  importSummaryText,
  openApp,
  waitForIdle,
  waitForWorkspace,
} from './support/app';

const app = appSuite();
let browser: TestBrowser;

async function open(hash = '#/certificates'): Promise<Page> {
  browser = await app.browser();
  const page = await firstPage(browser);
  await openApp(page, app.url, hash);
  return page;
}

function statusOf(page: Page, name: string) {
  return certificateRow(page, name).locator('.status-list');
}

describe('1. Create a self-signed certificate', () => {
  test('invalid input is shown next to its field before anything is created; SANs are added and removed one by one', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByLabel('Certificate Friendly Name').fill('Bad input');
    await page.getByLabel('Country', { exact: true }).fill('USA');
    await page.getByLabel('Subject Alternative Names', { exact: true }).fill('sup*port.example.com');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.locator('#san-help').innerText()).toMatch(/wildcard/i);
    await page.getByRole('button', { name: 'Create Self-Signed Certificate' }).click();
    // The country's rule shows right under it, tied to it for screen readers.
    const country = page.getByLabel('Country', { exact: true });
    expect(await country.getAttribute('aria-invalid')).toBe('true');
    const help = page.locator(`#${await country.getAttribute('aria-describedby')}`);
    expect(await help.innerText()).toMatch(/two-letter/i);
    await screenshot(page, 'create-invalid-input');
    expect(await page.getByRole('link', { name: 'Bad input', exact: true }).count()).toBe(0);

    for (const san of ['a.example.com', 'b.example.com', 'c.example.com']) {
      await page.getByLabel('Subject Alternative Names', { exact: true }).fill(san);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
    }
    const list = page.getByRole('list', { name: 'Subject Alternative Names added' });
    expect(await list.getByRole('listitem').allInnerTexts()).toHaveLength(3);
    await page.getByRole('button', { name: 'Remove b.example.com' }).click();
    expect((await list.getByRole('listitem').allInnerTexts()).map((t) => t.split('\n')[0])).toEqual(['a.example.com', 'c.example.com']);
    browser.assertClean();
  });

  test('an RSA-4096 certificate is created with progress, the page stays responsive, and it appears as Self-signed', async () => {
    const page = await open();
    await page.evaluate(() => {
      (globalThis as unknown as { longTasks: number[] }).longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) (globalThis as unknown as { longTasks: number[] }).longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    await fillCreateForm(page, {
      friendlyName: 'support.example.com 2026-11',
      key: 'RSA 4096',
      subject: { Country: 'US', 'State/Province': 'Texas', 'City (Locality)': 'Austin', Organization: 'Example Corp', 'Organizational Unit': 'IT', 'Name (Common Name)': 'Example Support' },
      sans: ['support.example.com', '*.example.com'],
      validityDays: 90,
    });
    await page.getByRole('button', { name: 'Create Self-Signed Certificate' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Creating the key' }).count()).toBe(1);
    await screenshot(page, 'create-progress');
    await page.getByRole('link', { name: 'support.example.com 2026-11', exact: true }).waitFor({ timeout: 60_000 });
    await waitForIdle(page);
    const longTasks = await page.evaluate(() => (globalThis as unknown as { longTasks: number[] }).longTasks);
    expect(longTasks.filter((duration) => duration > 200)).toEqual([]);
    expect(await statusOf(page, 'support.example.com 2026-11').innerText()).toContain('Self-signed');
    expect(await statusOf(page, 'support.example.com 2026-11').innerText()).toMatch(/Expires in (89|90) days/);
    await screenshot(page, 'create-self-signed-done');
    browser.assertClean();
  });

  test('generation can be cancelled and then nothing is created', async () => {
    const page = await open();
    await fillCreateForm(page, { friendlyName: 'Cancelled one', key: 'RSA 4096', sans: ['cancel.example.com'] });
    await page.getByRole('button', { name: 'Create Self-Signed Certificate' }).click();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await waitForIdle(page);
    expect(await page.getByRole('link', { name: 'Cancelled one', exact: true }).count()).toBe(0);
    await page.reload();
    await waitForWorkspace(page);
    expect(await page.getByRole('link', { name: 'Cancelled one', exact: true }).count()).toBe(0);
    browser.assertClean();
  });
});

describe('2 and 3. Certificate request, the CA reply and its chain', () => {
  test('the request is created, copied and downloaded; OpenSSL verifies it; the signed reply links and the chain completes from a .p7b', async () => {
    const page = await open();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await createRequest(page, {
      friendlyName: 'appliance.example.test 2026',
      key: 'RSA 2048',
      subject: { Country: 'DE', Organization: 'Example GmbH', 'Name (Common Name)': 'appliance.example.test' },
      sans: ['appliance.example.test', 'support.example.test'],
    });
    await page.getByRole('region', { name: 'Certificate Requests' }).getByRole('link', { name: 'appliance.example.test 2026', exact: true }).click();
    const requestData = page.getByLabel('Request Data');
    const pem = await requestData.inputValue();
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);

    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(pem);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    const file = await saveDownload(download);
    expect(file.name).toMatch(/\.csr$/);
    const verify = openssl(['req', '-in', file.path, '-verify', '-noout', '-text']);
    expect(verify.status).toBe(0);
    expect(verify.stderr + verify.stdout).toMatch(/verify OK|Certificate request self-signature verify OK/);
    expect(verify.stdout).toContain('DNS:appliance.example.test');
    expect(verify.stdout).toContain('DNS:support.example.test');
    await screenshot(page, 'request-details');

    // The CA signs it and sends back only the leaf, as DER.
    const leaf = signCsr(pem);
    await page.getByRole('link', { name: /Back to Certificates/ }).click();
    await importFiles(page, [{ name: 'appliance.cer', buffer: leaf }]);
    expect(await importSummaryText(page)).toMatch(/Linked: 1/);
    const row = certificateRow(page, 'appliance.example.test 2026');
    await expect.poll(() => row.innerText()).toContain('Missing intermediate certificate');
    // The warning names the issuer the admin must import.
    expect(await row.innerText()).toContain('Certdesk Test Intermediate CA rsa');
    expect(await row.innerText()).toMatch(/Available/);
    const requests = page.getByRole('region', { name: 'Certificate Requests' });
    expect(await requests.innerText()).toMatch(/Fulfilled/);
    await screenshot(page, 'reply-missing-intermediate');

    // Then the intermediate and root, in one PKCS#7 bundle.
    await importFiles(page, [{ name: 'ca-bundle.p7c', buffer: fixture('openssl-set/rsa/ca-bundle.p7c') }]);
    await expect.poll(() => row.innerText()).toContain('Chain complete');
    await screenshot(page, 'reply-chain-complete');
    browser.assertClean();
  });

  test('the chain can also come as several files at once, or as pasted PEM', async () => {
    const page = await open();
    await importFiles(page, [{ name: 'server.der', buffer: fixture('openssl-set/rsa/server.der') }]);
    const name = (await page.locator('table.certificate-table a.row-link').allInnerTexts()).find((text) => text !== 'Factory default' && !text.startsWith('Assign IP'))!;
    const row = certificateRow(page, name);
    await expect.poll(() => row.innerText()).toContain('Missing intermediate certificate');
    expect(await row.innerText()).toMatch(/Not available/);

    await importFiles(page, [{ name: 'ica.der', buffer: fixture('openssl-set/rsa/ica.der') }]);
    await expect.poll(() => row.innerText()).toContain('Missing root certificate');

    await page.getByLabel('Paste').fill(fixtureText('openssl-set/rsa/root.pem'));
    await page.getByRole('button', { name: 'Upload' }).click();
    await waitForIdle(page);
    await expect.poll(() => row.innerText()).toContain('Chain complete');

    // Several files at once into a fresh profile.
    await browser.close();
    const second = await open();
    await importFiles(second, [
      { name: 'server.pem', buffer: fixture('openssl-set/ec/server.pem') },
      { name: 'ica.pem', buffer: fixture('openssl-set/ec/ica.pem') },
      { name: 'root.der', buffer: fixture('openssl-set/ec/root.der') },
    ]);
    expect(await importSummaryText(second)).toMatch(/Added: 3/);
    const names = await second.locator('table.certificate-table td[data-label="Friendly Name"] a.row-link').allInnerTexts();
    const server = names.find((text) => text !== 'Factory default' && !/Root|Intermediate|CA/i.test(text));
    expect(server).toBeDefined();
    await expect.poll(() => certificateRow(second, server!).innerText()).toContain('Chain complete');
    browser.assertClean();
  });

  test('when only the root is missing and the built-in store has it, one click adds it', async () => {
    // A real intermediate (Google Trust Services WR2, from x509-limbo's online cases) whose root
    // GTS Root R1 is in the Mozilla store that Certdesk ships.
    const limbo = JSON.parse(gunzipSync(readFileSync(fixturePath('limbo/public.json.gz'))).toString('utf8')) as {
      testcases: { id: string; untrusted_intermediates: string[] }[];
    };
    const wr2 = limbo.testcases.find((c) => c.id === 'online::google.com')!.untrusted_intermediates[0]!;
    const page = await open();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByLabel('Paste').fill(wr2);
    await page.getByRole('button', { name: 'Upload' }).click();
    await waitForIdle(page);
    const name = (await page.locator('table.certificate-table td[data-label="Friendly Name"] a.row-link').allInnerTexts()).find((text) => text !== 'Factory default')!;
    const row = certificateRow(page, name);
    await expect.poll(() => row.innerText()).toContain('Missing root certificate');
    await row.getByRole('button', { name: /Add the root certificate from the built-in store/ }).click();
    await waitForIdle(page);
    await expect.poll(() => row.innerText()).toContain('Chain complete');
    await expect.poll(() => page.locator('table.certificate-table').getByRole('link', { name: /GTS Root R1/ }).count()).toBe(1);
    browser.assertClean();
  });
});

describe('4. Import a PKCS#12 with its password', () => {
  test.each([
    ['a modern file (OpenSSL 3 default)', 'openssl-set/rsa/server-default.p12'],
    ['a legacy file (RC2 + 3DES)', 'openssl-set/rsa/server-legacy-rc2-3des.p12'],
  ])('%s: key, certificate and chain appear', async (_, path) => {
    const page = await open();
    await importFiles(page, [{ name: path.split('/').pop()!, buffer: fixture(path) }], 'changeit');
    const summary = await importSummaryText(page);
    expect(summary).toMatch(/Added: 2/);
    expect(summary).toMatch(/Linked: 1/);
    const names = await page.locator('table.certificate-table td[data-label="Friendly Name"] a.row-link').allInnerTexts();
    expect(names).toHaveLength(4);
    const leafRow = page.locator('table.certificate-table tbody tr').filter({ hasText: 'Server certificate' }).filter({ hasNotText: 'Factory default' });
    expect(await leafRow.innerText()).toMatch(/Available/);
    expect(await leafRow.innerText()).toContain('Chain complete');
    browser.assertClean();
  });

  test('a wrong password shows an alert that says so and adds nothing; drag and drop works like the picker', async () => {
    const page = await open();
    await importFiles(page, [{ name: 'server-default.p12', buffer: fixture('openssl-set/rsa/server-default.p12') }], 'wrong password');
    const alert = page.getByRole('alert').first();
    await expect.poll(() => alert.innerText()).toMatch(/password/i);
    expect(await importSummaryText(page)).toMatch(/Rejected: 1/);
    expect(await page.locator('table.certificate-table tbody tr').count()).toBe(1);
    await screenshot(page, 'pkcs12-wrong-password');

    // Drop the same file onto the drop zone, then upload with the right password.
    const bytes = [...fixture('openssl-set/rsa/server-default.p12')];
    const transfer = await page.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'dropped.p12', { type: 'application/x-pkcs12' }));
      return dt;
    }, bytes);
    await page.getByRole('group', { name: 'Drop files here' }).dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => page.getByRole('list', { name: 'Files to upload' }).innerText()).toContain('dropped.p12');
    await page.getByLabel('Password', { exact: true }).fill('changeit');
    await page.getByRole('button', { name: 'Upload' }).click();
    await waitForIdle(page);
    await expect.poll(() => importSummaryText(page)).toMatch(/Added: 2/);
    expect(await page.locator('table.certificate-table tbody tr').count()).toBe(4);
  });
});

describe('5. Export', () => {
  async function exportPage(page: Page, name: string) {
    await certificateRow(page, name).getByRole('checkbox', { name }).check();
    await page.getByLabel('Select Action').selectOption({ label: 'Export' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('heading', { name: 'Export', level: 1 }).waitFor();
  }

  async function exportWith(page: Page, options: { key?: boolean; chain?: boolean; format: 'PEM' | 'DER' | 'PKCS#7' | 'PKCS#12'; preset?: 'Modern' | 'Legacy'; passphrase?: string }) {
    const key = page.getByRole('checkbox', { name: 'Include Private Key' });
    if ((await key.isChecked()) !== (options.key ?? false)) await key.click();
    const chain = page.getByRole('checkbox', { name: 'Include Certificate Chain' });
    if ((await chain.isChecked()) !== (options.chain ?? false)) await chain.click();
    await page.getByLabel('Format').selectOption({ label: options.format });
    if (options.preset) await page.getByLabel('PKCS#12 compatibility').selectOption(options.preset.toLowerCase());
    if (options.passphrase !== undefined) {
      await page.getByLabel('Passphrase', { exact: true }).fill(options.passphrase);
      await page.getByLabel('Confirm Passphrase').fill(options.passphrase);
    }
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export', exact: true }).click()]);
    return saveDownload(download);
  }

  test('PEM, DER, PKCS#7 and PKCS#12 (Modern and Legacy) are read by OpenSSL and the key matches', async () => {
    const page = await open();
    await importFiles(page, [{ name: 'server-default.p12', buffer: fixture('openssl-set/rsa/server-default.p12') }], 'changeit');
    const leafName = await page.locator('table.certificate-table tbody tr').filter({ hasText: 'Server certificate' }).filter({ hasNotText: 'Factory default' }).locator('a.row-link').first().innerText();
    await exportPage(page, leafName);
    expect(await page.getByText(/Strength/).count()).toBe(0);

    const pem = await exportWith(page, { format: 'PEM', chain: true });
    expect(pem.name).toMatch(/\.pem$/);
    expect(openssl(['crl2pkcs7', '-nocrl', '-certfile', pem.path]).status).toBe(0);
    expect((pem.bytes.toString().match(/BEGIN CERTIFICATE/g) ?? []).length).toBe(3);

    const der = await exportWith(page, { format: 'DER' });
    expect(der.name).toMatch(/\.cer$/);
    const x509 = openssl(['x509', '-inform', 'DER', '-in', der.path, '-noout', '-fingerprint', '-sha256']);
    expect(x509.status).toBe(0);
    const expected = openssl(['x509', '-in', fixturePath('openssl-set/rsa/server.pem'), '-noout', '-fingerprint', '-sha256']).stdout;
    expect(x509.stdout).toBe(expected);

    const p7 = await exportWith(page, { format: 'PKCS#7', chain: true });
    expect(p7.name).toMatch(/\.p7b$/);
    const printed = openssl(['pkcs7', '-inform', 'DER', '-in', p7.path, '-print_certs', '-noout']);
    expect(printed.status).toBe(0);
    expect((printed.stdout.match(/subject=/g) ?? []).length).toBe(3);

    const keyFromFixture = openssl(['pkey', '-in', fixturePath('openssl-set/rsa/server.pkcs8.pem'), '-pubout']).stdout;
    for (const preset of ['Modern', 'Legacy'] as const) {
      await page.getByRole('checkbox', { name: 'Include Private Key' }).check();
      await page.getByLabel('Format').selectOption({ label: 'PKCS#12' });
      await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
      await expect.poll(() => page.getByText(/Strength/).count()).toBeGreaterThan(0);
      const p12 = await exportWith(page, { key: true, chain: true, format: 'PKCS#12', preset, passphrase: 'correct horse battery' });
      expect(p12.name).toMatch(/\.p12$/);
      const legacy = preset === 'Legacy' ? ['-legacy'] : [];
      const info = openssl(['pkcs12', ...legacy, '-info', '-in', p12.path, '-passin', 'pass:correct horse battery', '-noout']);
      expect(info.status, info.stderr).toBe(0);
      expect(info.stderr).toMatch(preset === 'Modern' ? /PBES2.*AES-256-CBC|AES-256-CBC/s : /3DES|TripleDES|pbeWithSHA1And3-KeyTripleDES-CBC/i);
      const key = openssl(['pkcs12', ...legacy, '-in', p12.path, '-passin', 'pass:correct horse battery', '-nocerts', '-nodes']);
      const pub = openssl(['pkey', '-pubout'], key.stdout);
      expect(pub.stdout).toBe(keyFromFixture);
    }
    await screenshot(page, 'export-page');
    browser.assertClean();
  });

  test('a non-exportable key cannot be included, and the page says why', async () => {
    const page = await open();
    await createSelfSigned(page, { friendlyName: 'Locked key', sans: ['locked.example.com'], exportable: false });
    await exportPage(page, 'Locked key');
    const key = page.getByRole('checkbox', { name: 'Include Private Key' });
    expect(await key.isDisabled()).toBe(true);
    // The hint is the loading state's until the export sources are read.
    const hint = page.locator(`#${await key.getAttribute('aria-describedby')}`);
    await expect.poll(() => hint.innerText()).toMatch(/non-exportable/i);
    browser.assertClean();
  });
});

describe('6. Edit Certificate Configuration', () => {
  test('details, private key, readiness problems before saving, explicit confirmation, one certificate per IP', async () => {
    const page = await open();
    await addIpAddress(page, '192.0.2.10', 'support.example.com');
    await addIpAddress(page, '192.0.2.11', 'other.example.net');
    await createSelfSigned(page, { friendlyName: 'Support', sans: ['support.example.com'] });
    await certificateRow(page, 'Support').getByRole('link', { name: /Assign IP/ }).click();
    await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();
    await expect.poll(() => page.getByText('SHA-256 Fingerprint').count()).toBe(1);
    expect(await page.locator('dl.details').first().innerText()).toMatch(/Private Key\s+Available/);

    await page.getByRole('checkbox', { name: '192.0.2.11' }).check();
    const readiness = page.getByRole('region', { name: 'Before you save' });
    await expect.poll(() => readiness.innerText()).toMatch(/does not cover other\.example\.net/);
    expect(await readiness.innerText()).toMatch(/self-signed/i);
    expect(await page.getByRole('button', { name: 'Save Configuration' }).isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: '192.0.2.11' }).uncheck();
    await page.getByRole('checkbox', { name: '192.0.2.10' }).check();
    await expect.poll(() => readiness.innerText()).not.toMatch(/other\.example\.net/);
    await screenshot(page, 'edit-configuration-readiness');
    // A self-signed certificate's root is not in the client software: the deliberate override.
    await acceptAssignment(page);
    await page.getByRole('button', { name: 'Save Configuration' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);

    await page.getByRole('link', { name: /Back to Certificates/ }).click();
    await expect.poll(() => certificateRow(page, 'Support').locator('td[data-label="IP Addresses"]').innerText()).toBe('192.0.2.10');
    expect(await certificateRow(page, 'Factory default').locator('td[data-label="IP Addresses"]').innerText()).toBe('192.0.2.11');
    browser.assertClean();
  });
});

describe('7. Delete', () => {
  test('asks for confirmation, and the friendly name when the private key would be lost', async () => {
    const page = await open();
    await importFiles(page, [{ name: 'root.pem', buffer: fixture('openssl-set/rsa/root.pem') }]);
    await createSelfSigned(page, { friendlyName: 'Only key', sans: ['only.example.com'] });
    const rootName = (await page.locator('table.certificate-table td[data-label="Friendly Name"] a.row-link').allInnerTexts()).find((t) => t !== 'Factory default' && t !== 'Only key')!;

    await certificateRow(page, rootName).getByRole('checkbox', { name: rootName }).check();
    await page.getByLabel('Select Action').selectOption({ label: 'Delete' });
    await page.getByRole('button', { name: 'Apply' }).click();
    let dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toContain(rootName);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByRole('link', { name: rootName, exact: true }).count()).toBe(0);

    await certificateRow(page, 'Only key').getByRole('checkbox', { name: 'Only key' }).check();
    await page.getByLabel('Select Action').selectOption({ label: 'Delete' });
    await page.getByRole('button', { name: 'Apply' }).click();
    dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete' });
    expect(await confirm.isDisabled()).toBe(true);
    await screenshot(page, 'delete-type-name');
    await dialog.getByLabel(/Type the friendly name/).fill('Only ke');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Type the friendly name/).fill('Only key');
    await confirm.click();
    await expect.poll(() => page.getByRole('link', { name: 'Only key', exact: true }).count()).toBe(0);
    browser.assertClean();
  });
});

describe('8. Internal CA', () => {
  test('a local root and intermediate sign a pending request; the certificate is imported and linked in one step', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Create internal CA' }).click();
    await page.getByLabel('CA Name').fill('Example Internal Root');
    await page.getByRole('button', { name: 'Create internal CA' }).click();
    await page.getByRole('link', { name: 'Example Internal Root', exact: true }).waitFor({ timeout: 60_000 });
    await createRequest(page, { friendlyName: 'intranet', sans: ['intranet.example.com'] });
    await page.getByRole('region', { name: 'Certificate Requests' }).getByRole('link', { name: 'intranet', exact: true }).click();
    await page.getByRole('button', { name: 'Sign with internal CA' }).click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor({ timeout: 60_000 });
    expect(await importSummaryText(page)).toMatch(/Linked: 1/);
    await page.getByRole('link', { name: /Back to Certificates/ }).click();
    const names = await page.locator('table.certificate-table td[data-label="Friendly Name"] a.row-link').allInnerTexts();
    const issued = names.find((n) => /intranet/.test(n))!;
    const row = certificateRow(page, issued);
    await expect.poll(() => row.innerText()).toContain('Chain complete');
    expect(await row.innerText()).toMatch(/Available/);
    expect(await page.getByRole('region', { name: 'Certificate Requests' }).innerText()).toMatch(/Fulfilled/);
    browser.assertClean();
  });
});

describe('9. Everything survives a reload, and works offline after the first visit', () => {
  test('a certificate made online is there after a reload and offline, and a new one can be made offline', async () => {
    const page = await open();
    await createSelfSigned(page, { friendlyName: 'Before offline', sans: ['before.example.com'] });
    await page.reload();
    await page.getByRole('link', { name: 'Before offline', exact: true }).waitFor();
    await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated');

    const restore = await app.offline(browser);
    try {
      await page.reload();
      await page.getByRole('link', { name: 'Before offline', exact: true }).waitFor();
      // The page's scripts came from Cache Storage through the service worker's static route
      // (the server's `Vary: Origin` dropped when precached), not through its fetch handler.
      const scripts = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((entry) => new URL(entry.name).pathname.startsWith('/assets/') && entry.name.endsWith('.js'))
          .map((entry) => (entry as PerformanceResourceTiming & { deliveryType: string }).deliveryType),
      );
      // At least the entry and the start's and UI's chunks (vite.config.ts startChunks).
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      expect(new Set(scripts)).toEqual(new Set(['cache-storage']));
      const varied = await page.evaluate(async () => {
        const out: string[] = [];
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const request of await cache.keys()) if ((await cache.match(request))?.headers.has('vary')) out.push(request.url);
        }
        return out;
      });
      expect(varied).toEqual([]);
      await createSelfSigned(page, { friendlyName: 'Made offline', sans: ['offline.example.com'] });
      await importFiles(page, [{ name: 'server-default.p12', buffer: fixture('openssl-set/ec/server-default.p12') }], 'changeit');
      expect(await importSummaryText(page)).toMatch(/Added: 2/);
      await page.reload();
      await page.getByRole('link', { name: 'Made offline', exact: true }).waitFor();
    } finally {
      await restore();
    }
    browser.assertClean();
  });
});
