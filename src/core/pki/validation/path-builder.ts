/**
 * Path building (RFC 4158 §2–3, as rustls-webpki's verify_cert.rs): depth first from the leaf,
 * trying every candidate issuer by name (AKI/SKI only orders them), within the work budgets
 * strict clients use, until a path passes the caller's checks.
 */
import { throwIfAborted } from '../../errors';
import { equalBytes } from '../asn1';
import { verifyCertificateSignature, type SignatureCheck } from '../signatures';
import { certificateExtension, type Certificate } from '../x509';
import { Budget, BudgetExhausted } from './budget';
import type { CertificatePool } from './pool';

/** What the path builder reports back about a candidate issuer or a finished path. */
export interface CandidateVerdict<P> {
  ok: boolean;
  problems: P[];
}

export interface PathBuilderHooks<P> {
  /** Path-independent checks of a certificate used as an intermediate (cached by the caller). */
  checkIntermediate(cert: Certificate): CandidateVerdict<P>;
  /** Path-independent checks of a trust anchor used to end a path. */
  checkAnchor(cert: Certificate): CandidateVerdict<P>;
  /** Checks of `cert` against an issuer whose signature on it verifies (names, key identifiers). */
  checkLink(cert: Certificate, issuer: Certificate): CandidateVerdict<P>;
  /** Checks a whole candidate path leaf..anchor (path length, name constraints, names). */
  checkPath(path: Certificate[]): CandidateVerdict<P>;
}

export interface PathBuildOutcome<P> {
  path?: Certificate[];
  /** Problems of the first candidate path that reached a trust anchor but failed validation. */
  pathProblems?: P[];
  /**
   * When no path is acceptable: the first path to an anchor through issuers that have problems,
   * with every problem along it (of its issuers, their links and the whole path).
   */
  reported?: { path: Certificate[]; problems: P[] };
  /** Problems of issuers that were found but could not be used (their own, or of the link to them). */
  candidateProblems: { cert: Certificate; problems: P[] }[];
  /** Signature failures seen: the issuer was found by name but did not sign the certificate. */
  signatureFailures: { cert: Certificate; issuer: Certificate; check: SignatureCheck }[];
  /** The longest path of verified links that was found, leaf first. */
  longest: Certificate[];
  /** Set when too many intermediates would have been needed. */
  depthExceeded: boolean;
  budgetExhausted?: BudgetExhausted['budget'];
}

/** The keyIdentifier of the AKI (a hint only: RFC 5280 §4.2.1.1). */
function authorityKeyId(cert: Certificate): Uint8Array | undefined {
  return certificateExtension(cert, 'authorityKeyIdentifier')?.keyIdentifier;
}

function subjectKeyId(cert: Certificate): Uint8Array | undefined {
  return certificateExtension(cert, 'subjectKeyIdentifier')?.keyIdentifier;
}

/**
 * Builds paths from `leaf` to a certificate of `anchors`, depth first, trying every candidate
 * issuer (by name; AKI/SKI only orders them) until one path passes `hooks.checkPath`
 * (RFC 4158 §2–3). A (subject, key) pair never repeats in a path (RFC 4158 §5.2), which also
 * ends cross-signing loops. Stops with `budgetExhausted` when a budget runs out.
 */
