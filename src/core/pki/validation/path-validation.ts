/**
 * Certification path validation as the strictest TLS clients do it: path building
 * (path-builder.ts) and RFC 5280 §6.1 processing, run over the rule table (rules.ts) — every
 * rule that applies to a certificate's role runs its check (checks.ts), links and whole paths
 * included. `buildAndValidate` returns the first path that passes every validation rule, or
 * every problem found, each naming its rule, the certificate and who enforces it.
 */
import { throwIfAborted } from '../../errors';
import { equalBytes, OID } from '../asn1';
import { limits } from '../limits';
import { hasWildcard, presentedNames } from '../names/match';
import { loadPublicSuffixCheck } from '../names/public-suffix';
import { parseIpAddress } from '../names/ip';
import { KEY_USAGE_NAMES, MalformedCertificateError, parseCertificate, type Certificate, type KeyUsageName } from '../x509';
import { Budget } from './budget';
import { subjectAltNames } from './certificate-view';
import type { CheckSettings, PeerName } from './check';
import { certificateProblems, linkProblems } from './checks';
import { pathProblems } from './checks-path';
import { buildPath, type CandidateVerdict, type PathBuildOutcome } from './path-builder';
import { CertificatePool } from './pool';
import { problem, shortName, toValidationProblems, withRule, type RawProblem, type ValidationProblem } from './problem';
import { loadBuiltInRoots } from './root-store';

export type { ValidationProblem } from './problem';
export type { PeerName } from './check';

/** What to validate for. */
export interface ValidationOptions {
  /** When to validate (default: now). Compared at one-second granularity (RFC 5280 §4.1.2.5). */
  time?: Date;
  /** The DNS name or IP literal clients connect to; checked against the leaf's SANs. */
  hostname?: string;
  /** An e-mail address (RFC 822) the leaf must name (RFC 5280 §7.5 matching). */
  email?: string;
  /** Further names the leaf must cover, each by its kind. */
  peerNames?: readonly PeerName[];
  /** The extended key usage the leaf must allow (default serverAuth, the appliance's use). */
  purpose?: 'serverAuth' | 'clientAuth';
  /** Extended key usages (OIDs) the leaf must all allow; overrides `purpose`. */
  extendedKeyUsages?: readonly string[];
  /** Key usages the leaf's key must allow when it has a keyUsage extension (RFC 5280 §4.2.1.3). */
  keyUsages?: readonly KeyUsageName[];
  /** The signature algorithms (OIDs) accepted on the leaf and intermediates; default every one the verifier accepts. */
  signatureAlgorithms?: readonly string[];
  /** Most intermediates allowed in a path (default limits.maxIntermediates = 6, rustls-webpki). */
  maxIntermediates?: number;
  /**
   * Tells public suffixes, so that a wildcard directly over one (`*.co.uk`) is rejected
   * (CABF BR §3.2.2.6). Default: the Public Suffix List with both sections, from tldts
   * (names/public-suffix-list.ts), loaded only when a leaf has a wildcard name.
   */
  isPublicSuffix?: CheckSettings['isPublicSuffix'];
  /**
   * Roots a root program already vetted (e.g. the built-in Mozilla store): the rules marked
   * `exemptVettedRoots` (the CA/Browser Forum root profile and rules newer than those roots) are
   * not applied to them. By default the built-in store, loaded only when a root breaks one.
   */
  vettedRoots?: readonly Uint8Array[];
  signal?: AbortSignal;
}

export type ValidationResult =
  | { ok: true; path: Uint8Array[] }
  | { ok: false; problems: ValidationProblem[]; partialPath?: Uint8Array[] };

/** Whether a certificate is byte for byte one of `roots`. */
function vettedRootCheck(roots: readonly Uint8Array[]): (cert: Certificate) => boolean {
  const byLength = new Map<number, Uint8Array[]>();
  for (const r of roots) byLength.set(r.length, [...(byLength.get(r.length) ?? []), r]);
  return (cert) => (byLength.get(cert.der.length) ?? []).some((r) => equalBytes(r, cert.der));
}

/** The check settings of a validation. */
export function checkSettings(options: ValidationOptions): CheckSettings {
  const purposes = options.extendedKeyUsages ?? [options.purpose === 'clientAuth' ? OID.clientAuth : OID.serverAuth];
  const peerNames: PeerName[] = [...(options.peerNames ?? [])];
  if (options.hostname !== undefined) peerNames.push({ kind: parseIpAddress(options.hostname) ? 'ip' : 'dns', value: options.hostname });
  if (options.email !== undefined) peerNames.push({ kind: 'email', value: options.email });
  const s: CheckSettings = {
    now: Math.floor((options.time ?? new Date()).getTime() / 1000),
    purposes,
    webPkiServer: purposes.includes(OID.serverAuth),
    peerNames,
    keyUsages: (options.keyUsages ?? []).map((u) => KEY_USAGE_NAMES.indexOf(u)),
  };
  if (options.signatureAlgorithms) s.signatureAlgorithms = new Set(options.signatureAlgorithms);
  if (options.isPublicSuffix) s.isPublicSuffix = options.isPublicSuffix;
  if (options.vettedRoots?.length) s.isVettedRoot = vettedRootCheck(options.vettedRoots);
  return s;
}

