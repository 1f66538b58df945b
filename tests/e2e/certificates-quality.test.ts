/**
 * The quality bar of the Certificates page: every width from phone to desktop, keyboard alone,
 * and an accessibility scan of each state.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { fixture, fixturePath, openssl, tempDir, writeTemp } from '../support/fixtures';
import { appSuite } from './support/suite';
import { firstPage, horizontalOverflow, openBrowser, screenshot, viewports, type TestBrowser } from './support/browser';
import {
  accessibilityViolations,
  certificateRow,
  createRequest,
  importFiles,
  openApp,
  smallTouchTargets,
  waitForIdle,
} from './support/app';

const app = appSuite();
let browser: TestBrowser;

/** Nothing cut off: no element sticks out of the viewport sideways. */
async function clippedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('main *, header *')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || element.closest('.visually-hidden, .skip-link')) continue;
      if (box.right > width + 1 || box.left < -1) out.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(box.left)}–${Math.round(box.right)} of ${width}`);
    }
    return out.slice(0, 10);
  });
}

/** A workspace with a request, an imported chain with its key, and a certificate missing its chain. */
async function populate(page: Page): Promise<void> {
  await importFiles(page, [{ name: 'server-default.p12', buffer: fixture('openssl-set/rsa/server-default.p12') }], 'changeit');
  await importFiles(page, [{ name: 'client.der', buffer: fixture('openssl-set/ec/client.der') }]);
  await createRequest(page, { friendlyName: 'support.example.com 2026-11', sans: ['support.example.com'] });
}

describe('layout', () => {
  test.each(Object.entries(viewports))('at %s width nothing is cut off, nothing scrolls sideways, tables become cards, targets are 44 px', async (name, viewport) => {
    browser = await app.browser({ viewport });
    const page = await firstPage(browser);
    await openApp(page, app.url);
    await populate(page);
    await page.getByRole('button', { name: 'Dismiss summary' }).click();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await screenshot(page, `certificates-${name}-${viewport.width}x${viewport.height}`);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await clippedElements(page)).toEqual([]);
    expect(await smallTouchTargets(page)).toEqual([]);

    // Under 760 px the certificate table is a list of cards: one block per row, labels shown.
    const display = await page.locator('table.certificate-table tbody tr').first().evaluate((row) => getComputedStyle(row).display);
    expect(display).toBe(viewport.width <= 760 ? 'block' : 'table-row');

    const leaf = page.locator('table.certificate-table tbody tr').filter({ hasText: 'Server certificate' }).filter({ hasNotText: 'Factory default' }).first();
    await leaf.locator('a.row-link').first().click();
    await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();
    await page.getByText('SHA-256 Fingerprint').waitFor();
    await screenshot(page, `edit-configuration-${name}-${viewport.width}x${viewport.height}`);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await clippedElements(page)).toEqual([]);
    browser.assertClean();
  });
});

describe('keyboard alone', () => {
  /** Presses Tab until the element matching `selector` has focus. */
  async function tabTo(page: Page, describe: string, matches: () => boolean | Promise<boolean>): Promise<void> {
    for (let i = 0; i < 120; i++) {
      if (await matches()) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${describe}`);
  }

  const focusedIs = (page: Page, role: string, name: string) => async () =>
    page.evaluate(
      ([role, name]) => {
        const element = document.activeElement as HTMLElement | null;
        if (!element) return false;
        const label = element.getAttribute('aria-label') ?? ((element as HTMLInputElement).labels?.[0]?.textContent ?? element.textContent ?? '');
        const tag = element.tagName.toLowerCase();
        const roles: Record<string, string[]> = { button: ['button'], link: ['a'], textbox: ['input', 'textarea'], combobox: ['select'], checkbox: ['input'] };
        return (roles[role] ?? []).includes(tag) && label.trim().toLowerCase().startsWith(name.toLowerCase());
      },
      [role, name] as const,
    );

  test('create a request, take its Request Data, and import the CA reply with its chain, without a mouse', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    // File choosers are intercepted from the start: the first listener turns interception on
    // without waiting for it, so a chooser opened right after could still open natively.
    page.on('filechooser', () => undefined);
    await openApp(page, app.url);

    await tabTo(page, 'Create', focusedIs(page, 'button', 'Create'));
    await page.keyboard.press('Enter');
    await tabTo(page, 'Certificate Friendly Name', focusedIs(page, 'textbox', 'Certificate Friendly Name'));
    await page.keyboard.type('keyboard.example.com');
    await tabTo(page, 'Name (Common Name)', focusedIs(page, 'textbox', 'Name (Common Name)'));
    await page.keyboard.type('keyboard.example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('keyboard.example.com');
    await page.keyboard.press('Enter'); // Enter in the SAN field adds it
    await expect.poll(() => page.getByRole('list', { name: 'Subject Alternative Names added' }).innerText()).toContain('keyboard.example.com');
    await tabTo(page, 'Create Certificate Request', focusedIs(page, 'button', 'Create Certificate Request'));
    await page.keyboard.press('Enter');
    const requestLink = page.getByRole('region', { name: 'Certificate Requests' }).getByRole('link', { name: 'keyboard.example.com', exact: true });
    await requestLink.waitFor({ timeout: 60_000 });
    await waitForIdle(page);

    await tabTo(page, 'the request link', async () => (await requestLink.evaluate((el) => el === document.activeElement)));
    await page.keyboard.press('Enter');
    const requestData = page.getByLabel('Request Data');
    await requestData.waitFor();
    const pem = await requestData.inputValue();
    // The same rule table a CA applies, on the request page: nothing to refuse in this one.
    await expect.poll(() => page.getByRole('region', { name: 'Before you send it to a CA' }).innerText(), { timeout: 30_000 }).toContain('Nothing a public CA would refuse');

    // The CA signs it (the test plays the CA) and the reply comes back as DER.
    const dir = tempDir();
    const leaf = join(dir, 'leaf.der');
    expect(
      openssl(['x509', '-req', '-in', writeTemp(dir, 'r.csr', pem), '-CA', fixturePath('openssl-set/rsa/ica.pem'), '-CAkey', fixturePath('openssl-set/rsa/ica.pkcs8.pem'), '-set_serial', '7', '-days', '30', '-copy_extensions', 'copy', '-extfile', writeTemp(dir, 'e.cnf', 'authorityKeyIdentifier=keyid\nextendedKeyUsage=serverAuth\n'), '-outform', 'DER', '-out', leaf]).status,
    ).toBe(0);

    await tabTo(page, 'Back to Certificates', focusedIs(page, 'link', '← Back to Certificates'));
    await page.keyboard.press('Enter');
    await tabTo(page, 'Import', focusedIs(page, 'button', 'Import'));
    await page.keyboard.press('Enter');
    await tabTo(page, 'Certificate file', async () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'file'));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles([
      { name: 'reply.cer', mimeType: 'application/pkix-cert', buffer: readFileSync(leaf) },
      { name: 'ca-bundle.p7c', mimeType: 'application/pkcs7-mime', buffer: Buffer.from(fixture('openssl-set/rsa/ca-bundle.p7c')) },
    ]);
    await tabTo(page, 'Upload', focusedIs(page, 'button', 'Upload'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Import summary' }).waitFor({ timeout: 60_000 });
    const row = certificateRow(page, 'keyboard.example.com');
    await expect.poll(() => row.innerText()).toContain('Chain complete');
    expect(await row.innerText()).toContain('Available');
    expect(await page.getByRole('region', { name: 'Certificate Requests' }).innerText()).toMatch(/Fulfilled/);
    // The focus ring is visible where the keyboard is.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    browser.assertClean();
  });
});

