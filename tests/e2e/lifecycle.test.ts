/**
 * The second year, as an admin lives it with the guide beside the app: the first CA certificate
 * goes in through the guided client-software steps (Change CA), then a renewal from the same CA
 * replaces it, then a re-key moves to another CA with a deliberate, logged override, and the
 * event log shows all of it. The tests of the story share one browser profile and run in order;
 * expiry planning and the smaller warnings have profiles of their own. Driven by role and the
 * vocabulary's names (docs/ui-vocabulary-additions.md); every file Certdesk writes is read back
 * by the OpenSSL CLI (or a strict parser, for CSV and iCalendar).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { fixture, openssl, tempDir, writeTemp } from '../support/fixtures';
import { appSuite } from './support/suite';
import { firstPage, horizontalOverflow, openBrowser, type TestBrowser } from './support/browser';
import { acceptAssignment, addIpAddress, certificateRow, createRequest, importFiles, openApp, waitForIdle } from './support/app';
import { opensslCsr, pemBlocks, saveDownload, signCsr, verifyChain } from './support/ca';
import { screenshotsAt, exportPem, requestPem, parseCsv, checkICalendar } from './support/lifecycle';

const app = appSuite();
const DAY = 86_400_000;

function words(page: Page, name: string) {
  return certificateRow(page, name).locator('.status-list');
}

async function openEdit(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates' }).click();
  await page.getByRole('link', { name, exact: true }).first().click();
  await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();
}

describe('the second year: change CA, renew, re-key (one profile, in order)', () => {
  let browser: TestBrowser;
  let page: Page;
  let firstCsr = '';

  beforeAll(async () => {
    browser = await openBrowser(app.url);
    page = await firstPage(browser);
    await openApp(page, app.url);
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('3. Change CA: the first CA certificate goes in only after the guided client-software steps', async () => {
    await addIpAddress(page, '192.0.2.10', 'support.example.com');
    await createRequest(page, { friendlyName: 'Support 2026', subject: { 'Name (Common Name)': 'support.example.com', Organization: 'Example Corp' }, sans: ['support.example.com'] });
    firstCsr = await requestPem(page, 'Support 2026');
    await page.getByRole('link', { name: /Back to Certificates/ }).click();
    await importFiles(page, [
      { name: 'support.cer', buffer: signCsr(firstCsr, { ca: 'rsa', days: 200 }) },
      { name: 'ca-bundle.p7c', buffer: fixture('openssl-set/rsa/ca-bundle.p7c') },
    ]);
    // A new root arrived: the import summary prompts for the support package.
    expect(await page.getByRole('region', { name: 'Import summary' }).innerText()).toMatch(/New root certificate/);
    await expect.poll(() => words(page, 'Support 2026').innerText()).toContain('Chain complete');
    expect(await words(page, 'Support 2026').innerText()).toContain('Not assigned');

    await certificateRow(page, 'Support 2026').getByRole('link', { name: /Assign IP/ }).click();
    await page.getByRole('checkbox', { name: '192.0.2.10' }).check();
    const steps = page.getByRole('region', { name: /New root: prepare the client software first/ });
    await steps.waitFor();
    expect(await page.getByRole('region', { name: 'Before you save' }).innerText()).toMatch(/not built into My appliance's installed client software/);
    // The old "assign anyway" box no longer passes the client-software check.
    expect(await page.getByRole('checkbox', { name: /I understand|I accept/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save Configuration' }).isDisabled()).toBe(true);
    expect(await steps.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringMatching(/Build the support package[\s\S]*Next/),
      expect.stringMatching(/Record the software-update request[\s\S]*To do/),
      expect.stringMatching(/Record the installed update[\s\S]*To do/),
      expect.stringMatching(/Wait 24–48 hours[\s\S]*To do/),
    ]);
    await screenshotsAt(page, 'guided-ca-change', steps);

    // Step 1: the support package; OpenSSL verifies the chain it carries.
    const [zipDownload] = await Promise.all([page.waitForEvent('download'), steps.getByRole('button', { name: 'Support Package' }).click()]);
    const zip = await JSZip.loadAsync((await saveDownload(zipDownload)).bytes);
    const crts = Object.keys(zip.files).filter((name) => name.endsWith('.crt')).sort();
    expect(crts).toHaveLength(3);
    const [leaf, ica, root] = await Promise.all(crts.map((name) => zip.file(name)!.async('string')));
    const verified = verifyChain(leaf!, [ica!], root!);
    expect(verified.status, verified.stderr).toBe(0);
    expect(Object.keys(zip.files).some((name) => /\.(p12|pfx|key)$/.test(name))).toBe(false);

    // Steps 2 and 3: the request sent with the package, then the new build installed.
    await steps.getByRole('button', { name: 'Record request' }).click();
    await expect.poll(() => steps.getByRole('listitem').nth(1).innerText()).toMatch(/Done/);
    await steps.getByRole('button', { name: 'Record installation' }).click();
    // Step 4: the guide's 24–48 h wait, with its dates; the gate stays closed meanwhile.
    await expect.poll(() => steps.getByRole('listitem').nth(3).innerText()).toMatch(/Waiting[\s\S]*not before .* better after /);
    expect(await page.getByRole('region', { name: 'Before you save' }).innerText()).toMatch(/installed less than 24 hours ago/);
    expect(await page.getByRole('button', { name: 'Save Configuration' }).isDisabled()).toBe(true);
    await screenshotsAt(page, 'guided-ca-change-waiting', steps);

    // Three days later (the page's clock moves; the data stays): the sequence is complete.
    await page.clock.install({ time: Date.now() + 3 * DAY });
    await page.reload();
    await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();
    await page.getByRole('checkbox', { name: '192.0.2.10' }).check();
    await expect.poll(() => page.getByText('Ready: no problems found').count()).toBe(1);
    expect(await steps.count()).toBe(0);
    await page.getByRole('button', { name: 'Save Configuration' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);
    browser.assertClean();
  });

  test('1. Renew: the reply to the same request shows "Renews", Replace previews and moves every IP; the old one stays, Replaced', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates' }).click();
    // The CA renews from the request it kept on file: same key, later expiry.
    await importFiles(page, [{ name: 'renewed.cer', buffer: signCsr(firstCsr, { ca: 'rsa', days: 400 }) }]);
    const renewed = certificateRow(page, 'support.example.com');
    await expect.poll(() => renewed.locator('.status-list').innerText()).toContain('Renews Support 2026');
    expect(await renewed.innerText()).toMatch(/Next: replace "Support 2026"/);

    await renewed.getByRole('link', { name: /^Replace/ }).click();
    await page.getByRole('heading', { name: 'Replace certificate' }).waitFor();
    const coverage = page.getByRole('region', { name: 'Coverage' });
    await coverage.waitFor();
    expect((await coverage.getByRole('row').allInnerTexts()).slice(1).map((row) => row.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^192\.0\.2\.10 \(support\.example\.com\) ✓ Covered ✓ Covered$/),
      expect.stringMatching(/^support\.example\.com \(site hostname\) ✓ Covered ✓ Covered$/),
      expect.stringMatching(/^appliance\.example\.com \(appliance hostname\) ✕ Not covered ✕ Not covered$/),
    ]);
    const chain = await page.getByRole('region', { name: 'Chain and client software' }).innerText();
    expect(chain.match(/Root built into the client software/g)).toHaveLength(2);
    expect(await page.getByRole('region', { name: 'Expiry' }).innerText()).toMatch(/\+20\d days/);
    expect(await page.getByRole('checkbox', { name: 'Carry the friendly name over' }).isChecked()).toBe(true);
    await screenshotsAt(page, 'replace-preview', page.getByRole('heading', { name: 'Replace certificate' }));
    await page.getByRole('button', { name: 'Replace', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Replaced:' }).count()).toBe(1);

    await page.getByRole('link', { name: /Back to Certificates/ }).click();
    await expect.poll(() => certificateRow(page, 'Support 2026').locator('td[data-label="IP Addresses"]').innerText()).toBe('192.0.2.10');
    expect(await words(page, 'Support 2026 (replaced)').innerText()).toContain('Replaced');
    expect(await certificateRow(page, 'Support 2026 (replaced)').locator('td[data-label="IP Addresses"]').innerText()).toBe('Replaced');

    // What Certdesk writes for the renewed certificate — the chain, as PEM — OpenSSL verifies.
    const exported = pemBlocks((await exportPem(page, 'Support 2026')).toString());
    expect(exported).toHaveLength(3);
    const check = verifyChain(exported[0]!, [exported[1]!], exported[2]!);
    expect(check.status, check.stderr).toBe(0);
    expect(openssl(['x509', '-noout', '-enddate'], exported[0]!).stdout).toMatch(new RegExp(String(new Date(Date.now() + 400 * DAY).getUTCFullYear())));
    browser.assertClean();
  });

  test('2 and 3. Re-key to another CA: a prefilled request with a new key; its reply replaces only with the typed override, logged', async () => {
    await openEdit(page, 'Support 2026');
    await page.getByRole('link', { name: /^Re-key/ }).click();
    await page.getByRole('heading', { name: /^Re-key/ }).waitFor();
    await page.getByLabel('Certificate Friendly Name').waitFor();
    expect(await page.getByLabel('Name (Common Name)', { exact: true }).inputValue()).toBe('support.example.com');
    expect(await page.getByLabel('Organization', { exact: true }).inputValue()).toBe('Example Corp');
    expect(await page.getByRole('list', { name: 'Subject Alternative Names added' }).innerText()).toContain('support.example.com');
    expect(await page.getByRole('button', { name: 'Create Self-Signed Certificate' }).count()).toBe(0);
    await page.getByLabel('Key', { exact: true }).selectOption({ label: 'RSA 2048' });
    await page.getByRole('button', { name: 'Create Certificate Request' }).click();
    await page.getByRole('heading', { name: /Certificate request: Support 2026 \(re-key\)/ }).waitFor({ timeout: 60_000 });
    const csr = await page.getByLabel('Request Data').inputValue();
    const dir = tempDir();
    const verified = openssl(['req', '-in', writeTemp(dir, 'rekey.csr', csr), '-verify', '-noout', '-text']);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stderr + verified.stdout).toMatch(/verify OK/);
    expect(verified.stdout).toMatch(/Subject: .*O ?= ?Example Corp, CN ?= ?support\.example\.com/);
    expect(verified.stdout).toContain('DNS:support.example.com');
    expect(verified.stdout).toMatch(/Public Key Algorithm: rsaEncryption/);
    // A new key: not the one of the first request.
    const spki = (pem: string) => openssl(['req', '-noout', '-pubkey'], pem).stdout;
    expect(spki(csr)).not.toBe(spki(firstCsr));

    // The other CA (EC root, not in the client software) signs it.
    await page.getByRole('link', { name: /Back to Certificates/ }).click();
    await importFiles(page, [
      { name: 'rekeyed.cer', buffer: signCsr(csr, { ca: 'ec', days: 397 }) },
      { name: 'ec-bundle.p7c', buffer: fixture('openssl-set/ec/ca-bundle.p7c') },
    ]);
    const rekeyed = certificateRow(page, 'Support 2026 (re-key)');
    await expect.poll(() => rekeyed.locator('.status-list').innerText()).toContain('Renews Support 2026');
    await rekeyed.getByRole('link', { name: /^Replace/ }).click();
    await page.getByRole('region', { name: 'Coverage' }).waitFor();
    expect(await page.getByRole('region', { name: 'Chain and client software' }).innerText()).toMatch(/Root built into the client software[\s\S]*Root not in the client software/);
    await page.getByRole('region', { name: /New root: prepare the client software first/ }).waitFor();
    const replace = page.getByRole('button', { name: 'Replace', exact: true });
    expect(await replace.isDisabled()).toBe(true);
    await screenshotsAt(page, 'replace-new-ca', page.getByRole('heading', { name: 'Replace certificate' }));

    await page.getByText('Override the client-software check').click();
    await page.getByLabel('Type the appliance name to confirm').fill('My applianc');
    await page.getByLabel('Reason for the override').fill('=HYPERLINK("x") clients pinned by MDM, CHG-4711');
    expect(await replace.isDisabled()).toBe(true);
    await page.getByLabel('Type the appliance name to confirm').fill('My appliance');
    await expect.poll(() => replace.isDisabled()).toBe(false);
    await replace.click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Replaced:' }).count()).toBe(1);
    browser.assertClean();
  });

  test('6. Event log: newest first, per appliance and all, filtered by kind, overrides and replacements with before/after, CSV', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appliances' }).click();
    await page.getByRole('link', { name: 'Event log', exact: true }).click();
    await page.getByRole('heading', { name: 'Event log' }).waitFor();
    const table = page.getByRole('table', { name: 'Events, newest first' });
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(10);
    const times = await table.locator('time').evaluateAll((nodes) => nodes.map((n) => Date.parse(n.getAttribute('datetime')!)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The replacement and its override are the newest two (they may share a millisecond).
    const kinds = await table.locator('td[data-label="Kind"]').allInnerTexts();
    expect(kinds.slice(0, 2).sort()).toEqual(['Certificate replaced', 'Override']);

    await page.getByLabel('Kind').selectOption({ label: 'Override' });
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    const override = await table.getByRole('row').nth(1).innerText();
    expect(override).toMatch(/Overrode the client-software check on My appliance/);
    expect(override).toMatch(/Before\s+The root of "Support 2026 \(re-key\)" is not built into/);
    expect(override).toMatch(/After\s+"Support 2026" replaced by "Support 2026 \(re-key\)"/);
    expect(override).toMatch(/Reason\s+=HYPERLINK\("x"\) clients pinned by MDM, CHG-4711/);

    await page.getByLabel('Kind').selectOption({ label: 'Certificate replaced' });
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    expect(await table.getByRole('row').nth(2).innerText()).toMatch(/Before\s+192\.0\.2\.10 served by "Support 2026"[\s\S]*After\s+192\.0\.2\.10 served by "support\.example\.com"/);

    await page.getByLabel('Kind').selectOption({ label: 'All kinds' });
    await page.getByLabel('Events of').selectOption({ label: 'My appliance' });
    await expect.poll(async () => (await table.innerText()).includes('Workspace created')).toBe(false);
    await screenshotsAt(page, 'event-log', page.getByRole('heading', { name: 'Event log' }));

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = parseCsv((await saveDownload(csvDownload)).bytes.toString('utf8'));
    expect(csv[0]).toEqual(['Time (UTC)', 'Appliance', 'Kind', 'What', 'Before', 'After', 'Reason']);
    expect(csv.length - 1).toBe((await table.getByRole('row').count()) - 1);
    const overrideRow = csv.find((row) => row[2] === 'Override')!;
    // A cell that would start a formula is written as text.
    expect(overrideRow[6]).toBe(`'=HYPERLINK("x") clients pinned by MDM, CHG-4711`);
    const csvTimes = csv.slice(1).map((row) => Date.parse(row[0]!));
    expect(csvTimes).toEqual([...csvTimes].sort((a, b) => b - a));
    browser.assertClean();
  });
});

describe('4. Expiry planning', () => {
  test('act-by from editable lead times drives the words; the list sorts and filters; the report prints on A4 and exports CSV and iCalendar', async () => {
    const { browser, page } = await app.open();
    // A certificate with 20 days left from a CA whose root the client software lacks: the
    // default lead time (5 + 10 + 2 + 7 = 24 days) has passed its act-by date: amber.
    const short = signCsr(opensslCsr('/CN=short.example.com', 'DNS:short.example.com'), { ca: 'rsa', days: 20 });
    const long = signCsr(opensslCsr('/CN=long.example.net', 'DNS:long.example.net,DNS:www.long.example.net'), { ca: 'ec', days: 300 });
    await importFiles(page, [
      { name: 'short.cer', buffer: short },
      { name: 'long.cer', buffer: long },
      { name: 'rsa.p7c', buffer: fixture('openssl-set/rsa/ca-bundle.p7c') },
      { name: 'ec.p7c', buffer: fixture('openssl-set/ec/ca-bundle.p7c') },
    ]);
    const shortWords = words(page, 'short.example.com');
    await expect.poll(() => shortWords.innerText()).toMatch(/Expires in (19|20) days/);
    expect(await shortWords.locator('li.warn').allInnerTexts()).toEqual([expect.stringMatching(/Expires in/), expect.stringMatching(/Act by/)]);

    // Shorter lead times on the appliance turn it green again: the threshold is the plan, not 30 days.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appliances' }).click();
    await page.getByLabel('Client-software build (days)').fill('0');
    await page.getByLabel('Margin (days)').fill('3');
    await page.getByRole('button', { name: /Save lead times/ }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved. Act-by dates' }).count()).toBe(1);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates' }).click();
    await expect.poll(() => shortWords.locator('li.ok').allInnerTexts()).toEqual([expect.stringMatching(/Chain complete/), expect.stringMatching(/Expires in/)]);

    // Sort and filter: by act-by date, status, issuer, SAN and name.
    const names = () => page.locator('table.certificate-table td[data-label="Friendly Name"] > .safe-name > a.row-link').allInnerTexts();
    await page.getByLabel('Sort by').selectOption({ label: 'Act-by date, soonest first' });
    expect((await names())[0]).toBe('short.example.com');
    await page.getByLabel('SAN contains').fill('www.long');
    await expect.poll(names).toEqual(['long.example.net']);
    await page.getByLabel('SAN contains').fill('');
    const rsaIssuer = (await page.getByLabel('Issuer').locator('option').allInnerTexts()).find((text) => text.includes('Intermediate CA rsa'))!;
    await page.getByLabel('Issuer').selectOption({ label: rsaIssuer });
    await expect.poll(names).toEqual(['short.example.com']);
    await page.getByLabel('Issuer').selectOption({ label: 'Any issuer' });
    await page.getByLabel('Act by').selectOption({ label: 'Within 30 days' });
    await expect.poll(names).toEqual(['short.example.com']);
    await page.getByLabel('Act by').selectOption({ label: 'Any time' });
    await page.getByLabel('Status').selectOption({ label: 'Not assigned' });
    await expect.poll(names).toEqual(['short.example.com', 'long.example.net']);
    await page.getByLabel('Search certificates').fill('long');
    await expect.poll(names).toEqual(['long.example.net']);
    expect(await page.getByRole('status').filter({ hasText: 'Showing 1 of 7 certificates' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(async () => (await names()).length).toBe(7);

    // The report: CSV and iCalendar from the same rows.
    await page.getByRole('link', { name: 'Expiry report' }).click();
    await page.getByRole('heading', { name: 'Expiry report' }).waitFor();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = parseCsv((await saveDownload(csvDownload)).bytes.toString('utf8'));
    expect(csv[0]).toEqual(['Appliance', 'Role', 'Certificate', 'Kind', 'Issued to', 'Issued by', 'Subject Alternative Names', 'IP addresses', 'Valid from', 'Expires', 'Act by', 'Lead time (days)', 'Status']);
    expect(csv).toHaveLength(8);
    const shortRow = csv.find((row) => row[2] === 'short.example.com')!;
    const shortEnd = new Date(openssl(['x509', '-inform', 'DER', '-noout', '-enddate'], short).stdout.replace('notAfter=', '').trim());
    expect(shortRow[9]).toBe(shortEnd.toISOString().slice(0, 10));
    expect(shortRow[11]).toBe('10');
    expect(shortRow[10]).toBe(new Date(shortEnd.getTime() - 10 * DAY).toISOString().slice(0, 10));

    const calendarOnce = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download calendar/ }).click()]);
      return (await saveDownload(download)).bytes.toString('utf8');
    };
    const first = checkICalendar(await calendarOnce());
    expect(first.events).toHaveLength(7);
    const shortSha = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], short).stdout.split('=')[1]!.replace(/:/g, '').trim().toLowerCase();
    const shortEvent = first.events.find((e) => e.uid.startsWith(shortSha))!;
    expect(shortEvent.start).toBe(shortEnd.getTime());
    expect(shortEvent.alarms).toEqual([shortEnd.getTime() - 10 * DAY, shortEnd.getTime()]);
    // A re-export carries the same UIDs (calendars update, not duplicate) and a higher SEQUENCE.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = checkICalendar(await calendarOnce());
    expect(second.events.map((e) => e.uid).sort()).toEqual(first.events.map((e) => e.uid).sort());
    expect(second.events[0]!.sequence).toBeGreaterThan(first.events[0]!.sequence);

    // Printed on A4: only the report, every column readable.
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await page.locator('.report-table thead').first().isVisible()).toBe(true);
    await screenshotsAt(page, 'expiry-report-a4', undefined, [{ width: 794, height: 1123 }]);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
    browser.assertClean();
  }, 180_000);
});

describe('5. The guide\'s smaller warnings', () => {
  test('IP SANs at creation and import, the new-root prompt, Not assigned with its next step, site hostname, suggested certificate, Atlas rebuild, certification path', async () => {
    const { browser, page } = await app.open();
    // IP address SANs: warned in the Create form as they are added…
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByLabel('Subject Alternative Names', { exact: true }).fill('192.0.2.5');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByRole('note').filter({ hasText: 'does not recommend IP addresses' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Close' }).click();
    // … and at import (the openssl-set server certificate lists 192.0.2.10 and 2001:db8::10).
    await importFiles(page, [{ name: 'server-default.p12', buffer: fixture('openssl-set/rsa/server-default.p12') }], 'changeit');
    const summary = page.getByRole('region', { name: 'Import summary' });
    expect(await summary.innerText()).toMatch(/lists IP addresses 192\.0\.2\.10, 2001:db8::10[\s\S]*does not recommend/);
    expect(await summary.innerText()).toMatch(/New root certificate: Certdesk Test Root CA rsa/);
    await summary.getByRole('link', { name: 'Build the support package' }).waitFor();

    const server = 'appliance server (rsa)';
    await expect.poll(() => words(page, server).innerText()).toContain('Not assigned');
    expect(await certificateRow(page, server).innerText()).toMatch(/Next: assign it to the IP addresses/);

    // The support package says the certificate does not cover the site hostname.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Basics' }).click();
    await page.getByLabel('Certificate to send').selectOption({ label: server });
    await expect.poll(() => page.getByText(/does not cover support\.example\.com, the site hostname/).count()).toBe(1);

    // A new IP whose A-record the certificate covers: it is suggested, one click to assign.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appliances' }).click();
    await page.getByLabel('IP Address', { exact: true }).first().fill('192.0.2.30');
    await page.getByLabel('DNS Name', { exact: true }).first().fill('node1.mgmt.example.test');
    await page.getByRole('button', { name: 'Add IP Address' }).first().click();
    const suggestion = page.getByRole('link', { name: `Assign ${server} to 192.0.2.30` });
    await suggestion.waitFor();
    await suggestion.click();
    await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();

    // Assign it (its root is not in the client software: the deliberate override), so the site has a served certificate.
    await page.getByRole('checkbox', { name: '192.0.2.30' }).check();
    await acceptAssignment(page);
    await page.getByRole('button', { name: 'Save Configuration' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);

    // The certification path: leaf → intermediate → root, each opening its own details.
    const path = page.getByRole('list', { name: 'Certification path, leaf first' });
    await expect.poll(() => path.getByRole('listitem').count()).toBe(3);
    expect((await path.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/appliance server \(rsa\) Server certificate · Imported/),
      expect.stringMatching(/Certdesk Test Intermediate CA rsa Intermediate certificate · Imported/),
      expect.stringMatching(/Certdesk Test Root CA rsa Root certificate · Imported/),
    ]);
    await path.getByRole('link', { name: 'Certdesk Test Root CA rsa' }).click();
    await page.getByRole('heading', { name: 'Certdesk Test Root CA rsa', level: 2 }).waitFor();

    // An Atlas traffic node whose hostname the site's certificate does not cover: rebuild warning.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appliances' }).click();
    await page.getByRole('button', { name: 'Add Appliance' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Node 2');
    await page.getByLabel('Hostname', { exact: true }).fill('node2.other.test');
    await page.getByLabel('Site hostname', { exact: true }).fill('support.example.com');
    await page.getByLabel('Role').selectOption({ label: 'Atlas traffic node' });
    await page.getByRole('button', { name: 'Save Appliance' }).click();
    const nodeWarnings = page.getByRole('list', { name: 'Warnings for Node 2' });
    await expect.poll(() => nodeWarnings.innerText()).toMatch(/does not cover node2\.other\.test of Node 2[\s\S]*rebuild of the client software/);
    // And the site hostname, for every role: the primary's served certificate does not cover it.
    expect(await page.getByRole('list', { name: 'Warnings for My appliance' }).innerText()).toMatch(/does not cover support\.example\.com, the site hostname/);

    // A root from the built-in store shows where it came from in the path.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates' }).click();
    const wr2 = await builtInIntermediate();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByLabel('Paste').fill(wr2);
    await page.getByRole('button', { name: 'Upload' }).click();
    await waitForIdle(page);
    await page.getByRole('link', { name: /WR2/, exact: false }).first().click();
    const wr2Path = page.getByRole('list', { name: 'Certification path, leaf first' });
    await expect.poll(() => wr2Path.innerText()).toMatch(/GTS Root R1[\s\S]*Missing: not on this appliance — the built-in root store has it/);
    await wr2Path.getByRole('button', { name: 'Add the root certificate from the built-in store' }).click();
    await expect.poll(() => wr2Path.innerText()).toMatch(/GTS Root R1\s+Root certificate · From the built-in root store/);
    await screenshotsAt(page, 'certification-path', page.getByRole('heading', { name: 'Certification Path' }));
    browser.assertClean();
  }, 180_000);
});

/** A real intermediate whose root (GTS Root R1) Certdesk's built-in store has (x509-limbo's online cases). */
async function builtInIntermediate(): Promise<string> {
  const { gunzipSync } = await import('node:zlib');
  const limbo = JSON.parse(gunzipSync(fixture('limbo/public.json.gz')).toString('utf8')) as { testcases: { id: string; untrusted_intermediates: string[] }[] };
  return limbo.testcases.find((c) => c.id === 'online::google.com')!.untrusted_intermediates[0]!;
}
