/**
 * Certification path validation as the strictest TLS clients do it: RFC 5280 §6.1 plus the
 * Web PKI profile (CA/Browser Forum Baseline Requirements) that browsers and rustls-webpki
 * enforce. `buildAndValidate` builds candidate paths (path-builder.ts) and returns the first one that
 * passes every rule, or every problem found, each naming its certificate and rule.
 */
import { CertdeskError, throwIfAborted } from '../../errors';
import { equalBytes, OID, sha256Hex, toHex } from '../asn1';
import { isValidPresentedDnsName, type PublicSuffixCheck } from '../names/hostname';
import { formatIpAddress } from '../names/ip';
import { coversName, hasWildcard, presentedNames } from '../names/match';
import { loadPublicSuffixCheck } from '../names/public-suffix';
import { checkNameConstraints, constrainedNames } from '../names/constraints';
import { limits } from '../limits';
import { isUsableRsaExponent, keyUsageBits, MalformedCertificateError, nameToString, parseCertificate, type Certificate } from '../x509';
import { WEBCRYPTO_CURVES } from '../signatures';
import { Budget } from './budget';
import { decodeExtensions, p, shortName, who, type RawProblem, type Role } from './certificate-view';
import { buildPath, type CandidateVerdict, type PathBuildOutcome } from './path-builder';
import { CertificatePool } from './pool';
import { loadBuiltInRoots } from './root-store';

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

/** Keys the Web PKI accepts (CABF BR §6.1.5): RSA 2048–8192 bits in whole bytes, ECDSA P-256/384/521. */
function keyProblems(cert: Certificate): RawProblem[] {
  const spki = cert.spki;
  if (spki.algorithm.oid === OID.rsaEncryption) {
    const rsa = spki.rsa;
    if (!rsa) return [p('unsupported-key', cert, `The RSA key of ${who(cert)} is malformed.`)];
    if (rsa.modulusBits < 2048 || rsa.modulusBits > limits.maxRsaBits || rsa.modulusBits % 8 !== 0)
      return [p('unsupported-key', cert, `${who(cert)} has a ${rsa.modulusBits}-bit RSA key; clients accept 2048 to ${limits.maxRsaBits} bits in whole bytes.`)];
    if (!isUsableRsaExponent(rsa.publicExponent)) return [p('unsupported-key', cert, `The RSA key of ${who(cert)} has an unusable public exponent.`)];
    return [];
  }
  if (spki.algorithm.oid === OID.ecPublicKey) {
    if (WEBCRYPTO_CURVES[spki.namedCurve ?? '']) return [];
    return [p('unsupported-key', cert, `${who(cert)} uses an elliptic curve that clients do not accept (only P-256, P-384 and P-521).`)];
  }
  return [p('unsupported-key', cert, `${who(cert)} has a key type (${spki.algorithm.oid}) that TLS clients do not accept; use RSA or ECDSA P-256/P-384.`)];
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
  isVettedRoot?: (cert: Certificate) => boolean;
}

/** Whether a certificate is byte for byte one of `roots`. */
function vettedRootCheck(roots: readonly Uint8Array[]): (cert: Certificate) => boolean {
  const byLength = new Map<number, Uint8Array[]>();
  for (const r of roots) byLength.set(r.length, [...(byLength.get(r.length) ?? []), r]);
  return (cert) => (byLength.get(cert.der.length) ?? []).some((r) => r.every((b, i) => b === cert.der[i]));
}

