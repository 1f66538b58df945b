import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CertificateFacts } from '../../../src/core/appliance/certificate-facts';
import type { CertificateView } from '../../../src/store/workspace';
import { NO_FILTER, certificateRows, filterRows, issuerOptions, likelyKey, rankInSlices, sortRows, type SortKey } from '../../../src/ui/state/certificate-list';
import { DEFAULT_LEAD_TIMES, planExpiry } from '../../../src/core/appliance/expiry-plan';
import { DAY, certificateView, loadFacts, type FactName } from '../appliance/lifecycle-support';

let facts: Record<FactName, CertificateFacts>;
let now: number;
let views: CertificateView[];

function view(id: string, f: CertificateFacts, over: Partial<CertificateView> = {}): CertificateView {
  return certificateView(id, f, now, over);
}

beforeAll(async () => {
  facts = await loadFacts();
  now = facts.server.notBefore + DAY;
  const soon = { ...facts.server, sha256: 's'.repeat(64), notAfter: now + 10 * DAY, dnsNames: ['soon.example.com'], issuer: 'CN=Other CA' };
  views = [
    view('Zulu in use', facts.server, { assignedIps: ['192.0.2.10'] }),
    view('alpha soon', soon),
    view('Root', facts.root, { privateKey: 'missing' }),
    view('Intermediate', facts.ica, { privateKey: 'missing' }),
    view('Old', { ...facts.server, sha256: 'o'.repeat(64) }, { replacedBy: 'Zulu in use' }),
    view('Renewal', { ...facts.server, sha256: 'r'.repeat(64), notAfter: facts.server.notAfter + DAY }, { renews: 'Zulu in use' }),
  ];
  views = views.map((v) => (v.id === 'alpha soon' ? { ...v, plan: planExpiry(v.facts, DEFAULT_LEAD_TIMES, false, now) } : v));
});

const names = (rows: ReturnType<typeof certificateRows>) => rows.map((r) => r.certificate.id);

