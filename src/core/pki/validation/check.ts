/**
 * What a check is: a small function keyed by the code of the rule it applies (rules.ts), run on
 * the certificates the rule's `appliesTo` names. The table says where a rule comes from, whom it
 * binds and what the admin reads; a check only says whether, and with which facts, it is broken.
 */
import type { PublicSuffixCheck } from '../names/hostname';
import type { Certificate, DistinguishedName, SubjectPublicKeyInfo } from '../x509';
import type { GeneralName } from '../names/general-name';
import type { Detail } from './problem';

/** The role a certificate plays in a path; the rules differ per role. */
export type Role = 'leaf' | 'intermediate' | 'root';

/** A name the leaf must cover: a host name, an IP address, or an e-mail address (RFC 822). */
export interface PeerName {
  kind: 'dns' | 'ip' | 'email';
  value: string;
}

/** What a validation is for, as the checks read it. */
export interface CheckSettings {
  /** The validation time, in seconds (RFC 5280 §4.1.2.5: one-second granularity). */
  now: number;
  /** Extended key usages the leaf (and each CA, nested) must allow, as OIDs. */
  purposes: readonly string[];
  /** serverAuth is among the purposes: the CA/Browser Forum profile of TLS server certificates applies. */
  webPkiServer: boolean;
  peerNames: readonly PeerName[];
  /** keyUsage bits (RFC 5280 §4.2.1.3 numbering) the leaf's key must allow when it has the extension. */
  keyUsages: readonly number[];
  /** Signature algorithm OIDs the caller accepts; undefined: every one the verifier accepts. */
  signatureAlgorithms?: ReadonlySet<string>;
  isPublicSuffix?: PublicSuffixCheck;
  /** Tells Internal Names (CABF BR §1.6.1); given to lint only. */
  isInternalName?: (name: string) => boolean;
  isVettedRoot?: (cert: Certificate) => boolean;
}

/** A check's answer: broken (true, or the facts for the sentence, once or several times) or not. */
export type CheckResult = boolean | undefined | Detail | readonly Detail[];

/** A rule applied to one certificate in its role. */
export type CertificateCheck = (cert: Certificate, role: Role, s: CheckSettings) => CheckResult;

/** A rule applied to a certificate and the issuer it is checked against; reported on the certificate. */
export type LinkCheck = (cert: Certificate, issuer: Certificate, role: Role, s: CheckSettings) => CheckResult;

/** What a certificate and a certificate request both have: a subject, a key and (maybe) SANs. */
export interface NamedKey {
  subject: DistinguishedName;
  spki: SubjectPublicKeyInfo;
  /** undefined: no subjectAltName at all. */
  sans: readonly GeneralName[] | undefined;
}

/** A rule applied to what certificates and requests share (keys, names). */
export type NamedKeyCheck = (holder: NamedKey) => CheckResult;

/** The details of a result: none when not broken. */
export function detailsOf(result: CheckResult): readonly Detail[] {
  if (!result) return [];
  if (result === true) return [{}];
  return Array.isArray(result) ? result : [result as Detail];
}

/** `found` for each item, or false when there are none. */
export function each(found: readonly string[]): CheckResult {
  return found.length > 0 && found.map((f) => ({ found: f }));
}

/** Seconds to an ISO date without milliseconds, as certificates state them. */
export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
