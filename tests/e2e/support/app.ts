/**
 * Steps an admin takes in Certdesk, driven by role and the vocabulary's names, shared by the
 * browser tests. Each step waits for what a person would wait for: the list, the status words.
 */
import type { Locator, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';

/** Opens the app and waits until the workspace (with its factory default certificate) is shown. */
export async function openApp(page: Page, url: string, hash = '#/certificates'): Promise<void> {
  await page.goto(url + '/' + hash);
  await waitForWorkspace(page);
}

/** Until the workspace is read and listed: the first screen kept from the last start (aria-busy) is not yet the workspace. */
export async function waitForWorkspace(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Factory default', exact: true }).first().waitFor({ timeout: 30_000 });
  await page.locator('table.certificate-table:not([aria-busy="true"])').waitFor({ timeout: 30_000 });
}

/** The row of the certificates table whose friendly name link is `name`. */
export function certificateRow(page: Page, name: string): Locator {
  return page
    .locator('table.certificate-table tbody tr')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
}

export async function waitForIdle(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.progress').count(), { timeout: 60_000 }).toBe(0);
}

export interface CreateOptions {
  friendlyName: string;
  key?: 'RSA 2048' | 'RSA 3072' | 'RSA 4096' | 'ECDSA P-256' | 'ECDSA P-384';
  subject?: Partial<Record<'Country' | 'State/Province' | 'City (Locality)' | 'Organization' | 'Organizational Unit' | 'Name (Common Name)', string>>;
  sans?: string[];
  exportable?: boolean;
  validityDays?: number;
}

/** Fills the Create form (opening it when closed). */
export async function fillCreateForm(page: Page, options: CreateOptions): Promise<void> {
  const form = page.locator('form.create-form');
  if ((await form.count()) === 0) await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByLabel('Certificate Friendly Name').fill(options.friendlyName);
  await page.getByLabel('Key', { exact: true }).selectOption({ label: options.key ?? 'ECDSA P-256' });
  for (const [label, value] of Object.entries(options.subject ?? { 'Name (Common Name)': options.friendlyName })) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  for (const san of options.sans ?? []) {
    await page.getByLabel('Subject Alternative Names', { exact: true }).fill(san);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
  }
  const exportable = page.getByRole('checkbox', { name: 'Private key exportable' });
  if ((await exportable.isChecked()) !== (options.exportable ?? true)) await exportable.click();
  if (options.validityDays !== undefined) await page.getByLabel('Validity (days, self-signed only)').fill(String(options.validityDays));
}

export async function createSelfSigned(page: Page, options: CreateOptions): Promise<void> {
  await fillCreateForm(page, options);
  await page.getByRole('button', { name: 'Create Self-Signed Certificate' }).click();
  await page.getByRole('link', { name: options.friendlyName, exact: true }).waitFor({ timeout: 60_000 });
  // The form closes once the action is done: wait for it, so a next Create opens a fresh one.
  await page.locator('form.create-form').waitFor({ state: 'detached' });
}

export async function createRequest(page: Page, options: CreateOptions): Promise<void> {
  await fillCreateForm(page, options);
  await page.getByRole('button', { name: 'Create Certificate Request' }).click();
  await page
    .getByRole('region', { name: 'Certificate Requests' })
    .getByRole('link', { name: options.friendlyName, exact: true })
    .waitFor({ timeout: 60_000 });
  await page.locator('form.create-form').waitFor({ state: 'detached' });
}

/** Uploads files (name + bytes) through the Import form's file input, with an optional password. */
export async function importFiles(
  page: Page,
  files: { name: string; buffer: Buffer | Uint8Array; mimeType?: string }[],
  password?: string,
): Promise<void> {
  if ((await page.locator('form.import-form').count()) === 0) await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByLabel('Certificate file').setInputFiles(
    files.map((file) => ({ name: file.name, mimeType: file.mimeType ?? 'application/octet-stream', buffer: Buffer.from(file.buffer) })),
  );
  if (password !== undefined) await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByRole('heading', { name: 'Import summary' }).waitFor({ timeout: 60_000 });
  await waitForIdle(page);
}

/** The import summary's counts line. */
export async function importSummaryText(page: Page): Promise<string> {
  return (await page.getByRole('region', { name: 'Import summary' }).innerText()).replace(/\s+/g, ' ');
}

/** Adds an IP address with its DNS name on the Appliances page, then returns to Certificates. */
export async function addIpAddress(page: Page, ip: string, dnsName: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appliances' }).click();
  await page.getByLabel('IP Address', { exact: true }).first().fill(ip);
  await page.getByLabel('DNS Name', { exact: true }).first().fill(dnsName);
  await page.getByRole('button', { name: 'Add IP Address' }).first().click();
  await page.getByText(ip, { exact: true }).first().waitFor();
  await waitForIdle(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates' }).click();
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // evaluate() runs through the DevTools protocol, so the page's CSP still holds for the app.
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.targets.slice(0, 3).join(', ')}`);
}

/** Elements that can be clicked or tapped but are smaller than 44×44 CSS pixels. */
export async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('button, a[href], select, input:not([type="hidden"]), textarea, summary')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not rendered
      if (element.closest('.visually-hidden')) continue;
      // A checkbox or radio is reached through its label, which is part of the target.
      let target = box;
      if (element instanceof HTMLInputElement && (element.type === 'checkbox' || element.type === 'radio')) {
        const label = element.closest('label') ?? (element.id ? document.querySelector<HTMLElement>(`label[for="${element.id}"]`) : null);
        if (label) {
          const l = label.getBoundingClientRect();
          target = new DOMRect(Math.min(box.left, l.left), Math.min(box.top, l.top), Math.max(box.right, l.right) - Math.min(box.left, l.left), Math.max(box.bottom, l.bottom) - Math.min(box.top, l.top));
        }
      }
      // Links inside running text are exempt (WCAG 2.5.8 inline exception).
      if (element.tagName === 'A' && getComputedStyle(element).display === 'inline') continue;
      if (target.height < 43.5 || target.width < 43.5) {
        out.push(`${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}" ${Math.round(target.width)}×${Math.round(target.height)}`);
      }
    }
    return out;
  });
}

