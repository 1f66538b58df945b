/**
 * Issue 12, "Work bounds": one regression test per finding, named after it. Each file is built
 * here with the parameters the finding names; each must be refused with a typed error before
 * the work starts (timings are in tests/bench/pkcs12.bench.ts, not here).
 */
import { describe, expect, it } from 'vitest';
import { der, OID } from '../../../../src/core/pki/asn1';
import { pemOf, pkcs12 } from '../../../support/hostile-inputs';
import { decodeInput } from '../../../../src/core/pki/decode';
import { limits } from '../../../../src/core/pki/limits';
import { importPkcs12 } from '../../../../src/core/pki/pkcs12';
import { fixtureText } from '../../../support/fixtures';
import { codeOf } from '../../../support/errors';

const { pfx, macData, pbes2, encryptedKey, keyBag, keyWithHugeOidAttribute } = pkcs12;
const certBag = pkcs12.certBag();
const pem = pemOf;

describe('issue 12 work bounds: each finding is refused before the work', () => {
  it('SHA-1 MAC at 1e8 iterations with the NULL and the empty password → work-limit-exceeded', async () => {
    const file = pfx([certBag], macData(OID.sha1, 100_000_000, 20));
    for (const password of [null, '']) {
      const promise = importPkcs12(file, password);
      await expect(promise).rejects.toMatchObject({ code: 'work-limit-exceeded' });
      // Both candidates are counted: 2 × 1e8 compressions.
      await expect(promise).rejects.toThrow(/asks for about 4 minutes of key derivation \(200 million hash compressions\); Certdesk stops at 5 seconds/);
    }
  });

  it('SHA-512 MAC at 1e8 iterations → work-limit-exceeded (a 128-byte block counts twice)', async () => {
    const promise = importPkcs12(pfx([certBag], macData(OID.sha512, 100_000_000, 64)), 'x');
    await expect(promise).rejects.toMatchObject({ code: 'work-limit-exceeded' });
    await expect(promise).rejects.toThrow(/\(200 million hash compressions\)/);
  });

  it('PBKDF2-HMAC-SHA512/224 at 1e8 iterations → work-limit-exceeded', async () => {
    const bag = der.sequence(der.oid(OID.pkcs8ShroudedKeyBag), der.explicit(0, encryptedKey(pbes2(OID.hmacWithSHA512_224, 100_000_000))));
    expect(await codeOf(importPkcs12(pfx([bag]), 'x'))).toBe('work-limit-exceeded');
    expect(await codeOf(decodeInput(encryptedKey(pbes2(OID.hmacWithSHA512_224, 100_000_000)), { password: 'x' }))).toBe('work-limit-exceeded');
  });

  it('three encrypted keys of 7e7 iterations in one PEM → work-limit-exceeded', async () => {
    const text = [1, 2, 3].map(() => pem('ENCRYPTED PRIVATE KEY', encryptedKey(pbes2(OID.hmacWithSHA256, 70_000_000)))).join('');
    expect(await codeOf(decodeInput(new TextEncoder().encode(text), { password: 'x' }))).toBe('work-limit-exceeded');
  });

  it('three encrypted keys in one PEM, each under the per-file ceiling, together over it → work-limit-exceeded before any is decrypted', async () => {
    // PBKDF2-HMAC-SHA256, AES-256 (one 32-byte block): about 2 compressions per iteration, so
    // each key asks for ~45% of limits.maxWorkPerFile and one alone would be accepted.
    const iterations = Math.floor((limits.maxWorkPerFile * 0.45) / 2);
    const one = pem('ENCRYPTED PRIVATE KEY', encryptedKey(pbes2(OID.hmacWithSHA256, iterations)));
    expect(await codeOf(decodeInput(new TextEncoder().encode(one + one + one), { password: 'x' }))).toBe('work-limit-exceeded');
    expect(await codeOf(decodeInput(new TextEncoder().encode(one), { password: 'x' }))).toBe('wrong-password');
  });

  it('a 9 MB PBKDF2 salt → limit-exceeded', async () => {
    const salt = new Uint8Array(9 * 1024 * 1024);
    const bag = der.sequence(der.oid(OID.pkcs8ShroudedKeyBag), der.explicit(0, encryptedKey(pbes2(OID.hmacWithSHA256, 1, salt))));
    const promise = importPkcs12(pfx([bag]), 'x');
    await expect(promise).rejects.toMatchObject({ code: 'limit-exceeded', message: expect.stringContaining('limits.maxSaltBytes') });
    expect(await codeOf(decodeInput(encryptedKey(pbes2(OID.hmacWithSHA256, 1, salt)), { password: 'x' }))).toBe('limit-exceeded');
  });

  it.each([
    ['1 MB', 1024 * 1024],
    ['9 MB', 9 * 1024 * 1024],
  ])('a %s OID in a key bag’s PKCS#8 attributes → pkcs12-malformed', async (_name, bytes) => {
    const promise = importPkcs12(pfx([certBag, keyBag(keyWithHugeOidAttribute(bytes))]), null);
    await expect(promise).rejects.toMatchObject({ code: 'pkcs12-malformed' });
    await expect(promise).rejects.toThrow(/object identifier longer than 128 bytes/);
  });

  it('the same key with a short attribute OID still loads (the bound is the OID, not attributes)', async () => {
    const contents = await importPkcs12(pfx([certBag, keyBag(keyWithHugeOidAttribute(8))]), null);
    expect(contents.keys.map((k) => k.value.length)).toEqual([keyWithHugeOidAttribute(8).length]);
  });
});

describe('limits.maxWorkPerImport: files of one import share a budget', () => {
  // One key of PBKDF2-HMAC-SHA256 asking for ~60% of a file's ceiling.
  const iterations = Math.floor((limits.maxWorkPerFile * 0.6) / 2);
  const file = encryptedKey(pbes2(OID.hmacWithSHA256, iterations));
  it('a file that fits alone is refused when earlier files of the import spent the rest', async () => {
    expect(await codeOf(decodeInput(file, { password: 'x', importWorkSpent: limits.maxWorkPerImport - limits.maxWorkPerFile }))).toBe('wrong-password');
    const promise = decodeInput(file, { password: 'x', importWorkSpent: limits.maxWorkPerImport - limits.maxWorkPerFile / 2 });
    await expect(promise).rejects.toMatchObject({ code: 'work-limit-exceeded', message: expect.stringContaining('limits.maxWorkPerImport') });
  });
  it('decodeInput reports the work a file took', async () => {
    const out = await decodeInput(new TextEncoder().encode(fixtureText('openssl-set', 'rsa', 'server.pkcs8-enc.pem')), { password: 'changeit' });
    expect(out.workSpent).toBeGreaterThan(2 * 2048);
    expect(out.workSpent).toBeLessThan(3 * 2048 + 100);
  });
});
