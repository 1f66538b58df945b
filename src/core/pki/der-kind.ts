/**
 * What a DER (or, for PKCS#7 and PKCS#12, BER) object is, from its shape alone: the one answer
 * decoding, the certificate reader (x509 readCertificate) and the viewer share, so that a file
 * gets the same verdict and code on every path. Classifying also validates the whole encoding
 * with the one bounded reader (depth, element count, OID size, inside OCTET and BIT STRINGs too),
 * except for PKCS#7 and PKCS#12, whose readers walk their BER themselves.
 */
import { CertdeskError } from '../errors';
import { Asn1Error, checkStructure, children, contentOf, decodeOid, readDer, readTlv, TAG, type Tlv } from './asn1';
import { limits } from './limits';

export type DerKind = 'certificate' | 'request' | 'crl' | 'public-key' | 'pkcs7' | 'pkcs12' | 'pkcs8' | 'encrypted-pkcs8' | 'pkcs1' | 'sec1';

/** The arc of the PKCS#7 content types (RFC 2315 §14). */
export const OID_PKCS7_PREFIX = '1.2.840.113549.1.7.';

const KIND_NAMES: Record<DerKind, string> = {
  certificate: 'a certificate',
  request: 'a certificate request',
  crl: 'a certificate revocation list (CRL)',
  'public-key': 'a public key',
  pkcs7: 'a PKCS#7 bundle',
  pkcs12: 'a PKCS#12 archive',
  pkcs8: 'a private key (PKCS#8)',
  'encrypted-pkcs8': 'an encrypted private key',
  pkcs1: 'an RSA private key',
  sec1: 'an EC private key',
};

/**
 * The size rules of anything read from outside (a file, a paste, a stored record): not empty,
 * at most limits.maxFileBytes.
 * @throws CertdeskError `empty-file` or `file-too-large`
 */
export function checkInputSize(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new CertdeskError('empty-file', 'The file is empty. Choose the certificate or key file again.');
  if (bytes.length > limits.maxFileBytes) {
    throw new CertdeskError(
      'file-too-large',
      `The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; Certdesk reads files up to ${limits.maxFileBytes / 1024 / 1024} MB (limits.maxFileBytes). Certificate files are normally a few kilobytes: check that this is the right file.`,
    );
  }
}

/** The error for a file that holds nothing to import, named after what it does hold (PEM labels). */
export function nothingUsable(labels: string[]): CertdeskError {
  if (labels.some((l) => l.includes('PUBLIC KEY'))) {
    return new CertdeskError(
      'public-key-not-certificate',
      'This file holds only a public key, not a certificate. A certificate is the public key signed by a CA: import the certificate the CA sent back (.crt, .cer, .pem).',
    );
  }
  if (labels.some((l) => l.includes('CRL'))) {
    return new CertdeskError(
      'crl-not-certificate',
      'This file is a certificate revocation list (CRL), not a certificate. Import the certificate file the CA sent instead.',
    );
  }
  return new CertdeskError('unrecognised-content', `This file holds ${labels.map((l) => `"${l}"`).join(', ')} blocks, none of which is a certificate, key or request.`);
}

/**
 * Asserts that `der` is of kind `want`. `pemLabel`: the label of the PEM block it came from, so a
 * block whose contents are something else is named as such (`pem-content-mismatch`).
 */
export function expectKind(der: Uint8Array, want: DerKind, pemLabel?: string): void {
  const kind = classifyDer(der);
  if (kind === want) return;
  if (pemLabel !== undefined) {
    throw new CertdeskError(
      'pem-content-mismatch',
      `The PEM block labelled "${pemLabel}" actually contains ${KIND_NAMES[kind]}. The file was assembled by hand; export it again.`,
    );
  }
  if (want === 'certificate' && (kind === 'public-key' || kind === 'crl')) throw nothingUsable([kind === 'crl' ? 'X509 CRL' : 'PUBLIC KEY']);
  throw new CertdeskError('unexpected-content', `Expected ${KIND_NAMES[want]} but found ${KIND_NAMES[kind]}.`);
}

/** Whether `der` is of kind `kind` (false for anything that does not even parse). */
export function isKind(der: Uint8Array, kind: DerKind): boolean {
  try {
    return classifyDer(der) === kind;
  } catch {
    return false;
  }
}

/**
 * What a DER object is, from its shape; validates the whole encoding (PKCS#7 and PKCS#12: only
 * their outer structure, which their own readers walk).
 * @throws Asn1Error (`invalid-encoding`, `trailing-bytes`, `asn1-*`) or CertdeskError `invalid-encoding`.
 */
