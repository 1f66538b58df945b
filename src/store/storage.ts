/**
 * Whether the browser may evict our data, and how much we use. Safari deletes script-written
 * storage of a site unused for 7 days unless it is persisted, so we ask `persist()` once, after
 * the admin's first action (browsers grant or prompt only in response to engagement).
 */

/** The part of StorageManager we use. */
export interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

export interface StorageStatus {
  /** True: protected from eviction; false: may be evicted; undefined: the browser cannot say. */
  persisted: boolean | undefined;
  /** Bytes used and available to this origin, when the browser says. */
  usage?: number;
  quota?: number;
}

export function defaultStorageManager(): StorageManagerLike | undefined {
  const nav = (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator;
  return nav?.storage;
}

/** What the storage panel shows. Never throws: unknown is an answer. */
export async function storageStatus(storage: StorageManagerLike | undefined): Promise<StorageStatus> {
  const status: StorageStatus = { persisted: undefined };
  try {
    if (storage?.persisted) status.persisted = await storage.persisted();
    const estimate = await storage?.estimate?.();
    if (estimate?.usage !== undefined) status.usage = estimate.usage;
    if (estimate?.quota !== undefined) status.quota = estimate.quota;
  } catch {
    // A browser that refuses to answer leaves the fields unknown.
  }
  return status;
}

/** Asks for persistent storage; resolves to the browser's answer, undefined where unsupported. */
export async function requestPersistence(storage: StorageManagerLike | undefined): Promise<boolean | undefined> {
  try {
    return storage?.persist ? await storage.persist() : undefined;
  } catch {
    return undefined;
  }
}
