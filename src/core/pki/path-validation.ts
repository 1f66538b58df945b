/**
 * Certification path validation as the strictest TLS clients do it: RFC 5280 §6.1 plus the
 * Web PKI profile (CA/Browser Forum Baseline Requirements) that browsers and rustls-webpki
 * enforce. `buildAndValidate` builds candidate paths (chain.ts) and returns the first one that
 * passes every rule, or every problem found, each naming its certificate and rule.
 */
import {
  Budget,
  buildPath,
  CertificatePool,
  children,
  curveByOid,
  DerError,
  ecCurveOid,
  keyUsageBits,
  nameToString,
  oidToString,
  oids,
  parseChainCertificate,
  readTlv,
  rsaKeyShape,
  toHex,
  type ChainCertificate,
  type CandidateVerdict,
  type GeneralName,
  type PathBuildOutcome,
} from './chain';
import { subjectAltNames } from './names/general-name';
import { isValidPresentedDnsName, type PublicSuffixCheck } from './names/hostname';
import { formatIpAddress } from './names/ip';
import { coversName, hasWildcard, presentedNames } from './names/match';
import { loadPublicSuffixCheck } from './names/public-suffix';
import { checkNameConstraints, constrainedNames, NameConstraintsError, parseNameConstraints, type NameConstraints } from './names/constraints';
import { limits } from './limits';
import { loadBuiltInRoots } from './root-store';
import { CertdeskError, throwIfAborted } from '../errors';

/** What to validate for. */
export interface ValidationOptions {
  /** When to validate (default: now). Compared at one-second granularity (RFC 5280 §4.1.2.5). */
  time?: Date;
  /** The DNS name or IP literal clients connect to; checked against the leaf's SANs. */
  hostname?: string;
  /** The extended key usage the leaf must allow (default serverAuth, the appliance's use). */
  purpose?: 'serverAuth' | 'clientAuth';
  /** Most intermediates allowed in a path (default limits.maxIntermediates = 6, rustls-webpki). */
  maxIntermediates?: number;
  /**
   * Tells public suffixes, so that a wildcard directly over one (`*.co.uk`) is rejected
   * (CABF BR §3.2.2.6). Default: the Public Suffix List with both sections, from tldts
   * (names/public-suffix-list.ts), loaded only when a leaf has a wildcard name.
   */
  isPublicSuffix?: PublicSuffixCheck;
  /**
   * Roots a root program already vetted (e.g. the built-in Mozilla store). The CA/Browser Forum
   * root profile (BR §7.1.2.1: no extKeyUsage, AKI without issuer/serial and equal to the SKI)
   * is newer than many of them, so it is not applied to these; every other rule still is.
   */
  vettedRoots?: readonly Uint8Array[];
  signal?: AbortSignal;
}

/** One reason a certificate or path is not acceptable. */
export interface ValidationProblem {
  /** Stable kebab-case rule code, e.g. `expired`, `name-constraint-violation`. */
  code: string;
  /** A sentence for the admin: what is wrong and, where possible, what to do. */
  message: string;
  /** The certificate concerned; `index` is its position in the (partial) path, leaf = 0, or -1. */
  certificate?: { subject: string; sha256: string; index: number };
}

export type ValidationResult =
  | { ok: true; path: Uint8Array[] }
  | { ok: false; problems: ValidationProblem[]; partialPath?: Uint8Array[] };

/** A problem before it is tied to a position in a path. */
export interface RawProblem {
  code: string;
  message: string;
  cert?: ChainCertificate;
}

/** The role a certificate plays in a path; the rules differ per role. */
export type Role = 'leaf' | 'intermediate' | 'anchor';

interface Decoded {
  problems: RawProblem[];
  basicConstraints?: { ca: boolean; pathLen?: number };
  keyUsage?: Set<number>;
  eku?: string[];
  sans?: GeneralName[];
  nameConstraints?: NameConstraints;
  aki?: { keyId?: Uint8Array; hasIssuerOrSerial: boolean };
  ski?: Uint8Array;
  caIssuers: string[];
}

/** Extensions this validator understands, so may be critical (RFC 5280 §4.2). Policies are accepted but not processed, as browsers do. */
const understood = new Set<string>([
  oids.basicConstraints,
  oids.keyUsage,
  oids.extKeyUsage,
  oids.subjectAltName,
  oids.nameConstraints,
  oids.certificatePolicies,
  oids.policyConstraints,
  oids.policyMappings,
  oids.inhibitAnyPolicy,
]);

