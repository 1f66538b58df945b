import { describe, expect, it } from 'vitest';
import { OID } from '../../src/core/pki/asn1';
import { processPolicies } from '../../src/core/pki/validation/policy-tree';
import { parseCertificate } from '../../src/core/pki/x509';
import { buildChain, compose, ext, validationTime, withExtension, withoutExtension, writeChain, type Tweak } from '../support/chain-factory';
import { openssl } from '../support/fixtures';

/**
 * Certificate policy processing (RFC 5280 §6.1.3 (d)–(f), §6.1.4 (a)–(b), (h)–(j), §6.1.5) beside
 * an independent implementation, OpenSSL's `verify -policy_check -policy anyPolicy`
 * (user-initial-policy-set anyPolicy, the three initial flags false, as Certdesk uses them): on a matrix of chains
 * root → I1 → I2 → leaf varying each certificate's policies, I1's mappings and I1's policy
 * constraints and inhibitAnyPolicy, both must agree whether some policy is valid.
 */

const A = '1.3.6.1.4.1.55555.10.1';
const B = '1.3.6.1.4.1.55555.10.2';
const C = '1.3.6.1.4.1.55555.10.3';
const ANY = OID.anyPolicy;

interface Scenario {
  i1: string[] | null;
  i2: string[] | null;
  leaf: string[] | null;
  mapping?: [string, string][];
  requireExplicit?: number;
  inhibitMapping?: number;
  inhibitAny?: number;
  /** Where the constraints sit: I1 (default) or I2. */
  at?: 'i1' | 'i2';
}

const policies = (list: string[] | null): Tweak => (list ? withExtension(ext.certificatePolicies(list)) : withoutExtension(OID.certificatePolicies));

function tweaks(s: Scenario, which: 'i1' | 'i2'): Tweak {
  const parts: Tweak[] = [policies(s[which])];
  if ((s.at ?? 'i1') === which) {
    if (s.mapping) parts.push(withExtension(ext.policyMappings(s.mapping)));
    if (s.requireExplicit !== undefined || s.inhibitMapping !== undefined)
      parts.push(withExtension(ext.policyConstraints({ ...(s.requireExplicit !== undefined ? { requireExplicitPolicy: s.requireExplicit } : {}), ...(s.inhibitMapping !== undefined ? { inhibitPolicyMapping: s.inhibitMapping } : {}) })));
    if (s.inhibitAny !== undefined) parts.push(withExtension(ext.inhibitAnyPolicy(s.inhibitAny)));
  }
  return compose(...parts);
}

/** A small deterministic generator (mulberry32), so the matrix is the same every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const named: Scenario[] = [
  { i1: [A], i2: [A], leaf: [A] },
  { i1: [A], i2: [A], leaf: [B], requireExplicit: 0 },
  { i1: [A], i2: [A], leaf: null, requireExplicit: 0 },
  { i1: [A], i2: [A], leaf: null, requireExplicit: 2 },
  { i1: [A], i2: [A], leaf: null, requireExplicit: 1 },
  { i1: [ANY], i2: [ANY], leaf: [C], requireExplicit: 0 },
  { i1: [ANY], i2: [ANY], leaf: [C], requireExplicit: 0, inhibitAny: 0 },
  { i1: [ANY], i2: [ANY], leaf: [C], requireExplicit: 0, inhibitAny: 1 },
  { i1: [A], i2: [B], leaf: [B], mapping: [[A, B]], requireExplicit: 0 },
  { i1: [A], i2: [B], leaf: [B], mapping: [[A, B]], requireExplicit: 0, inhibitMapping: 0 },
  { i1: [A], i2: [A], leaf: [A], mapping: [[A, B]], requireExplicit: 0 },
  { i1: [ANY], i2: [B], leaf: [B], mapping: [[A, B]], requireExplicit: 0 },
  { i1: [A, B], i2: [C], leaf: [C], mapping: [[A, C]], requireExplicit: 0 },
  { i1: [A], i2: [ANY], leaf: [A], requireExplicit: 0, at: 'i2' },
  { i1: [A], i2: [ANY], leaf: [B], requireExplicit: 0, at: 'i2' },
];

function generated(count: number): Scenario[] {
  const next = random(5280);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const sets = [null, [A], [B], [ANY], [A, B], [A, ANY], [C]];
  return Array.from({ length: count }, () => {
    const s: Scenario = { i1: pick(sets), i2: pick(sets), leaf: pick(sets) };
    const mapping = pick<[string, string][] | undefined>([undefined, undefined, [[A, B]], [[A, C], [B, C]]]);
    if (mapping) s.mapping = mapping;
    const require = pick([undefined, 0, 1, 2]);
    if (require !== undefined) s.requireExplicit = require;
    const inhibitMapping = pick([undefined, undefined, 0, 1]);
    if (inhibitMapping !== undefined) s.inhibitMapping = inhibitMapping;
    const inhibitAny = pick([undefined, undefined, 0, 1]);
    if (inhibitAny !== undefined) s.inhibitAny = inhibitAny;
    if (next() < 0.3) s.at = 'i2';
    return s;
  });
}

function opensslAccepts(chain: ReturnType<typeof buildChain>): boolean {
  const files = writeChain(chain.leaf.der, chain.pool);
  // -policy anyPolicy: without it OpenSSL takes an empty user-initial-policy-set.
  const result = openssl(['verify', '-policy_check', '-policy', OID.anyPolicy, '-purpose', 'sslserver', '-attime', String(Math.floor(validationTime.getTime() / 1000)), '-CAfile', files.root, '-untrusted', files.untrusted!, files.leaf]);
  const output = result.stdout + result.stderr;
  if (result.status === 0) return true;
  // Policy processing is the only thing these chains differ in.
  expect(output).toMatch(/error (42|43) at \d+ depth lookup/);
  return false;
}

describe('policy processing agrees with openssl verify -policy_check', () => {
  for (const [index, s] of [...named, ...generated(120)].entries())
    it(`#${index} ${JSON.stringify(s).replaceAll(A, 'A').replaceAll(B, 'B').replaceAll(C, 'C').replaceAll(ANY, 'any')}`, () => {
      const chain = buildChain({ intermediates: 2, intermediate: (spec, c) => tweaks(s, c.index === 0 ? 'i1' : 'i2')(spec, c), leaf: policies(s.leaf) });
      const path = [chain.leaf.der, chain.intermediates[1]!.der, chain.intermediates[0]!.der, chain.root.der].map(parseCertificate);
      expect(processPolicies(path) === undefined).toBe(opensslAccepts(chain));
    });
});