export async function buildPath<P>(
  leaf: Certificate,
  anchors: CertificatePool,
  intermediates: CertificatePool,
  hooks: PathBuilderHooks<P>,
  options: { maxIntermediates: number; budget?: Budget; subtle?: SubtleCrypto; signal?: AbortSignal },
): Promise<PathBuildOutcome<P>> {
  let budget = options.budget ?? new Budget();
  // Keyed by the certificate object and the issuer's key: never by bytes an attacker could
  // repeat in a different certificate.
  const signatureCache = new Map<Certificate, Map<string, Promise<SignatureCheck>>>();
  const intermediateVerdicts = new Map<Certificate, CandidateVerdict<P>>();
  const anchorVerdicts = new Map<Certificate, CandidateVerdict<P>>();
  const outcome: PathBuildOutcome<P> = {
    candidateProblems: [],
    signatureFailures: [],
    longest: [leaf],
    depthExceeded: false,
  };
  const reportedCandidates = new Set<Certificate>();

  const verified = (cert: Certificate, issuer: Certificate): Promise<SignatureCheck> => {
    // Cached per (issuer key, certificate) within this build.
    let perCert = signatureCache.get(cert);
    if (!perCert) signatureCache.set(cert, (perCert = new Map()));
    let p = perCert.get(issuer.spki.sha256);
    if (!p) {
      budget.spendSignatureCheck();
      p = verifyCertificateSignature(cert, issuer, options.subtle ? { subtle: options.subtle } : {});
      perCert.set(issuer.spki.sha256, p);
    }
    return p;
  };

  const order = (cert: Certificate, list: Certificate[]): Certificate[] => {
    const aki = authorityKeyId(cert);
    if (!aki) return list;
    const score = (c: Certificate): number => {
      const ski = subjectKeyId(c);
      return !ski ? 1 : equalBytes(ski, aki) ? 0 : 2;
    };
    return [...list].sort((a, b) => score(a) - score(b));
  };

  const identities = new Set<string>();
  const identity = (c: Certificate): string => c.subjectKey + '|' + c.spki.sha256;

  const noteCandidate = (cert: Certificate, problems: P[]): void => {
    if (!reportedCandidates.has(cert)) {
      reportedCandidates.add(cert);
      outcome.candidateProblems.push({ cert, problems });
    }
  };
  /** The problems of `issuer` as the issuer of `cert`: its own, and those of the link. */
  const issuerProblems = (cert: Certificate, issuer: Certificate, verdicts: Map<Certificate, CandidateVerdict<P>>, check: (c: Certificate) => CandidateVerdict<P>): P[] => {
    let verdict = verdicts.get(issuer);
    if (!verdict) verdicts.set(issuer, (verdict = check(issuer)));
    const link = hooks.checkLink(cert, issuer);
    return link.ok ? verdict.problems : [...verdict.problems, ...link.problems];
  };

  /**
   * Extends `path` depth first. Strict (`lenient` false): only through issuers without problems,
   * until a path passes every check. Lenient: through any issuer whose signature verifies, until
   * the first path reaches an anchor; its problems (`carried` along it) are the report of why no
   * path is acceptable, as Chrome reports the best failing path.
   */
  const extend = async (path: Certificate[], carried: P[], lenient: boolean): Promise<boolean> => {
    budget.spendBuildCall();
    throwIfAborted(options.signal);
    const cert = path[path.length - 1]!;
    for (const anchor of order(cert, anchors.issuersOf(cert))) {
      // No (subject, key) twice in a path, the anchor included (RFC 4158 §5.2).
      if (identities.has(identity(anchor)) || identity(leaf) === identity(anchor)) continue;
      const check = await verified(cert, anchor);
      if (!check.ok) {
        if (!lenient) outcome.signatureFailures.push({ cert, issuer: anchor, check });
        continue;
      }
      const own = issuerProblems(cert, anchor, anchorVerdicts, hooks.checkAnchor);
      if (own.length && !lenient) {
        noteCandidate(anchor, own);
        continue;
      }
      const full = [...path, anchor];
      const result = hooks.checkPath(full);
      if (lenient) {
        outcome.reported = { path: full, problems: [...carried, ...own, ...result.problems] };
        return true;
      }
      if (result.ok) {
        outcome.path = full;
        return true;
      }
      if (!outcome.pathProblems) outcome.pathProblems = result.problems;
    }
    for (const candidate of order(cert, intermediates.issuersOf(cert))) {
      if (anchors.has(candidate)) continue;
      const id = identity(candidate);
      if (identities.has(id) || identity(leaf) === id) continue;
      if (path.length - 1 >= options.maxIntermediates) {
        if (!lenient) outcome.depthExceeded = true;
        continue;
      }
      const check = await verified(cert, candidate);
      if (!check.ok) {
        if (!lenient) outcome.signatureFailures.push({ cert, issuer: candidate, check });
        continue;
      }
      const own = issuerProblems(cert, candidate, intermediateVerdicts, hooks.checkIntermediate);
      const next = [...path, candidate];
      if (next.length > outcome.longest.length) outcome.longest = next;
      if (own.length && !lenient) {
        noteCandidate(candidate, own);
        continue;
      }
      identities.add(id);
      const done = await extend(next, own.length ? [...carried, ...own] : carried, lenient);
      identities.delete(id);
      if (done) return true;
    }
    return false;
  };

  // A certificate that is itself a trust anchor is its own path: RFC 5280 §6.1.1 (d) takes the
  // anchor as given (Go's Verify, pyca's ChainBuilder and rustls-webpki end there too).
  if (anchors.has(leaf)) {
    outcome.path = [leaf];
    return outcome;
  }
  try {
    await extend([leaf], [], false);
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    outcome.budgetExhausted = error.budget;
  }
  // Only an issuer with problems can lead to a path the strict pass did not reach; a complete
  // path that failed the path checks is already the report.
  if (!outcome.path && !outcome.budgetExhausted && !outcome.pathProblems && outcome.candidateProblems.length > 0) {
    // The report pass has budgets of its own, a tenth of the path-building steps; running out
    // only leaves the report out.
    budget = new Budget();
    budget.buildCalls = Math.floor(budget.buildCalls / 10);
    try {
      await extend([leaf], [], true);
    } catch (error) {
      if (!(error instanceof BudgetExhausted)) throw error;
    }
  }
  return outcome;
}
