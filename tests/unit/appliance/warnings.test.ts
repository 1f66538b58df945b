import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../src/core/appliance/certificate-facts';
import { suggestCertificate, type SuggestionCandidate } from '../../../src/core/appliance/ip-assignment';
import { atlasNodeProblems, ipAddressSanProblem, siteHostnameProblem } from '../../../src/core/appliance/warnings';
import { isPublicSuffix } from '../../../src/core/pki/names/public-suffix-list';
import { DAY, loadFacts, type FactName } from './lifecycle-support';

// openssl-set ec/server.der: appliance.example.test, *.mgmt.example.test, appliance, 192.0.2.10, 2001:db8::10.
let facts: Record<FactName, CertificateFacts>;
beforeAll(async () => {
  facts = await loadFacts();
});

describe('site hostname, for every role', () => {
  it.each([
    { name: 'covered by a name', site: 'appliance.example.test', psl: true, want: undefined },
    { name: 'covered by the wildcard', site: 'support.mgmt.example.test', psl: true, want: undefined },
    { name: 'the wildcard without a public-suffix check covers nothing (fail closed)', site: 'support.mgmt.example.test', psl: false, want: 'site-hostname-not-covered' },
    { name: 'not covered', site: 'support.example.com', psl: true, want: 'site-hostname-not-covered' },
  ])('$name', ({ site, psl, want }) => {
    const problem = siteHostnameProblem({ friendlyName: 'S', facts: facts.server }, { name: 'Primary', siteHostname: site }, psl ? isPublicSuffix : undefined);
    expect(problem?.code).toBe(want);
    if (problem) expect(problem.message).toContain(site);
  });
  it('a CA certificate is never asked', () => {
    expect(siteHostnameProblem({ friendlyName: 'CA', facts: facts.ica }, { name: 'P', siteHostname: 'x.example' })).toBeUndefined();
  });
});

describe('IP addresses in SANs', () => {
  it('are named in the warning', () => {
    expect(ipAddressSanProblem({ friendlyName: 'S', facts: facts.server })).toMatchObject({ code: 'ip-address-san', message: expect.stringContaining('192.0.2.10, 2001:db8::10') });
  });
  it('none, no warning', () => expect(ipAddressSanProblem({ friendlyName: 'S', facts: { ipAddresses: [] } })).toBeUndefined());
});

describe('Atlas: a node the site certificate does not cover needs a rebuild', () => {
  const node = (hostname: string, role: 'atlas-node' | 'backup' = 'atlas-node', dnsName?: string) => ({
    name: 'Node 2',
    role,
    hostname,
    ipAddresses: dnsName ? [{ ip: '192.0.2.50', dnsName }] : [],
  });
  const served = () => [{ friendlyName: 'Wildcard', facts: facts.server }];
  it.each([
    { name: 'covered by the wildcard', n: () => node('n2.mgmt.example.test'), want: [] },
    { name: 'hostname not covered', n: () => node('node2.other.test'), want: ['node2.other.test'] },
    { name: 'an A-record name not covered', n: () => node('n2.mgmt.example.test', 'atlas-node', 'edge.other.test'), want: ['edge.other.test'] },
    { name: 'not an Atlas node: no rebuild warning', n: () => node('node2.other.test', 'backup'), want: [] },
  ])('$name', ({ n, want }) => {
    const problems = atlasNodeProblems(n(), served(), isPublicSuffix);
    expect(problems.map((p) => p.code)).toEqual(want.length ? ['atlas-rebuild-needed'] : []);
    for (const name of want) expect(problems[0]!.message).toContain(name);
  });
  it('no certificate serves the site yet: nothing to compare', () => expect(atlasNodeProblems(node('node2.other.test'), [], isPublicSuffix)).toEqual([]));
});

describe('the suggested certificate for a new IP address', () => {
  const now = () => facts.server.notBefore + DAY;
  const cand = (id: string, over: Partial<SuggestionCandidate> = {}, f: Partial<CertificateFacts> = {}): SuggestionCandidate => ({
    id,
    facts: { ...facts.server, ...f },
    factoryDefault: false,
    keyAvailable: true,
    chainComplete: true,
    replaced: false,
    ...over,
  });
  it.each([
    { name: 'the one covering the name', list: () => [cand('a', {}, { dnsNames: ['other.test'] }), cand('b')], want: 'b' },
    { name: 'not without its key', list: () => [cand('a', { keyAvailable: false })], want: undefined },
    { name: 'not the factory default', list: () => [cand('a', { factoryDefault: true })], want: undefined },
    { name: 'not a replaced one', list: () => [cand('a', { replaced: true })], want: undefined },
    { name: 'not an expired one', list: () => [cand('a', {}, { notAfter: facts.server.notBefore })], want: undefined },
    { name: 'CA-signed before self-signed', list: () => [cand('self', {}, { selfIssued: true, notAfter: facts.server.notAfter + DAY }), cand('ca')], want: 'ca' },
    { name: 'complete chain first, then the latest expiry', list: () => [cand('late', { chainComplete: false }, { notAfter: facts.server.notAfter + DAY }), cand('early'), cand('later', {}, { notAfter: facts.server.notAfter + 2 * DAY })], want: 'later' },
  ])('$name', ({ list, want }) => expect(suggestCertificate(list(), 'x.mgmt.example.test', now(), isPublicSuffix)).toBe(want));
});
