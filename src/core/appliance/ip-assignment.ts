/**
 * Which certificate serves which IP address. The guide: "only one certificate at a time can be
 * assigned to an IP address", assigning moves the IP away from its old certificate, and "any time
 * you add a new IP address to your appliance, that address is assigned to the factory default
 * certificate".
 */
import { CertdeskError } from '../errors';
import type { Appliance } from './appliance';
import { checkedIpAddress } from './appliance';

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
