/**
 * Which certificate serves which IP address. The guide: "only one certificate at a time can be
 * assigned to an IP address", assigning moves the IP away from its old certificate, and "any time
 * you add a new IP address to your appliance, that address is assigned to the factory default
 * certificate".
 */
import { CertdeskError } from '../errors';
import type { Appliance } from './appliance';
import { checkedIpAddress } from './appliance';
import type { CertificateFacts } from './certificate-facts';
import type { PublicSuffixCheck } from '../pki/names/hostname';
import { coversName } from '../pki/names/match';

export interface IpAssignment {
  applianceId: string;
  ip: string;
  certificateId: string;
}

/** One IP moving from one certificate to another. */
export interface IpMove {
  ip: string;
  from: string | undefined;
  to: string;
}

/**
 * The assignments after giving `ips` to `certificateId` on `appliance`. Throws
 * 'unknown-ip-address' for an IP the appliance does not have, 'no-ip-addresses' for none.
 */
export function planAssignment(
  appliance: Appliance,
  current: readonly IpAssignment[],
  certificateId: string,
  ips: readonly string[],
): { assignments: IpAssignment[]; moves: IpMove[] } {
  if (ips.length === 0) {
    throw new CertdeskError('no-ip-addresses', 'Select at least one IP address for the certificate.');
  }
  const wanted = [...new Set(ips.map(checkedIpAddress))];
  for (const ip of wanted) {
    if (!appliance.ipAddresses.some((e) => e.ip === ip)) {
      throw new CertdeskError(
        'unknown-ip-address',
        `${appliance.name} has no IP address ${ip}. Add the address to the appliance first.`,
      );
    }
  }
  const moves: IpMove[] = [];
  const assignments: IpAssignment[] = [];
  for (const ip of wanted) {
    const old = current.find((a) => a.applianceId === appliance.id && a.ip === ip);
    if (old?.certificateId === certificateId) continue;
    moves.push({ ip, from: old?.certificateId, to: certificateId });
    assignments.push({ applianceId: appliance.id, ip, certificateId });
  }
  return { assignments, moves };
}

/** What the suggestion needs about each certificate of the appliance. */
export interface SuggestionCandidate {
  id: string;
  facts: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses' | 'isCa' | 'notBefore' | 'notAfter' | 'selfIssued'>;
  factoryDefault: boolean;
  keyAvailable: boolean;
  /** The quick chain shape reaches a root. */
  chainComplete: boolean;
  replaced: boolean;
}

/**
 * The certificate to suggest for a new IP address whose A-record is `dnsName`: the guide says
 * "the appropriate certificate is the one which has a subject alternative name (SAN) entry for
 * the DNS address". Among those that cover it, are valid at `now` and have their private key:
 * CA-signed before self-signed, a complete chain first, then the latest expiry. Never the
 * factory default (it already serves the address) nor a replaced certificate.
 */
export function suggestCertificate(
  certificates: readonly SuggestionCandidate[],
  dnsName: string,
  now: number,
  isPublicSuffix?: PublicSuffixCheck,
): string | undefined {
  const fitting = certificates.filter(
    (c) =>
      !c.factoryDefault &&
      !c.replaced &&
      !c.facts.isCa &&
      c.keyAvailable &&
      now >= c.facts.notBefore &&
      now <= c.facts.notAfter &&
      coversName(c.facts, dnsName, isPublicSuffix),
  );
  const score = (c: SuggestionCandidate) => (c.facts.selfIssued ? 0 : 2) + (c.chainComplete ? 1 : 0);
  fitting.sort((a, b) => score(b) - score(a) || b.facts.notAfter - a.facts.notAfter || a.id.localeCompare(b.id));
  return fitting[0]?.id;
}
