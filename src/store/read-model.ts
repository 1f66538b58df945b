/**
 * The read model: the workspace as the UI shows it. It holds the stored facts plus what is
 * derived from them at `now` — kind, validity, chain shape, private-key availability, assigned
 * IPs, request fulfilment — and is never stored itself.
 */
import type { Appliance, IpAddress } from '../core/appliance/appliance';
import type {
  CertificateEntry,
  CertificateKind,
  ChainShape,
  RequestEntry,
  ValidityNow,
} from '../core/appliance/certificate-entry';
import { certificateKind, chainShape, groupBy, indexBySubject, validityAt } from '../core/appliance/certificate-entry';
import type { CertificateFacts } from '../core/appliance/certificate-facts';
import type { ExpiryPlan, LeadTimes } from '../core/appliance/expiry-plan';
import { DEFAULT_LEAD_TIMES, planExpiry, renewalChangesRoot } from '../core/appliance/expiry-plan';
import { renewalSteps } from '../core/appliance/renewal';
import type { IpAssignment } from '../core/appliance/ip-assignment';
import type { KeyEntry, KeyMaterial } from '../core/appliance/key-entry';
import type { WorkspaceContext } from './context';
import { certificatesOf, chainOf, unknownCertificate } from './context';
import { pauser } from '../core/tasks';
import { getAllInChunks } from './chunks';
import { read, tx, type WriteTx } from './database';
import { ALL_STORES, STORE, type StoreName } from './schema';
import { CertdeskError } from '../core/errors';
import { indexedCount, parseCertificateIndex, rebuildCertificateIndex, type IndexedCertificate } from './certificate-index';

/**
 * A stored certificate as the pages see it: the entry plus what is derived from it when read.
 * Without its DER, which the few pages that need it read on demand (`certificateDers`).
 */
export interface CertificateView extends IndexedCertificate {
  kind: CertificateKind;
  validity: ValidityNow;
  chain: ChainShape;
  /** The guide's "Private Key: Available". */
  privateKey: 'available' | 'missing';
  /** Whether the linked key can be exported (to a .p12 for replication). */
  keyExportable?: boolean;
  /**
   * The certificate this one renews (core/appliance/renewal.ts: same key, or same subject and
   * SANs, or the reply to a re-key request of it; later expiry; the one in use first). The guide:
   * a renewal takes over "the IP addresses which are currently assigned to the old certificate".
   */
  renews?: string;
  /** SHA-256 of the root the quick chain shape reaches (the certificate itself when self-issued). */
  rootSha256?: string;
  /** When to start renewing, with the appliance's lead times (core/appliance/expiry-plan.ts). */
  plan: ExpiryPlan;
  assignedIps: string[];
}

export interface RequestView extends RequestEntry {
  fulfilled: boolean;
  /** The guide's "Request Data": the CSR as PEM, what the admin submits to the CA. */
  pem: string;
}

export interface KeyView {
  id: string;
  friendlyName: string;
  algorithm: string;
  exportable: boolean;
  publicKeySha256: string;
  createdAt: number;
  certificateIds: string[];
}

export interface IpView extends IpAddress {
  certificateId: string | undefined;
  certificateName: string | undefined;
}

export interface ApplianceView {
  appliance: Appliance;
  /** The appliance's lead times, or the defaults. */
  leadTimes: LeadTimes;
  certificates: CertificateView[];
  requests: RequestView[];
  keys: KeyView[];
  ips: IpView[];
}

export interface WorkspaceView {
  appliances: ApplianceView[];
  now: number;
}

/** A certificate with its key and the chain found on its appliance (for export and replication). */
export interface CertificateMaterial<K extends KeyMaterial = KeyMaterial> {
  certificate: CertificateEntry;
  key: KeyEntry<K> | undefined;
  /** Issuers up to the root, as far as the appliance holds them; the certificate itself is not in it. */
  chain: CertificateEntry[];
}

