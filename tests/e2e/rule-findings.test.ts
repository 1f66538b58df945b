/**
 * Issue 10, "verdicts per client family": a chain that breaks one rule (a leaf without
 * extendedKeyUsage), imported as an admin would, and what the certificate viewer says — the rule
 * that fired, who refuses it, its source — with the Baseline Requirements notes (no
 * authorityInfoAccess) folded behind their count, at a phone's and a desktop's width.
 */
import { describe, expect, test } from 'vitest';
import { OID } from '../../src/core/pki/asn1';
import { buildChain, compose, time, withFields, withoutExtension } from '../support/chain-factory';
import { appSuite } from './support/suite';
import { horizontalOverflow, screenshot, viewports } from './support/browser';
import { accessibilityViolations, importFiles } from './support/app';

const app = appSuite();
const day = 86_400_000;

/**
 * Root, intermediate and a leaf valid today whose extendedKeyUsage is left out (a rule Safari
 * enforces) and so is its authorityInfoAccess (a Baseline Requirements note only).
 */
function chainWithoutEku() {
  const now = Date.now();
  return buildChain({
    leaf: compose(withoutExtension(OID.extKeyUsage), withoutExtension(OID.authorityInfoAccess), withFields({ notBefore: time(new Date(now - 10 * day)), notAfter: time(new Date(now + 80 * day)) })),
  });
}

describe('rule findings in the certificate viewer', () => {
  test.each([
    ['phone', viewports.phone],
    ['desktop', viewports.desktop],
  ] as const)('at %s width: the broken rule, who refuses it, and the folded notes', async (label, viewport) => {
    const chain = chainWithoutEku();
    const { page } = await app.open({ viewport });
    await importFiles(page, [
      { name: 'root.der', buffer: chain.root.der },
      { name: 'intermediate.der', buffer: chain.intermediates[0]!.der },
      { name: 'leaf.der', buffer: chain.leaf.der },
    ]);
    await page.getByRole('button', { name: 'Dismiss summary' }).click();
    await page.getByRole('link', { name: 'appliance.example.com', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();

    const broken = page.getByRole('region', { name: 'Validation rules broken' });
    await expect.poll(() => broken.innerText(), { timeout: 20_000 }).toContain('leaf-without-extended-key-usage');
    const text = (await broken.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('has no extendedKeyUsage');
    expect(text).toContain('Refused by Safari');
    expect(text).toMatch(/Source: .*CABF BR §7\.1\.2\.7/);

    // The notes are there, folded: the summary names their count and opens with the keyboard.
    const notes = page.getByRole('region', { name: 'Baseline Requirements notes' });
    const fold = notes.locator('details');
    expect(await fold.getAttribute('open')).toBeNull();
    expect(await notes.locator('summary').innerText()).toMatch(/^Show the (note|\d+ notes)$/);
    await notes.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await fold.getAttribute('open')).not.toBeNull();
    expect((await notes.innerText()).replace(/\s+/g, ' ')).toContain('missing-authority-info-access');

    await screenshot(page, `rule-findings-${label}-${viewport.width}x${viewport.height}`);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
