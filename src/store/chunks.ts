/**
 * Reading and writing thousands of records without a long task. A page deserialises every
 * record a `getAll` returns in one go, on its main thread (5,000 certificates: 55–100 ms in
 * Chromium), and `put` clones each value where it is called. So large reads ask for CHUNK
 * records at a time and large writes issue WRITE_CHUNK puts at a time; each chunk's answer arrives in
 * a task of its own, so input is handled between chunks. The transaction stays active: the next
 * request is always issued from the previous one's success (IndexedDB 3.0 §2.7.2).
 */
/** Records per read: a few ms of deserialisation for certificate records (80–200 µs each in Chromium 156, more on a loaded machine). */
export const CHUNK = 100;
/**
 * Records per read for small records (chain statuses: a few hundred bytes, ~1 µs each), where
 * round trips cost more than deserialising: at start, 5,210 statuses in chunks of 1,000 arrived
 * 30–50 ms after the certificates (six round trips, each waiting for a busy page); in one, with them.
 */
export const SMALL_RECORD_CHUNK = 5000;
/** Puts issued at a time: `put` clones its value where it is called (certificate records: 150–400 µs each on a loaded machine). */
export const WRITE_CHUNK = 40;

/** An object store (idb's): what the chunked read uses of it. */
interface KeySource<V> {
  getAll(query?: IDBKeyRange | null, count?: number): Promise<V[]>;
  /** Every Certdesk store has in-line keys. */
  readonly keyPath: string | string[] | null;
}

/** The key of `value` under `keyPath` (as the store computes it). */
function keyOf(value: unknown, keyPath: string | string[] | null): IDBValidKey {
  if (keyPath === null) throw new TypeError('Chunked reads need a store with in-line keys.');
  const at = (path: string) => path.split('.').reduce<unknown>((v, part) => (v as Record<string, unknown>)[part], value) as IDBValidKey;
  return typeof keyPath === 'string' ? at(keyPath) : keyPath.map(at);
}

/**
 * Every record of a store in `range`, in key order, read `chunk` at a time within the caller's
 * transaction (the store's own key continues each chunk after the last).
 */
export async function getAllInChunks<V>(source: KeySource<V>, range: IDBKeyRange | null = null, chunkSize = CHUNK): Promise<V[]> {
  const out: V[] = [];
  let query = range;
  for (;;) {
    const chunk = await source.getAll(query, chunkSize);
    for (const value of chunk) out.push(value);
    if (chunk.length < chunkSize) return out;
    const last = keyOf(chunk[chunk.length - 1], source.keyPath);
    query =
      range?.upper !== undefined
        ? IDBKeyRange.bound(last, range.upper, true, range.upperOpen)
        : IDBKeyRange.lowerBound(last, true);
  }
}

/** The key range of every string key that starts with `prefix`. */
export function prefixRange(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound(prefix, prefix + '\uffff', false, true);
}
