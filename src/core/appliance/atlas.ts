/**
 * Atlas: "use a wildcard certificate that covers both your Bomgar site hostname and each traffic
 * node hostname" (otherwise adding nodes means rebuilding the client software). This check lists
 * every name the one certificate must cover and whether it does.
 */
import type { Appliance } from './appliance';
import type { CertificateFacts } from './certificate-facts';
import { coversName } from './certificate-facts';

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

/** Coverage of `facts` over the site hostname and every node's hostname and DNS names. */
export function atlasCoverage(
  facts: Pick<CertificateFacts, 'dnsNames' | 'ipAddresses'>,
  siteHostname: string,
  nodes: readonly Pick<Appliance, 'name' | 'hostname' | 'ipAddresses'>[],
): AtlasCoverage {
  const names: AtlasName[] = [{ name: siteHostname, covered: coversName(facts, siteHostname) }];
  const seen = new Set([siteHostname]);
  for (const node of nodes) {
    for (const name of [node.hostname, ...node.ipAddresses.map((e) => e.dnsName)]) {
      if (seen.has(name)) continue;
      seen.add(name);
      names.push({ name, node: node.name, covered: coversName(facts, name) });
    }
  }
  return { covered: names.every((n) => n.covered), names };
}
