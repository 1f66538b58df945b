/**
 * The Appliances page, driven as an admin would: by role and the vocabulary's names. A failover
 * pair is built from the default appliance and a new backup: IP addresses, a certificate created
 * on the Certificates page, replicated with its key and chain, assigned on both, checked.
 * Then the encrypted backup goes to a fresh browser profile and comes back.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot, tempDir } from '../support/fixtures';
import { appSuite } from './support/suite';
import { firstPage, horizontalOverflow, screenshot, viewports, type TestBrowser } from './support/browser';
import { acceptAssignment, accessibilityViolations, createSelfSigned, smallTouchTargets, waitForIdle, headingLevelSkips } from './support/app';

/** A tall phone page saved in 1,300 px slices as well, so each part can be looked at. */
async function screenshotSlices(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const width = page.viewportSize()?.width ?? 390;
  for (let y = 0, i = 1; y < height; y += 1300, i++) {
    await page.screenshot({ path: join(projectRoot, 'test-results', 'screenshots', `${name}-part${i}.png`), fullPage: true, clip: { x: 0, y, width, height: Math.min(1300, height - y) } });
  }
}

const app = appSuite();

async function open(hash = '#/appliances', viewport: { width: number; height: number } = viewports.desktop): Promise<{ page: Page; browser: TestBrowser }> {
  const browser = await app.browser({ viewport });
  const page = await firstPage(browser);
  await page.goto(`${app.url}/${hash}`);
  await card(page, 'My appliance').waitFor({ timeout: 30_000 });
  return { page, browser };
}

const nav = (page: Page, name: 'Certificates' | 'Basics' | 'Appliances') =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

/** An appliance's card: a region named after the appliance. */
function card(page: Page, name: string) {
  return page.getByRole('region', { name, exact: true });
}

async function addAppliance(page: Page, input: { name: string; role: 'Primary' | 'Backup' | 'Atlas traffic node'; hostname: string; site: string }) {
  if ((await page.getByRole('form', { name: 'Add an appliance' }).count()) === 0) await page.getByRole('button', { name: 'Add Appliance' }).click();
  const form = page.getByRole('form', { name: 'Add an appliance' });
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill(input.name);
  await form.getByRole('combobox', { name: 'Role' }).selectOption({ label: input.role });
  await form.getByRole('textbox', { name: 'Hostname', exact: true }).fill(input.hostname);
  await form.getByRole('textbox', { name: 'Site hostname', exact: true }).fill(input.site);
  await form.getByRole('button', { name: 'Save Appliance' }).click();
  await card(page, input.name).waitFor({ timeout: 30_000 });
  await waitForIdle(page);
}

async function addIp(page: Page, appliance: string, ip: string, dnsName: string) {
  const c = card(page, appliance);
  await c.getByRole('textbox', { name: 'IP Address', exact: true }).fill(ip);
  await c.getByRole('textbox', { name: 'DNS Name', exact: true }).fill(dnsName);
  await c.getByRole('button', { name: 'Add IP Address' }).click();
  await c.getByRole('list', { name: `IP addresses of ${appliance}` }).getByText(ip, { exact: true }).waitFor();
  await waitForIdle(page);
}

async function failoverResult(page: Page): Promise<string> {
  const region = page.getByRole('region', { name: 'Failover check' });
  await region.getByRole('button', { name: 'Check failover' }).click();
  const result = region.getByRole('status');
  await result.waitFor();
  return (await result.innerText()).replace(/\s+/g, ' ');
}

/** Assigns `certificate` to `ip` on the selected appliance through Edit Certificate Configuration. */
async function assign(page: Page, certificate: string, ip: string) {
  await nav(page, 'Certificates');
  await page.getByRole('link', { name: certificate, exact: true }).click();
  await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();
  await page.getByRole('checkbox', { name: ip, exact: true }).check();
  await acceptAssignment(page);
  await page.getByRole('button', { name: 'Save Configuration' }).click();
  await page.getByText(`now serves ${ip}`).waitFor({ timeout: 20_000 });
}

async function selectAppliance(page: Page, label: string) {
  await page.getByRole('combobox', { name: 'Appliance', exact: true }).selectOption({ label });
}

