import { describe, expect, it } from 'vitest';
import { createCsr } from '../../src/core/pki/csr';
import { generateKey, type KeyAlgorithmName } from '../../src/core/pki/keys';
import { openssl } from '../support/fixtures';

describe('openssl req -verify reads our CSRs', () => {
  const table: { algorithm: KeyAlgorithmName; keyText: RegExp; signature: string }[] = [
    { algorithm: 'RSA-2048', keyText: /Public-Key: \(2048 bit\)/, signature: 'sha256WithRSAEncryption' },
    { algorithm: 'RSA-4096', keyText: /Public-Key: \(4096 bit\)/, signature: 'sha256WithRSAEncryption' },
    { algorithm: 'ECDSA-P256', keyText: /NIST CURVE: P-256/, signature: 'ecdsa-with-SHA256' },
    { algorithm: 'ECDSA-P384', keyText: /NIST CURVE: P-384/, signature: 'ecdsa-with-SHA384' },
  ];
  for (const c of table) {
    it(`${c.algorithm}: signature verifies, subject and SANs as written`, async () => {
      const key = await generateKey(c.algorithm, { exportable: false });
      const { pem } = await createCsr({
        key,
        subject: { C: 'DE', ST: 'Bayern', L: 'München', O: 'Acme GmbH', OU: 'IT', CN: 'appliance.example.test' },
        subjectAltNames: ['*.mgmt.example.test', 'bücher.example', '192.0.2.10', '2001:db8::10'],
      });
      const out = openssl(['req', '-verify', '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space'], pem);
      expect(out.status, out.stderr).toBe(0);
      expect(out.stderr + out.stdout).toMatch(/verify OK/);
      expect(out.stdout).toContain('Subject: C=DE, ST=Bayern, L=München, O=Acme GmbH, OU=IT, CN=appliance.example.test');
      expect(out.stdout).toMatch(c.keyText);
      expect(out.stdout).toContain(`Signature Algorithm: ${c.signature}`);
      expect(out.stdout).toContain(
        'DNS:appliance.example.test, DNS:*.mgmt.example.test, DNS:xn--bcher-kva.example, IP Address:192.0.2.10, IP Address:2001:DB8:0:0:0:0:0:10',
      );
    });
  }
});
