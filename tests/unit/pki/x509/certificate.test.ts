/**
 * parseCertificate, one structural rule at a time: each case changes exactly one field of a
 * real certificate (openssl-set/ec/server.der) and says whether the model reads it (and what
 * it keeps) or refuses it (and why), beside what OpenSSL does with the same bytes.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { children, concatBytes, der, encodingOf, readDer, TAG } from '../../../../src/core/pki/asn1';
import { CertdeskError } from '../../../../src/core/errors';
import { certificateExtension, MalformedCertificateError, parseCertificate, type Certificate } from '../../../../src/core/pki/x509';
import { fixture } from '../../../support/fixtures';

const original = fixture('openssl-set', 'ec', 'server.der');
const [tbsTlv, algTlv, sigTlv] = children(readDer(original));
const fields = children(tbsTlv!).map(encodingOf);
const [version, serial, tbsAlg, issuer, validity, subject, spki, extensions] = fields as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
const alg = encodingOf(algTlv!);
const sig = encodingOf(sigTlv!);

/** A certificate from TBS fields (and optionally other outer parts); the signature no longer matches, which parsing does not care about. */
function cert(tbs: Uint8Array[], outer: { alg?: Uint8Array; sig?: Uint8Array; extra?: Uint8Array[] } = {}): Uint8Array {
  return der.sequence(der.sequence(...tbs), outer.alg ?? alg, outer.sig ?? sig, ...(outer.extra ?? []));
}
const ascii = (s: string) => new TextEncoder().encode(s);
const utc = (s: string) => der.tlv(TAG.UTC_TIME, ascii(s));
const gen = (s: string) => der.tlv(TAG.GENERALIZED_TIME, ascii(s));
const cnName = (value: Uint8Array) => der.sequence(der.setOf(der.sequence(der.oid('2.5.4.3'), value)));
const ext = (oid: string, value: Uint8Array, critical?: Uint8Array) => der.sequence(der.oid(oid), ...(critical ? [critical] : []), der.octetString(value));
const exts = (...list: Uint8Array[]) => der.explicit(3, der.sequence(...list));
const ecAlgOid = der.oid('1.2.840.10045.4.3.2');
const withTbs = (index: number, value: Uint8Array) => fields.map((f, i) => (i === index ? value : f));

function opensslReads(bytes: Uint8Array): boolean {
  try {
    new X509Certificate(Buffer.from(bytes));
    return true;
  } catch {
    return false;
  }
}

type Case = { name: string; bytes: () => Uint8Array; openssl: boolean } & ({ refused: RegExp } | { check: (c: Certificate) => void });

