/**
 * The workspace as one plain record set (JSON-safe: DER and PKCS#8 in base64), read in one
 * transaction and merged back in one: what an encrypted backup holds (backup.ts) and what the
 * automatic safety copy keeps outside IndexedDB (safety-copy.ts). Restore merges by fingerprint
 * (certificates by appliance and SHA-256, keys by appliance and public-key hash, everything else
 * by id) and never duplicates.
 */
import { CertdeskError, throwIfAborted } from '../core/errors';
import { DEFAULT_APPLIANCE, type Appliance } from '../core/appliance/appliance';
import type { CertificateEntry, RequestEntry } from '../core/appliance/certificate-entry';
import { readCertificateFacts } from '../core/appliance/certificate-facts';
import type { EventEntry } from '../core/appliance/event-log';
import { logEvent } from '../core/appliance/event-log';
import type { IpAssignment } from '../core/appliance/ip-assignment';
import type { KeyEntry, KeyMaterial } from '../core/appliance/key-entry';
import { base64ToBytes, bytesToBase64, isBase64 } from '../core/pki/asn1/bytes';
import type { WorkspaceContext } from './context';
import { read, tx, type WriteTx } from './database';
import { getAllInChunks } from './chunks';
import { ALL_STORES, STORE, type CertdeskDatabase, type StoreName } from './schema';
import { addCertificateRecord, deleteCertificateRecord, putCertificateRecord } from './certificate-index';

type Serialised<T, F extends keyof T> = Omit<T, F> & { [P in F]: string };

/** An exportable key as a backup holds it: PKCS#8 in base64. */
export interface SerialisedKey {
  id: string;
  applianceId: string;
  friendlyName: string;
  createdAt: number;
  algorithm: string;
  publicKeySha256: string;
  pkcs8: string;
}

/** A key the record set could not include (not exportable, or a safety copy, which holds no keys). */
export interface KeyNotIncluded {
  id: string;
  applianceId: string;
  friendlyName: string;
  publicKeySha256: string;
}

/** The whole workspace as one plain, JSON-safe record set: what a backup encrypts and a safety copy keeps. */
export interface WorkspaceContents {
  createdAt: number;
  appliances: Appliance[];
  certificates: Serialised<Omit<CertificateEntry, 'facts'>, 'der'>[];
  keys: SerialisedKey[];
  keysNotIncluded: KeyNotIncluded[];
  requests: Serialised<RequestEntry, 'der'>[];
  ipAssignments: IpAssignment[];
  events: EventEntry[];
}

export interface RestoreSummary {
  appliancesAdded: number;
  certificatesAdded: number;
  keysAdded: number;
  requestsAdded: number;
  ipAssignmentsAdded: number;
  /** Records that were already in the workspace (by fingerprint or id). */
  alreadyPresent: number;
  keysNotIncluded: KeyNotIncluded[];
  /**
   * The untouched starter appliance of a fresh workspace that the backup replaced (restoring on a
   * new laptop should not leave an extra "My appliance" beside the restored ones).
   */
  replacedStarterAppliance?: string;
}

/** Strict base64 (a lenient atob would let damage through unnoticed); `damaged` makes the error. */
export function strictBase64(text: string, damaged: (detail: string) => CertdeskError): Uint8Array {
  if (text !== '' && !isBase64(text)) throw damaged('encoding');
  return base64ToBytes(text);
}

/** Every record of the workspace, read in one transaction (in chunks: thousands of certificates never block a page). */
export async function readRecords(db: CertdeskDatabase) {
  return read(db, ALL_STORES, async (t) => ({
    appliances: await getAllInChunks(t.objectStore(STORE.appliances)),
    certificates: await getAllInChunks(t.objectStore(STORE.certificates)),
    keys: await getAllInChunks(t.objectStore(STORE.keys)),
    requests: await getAllInChunks(t.objectStore(STORE.requests)),
    ipAssignments: await getAllInChunks(t.objectStore(STORE.ipAssignments)),
    events: await getAllInChunks(t.objectStore(STORE.events)),
  }));
}

/**
 * The workspace as a record set. With `withKeys`, exportable keys are included as PKCS#8 (through
 * the injected PKI); otherwise, and for non-exportable keys always, a key is only listed in
 * `keysNotIncluded` so a restore can say which keys it could not bring back.
 */
