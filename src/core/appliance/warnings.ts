/**
 * The guide's smaller warnings, each a pure check that names what is wrong and what to do:
 * - the site hostname: "your Bomgar Appliance must have a valid SSL certificate installed that
 *   matches the hostname you have selected for your Bomgar site" — for every role, not only
 *   failover and Atlas;
 * - IP addresses in SANs: "Although certificates can include IP address SAN entries, this is not
 *   a recommended configuration in most cases" ("contact Bomgar Technical Support first");
 * - an Atlas traffic node the site's certificate does not cover: "adding traffic nodes that use
 *   different certificates may require a rebuild of the Bomgar software".
 * Name matching is the names module's (coversName): one answer to "does this name match".
 */
import type { Problem } from '../errors';
import type { PublicSuffixCheck } from '../pki/names/hostname';
import { coversName, type PresentedNames } from '../pki/names/match';
import type { Appliance } from './appliance';
import type { CertificateFacts } from './certificate-facts';

type ServerFacts = Pick<CertificateFacts, 'dnsNames' | 'ipAddresses' | 'isCa'>;

/**
 * The certificate does not cover the appliance's site hostname (a CA certificate is not
 * served, so it is never asked). Without `isPublicSuffix` a wildcard covers nothing (fail closed).
 */
export function siteHostnameProblem(
  certificate: { friendlyName: string; facts: ServerFacts },
  appliance: Pick<Appliance, 'name' | 'siteHostname'>,
  isPublicSuffix?: PublicSuffixCheck,
): Problem | undefined {
  if (certificate.facts.isCa) return undefined;
  if (coversName(certificate.facts, appliance.siteHostname, isPublicSuffix)) return undefined;
  return {
    code: 'site-hostname-not-covered',
    message: `"${certificate.friendlyName}" does not cover ${appliance.siteHostname}, the site hostname of ${appliance.name}. The vendor builds the client software only for a certificate that matches the site hostname; add it to the Subject Alternative Names of the next request.`,
  };
}

/** The certificate names IP addresses in its SANs, which the guide does not recommend. */
export function ipAddressSanProblem(certificate: { friendlyName: string; facts: Pick<PresentedNames, 'ipAddresses'> }): Problem | undefined {
  if (certificate.facts.ipAddresses.length === 0) return undefined;
  return {
    code: 'ip-address-san',
    message: `"${certificate.friendlyName}" lists IP address${certificate.facts.ipAddresses.length === 1 ? '' : 'es'} ${certificate.facts.ipAddresses.join(', ')} as Subject Alternative Name${certificate.facts.ipAddresses.length === 1 ? '' : 's'}. The guide does not recommend this: clients should reach the appliance by a DNS name. Contact technical support first if you need it.`,
  };
}

/** The names one Atlas node needs covered: its own hostname and the DNS names of its IP addresses. */
export function nodeNames(node: Pick<Appliance, 'hostname' | 'ipAddresses'>): string[] {
  return [...new Set([node.hostname, ...node.ipAddresses.map((entry) => entry.dnsName)])];
}

/**
 * Adding `node` to a site whose other appliances are served by `served` (the certificates that
 * serve their IP addresses): each name of the node that one of those certificates does not
 * cover means another certificate for the node, and so a rebuild of the client software.
 */
export function atlasNodeProblems(
  node: Pick<Appliance, 'name' | 'role' | 'hostname' | 'ipAddresses'>,
  served: readonly { friendlyName: string; facts: ServerFacts }[],
  isPublicSuffix?: PublicSuffixCheck,
): Problem[] {
  if (node.role !== 'atlas-node' || served.length === 0) return [];
  const problems: Problem[] = [];
  for (const certificate of served) {
    const missing = nodeNames(node).filter((name) => !coversName(certificate.facts, name, isPublicSuffix));
    if (missing.length === 0) continue;
    problems.push({
      code: 'atlas-rebuild-needed',
      message: `"${certificate.friendlyName}", which serves the other appliances of this site, does not cover ${missing.join(', ')} of ${node.name}. A traffic node with another certificate needs a rebuild of the client software (the guide); use a wildcard certificate that covers every node, or send a support package for the rebuild.`,
    });
  }
  return problems;
}
