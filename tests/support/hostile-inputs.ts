/**
 * Every hostile class Certdesk must survive, built from its description: the list "Hostile inputs
 * every import path must survive" of ../shared/RELIABILITY.md, the findings of issue 12, and what
 * the fuzz campaign found (tests/fuzz/). Each class says what it is fed to and the outcome the
 * specification asks for. The same-answer test, the hostile-class unit test and
 * `npm run bench -- hostile` all run these, so the closing table and the tests cannot drift apart.
 *
 * Certificates come from the test-chain factory (DER by the asn1 writer, signed by Node's crypto),
 * third-party files are read from ../shared/fixtures.
 */
import { CertdeskError } from '../../src/core/errors';
import { children, der, encodingOf, OID, readDer, TAG } from '../../src/core/pki/asn1';
import { decodeInput } from '../../src/core/pki/decode';
import { limits } from '../../src/core/pki/limits';
import { describeCertificate } from '../../src/core/pki/describe';
import { parseCsr } from '../../src/core/pki/csr';
import { readLimbo, runCase, type LimboCase } from '../../src/cli/limbo';
import { inspect } from '../../src/cli/inspect';
import { bulkCertificates, pemBundle } from './bulk-certificates';
import { attr, buildChain, defaultHostname, ext, explicitP256Parameters, generalName, keyPair, name, validationTime, withExtension, withFields, type Tweak } from './chain-factory';
import { buildAndValidate } from '../../src/core/pki/validation/path-validation';
import { fixture, fixturePath, fixtureText } from './fixtures';
import { freshWorkspace, pki } from '../unit/store/support';
import { readCertificateFacts } from '../../src/core/appliance/certificate-facts';
import { displayName } from '../../src/core/pki/names/display';
import { inspectSupportFile } from '../../src/store/support-package';
import { issue12HiddenKeys, keyMaterial } from './hidden-keys';

const utf8 = (text: string) => new TextEncoder().encode(text);
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const pemBody = (text: string) => new Uint8Array(Buffer.from(/-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(text)![1]!.replace(/\s+/g, ''), 'base64'));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** A leaf certificate of the default test chain with `tweak` applied. */
export function leafWith(tweak?: Tweak): Uint8Array {
  return buildChain(tweak ? { leaf: tweak } : {}).leaf.der;
}

/** A leaf whose extensions include one more, unknown, with `value` as its extnValue contents. */
export const leafWithExtensionValue = (value: Uint8Array, critical = false): Uint8Array => leafWith(withExtension(ext.raw('1.3.6.1.4.1.55555.99', value, critical)));

/** An OBJECT IDENTIFIER of `bytes` content octets (0x81 continuation octets, a valid arc encoding). */
export const hugeOid = (bytes: number): Uint8Array => der.tlv(0x06, Uint8Array.from({ length: bytes }, (_, i) => (i === bytes - 1 ? 0x01 : 0x81)));

/** A leaf with notBefore replaced by a UTCTime of `text`. */
export const leafWithNotBefore = (text: string): Uint8Array => leafWith(withFields({ notBefore: der.tlv(TAG.UTC_TIME, ascii(text)) }));

/** The leaf with its outer length written with one leading zero octet more than DER allows. */
export function leafWithNonMinimalLength(): Uint8Array {
  const d = leafWith();
  return Uint8Array.from([0x30, 0x83, 0x00, d[2]!, d[3]!, ...d.subarray(4)]);
}

/** A leaf whose subject's common name is the raw value `value` of type `tag`. */
const leafWithCommonName = (tag: number, value: Uint8Array) => leafWith(withFields({ subject: name([attr.cn(value, tag)]) }));

/** The leaf with a subjectAltName of `count` dNSNames. */
export const leafWithSans = (count: number): Uint8Array =>
  leafWith(withFields((_c, s) => ({ extensions: [...s.extensions!.filter((e) => e.oid !== OID.subjectAltName), ext.subjectAltName(Array.from({ length: count }, (_, i) => generalName.dns(`host${i}.example.com`)))] })));

/** The leaf whose SubjectPublicKeyInfo carries an RSA or EC key with a UTCTime as the algorithm parameters. */
export function leafWithUtcTimeKeyParameters(kind: 'rsa' | 'ec' = 'rsa'): Uint8Array {
  const key = keyPair(kind === 'rsa' ? 'rsa2048' : 'p256', 'leaf');
  const spki = der.sequence(der.sequence(der.oid(kind === 'rsa' ? OID.rsaEncryption : OID.ecPublicKey), der.tlv(TAG.UTC_TIME, ascii('250101000000Z'))), der.bitString(key.rawPublicKey));
  return leafWith(withFields({ spki }));
}