export async function readContents<K extends KeyMaterial>(
  ctx: WorkspaceContext<K>,
  options: { withKeys: boolean; signal?: AbortSignal },
): Promise<WorkspaceContents> {
  const data = await readRecords(ctx.db);
  const keys: SerialisedKey[] = [];
  const keysNotIncluded: KeyNotIncluded[] = [];
  for (const entry of data.keys as KeyEntry<K>[]) {
    throwIfAborted(options.signal);
    const meta = { id: entry.id, applianceId: entry.applianceId, friendlyName: entry.friendlyName, publicKeySha256: entry.key.publicKeySha256 };
    if (!options.withKeys || !entry.key.exportable) {
      keysNotIncluded.push(meta);
      continue;
    }
    const pkcs8 = await ctx.pki.exportPrivateKey(entry.key);
    keys.push({ ...meta, createdAt: entry.createdAt, algorithm: entry.key.algorithm, pkcs8: bytesToBase64(pkcs8) });
    pkcs8.fill(0);
  }
  return {
    createdAt: ctx.clock(),
    appliances: data.appliances,
    certificates: data.certificates.map(({ facts: _facts, ...c }) => ({ ...c, der: bytesToBase64(c.der) })),
    keys,
    keysNotIncluded,
    requests: data.requests.map((r) => ({ ...r, der: bytesToBase64(r.der) })),
    ipAssignments: data.ipAssignments,
    events: data.events,
  };
}

/** Where a record set came from, for its error messages and its event-log entry. */
export interface ContentsSource {
  /** "a backup", "the safety copy": used in the event log ("Restored a backup from 2026-11-30…"). */
  label: string;
  /** The error for a record set that does not hold together. */
  damaged(detail: string, cause?: unknown): CertdeskError;
}

/**
 * Merges a record set into the workspace: what is already there stays as it is, what is missing
 * is added. Key import and certificate parsing happen first; then one transaction writes
 * everything or, on any failure, nothing.
 */
