/**
 * The one verifier (signatures/), every algorithm both ways: signatures made by OpenSSL through
 * Node's crypto verify, and the same signature over altered data or with an altered byte does
 * not; PSS parameter variants; SHA-1 and the legacy algorithms reported, checked only when
 * the caller asks. And the signer's output, read back by Node's crypto.
 */
import { constants, generateKeyPairSync, sign, verify as nodeVerify, createPublicKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { der, OID } from '../../../src/core/pki/asn1';
import { generateKey } from '../../../src/core/pki/keys';
import { isSelfSigned, signatureAlgorithmIdentifier, signWithKey, verifySignature, type SignatureCheck } from '../../../src/core/pki/signatures';
import { parseAlgorithmIdentifier, parseCertificate, parseSpki, type AlgorithmIdentifier } from '../../../src/core/pki/x509';
import { readDer } from '../../../src/core/pki/asn1';
import { fixture, fixtureText } from '../../support/fixtures';

const data = new TextEncoder().encode('the TBSCertificate bytes a CA signed');
const algorithm = (oid: string, ...parameters: Uint8Array[]): AlgorithmIdentifier => parseAlgorithmIdentifier(readDer(der.sequence(der.oid(oid), ...parameters)), 'test');
const spkiOf = (key: KeyObject) => parseSpki(new Uint8Array(key.export({ type: 'spki', format: 'der' })));

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = { 'P-256': generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'P-384': generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'P-521': generateKeyPairSync('ec', { namedCurve: 'P-521' }) };
const ed25519 = generateKeyPairSync('ed25519');
const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });

/** hashAlgorithm / MGF1 parameters of RSASSA-PSS (RFC 4055 §3.1). */
const hashId = (oid: string) => der.sequence(der.oid(oid), der.nullValue());
function pssParams(hash: string, options: { mgfHash?: string; salt?: number; trailer?: number } = {}): Uint8Array {
  const parts = [der.explicit(0, hashId(hash)), der.explicit(1, der.sequence(der.oid(OID.mgf1), hashId(options.mgfHash ?? hash)))];
  if (options.salt !== undefined) parts.push(der.explicit(2, der.integer(options.salt)));
  if (options.trailer !== undefined) parts.push(der.explicit(3, der.integer(options.trailer)));
  return der.sequence(...parts);
}
const pss = (hash: string, saltLength: number) => new Uint8Array(sign(hash, data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }));

interface Row {
  name: string;
  alg: AlgorithmIdentifier;
  signature: Uint8Array;
  key: KeyObject;
  options?: { allowSha1?: boolean; allowLegacy?: boolean };
  want: SignatureCheck['ok'] | string;
}

