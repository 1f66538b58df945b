import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../src/core/appliance/certificate-facts';
import { renewalOf, renewalSteps, renewals, sameNames, subjectInputOf, type RenewalCandidate } from '../../../src/core/appliance/renewal';
import { certificateKind } from '../../../src/core/appliance/certificate-entry';
import { coverageLost, planReplacement, replacementRecord } from '../../../src/core/appliance/replacement';
import { isPublicSuffix } from '../../../src/core/pki/names/public-suffix-list';
import { DAY, applianceWith, certificate, loadFacts, type FactName } from './lifecycle-support';

let facts: Record<FactName, CertificateFacts>;
beforeAll(async () => {
  facts = await loadFacts();
});

describe('which certificate a new one renews', () => {
  const server = () => facts.server;
  const cand = (id: string, over: Partial<CertificateFacts> = {}, extra: Partial<RenewalCandidate> = {}): RenewalCandidate => ({
    id,
    facts: { ...server(), sha256: id.padEnd(64, '0'), ...over },
    factoryDefault: false,
    inUse: false,
    replaced: false,
    ...extra,
  });
  const later = () => ({ notAfter: server().notAfter + 365 * DAY });
  const table: { name: string; next: () => RenewalCandidate; others: () => RenewalCandidate[]; rekeyOf?: string; want: string | undefined }[] = [
    { name: 'same key, later expiry', next: () => cand('new', later()), others: () => [cand('old')], want: 'old' },
    { name: 'same key, earlier expiry: not a renewal', next: () => cand('new', { notAfter: server().notAfter - DAY }), others: () => [cand('old')], want: undefined },
    { name: 'same expiry: not a renewal', next: () => cand('new'), others: () => [cand('old')], want: undefined },
    { name: 'new key, same subject and SANs (re-key)', next: () => cand('new', { ...later(), publicKeySha256: 'k2' }), others: () => [cand('old')], want: 'old' },
    {
      name: 'new key, same subject, SANs in another order',
      next: () => cand('new', { ...later(), publicKeySha256: 'k2', dnsNames: [...server().dnsNames].reverse() }),
      others: () => [cand('old')],
      want: 'old',
    },
    { name: 'new key, one SAN more: another certificate', next: () => cand('new', { ...later(), publicKeySha256: 'k2', dnsNames: [...server().dnsNames, 'x.example.test'] }), others: () => [cand('old')], want: undefined },
    { name: 'new key, other subject: another certificate', next: () => cand('new', { ...later(), publicKeySha256: 'k2', subjectKey: 'cn=other' }), others: () => [cand('old')], want: undefined },
    { name: 'the factory default is never renewed', next: () => cand('new', later()), others: () => [cand('old', {}, { factoryDefault: true })], want: undefined },
    { name: 'a factory default never renews', next: () => cand('new', later(), { factoryDefault: true }), others: () => [cand('old')], want: undefined },
    { name: 'a CA certificate renews nothing', next: () => cand('new', { ...later(), isCa: true }), others: () => [cand('old')], want: undefined },
    {
      name: 'the one in use wins over a later one not in use',
      next: () => cand('new', { notAfter: server().notAfter + 900 * DAY }),
      others: () => [cand('used', {}, { inUse: true }), cand('idle', { notAfter: server().notAfter + 100 * DAY })],
      want: 'used',
    },
    {
      name: 'a replaced one comes last',
      next: () => cand('new', { notAfter: server().notAfter + 900 * DAY }),
      others: () => [cand('replaced', { notAfter: server().notAfter + 100 * DAY }, { replaced: true }), cand('plain')],
      want: 'plain',
    },
    { name: 'a re-key request names its certificate, whatever the names', next: () => cand('new', { publicKeySha256: 'k2', subjectKey: 'cn=renamed' }), others: () => [cand('old')], rekeyOf: 'old', want: 'old' },
    { name: 'a re-key of a certificate that is gone falls back to content', next: () => cand('new', later()), others: () => [cand('old')], rekeyOf: 'deleted', want: 'old' },
  ];
  for (const row of table) it(row.name, () => expect(renewalOf(row.next(), row.others(), row.rekeyOf)).toBe(row.want));

  /** The rule as the guide states it, pair by pair: what `renewals` must answer for every certificate at once. */
  const byDefinition = (c: RenewalCandidate, all: readonly RenewalCandidate[], rekeyOf?: string) => {
    if (c.factoryDefault || certificateKind(c.facts) !== 'server') return undefined;
    const eligible = all.filter((o) => o.id !== c.id && !o.factoryDefault && certificateKind(o.facts) === 'server');
    if (rekeyOf !== undefined && eligible.some((o) => o.id === rekeyOf)) return rekeyOf;
    const named = (f: CertificateFacts) => f.dnsNames.length > 0 || f.ipAddresses.length > 0;
    const rank = (o: RenewalCandidate) => (o.inUse && !o.replaced ? 2 : o.replaced ? 0 : 1);
    return eligible
      .filter((o) => o.facts.notAfter < c.facts.notAfter && (o.facts.publicKeySha256 === c.facts.publicKeySha256 || (o.facts.subjectKey === c.facts.subjectKey && sameNames(o.facts, c.facts) && named(c.facts))))
      .sort((a, b) => rank(b) - rank(a) || b.facts.notAfter - a.facts.notAfter || a.id.localeCompare(b.id))[0]?.id;
  };

  it('renewals answers for every certificate what the rule says for each pair, on random appliances', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const all = Array.from({ length: 2 + random(14) }, (_, i) =>
        cand(
          `c${i}`,
          {
            notAfter: server().notAfter + random(4) * DAY,
            publicKeySha256: `k${random(3)}`,
            subjectKey: `cn=s${random(2)}`,
            dnsNames: random(4) === 0 ? [] : [`h${random(2)}.example.test`],
            ipAddresses: [],
            isCa: random(8) === 0,
          },
          { inUse: random(3) === 0, replaced: random(4) === 0, factoryDefault: random(10) === 0 },
        ),
      );
      const rekeyOf = new Map(all.filter(() => random(6) === 0).map((c) => [c.id, `c${random(all.length + 1)}`] as const));
      const found = renewals(all, (c) => rekeyOf.get(c.id));
      for (const c of all) expect(found.get(c.id), `round ${round}, ${c.id}`).toBe(byDefinition(c, all, rekeyOf.get(c.id)));
    }
  });

  it('renewals of thousands of certificates sharing one key take one sweep, not a comparison per pair', () => {
    const all = Array.from({ length: 5000 }, (_, i) => cand(`c${String(i).padStart(4, '0')}`, { notAfter: server().notAfter + i * 1000, dnsNames: [`h${i}.example.test`] }, { inUse: i % 7 === 0 }));
    const found = renewals(all);
    // Every seventh is in use, and an earlier one in use wins over a later one that is not.
    expect(found.get('c4999')).toBe('c4998');
    expect(found.get('c4998')).toBe('c4991');
    expect(found.get('c0005')).toBe('c0000');
    expect(found.get('c0000')).toBeUndefined();
    expect(found.size).toBe(4999);
    // In steps: the one group of 5,000 is swept a few hundred at a time, not in one go.
    const steps = renewalSteps(all);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    expect(step.value).toEqual(found);
    expect(pauses).toBeGreaterThanOrEqual(3 * (5000 / 500));
  });

  it('sameNames compares sets of DNS names and IP addresses', () => {
    expect(sameNames({ dnsNames: ['a', 'b'], ipAddresses: [] }, { dnsNames: ['b', 'a', 'a'], ipAddresses: [] })).toBe(true);
    expect(sameNames({ dnsNames: ['a'], ipAddresses: ['192.0.2.1'] }, { dnsNames: ['a'], ipAddresses: [] })).toBe(false);
  });

  it('subjectInputOf takes the Create form fields, first value each', () => {
    expect(
      subjectInputOf([
        { type: 'C', value: 'DE' },
        { type: 'O', value: 'Example GmbH' },
        { type: 'OU', value: 'IT' },
        { type: 'OU', value: 'Second' },
        { type: 'serialNumber', value: 'HRB 1' },
        { type: 'CN', value: 'support.example.com' },
      ]),
    ).toEqual({ C: 'DE', O: 'Example GmbH', OU: 'IT', CN: 'support.example.com' });
  });
});

