/**
 * What the domain needs to know about a certificate, read once from its DER when it enters the
 * workspace: fingerprint, public-key hash, names, validity, CA flag. These are a pure function of
 * the stored DER (so they can never disagree with it); they are kept beside it only because
 * parsing 5,000 certificates at every list costs seconds. Anything that depends on the clock or
 * on other certificates (expired, chain complete, trusted) is derived when read, never stored.
 */
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
} from '@peculiar/x509';
import { CertdeskError } from '../errors';

/** Facts read from one certificate's DER. Plain data: structured-cloneable and JSON-safe. */
export interface CertificateFacts {
  /** SHA-256 of the DER, lower-case hex: the certificate's fingerprint. */
  sha256: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, lower-case hex (as CertdeskKey.publicKeySha256). */
  publicKeySha256: string;
  /** RFC 4514 strings as @peculiar/x509 renders them. */
  subject: string;
  issuer: string;
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
 * Reads the facts of one DER certificate. Throws CertdeskError 'not-a-certificate' when the bytes
 * are not an X.509 certificate @peculiar/x509 can read (its own message is never shown).
 */
export async function readCertificateFacts(
  der: Uint8Array,
  crypto: Crypto = globalThis.crypto,
): Promise<CertificateFacts> {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der as Uint8Array<ArrayBuffer>);
  } catch (cause) {
    throw new CertdeskError(
      'not-a-certificate',
      'These bytes are not an X.509 certificate. Check that you picked the certificate file your CA sent.',
      { cause },
    );
  }
  const san = cert.getExtension(SubjectAlternativeNameExtension);
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const name of san?.names.items ?? []) {
    if (name.type === 'dns') dnsNames.push(name.value.toLowerCase());
    else if (name.type === 'ip') ipAddresses.push(normaliseIp(name.value) ?? name.value);
  }
  const selfIssued = cert.subject === cert.issuer;
  const cn = cert.subjectName.getField('CN')[0];
  const facts: CertificateFacts = {
    sha256: await sha256Hex(der, crypto),
    publicKeySha256: await sha256Hex(new Uint8Array(cert.publicKey.rawData), crypto),
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    dnsNames,
    ipAddresses,
    isCa: cert.getExtension(BasicConstraintsExtension)?.ca ?? false,
    selfIssued,
  };
  if (cn !== undefined) facts.commonName = cn;
  const ski = cert.getExtension(SubjectKeyIdentifierExtension)?.keyId;
  if (ski) facts.subjectKeyId = ski.toLowerCase();
  const aki = cert.getExtension(AuthorityKeyIdentifierExtension)?.keyId;
  if (aki) facts.authorityKeyId = aki.toLowerCase();
  return facts;
}

/**
 * Whether the certificate is self-signed: self-issued and its signature verifies with its own
 * public key. False when WebCrypto lacks the algorithm (e.g. MD2 roots) or the bytes do not parse.
 */
export async function verifySelfSigned(der: Uint8Array, crypto: Crypto = globalThis.crypto): Promise<boolean> {
  try {
    const cert = new X509Certificate(der as Uint8Array<ArrayBuffer>);
    return cert.subject === cert.issuer && (await cert.isSelfSigned(crypto));
  } catch {
    return false;
  }
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
