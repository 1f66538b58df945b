import { describe, expect, it } from 'vitest';
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { OID, der } from '../../../../src/core/pki/asn1';
import { limits } from '../../../../src/core/pki/limits';
import { decryptPrivateKeyInfo, encryptPrivateKeyInfo } from '../../../../src/core/pki/pkcs12';
import { readEncryptedPrivateKeyInfo } from '../../../../src/core/pki/pkcs12/pkcs8';
import { fixtureText } from '../../../support/fixtures';
import { codeOf } from '../../../support/errors';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');

function pem(text: string): Uint8Array {
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(text)!;
  return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

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
    const parsed = readEncryptedPrivateKeyInfo(encrypted).scheme;
    expect(parsed.kind).toBe(scheme);
    expect(parsed.iterations).toBe(want);
    if (parsed.kind === 'pbes2') expect(parsed.prf.name).toBe('SHA-256');
    expect(parsed.cipher).toBe(parsed.kind === 'pbes2' ? 'AES-256-CBC' : 'DES-EDE3-CBC');
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
    der.sequence(
      der.sequence(der.oid('1.2.840.113549.1.12.1.3'), der.sequence(der.octetString(new Uint8Array(8)), iterations)),
      der.octetString(new Uint8Array(16)),
    );
  const cases: { name: string; bytes: Uint8Array; code: string }[] = [
    { name: 'empty', bytes: new Uint8Array(0), code: 'encrypted-key-malformed' },
    { name: 'truncated', bytes: good.slice(0, good.length - 3), code: 'encrypted-key-malformed' },
    { name: 'trailing bytes', bytes: Uint8Array.from([...good, 0]), code: 'encrypted-key-malformed' },
    { name: 'a plain PKCS#8 key', bytes: pem(fixtureText('openssl-set', 'rsa', 'server.pkcs8.pem')), code: 'encrypted-key-malformed' },
    { name: 'iteration count 0', bytes: withIterations(der.integer(0)), code: 'encrypted-key-malformed' },
    { name: 'iteration count 2^31-1', bytes: withIterations(der.integer(2 ** 31 - 1)), code: 'limit-exceeded' },
    { name: 'ciphertext not whole blocks', bytes: der.sequence(der.sequence(der.oid('1.2.840.113549.1.12.1.3'), der.sequence(der.octetString(new Uint8Array(8)), der.integer(1))), der.octetString(new Uint8Array(13))), code: 'encrypted-key-malformed' },
    { name: 'unknown cipher', bytes: der.sequence(der.sequence(der.oid('1.2.3.4')), der.octetString(new Uint8Array(16))), code: 'unsupported-algorithm' },
    { name: 'PBES1 MD5-DES', bytes: der.sequence(der.sequence(der.oid('1.2.840.113549.1.5.3'), der.sequence(der.octetString(new Uint8Array(8)), der.integer(1))), der.octetString(new Uint8Array(16))), code: 'unsupported-algorithm' },
    { name: 'long-form tag', bytes: der.tlv(0x1f, new Uint8Array(3)), code: 'encrypted-key-malformed' },
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


describe('the right password is never called wrong (fuzz campaign: pkcs12, seed 1130, execution 68773)', () => {
  /** PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) made with node:crypto around any plaintext. */
  function encryptWithNode(plaintext: Uint8Array, password: string): Uint8Array {
    const salt = randomBytes(16);
    const iv = randomBytes(16);
    const key = pbkdf2Sync(password, salt, 2048, 32, 'sha256');
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const kdf = der.sequence(der.oid(OID.pbkdf2), der.sequence(der.octetString(salt), der.integer(2048), der.sequence(der.oid(OID.hmacWithSHA256), der.nullValue())));
    const scheme = der.sequence(der.oid(OID.aes256Cbc), der.octetString(iv));
    return der.sequence(der.sequence(der.oid(OID.pbes2), der.sequence(kdf, scheme)), der.octetString(ciphertext));
  }
  const plain = pem(fixtureText('openssl-set', 'ec', 'server.pkcs8.pem'));

  it('the key itself, encrypted by node:crypto, decrypts (the construction is right)', async () => {
    expect(hex(await decryptPrivateKeyInfo(encryptWithNode(plain, 'changeit'), 'changeit'))).toBe(hex(plain));
  });

  it('one byte after the PrivateKeyInfo is refused as trailing bytes, not as a wrong password', async () => {
    const withTrailingByte = new Uint8Array([...plain, 0]);
    const encrypted = encryptWithNode(withTrailingByte, 'changeit');
    await expect(decryptPrivateKeyInfo(encrypted, 'changeit')).rejects.toThrow(/extra bytes after its end/);
    expect(await codeOf(decryptPrivateKeyInfo(encrypted, 'changeit'))).toBe('encrypted-key-malformed');
    await expect(decryptPrivateKeyInfo(encryptWithNode(withTrailingByte, 'changeit'), 'changeIt')).rejects.toMatchObject({ code: 'wrong-password' });
  });
});