/** Describes a certificate in a sentence. */
export function who(cert: ChainCertificate): string {
  return `“${shortName(cert.subject)}”`;
}

/** A name for a sentence: a hostile certificate can carry thousands of attributes. */
export function shortName(name: ChainCertificate['subject']): string {
  const text = nameToString(name);
  return text.length > 160 ? text.slice(0, 157) + '…' : text;
}

function p(code: string, cert: ChainCertificate | undefined, message: string): RawProblem {
  return cert ? { code, message, cert } : { code, message };
}

function decodeExtensions(cert: ChainCertificate): Decoded {
  if (cert.decoded) return cert.decoded as Decoded;
  const d: Decoded = { problems: [], caIssuers: [] };
  const bad = (what: string): void => {
    d.problems.push(p('malformed-extension', cert, `The ${what} extension of ${who(cert)} is malformed, so clients reject the certificate. Reissue it.`));
  };
  const get = (oid: string) => cert.extensions.get(oid);

  const bc = get(oids.basicConstraints);
  if (bc)
    try {
      const seq = readTlv(bc.value, 0);
      if (seq.tag !== 0x30 || seq.end !== bc.value.length) throw new DerError('bc');
      const parts = children(bc.value, seq);
      let ca = false;
      let pathLen: number | undefined;
      let k = 0;
      if (parts[k]?.tag === 0x01) {
        ca = bc.value[parts[k]!.contentStart] === 0xff;
        k++;
      }
      if (parts[k]?.tag === 0x02) {
        const c = bc.value.subarray(parts[k]!.contentStart, parts[k]!.end);
        if (c.length === 0 || c.length > 2 || c[0]! & 0x80) throw new DerError('pathLen');
        pathLen = c.reduce((n, b) => n * 256 + b, 0);
        k++;
      }
      if (k !== parts.length) throw new DerError('bc');
      d.basicConstraints = pathLen === undefined ? { ca } : { ca, pathLen };
    } catch {
      bad('basicConstraints');
    }

  const ku = get(oids.keyUsage);
  if (ku)
    try {
      const t = readTlv(ku.value, 0);
      if (t.tag !== 0x03 || t.end !== ku.value.length || t.end - t.contentStart < 2) throw new DerError('ku');
      const bits = new Set<number>();
      const bytes = ku.value.subarray(t.contentStart + 1, t.end);
      bytes.forEach((b, i) => {
        for (let bit = 0; bit < 8; bit++) if (b & (0x80 >> bit)) bits.add(i * 8 + bit);
      });
      if (bits.size === 0) throw new DerError('ku');
      d.keyUsage = bits;
    } catch {
      bad('keyUsage');
    }

  const eku = get(oids.extKeyUsage);
  if (eku)
    try {
      const seq = readTlv(eku.value, 0);
      if (seq.tag !== 0x30 || seq.end !== eku.value.length) throw new DerError('eku');
      d.eku = children(eku.value, seq).map((t) => {
        if (t.tag !== 0x06) throw new DerError('eku');
        return oidToString(eku.value.subarray(t.contentStart, t.end));
      });
      if (d.eku.length === 0)
        d.problems.push(p('empty-extended-key-usage', cert, `${who(cert)} has an extendedKeyUsage extension that lists no usage (RFC 5280 §4.2.1.12 requires at least one). Reissue it.`));
    } catch {
      bad('extendedKeyUsage');
    }

  const san = get(oids.subjectAltName);
  if (san)
    try {
      d.sans = subjectAltNames(cert);
      if (!d.sans || d.sans.length === 0) throw new DerError('san');
    } catch {
      bad('subjectAltName');
    }

  const nc = get(oids.nameConstraints);
  if (nc)
    try {
      d.nameConstraints = parseNameConstraints(nc.value);
    } catch (error) {
      const detail = error instanceof NameConstraintsError ? ` (${error.message})` : '';
      d.problems.push(p('malformed-name-constraints', cert, `The name constraints of ${who(cert)} are malformed${detail}; clients reject every certificate below it.`));
    }

  const aki = get(oids.authorityKeyIdentifier);
  if (aki) {
    // RFC 5280 §4.2.1.1: conforming CAs MUST mark this extension non-critical.
    if (aki.critical) d.problems.push(p('critical-authority-key-identifier', cert, `${who(cert)} marks its authorityKeyIdentifier critical, which RFC 5280 §4.2.1.1 forbids.`));
    try {
      const seq = readTlv(aki.value, 0);
      if (seq.tag !== 0x30 || seq.end !== aki.value.length) throw new DerError('aki');
      let keyId: Uint8Array | undefined;
      let hasIssuerOrSerial = false;
      for (const f of children(aki.value, seq)) {
        if (f.tag === 0x80) keyId = aki.value.subarray(f.contentStart, f.end);
        else if (f.tag === 0xa1 || f.tag === 0x82) hasIssuerOrSerial = true;
        else throw new DerError('aki');
      }
      d.aki = keyId ? { keyId, hasIssuerOrSerial } : { hasIssuerOrSerial };
    } catch {
      bad('authorityKeyIdentifier');
    }
  }

  const ski = get(oids.subjectKeyIdentifier);
  if (ski) {
    if (ski.critical) d.problems.push(p('critical-subject-key-identifier', cert, `${who(cert)} marks its subjectKeyIdentifier critical, which RFC 5280 §4.2.1.2 forbids.`));
    try {
      const t = readTlv(ski.value, 0);
      if (t.tag !== 0x04 || t.end !== ski.value.length) throw new DerError('ski');
      d.ski = ski.value.subarray(t.contentStart, t.end);
    } catch {
      bad('subjectKeyIdentifier');
    }
  }

  const aia = get(oids.authorityInfoAccess);
  if (aia) {
    if (aia.critical) d.problems.push(p('critical-authority-info-access', cert, `${who(cert)} marks its authorityInfoAccess critical, which RFC 5280 §4.2.2.1 forbids.`));
    try {
      const seq = readTlv(aia.value, 0);
      if (seq.tag !== 0x30 || seq.end !== aia.value.length) throw new DerError('aia');
      const descriptions = children(aia.value, seq);
      // "The AuthorityInfoAccessSyntax MUST contain one or more AccessDescriptions" (CABF).
      if (descriptions.length === 0) throw new DerError('aia');
      for (const desc of descriptions) {
        const [method, location] = children(aia.value, desc);
        if (method?.tag !== 0x06 || !location) throw new DerError('aia');
        if (oidToString(aia.value.subarray(method.contentStart, method.end)) === oids.caIssuers && location.tag === 0x86)
          d.caIssuers.push(new TextDecoder().decode(aia.value.subarray(location.contentStart, location.end)));
      }
    } catch {
      bad('authorityInfoAccess');
    }
  }

  for (const [oid, ext] of cert.extensions)
    if (ext.critical && !understood.has(oid))
      d.problems.push(p('unknown-critical-extension', cert, `${who(cert)} has a critical extension (${oid}) that clients do not understand, so they must reject it (RFC 5280 §4.2).`));
  for (const oid of cert.duplicateExtensions)
    d.problems.push(p('duplicate-extension', cert, `${who(cert)} contains the extension ${oid} twice, which RFC 5280 §4.2 forbids.`));

  cert.decoded = d;
  return d;
}

