/**
 * Certificates and certificate requests as stored, and what is derived from them when read:
 * the guide's kind (server / intermediate / root), validity now, and a quick name-based chain
 * shape for lists. The chain shape only follows issuer names; the readiness check validates
 * signatures and dates properly before anything is assigned.
 */
import type { CertificateFacts } from './certificate-facts';

/** How the certificate came into the workspace. */
export type CertificateSource = 'factory-default' | 'self-signed' | 'imported' | 'built-in-store' | 'replicated' | 'restored';

/** One certificate on one appliance. */
export interface CertificateEntry {
  /** `${applianceId}:${sha256}`: the same certificate may live on several appliances. */
  id: string;
  applianceId: string;
  sha256: string;
  friendlyName: string;
  der: Uint8Array;
  facts: CertificateFacts;
  /** The key this certificate is linked to: "Private Key: Available". */
  keyId?: string;
  /** The certificate every appliance ships with ("Bomgar Appliance" in the guide). */
  factoryDefault: boolean;
  source: CertificateSource;
  importedAt: number;
  /** The certificate that replaced this one (replacement.ts); it stays listed, marked Replaced, until deleted. */
  replacedBy?: string;
  replacedAt?: number;
}

import type { SubjectInput } from '../pki/names/subject-input';

/** The subject fields of the guide's Create form (one definition, in the core's names module). */
export type { SubjectInput };

/** A certificate signing request and the key it was made with. */
export interface RequestEntry {
  id: string;
  applianceId: string;
  keyId: string;
  friendlyName: string;
  subject: SubjectInput;
  subjectAltNames: string[];
  /** The CSR's DER ("Request Data" in the guide). */
  der: Uint8Array;
  createdAt: number;
  /** Id of the first certificate that answered it. */
  fulfilledBy?: string;
  /** The certificate this request re-keys: its reply renews that certificate. */
  rekeyOf?: string;
}

/** The id of a certificate on an appliance. */
export function certificateId(applianceId: string, sha256: string): string {
  return `${applianceId}:${sha256}`;
}

/** The guide's three kinds: a root has identical Issued To and Issued By. */
export type CertificateKind = 'server' | 'intermediate' | 'root';

export function certificateKind(facts: CertificateFacts): CertificateKind {
  // A v1 or extension-less self-issued certificate without names acts as a root (old CA roots).
  const actsAsCa = facts.isCa || (facts.selfIssued && facts.dnsNames.length === 0 && facts.ipAddresses.length === 0);
  if (!actsAsCa) return 'server';
  return facts.selfIssued ? 'root' : 'intermediate';
}

export type ValidityNow = 'valid' | 'expired' | 'not-yet-valid';

export function validityAt(facts: CertificateFacts, now: number): ValidityNow {
  if (now < facts.notBefore) return 'not-yet-valid';
  if (now > facts.notAfter) return 'expired';
  return 'valid';
}

/** Quick chain shape from names and key identifiers: what the certificate list shows. */
export type ChainShape = 'complete' | 'missing-intermediate' | 'missing-root';

/** Whether `issuer` could have issued `child` (names match; key ids too when both carry them). */
export function mayHaveIssued(issuer: CertificateFacts, child: CertificateFacts): boolean {
  if (issuer.subjectKey !== child.issuerKey) return false;
  if (child.authorityKeyId && issuer.subjectKeyId) return child.authorityKeyId === issuer.subjectKeyId;
  return true;
}

/** Certificates grouped by subject name (RFC 5280 §7.1 comparison key), so following issuers stays fast over thousands. */
export type IssuerIndex = ReadonlyMap<string, readonly CertificateFacts[]>;

export function indexBySubject(pool: readonly CertificateFacts[]): IssuerIndex {
  return groupBy(pool, (facts) => facts.subjectKey);
}

/** Items in buckets by key, in their original order (Map.groupBy, which Node 20 lacks). */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const bucket = groups.get(key);
    if (bucket) bucket.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * Follows issuers through `pool` from `leaf` up to a self-issued certificate. The guide: a missing
 * link is usually the intermediate the CA sent separately; once an intermediate is found, what
 * is still missing is the root ("Many certificate authorities do not send the root").
 */
export function chainShape(
  leaf: CertificateFacts,
  pool: readonly CertificateFacts[] | IssuerIndex,
): { shape: ChainShape; path: string[] } {
  const index = Array.isArray(pool) ? indexBySubject(pool as readonly CertificateFacts[]) : (pool as IssuerIndex);
  const path = [leaf.sha256];
  let current = leaf;
  // RFC 4158 §5.2: never revisit a certificate; 8 links is past any real chain (webpki: 6 intermediates).
  for (let depth = 0; depth < 8; depth++) {
    if (current.selfIssued) return { shape: 'complete', path };
    const child = current;
    const issuer = index.get(child.issuerKey)?.find((c) => !path.includes(c.sha256) && mayHaveIssued(c, child));
    if (!issuer) return { shape: current === leaf ? 'missing-intermediate' : 'missing-root', path };
    path.push(issuer.sha256);
    current = issuer;
  }
  return { shape: 'missing-root', path };
}
