import { describe, expect, it } from 'vitest';
import { OID, der } from '../../../../src/core/pki/asn1';
import { lintCertificate, lintRequest } from '../../../../src/core/pki/validation/lint';
import { lintRulesFor, ruleFor } from '../../../../src/core/pki/validation/rules';
import { attr, buildChain, buildRequest, explicitP256Parameters, generalName, keyPair, subjectPublicKeyInfo, toPem, validationTime, type RequestSpec } from '../../../support/chain-factory';
import { openssl, tempDir, writeTemp } from '../../../support/fixtures';

/**
 * Lint of certificate requests with the rule table's request rules: a request valid by all of
 * them gives nothing, and a request breaking one gives exactly that rule (and the rules that
 * necessarily break with it), each with its rule's sources. Requests are written by the test
 * factory (signed by Node's crypto) and read back by `openssl req -verify`.
 */

const long = `${'a'.repeat(60)}.example.com`;
const bmp = (text: string) => Uint8Array.from([...text].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]));

interface RequestBreak {
  code: string;
  what: string;
  spec: RequestSpec;
  also?: string[];
  validityDays?: number;
}

const breaks: RequestBreak[] = [
  { code: 'unsupported-key', what: 'an Ed25519 key', spec: { key: 'ed25519' } },
  { code: 'rsa-key-too-small', what: 'an RSA-1024 key', spec: { key: 'rsa1024' } },
  { code: 'rsa-modulus-not-multiple-of-8', what: 'a 2052-bit RSA key', spec: { key: 'rsa2052' } },
  {
    code: 'ec-key-parameters-not-named-curve',
    what: 'a P-256 key with explicit parameters (which nobody can verify the request with either)',
    spec: { keyAlgorithm: der.sequence(der.oid(OID.ecPublicKey), explicitP256Parameters()) },
    also: ['bad-request-signature'],
  },
  { code: 'weak-signature-algorithm', what: 'signed with ECDSA and SHA-1', spec: { signing: { scheme: 'ecdsa', hash: 'sha1' } } },
  { code: 'bad-request-signature', what: 'one bit of the signature flipped', spec: { corruptSignature: true } },
  { code: 'no-subject-alt-names', what: 'no subjectAltName', spec: { names: null }, also: ['common-name-not-in-san'] },
  { code: 'common-name-not-in-san', what: 'CN www.example.com, not among the SANs', spec: { subject: [attr.cn('www.example.com')] } },
  { code: 'malformed-dns-name', what: 'SAN bad..example.com', spec: { names: [generalName.dns('appliance.example.com'), generalName.dns('bad..example.com')] } },
  { code: 'wildcard-position', what: 'SAN f*.example.com', spec: { names: [generalName.dns('appliance.example.com'), generalName.dns('f*.example.com')] } },
  { code: 'wildcard-too-broad', what: 'SAN *.com', spec: { names: [generalName.dns('appliance.example.com'), generalName.dns('*.com')] } },
  { code: 'wildcard-over-public-suffix', what: 'SAN *.co.uk', spec: { names: [generalName.dns('appliance.example.com'), generalName.dns('*.co.uk')] } },
  { code: 'invalid-punycode', what: 'SAN xn--zz.example.com', spec: { names: [generalName.dns('appliance.example.com'), generalName.dns('xn--zz.example.com')] } },
  { code: 'internal-name', what: 'SAN appliance.local', spec: { names: [generalName.dns('appliance.example.com'), generalName.dns('appliance.local')] } },
  { code: 'reserved-ip-address', what: 'SAN 10.0.0.1', spec: { names: [generalName.dns('appliance.example.com'), generalName.ip('10.0.0.1')] } },
  { code: 'subject-alt-name-type-not-permitted', what: 'SAN adds a URI', spec: { names: [generalName.dns('appliance.example.com'), generalName.uri('https://appliance.example.com/')] } },
  { code: 'subject-attributes-not-permitted', what: 'OU=IT', spec: { subject: [attr.ou('IT'), attr.cn('appliance.example.com')] } },
  { code: 'subject-name-encoding', what: 'CN before C', spec: { subject: [attr.cn('appliance.example.com'), attr.c('DE')] } },
  { code: 'name-string-type', what: 'CN as BMPString', spec: { subject: [attr.cn(bmp('appliance.example.com'), 0x1e)] } },
  { code: 'name-attribute-too-long', what: 'CN (and SAN) of 72 characters', spec: { subject: [attr.cn(long)], names: [generalName.dns(long)] } },
  { code: 'country-not-two-letters', what: 'C=DEU', spec: { subject: [attr.c('DEU'), attr.cn('appliance.example.com')] } },
  { code: 'control-character', what: 'O with a BEL', spec: { subject: [attr.o('Acme\u0007'), attr.cn('appliance.example.com')] }, also: ['subject-attributes-not-permitted'] },
  { code: 'subject-attribute-metadata-only', what: 'O is “-”', spec: { subject: [attr.o('-'), attr.cn('appliance.example.com')] }, also: ['subject-attributes-not-permitted'] },
  { code: 'email-address-in-subject', what: 'an emailAddress', spec: { subject: [attr.email('admin@example.com'), attr.cn('appliance.example.com')] }, also: ['subject-attributes-not-permitted'] },
  { code: 'validity-over-ca-maximum', what: '398 days asked for after 2026-03-15', spec: {}, validityDays: 398 },
];

