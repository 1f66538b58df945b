/**
 * Which certificate a new one renews. The guide: "When a certificate is renewed, the original
 * certificate data is used" and the renewal "can be identified by its Expiration, since this
 * will be a later date than the original certificate". So a server certificate renews another
 * of the same appliance when it expires later and either has the same key (a renewal of the same
 * request), or the same subject and the same Subject Alternative Names (a re-key or a re-issue
 * from another CA), or it answers a re-key request made from that certificate.
 */
import type { CertificateFacts } from './certificate-facts';
import { certificateKind } from './certificate-entry';
import type { SubjectInput } from './certificate-entry';

/** What the renewal check needs to know about each certificate of the appliance. */
export interface RenewalCandidate {
  id: string;
  facts: CertificateFacts;
  factoryDefault: boolean;
  /** The certificate serves at least one IP address. */
  inUse: boolean;
  /** The certificate was replaced by another one (it stays listed until deleted). */
  replaced: boolean;
}

/** The dNSName and iPAddress entries as one comparable text, in any order (CertificateFacts keeps them normalised). */
function namesKey(facts: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>): string {
  // One DNS name, the common case, without building a set to sort.
  if (facts.ipAddresses.length === 0 && facts.dnsNames.length === 1) return `dns:${facts.dnsNames[0]}`;
  return [...new Set(facts.dnsNames.map((n) => `dns:${n}`)), ...new Set(facts.ipAddresses.map((n) => `ip:${n}`))].sort().join('\n');
}

/** Same dNSName and iPAddress entries, in any order. */
export function sameNames(a: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>, b: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>): boolean {
  return namesKey(a) === namesKey(b);
}

/**
 * The id of the certificate `certificate` renews among `others`, or undefined. `rekeyOf` is the
 * certificate a re-key request of the certificate's key was made from, if any: it wins when it
 * is still there. Otherwise the candidate in use (and not replaced) is preferred, then the one
 * expiring latest. The factory default is never renewed: replacing it is the first assignment.
 */
export function renewalOf(certificate: RenewalCandidate, others: readonly RenewalCandidate[], rekeyOf?: string): string | undefined {
  const all = [certificate, ...others.filter((other) => other.id !== certificate.id)];
  return renewals(all, (c) => (c === certificate ? rekeyOf : undefined)).get(certificate.id);
}

/** Candidates first by rank (in use and not replaced, then neither, then replaced), then latest expiry, then id. */
const rank = (c: RenewalCandidate) => (c.inUse && !c.replaced ? 2 : c.replaced ? 0 : 1);
const better = (a: RenewalCandidate, b: RenewalCandidate) =>
  rank(a) - rank(b) || a.facts.notAfter - b.facts.notAfter || b.id.localeCompare(a.id);

/**
 * For each certificate of `group`, the best candidate among those of `group` that expire strictly
 * earlier, kept in `into` unless it holds a better one (from another group): one sweep in order
 * of expiry, keeping the best seen of each rank.
 */
function* bestEarlier(group: readonly RenewalCandidate[], into: Map<string, RenewalCandidate>): Generator<void, void> {
  const sorted = [...group].sort((a, b) => a.facts.notAfter - b.facts.notAfter);
  const best: (RenewalCandidate | undefined)[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.facts.notAfter === sorted[i]!.facts.notAfter) j++;
    const answer = best[2] ?? best[1] ?? best[0];
    if (answer) {
      for (let k = i; k < j; k++) {
        const held = into.get(sorted[k]!.id);
        if (!held || better(answer, held) > 0) into.set(sorted[k]!.id, answer);
      }
    }
    for (let k = i; k < j; k++) {
      const c = sorted[k]!;
      const held = best[rank(c)];
      if (!held || better(c, held) > 0) best[rank(c)] = c;
    }
    // A group of thousands (one key renewed again and again) is swept in steps too.
    if (Math.floor(j / STEP) > Math.floor(i / STEP)) yield;
    i = j;
  }
}

/**
 * What every certificate of an appliance renews (renewalOf's answer for each), by id: the
 * candidates are grouped by key and by subject and names, and each group swept once in order of
 * expiry — O(n log n), where comparing every pair takes minutes at thousands of certificates.
 */
