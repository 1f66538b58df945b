import { describe, expect, it } from 'vitest';
import { createSelfSignedCertificate } from '../../src/core/pki/certificate';
import { generateKey, type KeyAlgorithmName } from '../../src/core/pki/keys';
import { encodePem } from '../../src/core/pki/pem';
import { openssl, tempDir, writeTemp } from '../support/fixtures';

describe('openssl x509 reads our self-signed certificates', () => {
  const table: { algorithm: KeyAlgorithmName; usage: string }[] = [
    { algorithm: 'RSA-2048', usage: 'Digital Signature, Key Encipherment' },
    { algorithm: 'RSA-3072', usage: 'Digital Signature, Key Encipherment' },
    { algorithm: 'ECDSA-P256', usage: 'Digital Signature' },
    { algorithm: 'ECDSA-P384', usage: 'Digital Signature' },
  ];
  for (const c of table) {
    it(`${c.algorithm}: extensions as specified, verifies against itself, serves its hostname`, async () => {
      const key = await generateKey(c.algorithm, { exportable: false });
      const der = await createSelfSignedCertificate({ key, subject: { O: 'Acme', CN: 'appliance.example.test' }, subjectAltNames: ['192.0.2.10'], validityDays: 90 });
      const pem = encodePem('CERTIFICATE', der);
      const text = openssl(['x509', '-noout', '-text'], pem);
      expect(text.status, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/Version: 3 \(0x2\)/);
      expect(text.stdout).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
      expect(text.stdout).toMatch(new RegExp(`X509v3 Key Usage: critical\\s+${c.usage}\\n`));
      expect(text.stdout).toMatch(/X509v3 Extended Key Usage:\s*\n\s+TLS Web Server Authentication/);
      const ski = /Subject Key Identifier:\s*\n\s+([0-9A-F:]+)/.exec(text.stdout)?.[1];
      const aki = /Authority Key Identifier:\s*\n\s+(?:keyid:)?([0-9A-F:]+)/.exec(text.stdout)?.[1];
      expect(ski).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
      expect(aki).toBe(ski);
      expect(text.stdout).toContain('DNS:appliance.example.test, IP Address:192.0.2.10');
      const serial = openssl(['x509', '-noout', '-serial'], pem).stdout.trim();
      expect(serial).toMatch(/^serial=[4-7][0-9A-F]{31}$/);
      const dir = tempDir();
      const file = writeTemp(dir, 'self.pem', pem);
      const verify = openssl(['verify', '-CAfile', file, '-purpose', 'sslserver', '-verify_hostname', 'appliance.example.test', file]);
      expect(verify.stdout + verify.stderr).toContain(': OK');
      const ip = openssl(['verify', '-CAfile', file, '-verify_ip', '192.0.2.10', file]);
      expect(ip.status, ip.stdout + ip.stderr).toBe(0);
    });
  }
});