describe('Appliances', () => {
  test('a failover pair: add the backup, IPs on factory default, replicate, assign on both, failover identical, Atlas covered', async () => {
    const { page, browser } = await open();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Appliances' }).count()).toBe(1);

    // The form explains each rule under its field as the admin types.
    await page.getByRole('button', { name: 'Add Appliance' }).click();
    const form = page.getByRole('form', { name: 'Add an appliance' });
    await form.getByRole('textbox', { name: 'Hostname', exact: true }).fill('bad host');
    await expect.poll(() => form.getByText('"bad host" is not a valid hostname').count()).toBe(1);
    expect(await form.getByRole('textbox', { name: 'Hostname', exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByRole('combobox', { name: 'Role' }).locator('option').allInnerTexts()).toEqual(['Primary', 'Backup', 'Atlas traffic node']);
    await form.getByRole('button', { name: 'Save Appliance' }).click();
    await expect.poll(() => form.getByText('Give the appliance a name').count()).toBe(1);
    await addAppliance(page, { name: 'Backup appliance', role: 'Backup', hostname: 'backup.example.com', site: 'support.example.com' });
    const backup = card(page, 'Backup appliance');
    expect(await backup.innerText()).toMatch(/Backup[\s\S]*backup\.example\.com[\s\S]*support\.example\.com/);
    // Its factory default stays its own: nothing to replicate from it.
    expect(await backup.getByRole('region', { name: 'Replicate to another appliance' }).innerText()).toContain('Nothing to replicate yet');

    // Same site hostname, nothing served yet: the core calls the pair identical.
    const vacuous = await failoverResult(page);
    expect(vacuous).toMatch(/Identical: My appliance and Backup appliance/);
    expect(vacuous).toContain('Neither has an IP address yet');

    // IP addresses with their DNS names are served by the factory default certificate.
    await card(page, 'My appliance').getByRole('textbox', { name: 'IP Address', exact: true }).fill('192.0.2.300');
    await expect.poll(() => card(page, 'My appliance').getByText('is not an IP address').count()).toBe(1);
    await addIp(page, 'My appliance', '192.0.2.10', 'appliance.example.com');
    await addIp(page, 'Backup appliance', '192.0.2.20', 'backup.example.com');
    for (const name of ['My appliance', 'Backup appliance']) {
      const row = card(page, name).getByRole('listitem').filter({ hasText: '192.0.2.' });
      expect((await row.innerText()).replace(/\s+/g, ' ')).toMatch(/Served by Factory default.*browsers warn; iOS, Android and Linux clients refuse it/);
    }
    expect(await backup.getByRole('status').innerText()).toContain('factory default certificate serves it');
    const different = await failoverResult(page);
    expect(different).toMatch(/Different: 2 differences/);
    expect(different).toContain('still serves its factory default certificate');

    // One exportable and one non-exportable certificate on the primary.
    await nav(page, 'Certificates');
    await createSelfSigned(page, { friendlyName: 'Pair certificate', sans: ['support.example.com', '*.example.com'], exportable: true });
    await createSelfSigned(page, { friendlyName: 'Local only', sans: ['appliance.example.com'], exportable: false });
    await nav(page, 'Appliances');

    const replicate = card(page, 'My appliance').getByRole('region', { name: 'Replicate to another appliance' });
    await replicate.getByRole('combobox', { name: 'Certificate to replicate' }).selectOption({ label: 'Local only (key not exportable)' });
    await expect.poll(() => replicate.getByText('was created non-exportable, so it can never leave this browser').count()).toBe(1);
    expect(await replicate.getByRole('button', { name: 'Replicate' }).isDisabled()).toBe(true);
    await replicate.getByRole('combobox', { name: 'Certificate to replicate' }).selectOption({ label: 'Pair certificate' });
    await replicate.getByRole('combobox', { name: 'Copy to' }).selectOption({ label: 'Backup appliance' });
    await replicate.getByRole('button', { name: 'Replicate' }).click();
    await replicate.getByText('Copied "Pair certificate" with its private key to Backup appliance.').waitFor();
    await screenshot(page, 'appliances-replicated-1440x900');

    // Serve it on both, then the pair is identical.
    await assign(page, 'Pair certificate', '192.0.2.10');
    await selectAppliance(page, 'Backup appliance (Backup)');
    await assign(page, 'Pair certificate', '192.0.2.20');
    expect(await page.getByText('Private Key').locator('..').innerText()).toContain('Available');
    await nav(page, 'Appliances');
    expect(await failoverResult(page)).toMatch(/Identical: My appliance and Backup appliance serve identical certificates/);

    // Atlas: the one certificate covers the site hostname and each appliance's names.
    const atlas = page.getByRole('region', { name: 'Atlas coverage' });
    await atlas.getByRole('combobox', { name: 'Certificate' }).selectOption({ label: 'Pair certificate' });
    await atlas.getByRole('button', { name: 'Check Atlas coverage' }).click();
    const names = (await atlas.getByRole('list', { name: 'Names' }).innerText()).replace(/\s+/g, ' ');
    for (const name of ['support.example.com (site hostname): Covered', 'appliance.example.com (My appliance): Covered', 'backup.example.com (Backup appliance): Covered']) {
      expect(names).toContain(name);
    }

    // In production, kept across a reload.
    await backup.getByRole('checkbox', { name: 'In production' }).check();
    await backup.getByText('Clients use this appliance now').waitFor();
    await page.reload();
    await card(page, 'Backup appliance').waitFor();
    expect(await card(page, 'Backup appliance').getByRole('checkbox', { name: 'In production' }).isChecked()).toBe(true);

    // The client-software update: requested, then installed with the certificate sent; the 24–48 h wait shows.
    const software = card(page, 'My appliance').getByRole('region', { name: 'Client software' });
    await software.getByText('Record a software update').click();
    await software.getByLabel('Software update requested').fill('2026-11-20T09:30');
    await software.getByRole('button', { name: 'Record request' }).click();
    await software.getByText('Recorded: update requested').waitFor();
    await software.getByRole('checkbox', { name: 'Pair certificate' }).check();
    await software.getByRole('button', { name: 'Record installation' }).click();
    await software.getByText('Recorded: update installed').waitFor();
    const facts = (await software.locator('dl').innerText()).replace(/\s+/g, ' ');
    expect(facts).toMatch(/Roots built in Factory default, Pair certificate/);
    expect(facts).toMatch(/Software update requested Nov 20, 2026/);
    expect(facts).toMatch(/Wait 24–48 h after the update: not before/);

    await screenshot(page, 'appliances-1440x900');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    browser.assertClean();
  });

  test('phone width: cards, no sideways scrolling, every control ≥ 44 px, headings in order', async () => {
    const { page, browser } = await open('#/appliances', viewports.phone);
    await addAppliance(page, { name: 'Atlas node 1', role: 'Atlas traffic node', hostname: 'node1.example.com', site: 'support.example.com' });
    await addIp(page, 'Atlas node 1', '2001:db8::20', 'node1.example.com');
    await screenshotSlices(page, 'appliances-390x844');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotSlices(page, 'appliances-390x844-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await headingLevelSkips(page)).toEqual([]);
    // The default appliance is edited to match the admin's: a bad hostname is explained first.
    const mine = card(page, 'My appliance');
    await mine.getByRole('button', { name: 'Edit My appliance' }).click();
    const edit = mine.getByRole('form', { name: 'Edit My appliance' });
    await edit.getByRole('textbox', { name: 'Site hostname', exact: true }).fill('support..example.com');
    await expect.poll(() => edit.getByText('is not a valid site hostname').count()).toBe(1);
    await edit.getByRole('textbox', { name: 'Name', exact: true }).fill('Primary Berlin');
    await edit.getByRole('textbox', { name: 'Site hostname', exact: true }).fill('Remote.Example.com');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const renamed = card(page, 'Primary Berlin');
    await renamed.waitFor();
    expect(await renamed.locator('dl').first().innerText()).toContain('remote.example.com');
    expect(await page.getByRole('combobox', { name: 'Appliance', exact: true }).locator('option').allInnerTexts()).toContain('Primary Berlin (Primary)');

    // Keyboard: Add Appliance is reached by Tab and opens the form with Enter.
    await page.getByRole('button', { name: 'Add Appliance' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: 'Add an appliance' }).waitFor();
    // No inline style (the CSP forbids it); Playwright's screenshots leave empty style="" on inputs.
    expect(await page.locator('[style]:not([style=""])').evaluateAll((els) => els.map((e) => e.outerHTML.slice(0, 120)))).toEqual([]);
    browser.assertClean();
  });

  test('backup: download with passphrase (non-exportable keys listed), restore in a fresh profile with a summary', async () => {
    const { page, browser } = await open();
    await addAppliance(page, { name: 'Backup appliance', role: 'Backup', hostname: 'backup.example.com', site: 'support.example.com' });
    await addIp(page, 'Backup appliance', '192.0.2.20', 'backup.example.com');

    const backupForm = page.getByRole('form', { name: 'Download backup' });
    await backupForm.getByLabel('Backup passphrase', { exact: true }).fill('short');
    await expect.poll(() => backupForm.getByText('Use at least 8 characters').count()).toBe(1);
    await backupForm.getByLabel('Backup passphrase', { exact: true }).fill('correct horse battery');
    await backupForm.getByLabel('Confirm backup passphrase').fill('correct horse battery!');
    await expect.poll(() => backupForm.getByText('Type the same passphrase again.').count()).toBe(1);
    await backupForm.getByLabel('Confirm backup passphrase').fill('correct horse battery');
    const [download] = await Promise.all([page.waitForEvent('download'), backupForm.getByRole('button', { name: 'Download backup' }).click()]);
    const path = join(tempDir('certdesk-backup-'), download.suggestedFilename());
    await download.saveAs(path);
    const bytes = readFileSync(path);
    expect(download.suggestedFilename()).toMatch(/^certdesk-backup-.*\.certdesk$/);
    const saved = page.getByRole('region', { name: 'Backup and restore' }).getByRole('status');
    await saved.waitFor();
    // Both factory default keys are non-exportable: listed as not included.
    const savedText = (await saved.innerText()).replace(/\s+/g, ' ');
    expect(savedText).toMatch(/with 0 private keys\. Not included — these keys were created non-exportable/);
    expect(savedText).toContain('Factory default key (My appliance)');
    expect(savedText).toContain('Factory default key (Backup appliance)');

    const storage = page.getByRole('region', { name: 'Storage' });
    expect(await storage.innerText()).toMatch(/Persisted|Not persisted|does not say/);
    expect(await storage.innerText()).toMatch(/Using \d/);
    browser.assertClean();

    // A fresh profile: its own default appliance, then the restore adds ours.
    const other = await open();
    const restore = other.page.getByRole('form', { name: 'Restore backup' });
    await restore.getByLabel('Backup file').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/octet-stream', buffer: bytes });
    await restore.getByLabel('Passphrase of the backup').fill('wrong passphrase');
    await restore.getByRole('button', { name: 'Restore backup' }).click();
    await expect.poll(() => other.page.getByRole('alert').innerText()).toMatch(/passphrase/i);
    await restore.getByLabel('Passphrase of the backup').fill('correct horse battery');
    await restore.getByRole('button', { name: 'Restore backup' }).click();
    const summary = other.page.getByRole('region', { name: 'Backup and restore' }).getByRole('status');
    await summary.waitFor({ timeout: 30_000 });
    expect((await summary.innerText()).replace(/\s+/g, ' ')).toMatch(/Restored: 2 appliance\(s\), 2 certificate\(s\), 0 key\(s\)/);
    // The fresh profile's untouched starter appliance gave way: one "My appliance", the restored one.
    expect(await summary.innerText()).toMatch(/unused starter appliance “My appliance”/);
    await expect.poll(() => card(other.page, 'My appliance').count()).toBe(1);
    await card(other.page, 'Backup appliance').waitFor();
    expect(await card(other.page, 'Backup appliance').getByRole('list', { name: 'IP addresses of Backup appliance' }).innerText()).toContain('192.0.2.20');
    other.browser.assertClean();
  });
});