describe('the replacement plan', () => {
  const chainOk = (root: string) => ({ ok: true as const, rootSha256: root });
  const plan = (over: { newFacts?: Partial<CertificateFacts>; roots?: string[]; newChain?: ReturnType<typeof chainOk> | { ok: false; problems: { code: string; message: string }[] } } = {}) => {
    const appliance = applianceWith({ clientSoftware: { roots: over.roots ?? ['root-a'] } });
    const old = certificate('old', facts.server);
    const next = certificate('new', { ...facts.server, sha256: 'n'.repeat(64), notAfter: facts.server.notAfter + 100 * DAY, ...over.newFacts });
    return planReplacement({
      appliance,
      assignments: [
        { applianceId: 'a1', ip: '192.0.2.10', certificateId: 'old' },
        { applianceId: 'a1', ip: '192.0.2.11', certificateId: 'old' },
        { applianceId: 'a1', ip: '192.0.2.12', certificateId: 'factory' },
      ],
      oldCertificate: old,
      newCertificate: next,
      oldChain: chainOk('root-a'),
      newChain: over.newChain ?? chainOk('root-a'),
      isPublicSuffix,
    });
  };

  it('coverage per IP and hostname before and after, expiry, chain, and the moves', () => {
    const p = plan({ newFacts: { dnsNames: ['appliance.example.test'] } });
    expect(p.ips).toEqual([
      { ip: '192.0.2.10', dnsName: 'appliance.example.test', before: true, after: true },
      { ip: '192.0.2.11', dnsName: 'node7.mgmt.example.test', before: true, after: false },
    ]);
    expect(p.hostnames).toEqual([
      { name: 'appliance.example.test', what: 'site hostname', before: true, after: true },
      { name: 'appliance', what: 'appliance hostname', before: true, after: false },
    ]);
    expect(p.moves).toEqual([
      { ip: '192.0.2.10', from: 'old', to: 'new' },
      { ip: '192.0.2.11', from: 'old', to: 'new' },
    ]);
    expect(p.expiry).toEqual({ before: facts.server.notAfter, after: facts.server.notAfter + 100 * DAY });
    expect(coverageLost(p)).toEqual(['node7.mgmt.example.test', 'appliance']);
  });

  it('the chain and its root against the client software, each side', () => {
    expect(plan({ newChain: chainOk('root-b') }).chain).toEqual({
      before: { valid: true, rootSha256: 'root-a', rootInClientSoftware: true, problems: [] },
      after: { valid: true, rootSha256: 'root-b', rootInClientSoftware: false, problems: [] },
    });
    const broken = plan({ newChain: { ok: false, problems: [{ code: 'missing-issuer', message: 'm' }] } }).chain.after;
    expect(broken).toEqual({ valid: false, rootInClientSoftware: false, problems: [{ code: 'missing-issuer', message: 'm' }] });
  });

  it.each([
    { name: 'itself', make: () => ({ old: certificate('x', facts.server), next: certificate('x', facts.server) }) },
    { name: 'another appliance', make: () => ({ old: certificate('old', facts.server), next: certificate('new', facts.server, { applianceId: 'a2' }) }) },
    { name: 'a CA certificate', make: () => ({ old: certificate('old', facts.ica), next: certificate('new', facts.server) }) },
    { name: 'the factory default', make: () => ({ old: certificate('old', facts.selfsigned, { factoryDefault: true }), next: certificate('new', facts.server) }) },
  ])('refuses to replace $name', ({ make }) => {
    const { old, next } = make();
    expect(() =>
      planReplacement({ appliance: applianceWith(), assignments: [], oldCertificate: old, newCertificate: next, oldChain: chainOk('r'), newChain: chainOk('r') }),
    ).toThrow(expect.objectContaining({ code: 'invalid-replacement' }));
  });

  it('the event record says before and after', () => {
    const record = replacementRecord(plan(), { old: 'Support 2025', new: 'Support 2026' });
    expect(record.message).toBe('Replaced "Support 2025" by "Support 2026" on 192.0.2.10, 192.0.2.11.');
    expect(record.before).toMatch(/^192\.0\.2\.10, 192\.0\.2\.11 served by "Support 2025" \(expires \d{4}-\d{2}-\d{2}\)$/);
    expect(record.after).toMatch(/^192\.0\.2\.10, 192\.0\.2\.11 served by "Support 2026" \(expires \d{4}-\d{2}-\d{2}\)$/);
  });
});
