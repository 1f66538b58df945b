/**
 * Does a certificate cover a name? The one matcher, as strict TLS clients match: RFC 6125 §6.4
 * as tightened by RFC 9525 §6.3 and the CA/Browser Forum BR §3.2.2.6.
 *
 * - An IP address matches iPAddress SANs only, as bytes (RFC 9525 §6.4; here as the canonical
 *   text of ip.ts, which is the same thing); a DNS name matches dNSName SANs only. A dNSName
 *   that spells an IP (`192.0.2.1`, `*.2.0.192`) never covers an IP.
 * - The subject CN is never consulted (RFC 9525 §6.3 drops CN-IDs; browsers ignore it).
 * - DNS names compare ASCII case-insensitively (RFC 4343), in A-label form: the reference is
 *   converted with UTS #46 (RFC 6125 §6.4.2), presented names are ASCII already.
 * - One trailing dot on the reference is ignored (RFC 1034 §3.1); a presented name with one is
 *   malformed (BR §7.1.2.7.12) and covers nothing.
 * - A wildcard is the whole left-most label (`*.example.com`) and stands for exactly one label
 *   (RFC 6125 §6.4.3, RFC 9525 §6.3): not `example.com`, not `a.b.example.com`; `f*.example.com`
 *   and `www.*.example.com` cover nothing. It never stands over a public suffix (`*.co.uk`,
 *   BR §3.2.2.6).
 */
import type { GeneralName } from './general-name';
import { isValidPresentedDnsName, parseHostname, type PublicSuffixCheck } from './hostname';
import { asciiLowerCase } from './idn';
import { canonicalIpAddress, formatIpAddress, parseIpAddress } from './ip';

/** The names a certificate presents for matching: what CertificateFacts stores. */
export interface PresentedNames {
  /** dNSName entries, ASCII lower case, otherwise as in the certificate. */
  readonly dnsNames: readonly string[];
  /** iPAddress entries of 4 or 16 bytes, as canonical text (ip.ts formatIpAddress). */
  readonly ipAddresses: readonly string[];
}

/** The presented names of a list of subjectAltName entries (other name forms cover no host). */
export function presentedNames(sans: readonly GeneralName[]): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const name of sans) {
    if (name.kind === 'dns') dnsNames.push(asciiLowerCase(name.value));
    else if (name.kind === 'ip' && (name.bytes.length === 4 || name.bytes.length === 16)) ipAddresses.push(formatIpAddress(name.bytes));
  }
  return { dnsNames, ipAddresses };
}

/** Whether any presented dNSName is a wildcard: only then is a public-suffix check needed. */
export function hasWildcard(names: PresentedNames): boolean {
  return names.dnsNames.some((name) => name.startsWith('*.'));
}

/**
 * Whether one presented dNSName matches a reference name that `parseHostname` accepted
 * (A-labels, lower case, no trailing dot). Wildcards are honoured only with `isPublicSuffix`:
 * without it nobody can tell `*.co.uk` from `*.example.co.uk`, so a wildcard then matches
 * nothing (fail closed).
 */
export function dnsNameMatches(presented: string, reference: string, isPublicSuffix?: PublicSuffixCheck): boolean {
  const name = asciiLowerCase(presented);
  if (!isValidPresentedDnsName(name, isPublicSuffix)) return false;
  if (!name.startsWith('*.')) return name === reference;
  if (!isPublicSuffix) return false;
  const dot = reference.indexOf('.');
  return dot > 0 && reference.slice(dot + 1) === name.slice(2);
}

/**
 * Whether the presented names cover `reference`: an IP address (strict text, ip.ts) or a host
 * name as typed (hostname.ts, kind `reference`). A reference that is neither covers nothing.
 * Pass `isPublicSuffix` (public-suffix.ts `loadPublicSuffixCheck` or `publicSuffixCheckFor`)
 * whenever the names may hold a wildcard: without it wildcards cover nothing.
 */
export function coversName(names: PresentedNames, reference: string, isPublicSuffix?: PublicSuffixCheck): boolean {
  const ip = parseIpAddress(reference);
  if (ip) {
    const text = formatIpAddress(ip);
    return names.ipAddresses.some((presented) => canonicalIpAddress(presented) === text);
  }
  const host = parseHostname(reference);
  if (!host.ok) return false;
  return names.dnsNames.some((presented) => dnsNameMatches(presented, host.value, isPublicSuffix));
}
