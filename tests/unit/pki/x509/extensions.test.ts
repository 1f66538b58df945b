/**
 * Every decoded extension (x509/extensions.ts), well formed and malformed, on values written
 * with the DER writer and on real certificates read by OpenSSL; and names (x509/name.ts).
 */
import { describe, expect, it } from 'vitest';
import { der, OID, readDer, TAG } from '../../../../src/core/pki/asn1';
import { certificateExtension, commonName, decodeExtensionValue, nameKey, nameToString, parseCertificate, parseName, type ExtensionValue } from '../../../../src/core/pki/x509';
import { fixture, fixtureText } from '../../../support/fixtures';

const ascii = (s: string) => new TextEncoder().encode(s);
const dns = (s: string) => der.tlv(0x82, ascii(s));
const uri = (s: string) => der.tlv(0x86, ascii(s));
const pemCertificate = (path: string[]) => new Uint8Array(Buffer.from(fixtureText(...path).replace(/-----[^-]+-----|\s/g, ''), 'base64'));

const wellFormed: { name: string; oid: string; value: Uint8Array; want: ExtensionValue }[] = [
  { name: 'basicConstraints CA with pathLen', oid: OID.basicConstraints, value: der.sequence(der.boolean(true), der.integer(0)), want: { kind: 'basicConstraints', ca: true, pathLenConstraint: 0 } },
  { name: 'basicConstraints empty (cA FALSE)', oid: OID.basicConstraints, value: der.sequence(), want: { kind: 'basicConstraints', ca: false } },
  { name: 'keyUsage digitalSignature + keyCertSign', oid: OID.keyUsage, value: der.namedBits([0, 5]), want: { kind: 'keyUsage', usages: ['digitalSignature', 'keyCertSign'], bits: new Set([0, 5]) } },
  { name: 'keyUsage decipherOnly (bit 8)', oid: OID.keyUsage, value: der.namedBits([8]), want: { kind: 'keyUsage', usages: ['decipherOnly'], bits: new Set([8]) } },
  { name: 'extKeyUsage', oid: OID.extKeyUsage, value: der.sequence(der.oid(OID.serverAuth), der.oid(OID.clientAuth)), want: { kind: 'extKeyUsage', purposes: [OID.serverAuth, OID.clientAuth] } },
  { name: 'extKeyUsage empty (kept: validation names the rule)', oid: OID.extKeyUsage, value: der.sequence(), want: { kind: 'extKeyUsage', purposes: [] } },
  { name: 'subjectKeyIdentifier', oid: OID.subjectKeyIdentifier, value: der.octetString(Uint8Array.of(1, 2)), want: { kind: 'subjectKeyIdentifier', keyIdentifier: Uint8Array.of(1, 2) } },
  {
    name: 'authorityKeyIdentifier with issuer and serial',
    oid: OID.authorityKeyIdentifier,
    value: der.sequence(der.tlv(0x80, Uint8Array.of(9)), der.tlv(0xa1, dns('ca.example')), der.tlv(0x82, Uint8Array.of(5))),
    want: { kind: 'authorityKeyIdentifier', keyIdentifier: Uint8Array.of(9), authorityCertIssuer: [{ kind: 'dns', value: 'ca.example' }], authorityCertSerialNumber: Uint8Array.of(5) },
  },
  {
    name: 'subjectAltName of every form',
    oid: OID.subjectAltName,
    value: der.sequence(
      dns('a.example'),
      der.tlv(0x81, ascii('x@a.example')),
      uri('https://a.example/'),
      der.tlv(0x87, Uint8Array.of(192, 0, 2, 1)),
      der.tlv(0xa4, der.sequence(der.setOf(der.sequence(der.oid(OID.commonName), der.utf8String('Dir'))))),
      der.tlv(0xa0, der.oid('1.3.6.1.4.1.311.20.2.3'), der.explicit(0, der.utf8String('upn'))),
      der.tlv(0x88, der.oid('1.2.3.4').subarray(2)),
    ),
    want: {
      kind: 'subjectAltName',
      names: [
        { kind: 'dns', value: 'a.example' },
        { kind: 'email', value: 'x@a.example' },
        { kind: 'uri', value: 'https://a.example/' },
        { kind: 'ip', bytes: Uint8Array.of(192, 0, 2, 1) },
        { kind: 'dn', name: parseName(readDer(der.sequence(der.setOf(der.sequence(der.oid(OID.commonName), der.utf8String('Dir')))))) },
        { kind: 'other', tag: 0xa0, oid: '1.3.6.1.4.1.311.20.2.3' },
        { kind: 'other', tag: 0x88, oid: '1.2.3.4' },
      ],
    },
  },
  { name: 'issuerAltName', oid: OID.issuerAltName, value: der.sequence(uri('https://ca.example/')), want: { kind: 'issuerAltName', names: [{ kind: 'uri', value: 'https://ca.example/' }] } },
  {
    name: 'nameConstraints with an IP range and an explicit minimum',
    oid: OID.nameConstraints,
    value: der.sequence(der.tlv(0xa0, der.sequence(der.tlv(0x87, Uint8Array.of(10, 0, 0, 0, 255, 0, 0, 0)))), der.tlv(0xa1, der.sequence(dns('bad.example'), der.tlv(0x80, Uint8Array.of(0))))),
    want: { kind: 'nameConstraints', permitted: [{ base: { kind: 'ip', bytes: Uint8Array.of(10, 0, 0, 0, 255, 0, 0, 0) } }], excluded: [{ base: { kind: 'dns', value: 'bad.example' }, minimum: 0 }] },
  },
  {
    name: 'certificatePolicies with CPS and user notice',
    oid: OID.certificatePolicies,
    value: der.sequence(
      der.sequence(
        der.oid('2.23.140.1.2.1'),
        der.sequence(
          der.sequence(der.oid(OID.cps), der.ia5String('https://cps.example/')),
          der.sequence(der.oid(OID.userNotice), der.sequence(der.sequence(der.utf8String('Org'), der.sequence(der.integer(1), der.integer(2))), der.utf8String('Read me'))),
        ),
      ),
    ),
    want: {
      kind: 'certificatePolicies',
      policies: [
        {
          oid: '2.23.140.1.2.1',
          qualifiers: [
            { oid: OID.cps, raw: der.ia5String('https://cps.example/'), cps: 'https://cps.example/' },
            {
              oid: OID.userNotice,
              raw: der.sequence(der.sequence(der.utf8String('Org'), der.sequence(der.integer(1), der.integer(2))), der.utf8String('Read me')),
              userNotice: { organization: 'Org', noticeNumbers: [1, 2], explicitText: 'Read me' },
            },
          ],
        },
      ],
    },
  },
  { name: 'policyMappings', oid: OID.policyMappings, value: der.sequence(der.sequence(der.oid('1.2.3'), der.oid('1.2.4'))), want: { kind: 'policyMappings', mappings: [{ issuerDomainPolicy: '1.2.3', subjectDomainPolicy: '1.2.4' }] } },
  { name: 'policyConstraints', oid: OID.policyConstraints, value: der.sequence(der.tlv(0x80, Uint8Array.of(0)), der.tlv(0x81, Uint8Array.of(2))), want: { kind: 'policyConstraints', requireExplicitPolicy: 0, inhibitPolicyMapping: 2 } },
  { name: 'policyConstraints empty (read; RFC 5280 §4.2.1.11 forbids issuing it)', oid: OID.policyConstraints, value: der.sequence(), want: { kind: 'policyConstraints' } },
  { name: 'inhibitAnyPolicy', oid: OID.inhibitAnyPolicy, value: der.integer(1), want: { kind: 'inhibitAnyPolicy', skipCerts: 1 } },
  {
    name: 'cRLDistributionPoints with a fullName, reasons and cRLIssuer',
    oid: OID.cRLDistributionPoints,
    value: der.sequence(der.sequence(der.explicit(0, der.tlv(0xa0, uri('http://crl.example/a.crl'))), der.tlv(0x81, Uint8Array.of(7, 0x80)), der.tlv(0xa2, dns('ca.example')))),
    want: { kind: 'cRLDistributionPoints', points: [{ fullName: [{ kind: 'uri', value: 'http://crl.example/a.crl' }], reasons: { bytes: Uint8Array.of(0x80), unusedBits: 7 }, cRLIssuer: [{ kind: 'dns', value: 'ca.example' }] }] },
  },
  { name: 'freshestCRL', oid: OID.freshestCRL, value: der.sequence(der.sequence(der.explicit(0, der.tlv(0xa0, uri('http://crl.example/d.crl'))))), want: { kind: 'freshestCRL', points: [{ fullName: [{ kind: 'uri', value: 'http://crl.example/d.crl' }] }] } },
  {
    name: 'authorityInfoAccess',
    oid: OID.authorityInfoAccess,
    value: der.sequence(der.sequence(der.oid(OID.ocsp), uri('http://ocsp.example')), der.sequence(der.oid(OID.caIssuers), uri('http://ca.example/ca.crt'))),
    want: { kind: 'authorityInfoAccess', descriptions: [{ method: OID.ocsp, location: { kind: 'uri', value: 'http://ocsp.example' } }, { method: OID.caIssuers, location: { kind: 'uri', value: 'http://ca.example/ca.crt' } }] },
  },
  { name: 'subjectInfoAccess', oid: OID.subjectInfoAccess, value: der.sequence(der.sequence(der.oid('1.3.6.1.5.5.7.48.5'), uri('http://repo.example'))), want: { kind: 'subjectInfoAccess', descriptions: [{ method: '1.3.6.1.5.5.7.48.5', location: { kind: 'uri', value: 'http://repo.example' } }] } },
  { name: 'subjectDirectoryAttributes', oid: OID.subjectDirectoryAttributes, value: der.sequence(der.sequence(der.oid('1.3.6.1.5.5.7.9.4'), der.tlv(TAG.SET, der.printableString('DE')))), want: { kind: 'subjectDirectoryAttributes', attributes: [{ oid: '1.3.6.1.5.5.7.9.4', values: [der.printableString('DE')] }] } },
  { name: 'signed certificate timestamps (opaque)', oid: OID.ctPrecertificateScts, value: der.octetString(Uint8Array.of(0, 2, 0xab, 0xcd)), want: { kind: 'signedCertificateTimestamps', list: Uint8Array.of(0, 2, 0xab, 0xcd) } },
  { name: 'precertificate poison', oid: OID.ctPrecertificatePoison, value: der.nullValue(), want: { kind: 'precertificatePoison' } },
  { name: 'tlsFeature status_request', oid: OID.tlsFeature, value: der.sequence(der.integer(5)), want: { kind: 'tlsFeature', features: [5] } },
];

