/**
 * Atlas: "use a wildcard certificate that covers both your Bomgar site hostname and each traffic
 * node hostname" (otherwise adding nodes means rebuilding the client software). This check lists
 * every name the one certificate must cover and whether it does.
 */
import type { Appliance } from './appliance';
import type { CertificateFacts } from './certificate-facts';
import type { PublicSuffixCheck } from '../pki/names/hostname';
import { coversName } from '../pki/names/match';

export interface AtlasName {
  name: string;
  /** The node the name belongs to; absent for the site hostname. */
  node?: string;
  covered: boolean;
}

export interface AtlasCoverage {
  covered: boolean;
  names: AtlasName[];
}

/**
 * Coverage of `facts` over the site hostname and every node's hostname and DNS names.
 * `isPublicSuffix` (names/public-suffix.ts publicSuffixCheckFor) is needed for wildcard SANs:
 * without it a wildcard covers nothing.
 */
export function atlasCoverage(
  facts: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>,
  siteHostname: string,
  nodes: readonly Pick<Appliance, 'name' | 'hostname' | 'ipAddresses'>[],
  isPublicSuffix?: PublicSuffixCheck,
): AtlasCoverage {
  const names: AtlasName[] = [{ name: siteHostname, covered: coversName(facts, siteHostname, isPublicSuffix) }];
  const seen = new Set([siteHostname]);
  for (const node of nodes) {
    for (const name of [node.hostname, ...node.ipAddresses.map((e) => e.dnsName)]) {
      if (seen.has(name)) continue;
      seen.add(name);
      names.push({ name, node: node.name, covered: coversName(facts, name, isPublicSuffix) });
    }
  }
  return { covered: names.every((n) => n.covered), names };
}
