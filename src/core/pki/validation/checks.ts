/**
 * The checks, keyed by rule code, and how the table drives them: for a certificate in a role,
 * every rule whose `appliesTo` names that role runs its check; validation rules decide the
 * verdict, lint rules (`lint: ['certificate']`) are reported beside it. Rules vetted roots are
 * exempt from are skipped for a vetted trust anchor.
 */
import type { Certificate } from '../x509';
import { detailsOf, type CertificateCheck, type CheckSettings, type LinkCheck, type Role } from './check';
import { extensionChecks } from './checks-extensions';
import { fieldChecks, namedKeyOf } from './checks-fields';
import { keyChecks } from './checks-keys';
import { lintChecks } from './checks-lint';
import { nameChecks } from './checks-names';
import { linkChecks } from './checks-path';
import { coversName, presentedNames } from '../names/match';
import { subjectAltNames } from './certificate-view';
import { problemOf, who, type RawProblem } from './problem';
import type { Rule, Target } from './rule';
import { rules } from './rules';

/** RFC 5280 §7.5: the local part exactly, the domain in any case. */
function emailMatches(presented: string, reference: string): boolean {
  const a = presented.lastIndexOf('@');
  const b = reference.lastIndexOf('@');
  return a > 0 && b > 0 && presented.slice(0, a) === reference.slice(0, b) && presented.slice(a + 1).toLowerCase() === reference.slice(b + 1).toLowerCase();
}

/** Rules about the leaf and the names it must cover. */
const peerNameChecks: Record<string, CertificateCheck> = {
  'hostname-mismatch': (c, _, s) => {
    const names = presentedNames(subjectAltNames(c) ?? []);
    return s.peerNames.flatMap((p) => (p.kind !== 'email' && !coversName(names, p.value, s.isPublicSuffix) ? [{ expected: p.value }] : []));
  },
  'email-address-mismatch': (c, _, s) => {
    const mailboxes = (subjectAltNames(c) ?? []).flatMap((n) => (n.kind === 'email' ? [n.value] : []));
    return s.peerNames.flatMap((p) => (p.kind === 'email' && !mailboxes.some((m) => emailMatches(m, p.value)) ? [{ expected: p.value }] : []));
  },
};

/** Name and key checks on a certificate; the CN rules bind TLS server certificates only (BR §7.1.4.3). */
const SERVER_NAME_RULES = new Set(['common-name-not-in-san', 'multiple-common-names']);
const namedKeyChecks: Record<string, CertificateCheck> = Object.fromEntries(
  [...Object.entries(keyChecks), ...Object.entries(nameChecks)].map(([code, check]) => [
    code,
    ((c, _, s) => (!SERVER_NAME_RULES.has(code) || s.webPkiServer) && check(namedKeyOf(c), s)) satisfies CertificateCheck,
  ]),
);

/** Every check of one certificate in its role, by rule code. */
export const certificateChecks: Readonly<Record<string, CertificateCheck>> = { ...fieldChecks, ...extensionChecks, ...lintChecks, ...namedKeyChecks, ...peerNameChecks };

export { linkChecks };

/**
 * Codes reported elsewhere than by a certificate or link check: parsing (an unreadable
 * certificate or time), path building (the signature, no path, depth and work limits), the
 * whole-path checks (checks-path.ts `pathProblems`: path length, name constraints, policies) and
 * chain status (a self-signed server certificate).
 */
export const OUTCOME_CODES: ReadonlySet<string> = new Set([
  'malformed-certificate',
  'malformed-time',
  'bad-signature',
  'weak-signature-algorithm',
  'unsupported-signature-algorithm',
  'no-trusted-root',
  'too-many-intermediates',
  'work-limit-reached',
  'self-signed',
  'path-length-exceeded',
  'name-constraint-violation',
  'unprocessable-name-constraint',
  'no-valid-policy',
]);

type Kind = 'validation' | 'lint';
const isLint = (r: Rule) => r.lint?.includes('certificate') === true;

function pairs<C>(checks: Readonly<Record<string, C>>, target: Target, kind: Kind): [Rule, C][] {
  return rules.filter((r) => r.appliesTo.includes(target) && isLint(r) === (kind === 'lint') && checks[r.code]).map((r) => [r, checks[r.code]!]);
}

const memo = new Map<string, [Rule, unknown][]>();
/** The rules (with their checks) that apply to `target`, worked out once. */
function selected<C>(checks: Readonly<Record<string, C>>, name: string, target: Target, kind: Kind): [Rule, C][] {
  const key = `${name}|${target}|${kind}`;
  let list = memo.get(key);
  if (!list) memo.set(key, (list = pairs(checks, target, kind)));
  return list as [Rule, C][];
}

function run(found: RawProblem[], rule: Rule, cert: Certificate, role: Role, s: CheckSettings, result: ReturnType<CertificateCheck>): void {
  for (const detail of detailsOf(result)) {
    const p = problemOf(rule, cert, detail, who(cert));
    if (role === 'root' && rule.exemptVettedRoots) p.vettedRootsExempt = true;
    found.push(p);
  }
}

/** The problems of `cert` in `role` under the validation rules (or, `lint`, the lint rules). */
export function certificateProblems(cert: Certificate, role: Role, s: CheckSettings, kind: Kind = 'validation'): RawProblem[] {
  const found: RawProblem[] = [];
  const vetted = role === 'root' && s.isVettedRoot?.(cert) === true;
  for (const [rule, check] of selected(certificateChecks, 'certificate', role, kind)) {
    if (vetted && rule.exemptVettedRoots) continue;
    run(found, rule, cert, role, s, check(cert, role, s));
  }
  return found;
}

/** The problems of `cert` (in `role`) checked against `issuer`, reported on `cert`. */
export function linkProblems(cert: Certificate, issuer: Certificate, role: Role, s: CheckSettings, kind: Kind = 'validation'): RawProblem[] {
  const found: RawProblem[] = [];
  for (const [rule, check] of selected(linkChecks, 'link', role, kind)) run(found, rule, cert, role, s, check(cert, issuer, role, s));
  // Path rules that compare a certificate with its issuer are checked on the link too.
  for (const [rule, check] of selected(linkChecks, 'link', 'path', kind)) run(found, rule, cert, role, s, check(cert, issuer, role, s));
  return found;
}
