/**
 * Matching a server's name against its certificate the way browsers do: RFC 6125 §6.4 (as
 * tightened by RFC 9525 and the CA/Browser Forum Baseline Requirements §3.2.2.6, §7.1.4.3).
 *
 * - A DNS name matches dNSName SANs only, an IP address matches iPAddress SANs only.
 * - The CN is ignored whenever a subjectAltName extension is present (RFC 6125 §6.4.4).
 * - A wildcard is the whole left-most label and matches exactly one label: `*.example.com`
 *   matches `a.example.com`, never `example.com`, `a.b.example.com`, `f*.example.com` or an IP.
 */
import { OID } from './asn1';
import type { GeneralName } from './names/general-name';
import { MalformedCertificateError, parseCertificate, type Certificate } from './x509';

/**
 * Tells whether a DNS name (A-label form, lower case) is a public suffix, such as `co.uk`.
 * public-suffix.ts builds the default one from the Public Suffix List.
 */
export type PublicSuffixCheck = (domain: string) => boolean;

const labelPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Whether `name` is a host name in the preferred name syntax (RFC 1034 §3.5, RFC 1123 §2.1):
 * letters, digits and hyphens, labels of 1–63 characters, 253 in all. Case is ignored.
 */
export function isValidDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name
    .toLowerCase()
    .split('.')
    .every((label) => labelPattern.test(label));
}

/**
 * Whether a presented dNSName (from a certificate) is well formed: a valid host name, or
 * `*.` followed by one — the wildcard alone in the left-most label, over at least two labels
 * and, when `isPublicSuffix` is given, not directly over a public suffix (CABF BR §3.2.2.6).
 * Path validation passes the Public Suffix List check by default (public-suffix.ts).
 */
export function isValidPresentedDnsName(name: string, isPublicSuffix?: PublicSuffixCheck): boolean {
  if (!name.startsWith('*.')) return isValidDnsName(name);
  const base = name.slice(2);
  if (!isValidDnsName(base) || !base.includes('.')) return false;
  return !isPublicSuffix?.(base.toLowerCase());
}

/** Parses an IPv4 dotted quad or an IPv6 literal (RFC 4291 §2.2) into 4 or 16 bytes. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  const v6 = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p, i) => p > 255 || (text.split('.')[i]!.length > 1 && text.split('.')[i]!.startsWith('0'))))
      return undefined;
    return new Uint8Array(parts);
  }
  if (!v6.includes(':') || !/^[0-9a-fA-F:.]+$/.test(v6)) return undefined;
  const halves = v6.split('::');
  if (halves.length > 2) return undefined;
  const words = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpAddress(p);
        if (!v4 || v4.length !== 4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = words(halves[0]!);
  const tail = halves.length === 2 ? words(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((w, i) => {
    bytes[i * 2] = w >> 8;
    bytes[i * 2 + 1] = w & 0xff;
  });
  return bytes;
}

/** The usual text form of a 4- or 16-byte address (IPv6 per RFC 5952, lower case, `::`). */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Whether a presented DNS identifier (possibly `*.`-wildcarded) matches a reference host name,
 * both assumed valid. Comparison ignores ASCII case (RFC 6125 §6.4.1); IDNs are compared in
 * their A-label form, as they appear in certificates.
 */
export function dnsNameMatches(presented: string, reference: string): boolean {
  const p = presented.toLowerCase();
  const r = stripTrailingDot(reference).toLowerCase();
  if (!p.startsWith('*.')) return p === r;
  const dot = r.indexOf('.');
  if (dot <= 0) return false;
  return r.slice(dot + 1) === p.slice(2);
}

/**
 * A reference name in the A-label form certificates use (RFC 5890): `bücher.example` becomes
 * `xn--bcher-kva.example`. WHATWG URL parsing does the IDNA mapping in browsers and Node alike.
 */
function toALabels(name: string): string | undefined {
  if (!/[^\x00-\x7f]/.test(name)) return name;
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return undefined;
  }
}

function stripTrailingDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Whether a list of SAN entries covers `name` (a DNS name or an IP literal). IP literals match
 * iPAddress entries byte for byte; DNS names match dNSName entries, wildcards never cover IPs.
 */
export function sanCoversName(sans: readonly GeneralName[], name: string): boolean {
  const ip = parseIpAddress(name);
  if (ip) return sans.some((s) => s.kind === 'ip' && equalBytes(s.bytes, ip));
  const reference = toALabels(stripTrailingDot(name));
  if (reference === undefined || !isValidDnsName(reference)) return false;
  return sans.some((s) => s.kind === 'dns' && isValidPresentedDnsName(s.value) && dnsNameMatches(s.value, reference));
}

/**
 * Whether the certificate (DER) covers `name`, a DNS name or an IP address literal, per
 * RFC 6125 §6.4. The subject CN is consulted only when the certificate has no subjectAltName
 * at all (and then only for DNS names); strict clients need a SAN anyway (validation says so).
 */
export function matchesHostname(certificate: Uint8Array, name: string): boolean {
  let cert: Certificate;
  try {
    cert = parseCertificate(certificate);
  } catch (error) {
    if (error instanceof MalformedCertificateError) return false;
    throw error;
  }
  const san = cert.extensionsByOid.get(OID.subjectAltName);
  // A malformed subjectAltName covers nothing.
  if (san) return san.decoded?.kind === 'subjectAltName' && sanCoversName(san.decoded.names, name);
  if (parseIpAddress(name)) return false;
  const cns = cert.subject.flat().filter((a) => a.oid === OID.commonName && a.text !== undefined);
  return cns.some((cn) => isValidPresentedDnsName(cn.text!) && dnsNameMatches(cn.text!, stripTrailingDot(name)));
}