/** The leaf whose subject common name is a GeneralizedTime (a type names cannot hold). */
export const leafWithGeneralizedTimeName = (): Uint8Array => leafWithCommonName(TAG.GENERALIZED_TIME, ascii('20250101000000Z'));

/** An AlgorithmIdentifier with a third element: NULLs after its own elements until it has three. */
const withExtraElement = (sequence: Uint8Array) => {
  const own = children(readDer(sequence)).map(encodingOf);
  return der.sequence(...own, ...Array.from({ length: 3 - own.length }, () => der.nullValue()));
};
/** A Name of one common name whose value is the raw TLV `value`. */
const nameOfValue = (value: Uint8Array) => der.sequence(der.setOf(der.sequence(der.oid(OID.commonName), value)));

/**
 * Issue 12's "19,933 mutated certificates accepted that Node rejects", in the shapes OpenSSL
 * rejected in its sample: extra elements or non-string tags in names and algorithm identifiers
 * (X509_ALGOR is SEQUENCE { OID, ANY OPTIONAL }; an X509_NAME_ENTRY value is a string type,
 * crypto/x509/x_name.c). Each is a signed leaf of the test chain.
 */
export const nodeRejectedMutations: readonly (readonly [string, () => Uint8Array])[] = [
  ['an extra element in the TBS signature algorithm', () => leafWith(withFields((_c, s) => ({ signatureAlgorithm: withExtraElement(s.signatureAlgorithm) })))],
  ['an extra element in the outer signature algorithm', () => leafWith(withFields((_c, s) => ({ outerSignatureAlgorithm: withExtraElement(s.signatureAlgorithm) })))],
  [
    'an extra element in the public key’s algorithm',
    () => leafWith(withFields((_c, s) => ({ spki: der.sequence(...children(readDer(s.spki)).map((part, i) => (i === 0 ? withExtraElement(encodingOf(part)) : encodingOf(part)))) }))),
  ],
  ['an extra element in a subject attribute', () => leafWith(withFields({ subject: der.sequence(der.setOf(der.sequence(der.oid(OID.commonName), der.utf8String('a.example'), der.utf8String('b.example')))) }))],
  ['an extra element in an issuer attribute', () => leafWith(withFields({ issuer: der.sequence(der.setOf(der.sequence(der.oid(OID.commonName), der.utf8String('CA'), der.nullValue()))) }))],
  ['an INTEGER as a subject attribute value', () => leafWith(withFields({ subject: nameOfValue(der.integer(7)) }))],
  ['a BOOLEAN as a subject attribute value', () => leafWith(withFields({ subject: nameOfValue(der.boolean(true)) }))],
  ['a NULL as an issuer attribute value', () => leafWith(withFields({ issuer: nameOfValue(der.nullValue()) }))],
];

/** Issue 12's look-alike common names: each displays as "appliance.example.test" unless flagged. */
export const lookAlikeCommonNames: readonly (readonly [string, string])[] = [
  ['a right-to-left-override CN', '\u202Etset.elpmaxe.ecnailppa'],
  ['a Cyrillic-homoglyph CN', '\u0430ppliance.example.test'],
];

/** PEM text in UTF-16 (LE or BE, with or without a byte order mark). */
export function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const le = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  return new Uint8Array(order === 'le' ? le : le.swap16());
}

// ---------------------------------------------------------------------------------------------
// PKCS#12 (RFC 7292) built by hand, with the parameters a class names

