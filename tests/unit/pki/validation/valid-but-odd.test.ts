import { describe, expect, it } from 'vitest';
import { OID, der } from '../../../../src/core/pki/asn1';
import { buildAndValidate } from '../../../../src/core/pki/validation/path-validation';
import { certificateChecks, linkChecks, OUTCOME_CODES } from '../../../../src/core/pki/validation/checks';
import { keyChecks } from '../../../../src/core/pki/validation/checks-keys';
import { nameChecks } from '../../../../src/core/pki/validation/checks-names';
import { requestChecks } from '../../../../src/core/pki/validation/lint';
import { rules } from '../../../../src/core/pki/validation/rules';
import {
  attr,
  buildChain,
  compose,
  defaultSigning,
  ext,
  generalName,
  keyIdentifier,
  keyPair,
  name,
  randomSerial,
  signatureAlgorithmIdentifier,
  signCertificate,
  subjectPublicKeyInfo,
  time,
  validationTime,
  withCritical,
  withExtension,
  withFields,
  withoutExtension,
  type Chain,
} from '../../../support/chain-factory';

/**
 * Chains that look odd but every mainstream client accepts: no rule of the table may refuse
 * them (an over-strict rule is as wrong as a missing one). And the table drives the checks: every
 * rule has exactly one check, or is reported by path building itself.
 */

const day = 24 * 3600 * 1000;
const validate = (leaf: Uint8Array, pool: Chain['pool'], hostname = 'appliance.example.com') => buildAndValidate(leaf, pool, { time: validationTime, hostname });
const codesOf = (r: Awaited<ReturnType<typeof buildAndValidate>>) => (r.ok ? 'accepted' : [...new Set(r.problems.map((p) => p.code))]);