/** The whole workspace as the UI shows it, derived at `now` (from `records` when already read: the start's read). */
export async function listWorkspace(ctx: WorkspaceContext, now: number, records?: ReturnType<typeof readRecords>): Promise<WorkspaceView> {
  ctx.assertOpen();
  let data = await (records ?? readRecords(ctx));
  if (!data) {
    // The index is out of step with the certificates (a write that bypassed it): rebuilt once.
    await rebuildIndex(ctx);
    data = await readRecords(ctx);
    if (!data) throw new CertdeskError('not-read', 'Certdesk could not read its certificate list. Reload the page; if it persists, restore your latest backup.');
  }
  // Thousands of views are built in slices, letting the page answer input between them.
  const pause = pauser();
  const certificates = await parseCertificateIndex(data.index, pause);
  const group = <T extends { applianceId: string }>(list: T[]) => groupBy(list, (item) => item.applianceId);
  const certsBy = group(certificates);
  const keysBy = group(data.keys);
  const requestsBy = group(data.requests);
  const ipsBy = group(data.ips);
  const requestPem = (der: Uint8Array) => ctx.pki.encodePem('CERTIFICATE REQUEST', der);
  const appliances: ApplianceView[] = [];
  for (const appliance of data.appliances.sort((a, b) => a.createdAt - b.createdAt || byCodeUnits(a.id, b.id))) {
    const records = { appliance, certificates: certsBy.get(appliance.id) ?? [], keys: keysBy.get(appliance.id) ?? [], requests: requestsBy.get(appliance.id) ?? [], ips: ipsBy.get(appliance.id) ?? [] };
    appliances.push(await applianceView(records, now, requestPem, pause));
  }
  return { appliances, now };
}

/**
 * The records a view is made of, in one transaction: certificates from their index (a few
 * packed records, certificate-index.ts), everything else as stored; undefined when the index
 * does not hold as many certificates as the store.
 *
 * `compared: false` (the start's read) leaves out that comparison: counting thousands of
 * certificates kept the database from answering the start's other reads for tens of
 * milliseconds. The start compares once its list is painted (`indexInStep`).
 */
export async function readRecords(ctx: WorkspaceContext, { compared = true } = {}) {
  // Every request is issued at once: they are answered in one stream, not one round trip each.
  const data = await read(ctx.db, [...ALL_STORES, STORE.certificateIndex], async (t) => {
    const [appliances, index, certificateCount, keys, requests, ips] = await Promise.all([
      getAllInChunks(t.objectStore(STORE.appliances)),
      t.objectStore(STORE.certificateIndex).getAll(),
      compared ? t.objectStore(STORE.certificates).count() : undefined,
      // In chunks: a page deserialises what one request returns in one task (chunks.ts).
      getAllInChunks(t.objectStore(STORE.keys)),
      getAllInChunks(t.objectStore(STORE.requests)),
      getAllInChunks(t.objectStore(STORE.ipAssignments)),
    ]);
    return { appliances, index, certificateCount, keys, requests, ips };
  });
  return data.certificateCount === undefined || indexedCount(data.index) === data.certificateCount ? data : undefined;
}

/**
 * Whether the certificate index holds as many certificates as the store; if not (a write that
 * bypassed it), rebuilds it and returns false.
 */
export async function indexInStep(ctx: WorkspaceContext): Promise<boolean> {
  ctx.assertOpen();
  const [index, certificateCount] = await read(ctx.db, [STORE.certificates, STORE.certificateIndex], (t) =>
    Promise.all([t.objectStore(STORE.certificateIndex).getAll(), t.objectStore(STORE.certificates).count()]),
  );
  if (indexedCount(index) === certificateCount) return true;
  await rebuildIndex(ctx);
  return false;
}

function rebuildIndex(ctx: WorkspaceContext): Promise<void> {
  return tx(ctx.db, [STORE.certificates], (t) => rebuildCertificateIndex(t as unknown as WriteTx<StoreName[]>));
}

/** The DER of each certificate (the lists hold none), in the order of `certIds`; throws 'unknown-certificate' when one is gone. */
export async function certificateDers(ctx: WorkspaceContext, certIds: readonly string[]): Promise<Uint8Array[]> {
  ctx.assertOpen();
  const found = await read(ctx.db, [STORE.certificates], (t) => Promise.all(certIds.map((id) => t.objectStore(STORE.certificates).get(id))));
  return found.map((certificate) => {
    if (!certificate) throw unknownCertificate();
    return certificate.der;
  });
}

/** A certificate with its key and the chain found on its appliance. */
export async function certificateMaterial<K extends KeyMaterial>(ctx: WorkspaceContext<K>, certId: string): Promise<CertificateMaterial<K>> {
  ctx.assertOpen();
  return read(ctx.db, [STORE.certificates, STORE.keys], async (t) => {
    const certificate = await t.objectStore(STORE.certificates).get(certId);
    if (!certificate) throw unknownCertificate();
    const pool = await certificatesOf(t, certificate.applianceId);
    const key = certificate.keyId ? ((await t.objectStore(STORE.keys).get(certificate.keyId)) as KeyEntry<K> | undefined) : undefined;
    return { certificate, key, chain: chainOf(certificate, pool).slice(1) };
  });
}

