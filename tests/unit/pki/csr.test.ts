import { describe, expect, it } from 'vitest';
import { createCsr, parseCsr } from '../../../src/core/pki/csr';
import { decodeInput } from '../../../src/core/pki/decode';
import { generateKey } from '../../../src/core/pki/keys';
import { CertdeskError } from '../../../src/core/errors';
import { fixture, fixtureText } from '../../support/fixtures';

/** What `openssl req -verify` said about each fixture (csr/INDEX.tsv). */
const index = fixtureText('csr', 'INDEX.tsv')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file, , , signature, , verdict, subject] = line.split('\t');
    return { file: file!, signature: signature!, verifies: verdict!.includes('verify OK'), subject: (subject ?? '').trim() };
  });

describe('CSR fixtures: our verdict matches openssl req -verify (csr/INDEX.tsv)', () => {
  for (const row of index) {
    it(`${row.file}: ${row.verifies ? 'verifies' : 'does not verify'}`, async () => {
      let valid: boolean;
      let subjectText = '';
      try {
        const decoded = await decodeInput(fixture('csr', ...row.file.split('/')));
        expect(decoded.requests).toHaveLength(1);
        const csr = await parseCsr(decoded.requests[0]!.der);
        valid = csr.signatureValid;
        subjectText = csr.subject.map((a) => `${a.type} = ${a.value}`).join(', ');
        expect(csr.signatureAlgorithm).toBe(row.signature.replace(/^dsaWithSHA1-old$/, 'dsaWithSHA1-old'));
      } catch (error) {
        // A request we cannot even read counts as "does not verify"; it must be a typed error.
        expect(error).toBeInstanceOf(CertdeskError);
        valid = false;
      }
      expect(valid).toBe(row.verifies);
      if (row.subject && valid) expect(`subject=${subjectText}`.startsWith(row.subject.slice(0, 60))).toBe(true);
    });
  }
});

describe('createCsr', () => {
  it('writes the subject, the SANs (CN first, IDN as punycode, canonical IPv6) and a valid signature', async () => {
    const key = await generateKey('ECDSA-P256', { exportable: false });
    const { der, pem } = await createCsr({
      key,
      subject: { C: 'de', ST: 'Bayern', L: 'München', O: 'Acme', OU: 'IT', CN: 'appliance.example.test' },
      subjectAltNames: ['*.mgmt.example.test', 'bücher.example', '2001:DB8:0:0::10', '192.0.2.10'],
    });
    expect(pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n')).toBe(true);
    const csr = await parseCsr(der);
    expect(csr.signatureValid).toBe(true);
    expect(csr.subjectText).toBe('CN=appliance.example.test, OU=IT, O=Acme, L=München, ST=Bayern, C=DE');
    expect(csr.subjectAltNames).toEqual([
      { type: 'dns', value: 'appliance.example.test' },
      { type: 'dns', value: '*.mgmt.example.test' },
      { type: 'dns', value: 'xn--bcher-kva.example' },
      { type: 'ip', value: '2001:db8::10' },
      { type: 'ip', value: '192.0.2.10' },
    ]);
    expect(csr.publicKey.publicKeySha256).toBe(key.publicKeySha256);
    expect(csr.extensions).toEqual([{ oid: '2.5.29.17', critical: false }]);
    // PEM and DER are the same request.
    expect((await parseCsr(new TextEncoder().encode(pem))).der).toEqual(der);
  });

  const bad: { name: string; subject: Record<string, string>; sans: string[]; code: string }[] = [
    { name: 'a three-letter country', subject: { C: 'DEU', CN: 'a.example' }, sans: [], code: 'invalid-subject' },
    { name: 'a partial wildcard', subject: { CN: 'Appliance' }, sans: ['ap*.example.com'], code: 'invalid-subject-alt-name' },
    { name: 'invalid punycode', subject: { CN: 'Appliance' }, sans: ['xn--a.example'], code: 'invalid-subject-alt-name' },
    { name: 'no SAN at all', subject: { CN: 'Appliance' }, sans: [], code: 'invalid-subject-alt-name' },
  ];
  for (const c of bad) {
    it(`refuses ${c.name} (${c.code})`, async () => {
      const key = await generateKey('ECDSA-P256', { exportable: false });
      await expect(createCsr({ key, subject: c.subject, subjectAltNames: c.sans })).rejects.toMatchObject({ code: c.code });
    });
  }

  it('detects a request altered after signing', async () => {
    const key = await generateKey('ECDSA-P256', { exportable: false });
    const { der } = await createCsr({ key, subject: { CN: 'appliance.example.test' }, subjectAltNames: [] });
    const altered = der.slice();
    const at = new TextDecoder('latin1').decode(altered).indexOf('appliance');
    altered[at] = 'b'.charCodeAt(0);
    const csr = await parseCsr(altered);
    expect(csr.subjectText).toBe('CN=bppliance.example.test');
    expect(csr.signatureValid).toBe(false);
  });

  it('refuses bytes that are not a request', async () => {
    await expect(parseCsr(new TextEncoder().encode('hello'))).rejects.toMatchObject({ code: 'invalid-csr' });
    await expect(parseCsr(fixture('openssl-set', 'rsa', 'server.der'))).rejects.toMatchObject({ code: 'invalid-csr' });
  });
});
