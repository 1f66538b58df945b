import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../src/core/appliance/certificate-facts';
import type { CertificateView } from '../../../src/store/workspace';
import { CHOICES_SHOWN, certificateChoices } from '../../../src/ui/state/certificate-choices';
import { certificateView, loadFacts } from '../appliance/lifecycle-support';

let server: CertificateFacts;

function view(id: string, dnsName: string): CertificateView {
  const facts = { ...server, sha256: id.padEnd(64, '0'), dnsNames: [dnsName] };
  return certificateView(id, facts, server.notBefore, { friendlyName: `Host ${id}` });
}

beforeAll(async () => {
  server = (await loadFacts()).server;
});

describe('certificateChoices', () => {
  const ids = (choices: ReturnType<typeof certificateChoices>) => choices.groups.flatMap((g) => g.certificates.map((c) => c.id));

  it('offers every certificate of a small appliance, in its groups', () => {
    const a = [view('a1', 'one.example.com'), view('a2', 'two.example.com')];
    const b = [view('b1', 'three.example.com')];
    const choices = certificateChoices([{ label: 'A', certificates: a }, { label: 'B', certificates: b }], '', '');
    expect(choices.groups.map((g) => [g.label, g.certificates.map((c) => c.id)])).toEqual([['A', ['a1', 'a2']], ['B', ['b1']]]);
    expect(choices).toMatchObject({ shown: 3, matching: 3, total: 3 });
  });

  it('shows at most CHOICES_SHOWN of thousands, the chosen one always among them', () => {
    const many = Array.from({ length: 2_000 }, (_, i) => view(`c${i}`, `host${i}.bulk.example.com`));
    const choices = certificateChoices([{ label: 'Big', certificates: many }], '', 'c1999');
    expect(choices).toMatchObject({ matching: 2_000, total: 2_000, shown: CHOICES_SHOWN + 1 });
    expect(ids(choices).slice(0, 3)).toEqual(['c0', 'c1', 'c2']);
    expect(ids(choices).at(-1)).toBe('c1999');
  });

  it('narrows by every word of the search, in names and SANs, and drops groups left empty', () => {
    const many = Array.from({ length: 200 }, (_, i) => view(`c${i}`, `host${i}.bulk.example.com`));
    const choices = certificateChoices([{ label: 'Big', certificates: many }, { label: 'Other', certificates: [view('o1', 'mail.example.org')] }], 'HOST19 bulk', '');
    expect(ids(choices)).toEqual(['c19', 'c190', 'c191', 'c192', 'c193', 'c194', 'c195', 'c196', 'c197', 'c198', 'c199']);
    expect(choices.groups.map((g) => g.label)).toEqual(['Big']);
    expect(choices).toMatchObject({ shown: 11, matching: 11, total: 201 });
  });
});
