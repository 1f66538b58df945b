import { describe, expect, it } from 'vitest';
import { exportCertificates, exportEncryptedPrivateKey } from '../../src/core/pki/export';
import { generateKey, importPrivateKey, type KeyAlgorithmName } from '../../src/core/pki/keys';
import { createSelfSignedCertificate } from '../../src/core/pki/certificate';
import { encodePem, parsePem } from '../../src/core/pki/pem';
import { toHex } from '../../src/core/pki/asn1/bytes';
import { fixture, openssl, tempDir, writeTemp } from '../support/fixtures';
import { decodeInput } from '../../src/core/pki/decode';

const chain = ['server', 'ica', 'root'].map((n) => fixture('openssl-set', 'ec', `${n}.der`));
const fingerprints = (pemText: string) => parsePem(pemText).filter((b) => b.label === 'CERTIFICATE').map((b) => toHex(b.der));

describe('OpenSSL reads our certificate exports', () => {
  it('PEM chain: openssl crl2pkcs7 -certfile reads all three, in order', () => {
    const dir = tempDir();
    const file = writeTemp(dir, 'chain.pem', exportCertificates(chain, 'pem'));
    const out = openssl(['crl2pkcs7', '-nocrl', '-certfile', file]);
    expect(out.status, out.stderr).toBe(0);
    const back = openssl(['pkcs7', '-print_certs'], out.stdout);
    expect(fingerprints(back.stdout)).toEqual(chain.map(toHex));
  });
  it('DER: openssl x509 -inform DER reads it', () => {
    const out = openssl(['x509', '-inform', 'DER', '-outform', 'DER'], exportCertificates(chain.slice(0, 1), 'der'));
    expect(out.status, out.stderr).toBe(0);
    const text = openssl(['x509', '-inform', 'DER', '-noout', '-subject'], exportCertificates(chain.slice(0, 1), 'der'));
    expect(text.stdout).toContain('CN = appliance.example.test');
  });
  it('PKCS#7: openssl pkcs7 -print_certs lists the chain', () => {
    const out = openssl(['pkcs7', '-inform', 'DER', '-print_certs'], exportCertificates(chain, 'pkcs7'));
    expect(out.status, out.stderr).toBe(0);
    expect(fingerprints(out.stdout)).toEqual(chain.map(toHex));
  });
});

describe('OpenSSL decrypts our encrypted PKCS#8', () => {
  const table: KeyAlgorithmName[] = ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'];
  for (const algorithm of table) {
    it(`${algorithm}: openssl pkey -passin gets the key, and it matches our certificate`, async () => {
      const key = await generateKey(algorithm, { exportable: true });
      const pem = await exportEncryptedPrivateKey(key, 'pässword 1');
      const dir = tempDir();
      const keyFile = writeTemp(dir, 'key.pem', pem);
      const out = openssl(['pkey', '-in', keyFile, '-passin', 'pass:pässword 1', '-pubout', '-outform', 'DER']);
      expect(out.status, out.stderr).toBe(0);
      const der = openssl(['pkey', '-in', keyFile, '-passin', 'pass:pässword 1', '-pubout']);
      expect(toHex(parsePem(der.stdout)[0]!.der)).toBe(toHex(key.spki));
      const wrong = openssl(['pkey', '-in', keyFile, '-passin', 'pass:wrong', '-noout']);
      expect(wrong.status).not.toBe(0);
      // The key and a certificate we issue for it are a pair as far as OpenSSL is concerned.
      const certFile = writeTemp(dir, 'cert.pem', encodePem('CERTIFICATE', await createSelfSignedCertificate({ key, subject: { CN: 'a.example' }, subjectAltNames: [] })));
      const check = openssl(['x509', '-in', certFile, '-noout', '-pubkey']);
      expect(parsePem(check.stdout)[0]!.der).toEqual(key.spki);
    });
  }

  it('a key OpenSSL encrypted (openssl pkcs8 -topk8 -v2 aes-256-cbc) imports and signs', async () => {
    const dir = tempDir();
    const plain = writeTemp(dir, 'plain.pem', openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']).stdout);
    const encrypted = openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', plain, '-passout', 'pass:transfer']);
    expect(encrypted.status, encrypted.stderr).toBe(0);
    const decoded = await decodeInput(new TextEncoder().encode(encrypted.stdout), { password: 'transfer' });
    const key = await importPrivateKey(decoded.privateKeys[0]!.pkcs8, { exportable: false });
    expect(key.algorithm).toBe('ECDSA-P384');
    const pub = openssl(['pkey', '-in', plain, '-pubout']);
    expect(toHex(key.spki)).toBe(toHex(parsePem(pub.stdout)[0]!.der));
  });
});
