/**
 * Public suffixes (`com`, `co.uk`, `github.io` …) from the Public Suffix List as the tldts
 * library ships it, so that a wildcard directly over one (`*.co.uk`) is refused: CABF BR
 * §3.2.2.6 forbids issuing it and RFC 6125 §7.2 warns against honouring it.
 *
 * This module imports tldts (~48 KB gzipped, nearly all of it the list), so the app loads it
 * lazily: public-suffix.ts `import()`s it only when a wildcard name has to be checked.
 *
 * Whether the list's PRIVATE section counts is a choice; the validators differ:
 * - Chromium (net/cert/x509_certificate.cc, `VerifyHostname`) refuses wildcards over ICANN
 *   suffixes only (`EXCLUDE_PRIVATE_REGISTRIES`), so `*.appspot.com` works there; CABF BR
 *   §3.2.2.6 likewise tells CAs to consult the ICANN section only.
 * - Go crypto/x509, rustls-webpki and pyca/cryptography consult no list at all (pyca's limbo
 *   harness skips the `pedantic-public-suffix-wildcard` cases).
 * - x509-limbo expects both sections: `webpki::san::public-suffix-private-namespace-wildcard-san`
 *   must refuse `*.s3.amazonaws.com`.
 * Certdesk counts both by default: it answers like the strictest client, accepting nothing
 * limbo says to reject, and an appliance's own name is never directly under a shared hosting
 * suffix such as `github.io`. `publicSuffixCheck({ privateSuffixes: false })` gives Chromium's
 * rule.
 */
import type * as Tldts from 'tldts';
// tldts's own minified ES build rather than its package entry (dist/es6): Vite 8.3's minifier
// (rolldown 1.2.19) copies the entry's 68 KB label string into each of its three uses,
// making the chunk 271 KB / 114 KB gzipped instead of 131 KB / 48 KB. Same code, same list.
// @ts-expect-error -- that file ships no .d.ts of its own; it is typed from the package entry below.
import * as tldtsBuild from 'tldts/dist/index.esm.min.js';
import type { PublicSuffixCheck } from './hostname';

const { getPublicSuffix, parse } = tldtsBuild as typeof Tldts;

/** Which sections of the Public Suffix List count. */
export interface PublicSuffixOptions {
  /** Count the PRIVATE section (`github.io`, `s3.amazonaws.com`) too (default true). */
  privateSuffixes?: boolean;
}

/**
 * A check built on tldts's copy of the Public Suffix List. It takes a DNS name in A-label
 * form, as names appear in certificates (`xn--p1ai`, not `рф`; tldts lists IDN rules in
 * both forms), and tells whether the name is itself a public suffix. A name the list does not
 * know ends in an implicit one-label suffix (the list's `*` rule): `corp` is a public suffix,
 * `example.corp` is not. Case and a trailing dot are ignored.
 */
export function publicSuffixCheck(options: PublicSuffixOptions = {}): PublicSuffixCheck {
  const lookup = {
    allowPrivateDomains: options.privateSuffixes ?? true,
    // The input is already a host name: skip URL parsing, IP detection (a name such as
    // `2.3.4` is a DNS name here) and tldts's own host-name validation (hostname.ts does it).
    extractHostname: false,
    detectIp: false,
    validateHostname: false,
    mixedInputs: false,
  } as const;
  return (domain: string): boolean => {
    let name = domain.toLowerCase();
    if (name.endsWith('.')) name = name.slice(0, -1);
    if (name === '') return true; // the DNS root is above every suffix
    return getPublicSuffix(name, lookup) === name;
  };
}

/** The default check: both sections of the list (see the module comment for why). */
export const isPublicSuffix: PublicSuffixCheck = publicSuffixCheck();

/**
 * Whether a DNS name (A-label form) is an Internal Name (CABF BR §1.6.1): it does not end in a
 * top-level domain of the ICANN section of the list (`appliance.local`, `nas.lan`, `host.corp`).
 */
export function isInternalName(name: string): boolean {
  return parse(name.toLowerCase(), { allowPrivateDomains: false, extractHostname: false, detectIp: false, validateHostname: false, mixedInputs: false }).isIcann !== true;
}