export function classifyDer(der: Uint8Array): DerKind {
  const top = readTlv(der, 0, der.length, 'ber');
  if (top.tag !== TAG.SEQUENCE) throw invalidDer();
  const c = children(top);
  const [c0, c1, c2] = c;
  if (!c0) throw invalidDer();
  if (c0.tag === TAG.OID && oidText(c0).startsWith(OID_PKCS7_PREFIX)) return 'pkcs7';
  if (top.end !== der.length) throw new Asn1Error('trailing-bytes', 'there are extra bytes after its end');
  // PFX (RFC 7292 §4): version 3, authSafe ContentInfo, optional macData.
  if (c0.tag === TAG.INTEGER && smallInteger(c0) === 3 && c1?.tag === TAG.SEQUENCE) {
    const inner = children(c1)[0];
    if (inner?.tag === TAG.OID && oidText(inner).startsWith(OID_PKCS7_PREFIX)) return 'pkcs12';
  }
  if (c0.tag === TAG.OID) throw invalidDer();
  // Everything else must be strict DER: walk it all (depth, element count, OID size), inside
  // OCTET and BIT STRINGs too (asn1/reader.ts checkStructure).
  checkStructure(readDer(der));
  // The walk passed, so the BER reading above holds only DER elements: its children are the DER ones.
  if (c.length === 3 && c0.tag === TAG.SEQUENCE && c1?.tag === TAG.SEQUENCE && c2?.tag === TAG.BIT_STRING) {
    const t = children(c0);
    if (t[0]?.tag === 0xa0) return 'certificate';
    // CertificationRequestInfo (RFC 2986 §4.1); very old requests omit the attributes [0].
    if (t[0]?.tag === TAG.INTEGER && t[1]?.tag === TAG.SEQUENCE && t[2]?.tag === TAG.SEQUENCE && t.length <= 4 && (t[3] === undefined || t[3].tag === 0xa0)) return 'request';
    if (t.some((f, i) => i <= 3 && (f.tag === TAG.UTC_TIME || f.tag === TAG.GENERALIZED_TIME))) return 'crl';
    if (t[0]?.tag === TAG.INTEGER && t[3]?.tag === TAG.SEQUENCE && t[5]?.tag === TAG.SEQUENCE) return 'certificate'; // v1
    throw invalidDer();
  }
  if (c.length === 2 && c0.tag === TAG.SEQUENCE && c1?.tag === TAG.BIT_STRING) return 'public-key';
  if (c.length === 2 && c0.tag === TAG.SEQUENCE && c1?.tag === TAG.OCTET_STRING) return 'encrypted-pkcs8';
  if (c0.tag === TAG.INTEGER && c1?.tag === TAG.SEQUENCE && c2?.tag === TAG.OCTET_STRING) return 'pkcs8';
  // ECPrivateKey (RFC 5915 §3) by shape: its reader says when the version is not 1.
  if (c0.tag === TAG.INTEGER && c1?.tag === TAG.OCTET_STRING) return 'sec1';
  if (c0.tag === TAG.INTEGER && c.length >= 9 && c.every((e) => e.tag === TAG.INTEGER || e.tag === TAG.SEQUENCE)) return 'pkcs1';
  if (c.length === 2 && c0.tag === TAG.INTEGER && c1?.tag === TAG.INTEGER) return 'public-key'; // PKCS#1 RSAPublicKey
  throw invalidDer();
}

/** `invalid-encoding` for a file (or part) whose ASN.1 is not any structure Certdesk reads. */
export function invalidDer(what = 'file'): CertdeskError {
  return new CertdeskError(
    'invalid-encoding',
    `This ${what} is damaged: its ASN.1 structure is cut off or malformed. Export or download it again.`,
  );
}

/** A small non-negative INTEGER's value, or -1 (for telling formats apart, not for reading them). */
function smallInteger(e: Tlv): number {
  const c = contentOf(e);
  if (c.length > 4) return -1;
  let n = 0;
  for (const b of c) n = n * 256 + b;
  return n;
}

/** An OID's dotted text, or '' when the element is no valid OID (for telling formats apart). */
export function oidText(e: Tlv | undefined): string {
  if (e?.tag !== TAG.OID) return '';
  try {
    return decodeOid(contentOf(e));
  } catch (error) {
    if (error instanceof Asn1Error) return '';
    throw error;
  }
}
