import { describe, expect, it } from 'vitest';
import { der } from '../../../src/core/pki/asn1';
import {
  exportPrivateKey,
  generateKey,
  importPrivateKey,
  inspectPrivateKey,
  pkcs1ToPkcs8,
  publicKeyFromPrivateKey,
  sec1ToPkcs8,
  sha256Hex,
  type KeyAlgorithmName,
} from '../../../src/core/pki/keys';
import { parsePem } from '../../../src/core/pki/pem';
import { toHex } from '../../../src/core/pki/asn1/bytes';
import { CertdeskError } from '../../../src/core/errors';
import { fixtureText, openssl, tempDir } from '../../support/fixtures';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const pemDer = (text: string) => parsePem(text)[0]!.der;

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(CertdeskError);
  await expect(promise).rejects.toMatchObject({ code });
}

describe('generateKey', () => {
  const table: { algorithm: KeyAlgorithmName; name: string; extra: Record<string, unknown> }[] = [
    { algorithm: 'RSA-2048', name: 'RSASSA-PKCS1-v1_5', extra: { modulusLength: 2048, hash: { name: 'SHA-256' } } },
    { algorithm: 'RSA-3072', name: 'RSASSA-PKCS1-v1_5', extra: { modulusLength: 3072 } },
    { algorithm: 'RSA-4096', name: 'RSASSA-PKCS1-v1_5', extra: { modulusLength: 4096 } },
    { algorithm: 'ECDSA-P256', name: 'ECDSA', extra: { namedCurve: 'P-256' } },
    { algorithm: 'ECDSA-P384', name: 'ECDSA', extra: { namedCurve: 'P-384' } },
  ];
  for (const c of table) {
    it(`${c.algorithm}: non-extractable working key, SPKI identity, exportable PKCS#8 that matches`, async () => {
      const key = await generateKey(c.algorithm, { exportable: true });
      expect(key.algorithm).toBe(c.algorithm);
      expect(key.privateKey.extractable).toBe(false);
      expect(key.privateKey.usages).toEqual(['sign']);
      expect(key.privateKey.algorithm).toMatchObject({ name: c.name, ...c.extra });
      expect(key.publicKeySha256).toBe(await sha256Hex(key.spki));
      expect(toHex(new Uint8Array(await crypto.subtle.exportKey('spki', key.publicKey)))).toBe(toHex(key.spki));
      expect(key.wrapped?.wrappingKey.extractable).toBe(false);
      expect(key.wrapped?.wrappingKey.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
      const pkcs8 = await exportPrivateKey(key);
      expect(toHex(await publicKeyFromPrivateKey(pkcs8))).toBe(toHex(key.spki));
      // The unwrapped key really is the private half: sign with the working key, verify with the public.
      const data = new TextEncoder().encode('proof');
      const params = c.name === 'ECDSA' ? { name: 'ECDSA', hash: c.algorithm === 'ECDSA-P384' ? 'SHA-384' : 'SHA-256' } : { name: c.name };
      const signature = await crypto.subtle.sign(params, key.privateKey, data);
      expect(await crypto.subtle.verify(params, key.publicKey, signature, data)).toBe(true);
    });
  }

  it('a non-exportable key has no wrapped copy and refuses export with a typed error', async () => {
    const key = await generateKey('ECDSA-P256', { exportable: false });
    expect(key.wrapped).toBeUndefined();
    expect(key.exportable).toBe(false);
    await expectCode(exportPrivateKey(key), 'key-not-exportable');
    await expect(crypto.subtle.exportKey('pkcs8', key.privateKey)).rejects.toThrow();
  });

  it('survives structured clone (IndexedDB stores it as is)', async () => {
    const key = await generateKey('ECDSA-P256', { exportable: true });
    const copy = structuredClone(key);
    expect(copy.publicKeySha256).toBe(key.publicKeySha256);
    expect(toHex(await exportPrivateKey(copy))).toBe(toHex(await exportPrivateKey(key)));
  });

  it('is cancelled before it starts and after it ends, only with an AbortError', async () => {
    const before = new AbortController();
    before.abort();
    await expect(generateKey('RSA-2048', { exportable: false, signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const during = new AbortController();
    const pending = generateKey('RSA-2048', { exportable: true, signal: during.signal });
    during.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses an algorithm it does not create', async () => {
    await expectCode(generateKey('RSA-1024' as KeyAlgorithmName, { exportable: false }), 'unsupported-key-algorithm');
  });
});

describe('importPrivateKey on the OpenSSL fixtures', () => {
  const table = [
    { family: 'rsa', name: 'server', algorithm: 'RSA-2048' },
    { family: 'rsa', name: 'ica', algorithm: 'RSA-3072' },
    { family: 'rsa', name: 'root', algorithm: 'RSA-4096' },
    { family: 'ec', name: 'server', algorithm: 'ECDSA-P256' },
    { family: 'ec', name: 'root', algorithm: 'ECDSA-P384' },
  ];
  for (const c of table) {
    it(`${c.family}/${c.name}: PKCS#8 imports as ${c.algorithm} with the SPKI OpenSSL derived`, async () => {
      const pkcs8 = pemDer(fixtureText('openssl-set', c.family, `${c.name}.pkcs8.pem`));
      const spki = pemDer(fixtureText('openssl-set', c.family, `${c.name}.pub.pem`));
      const key = await importPrivateKey(pkcs8, { exportable: true });
      expect(key.algorithm).toBe(c.algorithm);
      expect(key.privateKey.extractable).toBe(false);
      expect(toHex(key.spki)).toBe(toHex(spki));
      expect(toHex(await exportPrivateKey(key))).toBe(toHex(pkcs8));
    });
    it(`${c.family}/${c.name}: the traditional form converts to the same PKCS#8 bytes`, () => {
      const trad = parsePem(fixtureText('openssl-set', c.family, `${c.name}.trad.pem`))[0]!;
      const converted = trad.label === 'RSA PRIVATE KEY' ? pkcs1ToPkcs8(trad.der) : sec1ToPkcs8(trad.der);
      expect(['RSA PRIVATE KEY', 'EC PRIVATE KEY']).toContain(trad.label);
      expect(toHex(converted)).toBe(toHex(pemDer(fixtureText('openssl-set', c.family, `${c.name}.pkcs8.pem`))));
    });
  }
});

/** A PKCS#8 RSA key with a modulus of `bits` bits; not a working key, only for the size checks. */
function syntheticRsa(bits: number, exponent: number[]): Uint8Array {
  const modulus = new Uint8Array(Math.ceil(bits / 8));
  modulus.fill(0xab);
  modulus[0] = 1 << ((bits - 1) % 8);
  // RSAPrivateKey (RFC 8017 appendix A.1.2): version, n, e, then d, p, q, dP, dQ, qInv (all 1 here).
  const pkcs1 = der.sequence(der.integer(0), der.integer(modulus), der.integer(Uint8Array.from(exponent)), ...Array.from({ length: 6 }, () => der.integer(1)));
  return pkcs1ToPkcs8(pkcs1);
}

describe('key checks', () => {
  it('accepts an RSA modulus of exactly limits.maxRsaBits (8192) and refuses 8193', async () => {
    expect(inspectPrivateKey(syntheticRsa(8192, [1, 0, 1]))).toMatchObject({ type: 'rsa', bits: 8192, algorithm: 'RSA-8192' });
    await expectCode(importPrivateKey(syntheticRsa(8193, [1, 0, 1]), { exportable: false }), 'rsa-key-too-large');
  });

  const exponents: { e: number[]; code?: string }[] = [{ e: [1], code: 'rsa-exponent-invalid' }, { e: [2], code: 'rsa-exponent-invalid' }, { e: [1, 0, 0], code: 'rsa-exponent-invalid' }, { e: [3] }, { e: [1, 0, 1] }];
  for (const c of exponents) {
    it(`public exponent ${toHex(Uint8Array.from(c.e))}: ${c.code ?? 'accepted'}`, () => {
      const run = () => inspectPrivateKey(syntheticRsa(2048, c.e));
      if (c.code) expect(run).toThrow(expect.objectContaining({ code: c.code }) as Error);
      else expect(run()).toMatchObject({ bits: 2048 });
    });
  }

  const dir = tempDir();
  const generated: { name: string; args: string[]; code: string }[] = [
    { name: 'explicit EC curve parameters', args: ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-pkeyopt', 'ec_param_enc:explicit'], code: 'explicit-ec-parameters' },
    { name: 'P-521', args: ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'], code: 'unsupported-curve' },
    { name: 'secp256k1', args: ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'], code: 'unsupported-curve' },
    { name: 'Ed25519', args: ['genpkey', '-algorithm', 'ED25519'], code: 'unsupported-key-type' },
    { name: 'RSA 1024', args: ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'], code: 'rsa-key-too-small' },
  ];
  for (const c of generated) {
    it(`refuses ${c.name} (${c.code})`, async () => {
      const out = join(dir, `${c.name.replace(/\W/g, '')}.pem`);
      const result = openssl([...c.args, '-out', out]);
      expect(result.status, result.stderr).toBe(0);
      const block = parsePem(readFileSync(out, 'utf8'))[0]!;
      expect(block.label).toBe('PRIVATE KEY');
      await expectCode(importPrivateKey(block.der, { exportable: false }), c.code);
    });
  }

  it('refuses damaged key bytes with invalid-private-key', async () => {
    const pkcs8 = pemDer(fixtureText('openssl-set', 'ec', 'server.pkcs8.pem'));
    await expectCode(importPrivateKey(pkcs8.subarray(0, 60), { exportable: false }), 'invalid-private-key');
    await expectCode(importPrivateKey(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), { exportable: false }), 'invalid-private-key');
  });
});