const rows: Row[] = [
  { name: 'RSA PKCS#1 v1.5 SHA-256', alg: algorithm(OID.sha256WithRSAEncryption, der.nullValue()), signature: new Uint8Array(sign('sha256', data, rsa.privateKey)), key: rsa.publicKey, want: true },
  { name: 'RSA PKCS#1 v1.5 SHA-384 (parameters absent, RFC 4055 §5 allows it)', alg: algorithm(OID.sha384WithRSAEncryption), signature: new Uint8Array(sign('sha384', data, rsa.privateKey)), key: rsa.publicKey, want: true },
  { name: 'RSA PKCS#1 v1.5 SHA-512', alg: algorithm(OID.sha512WithRSAEncryption, der.nullValue()), signature: new Uint8Array(sign('sha512', data, rsa.privateKey)), key: rsa.publicKey, want: true },
  { name: 'RSA PKCS#1 v1.5 SHA-1, not allowed', alg: algorithm(OID.sha1WithRSAEncryption, der.nullValue()), signature: new Uint8Array(sign('sha1', data, rsa.privateKey)), key: rsa.publicKey, want: 'weak-signature-algorithm' },
  { name: 'RSA PKCS#1 v1.5 SHA-1, allowed (a root’s self-signature)', alg: algorithm(OID.sha1WithRSAEncryption, der.nullValue()), signature: new Uint8Array(sign('sha1', data, rsa.privateKey)), key: rsa.publicKey, options: { allowSha1: true }, want: true },
  { name: 'RSASSA-PSS SHA-256, salt 32', alg: algorithm(OID.rsassaPss, pssParams(OID.sha256, { salt: 32 })), signature: pss('sha256', 32), key: rsa.publicKey, want: true },
  { name: 'RSASSA-PSS SHA-384, salt 48', alg: algorithm(OID.rsassaPss, pssParams(OID.sha384, { salt: 48 })), signature: pss('sha384', 48), key: rsa.publicKey, want: true },
  { name: 'RSASSA-PSS SHA-512, salt 64, trailer 1 written out', alg: algorithm(OID.rsassaPss, pssParams(OID.sha512, { salt: 64, trailer: 1 })), signature: pss('sha512', 64), key: rsa.publicKey, want: true },
  { name: 'RSASSA-PSS SHA-256, salt 0', alg: algorithm(OID.rsassaPss, pssParams(OID.sha256, { salt: 0 })), signature: pss('sha256', 0), key: rsa.publicKey, want: true },
  { name: 'RSASSA-PSS whose salt length differs from the signature’s', alg: algorithm(OID.rsassaPss, pssParams(OID.sha256, { salt: 20 })), signature: pss('sha256', 32), key: rsa.publicKey, want: 'bad-signature' },
  { name: 'RSASSA-PSS with an MGF1 hash other than the message hash', alg: algorithm(OID.rsassaPss, pssParams(OID.sha256, { mgfHash: OID.sha384, salt: 32 })), signature: pss('sha256', 32), key: rsa.publicKey, want: 'unsupported-signature-algorithm' },
  { name: 'RSASSA-PSS with trailer field 2', alg: algorithm(OID.rsassaPss, pssParams(OID.sha256, { salt: 32, trailer: 2 })), signature: pss('sha256', 32), key: rsa.publicKey, want: 'unsupported-signature-algorithm' },
  { name: 'RSASSA-PSS with malformed parameters', alg: algorithm(OID.rsassaPss, der.sequence(der.integer(1))), signature: pss('sha256', 32), key: rsa.publicKey, want: 'unsupported-signature-algorithm' },
  { name: 'RSASSA-PSS without parameters (SHA-1 defaults), not allowed', alg: algorithm(OID.rsassaPss), signature: pss('sha1', 20), key: rsa.publicKey, want: 'weak-signature-algorithm' },
  { name: 'RSASSA-PSS without parameters (SHA-1 defaults), allowed', alg: algorithm(OID.rsassaPss), signature: pss('sha1', 20), key: rsa.publicKey, options: { allowSha1: true }, want: true },
  { name: 'ECDSA P-256 SHA-256', alg: algorithm(OID.ecdsaWithSHA256), signature: new Uint8Array(sign('sha256', data, ec['P-256'].privateKey)), key: ec['P-256'].publicKey, want: true },
  { name: 'ECDSA P-384 SHA-384', alg: algorithm(OID.ecdsaWithSHA384), signature: new Uint8Array(sign('sha384', data, ec['P-384'].privateKey)), key: ec['P-384'].publicKey, want: true },
  { name: 'ECDSA P-521 SHA-512', alg: algorithm(OID.ecdsaWithSHA512), signature: new Uint8Array(sign('sha512', data, ec['P-521'].privateKey)), key: ec['P-521'].publicKey, want: true },
  { name: 'ECDSA P-256 with SHA-384 (any pairing X.509 allows)', alg: algorithm(OID.ecdsaWithSHA384), signature: new Uint8Array(sign('sha384', data, ec['P-256'].privateKey)), key: ec['P-256'].publicKey, want: true },
  { name: 'ECDSA SHA-1, not allowed', alg: algorithm(OID.ecdsaWithSHA1), signature: new Uint8Array(sign('sha1', data, ec['P-256'].privateKey)), key: ec['P-256'].publicKey, want: 'weak-signature-algorithm' },
  { name: 'ECDSA SHA-1, allowed', alg: algorithm(OID.ecdsaWithSHA1), signature: new Uint8Array(sign('sha1', data, ec['P-256'].privateKey)), key: ec['P-256'].publicKey, options: { allowSha1: true }, want: true },
  { name: 'ECDSA with a raw r‖s instead of DER', alg: algorithm(OID.ecdsaWithSHA256), signature: new Uint8Array(sign('sha256', data, { key: ec['P-256'].privateKey, dsaEncoding: 'ieee-p1363' })), key: ec['P-256'].publicKey, want: 'bad-signature' },
  { name: 'Ed25519', alg: algorithm(OID.ed25519), signature: new Uint8Array(sign(null, data, ed25519.privateKey)), key: ed25519.publicKey, want: true },
  { name: 'Ed25519 with parameters (RFC 8410 §3 forbids them)', alg: algorithm(OID.ed25519, der.nullValue()), signature: new Uint8Array(sign(null, data, ed25519.privateKey)), key: ed25519.publicKey, want: 'unsupported-signature-algorithm' },
  { name: 'an RSA signature checked with an EC key', alg: algorithm(OID.sha256WithRSAEncryption, der.nullValue()), signature: new Uint8Array(sign('sha256', data, rsa.privateKey)), key: ec['P-256'].publicKey, want: 'bad-signature' },
  { name: 'an unknown algorithm', alg: algorithm('1.2.3.4'), signature: new Uint8Array(8), key: rsa.publicKey, want: 'unsupported-signature-algorithm' },
  // Legacy: recognised and refused for TLS; checked (in BigInt arithmetic) only when asked.
  { name: 'MD5 with RSA, not allowed', alg: algorithm(OID.md5WithRSAEncryption, der.nullValue()), signature: new Uint8Array(sign('md5', data, rsa.privateKey)), key: rsa.publicKey, want: 'weak-signature-algorithm' },
  { name: 'MD5 with RSA, legacy allowed', alg: algorithm(OID.md5WithRSAEncryption, der.nullValue()), signature: new Uint8Array(sign('md5', data, rsa.privateKey)), key: rsa.publicKey, options: { allowLegacy: true }, want: true },
  { name: 'SHA-224 with RSA (WebCrypto has no SHA-224)', alg: algorithm(OID.sha224WithRSAEncryption, der.nullValue()), signature: new Uint8Array(sign('sha224', data, rsa.privateKey)), key: rsa.publicKey, want: 'unsupported-signature-algorithm' },
  { name: 'SHA-224 with RSA, legacy allowed', alg: algorithm(OID.sha224WithRSAEncryption, der.nullValue()), signature: new Uint8Array(sign('sha224', data, rsa.privateKey)), key: rsa.publicKey, options: { allowLegacy: true }, want: true },
  { name: 'DSA with SHA-256, not allowed', alg: algorithm(OID.dsaWithSHA256), signature: new Uint8Array(sign('sha256', data, dsa.privateKey)), key: dsa.publicKey, want: 'weak-signature-algorithm' },
  { name: 'DSA with SHA-256, legacy allowed', alg: algorithm(OID.dsaWithSHA256), signature: new Uint8Array(sign('sha256', data, dsa.privateKey)), key: dsa.publicKey, options: { allowLegacy: true }, want: true },
  { name: 'DSA with SHA-1, legacy allowed', alg: algorithm(OID.dsaWithSHA1), signature: new Uint8Array(sign('sha1', data, dsa.privateKey)), key: dsa.publicKey, options: { allowLegacy: true }, want: true },
  { name: 'MD2 with RSA (no MD2 implementation: never checkable)', alg: algorithm(OID.md2WithRSAEncryption, der.nullValue()), signature: new Uint8Array(256), key: rsa.publicKey, options: { allowLegacy: true }, want: 'unsupported-signature-algorithm' },
];

