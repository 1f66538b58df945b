/**
 * What the domain needs to know about a certificate, read once from its DER when it enters the
 * workspace: fingerprint, public-key hash, names, validity, CA flag. These are a pure function of
 * the stored DER (so they can never disagree with it); they are kept beside it only because
 * parsing 5,000 certificates at every list costs seconds. Anything that depends on the clock or
 * on other certificates (expired, chain complete, trusted) is derived when read, never stored.
 */
import { sha256Hex, toHex } from '../pki/asn1';
import { formatIpAddress } from '../pki/hostname';
import { isSelfSigned } from '../pki/signatures';
import { certificateExtension, commonName, isCaCertificate, MalformedCertificateError, nameToString, parseCertificate, type Certificate } from '../pki/x509';

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
  /** dNSName entries of subjectAltName, lower-cased. */
  dnsNames: string[];
  /** iPAddress entries of subjectAltName, normalised (see normaliseIp). */
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
 * Reads the facts of one DER certificate from the certificate model (x509/).
 * @throws MalformedCertificateError (`malformed-certificate`) when the bytes are not a
 *   well-formed X.509 certificate, saying what is wrong.
 */
export async function readCertificateFacts(der: Uint8Array, crypto: Crypto = globalThis.crypto): Promise<CertificateFacts> {
  const cert = parseCertificate(der);
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  // A malformed subjectAltName covers no name; the readiness check then says so.
  for (const name of certificateExtension(cert, 'subjectAltName')?.names ?? []) {
    if (name.kind === 'dns') dnsNames.push(name.value.toLowerCase());
    else if (name.kind === 'ip' && (name.bytes.length === 4 || name.bytes.length === 16)) ipAddresses.push(formatIpAddress(name.bytes));
  }
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
    dnsNames,
    ipAddresses,
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

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * An IPv4 address in dotted form or an IPv6 address in its RFC 5952 §4 canonical form
 * (lower case, longest zero run compressed), or undefined when `text` is neither.
 */
export function normaliseIp(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (IPV4.test(t)) return t;
  if (!t.includes(':') || !/^[0-9a-f:]+$/.test(t)) return undefined;
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return undefined;
  const words = groups.map((g) => parseInt(g, 16).toString(16));
  // RFC 5952 §4.2: compress the longest run of two or more zero groups, the first if tied.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return words.join(':');
  return `${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}`;
}

/**
 * Whether the certificate's subjectAltName covers `name` (a DNS name or an IP address), the way
 * TLS clients match (RFC 6125 §6.4): DNS names compare case-insensitively, a wildcard is allowed
 * only as the whole left-most label and stands for exactly one label (§6.4.3); IP addresses
 * compare only against iPAddress entries; the subject CN is not consulted (§6.4.4, as browsers).
 */
export function coversName(facts: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>, name: string): boolean {
  const ip = normaliseIp(name);
  if (ip !== undefined) return facts.ipAddresses.includes(ip);
  const host = name.trim().toLowerCase().replace(/\.$/, '');
  if (host === '') return false;
  return facts.dnsNames.some((pattern) => dnsNameMatches(pattern.replace(/\.$/, ''), host));
}

function dnsNameMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(2);
  // A wildcard needs at least two labels after it ("*.com" covers nothing) and one label before.
  if (suffix.split('.').length < 2 || suffix.includes('*')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === suffix;
}
