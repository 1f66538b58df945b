/**
 * What the domain needs to know about a certificate, read once from its DER when it enters the
 * workspace: fingerprint, public-key hash, names, validity, CA flag. These are a pure function of
 * the stored DER (so they can never disagree with it); they are kept beside it only because
 * parsing 5,000 certificates at every list costs seconds. Anything that depends on the clock or
 * on other certificates (expired, chain complete, trusted) is derived when read, never stored.
 */
import type { ChainCertificate } from '../pki/chain';
import { children, nameToString, oids, parseChainCertificate, readTlv, verifySignature } from '../pki/chain';
import { subjectAltNames } from '../pki/names/general-name';
import { presentedNames } from '../pki/names/match';
import { CertdeskError } from '../errors';

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

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** SHA-256 as lower-case hex. */
export async function sha256Hex(bytes: Uint8Array, crypto: Crypto = globalThis.crypto): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

/**
 * Reads the facts of one DER certificate with the strict DER reader of src/core/pki/chain.ts
 * (a tenth of @peculiar/x509's cost: importing 144 roots must fit in 200 ms). Throws
 * CertdeskError 'not-a-certificate' when the bytes are not an X.509 certificate.
 */
export async function readCertificateFacts(
  der: Uint8Array,
  crypto: Crypto = globalThis.crypto,
): Promise<CertificateFacts> {
  let cert: ChainCertificate;
  try {
    cert = parseChainCertificate(der);
  } catch (cause) {
    const detail = cause instanceof Error && cause.name === 'DerError' ? ` (${cause.message})` : '';
    throw new CertdeskError(
      'not-a-certificate',
      `These bytes are not a well-formed X.509 certificate${detail}. Check that you picked the certificate file your CA sent, or ask the CA for a correctly encoded copy.`,
      { cause },
    );
  }
  let names: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>;
  try {
    names = presentedNames(subjectAltNames(cert) ?? []);
  } catch {
    // A malformed subjectAltName covers no name; the readiness check then says so.
    names = { dnsNames: [], ipAddresses: [] };
  }
  const [sha256, publicKeySha256] = await Promise.all([sha256Hex(der, crypto), sha256Hex(cert.spki, crypto)]);
  // The most specific CN: the last one in DER order (RFC 6125 §6.4.4).
  const cn = cert.subject.flat().findLast((a) => a.oid === '2.5.4.3');
  const facts: CertificateFacts = {
    sha256,
    publicKeySha256,
    subject: nameToString(cert.subject),
    issuer: nameToString(cert.issuer),
    subjectKey: cert.subjectKey,
    issuerKey: cert.issuerKey,
    serialNumber: toHex(cert.serial),
    notBefore: cert.notBefore * 1000,
    notAfter: cert.notAfter * 1000,
    dnsNames: names.dnsNames,
    ipAddresses: names.ipAddresses,
    isCa: basicConstraintsCa(cert),
    selfIssued: cert.selfIssued,
  };
  if (cn) facts.commonName = cn.text ?? cn.normalized;
  const ski = extensionOctets(cert, oids.subjectKeyIdentifier, (v) => readTlv(v, 0), 0x04);
  if (ski) facts.subjectKeyId = ski;
  // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … }
  const aki = extensionOctets(cert, oids.authorityKeyIdentifier, (v) => children(v, readTlv(v, 0))[0], 0x80);
  if (aki) facts.authorityKeyId = aki;
  return facts;
}

/** basicConstraints cA (RFC 5280 §4.2.1.9): SEQUENCE { cA BOOLEAN DEFAULT FALSE, … }. */
function basicConstraintsCa(cert: ChainCertificate): boolean {
  const ext = cert.extensions.get(oids.basicConstraints);
  if (!ext) return false;
  try {
    const first = children(ext.value, readTlv(ext.value, 0))[0];
    return first?.tag === 0x01 && ext.value[first.contentStart] !== 0;
  } catch {
    return false;
  }
}

/** Hex of a key identifier inside an extension, or undefined when absent or malformed. */
function extensionOctets(
  cert: ChainCertificate,
  oid: string,
  locate: (value: Uint8Array) => { tag: number; contentStart: number; end: number } | undefined,
  tag: number,
): string | undefined {
  const ext = cert.extensions.get(oid);
  if (!ext) return undefined;
  try {
    const tlv = locate(ext.value);
    return tlv?.tag === tag ? toHex(ext.value.subarray(tlv.contentStart, tlv.end)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the certificate is self-signed: self-issued and its signature verifies with its own
 * public key. False when WebCrypto lacks the algorithm (e.g. MD2 roots) or the bytes do not parse.
 */
export async function verifySelfSigned(der: Uint8Array, crypto: Crypto = globalThis.crypto): Promise<boolean> {
  try {
    const cert = parseChainCertificate(der);
    if (!cert.selfIssued) return false;
    // SHA-1 is fine for a self-signature: it protects nothing a trust anchor relies on.
    return (await verifySignature(cert, cert, crypto.subtle, { allowSha1: true })).ok;
  } catch {
    return false;
  }
}