const serverCert = pemBody(fixtureText('openssl-set', 'rsa', 'server.pem'));
export const pkcs12 = {
  dataInfo: (content: Uint8Array) => der.sequence(der.oid(OID.data), der.explicit(0, der.octetString(content))),
  certBag: (cert: Uint8Array = serverCert) => der.sequence(der.oid(OID.certBag), der.explicit(0, der.sequence(der.oid(OID.x509Certificate), der.explicit(0, der.octetString(cert))))),
  keyBag: (pkcs8: Uint8Array) => der.sequence(der.oid(OID.keyBag), der.explicit(0, pkcs8)),
  /** A PFX of `bags` in one unencrypted SafeContents, with `macData` if given. */
  pfx: (bags: Uint8Array[], macData?: Uint8Array) => der.sequence(der.integer(3), pkcs12.dataInfo(der.sequence(pkcs12.dataInfo(der.sequence(...bags)))), ...(macData ? [macData] : [])),
  /** MacData with a zero digest (the MAC fails, if it is ever computed) and `iterations` (omitted: the DEFAULT 1). */
  macData: (digestOid: string, iterations: number | undefined, digestLength: number) =>
    der.sequence(der.sequence(der.sequence(der.oid(digestOid), der.nullValue()), der.octetString(new Uint8Array(digestLength))), der.octetString(new Uint8Array(8)), ...(iterations === undefined ? [] : [der.integer(iterations)])),
  /** PBES2 AlgorithmIdentifier: PBKDF2 with `prf`, AES-256-CBC. */
  pbes2: (prfOid: string, iterations: number, salt = new Uint8Array(16)) =>
    der.sequence(
      der.oid(OID.pbes2),
      der.sequence(
        der.sequence(der.oid(OID.pbkdf2), der.sequence(der.octetString(salt), der.integer(iterations), der.sequence(der.oid(prfOid), der.nullValue()))),
        der.sequence(der.oid(OID.aes256Cbc), der.octetString(new Uint8Array(16))),
      ),
    ),
  encryptedKey: (algorithm: Uint8Array) => der.sequence(algorithm, der.octetString(new Uint8Array(1232))),
  /** A PKCS#8 RSA key whose attributes [0] hold an attribute with an OID of `bytes` content octets. */
  keyWithHugeOidAttribute(bytes: number): Uint8Array {
    const rsa = der.octetString(pemBody(fixtureText('openssl-set', 'rsa', 'server.trad.pem')));
    return der.sequence(der.integer(0), der.sequence(der.oid(OID.rsaEncryption), der.nullValue()), rsa, der.tlv(0xa0, der.sequence(hugeOid(bytes), der.setOf(der.nullValue()))));
  },
};