export async function mergeContents<K extends KeyMaterial>(ctx: WorkspaceContext<K>, contents: WorkspaceContents, source: ContentsSource): Promise<RestoreSummary> {
  const damaged = source.damaged;
  const unb64 = (text: string) => strictBase64(text, damaged);
  const newId = () => ctx.newId();
  // Crypto and parsing before the transaction opens.
  const keys: KeyEntry<K>[] = [];
  const certificates: CertificateEntry[] = [];
  const requests: RequestEntry[] = [];
  try {
    // The same key written twice for one appliance is imported once (an import costs milliseconds).
    const imported = new Map<string, K>();
    for (const k of contents.keys) {
      const material = `${k.applianceId}\n${k.pkcs8}`;
      let key = imported.get(material);
      if (!key) {
        key = await ctx.pki.importPrivateKey(unb64(k.pkcs8), { exportable: true });
        imported.set(material, key);
      }
      if (key.publicKeySha256 !== k.publicKeySha256) throw new Error('key does not match its fingerprint');
      keys.push({ id: k.id, applianceId: k.applianceId, friendlyName: k.friendlyName, createdAt: k.createdAt, key });
    }
    for (const c of contents.certificates) {
      const der = unb64(c.der);
      const facts = await readCertificateFacts(der);
      if (facts.sha256 !== c.sha256) throw new Error('certificate does not match its fingerprint');
      certificates.push({ ...c, der, facts });
    }
    for (const r of contents.requests) requests.push({ ...r, der: unb64(r.der) });
  } catch (cause) {
    if (cause instanceof CertdeskError) throw cause;
    throw damaged('records', cause);
  }
  const now = ctx.clock();
  const summary: RestoreSummary = {
    appliancesAdded: 0,
    certificatesAdded: 0,
    keysAdded: 0,
    requestsAdded: 0,
    ipAssignmentsAdded: 0,
    alreadyPresent: 0,
    keysNotIncluded: contents.keysNotIncluded,
  };
  await tx(ctx.db, ALL_STORES, async (t) => {
    const appliances = t.objectStore(STORE.appliances);
    const starter = await untouchedStarter(t, contents);
    if (starter) {
      for (const id of await t.objectStore(STORE.certificates).index('byAppliance').getAllKeys(starter.id)) await deleteCertificateRecord(t, id);
      for (const store of [STORE.keys, STORE.requests, STORE.ipAssignments] as const) {
        const index = t.objectStore(store).index('byAppliance');
        for (const key of await index.getAllKeys(starter.id)) await t.objectStore(store).delete(key);
      }
      await appliances.delete(starter.id);
      summary.replacedStarterAppliance = starter.name;
    }
    const applianceIds = new Set(await appliances.getAllKeys());
    for (const a of contents.appliances) {
      if (applianceIds.has(a.id)) {
        summary.alreadyPresent++;
        // Keep the local appliance; add only IP addresses it does not have yet.
        const local = (await appliances.get(a.id))!;
        const extra = a.ipAddresses.filter((e) => !local.ipAddresses.some((l) => l.ip === e.ip));
        if (extra.length) await appliances.put({ ...local, ipAddresses: [...local.ipAddresses, ...extra] });
        continue;
      }
      await appliances.add(a);
      applianceIds.add(a.id);
      summary.appliancesAdded++;
    }
    // Keys: by appliance and public key. A backup key id that is taken maps to the local one.
    const keyStore = t.objectStore(STORE.keys);
    const localKeys = await keyStore.getAll();
    const keyIdMap = new Map<string, string>();
    for (const local of localKeys) keyIdMap.set(local.id, local.id);
    const findLocalKey = (applianceId: string, spki: string) =>
      localKeys.find((l) => l.applianceId === applianceId && l.key.publicKeySha256 === spki);
    for (const k of keys) {
      const existing = findLocalKey(k.applianceId, k.key.publicKeySha256);
      if (existing) {
        keyIdMap.set(k.id, existing.id);
        summary.alreadyPresent++;
        continue;
      }
      const entry = keyIdMap.has(k.id) ? { ...k, id: newId() } : k;
      await keyStore.add(entry);
      localKeys.push(entry);
      keyIdMap.set(k.id, entry.id);
      summary.keysAdded++;
    }
    for (const missing of contents.keysNotIncluded) {
      const existing = findLocalKey(missing.applianceId, missing.publicKeySha256);
      if (existing) keyIdMap.set(missing.id, existing.id);
    }
    const certStore = t.objectStore(STORE.certificates);
    for (const c of certificates) {
      if (!applianceIds.has(c.applianceId)) throw damaged('a certificate of an unknown appliance');
      const mappedKey = c.keyId !== undefined ? keyIdMap.get(c.keyId) : undefined;
      const restored: CertificateEntry = { ...c };
      if (mappedKey) restored.keyId = mappedKey;
      else delete restored.keyId;
      const existing = await certStore.get(c.id);
      if (existing) {
        summary.alreadyPresent++;
        if (existing.keyId === undefined && mappedKey) await putCertificateRecord(t, { ...existing, keyId: mappedKey });
        continue;
      }
      await addCertificateRecord(t, restored);
      summary.certificatesAdded++;
    }
    const requestStore = t.objectStore(STORE.requests);
    for (const r of requests) {
      if (await requestStore.get(r.id)) {
        summary.alreadyPresent++;
        continue;
      }
      const keyId = keyIdMap.get(r.keyId);
      await requestStore.add(keyId ? { ...r, keyId } : r);
      summary.requestsAdded++;
    }
    const ipStore = t.objectStore(STORE.ipAssignments);
    for (const a of contents.ipAssignments) {
      if (await ipStore.get([a.applianceId, a.ip])) {
        summary.alreadyPresent++;
        continue;
      }
      if (!(await certStore.get(a.certificateId))) throw damaged('an IP assignment without its certificate');
      await ipStore.add(a);
      summary.ipAssignmentsAdded++;
    }
    const eventStore = t.objectStore(STORE.events);
    for (const e of contents.events) {
      if (!(await eventStore.get(e.id))) await eventStore.add(e);
    }
    await eventStore.add(
      logEvent(newId(), now, 'backup-restored', `Restored ${source.label} from ${new Date(contents.createdAt).toISOString().slice(0, 10)}: ${summary.certificatesAdded} certificates, ${summary.keysAdded} keys added.`),
    );
  });
  return summary;
}

/**
 * The workspace's only appliance, when it is the starter a fresh workspace made and the admin
 * has not touched it (default names, no IP addresses, nothing but its factory default certificate
 * and key) and the backup does not hold it. Restoring replaces it.
 */
async function untouchedStarter(
  t: WriteTx<StoreName[]>,
  contents: WorkspaceContents,
): Promise<Appliance | undefined> {
  const all = await t.objectStore(STORE.appliances).getAll();
  const only = all.length === 1 ? all[0]! : undefined;
  if (!only || contents.appliances.length === 0 || contents.appliances.some((a) => a.id === only.id)) return undefined;
  if (only.name !== DEFAULT_APPLIANCE.name || only.hostname !== DEFAULT_APPLIANCE.hostname || only.siteHostname !== DEFAULT_APPLIANCE.siteHostname) return undefined;
  if (only.ipAddresses.length > 0 || only.inProduction) return undefined;
  const certificates = await t.objectStore(STORE.certificates).index('byAppliance').getAll(only.id);
  const keys = await t.objectStore(STORE.keys).index('byAppliance').getAllKeys(only.id);
  const requests = await t.objectStore(STORE.requests).index('byAppliance').count(only.id);
  if (certificates.length !== 1 || !certificates[0]!.factoryDefault || keys.length !== 1 || requests > 0) return undefined;
  return only;
}