const outcome = (check: SignatureCheck) => (check.ok ? true : check.code);

describe('verifySignature: every algorithm, valid and tampered', () => {
  for (const row of rows) {
    it(`${row.name} → ${row.want}`, async () => {
      const key = spkiOf(row.key);
      expect(outcome(await verifySignature(data, row.alg, row.signature, key, row.options))).toBe(row.want);
      if (row.want !== true) return;
      // The signature OpenSSL made verifies; one altered bit of data or signature does not.
      const altered = data.slice();
      altered[0]! ^= 1;
      expect(outcome(await verifySignature(altered, row.alg, row.signature, key, row.options))).toBe('bad-signature');
      const tampered = row.signature.slice();
      tampered[tampered.length - 2]! ^= 0x40;
      expect(outcome(await verifySignature(data, row.alg, tampered, key, row.options))).toBe('bad-signature');
    });
  }

  it('an RSASSA-PSS key (id-RSASSA-PSS SPKI) verifies PSS signatures and refuses PKCS#1 v1.5', async () => {
    const pssKey = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const key = spkiOf(pssKey.publicKey);
    expect(key.algorithm.oid).toBe(OID.rsassaPss);
    const signature = new Uint8Array(sign('sha256', data, { key: pssKey.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
    expect(outcome(await verifySignature(data, algorithm(OID.rsassaPss, pssParams(OID.sha256, { salt: 32 })), signature, key))).toBe(true);
    expect(outcome(await verifySignature(data, algorithm(OID.sha256WithRSAEncryption, der.nullValue()), new Uint8Array(256), key))).toBe('bad-signature');
  });

  it('never throws, whatever the signature bytes', async () => {
    for (const row of rows.slice(0, 20))
      for (const signature of [new Uint8Array(0), Uint8Array.of(0x30, 0x80), new Uint8Array(600).fill(0xff)])
        expect((await verifySignature(data, row.alg, signature, spkiOf(row.key), row.options)).ok).toBe(false);
  });
});

describe('the signer: Node’s crypto verifies what signWithKey makes', () => {
  for (const algorithmName of ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'] as const) {
    it(algorithmName, async () => {
      const key = await generateKey(algorithmName, { exportable: false });
      const signature = new Uint8Array(await signWithKey(key, data));
      const alg = parseAlgorithmIdentifier(readDer(signatureAlgorithmIdentifier(key)), 'test');
      const hash = alg.oid === OID.ecdsaWithSHA384 ? 'sha384' : 'sha256';
      expect(nodeVerify(hash, data, createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }), signature)).toBe(true);
      expect(await verifySignature(data, alg, signature, parseSpki(key.spki))).toEqual({ ok: true });
    });
  }
});

describe('isSelfSigned: one definition', () => {
  const pem = (text: string) => [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/g)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s/g, ''), 'base64')));
  it('all 144 Mozilla roots are self-signed (SHA-1 self-signatures included)', async () => {
    const results = await Promise.all(pem(fixtureText('mozilla-roots.pem')).map((d) => isSelfSigned(parseCertificate(d))));
    expect(results.filter(Boolean)).toHaveLength(144);
  });

  it.each([
    [['openssl-set', 'ec', 'root.der'], true],
    [['openssl-set', 'rsa', 'selfsigned.der'], true],
    [['openssl-set', 'rsa', 'ica.der'], false],
  ] as const)('%j → %s', async (path, want) => {
    expect(await isSelfSigned(parseCertificate(fixture(...path)))).toBe(want);
  });

  it('an MD2 root is self-issued but its self-signature cannot be checked, so it is not self-signed', async () => {
    const c = parseCertificate(pem(fixtureText('x509-misc', 'pyca-cryptography-vectors-38.0.4', 'verisign_md2_root.pem'))[0]!);
    expect(c.selfIssued).toBe(true);
    expect(await isSelfSigned(c)).toBe(false);
  });
});
