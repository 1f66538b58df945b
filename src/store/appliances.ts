/**
 * Appliance actions: adding and changing appliances, and their IP addresses. Every new appliance
 * gets its own factory default key and certificate (appliance-factory.ts, where the first
 * start's default appliance is made), which serves all its IPs until another certificate is
 * assigned.
 */
import { CertdeskError } from '../core/errors';
import type { Appliance, ApplianceInput, IpAddress } from '../core/appliance/appliance';
import { createAppliance, checkedHostname, withIpAddress } from '../core/appliance/appliance';
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import { chainShape, indexBySubject } from '../core/appliance/certificate-entry';
import type { LeadTimes } from '../core/appliance/expiry-plan';
import { checkedLeadTimes } from '../core/appliance/expiry-plan';
import { suggestCertificate } from '../core/appliance/ip-assignment';
import { atlasNodeProblems, siteHostnameProblem } from '../core/appliance/warnings';
import type { Problem } from '../core/errors';
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { WorkspaceContext } from './context';
import { certificatesOf, getAppliance } from './context';
import { read, tx, writeAll } from './database';
import { factoryMaterial, putAppliance } from './appliance-factory';
import { STORE } from './schema';
import { indexedCertificatesOf } from './certificate-index';

/** Adds an appliance with its own factory default certificate serving all its IPs. */
export function addAppliance<K extends KeyMaterial>(ctx: WorkspaceContext<K>, input: ApplianceInput): Promise<Appliance> {
  return ctx.action('addAppliance', (a) => [a.id], async () => {
    // Validate before spending a key generation on bad input.
    createAppliance(input, { id: '', now: 0, factoryRootSha256: '' });
    const factory = await factoryMaterial(ctx, checkedHostname(input.hostname), input.name.trim());
    const appliance = createAppliance(input, { id: ctx.newId(), now: ctx.clock(), factoryRootSha256: factory.facts.sha256 });
    await tx(ctx.db, [STORE.appliances, STORE.keys, STORE.certificates, STORE.ipAssignments, STORE.events], async (t) => {
      await writeAll(putAppliance(ctx, t, appliance, factory));
    });
    return appliance;
  });
}

/** The appliance fields the admin edits on its card. */
export type AppliancePatch = Partial<Pick<Appliance, 'name' | 'role' | 'hostname' | 'siteHostname' | 'inProduction'>>;

/** Changes the appliance's name, role, hostnames or production flag. */
export function updateAppliance(ctx: WorkspaceContext, applianceId: string, patch: AppliancePatch): Promise<Appliance> {
  return ctx.action('updateAppliance', () => [applianceId], () =>
    tx(ctx.db, [STORE.appliances, STORE.events], async (t) => {
      const current = await getAppliance(t, applianceId);
      const merged = { ...current, ...patch };
      const checked = createAppliance({ ...merged, ipAddresses: current.ipAddresses }, { id: current.id, now: current.createdAt, factoryRootSha256: '' });
      const next: Appliance = { ...checked, clientSoftware: current.clientSoftware };
      if (current.leadTimes) next.leadTimes = current.leadTimes;
      await t.objectStore(STORE.appliances).put(next);
      await t.objectStore(STORE.events).add(ctx.event('appliance-updated', `Updated appliance ${next.name}.`, applianceId));
      return next;
    }),
  );
}

/** Adds an IP address; the guide: a new address "is assigned to the factory default certificate". */
export function addIpAddress(ctx: WorkspaceContext, applianceId: string, entry: IpAddress): Promise<Appliance> {
  return ctx.action('addIpAddress', () => [applianceId], () =>
    tx(ctx.db, [STORE.appliances, STORE.certificates, STORE.ipAssignments, STORE.events], async (t) => {
      const appliance = withIpAddress(await getAppliance(t, applianceId), entry);
      const ip = appliance.ipAddresses.at(-1)!;
      const certs = await certificatesOf(t, applianceId);
      const factory = certs.find((c) => c.factoryDefault);
      if (!factory) {
        throw new CertdeskError('no-factory-certificate', `${appliance.name} has no factory default certificate to serve the new address.`);
      }
      await t.objectStore(STORE.appliances).put(appliance);
      await t.objectStore(STORE.ipAssignments).put({ applianceId, ip: ip.ip, certificateId: factory.id });
      await t.objectStore(STORE.events).add(
        ctx.event('ip-address-added', `Added IP address ${ip.ip} (${ip.dnsName}); the factory default certificate serves it.`, applianceId),
      );
      return appliance;
    }),
  );
}