const cases: Case[] = [
  { name: 'the certificate as issued', bytes: () => original, openssl: true, check: (c) => expect(c.version).toBe(3) },
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
  { name: 'a fourth element after the signature', bytes: () => cert(fields, { extra: [der.nullValue()] }), openssl: false, refused: /the certificate has unexpected extra fields/ },
  { name: 'no signature', bytes: () => der.sequence(der.sequence(...fields), alg), openssl: false, refused: /signatureValue is missing/ },
  { name: 'the signature as an OCTET STRING', bytes: () => cert(fields, { sig: der.octetString(sig.subarray(3)) }), openssl: false, refused: /signatureValue in the certificate has the wrong type/ },
  { name: 'trailing bytes after the certificate', bytes: () => Uint8Array.from([...original, 0]), openssl: true, refused: /extra bytes after its end/ },
  // AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
  { name: 'an AlgorithmIdentifier with three elements', bytes: () => cert(withTbs(2, der.sequence(ecAlgOid, der.nullValue(), der.nullValue()))), openssl: false, refused: /signature algorithm has unexpected extra fields/ },
  { name: 'an AlgorithmIdentifier without its OID', bytes: () => cert(withTbs(2, der.sequence(der.nullValue()))), openssl: false, refused: /the algorithm in the TBS signature algorithm has the wrong type/ },
  { name: 'AlgorithmIdentifier parameters of any type (a UTCTime)', bytes: () => cert(withTbs(2, der.sequence(ecAlgOid, utc('abc')))), openssl: true, check: (c) => expect(c.tbsSignatureAlgorithm.parameters).toEqual(utc('abc')) },
  { name: 'AlgorithmIdentifier parameters: a two-octet BOOLEAN', bytes: () => cert(withTbs(2, der.sequence(ecAlgOid, der.tlv(TAG.BOOLEAN, Uint8Array.of(0, 0))))), openssl: false, refused: /not a DER BOOLEAN/ },
  { name: 'AlgorithmIdentifier parameters: an empty INTEGER', bytes: () => cert(withTbs(2, der.sequence(ecAlgOid, der.tlv(TAG.INTEGER, new Uint8Array(0))))), openssl: false, refused: /empty INTEGER/ },
  { name: 'AlgorithmIdentifier parameters: a NULL with content', bytes: () => cert(withTbs(2, der.sequence(ecAlgOid, der.tlv(TAG.NULL, Uint8Array.of(0))))), openssl: false, refused: /NULL with content/ },
  { name: 'outer and inner AlgorithmIdentifiers differ (read; validation refuses)', bytes: () => cert(fields, { alg: der.sequence(der.oid('1.2.840.10045.4.3.3')) }), openssl: true, check: (c) => expect(c.signatureAlgorithm.oid).not.toBe(c.tbsSignatureAlgorithm.oid) },
  // Version
  { name: 'version 4', bytes: () => cert(withTbs(0, der.explicit(0, der.integer(3)))), openssl: true, refused: /the version is 4/ },
  { name: 'a negative version', bytes: () => cert(withTbs(0, der.explicit(0, der.tlv(TAG.INTEGER, Uint8Array.of(0xff))))), openssl: true, refused: /the version is negative/ },
  { name: 'v1 written out (DER omits the default)', bytes: () => cert([der.explicit(0, der.integer(0)), ...fields.slice(1, 7)]), openssl: true, check: (c) => expect({ version: c.version, encoded: c.versionEncoded }).toEqual({ version: 1, encoded: true }) },
  { name: 'two elements inside [0] version', bytes: () => cert(withTbs(0, der.explicit(0, concatBytes(der.integer(2), der.integer(2))))), openssl: false, refused: /the version has unexpected extra fields/ },
  // Serial number (RFC 5280 §4.1.2.2)
  { name: 'a 0-byte serial', bytes: () => cert(withTbs(1, der.tlv(TAG.INTEGER, new Uint8Array(0)))), openssl: false, refused: /the serial number is an empty INTEGER/ },
  { name: 'a serial with a superfluous leading zero', bytes: () => cert(withTbs(1, der.tlv(TAG.INTEGER, Uint8Array.of(0, 1)))), openssl: false, refused: /superfluous leading bytes/ },
  { name: 'a negative serial (read; validation refuses)', bytes: () => cert(withTbs(1, der.tlv(TAG.INTEGER, Uint8Array.of(0x80)))), openssl: true, check: (c) => expect(c.serialNumber).toEqual(Uint8Array.of(0x80)) },
  // Validity (RFC 5280 §4.1.2.5)
  { name: 'month 13', bytes: () => cert(withTbs(4, der.sequence(utc('251301000000Z'), utc('270101000000Z')))), openssl: true, refused: /notBefore is not a real date and time/ },
  { name: '30 February', bytes: () => cert(withTbs(4, der.sequence(utc('250230000000Z'), utc('270101000000Z')))), openssl: true, refused: /not a real date and time \(250230000000Z\)/ },
  { name: 'hour 25', bytes: () => cert(withTbs(4, der.sequence(utc('250101250000Z'), utc('270101000000Z')))), openssl: true, refused: /not a real date and time/ },
  { name: 'a UTCTime without seconds', bytes: () => cert(withTbs(4, der.sequence(utc('2501010000Z'), utc('270101000000Z')))), openssl: true, refused: /a UTCTime not in the YYMMDDHHMMSSZ form/ },
  { name: 'a GeneralizedTime with a fraction', bytes: () => cert(withTbs(4, der.sequence(gen('20250101000000.5Z'), utc('270101000000Z')))), openssl: true, refused: /a GeneralizedTime not in the YYYYMMDDHHMMSSZ form/ },
  { name: 'GeneralizedTime before 2050 (read, kept for §4.1.2.5 checks)', bytes: () => cert(withTbs(4, der.sequence(gen('20250601000000Z'), utc('270601000000Z')))), openssl: true, check: (c) => expect({ tag: c.notBefore.tag, seconds: c.notBefore.seconds }).toEqual({ tag: TAG.GENERALIZED_TIME, seconds: Date.UTC(2025, 5, 1) / 1000 }) },
  { name: 'three times in the validity', bytes: () => cert(withTbs(4, der.sequence(utc('250101000000Z'), utc('270101000000Z'), utc('270101000000Z')))), openssl: false, refused: /the validity has unexpected extra fields/ },
  { name: 'an INTEGER as notBefore', bytes: () => cert(withTbs(4, der.sequence(der.integer(1), utc('270101000000Z')))), openssl: false, refused: /notBefore is not a time/ },
  // Names (RFC 5280 §4.1.2.4) as OpenSSL's X509_NAME decoder reads them
  { name: 'a UTCTime in a name', bytes: () => cert(withTbs(3, cnName(utc('250101000000Z')))), openssl: false, refused: /a value of a type names cannot hold \(tag 0x17\)/ },
  { name: 'a VisibleString in a name', bytes: () => cert(withTbs(3, cnName(der.tlv(TAG.VISIBLE_STRING, ascii('x'))))), openssl: false, refused: /tag 0x1a/ },
  { name: 'an INTEGER in a name', bytes: () => cert(withTbs(3, cnName(der.integer(1)))), openssl: false, refused: /tag 0x2/ },
  { name: 'invalid UTF-8 in a UTF8String', bytes: () => cert(withTbs(3, cnName(der.tlv(TAG.UTF8_STRING, Uint8Array.of(0xc3))))), openssl: false, refused: /not valid UTF-8/ },
  { name: 'an odd-length BMPString', bytes: () => cert(withTbs(3, cnName(der.tlv(TAG.BMP_STRING, Uint8Array.of(0, 0x61, 0))))), openssl: false, refused: /BMPString of odd length/ },
  { name: 'a BMPString with a surrogate', bytes: () => cert(withTbs(3, cnName(der.tlv(TAG.BMP_STRING, Uint8Array.of(0xd8, 0, 0, 0x61))))), openssl: false, refused: /surrogate/ },
  { name: 'a non-ASCII IA5String in a name', bytes: () => cert(withTbs(3, cnName(der.tlv(TAG.IA5_STRING, Uint8Array.of(0x61, 0xe9))))), openssl: true, refused: /non-ASCII byte/ },
  { name: 'a constructed UTF8String (BER) in a name', bytes: () => cert(withTbs(3, cnName(der.tlv(0x2c, der.utf8String('a'))))), openssl: true, refused: /constructed form of a string/ },
  { name: 'a PrintableString with "@" (read; lint flags it)', bytes: () => cert(withTbs(3, cnName(der.tlv(TAG.PRINTABLE_STRING, ascii('a@b'))))), openssl: true, check: (c) => expect(c.issuer[0]![0]!.text).toBe('a@b') },
  { name: 'a SEQUENCE value in a name (kept raw)', bytes: () => cert(withTbs(3, cnName(der.sequence()))), openssl: true, check: (c) => expect(c.issuer[0]![0]).toEqual({ oid: '2.5.4.3', tag: TAG.SEQUENCE, raw: Uint8Array.of(0x30, 0), normalized: '#3000' }) },
  { name: 'an empty RDN (read; validation refuses)', bytes: () => cert(withTbs(3, der.sequence(der.tlv(TAG.SET)))), openssl: true, check: (c) => expect(c.issuer).toEqual([[]]) },
  { name: 'an attribute with three elements', bytes: () => cert(withTbs(3, der.sequence(der.setOf(der.sequence(der.oid('2.5.4.3'), der.utf8String('a'), der.utf8String('b')))))), openssl: false, refused: /a name attribute has unexpected extra fields/ },
  { name: 'an RDN that is a SEQUENCE', bytes: () => cert(withTbs(3, der.sequence(der.sequence(der.sequence(der.oid('2.5.4.3'), der.utf8String('a')))))), openssl: false, refused: /a relative distinguished name of the issuer has the wrong type/ },
  // SubjectPublicKeyInfo
  { name: 'an SPKI with a third element', bytes: () => cert(withTbs(6, der.sequence(...children(readDer(spki)).map(encodingOf), der.nullValue()))), openssl: false, refused: /subjectPublicKeyInfo has unexpected extra fields/ },
  { name: 'key bits that are no EC point or RSA key (read; kept as a key problem)', bytes: () => cert(withTbs(6, der.sequence(der.sequence(der.oid('1.2.840.113549.1.1.1'), der.nullValue()), der.bitString(Uint8Array.of(1, 2, 3))))), openssl: true, check: (c) => expect(c.spki.problem).toBeDefined() },
  // Unique identifiers (RFC 5280 §4.1.2.8)
  { name: 'unique identifiers in a v1 certificate (read; kept)', bytes: () => cert([...fields.slice(1, 7), der.implicit(1, der.bitString(Uint8Array.of(1)))]), openssl: true, check: (c) => expect({ version: c.version, uid: c.issuerUniqueId?.bytes }).toEqual({ version: 1, uid: Uint8Array.of(1) }) },
  { name: 'subjectUniqueID before issuerUniqueID', bytes: () => cert([...fields.slice(0, 7), der.implicit(2, der.bitString(Uint8Array.of(1))), der.implicit(1, der.bitString(Uint8Array.of(1))), extensions]), openssl: false, refused: /tbsCertificate has unexpected extra fields/ },
  { name: 'an empty unique identifier', bytes: () => cert([...fields.slice(0, 7), der.tlv(0x81, new Uint8Array(0)), extensions]), openssl: false, refused: /empty BIT STRING/ },
  // Extensions (RFC 5280 §4.1.2.9, §4.2)
  { name: 'extensions in a v1 certificate (read; validation refuses)', bytes: () => cert([...fields.slice(1, 7), extensions]), openssl: true, check: (c) => expect({ version: c.version, count: c.extensions.length > 0 }).toEqual({ version: 1, count: true }) },
  { name: 'an extension whose critical flag is an INTEGER', bytes: () => cert([...fields.slice(0, 7), exts(ext('2.5.29.19', der.sequence(), der.integer(1)))]), openssl: false, refused: /extnValue in an extension has the wrong type/ },
  { name: 'an extension whose critical flag is 0x01 (not DER)', bytes: () => cert([...fields.slice(0, 7), exts(ext('2.5.29.19', der.sequence(), der.tlv(TAG.BOOLEAN, Uint8Array.of(1))))]), openssl: true, refused: /not a DER BOOLEAN/ },
  { name: 'critical FALSE written out (read; kept)', bytes: () => cert([...fields.slice(0, 7), exts(ext('2.5.29.19', der.sequence(), der.boolean(false)))]), openssl: true, check: (c) => expect(c.extensions[0]).toMatchObject({ critical: false, criticalEncoded: true }) },
  { name: 'an extension with a fourth element', bytes: () => cert([...fields.slice(0, 7), exts(der.sequence(der.oid('2.5.29.19'), der.octetString(der.sequence()), der.nullValue()))]), openssl: false, refused: /an extension has unexpected extra fields/ },
  { name: 'an extension without a value', bytes: () => cert([...fields.slice(0, 7), exts(der.sequence(der.oid('2.5.29.19')))]), openssl: false, refused: /extnValue is missing/ },
  { name: 'an empty extension list (read)', bytes: () => cert([...fields.slice(0, 7), exts()]), openssl: true, check: (c) => expect(c.extensions).toEqual([]) },
  { name: 'a malformed extension value (read; recorded on the extension)', bytes: () => cert([...fields.slice(0, 7), exts(ext('2.5.29.19', Uint8Array.of(1, 2, 3), der.boolean(true)))]), openssl: true, check: (c) => expect([c.extensions[0]!.decoded, c.extensions[0]!.critical, c.extensions[0]!.problem]).toEqual([undefined, true, expect.any(String)]) },
  { name: 'a repeated extension (read; recorded)', bytes: () => cert([...fields.slice(0, 7), exts(ext('2.5.29.19', der.sequence()), ext('2.5.29.19', der.sequence()))]), openssl: true, check: (c) => expect(c.duplicateExtensions).toEqual(['2.5.29.19']) },
  { name: 'a field after the extensions', bytes: () => cert([...fields, der.nullValue()]), openssl: false, refused: /tbsCertificate has unexpected extra fields/ },
];

