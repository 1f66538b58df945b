/**
 * PBES2 with every PRF and cipher, both directions through `openssl pkcs8` (what OpenSSL writes
 * Certdesk reads: tests/interop/pkcs12.test.ts), and each scheme parameter at its limit and one past.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { der, OID, readDer } from '../../../../src/core/pki/asn1';
import { limits } from '../../../../src/core/pki/limits';
import { decryptPrivateKeyInfo } from '../../../../src/core/pki/pkcs12';
import { hashes } from '../../../../src/core/pki/pkcs12/hashes';
import { WorkBudget } from '../../../../src/core/pki/pkcs12/budget';
import { readEncryptedPrivateKeyInfo } from '../../../../src/core/pki/pkcs12/pkcs8';
import { encodePbeScheme, pbeEncrypt, readPbeScheme, type PbeScheme } from '../../../../src/core/pki/pkcs12/pbes';
import { fixturePath, fixtureText, openssl, tempDir, writeTemp } from '../../../support/fixtures';
import { codeOf } from '../../../support/errors';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const key = new Uint8Array(Buffer.from(fixtureText('openssl-set', 'ec', 'server.pkcs8.pem').replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64'));

describe('OpenSSL reads PBES2 that Certdesk writes, with every PRF and cipher', () => {
  const ciphers = [
    { cipher: 'AES-128-CBC', iv: 16 },
    { cipher: 'AES-192-CBC', iv: 16 },
    { cipher: 'AES-256-CBC', iv: 16 },
    { cipher: 'DES-EDE3-CBC', iv: 8 },
  ] as const;
  const cases = hashes.flatMap((prf) => ciphers.map((c) => ({ prf: prf.name, ...c })));
  it.each(cases)('PBKDF2-HMAC-$prf, $cipher', async ({ prf, cipher, iv }) => {
    const scheme: PbeScheme = { kind: 'pbes2', prf: hashes.find((h) => h.name === prf)!, salt: crypto.getRandomValues(new Uint8Array(16)), iterations: 1000, cipher, iv: crypto.getRandomValues(new Uint8Array(iv)) };
    const encrypted = der.sequence(encodePbeScheme(scheme), der.octetString(await pbeEncrypt({ budget: new WorkBudget() }, scheme, 'pässwörd', key)));
    const dir = tempDir();
    const file = writeTemp(dir, 'key.der', encrypted);
    const out = join(dir, 'plain.der');
    const r = openssl(['pkcs8', '-topk8', '-nocrypt', '-inform', 'DER', '-in', file, '-passin', 'pass:pässwörd', '-outform', 'DER', '-out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(hex(new Uint8Array(readFileSync(out)))).toBe(hex(key));
    expect(hex(await decryptPrivateKeyInfo(encrypted, 'pässwörd'))).toBe(hex(key));
  });

  it('Certdesk reads the PRF OpenSSL wrote (-v2prf hmacWithSHA512)', () => {
    const dir = tempDir();
    const file = join(dir, 'k.der');
    const r = openssl(['pkcs8', '-topk8', '-in', fixturePath('openssl-set', 'ec', 'server.pkcs8.pem'), '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA512', '-passout', 'pass:x', '-outform', 'DER', '-out', file]);
    expect(r.status, r.stderr).toBe(0);
    const { scheme } = readEncryptedPrivateKeyInfo(new Uint8Array(readFileSync(file)));
    expect(scheme).toMatchObject({ kind: 'pbes2', cipher: 'AES-256-CBC', prf: { name: 'SHA-512' } });
  });
});

describe('scheme parameters at their limits and one past', () => {
  const pbkdf2 = (salt: Uint8Array, iterations: number, ivLength = 16, keyLength?: number) =>
    der.sequence(
      der.oid(OID.pbes2),
      der.sequence(
        der.sequence(der.oid(OID.pbkdf2), der.sequence(der.octetString(salt), der.integer(iterations), ...(keyLength === undefined ? [] : [der.integer(keyLength)]))),
        der.sequence(der.oid(OID.aes256Cbc), der.octetString(new Uint8Array(ivLength))),
      ),
    );
  const pkcs12Pbe = (salt: Uint8Array, iterations: number) => der.sequence(der.oid(OID.pbeWithSHAAnd3KeyTripleDESCBC), der.sequence(der.octetString(salt), der.integer(iterations)));
  const read = (alg: Uint8Array) => () => readPbeScheme(readDer(alg), 'key');
  it.each([
    ['PBKDF2 salt', (n: number) => pbkdf2(new Uint8Array(n), 1)],
    ['PKCS#12 PBE salt', (n: number) => pkcs12Pbe(new Uint8Array(n), 1)],
  ])('%s of limits.maxSaltBytes is read; one byte more is limit-exceeded', (_name, build) => {
    expect(read(build(limits.maxSaltBytes))().salt).toHaveLength(limits.maxSaltBytes);
    expect(read(build(limits.maxSaltBytes + 1))).toThrow(expect.objectContaining({ code: 'limit-exceeded', message: expect.stringContaining('limits.maxSaltBytes') }));
  });
  it.each([
    ['PBKDF2', (n: number) => pbkdf2(new Uint8Array(8), n)],
    ['PKCS#12 PBE', (n: number) => pkcs12Pbe(new Uint8Array(8), n)],
  ])('%s iterations 1 and limits.maxKdfIterations are read; 0 is malformed, one more limit-exceeded', (_name, build) => {
    expect(read(build(1))().iterations).toBe(1);
    expect(read(build(limits.maxKdfIterations))().iterations).toBe(limits.maxKdfIterations);
    expect(read(build(0))).toThrow(expect.objectContaining({ code: 'invalid-encoding' }));
    expect(read(build(limits.maxKdfIterations + 1))).toThrow(expect.objectContaining({ code: 'limit-exceeded', message: expect.stringContaining('limits.maxKdfIterations') }));
  });
  it('an AES IV of 16 bytes is read; 15 and 17 are malformed', () => {
    expect(read(pbkdf2(new Uint8Array(8), 1, 16))().kind).toBe('pbes2');
    for (const n of [15, 17]) expect(read(pbkdf2(new Uint8Array(8), 1, n))).toThrow(expect.objectContaining({ code: 'invalid-encoding' }));
  });
  it('a PBKDF2 key length equal to the cipher’s (32) is read; 31 and 33 are malformed', () => {
    expect(read(pbkdf2(new Uint8Array(8), 1, 16, 32))().kind).toBe('pbes2');
    for (const n of [31, 33]) expect(read(pbkdf2(new Uint8Array(8), 1, 16, n))).toThrow(expect.objectContaining({ code: 'invalid-encoding' }));
  });
  it('an encrypted key with such a scheme ends in a typed error, never a raw one', async () => {
    const bad = der.sequence(pbkdf2(new Uint8Array(limits.maxSaltBytes + 1), 1), der.octetString(new Uint8Array(16)));
    expect(await codeOf(decryptPrivateKeyInfo(bad, 'x'))).toBe('limit-exceeded');
  });
});
