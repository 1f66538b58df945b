/**
 * The keeper of the chain statuses (chain-statuses.ts): brings the kept statuses of an appliance
 * up to date, recomputing exactly those whose inputs, span of time or rules changed. It runs in
 * the workspace worker in the app (background-work.ts), in-process in Node.
 */
import { sha256Hex } from '../core/pki/asn1';
import type { ChainStatus } from '../core/pki/validation/chain-status';
import { ChainPool } from '../core/pki/validation/chain-pool';
import { getAllInChunks, prefixRange } from './chunks';
import { holds, packStatuses, statusBucketId, unpackStatuses, type ChainStatusUpdate, type KeptChainStatus, type ListedChainStatus } from './chain-statuses';
import type { CertdeskDatabase } from './schema';
import { STORE } from './schema';

const builtInRootNames = new WeakMap<Uint8Array, Promise<string>>();

/** The listed form of a full chain status. */
export async function listedStatus(status: ChainStatus): Promise<ListedChainStatus> {
  switch (status.kind) {
    case 'complete':
      return { kind: 'complete' };
    case 'missing-root': {
      const { builtInRoot, ...rest } = status;
      if (!builtInRoot) return rest;
      let name = builtInRootNames.get(builtInRoot);
      if (!name) builtInRootNames.set(builtInRoot, (name = sha256Hex(builtInRoot)));
      return { ...rest, builtInRootSha256: await name };
    }
    default:
      return status;
  }
}

export interface KeeperOptions {
  /** Which rules this code runs (the build); kept statuses from other rules are recomputed. */
  rules: string;
  /** The built-in roots, loaded only when a chain lacks its root. */
  builtInRoots: () => Promise<readonly Uint8Array[]>;
}

/**
 * Keeps the stored chain statuses of a workspace's appliances up to date. One keeper per
 * database connection; it parses each certificate once for its own life and holds each
 * appliance's pool (core/pki/validation/chain-pool.ts).
 */
export class ChainStatusKeeper {
  readonly #db: CertdeskDatabase;
  readonly #options: KeeperOptions;
  readonly #pools = new Map<string, ChainPool>();
  /** The kept statuses as last read or written, per appliance. */
  readonly #kept = new Map<string, Map<string, KeptChainStatus>>();

