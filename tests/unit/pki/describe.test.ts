import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { describeCertificate, certificateRole, type CertificateDescription } from '../../../src/core/pki/describe';
import { decodeInput } from '../../../src/core/pki/decode';
import { encodePem } from '../../../src/core/pki/pem';
import { CertdeskError } from '../../../src/core/errors';
import { fixture, fixturePath, openssl } from '../../support/fixtures';

const MISC = ['x509-misc', 'pyca-cryptography-vectors-38.0.4'];

/** Files in x509-misc that hold no readable certificate, and the typed error each gives. */
const UNREADABLE: Record<string, { stage: 'decode' | 'describe'; code: string }> = {
  'cryptography-scts-tbs-precert.der': { stage: 'decode', code: 'invalid-encoding' }, // a bare TBSCertificate
  'cryptography.io.with_garbage.pem': { stage: 'decode', code: 'invalid-encoding' }, // "PRIVATE KEY" blocks holding a URL
  'badasn1time.pem': { stage: 'decode', code: 'malformed-certificate' }, // notAfter UTCTime with a 4-digit year
};

/** What openssl says about a certificate, for comparison. */
function opensslView(der: Uint8Array): { sha256: string; sha1: string; serial: string; notBefore: string; notAfter: string; isCA: boolean; dns: string[] } {
  const pem = encodePem('CERTIFICATE', der);
  const out = openssl(['x509', '-noout', '-fingerprint', '-sha256', '-serial', '-dates', '-ext', 'basicConstraints,subjectAltName'], pem).stdout;
  const sha1 = openssl(['x509', '-noout', '-fingerprint', '-sha1'], pem).stdout;
  const field = (re: RegExp, text = out) => re.exec(text)?.[1] ?? '';
  return {
    sha256: field(/sha256 Fingerprint=([0-9A-F:]+)/).replace(/:/g, '').toLowerCase(),
    sha1: field(/SHA1 Fingerprint=([0-9A-F:]+)/i, sha1).replace(/:/g, '').toLowerCase(),
    serial: field(/serial=([0-9A-F]+)/).toLowerCase(),
    notBefore: new Date(field(/notBefore=(.+)/)).toISOString(),
    notAfter: new Date(field(/notAfter=(.+)/)).toISOString(),
    isCA: /CA:TRUE/.test(out),
    dns: [...out.matchAll(/DNS:([^,\n]+)/g)].map((m) => m[1]!.trim()),
  };
}

describe('describeCertificate on every x509-misc file (robust, matches openssl)', () => {
  for (const file of readdirSync(fixturePath(...MISC)).sort()) {
    it(file, async () => {
      const expected = UNREADABLE[file];
      let decoded;
      try {
        decoded = await decodeInput(fixture(...MISC, file));
      } catch (error) {
        expect(error).toBeInstanceOf(CertdeskError);
        expect({ stage: 'decode', code: (error as CertdeskError).code }).toEqual(expected);
        return;
      }
      for (const { der } of decoded.certificates) {
        let d: CertificateDescription;
        try {
          d = await describeCertificate(der);
        } catch (error) {
          expect(error).toBeInstanceOf(CertdeskError);
          expect({ stage: 'describe', code: (error as CertdeskError).code }).toEqual(expected);
          return;
        }
        expect(expected).toBeUndefined();
        const o = opensslView(der);
        expect(d.sha256).toBe(o.sha256);
        expect(d.sha1).toBe(o.sha1);
        expect(d.serialNumber.replace(/^0+(?=.)/, '')).toBe(o.serial.replace(/^0+(?=.)/, ''));
        expect(d.notBefore).toBe(o.notBefore);
        expect(d.notAfter).toBe(o.notAfter);
        expect(d.isCA).toBe(o.isCA);
        // A dNSName must be an IA5String (RFC 5280 §4.2.1.6): the model refuses a UTF-8 one (as
        // Go and rustls-webpki do), so that SAN is shown as unreadable, never as names.
        if (file === 'utf8-dnsname.pem') expect(d.extensions.find((e) => e.oid === '2.5.29.17')).toMatchObject({ kind: 'unreadable' });
        else expect(d.subjectAltNames.filter((n) => n.type === 'dns').map((n) => n.value)).toEqual(o.dns);
        // Plain data: survives structured clone (IndexedDB, postMessage).
        expect(structuredClone(d)).toEqual(d);
      }
    });
  }
});

