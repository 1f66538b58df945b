import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixture, fixtureText, openssl, fixturePath } from '../../support/fixtures';
import { BasicConstraintsExtension, SubjectAlternativeNameExtension, SubjectKeyIdentifierExtension, X509Certificate } from '@peculiar/x509';
import { readCertificateFacts, verifySelfSigned } from '../../../src/core/appliance/certificate-facts';
import { makeCert } from '../pki/chain-fixtures';
import { certificateKind, chainShape, validityAt } from '../../../src/core/appliance/certificate-entry';

const ec = (name: string) => fixture('openssl-set', 'ec', name);

describe('readCertificateFacts on real certificates', () => {
  it('reads fingerprint, key hash, names and flags as OpenSSL does', async () => {
    const facts = await readCertificateFacts(ec('server.der'));
    const fp = openssl(['x509', '-inform', 'DER', '-in', fixturePath('openssl-set', 'ec', 'server.der'), '-noout', '-fingerprint', '-sha256']);
    expect(facts.sha256).toBe(fp.stdout.trim().split('=')[1]!.replace(/:/g, '').toLowerCase());
    // The key hash links certificates to keys: OpenSSL's public key of the matching PKCS#8 must hash the same.
    const pub = openssl(['pkey', '-in', fixturePath('openssl-set', 'ec', 'server.pkcs8.pem'), '-pubout']);
    expect(pub.status).toBe(0);
    const spkiDer = Buffer.from(pub.stdout.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(facts.publicKeySha256).toBe(createHash('sha256').update(spkiDer).digest('hex'));
    expect(facts).toMatchObject({
      commonName: 'appliance.example.test',
      dnsNames: ['appliance.example.test', '*.mgmt.example.test', 'appliance'],
      ipAddresses: ['192.0.2.10', '2001:db8::10'],
      isCa: false,
      selfIssued: false,
      notBefore: Date.UTC(2025, 5, 1),
      notAfter: Date.UTC(2027, 5, 1),
    });
  });

  it('tells root, intermediate, server and self-signed apart (the guide: Issued To / Issued By)', async () => {
    const cases = [
      { name: 'root.der', kind: 'root', selfSigned: true },
      { name: 'ica.der', kind: 'intermediate', selfSigned: false },
      { name: 'server.der', kind: 'server', selfSigned: false },
      { name: 'selfsigned.der', kind: 'server', selfSigned: true },
    ] as const;
    for (const c of cases) {
      const facts = await readCertificateFacts(ec(c.name));
      expect({ name: c.name, kind: certificateKind(facts), selfSigned: await verifySelfSigned(ec(c.name)) }).toEqual({ name: c.name, kind: c.kind, selfSigned: c.selfSigned });
    }
  });

  it('a self-issued certificate whose signature was altered is not self-signed', async () => {
    const der = ec('root.der').slice();
    der[der.length - 3]! ^= 0x01;
    expect((await readCertificateFacts(der)).selfIssued).toBe(true);
    expect(await verifySelfSigned(der)).toBe(false);
    expect(await verifySelfSigned(new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it('keeps the names in the names module’s canonical forms (ASCII lower case, RFC 5952 text)', async () => {
    const made = await makeCert({ subject: 'CN=x', san: ['dns:WWW.Example.COM', 'dns:*.Nodes.Example.COM', 'ip:2001:0DB8:0:0:0:0:0:0010', 'ip:::FFFF:C000:0201', 'ip:192.0.2.10', 'email:admin@example.com'] });
    const facts = await readCertificateFacts(made.der);
    expect({ dnsNames: facts.dnsNames, ipAddresses: facts.ipAddresses }).toEqual({
      dnsNames: ['www.example.com', '*.nodes.example.com'],
      ipAddresses: ['2001:db8::10', '::ffff:c000:201', '192.0.2.10'],
    });
  });

  it('refuses bytes that are not a certificate with the code decoding gives them', async () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(), 'empty-file'],
      [ec('server.csr.der'), 'unexpected-content'],
      [ec('server.pkcs8.der'), 'unexpected-content'],
      [ec('server.der').slice(0, 100), 'invalid-encoding'],
    ];
    for (const [bytes, code] of cases) await expect(readCertificateFacts(bytes)).rejects.toMatchObject({ code });
  });
});

describe('facts agree with @peculiar/x509 on real certificates', () => {
  it('all 144 Mozilla roots and the pyca odd certificates', async () => {
    const texts = fixtureText('mozilla-roots.pem').split(/(?<=-----END CERTIFICATE-----\n)/).filter((t) => t.includes('BEGIN'));
    const ders = texts.map((t) => new Uint8Array(Buffer.from(t.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
    for (const name of ['v1_cert.pem', 'wildcard_san.pem', 'utf8-dnsname.pem', 'e-trust.ru.der', 'verisign_md2_root.pem', 'cryptography.io.pem']) {
      const bytes = fixture('x509-misc', 'pyca-cryptography-vectors-38.0.4', name);
      ders.push(name.endsWith('.der') ? new Uint8Array(bytes) : new Uint8Array(Buffer.from(new TextDecoder().decode(bytes).replace(/-----[^-]+-----|\s/g, ''), 'base64')));
    }
    expect(ders).toHaveLength(150);
    for (const der of ders) {
      const facts = await readCertificateFacts(der);
      const x = new X509Certificate(der as Uint8Array<ArrayBuffer>);
      const san = x.getExtension(SubjectAlternativeNameExtension)?.names.items ?? [];
      const want = {
        commonName: x.subjectName.getField('CN').at(-1),
        serialNumber: x.serialNumber.toLowerCase(),
        notBefore: x.notBefore.getTime(),
        notAfter: x.notAfter.getTime(),
        isCa: x.getExtension(BasicConstraintsExtension)?.ca ?? false,
        // A dNSName must be IA5 (RFC 5280 §4.2.1.6): our strict reader lets a UTF-8 one cover nothing.
        dnsNames: x.subject.includes('biztositas') ? [] : san.filter((n) => n.type === 'dns').map((n) => n.value.toLowerCase()),
        selfIssued: x.subject === x.issuer,
        subjectKeyId: x.getExtension(SubjectKeyIdentifierExtension)?.keyId.toLowerCase(),
      };
      const got = { ...facts, serialNumber: facts.serialNumber.replace(/^(00)+(?=.)/, '') };
      expect({ ...want, serialNumber: want.serialNumber.replace(/^(00)+(?=.)/, '') }, x.subject).toEqual({
        commonName: got.commonName,
        serialNumber: got.serialNumber,
        notBefore: got.notBefore,
        notAfter: got.notAfter,
        isCa: got.isCa,
        dnsNames: got.dnsNames,
        selfIssued: got.selfIssued,
        subjectKeyId: got.subjectKeyId,
      });
    }
  });

  it('a certificate with a malformed time is refused with the reason', async () => {
    const text = new TextDecoder().decode(fixture('x509-misc', 'pyca-cryptography-vectors-38.0.4', 'badasn1time.pem'));
    const der = new Uint8Array(Buffer.from(text.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    await expect(readCertificateFacts(der)).rejects.toMatchObject({ code: 'malformed-certificate', message: expect.stringContaining('UTCTime') });
  });
});

describe('chain shape and validity', () => {
  it('follows issuers: complete, missing intermediate, missing root', async () => {
    const [root, ica, server] = await Promise.all(['root.der', 'ica.der', 'server.der'].map((n) => readCertificateFacts(ec(n))));
    const table = [
      { pool: [root!, ica!, server!], want: 'complete', length: 3 },
      { pool: [server!, root!], want: 'missing-intermediate', length: 1 },
      { pool: [server!], want: 'missing-intermediate', length: 1 },
      { pool: [ica!, server!], want: 'missing-root', length: 2 },
    ];
    for (const row of table) {
      const shape = chainShape(server!, row.pool);
      expect(shape.shape).toBe(row.want);
      expect(shape.path).toHaveLength(row.length);
    }
    expect(chainShape(root!, [root!])).toEqual({ shape: 'complete', path: [root!.sha256] });
  });

  it('says expired / not yet valid from the dates', async () => {
    const facts = await readCertificateFacts(ec('server.der'));
    expect(validityAt(facts, Date.UTC(2025, 0, 1))).toBe('not-yet-valid');
    expect(validityAt(facts, Date.UTC(2026, 0, 1))).toBe('valid');
    expect(validityAt(facts, Date.UTC(2028, 0, 1))).toBe('expired');
  });
});
