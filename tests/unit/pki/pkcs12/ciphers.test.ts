/**
 * The CBC ciphers of password-based encryption against independent implementations: AES-128/
 * 192/256 via @noble/ciphers against Node's crypto (OpenSSL in-process) and `openssl enc`,
 * triple DES (des.js) and RC2 (rc2.ts) against `openssl enc`.
 */
import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIPHERS, cbcDecrypt, cbcEncrypt, type CipherName } from '../../../../src/core/pki/pkcs12/ciphers';
import { openssl, tempDir, writeTemp } from '../../../support/fixtures';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17) & 0xff);

const opensslNames: Record<CipherName, string> = {
  'AES-128-CBC': 'aes-128-cbc',
  'AES-192-CBC': 'aes-192-cbc',
  'AES-256-CBC': 'aes-256-cbc',
  'DES-EDE3-CBC': 'des-ede3-cbc',
  'DES-EDE-CBC': 'des-ede-cbc',
  'RC2-40-CBC': 'rc2-40-cbc',
  'RC2-128-CBC': 'rc2-cbc',
};

describe('AES-CBC (@noble/ciphers) against Node crypto known answers', () => {
  const cases = (['AES-128-CBC', 'AES-192-CBC', 'AES-256-CBC'] as const).flatMap((name) => [0, 1, 15, 16, 17, 1000].map((n) => ({ name, n })));
  it.each(cases)('$name, $n bytes: encrypts as Node does, decrypts what Node encrypts', ({ name, n }) => {
    const key = bytes(CIPHERS[name].keyLength, 1);
    const iv = bytes(16, 2);
    const data = bytes(n, 3);
    const node = createCipheriv(name.toLowerCase(), key, iv);
    const want = new Uint8Array(Buffer.concat([node.update(data), node.final()]));
    expect(hex(cbcEncrypt(name, key, iv, data))).toBe(hex(want));
    expect(hex(cbcDecrypt(name, key, iv, want)!)).toBe(hex(data));
  });
});

describe('every cipher against `openssl enc`', () => {
  const dir = tempDir();
  it.each(Object.keys(CIPHERS) as CipherName[])('%s: both directions', (name) => {
    const { keyLength, blockSize } = CIPHERS[name];
    const key = bytes(keyLength, 5);
    const iv = bytes(blockSize, 6);
    const data = bytes(100, 7);
    const legacy = name.startsWith('RC2') || name === 'DES-EDE-CBC' ? ['-provider', 'legacy', '-provider', 'default'] : [];
    const plain = writeTemp(dir, `${name}.plain`, data);
    const encrypted = join(dir, `${name}.enc`);
    const r = openssl(['enc', `-${opensslNames[name]}`, '-K', hex(key), '-iv', hex(iv), '-in', plain, '-out', encrypted, ...legacy]);
    expect(r.status, r.stderr).toBe(0);
    const theirs = new Uint8Array(readFileSync(encrypted));
    expect(hex(cbcEncrypt(name, key, iv, data))).toBe(hex(theirs));
    expect(hex(cbcDecrypt(name, key, iv, theirs)!)).toBe(hex(data));
  });
  it.each([
    ['empty', 0],
    ['not whole blocks', 17],
  ])('a ciphertext that is %s decrypts to null', (_name, n) => {
    expect(cbcDecrypt('AES-256-CBC', bytes(32, 1), bytes(16, 2), bytes(n, 3))).toBeNull();
  });
  it('refuses a key or IV of the wrong size (a programming error)', () => {
    expect(() => cbcEncrypt('AES-192-CBC', bytes(16, 1), bytes(16, 2), bytes(3, 3))).toThrow(RangeError);
    expect(() => cbcEncrypt('DES-EDE3-CBC', bytes(24, 1), bytes(16, 2), bytes(3, 3))).toThrow(RangeError);
  });
});