/** Sets the appliance's lead times for expiry planning (expiry-plan.ts). */
export function setLeadTimes(ctx: WorkspaceContext, applianceId: string, leadTimes: LeadTimes): Promise<Appliance> {
  return ctx.action('setLeadTimes', () => [applianceId], () =>
    tx(ctx.db, [STORE.appliances, STORE.events], async (t) => {
      const checked = checkedLeadTimes(leadTimes);
      const next: Appliance = { ...(await getAppliance(t, applianceId)), leadTimes: checked };
      await t.objectStore(STORE.appliances).put(next);
      await t.objectStore(STORE.events).add(
        ctx.event(
          'lead-times-updated',
          `Lead times of ${next.name}: CA turnaround ${checked.caTurnaroundDays} days, client-software build ${checked.clientBuildDays} days, margin ${checked.marginDays} days.`,
          applianceId,
        ),
      );
      return next;
    }),
  );
}

/**
 * The guide's warnings about an appliance as it stands: each certificate serving one of its IP
 * addresses must cover its site hostname (every role), and an Atlas traffic node whose names the
 * certificates serving the rest of its site do not cover needs a rebuild of the client software.
 */
export async function applianceChecks(ctx: WorkspaceContext, applianceId: string): Promise<Problem[]> {
  ctx.assertOpen();
  const state = await read(ctx.db, [STORE.appliances, STORE.certificates, STORE.ipAssignments], async (t) => {
    const appliance = await getAppliance(t, applianceId);
    const all = await t.objectStore(STORE.appliances).getAll();
    const siblings = all.filter((a) => a.id !== applianceId && a.siteHostname === appliance.siteHostname);
    // The few certificates its IPs are assigned to, read by key: not every certificate of the
    // appliance (thousands, each with its DER, read again for every card on the Appliances page).
    const servedBy = async (id: string) => {
      const ids = new Set((await t.objectStore(STORE.ipAssignments).index('byAppliance').getAll(id)).map((a) => a.certificateId));
      const served = await Promise.all([...ids].map((certificateId) => t.objectStore(STORE.certificates).get(certificateId)));
      // In key order, as the appliance's index lists them.
      return served.filter((c): c is CertificateEntry => c !== undefined && c.applianceId === id && !c.factoryDefault).sort((a, b) => (a.id < b.id ? -1 : 1));
    };
    const own = await servedBy(applianceId);
    const site: CertificateEntry[] = [];
    for (const sibling of siblings) site.push(...(await servedBy(sibling.id)));
    return { appliance, own, site };
  });
  const isPublicSuffix = await ctx.pki.publicSuffixCheckFor(...[...state.own, ...state.site].map((c) => c.facts));
  const problems: Problem[] = [];
  for (const certificate of state.own) {
    const problem = siteHostnameProblem(certificate, state.appliance, isPublicSuffix);
    if (problem) problems.push(problem);
  }
  const bySha = new Map(state.site.map((c) => [c.sha256, c] as const));
  problems.push(...atlasNodeProblems(state.appliance, [...bySha.values()], isPublicSuffix));
  return problems;
}

/** The certificate to assign to an IP address whose A-record is `dnsName` (ip-assignment.ts suggestCertificate), if any. */
export async function suggestedCertificate(ctx: WorkspaceContext, applianceId: string, dnsName: string, now = ctx.clock()): Promise<string | undefined> {
  ctx.assertOpen();
  const { certificates, keyIds } = await read(ctx.db, [STORE.certificateIndex, STORE.keys], async (t) => ({
    certificates: await indexedCertificatesOf(t, applianceId),
    keyIds: new Set(await t.objectStore(STORE.keys).index('byAppliance').getAllKeys(applianceId)),
  }));
  const issuers = indexBySubject(certificates.map((c) => c.facts));
  const candidates = certificates.map((c) => ({
    id: c.id,
    facts: c.facts,
    factoryDefault: c.factoryDefault,
    keyAvailable: c.keyId !== undefined && keyIds.has(c.keyId),
    chainComplete: chainShape(c.facts, issuers).shape === 'complete',
    replaced: c.replacedBy !== undefined,
  }));
  return suggestCertificate(candidates, dnsName, now, await ctx.pki.publicSuffixCheckFor(...certificates.map((c) => c.facts)));
}