/** Heading levels in `main` that skip a level (h2 → h4), or that do not start at h1. */
export async function headingLevelSkips(page: Page): Promise<string[]> {
  const levels = await page.locator('main').evaluate((main) => [...main.querySelectorAll('h1, h2, h3, h4')].map((h) => Number(h.tagName[1])));
  const out: string[] = [];
  if (levels[0] !== 1) out.push(`first heading is h${levels[0]}`);
  for (let i = 1; i < levels.length; i++) {
    if (levels[i]! - levels[i - 1]! > 1) out.push(`h${levels[i - 1]} followed by h${levels[i]}`);
  }
  return out;
}

/**
 * Answers Edit Certificate Configuration's questions so Save Configuration can go on: when the
 * root is not in the client software, the deliberate override (the appliance's name as its
 * hint asks, and `reason`); then the acceptance of the remaining problems, if any is asked.
 */
export async function acceptAssignment(page: Page, reason = 'test appliance, clients managed'): Promise<void> {
  const accept = page.getByRole('checkbox', { name: /I understand|I accept/ });
  const ready = page.getByText('Ready: no problems');
  const override = page.getByText('Override the client-software check');
  await expect.poll(async () => (await accept.count()) + (await ready.count()) + (await override.count()), { timeout: 20_000 }).toBeGreaterThan(0);
  if (await override.count()) {
    await override.click();
    const name = page.getByLabel('Type the appliance name to confirm');
    const hint = await page.locator(`[id="${await name.getAttribute('aria-describedby')}"]`).innerText();
    await name.fill(hint.replace(/^Type /, ''));
    await page.getByLabel('Reason for the override').fill(reason);
  }
  if (await accept.count()) await accept.check();
}