describe('valid chains that look odd', () => {
  it.each<[string, Parameters<typeof buildChain>[0], string?]>([
    ['an unknown non-critical extension in every certificate', { root: withExtension(ext.raw('1.3.6.1.4.1.55555.4', der.nullValue())), intermediate: withExtension(ext.raw('1.3.6.1.4.1.55555.4', der.nullValue())), leaf: withExtension(ext.raw('1.3.6.1.4.1.55555.4', der.nullValue())) }],
    ['a root self-signed with ECDSA and SHA-1 (its self-signature protects nothing)', { root: withFields({ signing: { scheme: 'ecdsa', hash: 'sha1' }, signatureAlgorithm: signatureAlgorithmIdentifier({ scheme: 'ecdsa', hash: 'sha1' }) }) }],
    ['a root without authorityKeyIdentifier or certificate policies', { root: compose(withoutExtension(OID.authorityKeyIdentifier)) }],
    ['a leaf without a common name, its SAN critical under an empty subject', { leaf: compose(withFields({ subject: name([]) }), withCritical(OID.subjectAltName, true)) }],
    ['name constraints on DNS names over a leaf without a common name', { intermediate: withExtension(ext.nameConstraints({ permitted: [generalName.dns('example.com')] })), leaf: compose(withFields({ subject: name([]) }), withCritical(OID.subjectAltName, true)) }],
    ['a common name naming something else entirely (clients ignore it, RFC 9525)', { leaf: withFields({ subject: name([attr.cn('Appliance 7')]) }) }],
    ['a wildcard SAN matched against the reference', { leafNames: [generalName.dns('*.example.com')], leaf: withFields({ subject: name([attr.cn('*.example.com')]) }) }],
    ['an IPv6 SAN asked for in another spelling', { leafNames: [generalName.dns('appliance.example.com'), generalName.ip('2a00:1450:4001:82b::200e')] }, '2A00:1450:4001:082B:0:0:0:200E'],
    ['an intermediate without extendedKeyUsage, its keyUsage not critical', { intermediate: compose(withoutExtension(OID.extKeyUsage), withCritical(OID.keyUsage, false)) }],
    ['an intermediate keyUsage without cRLSign', { intermediate: withExtension(ext.keyUsage(['keyCertSign'])) }],
    ['certificate policies and a non-critical policy mapping', { intermediate: withExtension(ext.policyMappings([['2.23.140.1.2.1', '2.23.140.1.2.2']], false)), leaf: withExtension(ext.certificatePolicies(['2.23.140.1.2.2'])) }],
    ['an explicit FALSE criticality (DER forbids it; mozilla::pkix and rustls accept it)', { leaf: (spec) => ({ ...spec, extensions: spec.extensions!.map((e) => (e.oid === OID.extKeyUsage ? { ...e, explicitFalse: true } : e)) }) }],
    ['a leaf valid for 999 years issued before July 2019 (Apple’s 825 days apply from then)', { leaf: withFields({ notBefore: time(new Date('1970-01-01T00:00:01Z')), notAfter: time(new Date('2969-05-03T00:00:01Z')) }) }],
    ['an RSA leaf with digitalSignature and keyEncipherment', { keys: { leaf: 'rsa2048' }, leaf: withExtension(ext.keyUsage(['digitalSignature', 'keyEncipherment'])) }],
    ['a serial number of 20 octets with the top bit set (written with a leading zero)', { leaf: withFields({ serial: Uint8Array.from([0, 0x80, ...randomSerial(19)]) }) }],
  ])('%s', async (_name, options, hostname) => {
    const chain = buildChain(options);
    expect(codesOf(await validate(chain.leaf.der, chain.pool, hostname))).toBe('accepted');
  });

  it('tries the next candidate when a look-alike issuer (same name, other key) comes first', async () => {
    const chain = buildChain();
    const real = chain.intermediates[0]!;
    const other = keyPair('p256', 'look-alike');
    const decoy = signCertificate({ ...real.spec, serial: randomSerial(), spki: subjectPublicKeyInfo(other) }, chain.root.key);
    expect(await validate(chain.leaf.der, { intermediates: [decoy, real.der], roots: chain.pool.roots })).toEqual({ ok: true, path: [chain.leaf.der, real.der, chain.root.der] });
  });

  it('ignores an expired copy of the intermediate that is not in the chosen path', async () => {
    const chain = buildChain();
    const real = chain.intermediates[0]!;
    const expired = signCertificate({ ...real.spec, serial: randomSerial(), notAfter: time(new Date(validationTime.getTime() - day)) }, chain.root.key);
    expect(await validate(chain.leaf.der, { intermediates: [expired, real.der], roots: chain.pool.roots })).toEqual({ ok: true, path: [chain.leaf.der, real.der, chain.root.der] });
  });

  it('follows a cross-sign to the trusted root when the first candidate leads to an untrusted one', async () => {
    const chain = buildChain();
    const real = chain.intermediates[0]!;
    const otherRootKey = keyPair('p256', 'other-root');
    const otherRoot = name([attr.c('DE'), attr.o('Certdesk Test'), attr.cn('Certdesk Untrusted Root')]);
    // The same intermediate (name and key) issued by a root nobody trusts, offered first.
    const crossSigned = signCertificate(
      { ...real.spec, serial: randomSerial(), issuer: otherRoot, signatureAlgorithm: signatureAlgorithmIdentifier(defaultSigning('p256')), extensions: real.spec.extensions!.map((e) => (e.oid === OID.authorityKeyIdentifier ? ext.authorityKeyIdentifier({ keyId: keyIdentifier(otherRootKey) }) : e)) },
      otherRootKey,
    );
    expect(await validate(chain.leaf.der, { intermediates: [crossSigned, real.der], roots: chain.pool.roots })).toEqual({ ok: true, path: [chain.leaf.der, real.der, chain.root.der] });
  });

  it('accepts a self-issued intermediate for a key rollover, not counted by a pathLenConstraint of 0', async () => {
    // root → I (old key, pathLen 0) → I' (same name, new key, self-issued) → leaf
    const chain = buildChain({ intermediates: 2, intermediate: (spec, c) => (c.index === 0 ? withExtension(ext.basicConstraints(true, 0))(spec, c) : withFields({ subject: c.issuer!.spec.subject })(spec, c)) });
    expect(chain.intermediates[1]!.spec.subject).toEqual(chain.intermediates[0]!.spec.subject);
    const result = await validate(chain.leaf.der, chain.pool);
    expect(result).toEqual({ ok: true, path: [chain.leaf.der, chain.intermediates[1]!.der, chain.intermediates[0]!.der, chain.root.der] });
  });
});