describe('roles and decoded extensions', () => {
  const table: { file: string[]; role: string; selfSigned: boolean; key: string }[] = [
    { file: ['openssl-set', 'rsa', 'root.pem'], role: 'root', selfSigned: true, key: 'RSA 4096' },
    { file: ['openssl-set', 'rsa', 'ica.pem'], role: 'intermediate', selfSigned: false, key: 'RSA 3072' },
    { file: ['openssl-set', 'rsa', 'server.pem'], role: 'server', selfSigned: false, key: 'RSA 2048' },
    { file: ['openssl-set', 'ec', 'root.pem'], role: 'root', selfSigned: true, key: 'ECDSA P-384' },
    { file: ['openssl-set', 'ec', 'server.pem'], role: 'server', selfSigned: false, key: 'ECDSA P-256' },
    { file: ['openssl-set', 'ec', 'selfsigned.pem'], role: 'server', selfSigned: true, key: 'ECDSA P-256' },
    { file: [...MISC, 'ecdsa_root.pem'], role: 'root', selfSigned: true, key: 'ECDSA P-384' },
    { file: [...MISC, 'letsencryptx3.pem'], role: 'intermediate', selfSigned: false, key: 'RSA 2048' },
    // MD2 cannot be verified, so not "self-signed" — but by the guide's names rule still a root.
    { file: [...MISC, 'verisign_md2_root.pem'], role: 'root', selfSigned: false, key: 'RSA 1024' },
    { file: [...MISC, 'v1_cert.pem'], role: 'server', selfSigned: false, key: 'RSA 512' },
  ];
  for (const c of table) {
    it(`${c.file.join('/')} is a ${c.role}`, async () => {
      const d = await describeCertificate((await decodeInput(fixture(...c.file))).certificates[0]!.der);
      expect({ role: d.role, selfSigned: d.selfSigned, key: d.publicKey.label }).toEqual({ role: c.role, selfSigned: c.selfSigned, key: c.key });
    });
  }

  it('decodes the server certificate of the openssl set completely', async () => {
    const d = await describeCertificate(fixture('openssl-set', 'ec', 'server.der'));
    expect(d.subjectText).toBe('C=XX, O=Certdesk Appliance, CN=appliance.example.test');
    expect(d.subjectAltNames).toEqual([
      { type: 'dns', value: 'appliance.example.test' },
      { type: 'dns', value: '*.mgmt.example.test' },
      { type: 'dns', value: 'appliance' },
      { type: 'ip', value: '192.0.2.10' },
      { type: 'ip', value: '2001:db8::10' },
    ]);
    expect(d.extensions.find((e) => e.kind === 'extKeyUsage')).toMatchObject({ purposes: [{ oid: '1.3.6.1.5.5.7.3.1', name: 'TLS server authentication' }] });
  });

  it('decodes AIA caIssuers, CRL distribution points, policies with CPS, and unknown extensions as hex', async () => {
    const d = await describeCertificate((await decodeInput(fixture(...MISC, 'letsencryptx3.pem'))).certificates[0]!.der);
    const aia = d.extensions.find((e) => e.kind === 'authorityInfoAccess');
    expect(aia).toMatchObject({ ocsp: ['http://isrg.trustid.ocsp.identrust.com'], caIssuers: ['http://apps.identrust.com/roots/dstrootcax3.p7c'] });
    expect(d.extensions.find((e) => e.kind === 'crlDistributionPoints')).toMatchObject({ urls: ['http://crl.identrust.com/DSTROOTCAX3CRL.crl'] });
    expect(d.extensions.find((e) => e.kind === 'certificatePolicies')).toMatchObject({
      policies: [{ oid: '2.23.140.1.2.1' }, { oid: '1.3.6.1.4.1.44947.1.1.1', cps: ['http://cps.root-x1.letsencrypt.org'] }],
    });
    const scts = await describeCertificate((await decodeInput(fixture(...MISC, 'cryptography-scts.pem'))).certificates[0]!.der);
    expect(scts.extensions.find((e) => e.oid === '1.3.6.1.4.1.11129.2.4.2')).toMatchObject({ kind: 'unknown', critical: false, name: 'Signed certificate timestamps' });
  });

  it('decodes name constraints', async () => {
    const d = await describeCertificate((await decodeInput(fixture(...MISC, 'department-of-state-root.pem'))).certificates[0]!.der);
    const nc = d.extensions.find((e) => e.kind === 'nameConstraints');
    expect(nc).toBeDefined();
    expect(nc!.critical).toBe(true);
  });

  it('role rules', () => {
    expect(certificateRole(true, true, 3)).toBe('root');
    expect(certificateRole(true, false, 3)).toBe('intermediate');
    expect(certificateRole(false, true, 3)).toBe('server');
    expect(certificateRole(false, true, 1)).toBe('root');
    expect(certificateRole(false, false, 1)).toBe('server');
  });

  it('refuses bytes that are not a certificate with the code decoding gives them', async () => {
    const bytes = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00);
    await expect(describeCertificate(bytes)).rejects.toMatchObject({ code: 'invalid-encoding' });
    await expect(decodeInput(bytes)).rejects.toMatchObject({ code: 'invalid-encoding' });
  });
});

