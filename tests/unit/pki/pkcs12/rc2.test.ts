import { describe, expect, it } from 'vitest';
import { rc2CbcDecrypt, rc2CbcEncrypt, rc2DecryptBlock, rc2EncryptBlock, rc2ExpandKey, stripPkcs5Padding } from '../../../../src/core/pki/pkcs12/rc2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, tempDir } from '../../../support/fixtures';

const h = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');

describe('RC2 block cipher: RFC 2268 §5 known answers', () => {
  const vectors = [
    { key: '0000000000000000', bits: 63, plain: '0000000000000000', cipher: 'ebb773f993278eff' },
    { key: 'ffffffffffffffff', bits: 64, plain: 'ffffffffffffffff', cipher: '278b27e42e2f0d49' },
    { key: '3000000000000000', bits: 64, plain: '1000000000000001', cipher: '30649edf9be7d2c2' },
    { key: '88', bits: 64, plain: '0000000000000000', cipher: '61a8a244adacccf0' },
    { key: '88bca90e90875a', bits: 64, plain: '0000000000000000', cipher: '6ccf4308974c267f' },
    { key: '88bca90e90875a7f0f79c384627bafb2', bits: 64, plain: '0000000000000000', cipher: '1a807d272bbe5db1' },
    { key: '88bca90e90875a7f0f79c384627bafb2', bits: 128, plain: '0000000000000000', cipher: '2269552ab0f85ca6' },
    {
      key: '88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e',
      bits: 129,
      plain: '0000000000000000',
      cipher: '5b78d3a43dfff1f1',
    },
  ];
  it.each(vectors)('key $key, T1 = $bits: encrypts and decrypts', ({ key, bits, plain, cipher }) => {
    const schedule = rc2ExpandKey(h(key), bits);
    const block = h(plain);
    rc2EncryptBlock(schedule, block);
    expect(hex(block)).toBe(cipher);
    rc2DecryptBlock(schedule, block);
    expect(hex(block)).toBe(plain);
  });

  it('refuses impossible keys', () => {
    expect(() => rc2ExpandKey(new Uint8Array(0), 40)).toThrow(RangeError);
    expect(() => rc2ExpandKey(new Uint8Array(129), 40)).toThrow(RangeError);
    expect(() => rc2ExpandKey(new Uint8Array(5), 0)).toThrow(RangeError);
  });
});

describe('RC2-CBC against `openssl enc` (legacy provider)', () => {
  const plaintexts = [new Uint8Array(0), new TextEncoder().encode('appliance'), new Uint8Array(1000).map((_, i) => i * 31)];
  const ciphers = [
    { name: 'rc2-40-cbc', key: '0102030405', bits: 40 },
    { name: 'rc2-64-cbc', key: '0102030405060708', bits: 64 },
    { name: 'rc2-cbc', key: '000102030405060708090a0b0c0d0e0f', bits: 128 },
  ];
  const cases = ciphers.flatMap((c) => plaintexts.map((p) => ({ ...c, plain: p, label: `${c.name}, ${p.length} bytes` })));
  it.each(cases)('$label', ({ name, key, bits, plain }) => {
    const iv = '0011223344556677';
    // Ours must equal OpenSSL's ciphertext (base64 through the helper's text stdout), and OpenSSL must decrypt ours.
    const ours = rc2CbcEncrypt(h(key), bits, h(iv), plain);
    const out = join(tempDir(), 'plain.bin');
    const back = openssl(['enc', '-d', `-${name}`, '-provider', 'legacy', '-provider', 'default', '-K', key, '-iv', iv, '-a', '-A', '-out', out], Buffer.from(ours).toString('base64'));
    expect(back.status, back.stderr).toBe(0);
    expect(hex(new Uint8Array(readFileSync(out)))).toBe(hex(plain));
    const theirs = openssl(['enc', `-${name}`, '-provider', 'legacy', '-provider', 'default', '-K', key, '-iv', iv, '-a', '-A'], plain);
    expect(hex(ours)).toBe(hex(new Uint8Array(Buffer.from(theirs.stdout.trim(), 'base64'))));
    expect(hex(rc2CbcDecrypt(h(key), bits, h(iv), ours)!)).toBe(hex(plain));
  });

  it('reports bad padding or a broken length as null', () => {
    const key = h('0102030405');
    const iv = h('0011223344556677');
    const ct = rc2CbcEncrypt(key, 40, iv, new TextEncoder().encode('x'));
    const tampered = ct.slice();
    tampered[7]! ^= 0x55;
    expect(rc2CbcDecrypt(key, 40, iv, tampered)).toBeNull();
    expect(rc2CbcDecrypt(key, 40, iv, ct.subarray(0, 5))).toBeNull();
    expect(rc2CbcDecrypt(key, 40, iv, new Uint8Array(0))).toBeNull();
  });
});

describe('stripPkcs5Padding', () => {
  const cases: [string, string, number, string | null][] = [
    ['pad 1', '4142434445464701', 8, '41424344454647'],
    ['pad 8 (whole block)', '0808080808080808', 8, ''],
    ['pad 0', '4142434445464700', 8, null],
    ['pad 9 > block', '0909090909090909', 8, null],
    ['inconsistent', '4142434445460302', 8, null],
    ['empty', '', 8, null],
  ];
  it.each(cases)('%s', (_name, input, block, want) => {
    const out = stripPkcs5Padding(h(input), block);
    expect(out === null ? null : hex(out)).toBe(want);
  });
});
