import { describe, expect, it } from 'vitest';
import { limits } from '../../../src/core/pki/limits';
import {
  KdfBudget,
  aesBlock,
  aesCbcDecryptJs,
  aesExpandKey,
  MalformedError,
  bmpPassword,
  childrenOf,
  decryptPrivateKeyInfo,
  derInteger,
  derOctetString,
  derOid,
  derSequence,
  derTlv,
  encryptPrivateKeyInfo,
  expectSequence,
  hashByName,
  integerOf,
  octetsOf,
  oidOf,
  passwordCandidates,
  pbkdf2,
  pkcs12Kdf,
  readPbeScheme,
  readSingle,
  readTlv,
  type HashAlgorithm,
} from '../../../src/core/pki/pbe';
import { fixtureText, openssl } from '../../support/fixtures';
import { codeOf } from '../../support/errors';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const h = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

function pem(text: string): Uint8Array {
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(text)!;
  return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

describe('PKCS#12 KDF (RFC 7292 appendix B.2) against `openssl kdf PKCS12KDF`', () => {
  const cases: { hash: HashAlgorithm['name']; password: string | null; salt: string; id: 1 | 2 | 3; iter: number; len: number }[] = [
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

describe('KdfBudget: limits.maxKdfIterations and limits.maxKdfIterationsTotal', () => {
  it('accepts exactly limits.maxKdfIterations for one derivation, refuses one more', () => {
    const budget = new KdfBudget();
    expect(() => budget.charge(limits.maxKdfIterations, 'MAC')).not.toThrow();
    expect(budget.spent).toBe(limits.maxKdfIterations);
    let caught: unknown;
    try {
      new KdfBudget().charge(limits.maxKdfIterations + 1, 'MAC');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'limit-exceeded', message: expect.stringContaining('limits.maxKdfIterations') });
  });
  it('accepts exactly limits.maxKdfIterationsTotal in sum, refuses one more', () => {
    const budget = new KdfBudget();
    budget.charge(limits.maxKdfIterations, 'MAC');
    budget.charge(limits.maxKdfIterationsTotal - limits.maxKdfIterations, 'bag');
    expect(budget.spent).toBe(limits.maxKdfIterationsTotal);
    expect(() => budget.charge(1, 'bag')).toThrow(expect.objectContaining({ code: 'limit-exceeded', message: expect.stringContaining('limits.maxKdfIterationsTotal') }));
  });
  it.each([0, -1, 1.5, Number.NaN])('treats %d iterations as malformed', (n) => {
    expect(() => new KdfBudget().charge(n, 'MAC')).toThrow(MalformedError);
  });
  it.each([2 ** 31 - 1, Infinity])('refuses %d iterations as over the limit', (n) => {
    expect(() => new KdfBudget().charge(n, 'MAC')).toThrow(expect.objectContaining({ code: 'limit-exceeded' }));
  });
});

describe('DER reader', () => {
  const indefinite = (depth: number): Uint8Array => {
    const out: number[] = [];
    for (let i = 0; i < depth; i++) out.push(0x30, 0x80);
    out.push(0x05, 0x00);
    for (let i = 0; i < depth; i++) out.push(0, 0);
    return Uint8Array.from(out);
  };
  it(`reads indefinite-length nesting up to limits.maxAsn1Depth and refuses one level more`, () => {
    // The outer element is depth 0; its NULL at the bottom sits at depth `levels`.
    expect(readSingle(indefinite(limits.maxAsn1Depth), 'x').end).toBe(indefinite(limits.maxAsn1Depth).length);
    expect(() => readSingle(indefinite(limits.maxAsn1Depth + 1), 'x')).toThrow(MalformedError);
  });
  it.each([
    ['02 01 03', 3],
    ['02 02 00 80', 128],
    ['02 04 7f ff ff ff', 2 ** 31 - 1],
    ['02 01 ff', -1],
    ['02 09 01 00 00 00 00 00 00 00 00', Infinity],
    ['02 08 00 00 00 00 00 00 00 05', 5],
  ])('INTEGER %s reads as %d', (bytes, want) => {
    expect(integerOf(readTlv(h(bytes.replace(/ /g, ''))), 'n')).toBe(want);
  });
  it.each([
    ['06 09 2a 86 48 86 f7 0d 01 05 0d', '1.2.840.113549.1.5.13'],
    ['06 03 55 04 03', '2.5.4.3'],
    ['06 03 88 37 01', '2.999.1'],
  ])('OID %s reads as %s', (bytes, want) => {
    expect(oidOf(readTlv(h(bytes.replace(/ /g, ''))), 'oid')).toBe(want);
  });
  it.each([
    ['truncated OID', '06 02 2a 86'],
    ['empty OID', '06 00'],
    ['oversized OID', `06 41 ${'01 '.repeat(65)}`],
  ])('refuses a %s', (_n, bytes) => {
    expect(() => oidOf(readSingle(h(bytes.replace(/ /g, '')), 'x'), 'oid')).toThrow(MalformedError);
  });
  it('concatenates a segmented (BER constructed) OCTET STRING', () => {
    const tlv = readSingle(h('2480' + '04026162' + '040163' + '0000'), 'x');
    expect(childrenOf(tlv)).toHaveLength(2);
    expect(hex(octetsOf(tlv))).toBe('616263');
  });
});

// ---------------------------------------------------------------------------------------------

const families = ['rsa', 'ec'] as const;
const names = ['server', 'client', 'ica', 'root', 'selfsigned'] as const;

describe('decryptPrivateKeyInfo: OpenSSL 3 encrypted PKCS#8 (fixtures/openssl-set)', () => {
  const cases = families.flatMap((f) => names.map((n) => ({ f, n })));
  it.each(cases)('$f/$n.pkcs8-enc.pem decrypts to $f/$n.pkcs8.pem', async ({ f, n }) => {
    const encrypted = pem(fixtureText('openssl-set', f, `${n}.pkcs8-enc.pem`));
    const plain = pem(fixtureText('openssl-set', f, `${n}.pkcs8.pem`));
    expect(hex(await decryptPrivateKeyInfo(encrypted, 'changeit'))).toBe(hex(plain));
  });
  it.each([
    ['a wrong password', 'changeIt'],
    ['no password', null],
    ['an empty password', ''],
  ])('%s → wrong-password', async (_name, password) => {
    const encrypted = pem(fixtureText('openssl-set', 'rsa', 'server.pkcs8-enc.pem'));
    const promise = decryptPrivateKeyInfo(encrypted, password);
    await expect(promise).rejects.toMatchObject({ code: 'wrong-password' });
    await expect(promise).rejects.toThrow(/another system/);
  });
});

describe('encryptPrivateKeyInfo', () => {
  const key = pem(fixtureText('openssl-set', 'ec', 'server.pkcs8.pem'));
  it.each([
    { preset: 'modern' as const, iterations: undefined, scheme: 'pbes2', want: 100_000 },
    { preset: 'legacy' as const, iterations: undefined, scheme: 'pkcs12', want: 2048 },
    { preset: 'modern' as const, iterations: 1, scheme: 'pbes2', want: 1 },
    { preset: 'legacy' as const, iterations: 5000, scheme: 'pkcs12', want: 5000 },
  ])('$preset, iterations $iterations: round trip, $scheme with $want iterations', async ({ preset, iterations, scheme, want }) => {
    const encrypted = await encryptPrivateKeyInfo(key, 'pässwörd', { preset, iterations });
    const parsed = readPbeScheme(expectSequence(readSingle(encrypted, 'x'), 'x')[0], 'key');
    expect(parsed.kind).toBe(scheme);
    expect(parsed.iterations).toBe(want);
    if (parsed.kind === 'pbes2') {
      expect(parsed.prf.name).toBe('SHA-256');
      expect(parsed.cipher).toMatchObject({ name: 'AES-CBC', keyLength: 32 });
    } else {
      expect(parsed.cipher).toBe('3DES');
    }
    expect(hex(await decryptPrivateKeyInfo(encrypted, 'pässwörd'))).toBe(hex(key));
    await expect(decryptPrivateKeyInfo(encrypted, 'passwörd')).rejects.toMatchObject({ code: 'wrong-password' });
  });
  it('uses fresh salt and IV each time', async () => {
    const a = await encryptPrivateKeyInfo(key, 'x', { iterations: 1 });
    const b = await encryptPrivateKeyInfo(key, 'x', { iterations: 1 });
    expect(hex(a)).not.toBe(hex(b));
  });
  it.each([
    ['iterations 0', { iterations: 0 }, key],
    ['iterations 1.5', { iterations: 1.5 }, key],
    ['iterations past limits.maxKdfIterations', { iterations: limits.maxKdfIterations + 1 }, key],
    ['a PKCS#1 key instead of PKCS#8', {}, new Uint8Array(Buffer.from(fixtureText('openssl-set', 'rsa', 'server.trad.pem').replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64'))],
    ['junk', {}, Uint8Array.of(1, 2, 3)],
  ])('refuses %s → invalid-input', async (_name, options, input) => {
    await expect(encryptPrivateKeyInfo(input, 'x', options)).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('decryptPrivateKeyInfo: hostile input → typed error', () => {
  const good = pem(fixtureText('openssl-set', 'rsa', 'server.pkcs8-enc.pem'));
  const withIterations = (iterations: Uint8Array) =>
    derSequence(
      derSequence(derOid('1.2.840.113549.1.12.1.3'), derSequence(derOctetString(new Uint8Array(8)), iterations)),
      derOctetString(new Uint8Array(16)),
    );
  const cases: { name: string; bytes: Uint8Array; code: string }[] = [
    { name: 'empty', bytes: new Uint8Array(0), code: 'encrypted-key-malformed' },
    { name: 'truncated', bytes: good.slice(0, good.length - 3), code: 'encrypted-key-malformed' },
    { name: 'trailing bytes', bytes: Uint8Array.from([...good, 0]), code: 'encrypted-key-malformed' },
    { name: 'a plain PKCS#8 key', bytes: pem(fixtureText('openssl-set', 'rsa', 'server.pkcs8.pem')), code: 'encrypted-key-malformed' },
    { name: 'iteration count 0', bytes: withIterations(derInteger(0)), code: 'encrypted-key-malformed' },
    { name: 'iteration count 2^31-1', bytes: withIterations(derInteger(2 ** 31 - 1)), code: 'limit-exceeded' },
    { name: 'ciphertext not whole blocks', bytes: derSequence(derSequence(derOid('1.2.840.113549.1.12.1.3'), derSequence(derOctetString(new Uint8Array(8)), derInteger(1))), derOctetString(new Uint8Array(13))), code: 'encrypted-key-malformed' },
    { name: 'unknown cipher', bytes: derSequence(derSequence(derOid('1.2.3.4')), derOctetString(new Uint8Array(16))), code: 'unsupported-algorithm' },
    { name: 'PBES1 MD5-DES', bytes: derSequence(derSequence(derOid('1.2.840.113549.1.5.3'), derSequence(derOctetString(new Uint8Array(8)), derInteger(1))), derOctetString(new Uint8Array(16))), code: 'unsupported-algorithm' },
    { name: 'long-form tag', bytes: derTlv(0x1f, new Uint8Array(3)), code: 'encrypted-key-malformed' },
  ];
  it.each(cases)('$name → $code', async ({ bytes, code }) => {
    expect(await codeOf(decryptPrivateKeyInfo(bytes, 'changeit'))).toBe(code);
  });
  it('refuses input larger than limits.maxFileBytes', async () => {
    expect(await codeOf(decryptPrivateKeyInfo(new Uint8Array(limits.maxFileBytes + 1), 'x'))).toBe('limit-exceeded');
  });
  it('honours an aborted signal', async () => {
    const c = new AbortController();
    c.abort();
    expect(await codeOf(decryptPrivateKeyInfo(good, 'changeit', { signal: c.signal }))).toBe('AbortError');
  });
});

describe('AES in JavaScript (fallback for AES-192, which Chromium lacks)', () => {
  const fips197 = [
    { key: '000102030405060708090a0b0c0d0e0f', cipher: '69c4e0d86a7b0430d8cdb78070b4c55a' },
    { key: '000102030405060708090a0b0c0d0e0f1011121314151617', cipher: 'dda97ca4864cdfe06eaf70a0ec0d7191' },
    { key: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', cipher: '8ea2b7ca516745bfeafc49904b496089' },
  ];
  it.each(fips197)('FIPS 197 appendix C, $key.length hex digits of key', ({ key, cipher }) => {
    const roundKeys = aesExpandKey(h(key));
    const block = h('00112233445566778899aabbccddeeff');
    aesBlock(roundKeys, block, false);
    expect(hex(block)).toBe(cipher);
    aesBlock(roundKeys, block, true);
    expect(hex(block)).toBe('00112233445566778899aabbccddeeff');
  });
  const lengths = [0, 1, 15, 16, 17, 1000];
  it.each(fips197.flatMap(({ key }) => lengths.map((n) => ({ key, n }))))('CBC decrypts what WebCrypto encrypts: key $key, $n bytes', async ({ key, n }) => {
    const data = new Uint8Array(n).map((_, i) => (i * 131) & 0xff);
    const iv = new Uint8Array(16).map((_, i) => i * 3);
    const k = await crypto.subtle.importKey('raw', h(key), 'AES-CBC', false, ['encrypt']);
    const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, k, data));
    expect(hex(aesCbcDecryptJs(h(key), iv, ciphertext)!)).toBe(hex(data));
    const tampered = ciphertext.slice();
    tampered[tampered.length - 17 >= 0 ? tampered.length - 17 : 0]! ^= 0x01;
    if (ciphertext.length > 16) expect(aesCbcDecryptJs(h(key), iv, tampered)).toBeNull();
    expect(aesCbcDecryptJs(h(key), iv, ciphertext.subarray(0, ciphertext.length - 1))).toBeNull();
  });
});
