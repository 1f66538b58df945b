import { describe, expect, it } from 'vitest';
import { createLocalIntermediate, createLocalRoot, signCsr } from '../../src/core/pki/local-ca';
import { createCsr } from '../../src/core/pki/csr';
import { generateKey, type KeyAlgorithmName } from '../../src/core/pki/keys';
import { encodePem, parsePem } from '../../src/core/pki/pem';
import { fixturePath, openssl, tempDir, writeTemp } from '../support/fixtures';

describe('openssl verify accepts a local-CA chain', () => {
  const table: { root: KeyAlgorithmName; intermediate: KeyAlgorithmName; leaf: KeyAlgorithmName }[] = [
    { root: 'ECDSA-P384', intermediate: 'ECDSA-P256', leaf: 'RSA-2048' },
    { root: 'RSA-3072', intermediate: 'RSA-2048', leaf: 'ECDSA-P256' },
  ];
  for (const c of table) {
    it(`${c.root} root → ${c.intermediate} intermediate → ${c.leaf} server`, async () => {
      const rootKey = await generateKey(c.root, { exportable: false });
      const root = await createLocalRoot({ key: rootKey, subject: { O: 'Acme', CN: 'Acme Root' } });
      const interKey = await generateKey(c.intermediate, { exportable: false });
      const inter = await createLocalIntermediate({ key: interKey, subject: { O: 'Acme', CN: 'Acme Intermediate' }, issuer: { certificate: root, key: rootKey } });
      const leafKey = await generateKey(c.leaf, { exportable: false });
      const csr = await createCsr({ key: leafKey, subject: { CN: 'appliance.example.test' }, subjectAltNames: ['*.mgmt.example.test', '2001:db8::10'] });
      const issued = await signCsr({ csrDer: csr.der, issuer: { certificate: inter, key: interKey }, chain: [root], validityDays: 397 });

      const dir = tempDir();
      const rootFile = writeTemp(dir, 'root.pem', encodePem('CERTIFICATE', root));
      const interFile = writeTemp(dir, 'inter.pem', encodePem('CERTIFICATE', issued.chain[0]!));
      const leafFile = writeTemp(dir, 'leaf.pem', encodePem('CERTIFICATE', issued.certificate));
      const verify = openssl(['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', rootFile, '-untrusted', interFile, leafFile]);
      expect(verify.stdout + verify.stderr).toContain('leaf.pem: OK');
      for (const host of ['appliance.example.test', 'x.mgmt.example.test']) {
        const named = openssl(['verify', '-CAfile', rootFile, '-untrusted', interFile, '-verify_hostname', host, leafFile]);
        expect(named.status, named.stdout + named.stderr).toBe(0);
      }
      const wrongHost = openssl(['verify', '-CAfile', rootFile, '-untrusted', interFile, '-verify_hostname', 'a.b.mgmt.example.test', leafFile]);
      expect(wrongHost.status).not.toBe(0);

      const text = openssl(['x509', '-noout', '-text', '-in', interFile]).stdout;
      expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
      expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
      const rootText = openssl(['x509', '-noout', '-text', '-in', rootFile]).stdout;
      expect(rootText).toMatch(/CA:TRUE, pathlen:1/);
    });
  }

  it('signs a CSR that OpenSSL made (openssl-set/ec/server.csr) and copies its SANs', async () => {
    const rootKey = await generateKey('ECDSA-P256', { exportable: false });
    const root = await createLocalRoot({ key: rootKey, subject: { CN: 'Acme Root' } });
    const csrDer = parsePem(openssl(['req', '-in', fixturePath('openssl-set', 'ec', 'server.csr')]).stdout)[0]!.der;
    const issued = await signCsr({ csrDer, issuer: { certificate: root, key: rootKey }, chain: [], validityDays: 30 });
    const dir = tempDir();
    const rootFile = writeTemp(dir, 'root.pem', encodePem('CERTIFICATE', root));
    const leafFile = writeTemp(dir, 'leaf.pem', encodePem('CERTIFICATE', issued.certificate));
    expect(openssl(['verify', '-CAfile', rootFile, leafFile]).status).toBe(0);
    const text = openssl(['x509', '-noout', '-ext', 'subjectAltName', '-in', leafFile]).stdout;
    expect(text).toContain('DNS:appliance.example.test, DNS:*.mgmt.example.test, IP Address:192.0.2.10');
    // The key is the one in the request: the modulus/point matches the fixture's private key.
    const pubFromCert = openssl(['x509', '-noout', '-pubkey', '-in', leafFile]).stdout;
    const pubFromKey = openssl(['pkey', '-pubout', '-in', fixturePath('openssl-set', 'ec', 'server.pkcs8.pem')]).stdout;
    expect(pubFromCert).toBe(pubFromKey);
  });
});
