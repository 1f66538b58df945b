import { describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, randomSerialNumber, validityPeriod } from '../../../src/core/pki/certificate';
import { describeCertificate } from '../../../src/core/pki/describe';
import { generateKey, type KeyAlgorithmName } from '../../../src/core/pki/keys';

describe('createSelfSignedCertificate', () => {
  const table: { algorithm: KeyAlgorithmName; usages: string[]; signature: string }[] = [
    { algorithm: 'RSA-2048', usages: ['digitalSignature', 'keyEncipherment'], signature: 'sha256WithRSAEncryption' },
    { algorithm: 'ECDSA-P256', usages: ['digitalSignature'], signature: 'ecdsa-with-SHA256' },
    { algorithm: 'ECDSA-P384', usages: ['digitalSignature'], signature: 'ecdsa-with-SHA384' },
  ];
  for (const c of table) {
    it(`${c.algorithm}: server profile, SKI = AKI, SANs, one year by default`, async () => {
      const key = await generateKey(c.algorithm, { exportable: false });
      const notBefore = new Date('2026-03-01T12:00:00.500Z');
      const der = await createSelfSignedCertificate({
        key,
        subject: { O: 'Acme', CN: 'appliance.example.test' },
        subjectAltNames: ['192.0.2.10', '2001:db8::10'],
        notBefore,
      });
      const d = await describeCertificate(der);
      expect(d.version).toBe(3);
      expect(d.selfSigned).toBe(true);
      expect(d.isCA).toBe(false);
      expect(d.role).toBe('server');
      expect(d.signatureAlgorithm).toBe(c.signature);
      expect(d.publicKey.publicKeySha256).toBe(key.publicKeySha256);
      expect(d.subjectText).toBe('CN=appliance.example.test, O=Acme');
      expect(d.issuerText).toBe(d.subjectText);
      expect(d.notBefore).toBe('2026-03-01T12:00:00.000Z');
      expect(d.notAfter).toBe('2027-03-01T12:00:00.000Z');
      expect(d.serialNumber).toMatch(/^[4-7][0-9a-f]{31}$/);
      expect(d.subjectAltNames).toEqual([
        { type: 'dns', value: 'appliance.example.test' },
        { type: 'ip', value: '192.0.2.10' },
        { type: 'ip', value: '2001:db8::10' },
      ]);
      const byKind = Object.fromEntries(d.extensions.map((e) => [e.kind, e]));
      expect(byKind.basicConstraints).toMatchObject({ critical: true, ca: false });
      expect(byKind.keyUsage).toMatchObject({ critical: true, usages: c.usages });
      expect(byKind.extKeyUsage).toMatchObject({ critical: false, purposes: [{ oid: '1.3.6.1.5.5.7.3.1' }] });
      const ski = byKind.subjectKeyIdentifier as { keyIdentifier: string };
      expect(ski.keyIdentifier).toMatch(/^[0-9a-f]{40}$/);
      expect(byKind.authorityKeyIdentifier).toMatchObject({ keyIdentifier: ski.keyIdentifier });
    });
  }

  it('takes the validity the admin chose', async () => {
    const key = await generateKey('ECDSA-P256', { exportable: false });
    const der = await createSelfSignedCertificate({ key, subject: { CN: 'a.example' }, subjectAltNames: [], validityDays: 30, notBefore: new Date('2026-01-01T00:00:00Z') });
    expect((await describeCertificate(der)).notAfter).toBe('2026-01-31T00:00:00.000Z');
  });

  const invalid = [0, -1, 1.5, 36_501, Number.NaN];
  for (const days of invalid) {
    it(`refuses a validity of ${days} days`, async () => {
      const key = await generateKey('ECDSA-P256', { exportable: false });
      await expect(createSelfSignedCertificate({ key, subject: { CN: 'a.example' }, subjectAltNames: [], validityDays: days })).rejects.toMatchObject({
        code: 'invalid-validity',
      });
    });
  }
  it('accepts 1 and 36,500 days, the bounds', () => {
    expect(validityPeriod(1, new Date(0)).notAfter.toISOString()).toBe('1970-01-02T00:00:00.000Z');
    expect(validityPeriod(36_500, new Date(0)).notAfter.getUTCFullYear()).toBe(2069);
  });

  it('draws positive 16-byte serials that differ', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const serial = randomSerialNumber();
      expect(serial).toHaveLength(16);
      expect(serial[0]! & 0x80).toBe(0);
      expect(serial[0]! & 0x40).toBe(0x40);
      seen.add(Buffer.from(serial).toString('hex'));
    }
    expect(seen.size).toBe(200);
  });
});
