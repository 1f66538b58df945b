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

/** Same dNSName and iPAddress entries, in any order (CertificateFacts keeps them normalised). */
export function sameNames(a: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>, b: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>): boolean {
  const key = (facts: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>) =>
    [...new Set(facts.dnsNames.map((n) => `dns:${n}`)), ...new Set(facts.ipAddresses.map((n) => `ip:${n}`))].sort().join('\n');
  return key(a) === key(b);
}

/** Whether `next` is a renewal of `previous` by key or by subject and names (not by expiry). */
export function renewsByContent(next: CertificateFacts, previous: CertificateFacts): boolean {
  if (next.publicKeySha256 === previous.publicKeySha256) return true;
  return next.subjectKey === previous.subjectKey && sameNames(next, previous) && (next.dnsNames.length > 0 || next.ipAddresses.length > 0);
}

/**
 * The id of the certificate `certificate` renews among `others`, or undefined. `rekeyOf` is the
 * certificate a re-key request of the certificate's key was made from, if any: it wins when it
 * is still there. Otherwise the candidate in use (and not replaced) is preferred, then the one
 * expiring latest. The factory default is never renewed: replacing it is the first assignment.
 */
export function renewalOf(certificate: RenewalCandidate, others: readonly RenewalCandidate[], rekeyOf?: string): string | undefined {
  if (certificate.factoryDefault || certificateKind(certificate.facts) !== 'server') return undefined;
  const eligible = others.filter((other) => other.id !== certificate.id && !other.factoryDefault && certificateKind(other.facts) === 'server');
  if (rekeyOf !== undefined && eligible.some((other) => other.id === rekeyOf)) return rekeyOf;
  const candidates = eligible.filter((other) => other.facts.notAfter < certificate.facts.notAfter && renewsByContent(certificate.facts, other.facts));
  const rank = (c: RenewalCandidate) => (c.inUse && !c.replaced ? 2 : c.replaced ? 0 : 1);
  candidates.sort((a, b) => rank(b) - rank(a) || b.facts.notAfter - a.facts.notAfter || a.id.localeCompare(b.id));
  return candidates[0]?.id;
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
