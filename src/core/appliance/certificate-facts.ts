/**
 * What the domain needs to know about a certificate, read once from its DER when it enters the
 * workspace: fingerprint, public-key hash, names, validity, CA flag. These are a pure function of
 * the stored DER (so they can never disagree with it); they are kept beside it only because
 * parsing 5,000 certificates at every list costs seconds. Anything that depends on the clock or
 * on other certificates (expired, chain complete, trusted) is derived when read, never stored.
 */
import { sha256Hex, toHex } from '../pki/asn1';
import { presentedNames } from '../pki/names/match';
import { isSelfSigned } from '../pki/signatures';
import { certificateExtension, commonName, isCaCertificate, MalformedCertificateError, nameToString, parseCertificate, readCertificate, type Certificate } from '../pki/x509';

/** Facts read from one certificate's DER. Plain data: structured-cloneable and JSON-safe. */
export interface CertificateFacts {
  /** SHA-256 of the DER, lower-case hex: the certificate's fingerprint. */
  sha256: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, lower-case hex (as CertdeskKey.publicKeySha256). */
  publicKeySha256: string;
  /** Names for display, most significant attribute first ("CN=…, O=…, C=…"). */
  subject: string;
  issuer: string;
  /**
   * Names under which two compare equal exactly when RFC 5280 §7.1 says they match (case-folded,
   * whitespace-collapsed): what issuer lookups compare.
   */
  subjectKey: string;
  issuerKey: string;
  commonName?: string;
  serialNumber: string;
  /** Milliseconds since the epoch. */
  notBefore: number;
  notAfter: number;
  /** dNSName entries of subjectAltName, ASCII lower case (names/match.ts presentedNames). */
  dnsNames: string[];
  /** iPAddress entries of subjectAltName in canonical text (names/ip.ts formatIpAddress). */
  ipAddresses: string[];
  /** basicConstraints cA (RFC 5280 §4.2.1.9). */
  isCa: boolean;
  /**
   * Subject and issuer are the same name (RFC 5280 §6.1: self-issued). Whether the signature
   * also verifies with its own key (self-signed) costs a signature check, so it is asked only
   * where it matters: verifySelfSigned.
   */
  selfIssued: boolean;
  subjectKeyId?: string;
  authorityKeyId?: string;
}

/**
 * Reads the facts of one DER certificate from the certificate model, as every path reads a
 * certificate (x509 readCertificate).
 * @throws CertdeskError with readCertificate's code (`malformed-certificate` and the structure's
 *   codes) when the bytes are not a well-formed X.509 certificate, saying what is wrong.
 */
export async function readCertificateFacts(der: Uint8Array, crypto: Crypto = globalThis.crypto): Promise<CertificateFacts> {
  const cert = readCertificate(der);
  // A malformed subjectAltName covers no name; the readiness check then says so.
  const names = presentedNames(certificateExtension(cert, 'subjectAltName')?.names ?? []);
  const facts: CertificateFacts = {
    sha256: await sha256Hex(der, crypto),
    publicKeySha256: cert.spki.sha256,
    subject: nameToString(cert.subject),
    issuer: nameToString(cert.issuer),
    subjectKey: cert.subjectKey,
    issuerKey: cert.issuerKey,
    serialNumber: toHex(cert.serialNumber),
    notBefore: cert.notBefore.seconds * 1000,
    notAfter: cert.notAfter.seconds * 1000,
    dnsNames: names.dnsNames,
    ipAddresses: names.ipAddresses,
    isCa: isCaCertificate(cert),
    selfIssued: cert.selfIssued,
  };
  const cn = commonName(cert.subject);
  if (cn !== undefined) facts.commonName = cn;
  const ski = certificateExtension(cert, 'subjectKeyIdentifier');
  if (ski) facts.subjectKeyId = toHex(ski.keyIdentifier);
  const aki = certificateExtension(cert, 'authorityKeyIdentifier')?.keyIdentifier;
  if (aki) facts.authorityKeyId = toHex(aki);
  return facts;
}

/**
 * Whether the certificate is self-signed (signatures.ts isSelfSigned: self-issued and its
 * signature verifies with its own key). False when the bytes are not a certificate.
 */
export async function verifySelfSigned(der: Uint8Array): Promise<boolean> {
  let cert: Certificate;
  try {
    cert = parseCertificate(der);
  } catch (error) {
    if (error instanceof MalformedCertificateError) return false;
    throw error;
  }
  return isSelfSigned(cert);
}
