import { describe, expect, it } from 'vitest';
import { exportCertificates, exportEncryptedPrivateKey } from '../../../src/core/pki/export';
import { decodeInput } from '../../../src/core/pki/decode';
import { generateKey } from '../../../src/core/pki/keys';
import { toHex } from '../../../src/core/pki/asn1/bytes';
import { fixture, fixtureText } from '../../support/fixtures';

const chain = ['server', 'ica', 'root'].map((n) => fixture('openssl-set', 'rsa', `${n}.der`));

describe('exportCertificates', () => {
  it('PEM: byte-exact with what openssl wrote', () => {
    expect(new TextDecoder().decode(exportCertificates(chain, 'pem'))).toBe(fixtureText('openssl-set', 'rsa', 'server-fullchain.pem'));
  });
  it('DER: exactly one certificate', () => {
    expect(toHex(exportCertificates(chain.slice(0, 1), 'der'))).toBe(toHex(chain[0]!));
    expect(() => exportCertificates(chain, 'der')).toThrow(expect.objectContaining({ code: 'der-single-certificate' }) as Error);
  });
  it('PKCS#7: byte-exact with openssl crl2pkcs7 (server-fullchain.p7c), and read back in order', async () => {
    const p7 = exportCertificates(chain, 'pkcs7');
    expect(toHex(p7)).toBe(toHex(fixture('openssl-set', 'rsa', 'server-fullchain.p7c')));
    const back = await decodeInput(p7);
    expect(back.container).toBe('pkcs7');
    expect(back.certificates.map((c) => toHex(c.der))).toEqual(chain.map(toHex));
  });
  it('refuses an empty selection', () => {
    expect(() => exportCertificates([], 'pem')).toThrow(expect.objectContaining({ code: 'nothing-to-export' }) as Error);
  });
});

describe('exportEncryptedPrivateKey', () => {
  it('writes ENCRYPTED PRIVATE KEY that decodes back to the same key with the password only', async () => {
    const key = await generateKey('ECDSA-P256', { exportable: true });
    const pem = await exportEncryptedPrivateKey(key, 's3cret pass', { iterations: 2048 });
    expect(pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    const bytes = new TextEncoder().encode(pem);
    const back = await decodeInput(bytes, { password: 's3cret pass' });
    expect(back.privateKeys[0]!.publicKeySha256).toBe(key.publicKeySha256);
    await expect(decodeInput(bytes, { password: 'wrong' })).rejects.toMatchObject({ code: 'wrong-password' });
  });
  it('refuses a non-exportable key and an empty password', async () => {
    const key = await generateKey('ECDSA-P256', { exportable: false });
    await expect(exportEncryptedPrivateKey(key, 'x')).rejects.toMatchObject({ code: 'key-not-exportable' });
    const exportable = await generateKey('ECDSA-P256', { exportable: true });
    await expect(exportEncryptedPrivateKey(exportable, '')).rejects.toMatchObject({ code: 'password-required' });
  });
});