const malformed: { name: string; oid: string; value: Uint8Array; why: RegExp }[] = [
  { name: 'basicConstraints cA BOOLEAN 0x01', oid: OID.basicConstraints, value: der.sequence(der.tlv(TAG.BOOLEAN, Uint8Array.of(1))), why: /not a DER BOOLEAN/ },
  { name: 'basicConstraints with a negative pathLen', oid: OID.basicConstraints, value: der.sequence(der.boolean(true), der.tlv(TAG.INTEGER, Uint8Array.of(0xff))), why: /negative/ },
  { name: 'basicConstraints fields out of order', oid: OID.basicConstraints, value: der.sequence(der.integer(0), der.boolean(true)), why: /unexpected extra fields/ },
  { name: 'keyUsage with non-zero padding bits', oid: OID.keyUsage, value: der.tlv(TAG.BIT_STRING, Uint8Array.of(7, 0x81)), why: /padding bits/ },
  { name: 'extKeyUsage holding a string', oid: OID.extKeyUsage, value: der.sequence(der.utf8String('serverAuth')), why: /wrong type/ },
  { name: 'an empty subjectAltName', oid: OID.subjectAltName, value: der.sequence(), why: /at least one name/ },
  { name: 'a UTF-8 dNSName', oid: OID.subjectAltName, value: der.sequence(der.tlv(0x82, new TextEncoder().encode('bücher.example'))), why: /non-ASCII/ },
  { name: 'an unknown GeneralName form', oid: OID.subjectAltName, value: der.sequence(der.tlv(0x89, Uint8Array.of(1))), why: /unknown form/ },
  { name: 'AKI fields out of order', oid: OID.authorityKeyIdentifier, value: der.sequence(der.tlv(0x82, Uint8Array.of(5)), der.tlv(0x80, Uint8Array.of(9))), why: /unexpected extra fields/ },
  { name: 'an empty permittedSubtrees', oid: OID.nameConstraints, value: der.sequence(der.tlv(0xa0)), why: /empty list of name constraints/ },
  { name: 'an empty AIA', oid: OID.authorityInfoAccess, value: der.sequence(), why: /at least one entry/ },
  { name: 'a CPS qualifier that is not an IA5String', oid: OID.certificatePolicies, value: der.sequence(der.sequence(der.oid('1.2.3'), der.sequence(der.sequence(der.oid(OID.cps), der.utf8String('x'))))), why: /not an IA5String/ },
  { name: 'trailing bytes after the value', oid: OID.subjectKeyIdentifier, value: Uint8Array.of(4, 1, 1, 0), why: /extra bytes/ },
  { name: 'an inhibitAnyPolicy that is not an INTEGER', oid: OID.inhibitAnyPolicy, value: der.nullValue(), why: /wrong type/ },
];