/** Everything one validation found, for buildAndValidate and chainStatus. */
export interface Evaluation {
  ok: boolean;
  path?: Certificate[];
  problems: RawProblem[];
  /** The problems of the certificate itself, whatever its chain. */
  subjectProblems: RawProblem[];
  /** The path found, or the longest verified partial path when none reached a trust anchor. */
  partialPath: Certificate[];
  outcome: PathBuildOutcome<RawProblem>;
}

/**
 * The roots exempt from the `exemptVettedRoots` rules when the caller named none: the built-in
 * Mozilla store, loaded only when a trust anchor actually broke one (rare: a few roots predate
 * the rules, such as QuoVadis Root CA 2).
 */
export async function vettedRootsFor(problems: readonly RawProblem[], given: readonly Uint8Array[] | undefined): Promise<readonly Uint8Array[] | undefined> {
  if (given || !problems.some((p) => p.vettedRootsExempt)) return undefined;
  return (await loadBuiltInRoots()).roots;
}

/** What path building found when no path passed: the reasons, most specific first. */
function buildProblems(outcome: PathBuildOutcome<RawProblem>, leaf: Certificate, maxIntermediates: number): RawProblem[] {
  const problems: RawProblem[] = [];
  if (outcome.budgetExhausted) {
    const what = { 'signature-checks': `${limits.maxChainSignatureChecks} signature checks`, 'path-build-calls': `${limits.maxPathBuildCalls} path-building steps`, 'name-constraint-checks': `${limits.maxNameConstraintChecks} name-constraint comparisons` }[outcome.budgetExhausted];
    problems.push(problem('work-limit-reached', leaf, { expected: what }));
  }
  if (outcome.pathProblems) problems.push(...outcome.pathProblems);
  else if (outcome.reported) problems.push(...outcome.reported.problems);
  else for (const c of outcome.candidateProblems) problems.push(...c.problems);
  if (problems.length > 0) return problems;
  for (const f of outcome.signatureFailures)
    if (!f.check.ok) problems.push({ code: f.check.code, cert: f.cert, message: `\u201c${shortName(f.cert.subject)}\u201d is not accepted: ${f.check.reason} (\u201c${shortName(f.issuer.subject)}\u201d).` });
  if (outcome.depthExceeded) problems.push(problem('too-many-intermediates', leaf, { expected: String(maxIntermediates) }));
  const top = outcome.longest[outcome.longest.length - 1]!;
  problems.push(problem('no-trusted-root', top, { expected: shortName(top.issuer) }));
  return problems;
}

/** Whether the leaf names a wildcard, the only case that needs the public-suffix check. */
function hasWildcardName(cert: Certificate): boolean {
  return hasWildcard(presentedNames(subjectAltNames(cert) ?? []));
}

/**
 * Builds and validates from already-parsed certificates (used by chain-status.ts too). `role`
 * `ca-subject`: the certificate is a CA judged on its own (its rules are an intermediate's).
 */
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
  const s = checkSettings(options);
  const subjectRole = role === 'leaf' ? 'leaf' : 'intermediate';
  const subjectProblems = certificateProblems(leaf, subjectRole, s);
  const budget = new Budget();
  const verdict = (problems: RawProblem[]): CandidateVerdict<RawProblem> => ({ ok: problems.length === 0, problems });
  const maxIntermediates = options.maxIntermediates ?? limits.maxIntermediates;
  const outcome = await buildPath<RawProblem>(
    leaf,
    anchors,
    intermediates,
    {
      checkIntermediate: (c) => verdict(certificateProblems(c, 'intermediate', s)),
      // A trusted CA that is not self-issued (an intermediate someone trusts) is no root: the
      // root profile (BR §7.1.2.1) does not bind it, the CA rules do.
      checkAnchor: (c) => verdict(certificateProblems(c, c.selfIssued ? 'root' : 'intermediate', s)),
      checkLink: (c, issuer) => verdict(linkProblems(c, issuer, c === leaf ? subjectRole : 'intermediate', s)),
      checkPath: (path) => verdict(pathProblems(path, role === 'ca-subject', budget)),
    },
    { maxIntermediates, budget, ...(options.signal ? { signal: options.signal } : {}) },
  );
  throwIfAborted(options.signal);
  const problems = [...subjectProblems, ...(outcome.path ? [] : buildProblems(outcome, leaf, maxIntermediates))];
  if (problems.length === 0) return { ok: true, path: outcome.path!, problems, subjectProblems, partialPath: outcome.path!, outcome };
  const vetted = await vettedRootsFor(problems, options.vettedRoots);
  if (vetted) return evaluate(leaf, anchors, intermediates, { ...options, vettedRoots: vetted }, role);
  return { ok: false, problems, subjectProblems, partialPath: outcome.path ?? outcome.reported?.path ?? outcome.longest, outcome };
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
  if (!(error instanceof MalformedCertificateError)) throw error;
  if (error.part === 'validity') return withRule(problem('malformed-time', undefined, { found: error.detail }));
  return withRule({ code: error.code, message: error.message });
}

/**
 * Builds a path from `leaf` through `pool.intermediates` to one of `pool.roots` and validates it
 * like a strict TLS client (RFC 5280 §6.1 + the CA/Browser Forum Web PKI profile), trying
 * alternative paths when one fails. Work is bounded by the budgets in limits.ts; running out is
 * a problem (`work-limit-reached`), not a hang. Never throws for bad certificates; throws
 * AbortError when `options.signal` is aborted, and CertdeskError
 * `public-suffix-list-unavailable` when a wildcard leaf needs the lazily loaded Public Suffix
 * List and it cannot be loaded.
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