/** The AIA caIssuers URLs of a certificate (where its issuer can be downloaded). */
export function caIssuersUrls(cert: ChainCertificate): string[] {
  return decodeExtensions(cert).caIssuers;
}

/** Whether a certificate asserts cA (basicConstraints). */
export function isCa(cert: ChainCertificate): boolean {
  return decodeExtensions(cert).basicConstraints?.ca === true;
}

/** Keys the Web PKI accepts (CABF BR §6.1.5): RSA 2048–8192 bits in whole bytes, ECDSA P-256/384/521. */
function keyProblems(cert: ChainCertificate): RawProblem[] {
  if (cert.keyAlgorithmOid === oids.rsaEncryption) {
    const shape = rsaKeyShape(cert);
    if (!shape) return [p('unsupported-key', cert, `The RSA key of ${who(cert)} is malformed.`)];
    if (shape.bits < 2048 || shape.bits > limits.maxRsaBits || shape.bits % 8 !== 0)
      return [p('unsupported-key', cert, `${who(cert)} has a ${shape.bits}-bit RSA key; clients accept 2048 to ${limits.maxRsaBits} bits in whole bytes.`)];
    if (!shape.exponentOk) return [p('unsupported-key', cert, `The RSA key of ${who(cert)} has an unusable public exponent.`)];
    return [];
  }
  if (cert.keyAlgorithmOid === oids.ecPublicKey) {
    if (curveByOid[ecCurveOid(cert) ?? '']) return [];
    return [p('unsupported-key', cert, `${who(cert)} uses an elliptic curve that clients do not accept (only P-256, P-384 and P-521).`)];
  }
  return [p('unsupported-key', cert, `${who(cert)} has a key type (${cert.keyAlgorithmOid}) that TLS clients do not accept; use RSA or ECDSA P-256/P-384.`)];
}

function formatDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

interface Settings {
  now: number;
  purposeOid: string;
  purpose: 'serverAuth' | 'clientAuth';
  hostname?: string;
  isPublicSuffix?: PublicSuffixCheck;
  isVettedRoot?: (cert: ChainCertificate) => boolean;
}

/** Whether a certificate is byte for byte one of `roots`. */
function vettedRootCheck(roots: readonly Uint8Array[]): (cert: ChainCertificate) => boolean {
  const byLength = new Map<number, Uint8Array[]>();
  for (const r of roots) byLength.set(r.length, [...(byLength.get(r.length) ?? []), r]);
  return (cert) => (byLength.get(cert.der.length) ?? []).some((r) => r.every((b, i) => b === cert.der[i]));
}

/** Checks that do not depend on the rest of the path. */
export function certificateProblems(cert: ChainCertificate, role: Role | 'ca-subject', s: Settings): RawProblem[] {
  const d = decodeExtensions(cert);
  const out: RawProblem[] = [...d.problems];
  if (cert.signatureAlgorithm.length !== cert.tbsSignatureAlgorithm.length || !cert.signatureAlgorithm.every((b, i) => b === cert.tbsSignatureAlgorithm[i]))
    out.push(p('signature-algorithm-mismatch', cert, `${who(cert)} names two different signature algorithms inside and outside its signed part (RFC 5280 §4.1.1.2).`));
  if (role !== 'anchor') {
    const serial = cert.serial;
    const zero = serial.every((b) => b === 0);
    // RFC 5280 §4.1.2.2: positive, at most 20 octets.
    if (serial.length === 0 || serial[0]! & 0x80 || zero || serial.length > (serial[0] === 0 ? 21 : 20))
      out.push(p('bad-serial-number', cert, `${who(cert)} has a serial number that is ${zero ? 'zero' : serial[0]! & 0x80 ? 'negative' : 'not a positive number of at most 20 bytes'} (RFC 5280 §4.1.2.2).`));
  }
  if (cert.issuer.length === 0) out.push(p('empty-issuer', cert, `${who(cert)} has an empty issuer name (RFC 5280 §4.1.2.4).`));
  if (s.now < cert.notBefore)
    out.push(p('not-yet-valid', cert, `${who(cert)} is not valid before ${formatDate(cert.notBefore)}.`));
  if (s.now > cert.notAfter)
    out.push(p('expired', cert, `${who(cert)} expired on ${formatDate(cert.notAfter)}. Renew it and import the new certificate.`));
  out.push(...keyProblems(cert));

  const bc = d.basicConstraints;
  const ku = d.keyUsage;
  if (bc?.pathLen !== undefined && (!bc.ca || (ku && !ku.has(keyUsageBits.keyCertSign))))
    out.push(p('bad-path-length-constraint', cert, `${who(cert)} sets a path length constraint without being a CA allowed to sign certificates (RFC 5280 §4.2.1.9).`));
  if (ku?.has(keyUsageBits.keyCertSign) && !bc?.ca)
    out.push(p('key-cert-sign-without-ca', cert, `${who(cert)} may sign certificates by its key usage but is not a CA (RFC 5280 §4.2.1.3).`));

  if (role === 'leaf') {
    if (bc?.ca)
      out.push(p('leaf-is-ca', cert, `${who(cert)} is a CA certificate used as a server certificate; clients require cA=false there (CABF BR §7.1.2.7.8). Use the server certificate the CA issued.`));
    if (d.nameConstraints || cert.extensions.has(oids.nameConstraints))
      out.push(p('name-constraints-in-leaf', cert, `${who(cert)} is not a CA but carries name constraints, which only CA certificates may (RFC 5280 §4.2.1.10).`));
    if (!cert.selfIssued && !d.aki?.keyId)
      out.push(p('missing-authority-key-identifier', cert, `${who(cert)} lacks the authorityKeyIdentifier that RFC 5280 §4.2.1.1 requires.`));
    if (d.eku) {
      if (d.eku.length && !d.eku.includes(s.purposeOid))
        out.push(p('wrong-extended-key-usage', cert, `${who(cert)} is not allowed for ${s.purpose === 'serverAuth' ? 'TLS servers' : 'TLS clients'} by its extendedKeyUsage.`));
      else if (s.purpose === 'serverAuth' && d.eku.includes(oids.anyExtendedKeyUsage))
        out.push(p('any-extended-key-usage', cert, `${who(cert)} allows any extended key usage, which CABF BR §7.1.2.7.10 forbids for server certificates.`));
    }
    const sans = d.sans;
    if (s.purpose === 'serverAuth') {
      if (!cert.extensions.has(oids.subjectAltName))
        out.push(p('missing-subject-alt-name', cert, `${who(cert)} has no subjectAltName; browsers and mobile clients ignore the common name and reject it. Request a certificate with the host names as SANs.`));
      else if (cert.extensions.get(oids.subjectAltName)!.critical && cert.subject.length > 0)
        out.push(p('critical-subject-alt-name', cert, `${who(cert)} marks its subjectAltName critical although its subject is not empty (CABF BR §7.1.2.7.12).`));
    } else if (cert.subject.length === 0 && !cert.extensions.get(oids.subjectAltName)?.critical)
      out.push(p('missing-subject-alt-name', cert, `${who(cert)} has neither a subject nor a critical subjectAltName (RFC 5280 §4.2.1.6).`));
    for (const name of sans ?? []) {
      if (name.kind === 'dns' && !isValidPresentedDnsName(name.value))
        out.push(p('malformed-dns-name', cert, `${who(cert)} names “${name.value}”, which is not a valid host name or allowed wildcard (RFC 5280 §4.2.1.6, CABF BR §3.2.2.6).`));
      else if (name.kind === 'dns' && !isValidPresentedDnsName(name.value, s.isPublicSuffix))
        out.push(p('wildcard-over-public-suffix', cert, `${who(cert)} names “${name.value}”, a wildcard directly over the public suffix “${name.value.slice(2)}”, which would cover every domain registered under it; CAs must not issue that (CABF BR §3.2.2.6) and strict clients refuse it. Request the wildcard for your own domain, e.g. “*.example.${name.value.slice(2)}”.`));
      if (name.kind === 'ip' && name.bytes.length !== 4 && name.bytes.length !== 16)
        out.push(p('malformed-ip-address', cert, `${who(cert)} has an IP address entry of ${name.bytes.length} bytes; it must be 4 (IPv4) or 16 (IPv6).`));
      if (name.kind === 'email' && !/^[^@\s]+@[^@\s]+$/.test(name.value))
        out.push(p('malformed-email-address', cert, `${who(cert)} has a malformed e-mail address “${name.value}”.`));
    }
    // CABF BR §7.1.4.3: a CN, if present, is a character-for-character copy of a SAN entry.
    // Names are matched against SANs only, so a CN merely absent from the SANs is ignored (as
    // browsers do); but a CN that is another spelling of a SAN (case, U-label vs A-label) or
    // an internationalized name absent from the SANs is refused: UIs display the CN, and such
    // a CN shows a name the certificate was not validated for.
    if (s.purpose === 'serverAuth' && sans)
      for (const a of cert.subject.flat())
        if (a.oid === oids.commonName && a.text !== undefined) {
          const cn = a.text;
          const exact = sans.some((n) => (n.kind === 'dns' && n.value === cn) || (n.kind === 'ip' && (n.bytes.length === 4 || n.bytes.length === 16) && formatIpAddress(n.bytes) === cn));
          if (exact) continue;
          const otherSpelling = sans.some((n) => n.kind === 'dns' && n.value.toLowerCase() === cn.toLowerCase());
          const internationalized = /[^\x00-\x7f]/.test(cn) || /(^|\.)xn--/i.test(cn);
          if (otherSpelling || internationalized)
            out.push(p('common-name-not-in-san', cert, `The common name “${cn}” of ${who(cert)} is not exactly one of its subjectAltNames (CABF BR §7.1.4.3).`));
        }
  } else {
    // Issuing certificates: RFC 5280 §6.1.4 (k), (n); §4.2.1.9; §4.1.2.6.
    if (!bc)
      out.push(p('missing-basic-constraints', cert, `${who(cert)} issues certificates but has no basicConstraints extension, so clients may not treat it as a CA (RFC 5280 §4.2.1.9).`));
    else if (!bc.ca)
      out.push(p('not-a-ca', cert, `${who(cert)} issues certificates but is not a CA (cA=false), so its signatures are not accepted (RFC 5280 §4.2.1.9).`));
    if (ku && !ku.has(keyUsageBits.keyCertSign))
      out.push(p('ca-key-usage', cert, `${who(cert)} is a CA whose key usage does not include keyCertSign, so it may not sign certificates (RFC 5280 §4.2.1.3).`));
    if (cert.subject.length === 0)
      out.push(p('empty-subject', cert, `The CA certificate ${who(cert)} has an empty subject (RFC 5280 §4.1.2.6).`));
    if (cert.extensions.has(oids.nameConstraints) && !cert.extensions.get(oids.nameConstraints)!.critical)
      out.push(p('non-critical-name-constraints', cert, `${who(cert)} has name constraints that are not marked critical, as RFC 5280 §4.2.1.10 requires.`));
    if (role === 'anchor' && !s.isVettedRoot?.(cert)) {
      // CABF BR §7.1.2.1.2: root CAs carry no extKeyUsage.
      if (d.eku) out.push(p('root-has-extended-key-usage', cert, `The root ${who(cert)} has an extendedKeyUsage extension, which CABF BR §7.1.2.1.2 forbids for roots.`));
      if (cert.selfIssued && d.aki) {
        if (d.aki.hasIssuerOrSerial)
          out.push(p('root-authority-key-identifier', cert, `The root ${who(cert)} names an issuer or serial in its authorityKeyIdentifier (CABF BR §7.1.2.1.3).`));
        if (d.aki.keyId && d.ski && toHex(d.aki.keyId) !== toHex(d.ski))
          out.push(p('root-authority-key-identifier', cert, `The root ${who(cert)} has an authorityKeyIdentifier that differs from its own subjectKeyIdentifier.`));
      }
    } else {
      if (!cert.selfIssued && !d.aki?.keyId)
        out.push(p('missing-authority-key-identifier', cert, `${who(cert)} lacks the authorityKeyIdentifier that RFC 5280 §4.2.1.1 requires.`));
      if (d.eku && !d.eku.includes(s.purposeOid) && !d.eku.includes(oids.anyExtendedKeyUsage))
        out.push(p('intermediate-extended-key-usage', cert, `The intermediate ${who(cert)} is restricted to other uses than ${s.purpose} by its extendedKeyUsage.`));
    }
  }
  return out;
}