describe('hostile certificates are described or refused with a typed error, never a crash', async () => {
  const { issueCertificate, extension } = await import('../../../src/core/pki/certificate');
  const { subjectAltNameExtension } = await import('../../../src/core/pki/csr');
  const { encodeSubject } = await import('../../../src/core/pki/names/subject-input');
  const { generateKey } = await import('../../../src/core/pki/keys');
  const { Extension } = await import('@peculiar/asn1-x509');
  const { OctetString } = await import('@peculiar/asn1-schema');

  async function issue(cn: string, extensions: InstanceType<typeof Extension>[]): Promise<Uint8Array> {
    const key = await generateKey('ECDSA-P256', { exportable: false });
    const name = encodeSubject({ CN: cn });
    return issueCertificate({ subject: name, issuer: name, spki: key.spki, notBefore: new Date('2026-01-01Z'), notAfter: new Date('2027-01-01Z'), extensions, signer: key });
  }

  /** Replaces the first occurrence of `from` in the DER (same length): the issuer name, which comes first. */
  function patch(der: Uint8Array, from: number[], to: number[]): Uint8Array {
    const out = der.slice();
    const at = Buffer.from(out).indexOf(Buffer.from(from));
    expect(at).toBeGreaterThan(0);
    out.set(to, at);
    return out;
  }

  it('5,000 SANs', async () => {
    const sans = Array.from({ length: 5000 }, (_, i) => ({ type: 'dns' as const, value: `host${i}.example.test` }));
    const der = await issue('many.example.test', [subjectAltNameExtension(sans)]);
    const decoded = await decodeInput(der);
    const d = await describeCertificate(decoded.certificates[0]!.der);
    expect(d.subjectAltNames).toHaveLength(5000);
    expect(d.subjectAltNames[4999]).toEqual({ type: 'dns', value: 'host4999.example.test' });
  });

  it('an unknown critical extension is shown as OID + hex with its critical flag', async () => {
    const der = await issue('a.example', [new Extension({ extnID: '1.3.6.1.4.1.99999.1', critical: true, extnValue: new OctetString(Uint8Array.of(0x05, 0x00).buffer) })]);
    const d = await describeCertificate(der);
    expect(d.extensions).toEqual([{ oid: '1.3.6.1.4.1.99999.1', name: '1.3.6.1.4.1.99999.1', critical: true, kind: 'unknown', hex: '0500' }]);
  });

  it('a damaged known extension is shown as unreadable, not thrown', async () => {
    const der = await issue('a.example', [extension('2.5.29.19', true, new OctetString(Uint8Array.of(1, 2, 3).buffer))]);
    const d = await describeCertificate(der);
    expect(d.extensions[0]).toMatchObject({ oid: '2.5.29.19', kind: 'unreadable', critical: true });
    expect(d.isCA).toBe(false);
  });

  const names: { name: string; from: number[]; to: number[]; check: (d: CertificateDescription) => void }[] = [
    { name: 'a NUL inside a name', from: [0x0c, 0x05, 0x61, 0x58, 0x62, 0x58, 0x63], to: [0x0c, 0x05, 0x61, 0x00, 0x62, 0x58, 0x63], check: (d) => expect(d.issuer[0]!.value).toBe('a\\00bXc') },
  ];
  for (const c of names) {
    it(c.name, async () => {
      const der = patch(await issue('aXbXc', []), c.from, c.to);
      const d = await describeCertificate(der);
      expect(d.selfSigned).toBe(false); // the patch broke the signature, and we notice
      c.check(d);
    });
  }

  // OpenSSL refuses both (its name decoder converts every string to UTF-8), and so does the model.
  it.each([
    ['non-UTF-8 bytes in a UTF8String', [0x0c, 0x05, 0x61, 0xff, 0xfe, 0x58, 0x63]],
    ['an odd-length BMPString', [0x1e, 0x05, 0x00, 0x61, 0x00, 0x62, 0x00]],
  ])('%s is refused as malformed-certificate', async (_name, to) => {
    const der = patch(await issue('aXbXc', []), [0x0c, 0x05, 0x61, 0x58, 0x62, 0x58, 0x63], to);
    await expect(describeCertificate(der)).rejects.toMatchObject({ code: 'malformed-certificate' });
  });
});