describe('the Certificates list: rows computed once, then filtered and sorted', () => {
  it('rows carry the words, the next step and the renewal', () => {
    const rows = certificateRows(views, new Map(), now);
    const byId = new Map(rows.map((r) => [r.certificate.id, r]));
    expect(byId.get('alpha soon')!.words.map((w) => w.text)).toContain('Not assigned');
    expect(byId.get('alpha soon')!.next).toMatch(/Next: assign it/);
    expect(byId.get('Renewal')!.renewsInUse).toEqual({ id: 'Zulu in use', friendlyName: 'Zulu in use' });
    expect(byId.get('Renewal')!.next).toMatch(/Next: replace "Zulu in use"/);
    expect(byId.get('Old')!.words.map((w) => w.text)).toContain('Replaced');
    expect(byId.get('Old')!.words.map((w) => w.text)).not.toContain('Not assigned');
  });

  it.each([
    { name: 'search matches name, SAN and issuer, every word', filter: { search: 'soon other' }, want: ['alpha soon'] },
    { name: 'SAN contains', filter: { san: 'soon.ex' }, want: ['alpha soon'] },
    { name: 'issuer', filter: { issuer: 'CN=Other CA' }, want: ['alpha soon'] },
    { name: 'status: needs action (act-by reached)', filter: { status: 'needs-action' as const }, want: ['alpha soon'] },
    { name: 'status: in use', filter: { status: 'in-use' as const }, want: ['Zulu in use'] },
    { name: 'status: replaced', filter: { status: 'replaced' as const }, want: ['Old'] },
    { name: 'status: renews one in use', filter: { status: 'renewal' as const }, want: ['Renewal'] },
    { name: 'act by within 30 days (replaced ones never)', filter: { actBy: '30' as const }, want: ['alpha soon'] },
  ])('filter: $name', ({ filter, want }) => {
    expect(names(filterRows(certificateRows(views, new Map(), now), { ...NO_FILTER, ...filter }, now)).sort()).toEqual([...want].sort());
  });

  const sorts: { key: SortKey; first: string[] }[] = [
    { key: 'kind', first: ['alpha soon', 'Old', 'Renewal', 'Zulu in use', 'Intermediate', 'Root'] },
    { key: 'name', first: ['alpha soon', 'Intermediate', 'Old', 'Renewal', 'Root', 'Zulu in use'] },
    { key: 'act-by', first: ['alpha soon'] },
    { key: 'status', first: ['alpha soon'] },
  ];
  for (const { key, first } of sorts) {
    it(`sort by ${key}`, () => {
      const sorted = names(sortRows(certificateRows(views, new Map(), now), key));
      expect(sorted.slice(0, first.length)).toEqual(first);
      // Sorting is stable whatever the input order.
      expect(names(sortRows([...certificateRows(views, new Map(), now)].reverse(), key))).toEqual(sorted);
    });
  }

  it('sort by issuer: issuers in order, names within each', () => {
    const rows = sortRows(certificateRows(views, new Map(), now), 'issuer');
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    for (let i = 1; i < rows.length; i++) expect(collator.compare(rows[i - 1]!.certificate.facts.issuer, rows[i]!.certificate.facts.issuer)).toBeLessThanOrEqual(0);
  });

  it('sort by name as the collator orders, also when names arrive a few at a time into a kept order', () => {
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    const named = (list: string[]) => list.map((name, i) => view(`id-${name}-${i}`, facts.server, { friendlyName: name }));
    const byName = (list: CertificateView[]) => sortRows(certificateRows(list, new Map(), now), 'name').map((r) => r.certificate.friendlyName);
    const expected = (list: CertificateView[]) => list.map((v) => v.friendlyName).sort((a, b) => collator.compare(a, b));
    // Each name is placed at its place in the collator's order, ties (same under the collator) by id.
    const assertOrdered = (got: string[], list: CertificateView[]) => {
      expect([...got].sort()).toEqual(expected(list).sort());
      for (let i = 1; i < got.length; i++) expect(collator.compare(got[i - 1]!, got[i]!)).toBeLessThanOrEqual(0);
    };
    let list = named(['host10', 'Host2', 'alpha', 'Zulu', 'host1', 'éclair', 'Eclair', 'beta 3', 'beta 20']);
    assertOrdered(byName(list), list);
    // New names one or a few at a time (before, between, after and equal to those ranked), many times over the same gap.
    for (const more of [['host3'], ['0 first'], ['zz last', 'HOST10'], ['b'], ...Array.from({ length: 70 }, (_, i) => [`host1${'a'.repeat(i + 1)}`])]) {
      list = [...list, ...named(more)];
      assertOrdered(byName(list), list);
    }
    expect(byName(list).slice(0, 3)).toEqual(['0 first', 'alpha', 'b']);
  });

  it('a thousand new names at once (an import) sort as the collator orders them, host-like or not', () => {
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    const hostLike = Array.from({ length: 1000 }, (_, i) => `${['Host', 'host', 'node-', 'web.'][i % 4]}${(i * 7919) % 1013}.Example-${i % 7}.com`);
    // '_' and accents are where code-unit order and the collator disagree: the collator decides.
    const mixed = hostLike.map((name, i) => (i % 50 === 0 ? name.replace('.', '_') : i % 77 === 0 ? `é${name}` : name));
    for (const names of [hostLike, mixed, [...hostLike, '007 agent', 'host0007', 'host 7', 'host-7', 'host.7']]) {
      const list = names.map((name, i) => view(`id-${i}`, facts.server, { friendlyName: name }));
      const got = sortRows(certificateRows(list, new Map(), now), 'name').map((r) => r.certificate.friendlyName);
      expect([...got].sort()).toEqual([...names].sort());
      for (let i = 1; i < got.length; i++) expect(collator.compare(got[i - 1]!, got[i]!), `${got[i - 1]} before ${got[i]}`).toBeLessThanOrEqual(0);
    }
  });

  it('ranked ahead in slices (rankInSlices), thousands of new names sort exactly as when sortRows ranks them itself', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? `é-node${(i * 7919) % 3001}` : `${['host', 'Node-', 'web.'][i % 3]}${(i * 7919) % 3001}.example.com`));
    for (const key of ['name', 'issuer', 'kind'] as SortKey[]) {
      const fresh = (tag: string) => certificateRows(names.map((name, i) => view(`${tag}-${i}`, facts.server, { friendlyName: `${name} ${tag}` })), new Map(), now);
      const direct = sortRows(fresh(key), key).map((r) => r.certificate.friendlyName);
      const rows = fresh(`${key}-sliced`);
      let pauses = 0;
      await rankInSlices(rows, key, async () => void pauses++);
      const sliced = sortRows(rows, key).map((r) => r.certificate.friendlyName.replace(/-sliced$/, ''));
      expect(sliced).toEqual(direct);
      // Ranking 3,000 names is split: it yields every few hundred comparisons.
      expect(pauses).toBeGreaterThanOrEqual(6);
    }
  });

  it('replaced certificates go last by act-by date', () => {
    expect(names(sortRows(certificateRows(views, new Map(), now), 'act-by')).at(-1)).toBe('Old');
  });

  it('issuer options: each once, sorted', () => {
    const options = issuerOptions(certificateRows(views, new Map(), now));
    expect(options).toEqual([...new Set(options)]);
    expect(options).toContain('CN=Other CA');
  });
});

describe('the likely collation key (names compared without the collator first)', () => {
  it('equals lower case with digit runs by value, as the regular expression it replaces', () => {
    const reference = (text: string) => text.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(24, '0'));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('0', '00', '7', '42', 'a', 'B', '-', '.', ' ', 'é', '_', '0'.repeat(30) + '1') }), (text) => likelyKey(text) === reference(text)),
      { numRuns: 2000 },
    );
    expect(likelyKey('Host007.Example')).toBe(`host${'0'.repeat(23)}7.example`);
  });
});