interface ApplianceRecords {
  appliance: Appliance;
  certificates: IndexedCertificate[];
  keys: KeyEntry[];
  requests: RequestEntry[];
  ips: IpAssignment[];
}

/** Ids compared by code units: they are ASCII, and localeCompare costs microseconds a call. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function applianceView(records: ApplianceRecords, now: number, requestPem: (der: Uint8Array) => string, pause: () => Promise<void>): Promise<ApplianceView> {
  const { appliance, certificates, keys, requests, ips } = records;
  certificates.sort((a, b) => a.importedAt - b.importedAt || byCodeUnits(a.id, b.id));
  const issuers = indexBySubject(certificates.map((c) => c.facts));
  await pause();
  const keysById = new Map(keys.map((k) => [k.id, k] as const));
  const certNames = new Map(certificates.map((c) => [c.id, c.friendlyName] as const));
  const served = new Map<string, string[]>();
  for (const a of ips) served.set(a.certificateId, [...(served.get(a.certificateId) ?? []), a.ip]);
  const byKey = groupBy(
    certificates.filter((c) => c.keyId !== undefined),
    (c) => c.keyId!,
  );
  const leadTimes = appliance.leadTimes ?? DEFAULT_LEAD_TIMES;
  const rekeyOf = new Map(requests.filter((r) => r.rekeyOf !== undefined).map((r) => [r.keyId, r.rekeyOf!] as const));
  const candidates = certificates.map((c) => ({ id: c.id, facts: c.facts, factoryDefault: c.factoryDefault, inUse: served.has(c.id), replaced: c.replacedBy !== undefined }));
  const keyIds = new Map(certificates.map((c) => [c.id, c.keyId] as const));
  await pause();
  const steps = renewalSteps(candidates, (c) => {
    const keyId = keyIds.get(c.id);
    return keyId ? rekeyOf.get(keyId) : undefined;
  });
  let step = steps.next();
  for (; !step.done; step = steps.next()) await pause();
  const renewed = step.value;
  await pause();
  const certViews: CertificateView[] = [];
  for (const c of certificates) {
    const key = c.keyId ? keysById.get(c.keyId) : undefined;
    const chain = chainShape(c.facts, issuers);
    const rootSha256 = chain.shape === 'complete' ? chain.path.at(-1) : undefined;
    const rootChanges = renewalChangesRoot({ selfIssued: c.facts.selfIssued, rootSha256, clientSoftwareRoots: appliance.clientSoftware.roots });
    const view: CertificateView = {
      id: c.id,
      applianceId: c.applianceId,
      sha256: c.sha256,
      friendlyName: c.friendlyName,
      facts: c.facts,
      factoryDefault: c.factoryDefault,
      source: c.source,
      importedAt: c.importedAt,
      kind: certificateKind(c.facts),
      validity: validityAt(c.facts, now),
      chain: chain.shape,
      privateKey: key ? 'available' : 'missing',
      plan: planExpiry(c.facts, leadTimes, rootChanges, now),
      assignedIps: served.get(c.id) ?? [],
    };
    if (rootSha256 !== undefined) view.rootSha256 = rootSha256;
    if (c.replacedBy !== undefined) view.replacedBy = c.replacedBy;
    if (c.replacedAt !== undefined) view.replacedAt = c.replacedAt;
    if (key) {
      view.keyId = key.id;
      view.keyExportable = key.key.exportable;
    }
    const renews = renewed.get(c.id);
    if (renews !== undefined) view.renews = renews;
    certViews.push(view);
    // Every few dozen views: an await per view was a tenth of the start's view building.
    if (certViews.length % 64 === 0) await pause();
  }
  const assignment = new Map(ips.map((a) => [a.ip, a.certificateId] as const));
  return {
    appliance,
    leadTimes,
    certificates: certViews,
    requests: requests
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((r) => ({ ...r, fulfilled: r.fulfilledBy !== undefined, pem: requestPem(r.der) })),
    keys: keys.map((k) => ({
      id: k.id,
      friendlyName: k.friendlyName,
      algorithm: k.key.algorithm,
      exportable: k.key.exportable,
      publicKeySha256: k.key.publicKeySha256,
      createdAt: k.createdAt,
      certificateIds: (byKey.get(k.id) ?? []).map((c) => c.id),
    })),
    ips: appliance.ipAddresses.map((e) => {
      const id = assignment.get(e.ip);
      return { ...e, certificateId: id, certificateName: id ? certNames.get(id) : undefined };
    }),
  };
}
