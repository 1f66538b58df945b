/**
 * Replacing a certificate in use by its renewal or re-keyed successor — the guide's "select the
 * IP addresses which are currently assigned to the old certificate" and "The old certificate may
 * be removed" — as one plan the admin previews before anything changes: for each IP address and
 * hostname, coverage before and after; the chain and its root against the client software;
 * expiry before and after. The old certificate stays, marked replaced, until deleted.
 */
import { CertdeskError } from '../errors';
import type { Problem } from '../errors';
import type { PublicSuffixCheck } from '../pki/names/hostname';
import { coversName } from '../pki/names/match';
import type { Appliance } from './appliance';
import type { CertificateEntry } from './certificate-entry';
import { certificateKind } from './certificate-entry';
import type { IpAssignment, IpMove } from './ip-assignment';
import type { ChainCheck } from './readiness';

/** Coverage of one name before (old certificate) and after (new certificate). */
export interface CoverageChange {
  before: boolean;
  after: boolean;
}

/** One side of the chain comparison. */
export interface ChainSide {
  /** The chain is complete and valid now. */
  valid: boolean;
  rootSha256?: string;
  /** The root is built into the appliance's installed client software. */
  rootInClientSoftware: boolean;
  problems: Problem[];
}

export interface ReplacementPlan {
  oldId: string;
  newId: string;
  /** The IP addresses the old certificate serves, each with its DNS name. */
  ips: (CoverageChange & { ip: string; dnsName: string })[];
  /** The site hostname and the appliance's own hostname. */
  hostnames: (CoverageChange & { name: string; what: 'site hostname' | 'appliance hostname' })[];
  chain: { before: ChainSide; after: ChainSide };
  expiry: { before: number; after: number };
  /** The assignments that move, old → new. */
  moves: IpMove[];
}

export interface ReplacementInput {
  appliance: Appliance;
  assignments: readonly IpAssignment[];
  oldCertificate: CertificateEntry;
  newCertificate: CertificateEntry;
  oldChain: ChainCheck;
  newChain: ChainCheck;
  isPublicSuffix?: PublicSuffixCheck;
}

function invalid(message: string): CertdeskError {
  return new CertdeskError('invalid-replacement', message);
}

function side(chain: ChainCheck, appliance: Appliance): ChainSide {
  if (!chain.ok) return { valid: false, rootInClientSoftware: false, problems: chain.problems };
  return { valid: true, rootSha256: chain.rootSha256, rootInClientSoftware: appliance.clientSoftware.roots.includes(chain.rootSha256), problems: [] };
}

/**
 * The plan of replacing `oldCertificate` by `newCertificate`. Throws CertdeskError
 * 'invalid-replacement' when they are the same, live on different appliances, either is a CA
 * certificate, or the old one is the factory default (its addresses are assigned with Assign IP).
 */
export function planReplacement(input: ReplacementInput): ReplacementPlan {
  const { appliance, oldCertificate: old, newCertificate: next } = input;
  if (old.id === next.id) throw invalid('A certificate cannot replace itself. Choose the certificate it renews.');
  if (old.applianceId !== appliance.id || next.applianceId !== appliance.id) {
    throw invalid('Both certificates must be on the same appliance. Replicate the new certificate to this appliance first.');
  }
  if (certificateKind(old.facts) !== 'server' || certificateKind(next.facts) !== 'server') {
    throw invalid('Only server certificates serve IP addresses; intermediate and root certificates are not replaced this way.');
  }
  if (old.factoryDefault) {
    throw invalid('The factory default certificate stays on the appliance. Use Assign IP on the new certificate to take its addresses.');
  }
  const served = input.assignments.filter((a) => a.applianceId === appliance.id && a.certificateId === old.id).map((a) => a.ip);
  const covers = (facts: CertificateEntry['facts'], name: string) => coversName(facts, name, input.isPublicSuffix);
  const change = (name: string): CoverageChange => ({ before: covers(old.facts, name), after: covers(next.facts, name) });
  const ips = appliance.ipAddresses.filter((entry) => served.includes(entry.ip)).map((entry) => ({ ...entry, ...change(entry.dnsName) }));
  const hostnames: ReplacementPlan['hostnames'] = [{ name: appliance.siteHostname, what: 'site hostname', ...change(appliance.siteHostname) }];
  if (appliance.hostname !== appliance.siteHostname) hostnames.push({ name: appliance.hostname, what: 'appliance hostname', ...change(appliance.hostname) });
  return {
    oldId: old.id,
    newId: next.id,
    ips,
    hostnames,
    chain: { before: side(input.oldChain, appliance), after: side(input.newChain, appliance) },
    expiry: { before: old.facts.notAfter, after: next.facts.notAfter },
    moves: ips.map((entry) => ({ ip: entry.ip, from: old.id, to: next.id })),
  };
}

/** Coverage lost by the replacement: names the old certificate covers and the new one does not. */
export function coverageLost(plan: ReplacementPlan): string[] {
  return [...plan.ips.map((row) => ({ name: row.dnsName, ...row })), ...plan.hostnames]
    .filter((row) => row.before && !row.after)
    .map((row) => row.name)
    .filter((name, index, all) => all.indexOf(name) === index);
}

/** The event-log record of a replacement: one line each for before and after. */
export function replacementRecord(plan: ReplacementPlan, names: { old: string; new: string }): { message: string; before: string; after: string } {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const ips = plan.ips.map((row) => row.ip).join(', ') || 'no IP address';
  return {
    message: `Replaced "${names.old}" by "${names.new}"${plan.ips.length ? ` on ${ips}` : ''}.`,
    before: `${ips} served by "${names.old}" (expires ${iso(plan.expiry.before)})`,
    after: `${ips} served by "${names.new}" (expires ${iso(plan.expiry.after)})`,
  };
}