describe('decodeExtensionValue', () => {
  it.each(wellFormed)('$name', ({ oid, value, want }) => expect(decodeExtensionValue(oid, value)).toEqual({ decoded: want }));
  it.each(malformed)('$name is recorded as a problem, not thrown', ({ oid, value, why }) => {
    const result = decodeExtensionValue(oid, value);
    expect(result.decoded).toBeUndefined();
    expect(result.problem).toMatch(why);
  });
  it('an extension it does not decode is neither decoded nor a problem', () => expect(decodeExtensionValue('1.2.3.4', Uint8Array.of(1, 2))).toEqual({}));
});

describe('extensions of real certificates, as OpenSSL prints them', () => {
  const misc = (name: string) => parseCertificate(pemCertificate(['x509-misc', 'pyca-cryptography-vectors-38.0.4', name]));
  it('letsencryptx3: AIA, CRL distribution points, policies with CPS', () => {
    const c = misc('letsencryptx3.pem');
    expect(certificateExtension(c, 'authorityInfoAccess')?.descriptions.map((d) => d.location)).toEqual([
      { kind: 'uri', value: 'http://isrg.trustid.ocsp.identrust.com' },
      { kind: 'uri', value: 'http://apps.identrust.com/roots/dstrootcax3.p7c' },
    ]);
    expect(certificateExtension(c, 'cRLDistributionPoints')?.points[0]?.fullName).toEqual([{ kind: 'uri', value: 'http://crl.identrust.com/DSTROOTCAX3CRL.crl' }]);
    expect(certificateExtension(c, 'certificatePolicies')?.policies.map((p) => [p.oid, p.qualifiers.map((q) => q.cps)])).toEqual([
      ['2.23.140.1.2.1', []],
      ['1.3.6.1.4.1.44947.1.1.1', ['http://cps.root-x1.letsencrypt.org']],
    ]);
  });
  it('department-of-state-root: critical name constraints excluding DC=mil', () => {
    const c = misc('department-of-state-root.pem');
    expect(c.extensionsByOid.get(OID.nameConstraints)?.critical).toBe(true);
    const nc = certificateExtension(c, 'nameConstraints')!;
    expect(nc.excluded?.map((s) => (s.base.kind === 'dn' ? nameToString(s.base.name) : s.base.kind))).toContain('DC=mil');
  });
  it('tls-feature-ocsp-staple: status_request', () => expect(certificateExtension(misc('tls-feature-ocsp-staple.pem'), 'tlsFeature')).toEqual({ kind: 'tlsFeature', features: [5] }));
  it('openssl-set server: SAN, key usage, EKU, key identifiers', () => {
    const c = parseCertificate(fixture('openssl-set', 'ec', 'server.der'));
    expect(certificateExtension(c, 'subjectAltName')?.names.map((n) => (n.kind === 'dns' ? n.value : n.kind))).toEqual(['appliance.example.test', '*.mgmt.example.test', 'appliance', 'ip', 'ip']);
    expect(certificateExtension(c, 'keyUsage')?.usages).toContain('digitalSignature');
    expect(certificateExtension(c, 'extKeyUsage')?.purposes).toContain(OID.serverAuth);
    expect(certificateExtension(c, 'authorityKeyIdentifier')?.keyIdentifier).toEqual(certificateExtension(parseCertificate(fixture('openssl-set', 'ec', 'ica.der')), 'subjectKeyIdentifier')?.keyIdentifier);
  });
});