/** Checks that do not depend on the rest of the path. */
export function certificateProblems(cert: Certificate, role: Role | 'ca-subject', s: Settings): RawProblem[] {
  const d = decodeExtensions(cert);
  const out: RawProblem[] = [...d.problems];
  if (!equalBytes(cert.signatureAlgorithm.der, cert.tbsSignatureAlgorithm.der))
    out.push(p('signature-algorithm-mismatch', cert, `${who(cert)} names two different signature algorithms inside and outside its signed part (RFC 5280 §4.1.1.2).`));
  if (role !== 'anchor') {
    const serial = cert.serialNumber;
    const zero = serial.every((b) => b === 0);
    // RFC 5280 §4.1.2.2: positive, at most 20 octets.
    if (serial.length === 0 || serial[0]! & 0x80 || zero || serial.length > (serial[0] === 0 ? 21 : 20))
      out.push(p('bad-serial-number', cert, `${who(cert)} has a serial number that is ${zero ? 'zero' : serial[0]! & 0x80 ? 'negative' : 'not a positive number of at most 20 bytes'} (RFC 5280 §4.1.2.2).`));
  }
  if (cert.issuer.length === 0) out.push(p('empty-issuer', cert, `${who(cert)} has an empty issuer name (RFC 5280 §4.1.2.4).`));
  if (s.now < cert.notBefore.seconds)
    out.push(p('not-yet-valid', cert, `${who(cert)} is not valid before ${formatDate(cert.notBefore.seconds)}.`));
  if (s.now > cert.notAfter.seconds)
    out.push(p('expired', cert, `${who(cert)} expired on ${formatDate(cert.notAfter.seconds)}. Renew it and import the new certificate.`));
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
    if (d.nameConstraints || cert.extensionsByOid.has(OID.nameConstraints))
      out.push(p('name-constraints-in-leaf', cert, `${who(cert)} is not a CA but carries name constraints, which only CA certificates may (RFC 5280 §4.2.1.10).`));
    if (!cert.selfIssued && !d.aki?.keyId)
      out.push(p('missing-authority-key-identifier', cert, `${who(cert)} lacks the authorityKeyIdentifier that RFC 5280 §4.2.1.1 requires.`));
    if (d.eku) {
      if (d.eku.length && !d.eku.includes(s.purposeOid))
        out.push(p('wrong-extended-key-usage', cert, `${who(cert)} is not allowed for ${s.purpose === 'serverAuth' ? 'TLS servers' : 'TLS clients'} by its extendedKeyUsage.`));
      else if (s.purpose === 'serverAuth' && d.eku.includes(OID.anyExtendedKeyUsage))
        out.push(p('any-extended-key-usage', cert, `${who(cert)} allows any extended key usage, which CABF BR §7.1.2.7.10 forbids for server certificates.`));
    }
    const sans = d.sans;
    if (s.purpose === 'serverAuth') {
      if (!cert.extensionsByOid.has(OID.subjectAltName))
        out.push(p('missing-subject-alt-name', cert, `${who(cert)} has no subjectAltName; browsers and mobile clients ignore the common name and reject it. Request a certificate with the host names as SANs.`));
      else if (cert.extensionsByOid.get(OID.subjectAltName)!.critical && cert.subject.length > 0)
        out.push(p('critical-subject-alt-name', cert, `${who(cert)} marks its subjectAltName critical although its subject is not empty (CABF BR §7.1.2.7.12).`));
    } else if (cert.subject.length === 0 && !cert.extensionsByOid.get(OID.subjectAltName)?.critical)
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
        if (a.oid === OID.commonName && a.text !== undefined) {
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
    if (cert.extensionsByOid.has(OID.nameConstraints) && !cert.extensionsByOid.get(OID.nameConstraints)!.critical)
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
      if (d.eku && !d.eku.includes(s.purposeOid) && !d.eku.includes(OID.anyExtendedKeyUsage))
        out.push(p('intermediate-extended-key-usage', cert, `The intermediate ${who(cert)} is restricted to other uses than ${s.purpose} by its extendedKeyUsage.`));
    }
  }
  return out;
}

/** Checks over a whole leaf..anchor path: path length (§6.1.4 (l)–(m)), name constraints (§6.1.3 (b)–(c)), host name. */
function pathProblems(path: Certificate[], s: Settings, role: Role | 'ca-subject', budget: Budget): RawProblem[] {
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
  path?: Certificate[];
  problems: RawProblem[];
  /** The longest verified partial path when no path reached a trust anchor. */
  partialPath: Certificate[];
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
function hasWildcardName(cert: Certificate): boolean {
  return hasWildcard(presentedNames(decodeExtensions(cert).sans ?? []));
}

/** Builds and validates from already-parsed certificates (used by chain-status.ts too). */
export async function evaluate(
  leaf: Certificate,
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
    purposeOid: purpose === 'serverAuth' ? OID.serverAuth : OID.clientAuth,
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

/** Ties raw problems to certificates in `path` (index) with their SHA-256 fingerprints. */
export async function toValidationProblems(problems: RawProblem[], path: Certificate[]): Promise<ValidationProblem[]> {
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
export function parsePool(ders: readonly Uint8Array[]): Certificate[] {
  const out: Certificate[] = [];
  for (const der of ders)
    try {
      out.push(parseCertificate(der));
    } catch (error) {
      // An unreadable pool entry can never be part of a path.
      if (!(error instanceof MalformedCertificateError)) throw error;
    }
  return out;
}

/** The problem a certificate that cannot be read is (anything else is rethrown). */
export function malformedCertificateProblem(error: unknown): ValidationProblem {
  if (error instanceof MalformedCertificateError) return { code: error.code, message: error.message };
  throw error;
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
  let leafCert: Certificate;
  try {
    leafCert = parseCertificate(leaf);
  } catch (error) {
    return { ok: false, problems: [malformedCertificateProblem(error)] };
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
