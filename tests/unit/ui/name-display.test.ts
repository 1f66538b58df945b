/**
 * Issue 12, "Display and leaks": certificates whose CN is built to look like another name, imported
 * through the store as any admin would, and what the page model and the picture of Status > Basics
 * say about them (the browser test checks the table and the viewer themselves).
 */
import { describe, expect, test } from 'vitest';
import { attr, buildChain, generalName, name } from '../../support/chain-factory';
import { freshWorkspace } from '../store/support';
import { basicsLines, basicsModel } from '../../../src/ui/state/basics-picture';
import { nameDisplay, nameWarningWords } from '../../../src/ui/state/name-display';

/** A leaf certificate with this CN (and an honest dNSName), with its chain. */
function leafWithCn(cn: string): Uint8Array[] {
  const chain = buildChain({ leaf: (spec) => ({ ...spec, subject: name([attr.cn(cn)]) }), leafNames: [generalName.dns('appliance.example.test')] });
  return [chain.leaf.der, ...chain.intermediates.map((c) => c.der), chain.root.der];
}

async function basicsText(cn: string): Promise<{ text: string; issuedTo: string }> {
  const { ws } = await freshWorkspace();
  const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
  const [leaf, ...chain] = leafWithCn(cn);
  await ws.importFiles(applianceId, [{ name: 'leaf.der', bytes: leaf! }, ...chain.map((der, i) => ({ name: `ca-${i}.der`, bytes: der }))]);
  const view = (await ws.listWorkspace()).appliances[0]!;
  const certificate = view.certificates.find((c) => c.facts.commonName === cn)!;
  const text = basicsLines(basicsModel(view, new Map(), Date.parse('2026-06-01T12:00:00Z')))
    .map((l) => l.text)
    .join('\n');
  ws.close();
  return { text, issuedTo: certificate.facts.commonName! };
}

describe('regressions (issue 12, Display and leaks)', () => {
  test('a right-to-left-override CN no longer displays as "appliance.example.test": its control is shown and a warning says so', async () => {
    const { text, issuedTo } = await basicsText('\u202Etset.elpmaxe.ecnailppa');
    expect(issuedTo).toBe('\u202Etset.elpmaxe.ecnailppa'); // stored as the certificate says
    expect(text).toContain('issued to ⟨U+202E⟩tset.elpmaxe.ecnailppa');
    expect(text).not.toContain('\u202E');
    expect(text).toContain('▲ Hidden characters in this name: \\u202Etset.elpmaxe.ecnailppa');
  });

  test('a Cyrillic-homoglyph CN is flagged as look-alike letters, with its exact characters', async () => {
    const { text } = await basicsText('\u0430ppliance.example.test');
    expect(text).toContain('issued to \u0430ppliance.example.test');
    expect(text).toContain('▲ Look-alike letters in this name: \\u0430ppliance.example.test');
  });
});

describe('the words a flagged name gets', () => {
  test.each([
    ['appliance.example.test', undefined],
    ['bücher.example', undefined],
    ['a\u200Bb.example', 'Hidden characters in this name'],
    ['\u0430pple.example', 'Look-alike letters in this name'],
    ['xn--pple-43d.example', 'Look-alike letters in this name'],
  ])('%j → %s', (value, words) => expect(nameWarningWords(nameDisplay(value))).toBe(words));
});