describe('names (RFC 5280 §4.1.2.4, §7.1)', () => {
  const name = (...rdns: Uint8Array[][]) => parseName(readDer(der.sequence(...rdns.map((atvs) => der.setOf(...atvs)))));
  const atv = (oid: string, value: Uint8Array) => der.sequence(der.oid(oid), value);

  it('display: RDNs reversed, a multi-valued RDN joined with "+", RFC 4514 escapes, control characters shown', () => {
    const n = name([atv('2.5.4.6', der.printableString('DE'))], [atv('2.5.4.10', der.utf8String('Acme, Inc.')), atv('2.5.4.11', der.utf8String('#1'))], [atv('2.5.4.3', der.utf8String(' lead+trail\u0000'))]);
    expect(n.map((rdn) => rdn.length)).toEqual([1, 2, 1]);
    expect(nameToString(n)).toMatch(/^CN=\\ lead\\\+trail\\\\00, (O=Acme\\, Inc\.\+OU=\\#1|OU=\\#1\+O=Acme\\, Inc\.), C=DE$/);
  });
  it('display is bounded for hostile names', () => {
    const n = name(...Array.from({ length: 500 }, (_, i) => [atv('2.5.4.11', der.utf8String(`unit ${i}`))]));
    expect(nameToString(n)).toHaveLength(1024);
    expect(nameToString(n, 40).endsWith('…')).toBe(true);
  });
  it('comparison ignores case, surrounding and repeated white space and the string type', () => {
    const a = name([atv('2.5.4.3', der.utf8String('Example  CA '))]);
    const b = name([atv('2.5.4.3', der.printableString('example ca'))]);
    const c = name([atv('2.5.4.3', der.utf8String('example cb'))]);
    expect(nameKey(a)).toBe(nameKey(b));
    expect(nameKey(a)).not.toBe(nameKey(c));
  });
  it('a multi-valued RDN compares equal whatever the attribute order', () => {
    const a = parseName(readDer(der.sequence(der.tlv(TAG.SET, atv('2.5.4.3', der.utf8String('a')), atv('2.5.4.10', der.utf8String('b'))))));
    const b = parseName(readDer(der.sequence(der.tlv(TAG.SET, atv('2.5.4.10', der.utf8String('b')), atv('2.5.4.3', der.utf8String('a'))))));
    expect(nameKey(a)).toBe(nameKey(b));
  });
  it('the common name is the most specific CN', () => {
    expect(commonName(name([atv('2.5.4.3', der.utf8String('first'))], [atv('2.5.4.3', der.utf8String('last'))]))).toBe('last');
    expect(commonName(name([atv('2.5.4.10', der.utf8String('org'))]))).toBeUndefined();
  });
});