describe('parseCertificate: one rule per case, beside OpenSSL', () => {
  for (const c of cases) {
    it(`${c.name}: ${'refused' in c ? 'refused' : 'read'} (OpenSSL ${c.openssl ? 'reads' : 'refuses'} it)`, () => {
      const bytes = c.bytes();
      expect(opensslReads(bytes)).toBe(c.openssl);
      if ('refused' in c) {
        let error: unknown;
        try {
          parseCertificate(bytes);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(MalformedCertificateError);
        expect((error as CertdeskError).code).toBe('malformed-certificate');
        expect((error as MalformedCertificateError).detail).toMatch(c.refused);
      } else c.check(parseCertificate(bytes));
    });
  }

  it('keeps the raw parts validation needs', () => {
    const c = parseCertificate(original);
    expect(c.tbs).toEqual(encodingOf(tbsTlv!));
    expect(c.signatureAlgorithm.der).toEqual(alg);
    expect(c.tbsSignatureAlgorithm.der).toEqual(tbsAlg);
    expect(c.serialNumber).toEqual(serial.subarray(2));
    expect(c.issuerDer).toEqual(issuer);
    expect(c.subjectDer).toEqual(subject);
    expect(c.spki.der).toEqual(spki);
    expect(c.spki.sha256).toBe(createHash('sha256').update(new X509Certificate(Buffer.from(original)).publicKey.export({ type: 'spki', format: 'der' })).digest('hex'));
    expect(c.notAfter).toEqual({ seconds: Date.UTC(2027, 5, 1) / 1000, tag: TAG.UTC_TIME });
    expect(certificateExtension(c, 'basicConstraints')).toEqual({ kind: 'basicConstraints', ca: false });
    expect(version[0]).toBe(0xa0);
    expect(validity[0]).toBe(0x30);
  });

  it('refuses bytes that are not a certificate with a typed error', () => {
    for (const bytes of [new Uint8Array(0), Uint8Array.of(0x30, 0), fixture('openssl-set', 'ec', 'server.csr.der'), original.subarray(0, 100)])
      expect(() => parseCertificate(bytes)).toThrow(MalformedCertificateError);
  });
});