export const pemOf = (label: string, bytes: Uint8Array) => `-----BEGIN ${label}-----\n${Buffer.from(bytes).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;

// ---------------------------------------------------------------------------------------------
// The classes

export interface HostileClass {
  name: string;
  source: 'RELIABILITY.md' | 'issue 12' | 'fuzz campaign';
  /** The file, for classes that are one file decoded as import and the CLI decode it (`run` decodes it). */
  file?: () => Uint8Array;
  /** Makes the input of a class that is not one decoded file, so that timing leaves it out. */
  prepare?: () => unknown;
  password?: string | null;
  /** Runs the class through the path it attacks: resolves with the outcome ("accepted" or a summary), or throws. */
  run: () => Promise<string>;
  /** The outcome the specification asks for: a CertdeskError code, or what success looks like. */
  want: string;
}

/** A CertdeskError's code, or the `success` summary; anything else is thrown on (a raw exception). */
export async function outcome(promise: Promise<unknown>, success: (value: unknown) => string = () => 'accepted'): Promise<string> {
  try {
    return success(await promise);
  } catch (error) {
    if (error instanceof CertdeskError) return error.code;
    throw error;
  }
}

const cache = new Map<string, Uint8Array>();
const once = (key: string, make: () => Uint8Array) => () => {
  let bytes = cache.get(key);
  if (!bytes) cache.set(key, (bytes = make()));
  return bytes;
};

/** A class that is one file, decoded as import and the CLI decode it. */
function fileClass(source: HostileClass['source'], name: string, want: string, make: () => Uint8Array, password?: string | null): HostileClass {
  const file = once(name, make);
  const options = password === undefined ? {} : { password };
  return { name, source, file, ...(password !== undefined ? { password } : {}), want, run: () => outcome(decodeInput(file(), options)) };
}

const limbo = (() => {
  let cases: LimboCase[] | undefined;
  return (id: string) => {
    cases ??= readLimbo(fixturePath('limbo', 'public.json.gz'));
    return cases.find((c) => c.id === id)!;
  };
})();

/** A path-validation class from the x509-limbo set: the outcome is the first problem's code. */
function limboClass(name: string, id: string, want: string): HostileClass {
  return {
    name,
    source: 'RELIABILITY.md',
    want,
    run: async () => {
      const result = await runCase(limbo(id));
      return result.actual_result === 'SUCCESS' ? 'accepted' : (result.context.split(':')[0] ?? 'FAILURE');
    },
  };
}

const cert = () => leafWith();
const rsaServerPem = () => fixtureText('openssl-set', 'rsa', 'server.pem');
const bulk = (() => {
  let made: ReturnType<typeof bulkCertificates> | undefined;
  return () => (made ??= bulkCertificates(10_000));
})();
const crl = () => {
  // CertificateList (RFC 5280 §5.1): tbsCertList { version, signature, issuer, thisUpdate, nextUpdate }, algorithm, signature.
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSHA256));
  const tbs = der.sequence(der.integer(1), algorithm, name([attr.cn('Certdesk Test CA')]), der.tlv(TAG.UTC_TIME, ascii('260101000000Z')), der.tlv(TAG.UTC_TIME, ascii('260201000000Z')));
  return der.sequence(tbs, algorithm, der.bitString(new Uint8Array(64)));
};

export const hostileClasses: readonly HostileClass[] = [
  fileClass('RELIABILITY.md', 'empty file', 'empty-file', () => new Uint8Array(0)),
  fileClass('RELIABILITY.md', 'truncated DER: in the header', 'invalid-encoding', () => cert().slice(0, 3)),
  fileClass('RELIABILITY.md', 'truncated DER: in the middle', 'invalid-encoding', () => cert().slice(0, 300)),
  fileClass('RELIABILITY.md', 'truncated DER: in the last element', 'invalid-encoding', () => cert().slice(0, cert().length - 5)),
  fileClass('RELIABILITY.md', 'a length field larger than the file', 'invalid-encoding', () => {
    const d = cert().slice();
    const length = ((d[2]! << 8) | d[3]!) + 100;
    d[2] = length >> 8;
    d[3] = length & 0xff;
    return d;
  }),
  fileClass('RELIABILITY.md', 'indefinite-length BER where DER is required', 'not-der', () => {
    const d = cert();
    return concat(Uint8Array.of(0x30, 0x80), d.subarray(4), Uint8Array.of(0, 0));
  }),
  fileClass('RELIABILITY.md', 'trailing bytes after a certificate', 'trailing-bytes', () => concat(cert(), Uint8Array.of(0, 0))),
  fileClass('RELIABILITY.md', 'nesting thousands deep (5,000 SEQUENCEs)', 'asn1-too-deep', () => {
    let d: Uint8Array = der.nullValue();
    for (let i = 0; i < 5000; i++) d = der.sequence(d);
    return d;
  }),
  fileClass('RELIABILITY.md', 'nesting thousands deep inside an extension', 'asn1-too-deep', () => {
    let d: Uint8Array = der.nullValue();
    for (let i = 0; i < 5000; i++) d = der.sequence(d);
    return leafWithExtensionValue(d);
  }),
  fileClass('RELIABILITY.md', 'a hundred thousand empty elements (in an extension)', 'asn1-too-many-elements', () => leafWithExtensionValue(der.tlv(TAG.SEQUENCE, new Uint8Array(200_000).map((_, i) => (i % 2 ? 0 : TAG.NULL))))),
  fileClass('RELIABILITY.md', 'a huge OID (254 KB, in an extension)', 'asn1-oid-too-long', () => leafWithExtensionValue(der.sequence(hugeOid(254 * 1024)))),
  fileClass('RELIABILITY.md', 'a long-form tag with 1,000 continuation bytes (in the subject)', 'invalid-encoding', () =>
    leafWith(withFields({ subject: der.sequence(der.setOf(der.sequence(der.oid(OID.commonName), der.utf8String('x'))), concat(Uint8Array.of(0x9f, ...new Array<number>(999).fill(0x81), 0x01, 0x00))) }))),
  fileClass('RELIABILITY.md', 'a public key given as a certificate (DER)', 'public-key-not-certificate', () => pemBody(fixtureText('openssl-set', 'ec', 'server.pub.pem'))),
  fileClass('RELIABILITY.md', 'a public key given as a certificate (PEM)', 'public-key-not-certificate', () => utf8(fixtureText('openssl-set', 'ec', 'server.pub.pem'))),
  fileClass('RELIABILITY.md', 'a CRL given as a certificate', 'crl-not-certificate', crl),
  fileClass('RELIABILITY.md', 'mismatched PEM labels', 'pem-label-mismatch', () => utf8(rsaServerPem().replace('-----END CERTIFICATE-----', '-----END PRIVATE KEY-----'))),
  fileClass('RELIABILITY.md', 'junk inside PEM', 'pem-invalid-base64', () => utf8(rsaServerPem().replace(/\n(.{10})/, '\n$1!@#'))),
  fileClass('RELIABILITY.md', 'Unicode look-alike dashes inside PEM', 'pem-lookalike-dashes', () => utf8(rsaServerPem().replace(/-----/g, '\u2013\u2013\u2013\u2013\u2013'))),
  fileClass('RELIABILITY.md', 'encrypted PEM headers', 'pem-encrypted-legacy', () =>
    utf8(`-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n${Buffer.from(new Uint8Array(128)).toString('base64')}\n-----END EC PRIVATE KEY-----\n`)),
  fileClass('RELIABILITY.md', 'CRLF line endings (must work)', 'accepted', () => utf8(rsaServerPem().replace(/\n/g, '\r\n'))),
  fileClass('RELIABILITY.md', 'CR line endings (must work)', 'accepted', () => utf8(rsaServerPem().replace(/\n/g, '\r'))),
  fileClass('RELIABILITY.md', '10,000 certificates in one file', 'accepted', () => utf8(pemBundle([bulk().root, ...bulk().leaves.slice(0, 9_999)]))),
  fileClass('RELIABILITY.md', '10,001 certificates in one file', 'too-many-certificates', () => utf8(pemBundle([bulk().root, ...bulk().leaves]))),
  fileClass('RELIABILITY.md', 'a 10 MB file (10 MB + 1 byte)', 'file-too-large', () => new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41)),
  fileClass('RELIABILITY.md', 'a .p7b with no certificates', 'pkcs7-no-certificates', () =>
    der.sequence(der.oid('1.2.840.113549.1.7.2'), der.explicit(0, der.sequence(der.integer(1), der.setOf(), der.sequence(der.oid(OID.data)), der.setOf())))),
  fileClass('RELIABILITY.md', 'a PKCS#7 with an odd content type (envelopedData)', 'pkcs7-unsupported-content', () => der.sequence(der.oid('1.2.840.113549.1.7.3'), der.explicit(0, der.sequence(der.integer(0))))),
  fileClass('RELIABILITY.md', 'HTML named .crt', 'html-not-certificate', () => utf8('<!DOCTYPE html><html><body>404 Not Found</body></html>')),
  fileClass('RELIABILITY.md', 'JSON named .crt', 'json-not-certificate', () => utf8('{"certificate": "MIIB..."}')),
  fileClass('RELIABILITY.md', 'non-UTF-8 bytes in a UTF8String name', 'malformed-certificate', () => leafWithCommonName(TAG.UTF8_STRING, Uint8Array.of(0x61, 0xc3, 0x28))),
  fileClass('RELIABILITY.md', 'odd-length BMPString in a name', 'malformed-certificate', () => leafWithCommonName(TAG.BMP_STRING, Uint8Array.of(0, 0x61, 0))),
  fileClass('RELIABILITY.md', 'NUL inside a name (read, shown escaped)', 'accepted', () => leafWithCommonName(TAG.UTF8_STRING, utf8('appliance\u0000.example.com'))),
  fileClass('RELIABILITY.md', 'invalid punycode in a dNSName (read; matches nothing)', 'accepted', () => leafWith(withFields((_c, s) => ({ extensions: [...s.extensions!.filter((e) => e.oid !== OID.subjectAltName), ext.subjectAltName([generalName.dns('xn--a-.example.com')])] })))),
  fileClass('RELIABILITY.md', '5,000 SANs', 'accepted', () => leafWithSans(5_000)),
  fileClass('RELIABILITY.md', 'an unknown critical extension (read; validation refuses it)', 'accepted', () => leafWithExtensionValue(der.nullValue(), true)),
  fileClass('RELIABILITY.md', 'a certificate whose key matches nothing (with another key)', 'accepted', () => utf8(rsaServerPem() + fixtureText('openssl-set', 'ec', 'root.pkcs8.pem'))),
  fileClass('RELIABILITY.md', 'a chain in the wrong order with extra certificates', 'accepted', () => {
    const unrelated = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/.exec(fixtureText('mozilla-roots.pem'))![0];
    return utf8(fixtureText('openssl-set', 'rsa', 'root.pem') + unrelated + rsaServerPem() + fixtureText('openssl-set', 'rsa', 'ica.pem'));
  }),
  fileClass('RELIABILITY.md', 'an expired certificate (imported, flagged)', 'accepted', () => leafWith(withFields({ notBefore: der.time(new Date('2001-01-01T00:00:00Z')), notAfter: der.time(new Date('2002-01-01T00:00:00Z')) }))),
  fileClass('RELIABILITY.md', 'a not-yet-valid certificate (imported, flagged)', 'accepted', () => leafWith(withFields({ notBefore: der.time(new Date('2040-01-01T00:00:00Z')), notAfter: der.time(new Date('2041-01-01T00:00:00Z')) }))),
  fileClass('RELIABILITY.md', 'an RSA key over 8192 bits', 'rsa-key-too-large', () => {
    const modulus = new Uint8Array(1026).fill(0xff);
    modulus[0] = 0;
    const n = der.tlv(TAG.INTEGER, modulus);
    return der.sequence(der.integer(0), n, der.integer(65537), ...Array.from({ length: 6 }, () => der.integer(3)));
  }),
  fileClass('RELIABILITY.md', 'an RSA key with exponent 1', 'rsa-exponent-invalid', () => {
    const key = pemBody(fixtureText('openssl-set', 'rsa', 'server.trad.pem'));
    // RSAPrivateKey: version, n, e (03 01 00 01 → 02 01 01 with the rest as written).
    const hex = Buffer.from(key).toString('hex').replace('0203010001', '020101');
    const body = Buffer.from(hex, 'hex');
    return der.tlv(TAG.SEQUENCE, body.subarray(body[1]! & 0x80 ? 2 + (body[1]! & 0x7f) : 2));
  }),
  fileClass('RELIABILITY.md', 'explicit EC curve parameters', 'explicit-ec-parameters', () =>
    der.sequence(der.integer(1), der.octetString(new Uint8Array(32).fill(7)), der.explicit(0, explicitP256Parameters()))),
  {
    name: 'a CSR with a bad signature (read; its signature does not verify)',
    source: 'RELIABILITY.md',
    want: 'signature invalid',
    run: () => outcome(parseCsr(fixture('csr', 'pyca-cryptography-vectors-38.0.4', 'invalid_signature.pem')), (csr) => ((csr as { signatureValid: boolean }).signatureValid ? 'signature valid' : 'signature invalid')),
  },
  fileClass('RELIABILITY.md', 'a .p12 with the wrong password', 'wrong-password', () => fixture('openssl-set', 'rsa', 'server-default.p12'), 'wrong'),
  fileClass('RELIABILITY.md', 'a .p12 with no MAC (read, integrity "none")', 'accepted', () => fixture('pkcs12', 'node-forge-tests', 'p12keyonly.p12'), null),
  fileClass('RELIABILITY.md', 'a .p12 with no MAC whose only content Certdesk cannot read', 'nothing-to-import', () => fixture('pkcs12', 'openssl-3.5.7-tests', 'nomac_parse.p12'), 'testpassword'),
  fileClass('RELIABILITY.md', 'a .p12 with no key', 'accepted', () => fixture('openssl-set', 'rsa', 'ca-bundle-nokeys.p12'), 'changeit'),
  fileClass('RELIABILITY.md', 'a .p12 with several keys', 'accepted', () =>
    pkcs12.pfx([pkcs12.keyBag(pemBody(fixtureText('openssl-set', 'rsa', 'server.pkcs8.pem'))), pkcs12.keyBag(pemBody(fixtureText('openssl-set', 'ec', 'server.pkcs8.pem'))), pkcs12.certBag()]), null),
  fileClass('RELIABILITY.md', 'a .p12 with a key but no certificate', 'accepted', () => fixture('openssl-set', 'rsa', 'server-keyonly.p12'), 'changeit'),
  fileClass('RELIABILITY.md', 'a .p12 with iteration count 0', 'pkcs12-malformed', () => pkcs12.pfx([pkcs12.certBag()], pkcs12.macData(OID.sha256, 0, 32)), 'x'),
  fileClass('RELIABILITY.md', 'a .p12 with iteration count 2³¹−1', 'limit-exceeded', () => pkcs12.pfx([pkcs12.certBag()], pkcs12.macData(OID.sha256, 2 ** 31 - 1, 32)), 'x'),
  fileClass('RELIABILITY.md', 'a .p12 with absent optional fields (no MAC iterations, no friendly names)', 'wrong-password', () => pkcs12.pfx([pkcs12.certBag()], pkcs12.macData(OID.sha256, undefined, 32)), 'x'),
  fileClass('RELIABILITY.md', 'PBMAC1 with bad parameters (key length)', 'pkcs12-malformed', () => fixture('pkcs12', 'openssl-3.5.7-tests', 'pbmac1_256_256.bad-key-len.p12'), '1234'),
  fileClass('RELIABILITY.md', 'PBMAC1 with huge parameters (iterations)', 'pkcs12-malformed', () => fixture('pkcs12', 'openssl-3.5.7-tests', 'pbmac1_256_256.very-big-len.p12'), '1234'),
  {
    name: 'the same import twice (idempotent)',
    source: 'RELIABILITY.md',
    want: 'already present, nothing added',
    run: async () => {
      const { ws } = await freshWorkspace();
      const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
      const file = { name: 'chain.p12', bytes: fixture('openssl-set', 'ec', 'server-default.p12'), password: 'changeit' };
      const first = await ws.importFiles(applianceId, [file]);
      const second = await ws.importFiles(applianceId, [file]);
      ws.close();
      return second.added + second.linked === 0 && second.alreadyPresent === first.added + first.linked ? 'already present, nothing added' : 'added again';
    },
  },
  limboClass('cross-signing loops (x509-limbo intermediate-cycle-distinct-cas)', 'pathological::intermediate-cycle-distinct-cas', 'no-trusted-root'),
  // The 100 CAs carry no subjectKeyIdentifier, which the rule table refuses in a CA (RFC 5280
  // §4.2.1.2) before the search through them could reach the work limit.
  limboClass('many issuers with the same subject (x509-limbo, 100 CAs without key identifiers)', 'pathological::pathological-chain-same-subject-distinct-key', 'missing-subject-key-identifier'),
  limboClass('a name-constraint bomb (x509-limbo nc-dos-1)', 'pathological::nc-dos-1', 'work-limit-reached'),
  {
    name: 'a path longer than the limit (7 intermediates)',
    source: 'RELIABILITY.md',
    want: 'too-many-intermediates',
    run: async () => {
      const chain = buildChain({ intermediates: 7 });
      const result = await buildAndValidate(chain.leaf.der, chain.pool, { time: validationTime, hostname: defaultHostname });
      return result.ok ? 'accepted' : result.problems[0]!.code;
    },
  },
  fileClass('issue 12', 'a 9 MB OID inside an extension’s OCTET STRING', 'asn1-oid-too-long', () => leafWithExtensionValue(der.sequence(hugeOid(9 * 1024 * 1024)))),
  fileClass('issue 12', 'a PKCS#12 key bag whose PKCS#8 attributes hold a 1 MB OID', 'pkcs12-malformed', () => pkcs12.pfx([pkcs12.certBag(), pkcs12.keyBag(pkcs12.keyWithHugeOidAttribute(1024 * 1024))]), null),
  fileClass('issue 12', 'a PKCS#12 key bag whose PKCS#8 attributes hold a 9 MB OID', 'pkcs12-malformed', () => pkcs12.pfx([pkcs12.certBag(), pkcs12.keyBag(pkcs12.keyWithHugeOidAttribute(9 * 1024 * 1024))]), null),
  fileClass('issue 12', 'SHA-1 MAC at 1e8 iterations', 'work-limit-exceeded', () => pkcs12.pfx([pkcs12.certBag()], pkcs12.macData(OID.sha1, 100_000_000, 20)), null),
  fileClass('issue 12', 'SHA-512 MAC at 1e8 iterations', 'work-limit-exceeded', () => pkcs12.pfx([pkcs12.certBag()], pkcs12.macData(OID.sha512, 100_000_000, 64)), 'x'),
  fileClass('issue 12', 'PBKDF2-HMAC-SHA512/224 at 1e8 iterations', 'work-limit-exceeded', () => pkcs12.encryptedKey(pkcs12.pbes2(OID.hmacWithSHA512_224, 100_000_000)), 'x'),
  fileClass('issue 12', 'three encrypted keys of 7e7 iterations in one PEM', 'work-limit-exceeded', () => utf8([1, 2, 3].map(() => pemOf('ENCRYPTED PRIVATE KEY', pkcs12.encryptedKey(pkcs12.pbes2(OID.hmacWithSHA256, 70_000_000)))).join('')), 'x'),
  fileClass('issue 12', 'a 9 MB PBKDF2 salt', 'limit-exceeded', () => pkcs12.encryptedKey(pkcs12.pbes2(OID.hmacWithSHA256, 1, new Uint8Array(9 * 1024 * 1024))), 'x'),
  {
    name: 'the CLI on a file at the 10,000-certificate limit',
    source: 'issue 12',
    want: '10,000 certificates described',
    run: () => outcome(inspect(utf8(pemBundle([bulk().root, ...bulk().leaves.slice(0, 9_999)]))), (r) => `${(r as { certificates: unknown[] }).certificates.length.toLocaleString('en')} certificates described`),
  },
  fileClass('issue 12', 'a 0-byte serial', 'malformed-certificate', () => leafWith(withFields({ serial: new Uint8Array(0) }))),
  fileClass('issue 12', 'month 13', 'malformed-certificate', () => leafWithNotBefore('251301000000Z')),
  fileClass('issue 12', 'hour 25', 'malformed-certificate', () => leafWithNotBefore('250101250000Z')),
  fileClass('issue 12', '30 February', 'malformed-certificate', () => leafWithNotBefore('250230000000Z')),
  fileClass('issue 12', 'a non-minimal length', 'invalid-encoding', leafWithNonMinimalLength),
  fileClass('issue 12', '10,000 SANs', 'asn1-too-many-elements', () => leafWithSans(10_000)),
  fileClass('issue 12', 'a UTF-16 PEM (little-endian, with byte order mark)', 'accepted', () => utf16(rsaServerPem(), 'le', true)),
  fileClass('issue 12', 'a UTF-16 PEM (big-endian, no byte order mark)', 'accepted', () => utf16(rsaServerPem(), 'be', false)),
  fileClass('issue 12', 'a UTCTime inside the key parameters (read, as OpenSSL and Node read it)', 'accepted', leafWithUtcTimeKeyParameters),
  fileClass('issue 12', 'a GeneralizedTime in a name (refused, as OpenSSL and Node refuse it)', 'malformed-certificate', leafWithGeneralizedTimeName),
  ...nodeRejectedMutations.map(([what, make]) => fileClass('issue 12', `a mutated certificate Node rejects: ${what}`, 'malformed-certificate', make)),
  ...lookAlikeCommonNames.map(([what, cn]): HostileClass => {
    const file = once(what, () => leafWith(withFields({ subject: name([attr.cn(cn)]) })));
    // What the table shows: the common name import stores, as displayName makes it safe to show.
    const shown = async () => displayName((await readCertificateFacts((await decodeInput(file())).certificates[0]!.der)).commonName!);
    return { name: `${what} (imported, shown in the table)`, source: 'issue 12', prepare: file, want: 'flagged', run: async () => ((await shown()).warnings.length ? 'flagged' : 'shown as is') };
  }),
  ...issue12HiddenKeys.map(({ name: what, file }): HostileClass => ({
    name: `the support package’s key guard: ${what}`,
    source: 'issue 12',
    prepare: keyMaterial,
    want: 'private-key-in-support-package',
    run: () => outcome(inspectSupportFile(pki, file(keyMaterial()))),
  })),
  fileClass('fuzz campaign', 'a name larger than 1 MiB (OpenSSL X509_NAME_MAX)', 'malformed-certificate', () => leafWith(withFields({ subject: name([attr.cn(new Uint8Array(1024 * 1024).fill(0x61), TAG.PRINTABLE_STRING)]) }))),
  (() => {
    const file = once('opaque-9mb', () => leafWithExtensionValue(der.octetString(new Uint8Array(9 * 1024 * 1024).fill(0xa5))));
    const viewed = async () => {
      for (const { der: cert } of (await decodeInput(file())).certificates) await describeCertificate(cert);
    };
    return { name: 'a 9 MB opaque extension value (read as OpenSSL reads it; decoded and described)', source: 'fuzz campaign', file, want: 'accepted', run: () => outcome(viewed()) } satisfies HostileClass;
  })(),
  fileClass('fuzz campaign', `a PEM of ${(limits.maxPrivateKeysPerBundle + 1).toLocaleString('en')} copies of one EC private key`, 'limit-exceeded', () => utf8(fixtureText('openssl-set', 'ec', 'server.trad.pem').repeat(limits.maxPrivateKeysPerBundle + 1))),
  fileClass('fuzz campaign', 'a PEM of 10,001 copies of one EC private key (over 10 s to decode)', 'limit-exceeded', () => utf8(fixtureText('openssl-set', 'ec', 'server.trad.pem').repeat(10_001))),
  fileClass('issue 12', 'a PEM of 10,000 copies of one certificate request (7 s in certdesk inspect)', 'limit-exceeded', () => utf8(fixtureText('openssl-set', 'ec', 'server.csr').repeat(10_000))),
  fileClass('fuzz campaign', 'an EC private key (SEC1) of version 0', 'invalid-private-key', () => der.sequence(der.integer(0), der.octetString(new Uint8Array(32).fill(7)), der.explicit(0, der.oid(OID.secp256r1)))),
];