/** Checks over a whole leaf..anchor path: path length (§6.1.4 (l)–(m)), name constraints (§6.1.3 (b)–(c)), host name. */
function pathProblems(path: ChainCertificate[], s: Settings, role: Role | 'ca-subject', budget: Budget): RawProblem[] {
  const out: RawProblem[] = [];
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const d = decodeExtensions(ca);
    const pathLen = d.basicConstraints?.pathLen;
    if (pathLen !== undefined) {
      // Self-issued intermediates do not count (RFC 5280 §4.2.1.9, §6.1.4 (l)).
      let below = 0;
      for (let j = 1; j < i; j++) if (!path[j]!.selfIssued) below++;
      if (role === 'ca-subject' && !path[0]!.selfIssued) below++;
      if (below > pathLen)
        out.push(p('path-length-exceeded', ca, `${who(ca)} allows ${pathLen} intermediate CA${pathLen === 1 ? '' : 's'} below it, but this path has ${below} (RFC 5280 §4.2.1.9).`));
    }
    if (d.nameConstraints)
      for (let j = i - 1; j >= 0; j--) {
        const sub = path[j]!;
        // Not applied to self-issued intermediates (RFC 5280 §6.1.3 (b)), always to the leaf.
        if (j > 0 && sub.selfIssued) continue;
        const violation = checkNameConstraints(d.nameConstraints, constrainedNames(sub, decodeExtensions(sub).sans), budget);
        if (violation)
          out.push(p('name-constraint-violation', sub, `${who(sub)} names ${violation.name}, which ${violation.reason === 'excluded' ? 'is excluded by' : violation.reason === 'not-permitted' ? 'is outside the names permitted by' : 'cannot be checked against'} the name constraints of ${who(ca)} (RFC 5280 §4.2.1.10).`));
      }
  }
  if (s.hostname !== undefined && role === 'leaf') {
    const leaf = path[0]!;
    const sans = decodeExtensions(leaf).sans ?? [];
    if (!coversName(presentedNames(sans), s.hostname, s.isPublicSuffix))
      out.push(p('hostname-mismatch', leaf, `${who(leaf)} does not cover “${s.hostname}”: no subjectAltName matches it (RFC 6125 §6.4). Add the name to the certificate request.`));
  }
  return out;
}

