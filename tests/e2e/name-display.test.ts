/**
 * Issue 12, "Display and leaks": two certificates whose CNs are made to read "appliance.example.test"
 * (a right-to-left override; a Cyrillic а), imported as an admin would, and what the certificate
 * table and the certificate viewer show: the made-visible text, the warning in words, the exact
 * characters on request (keyboard too), at a phone's and a desktop's width.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { attr, buildChain, generalName, name } from '../support/chain-factory';
import { appSuite } from './support/suite';
import { horizontalOverflow, screenshot, viewports } from './support/browser';
import { accessibilityViolations, importFiles, smallTouchTargets } from './support/app';

const app = appSuite();

const RTL_CN = '\u202Etset.elpmaxe.ecnailppa';
const CYRILLIC_CN = '\u0430ppliance.example.test';

function leaf(cn: string): Uint8Array {
  return buildChain({ leaf: (spec) => ({ ...spec, subject: name([attr.cn(cn)]) }), leafNames: [generalName.dns('appliance.example.test')] }).leaf.der;
}

/** The row of the certificate table whose friendly-name link reads `text`. */
function row(page: Page, text: string) {
  return page.locator('table.certificate-table tbody tr').filter({ has: page.getByRole('link', { name: text, exact: true }) });
}

describe('look-alike names in the certificate table and viewer', () => {
  test.each([
    ['phone', viewports.phone],
    ['desktop', viewports.desktop],
  ] as const)('at %s width', async (label, viewport) => {
    const { page } = await app.open({ viewport });
    await importFiles(page, [
      { name: 'rtl.der', buffer: leaf(RTL_CN) },
      { name: 'cyrillic.der', buffer: leaf(CYRILLIC_CN) },
    ]);
    await page.getByRole('button', { name: 'Dismiss summary' }).click();

    // The table: nothing anywhere reads as the honest name; each row says what is wrong in words.
    const main = page.locator('main');
    expect(await main.innerText()).not.toContain('\u202E');
    const rtl = row(page, '⟨U+202E⟩tset.elpmaxe.ecnailppa');
    const cyrillic = row(page, CYRILLIC_CN);
    await expect.poll(() => rtl.count()).toBe(1);
    await expect.poll(() => cyrillic.count()).toBe(1);
    expect(await rtl.getByText('Hidden characters in this name').count()).toBeGreaterThan(0);
    expect(await cyrillic.getByText('Look-alike letters in this name').count()).toBeGreaterThan(0);
    // The checkbox is named by the visible text, not by the hidden control.
    expect(await page.getByRole('checkbox', { name: '⟨U+202E⟩tset.elpmaxe.ecnailppa', exact: true }).count()).toBe(1);

    // The exact characters, behind a disclosure the keyboard opens.
    const disclosure = rtl.locator('details.name-warning').first();
    expect(await disclosure.getAttribute('open')).toBeNull();
    await disclosure.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await disclosure.getAttribute('open')).not.toBeNull();
    await expect.poll(() => disclosure.getByText('\\u202Etset.elpmaxe.ecnailppa').isVisible()).toBe(true);
    expect(await disclosure.innerText()).toContain('right-to-left override, U+202E');
    const cyrillicDisclosure = cyrillic.locator('details.name-warning').first();
    await cyrillicDisclosure.locator('summary').click();
    await expect.poll(() => cyrillicDisclosure.getByText('\\u0430ppliance.example.test').isVisible()).toBe(true);
    expect(await cyrillicDisclosure.innerText()).toContain('mixes Cyrillic and Latin letters');

    await screenshot(page, `name-display-table-${label}-${viewport.width}x${viewport.height}`);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The viewer of the right-to-left one: Issued To says CN=⟨U+202E⟩… with the warning.
    await rtl.getByRole('link', { name: '⟨U+202E⟩tset.elpmaxe.ecnailppa', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();
    const issuedTo = page.locator('dl.details dt', { hasText: 'Issued To' }).locator('xpath=following-sibling::dd[1]');
    await expect.poll(() => issuedTo.innerText()).toContain('CN=⟨U+202E⟩tset.elpmaxe.ecnailppa');
    expect(await issuedTo.innerText()).toContain('Hidden characters in this name');
    await issuedTo.locator('summary').click();
    await expect.poll(() => issuedTo.getByText('CN=\\u202Etset.elpmaxe.ecnailppa').isVisible()).toBe(true);
    expect(await main.innerText()).not.toContain('\u202E');
    await screenshot(page, `name-display-viewer-${label}-${viewport.width}x${viewport.height}`);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // And the Cyrillic one's viewer.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates' }).click();
    await row(page, CYRILLIC_CN).getByRole('link', { name: CYRILLIC_CN, exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();
    await expect.poll(() => issuedTo.innerText()).toContain(`CN=${CYRILLIC_CN}`);
    expect(await issuedTo.innerText()).toContain('Look-alike letters in this name');
  });
});