export function renewals(all: readonly RenewalCandidate[], rekeyOf: (certificate: RenewalCandidate) => string | undefined = () => undefined): Map<string, string> {
  const steps = renewalSteps(all, rekeyOf);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Candidates handled between two pauses of `renewalSteps`. */
const STEP = 500;

/**
 * `renewals` as steps: the generator yields every few hundred candidates and after each sweep,
 * so a caller on the page's thread can let other tasks run between steps (the read model does,
 * at thousands of certificates); its return value is `renewals`' answer.
 */
export function* renewalSteps(all: readonly RenewalCandidate[], rekeyOf: (certificate: RenewalCandidate) => string | undefined = () => undefined): Generator<void, Map<string, string>> {
  const eligible = all.filter((c) => !c.factoryDefault && certificateKind(c.facts) === 'server');
  const eligibleIds = new Set(eligible.map((c) => c.id));
  // A renewal has the same key, or the same subject and the same (non-empty) names. Grouped by
  // the texts the facts hold (no key text built per certificate); the names of a subject are
  // compared only where two certificates share it. Which group is swept first does not matter:
  // `bestEarlier` keeps the better of two answers.
  const byKey = new Map<string, RenewalCandidate[]>();
  const bySubject = new Map<string, RenewalCandidate[]>();
  for (const [i, c] of eligible.entries()) {
    add(byKey, c.facts.publicKeySha256, c);
    if (c.facts.dnsNames.length > 0 || c.facts.ipAddresses.length > 0) add(bySubject, c.facts.subjectKey, c);
    if (i % STEP === STEP - 1) yield;
  }
  const found = new Map<string, RenewalCandidate>();
  let swept = 0;
  for (const group of groupsOfTwoOrMore(byKey, bySubject)) {
    yield* bestEarlier(group, found);
    swept += group.length;
    if (swept >= STEP) {
      swept = 0;
      yield;
    }
  }
  const out = new Map<string, string>();
  for (const [i, c] of eligible.entries()) {
    if (i % STEP === STEP - 1) yield;
    const rekeyed = rekeyOf(c);
    if (rekeyed !== undefined && rekeyed !== c.id && eligibleIds.has(rekeyed)) {
      out.set(c.id, rekeyed);
      continue;
    }
    const best = found.get(c.id);
    if (best) out.set(c.id, best.id);
  }
  return out;
}

function add(groups: Map<string, RenewalCandidate[]>, key: string, c: RenewalCandidate): void {
  const group = groups.get(key);
  if (group) group.push(c);
  else groups.set(key, [c]);
}

/** The key groups, then each subject's groups by names, that hold two certificates or more (a group of one renews nothing). */
function* groupsOfTwoOrMore(byKey: Map<string, RenewalCandidate[]>, bySubject: Map<string, RenewalCandidate[]>): Generator<RenewalCandidate[]> {
  for (const group of byKey.values()) if (group.length > 1) yield group;
  for (const subject of bySubject.values()) {
    if (subject.length < 2) continue;
    const byNames = new Map<string, RenewalCandidate[]>();
    for (const c of subject) add(byNames, namesKey(c.facts), c);
    for (const group of byNames.values()) if (group.length > 1) yield group;
  }
}

/** The subject fields of the guide's Create form, in the order a re-key request prefills them. */
const FORM_FIELDS = ['C', 'ST', 'L', 'O', 'OU', 'CN'] as const;

/**
 * The Create form's subject from a certificate's subject attributes (short names as
 * distinguished-name.ts gives them): the first value of each field the form has. Attributes the
 * form does not have (e.g. serialNumber of an EV certificate) are not carried over; the CA
 * re-validates them anyway.
 */
export function subjectInputOf(attributes: readonly { type: string; value: string }[]): SubjectInput {
  const subject: SubjectInput = {};
  for (const field of FORM_FIELDS) {
    const value = attributes.find((a) => a.type === field)?.value;
    if (value !== undefined && value.trim() !== '') subject[field] = value;
  }
  return subject;
}