/** Everything one validation found, for buildAndValidate and chainStatus. */
export interface Evaluation {
  ok: boolean;
  path?: ChainCertificate[];
  problems: RawProblem[];
  /** The longest verified partial path when no path reached a trust anchor. */
  partialPath: ChainCertificate[];
  outcome?: PathBuildOutcome<RawProblem>;
}

/** Codes of the CABF root profile (BR §7.1.2.1), which vetted roots are exempt from. */
export const rootProfileCodes: ReadonlySet<string> = new Set(['root-has-extended-key-usage', 'root-authority-key-identifier']);

/**
 * The roots exempt from the CABF root profile when the caller named none: the built-in
 * Mozilla store, loaded only when a root actually broke that profile (rare: a few roots from
 * before the rule, such as QuoVadis Root CA 2).
 */
export async function vettedRootsFor(problems: readonly RawProblem[], given: readonly Uint8Array[] | undefined): Promise<readonly Uint8Array[] | undefined> {
  if (given || !problems.some((p) => rootProfileCodes.has(p.code))) return undefined;
  return (await loadBuiltInRoots()).roots;
}

/** Whether the leaf names a wildcard, the only case that needs the public-suffix check. */
function hasWildcardName(cert: ChainCertificate): boolean {
  return hasWildcard(presentedNames(decodeExtensions(cert).sans ?? []));
}