  constructor(db: CertdeskDatabase, options: KeeperOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** Every appliance's id. */
  async applianceIds(): Promise<string[]> {
    return (await this.#db.getAllKeys(STORE.appliances)) as string[];
  }

  /**
   * Brings the kept statuses of one appliance up to date at `now`: reads which certificates it
   * holds, parses the new ones, recomputes the statuses that no longer hold, writes them and
   * deletes those of certificates that left (all of them, for an appliance that is gone).
   * Returns what changed.
   */
  async sync(applianceId: string, now: number): Promise<ChainStatusUpdate> {
    const pool = await this.#poolOf(applianceId);
    const kept = await this.#keptOf(applianceId);
    const removed = [...kept.keys()].filter((id) => !pool.has(id));
    const fresh: KeptChainStatus[] = [];
    let builtInRoots: readonly Uint8Array[] | undefined;
    for (const id of pool.keys()) {
      const dependencies = pool.dependencies(id, now);
      const old = kept.get(id);
      if (old && holds(old, this.#options.rules, now) && old.inputs.join('\n') === dependencies.inputs.join('\n')) continue;
      const time = new Date(now);
      let status = await pool.status(id, { time });
      // The built-in store is loaded only for a chain that lacks its root (or its only intermediate).
      if (status.kind === 'missing-root' || status.kind === 'missing-intermediate') {
        builtInRoots ??= await this.#options.builtInRoots();
        status = await pool.status(id, { time, builtInRoots });
      }
      fresh.push({ id, applianceId, status: await listedStatus(status), ...dependencies, rules: this.#options.rules });
    }
    await this.#write(applianceId, fresh, removed);
    for (const id of removed) kept.delete(id);
    for (const record of fresh) kept.set(record.id, record);
    let nextChangeAt = Infinity;
    for (const record of kept.values()) nextChangeAt = Math.min(nextChangeAt, record.validUntil);
    return { applianceId, changed: sharingEqualStatuses(fresh), removed, nextChangeAt };
  }

  /** The appliance's pool, brought to the certificates it holds now (each parsed once). */
  async #poolOf(applianceId: string): Promise<ChainPool> {
    let pool = this.#pools.get(applianceId);
    if (!pool) this.#pools.set(applianceId, (pool = new ChainPool()));
    const ids = new Set((await this.#db.getAllKeysFromIndex(STORE.certificates, 'byAppliance', applianceId)) as string[]);
    for (const id of [...pool.keys()]) if (!ids.has(id)) pool.remove(id);
    const missing = [...ids].filter((id) => !pool.has(id));
    if (missing.length > 0) {
      const t = this.#db.transaction(STORE.certificates);
      // Many new ones (the first sync, a big import): read the appliance's in chunks (ids start
      // with the appliance's, core/appliance/certificate-entry.ts); the rest one by one.
      const records = missing.length > 64 ? (await getAllInChunks(t.store, prefixRange(`${applianceId}:`))).filter((c) => ids.has(c.id) && !pool.has(c.id)) : [];
      const found = new Set(records.map((c) => c.id));
      const rest = await Promise.all(missing.filter((id) => !found.has(id)).map((id) => t.store.get(id)));
      for (const record of [...records, ...rest]) if (record) await pool.add(record.id, record.der);
    }
    return pool;
  }

  async #keptOf(applianceId: string): Promise<Map<string, KeptChainStatus>> {
    let kept = this.#kept.get(applianceId);
    if (!kept) {
      const buckets = await this.#db.getAll(STORE.chainStatuses, prefixRange(`${applianceId}:`));
      this.#kept.set(applianceId, (kept = new Map(buckets.flatMap(unpackStatuses).map((k) => [k.id, k] as const))));
    }
    return kept;
  }

  /**
   * Writes fresh statuses and deletes those of certificates that left, in one transaction that
   * also reads which certificates are there now: a status whose certificate left meanwhile is
   * not written. (One whose inputs changed meanwhile is written and recomputed by the next sync,
   * which that change asks for: every kept status names its inputs.) Each bucket touched is read
   * and rewritten in that transaction, so another tab's keeper writing the same appliance loses
   * nothing of it.
   */
  async #write(applianceId: string, fresh: readonly KeptChainStatus[], removed: readonly string[]): Promise<void> {
    if (fresh.length === 0 && removed.length === 0) return;
    const t = this.#db.transaction([STORE.certificates, STORE.chainStatuses], 'readwrite');
    const present = new Set((await t.objectStore(STORE.certificates).index('byAppliance').getAllKeys(applianceId)) as string[]);
    const changes = new Map<string, Map<string, KeptChainStatus | null>>();
    const change = (id: string, status: KeptChainStatus | null) => {
      const bucket = statusBucketId(applianceId, id);
      (changes.get(bucket) ?? changes.set(bucket, new Map()).get(bucket)!).set(id, status);
    };
    for (const record of fresh) if (present.has(record.id)) change(record.id, record);
    for (const id of removed) if (!present.has(id)) change(id, null);
    const store = t.objectStore(STORE.chainStatuses);
    const writes = [...changes].map(async ([id, bucketChanges]) => {
      const bucket = await store.get(id);
      const statuses = new Map((bucket ? unpackStatuses(bucket) : []).map((k) => [k.id, k] as const));
      for (const [statusId, status] of bucketChanges) {
        if (status) statuses.set(statusId, status);
        else statuses.delete(statusId);
      }
      if (statuses.size === 0) await store.delete(id);
      else await store.put({ id, applianceId, statuses: packStatuses([...statuses.values()]), count: statuses.size });
    });
    await Promise.all([...writes, t.done]);
  }
}

/**
 * The statuses by id, equal ones as one object: most are alike ("complete"), and a reply to the
 * page then carries (and the page reads) each distinct status once.
 */
function sharingEqualStatuses(records: readonly KeptChainStatus[]): Map<string, ListedChainStatus> {
  const distinct = new Map<string, ListedChainStatus>();
  const out = new Map<string, ListedChainStatus>();
  for (const { id, status } of records) {
    const text = JSON.stringify(status);
    out.set(id, distinct.get(text) ?? distinct.set(text, status).get(text)!);
  }
  return out;
}