describe('a common name beside its SANs (BR §7.1.4.3)', () => {
  const leafWith = (cn: string, names = [generalName.dns('appliance.example.com'), generalName.ip('192.0.2.7'), generalName.ip('2001:4860:4860::8888')]) =>
    buildChain({ leafNames: names, leaf: withFields({ subject: name([attr.cn(cn)]) }) });
  it.each([
    ['appliance.example.com', 'accepted'],
    ['192.0.2.7', 'accepted'],
    ['2001:4860:4860::8888', 'accepted'],
    ['Appliance 7 in rack B', 'accepted'],
    ['www.example.com', 'accepted'],
    ['APPLIANCE.example.com', 'refused'],
    ['appliance.example.com.', 'refused'],
    [' appliance.example.com', 'refused'],
    ['192.000.002.007', 'refused'],
    ['0xc0.0.2.7', 'refused'],
    ['3221225991', 'refused'],
    ['2001:4860:4860:0::8888', 'refused'],
    ['xn--bcher-kva.example.com', 'refused'],
    ['bücher.example.com', 'refused'],
  ])('CN “%s” is %s', async (cn, want) => {
    const chain = leafWith(cn);
    const result = await validate(chain.leaf.der, chain.pool);
    expect(codesOf(result)).toEqual(want === 'accepted' ? 'accepted' : ['common-name-not-in-san']);
  });
});

describe('the table drives the checks', () => {
  const checked = new Set([...Object.keys(certificateChecks), ...Object.keys(linkChecks), ...OUTCOME_CODES]);
  const requestChecked = new Set([...Object.keys(requestChecks), ...Object.keys(keyChecks), ...Object.keys(nameChecks)]);

  it('has a check (or a path-building outcome) for every rule of a certificate, and one for every request rule', () => {
    for (const r of rules) {
      if (r.appliesTo.some((t) => t !== 'request')) expect({ code: r.code, checked: checked.has(r.code) }).toEqual({ code: r.code, checked: true });
      if (r.appliesTo.includes('request')) expect({ code: r.code, request: requestChecked.has(r.code) }).toEqual({ code: r.code, request: true });
    }
  });

  it('keys every check by a rule of the table, once', () => {
    const codes = new Set(rules.map((r) => r.code));
    const keys = [...Object.keys(certificateChecks), ...Object.keys(linkChecks)];
    expect(keys.filter((k) => !codes.has(k))).toEqual([]);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...requestChecked].filter((k) => !codes.has(k))).toEqual([]);
  });
});

describe('trust anchors', () => {
  it('takes a leaf that is itself trusted as its own path, still checking the leaf', async () => {
    const chain = buildChain();
    expect(await validate(chain.leaf.der, { intermediates: [], roots: [chain.leaf.der] })).toEqual({ ok: true, path: [chain.leaf.der] });
    const expired = buildChain({ leaf: withFields({ notAfter: time(new Date(validationTime.getTime() - day)) }) });
    expect(codesOf(await validate(expired.leaf.der, { intermediates: [], roots: [expired.leaf.der] }))).toEqual(['expired']);
  });

  it('holds a trusted intermediate to the CA rules, not to the root profile', async () => {
    const chain = buildChain();
    // The intermediate's extendedKeyUsage (serverAuth, clientAuth) would break the root profile (BR §7.1.2.1.2).
    expect(await validate(chain.leaf.der, { intermediates: [], roots: [chain.intermediates[0]!.der] })).toEqual({ ok: true, path: [chain.leaf.der, chain.intermediates[0]!.der] });
  });
});