/** Builds and validates from already-parsed certificates (used by chain-status.ts too). */
export async function evaluate(
  leaf: ChainCertificate,
  anchors: CertificatePool,
  intermediates: CertificatePool,
  options: ValidationOptions = {},
  role: 'leaf' | 'ca-subject' = 'leaf',
): Promise<Evaluation> {
  throwIfAborted(options.signal);
  if (!options.isPublicSuffix && role === 'leaf' && hasWildcardName(leaf)) {
    const isPublicSuffix = await loadPublicSuffixCheck();
    throwIfAborted(options.signal);
    options = { ...options, isPublicSuffix };
  }
  const purpose = options.purpose ?? 'serverAuth';
  const s: Settings = {
    now: Math.floor((options.time ?? new Date()).getTime() / 1000),
    purpose,
    purposeOid: purpose === 'serverAuth' ? oids.serverAuth : oids.clientAuth,
    ...(options.hostname !== undefined ? { hostname: options.hostname } : {}),
    ...(options.isPublicSuffix ? { isPublicSuffix: options.isPublicSuffix } : {}),
    ...(options.vettedRoots?.length ? { isVettedRoot: vettedRootCheck(options.vettedRoots) } : {}),
  };
  const leafProblems = certificateProblems(leaf, role === 'leaf' ? 'leaf' : 'intermediate', s);
  if (leafProblems.length) return { ok: false, problems: leafProblems, partialPath: [leaf] };
  const budget = new Budget();
  const verdict = (problems: RawProblem[]): CandidateVerdict<RawProblem> => ({ ok: problems.length === 0, problems });
  const outcome = await buildPath<RawProblem>(
    leaf,
    anchors,
    intermediates,
    {
      checkIntermediate: (c) => verdict(certificateProblems(c, 'intermediate', s)),
      checkAnchor: (c) => verdict(certificateProblems(c, 'anchor', s)),
      checkPath: (path) => verdict(pathProblems(path, s, role, budget)),
    },
    { maxIntermediates: options.maxIntermediates ?? limits.maxIntermediates, budget, ...(options.signal ? { signal: options.signal } : {}) },
  );
  throwIfAborted(options.signal);
  if (outcome.path) return { ok: true, path: outcome.path, problems: [], partialPath: outcome.path, outcome };
  const problems: RawProblem[] = [];
  if (outcome.budgetExhausted) {
    const what = { 'signature-checks': `${limits.maxChainSignatureChecks} signature checks`, 'path-build-calls': `${limits.maxPathBuildCalls} path-building steps`, 'name-constraint-checks': `${limits.maxNameConstraintChecks} name-constraint comparisons` }[outcome.budgetExhausted];
    problems.push(p('work-limit-reached', undefined, `Checking this chain needed more than ${what}, the limit strict clients use; it is treated as untrusted. Remove unrelated or looping certificates from the set.`));
  }
  if (outcome.pathProblems) problems.push(...outcome.pathProblems);
  for (const c of outcome.candidateProblems) problems.push(...c.problems);
  if (problems.length === 0) {
    for (const f of outcome.signatureFailures)
      if (!f.check.ok) problems.push(p(f.check.code, f.cert, `${who(f.cert)} is not accepted: ${f.check.reason} (${who(f.issuer)}).`));
    if (outcome.depthExceeded)
      problems.push(p('too-many-intermediates', undefined, `Reaching a trusted root needs more than ${options.maxIntermediates ?? limits.maxIntermediates} intermediate certificates.`));
    const top = outcome.longest[outcome.longest.length - 1]!;
    problems.push(p('no-trusted-root', top, `No trusted root was found for ${who(top)}: its issuer “${shortName(top.issuer)}” is not among the imported certificates. Import the intermediate and root certificates from your CA.`));
  }
  const vetted = await vettedRootsFor(problems, options.vettedRoots);
  if (vetted) return evaluate(leaf, anchors, intermediates, { ...options, vettedRoots: vetted }, role);
  return { ok: false, problems, partialPath: outcome.longest, outcome };
}

