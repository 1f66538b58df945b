/**
 * Room on the disk before a large write. A full disk under the browser profile does not fail
 * one IndexedDB transaction cleanly: Chromium gives up the origin's whole storage bucket when a
 * database write hits "no space" — every database, the service worker's caches and the origin
 * private file system go at once (measured in Chromium 156 with the profile on a 9 MB tmpfs: an
 * import of 4,000 certificates left `indexedDB.databases()` empty). So a large write is refused
 * BEFORE it starts when it would not fit:
 *
 * - `navigator.storage.estimate()`: right where the quota is the limit, but it reported 1 GiB
 *   of quota on that 9 MB disk, so it cannot be the only check;
 * - a probe: a Blob of the needed size put into Cache Storage and deleted again. On a full disk
 *   that put fails cleanly (QuotaExceededError or UnknownError) and leaves every other store
 *   intact (measured the same way), while the IndexedDB write it stands in for would not.
 */
import { CertdeskError } from '../core/errors';
import type { StorageManagerLike } from './storage';

/** Writes smaller than this are not checked (one certificate, an IP assignment): they fit where anything fits. */
export const ROOM_CHECK_FROM_BYTES = 256 * 1024;
/**
 * Disk space a write needs per byte of records (`recordBytes`): IndexedDB's LevelDB writes its
 * log, then compacts into new tables before it drops the old ones. Measured in Chromium 156: an
 * import of 2,000 certificates estimated at 3.9 MB took the IndexedDB folder to 6.1 MB at its
 * peak (1.6×) and 3.6 MB after compaction; 3 leaves room for a compaction of older data alongside.
 */
export const WRITE_AMPLIFICATION = 3;
/** Kept free beyond the write itself, for the safety copy and the browser's own files. */
export const ROOM_MARGIN_BYTES = 1024 * 1024;

const PROBE_CACHE = 'certdesk-room-probe';
const PROBE_CHUNK = new Uint8Array(1024 * 1024);

/** The parts of the browser the check uses; both optional (Node tests, old browsers). */
export interface RoomEnvironment {
  storage?: StorageManagerLike | undefined;
  caches?: Pick<CacheStorage, 'open' | 'delete'> | undefined;
}

export function defaultRoomEnvironment(storage: StorageManagerLike | undefined): RoomEnvironment {
  const caches = (globalThis as { caches?: CacheStorage }).caches;
  return { storage, caches };
}

function megabytes(bytes: number): string {
  return `${Math.max(1, Math.ceil(bytes / (1024 * 1024)))} MB`;
}

function noRoom(needed: number, cause?: unknown): CertdeskError {
  return new CertdeskError(
    'storage-full',
    `There is not enough free disk space for this (it needs about ${megabytes(needed)} free). Nothing was changed. Free up space on this device — or remove certificates you no longer need — then try again.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Throws CertdeskError 'storage-full' when writing about `recordBytes` of records would not fit.
 * Nothing is written by a refusal; the probe is deleted again either way.
 */
export async function ensureRoom(recordBytes: number, env: RoomEnvironment): Promise<void> {
  if (recordBytes < ROOM_CHECK_FROM_BYTES) return;
  const needed = recordBytes * WRITE_AMPLIFICATION + ROOM_MARGIN_BYTES;
  let estimate: { usage?: number; quota?: number } | undefined;
  try {
    estimate = await env.storage?.estimate?.();
  } catch {
    // A browser that will not say leaves the probe to decide.
  }
  if (estimate?.quota !== undefined && estimate.quota - (estimate.usage ?? 0) < needed) throw noRoom(needed);
  if (!env.caches) return;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for (let left = needed; left > 0; left -= PROBE_CHUNK.length) chunks.push(left >= PROBE_CHUNK.length ? PROBE_CHUNK : PROBE_CHUNK.subarray(0, left));
  try {
    const cache = await env.caches.open(PROBE_CACHE);
    await cache.put('/room-probe', new Response(new Blob(chunks)));
  } catch (cause) {
    throw noRoom(needed, cause);
  } finally {
    await env.caches.delete(PROBE_CACHE).catch(() => undefined);
  }
}

/** A rough size of records as IndexedDB stores them: their bytes plus their fields. */
export function recordBytes(records: Iterable<{ der?: Uint8Array }>, perRecord = 1500): number {
  let total = 0;
  for (const record of records) total += (record.der?.length ?? 0) + perRecord;
  return total;
}