describe('accessibility', () => {
  test('axe finds no serious or critical violation in any state of the page', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await openApp(page, app.url);
    const states: [string, () => Promise<void>][] = [
      ['empty list', async () => {}],
      ['create form with an error', async () => {
        await page.getByRole('button', { name: 'Create', exact: true }).click();
        await page.getByLabel('Country', { exact: true }).fill('USA');
        await page.getByRole('button', { name: 'Create Self-Signed Certificate' }).click();
      }],
      ['import form and summary', async () => {
        await populate(page);
      }],
      ['request details', async () => {
        await page.getByRole('region', { name: 'Certificate Requests' }).getByRole('link').first().click();
        await page.getByLabel('Request Data').waitFor();
      }],
      ['edit configuration', async () => {
        await page.goto(app.url + '/#/certificates');
        const leaf = page.locator('table.certificate-table tbody tr').filter({ hasText: 'Server certificate' }).filter({ hasNotText: 'Factory default' }).first();
        await leaf.locator('a.row-link').first().click();
        await page.getByText('SHA-256 Fingerprint').waitFor();
      }],
      ['export page', async () => {
        await page.goto(app.url + '/#/certificates');
        await page.locator('table.certificate-table tbody tr input[type="checkbox"]').first().check();
        await page.getByLabel('Select Action').selectOption({ label: 'Export' });
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.getByLabel('Format').selectOption({ label: 'PKCS#12' });
      }],
      ['delete dialog', async () => {
        await page.goto(app.url + '/#/certificates');
        await page.locator('table.certificate-table tbody tr input[type="checkbox"]').nth(1).check();
        await page.getByLabel('Select Action').selectOption({ label: 'Delete' });
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.getByRole('dialog').waitFor();
      }],
    ];
    const found: string[] = [];
    for (const [state, reach] of states) {
      await reach();
      for (const violation of await accessibilityViolations(page)) found.push(`${state}: ${violation}`);
    }
    expect(found).toEqual([]);
    browser.assertClean();
  });
});