async function sha256Hex(der: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', der as BufferSource)));
}

/** Ties raw problems to certificates in `path` (index) with their SHA-256 fingerprints. */
export async function toValidationProblems(problems: RawProblem[], path: ChainCertificate[]): Promise<ValidationProblem[]> {
  const seen = new Set<string>();
  const out: ValidationProblem[] = [];
  for (const r of problems) {
    const key = r.code + '|' + r.message;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!r.cert) {
      out.push({ code: r.code, message: r.message });
      continue;
    }
    out.push({
      code: r.code,
      message: r.message,
      certificate: { subject: nameToString(r.cert.subject), sha256: await sha256Hex(r.cert.der), index: path.indexOf(r.cert) },
    });
  }
  return out;
}

/** Parses pool certificates, skipping any that are not certificates (they cannot be issuers). */
export function parsePool(ders: readonly Uint8Array[]): ChainCertificate[] {
  const out: ChainCertificate[] = [];
  for (const der of ders)
    try {
      out.push(parseChainCertificate(der));
    } catch {
      /* an unreadable pool entry can never be part of a path */
    }
  return out;
}

/**
 * Builds a path from `leaf` through `pool.intermediates` to one of `pool.roots` and validates it
 * like a strict TLS client (RFC 5280 §6.1 + CABF Web PKI rules), trying alternative paths when
 * one fails. Work is bounded by the budgets in limits.ts; running out is a problem
 * (`work-limit-reached`), not a hang. Never throws for bad certificates; throws AbortError when
 * `options.signal` is aborted, and CertdeskError `public-suffix-list-unavailable` when a
 * wildcard leaf needs the lazily loaded Public Suffix List and it cannot be loaded.
 */
export async function buildAndValidate(
  leaf: Uint8Array,
  pool: { intermediates: readonly Uint8Array[]; roots: readonly Uint8Array[] },
  options: ValidationOptions = {},
): Promise<ValidationResult> {
  let leafCert: ChainCertificate;
  try {
    leafCert = parseChainCertificate(leaf);
  } catch (error) {
    const detail = error instanceof DerError ? ` (${error.message})` : '';
    return { ok: false, problems: [{ code: 'malformed-certificate', message: `The certificate is not valid DER${detail}; clients cannot read it.` }] };
  }
  const anchors = new CertificatePool(parsePool(pool.roots));
  const intermediates = new CertificatePool(parsePool(pool.intermediates));
  const result = await evaluate(leafCert, anchors, intermediates, options);
  if (result.ok && result.path) return { ok: true, path: result.path.map((c) => c.der) };
  return {
    ok: false,
    problems: await toValidationProblems(result.problems, result.partialPath),
    partialPath: result.partialPath.map((c) => c.der),
  };
}
