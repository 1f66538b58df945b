import { describe, expect, it } from 'vitest';
import { hashByName, type HashName } from '../../../../src/core/pki/pkcs12/hashes';
import { pbkdf2, pkcs12Kdf } from '../../../../src/core/pki/pkcs12/kdf';
import { bmpPassword, passwordCandidates } from '../../../../src/core/pki/pkcs12/passwords';
import { openssl } from '../../../support/fixtures';
import { codeOf } from '../../../support/errors';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const h = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

describe('PKCS#12 KDF (RFC 7292 appendix B.2) against `openssl kdf PKCS12KDF`', () => {
  const cases: { hash: HashName; password: string | null; salt: string; id: 1 | 2 | 3; iter: number; len: number }[] = [
    { hash: 'SHA-1', password: 'password', salt: '0102030405060708', id: 1, iter: 2048, len: 24 },
    { hash: 'SHA-1', password: 'password', salt: '0102030405060708', id: 2, iter: 2048, len: 8 },
    { hash: 'SHA-1', password: 'password', salt: '0102030405060708', id: 3, iter: 2048, len: 20 },
    { hash: 'SHA-1', password: 'password', salt: '0102030405060708', id: 1, iter: 1, len: 5 },
    { hash: 'SHA-1', password: '', salt: '0a58cf64530d823f', id: 1, iter: 1, len: 24 },
    { hash: 'SHA-1', password: null, salt: '0a58cf64530d823f', id: 3, iter: 3, len: 20 },
    { hash: 'SHA-1', password: 'σύνθημα γνώρισμα', salt: '0102030405060708090a0b0c0d0e0f1011121314', id: 3, iter: 2000, len: 20 },
    { hash: 'SHA-1', password: 'x'.repeat(100), salt: '00'.repeat(70), id: 1, iter: 2, len: 64 },
    { hash: 'SHA-1', password: 'pässwörd€', salt: '', id: 2, iter: 5, len: 16 },
    { hash: 'SHA-224', password: 'password', salt: '0102030405060708', id: 3, iter: 100, len: 28 },
    { hash: 'SHA-256', password: 'changeit', salt: '0102030405060708', id: 3, iter: 2048, len: 32 },
    { hash: 'SHA-256', password: 'changeit', salt: '0102030405060708', id: 1, iter: 10, len: 80 },
    { hash: 'SHA-384', password: 'changeit', salt: '0102030405060708', id: 3, iter: 2048, len: 48 },
    { hash: 'SHA-512', password: 'changeit', salt: '0102030405060708', id: 3, iter: 2048, len: 64 },
    { hash: 'SHA-512', password: 'changeit', salt: 'ff'.repeat(129), id: 1, iter: 3, len: 200 },
    // Past the points where the loop yields to the event loop (every 4,096 hashes).
    { hash: 'SHA-1', password: 'changeit', salt: '0102030405060708', id: 1, iter: 70_000, len: 24 },
    { hash: 'SHA-224', password: 'changeit', salt: '0102030405060708', id: 3, iter: 40_000, len: 28 },
    { hash: 'SHA-256', password: 'changeit', salt: '0102030405060708', id: 3, iter: 100_000, len: 32 },
    { hash: 'SHA-384', password: 'changeit', salt: '0102030405060708', id: 3, iter: 33_000, len: 48 },
  ];
  it.each(cases)('$hash, id $id, $iter iterations, $len bytes, password $password', async (c) => {
    const pw = bmpPassword(c.password);
    const r = openssl([
      'kdf', '-keylen', String(c.len), '-kdfopt', `digest:${c.hash.replace('-', '')}`, '-kdfopt', `hexpass:${hex(pw)}`,
      '-kdfopt', `hexsalt:${c.salt}`, '-kdfopt', `iter:${c.iter}`, '-kdfopt', `id:${c.id}`, 'PKCS12KDF',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const want = r.stdout.trim().replace(/:/g, '').toLowerCase();
    expect(hex(await pkcs12Kdf(hashByName(c.hash), pw, h(c.salt), c.id, c.iter, c.len))).toBe(want);
  });
});

describe('PBKDF2', () => {
  it('RFC 6070 vector (HMAC-SHA1, 4096 iterations) via WebCrypto', async () => {
    const out = await pbkdf2(hashByName('SHA-1'), new TextEncoder().encode('password'), new TextEncoder().encode('salt'), 4096, 20);
    expect(hex(out)).toBe('4b007901b765489abead49d926f721d065a429c1');
  });
  it.each([
    ['SHA-224', 'SHA224', 100, 32],
    ['SHA-224', 'SHA224', 40_000, 60],
    ['SHA-512/256', 'SHA512-256', 100, 32],
    ['SHA-512/224', 'SHA512-224', 3, 20],
  ] as const)('%s (no WebCrypto PRF), %d iterations, %d bytes, matches `openssl kdf PBKDF2`', async (name, digest, iter, len) => {
    const r = openssl(['kdf', '-keylen', String(len), '-kdfopt', `digest:${digest}`, '-kdfopt', 'pass:password', '-kdfopt', 'salt:saltsalt', '-kdfopt', `iter:${iter}`, 'PBKDF2']);
    expect(r.status, r.stderr).toBe(0);
    const out = await pbkdf2(hashByName(name), new TextEncoder().encode('password'), new TextEncoder().encode('saltsalt'), iter, len);
    expect(hex(out)).toBe(r.stdout.trim().replace(/:/g, '').toLowerCase());
  });
  it('the JavaScript PBKDF2 can be cancelled while it runs', async () => {
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    expect(await codeOf(pbkdf2(hashByName('SHA-224'), new Uint8Array(1), new Uint8Array(8), 100_000_000, 28, c.signal))).toBe('AbortError');
  });
  it('accepts an empty password (a NULL or "" PKCS#12 password under PBES2)', async () => {
    const r = openssl(['kdf', '-keylen', '32', '-kdfopt', 'digest:SHA256', '-kdfopt', 'hexpass:', '-kdfopt', 'salt:saltsalt', '-kdfopt', 'iter:2', 'PBKDF2']);
    const out = await pbkdf2(hashByName('SHA-256'), new Uint8Array(0), new TextEncoder().encode('saltsalt'), 2, 32);
    expect(hex(out)).toBe(r.stdout.trim().replace(/:/g, '').toLowerCase());
  });
});

describe('passwords', () => {
  it.each([
    [null, ''],
    ['', '0000'],
    ['ab', '006100620000'],
    ['€', '20ac0000'],
    ['😀', 'd83dde000000'],
  ])('bmpPassword(%j) = %s (RFC 7292 B.1: BMPString with NUL terminator; NULL is empty)', (pw, want) => {
    expect(hex(bmpPassword(pw))).toBe(want);
  });
  it.each([
    [null, [null, '']],
    ['', [null, '']],
    ['changeit', ['changeit']],
    ['ä', ['ä', 'Ã¤']],
  ])('passwordCandidates(%j) tries %j, in OpenSSL order', (pw, want) => {
    expect(passwordCandidates(pw)).toEqual(want);
  });
});

