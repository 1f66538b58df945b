/**
 * Failover: "the primary and backup appliances must have identical SSL certificates for failover
 * to be successful", one certificate covering each appliance's hostname and the site hostname,
 * replicated with its key and chain. This check names every difference.
 */
import type { Problem } from '../errors';
import type { Appliance } from './appliance';
import type { CertificateEntry } from './certificate-entry';
import { chainShape } from './certificate-entry';
import type { PublicSuffixCheck } from '../pki/names/hostname';
import { coversName } from '../pki/names/match';
import type { IpAssignment } from './ip-assignment';

/** One appliance's certificates and assignments, as the check needs them. */
export interface ServingState {
  appliance: Appliance;
  certificates: readonly CertificateEntry[];
  assignments: readonly IpAssignment[];
  /** Ids of keys stored on this appliance (a certificate with keyId in here has its key). */
  keyIds: ReadonlySet<string>;
}

function served(state: ServingState): CertificateEntry[] {
  const ids = new Set(state.assignments.filter((a) => a.applianceId === state.appliance.id).map((a) => a.certificateId));
  return state.certificates.filter((c) => ids.has(c.id));
}

/**
 * Every difference that would break failover; empty when the pair serves identical certificates.
 * `isPublicSuffix` (names/public-suffix.ts publicSuffixCheckFor) is needed for wildcard SANs:
 * without it a wildcard covers nothing.
 */
export function compareFailover(primary: ServingState, backup: ServingState, isPublicSuffix?: PublicSuffixCheck): Problem[] {
  const out: Problem[] = [];
  const p = primary.appliance;
  const b = backup.appliance;
  if (p.role !== 'primary') out.push({ code: 'wrong-role', message: `${p.name} is not marked as the primary appliance.` });
  if (b.role !== 'backup') out.push({ code: 'wrong-role', message: `${b.name} is not marked as the backup appliance.` });
  if (p.siteHostname !== b.siteHostname) {
    out.push({
      code: 'site-hostname-differs',
      message: `${p.name} uses site hostname ${p.siteHostname} but ${b.name} uses ${b.siteHostname}.`,
    });
  }
  const pServed = served(primary);
  const bServed = served(backup);
  for (const [state, list] of [[primary, pServed], [backup, bServed]] as const) {
    for (const cert of list.filter((c) => c.factoryDefault)) {
      out.push({
        code: 'factory-default-served',
        message: `${state.appliance.name} still serves its factory default certificate "${cert.friendlyName}"; each appliance has its own, so the pair cannot be identical.`,
      });
    }
  }
  for (const cert of pServed.filter((c) => !c.factoryDefault)) {
    const onBackup = backup.certificates.find((c) => c.sha256 === cert.sha256);
    if (!onBackup) {
      out.push({ code: 'missing-on-backup', message: `"${cert.friendlyName}" served by ${p.name} is not on ${b.name}. Replicate it with its key and chain.` });
      continue;
    }
    if (!bServed.some((c) => c.sha256 === cert.sha256)) {
      out.push({ code: 'not-served-on-backup', message: `"${cert.friendlyName}" is on ${b.name} but not assigned to any of its IP addresses.` });
    }
    if (!onBackup.keyId || !backup.keyIds.has(onBackup.keyId)) {
      out.push({ code: 'key-missing-on-backup', message: `${b.name} has "${cert.friendlyName}" without its private key. Import the .p12 exported from ${p.name}.` });
    }
    const chain = chainShape(cert.facts, primary.certificates.map((c) => c.facts)).path.slice(1);
    for (const sha of chain) {
      if (!backup.certificates.some((c) => c.sha256 === sha)) {
        const issuer = primary.certificates.find((c) => c.sha256 === sha);
        out.push({ code: 'chain-missing-on-backup', message: `${b.name} lacks "${issuer?.friendlyName ?? sha}" from the chain of "${cert.friendlyName}".` });
      }
    }
    for (const host of [p.siteHostname, p.hostname, b.hostname]) {
      if (!coversName(cert.facts, host, isPublicSuffix)) {
        out.push({ code: 'hostname-not-covered', message: `"${cert.friendlyName}" does not cover ${host}; the failover certificate must cover the site hostname and each appliance's hostname.` });
      }
    }
  }
  for (const cert of bServed.filter((c) => !c.factoryDefault)) {
    if (!pServed.some((c) => c.sha256 === cert.sha256)) {
      out.push({ code: 'not-served-on-primary', message: `${b.name} serves "${cert.friendlyName}", which ${p.name} does not serve.` });
    }
  }
  return out;
}
