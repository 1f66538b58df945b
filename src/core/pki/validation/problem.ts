/**
 * What validation and lint report: every problem carries its rule's code, the rule's sentence
 * (rules.ts), its sources, who enforces it and its verdict, so the viewer can say "Chrome
 * accepts this, but rustls-based clients will not" without a second table.
 */
import { sha256Hex } from '../asn1';
import { nameToString, type Certificate, type DistinguishedName } from '../x509';
import type { Enforcement, Rule, Source, Verdict } from './rule';
import { ruleFor } from './rules';
import { displayName } from '../names/display';

/** What a check found, for the rule's sentence: what was found and what was expected. */
export interface Detail {
  found?: string;
  expected?: string;
}

/** A problem before it is tied to a position in a path. */
export interface RawProblem {
  code: string;
  message: string;
  cert?: Certificate;
  /** Broken by a trust anchor, under a rule vetted roots are exempt from (rules.ts `exemptVettedRoots`). */
  vettedRootsExempt?: true;
}

/** One reason a certificate, chain or request is not acceptable (or, for lint, worth a look). */
export interface ValidationProblem {
  /** Stable kebab-case rule code, e.g. `expired`, `name-constraint-violation`. */
  code: string;
  /** A sentence for the admin: what is wrong and, where possible, what to do. */
  message: string;
  /** The certificate concerned; `index` is its position in the (partial) path, leaf = 0, or -1. */
  certificate?: { subject: string; sha256: string; index: number };
  /** Where the rule comes from (RFC 5280, the Baseline Requirements, a client's documentation). */
  sources: readonly Source[];
  /** Who refuses a certificate that breaks the rule. */
  enforcedBy: Enforcement;
  /** `reject`: clients refuse it; `warn`: lint, clients accept it. */
  verdict: Verdict;
}

/**
 * A name for a sentence: a hostile certificate can carry thousands of attributes, and bidi or
 * invisible characters that would make the sentence say something else (shown made visible).
 */
export function shortName(name: DistinguishedName): string {
  let text = shortNames.get(name);
  if (text === undefined) shortNames.set(name, (text = displayName(nameToString(name, 160)).text));
  return text;
}

/** Names are immutable parts of a parsed certificate, and messages name the same ones again and again. */
const shortNames = new WeakMap<DistinguishedName, string>();

/** A certificate (or request) named in a sentence: its subject, quoted. */
export function who(holder: { subject: DistinguishedName }): string {
  return `\u201c${shortName(holder.subject)}\u201d`;
}

/** The problem `rule` reports about `cert` (or about the request named `subject`). */
export function problemOf(rule: Rule, cert: Certificate | undefined, detail: Detail, subject = cert ? who(cert) : 'this certificate'): RawProblem {
  const message = rule.message({ subject, ...detail });
  return cert ? { code: rule.code, message, cert } : { code: rule.code, message };
}

/** The problem with code `code` (a rule of the table) about `cert`. */
export function problem(code: string, cert: Certificate | undefined, detail: Detail = {}): RawProblem {
  return problemOf(ruleFor(code), cert, detail);
}

/** A raw problem with its rule's sources, enforcement and verdict, and no certificate position. */
export function withRule(p: { code: string; message: string }): ValidationProblem {
  const rule = ruleFor(p.code);
  return { code: p.code, message: p.message, sources: rule.sources, enforcedBy: rule.enforcedBy, verdict: rule.verdict };
}

const fingerprints = new WeakMap<Certificate, Promise<string>>();
/** A certificate's SHA-256 fingerprint, computed once per parsed certificate. */
function fingerprint(cert: Certificate): Promise<string> {
  let sha = fingerprints.get(cert);
  if (!sha) fingerprints.set(cert, (sha = sha256Hex(cert.der)));
  return sha;
}

/** Ties raw problems to certificates in `path` (index) with their SHA-256 fingerprints, once each. */
export async function toValidationProblems(problems: readonly RawProblem[], path: readonly Certificate[]): Promise<ValidationProblem[]> {
  const seen = new Set<string>();
  const out: ValidationProblem[] = [];
  for (const r of problems) {
    const key = r.code + '|' + r.message;
    if (seen.has(key)) continue;
    seen.add(key);
    const p = withRule(r);
    if (r.cert) p.certificate = { subject: nameToString(r.cert.subject), sha256: await fingerprint(r.cert), index: path.indexOf(r.cert) };
    out.push(p);
  }
  return out;
}