/** Request rules no request here breaks, and why. */
const withoutBreak: Record<string, string> = {
  'rsa-key-too-large': 'a key over 8192 bits takes minutes to generate',
  'rsa-bad-exponent': 'Node generates no RSA key with an even or tiny exponent',
};

describe('lint of certificate requests', () => {
  it('finds nothing in a request every public CA accepts, for 200 days', async () => {
    expect(await lintRequest(buildRequest(), { validityDays: 200, time: validationTime })).toEqual([]);
    expect(await lintRequest(buildRequest({ key: 'rsa2048' }), { validityDays: 90, time: validationTime })).toEqual([]);
  });

  it('reads requests the OpenSSL CLI writes, and OpenSSL verifies the test requests', async () => {
    const dir = tempDir();
    const made = openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${dir}/key.pem`, '-subj', '/CN=appliance.example.com', '-addext', 'subjectAltName=DNS:appliance.example.com', '-outform', 'DER', '-out', `${dir}/req.der`]);
    expect(made.status).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(await lintRequest(new Uint8Array(readFileSync(`${dir}/req.der`)), { time: validationTime })).toEqual([]);
    const ours = writeTemp(dir, 'ours.pem', toPem(buildRequest(), 'CERTIFICATE REQUEST'));
    const verified = openssl(['req', '-in', ours, '-verify', '-noout']);
    expect(verified.status).toBe(0);
    expect(verified.stdout + verified.stderr).toMatch(/verify OK/);
  });

  for (const b of breaks) {
    const want = [...new Set([b.code, ...(b.also ?? [])])].sort();
    it(`${b.code} (${b.what}): ${want.join(', ')}`, async () => {
      const problems = await lintRequest(buildRequest(b.spec), { time: validationTime, ...(b.validityDays ? { validityDays: b.validityDays } : {}) });
      expect([...new Set(problems.map((p) => p.code))].sort()).toEqual(want);
      for (const p of problems) expect({ code: p.code, sources: p.sources, verdict: p.verdict }).toEqual({ code: p.code, sources: ruleFor(p.code).sources, verdict: ruleFor(p.code).verdict });
      for (const p of problems) expect(p.message).toMatch(/the request “/);
    });
  }

  it('breaks every request rule except the ones listed, each with its reason', () => {
    const broken = new Set(breaks.flatMap((b) => [b.code, ...(b.also ?? [])]));
    expect(lintRulesFor('request').map((r) => r.code).filter((code) => !broken.has(code)).sort()).toEqual(Object.keys(withoutBreak).sort());
  });

  it('refuses bytes that are not a request with a typed error', async () => {
    await expect(lintRequest(Uint8Array.of(0x30, 0x00))).rejects.toMatchObject({ code: 'invalid-csr' });
  });
});

describe('lint of certificates', () => {
  it('names its rule, source and the certificate for a finding', async () => {
    const chain = buildChain({ leaf: (spec) => ({ ...spec, spki: subjectPublicKeyInfo(keyPair('p256', 'leaf')), serial: Uint8Array.of(1, 2, 3) }) });
    const problems = await lintCertificate(chain.leaf.der, { time: validationTime });
    expect(problems).toEqual([expect.objectContaining({ code: 'serial-number-entropy', verdict: 'warn', sources: ruleFor('serial-number-entropy').sources, certificate: expect.objectContaining({ subject: 'CN=appliance.example.com', index: 0 }) })]);
  });

  it('takes a CA certificate as a root when self-issued, else as an intermediate', async () => {
    const chain = buildChain({ root: (spec) => ({ ...spec, subject: der.sequence(), issuer: der.sequence() }) });
    expect((await lintCertificate(chain.root.der)).map((p) => p.code)).toContain('ca-subject-attributes');
    expect(await lintCertificate(chain.intermediates[0]!.der, { time: validationTime })).toEqual([]);
  });
});
