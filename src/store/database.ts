/**
 * Opening the database and the one `tx()` helper every write goes through.
 *
 * Rules (../shared/RELIABILITY.md, IndexedDB): a transaction commits as soon as its callback
 * awaits anything that is not one of its own requests (crypto.subtle included), so callers do all
 * parsing and crypto first and hand `tx()` a callback that only reads and writes. Any failure
 * aborts the whole transaction: the database is left exactly as before. Storage failures
 * (QuotaExceededError, or an abort for any other reason) become CertdeskError 'not-saved'.
 */
import { wrap } from 'idb';
import type { IDBPTransaction } from 'idb';
import { CertdeskError, throwIfAborted } from '../core/errors';
import { WRITE_CHUNK } from './chunks';
import type { CertdeskDatabase, CertdeskSchema, StoreName } from './schema';
import { DATABASE_NAME, SCHEMA_VERSION, STORE, upgrade } from './schema';
import { flushCertificateIndex, writesCertificates } from './certificate-index';

export interface OpenOptions {
  /** Defaults to the page's `indexedDB`; tests pass a fresh fake-indexeddb IDBFactory. */
  factory?: IDBFactory;
  name?: string;
  /**
   * Called when this connection had to close: another tab opened a newer schema (`versionchange`)
   * or the browser closed it (storage cleared). The page must reload to go on.
   */
  onReloadNeeded?: (reason: 'newer-version' | 'closed') => void;
}

/** Opens (creating or migrating) the Certdesk database. */
export async function openDatabase(options: OpenOptions = {}): Promise<CertdeskDatabase> {
  const factory = options.factory ?? globalThis.indexedDB;
  if (!factory) {
    throw new CertdeskError(
      'storage-unavailable',
      'This browser offers no IndexedDB storage here (private mode or disabled site data). Open Certdesk in a normal window.',
    );
  }
  const request = factory.open(options.name ?? DATABASE_NAME, SCHEMA_VERSION);
  request.addEventListener('upgradeneeded', (event) => {
    upgrade(
      wrap(request.result) as unknown as CertdeskDatabase,
      event.oldVersion,
      wrap(request.transaction!) as unknown as IDBPTransaction<CertdeskSchema, StoreName[], 'versionchange'>,
    );
  });
  request.addEventListener('blocked', () => {
    // An older tab still holds the database; it closes itself on `versionchange` (below), after
    // which this open proceeds. Nothing to do here.
  });
  let db: CertdeskDatabase;
  try {
    db = (await wrap(request)) as unknown as CertdeskDatabase;
  } catch (cause) {
    if ((cause as DOMException | null)?.name === 'VersionError') {
      throw new CertdeskError(
        'newer-version-open',
        'A newer version of Certdesk has already updated your data. Reload the page to use it.',
        { cause },
      );
    }
    throw new CertdeskError(
      'storage-unavailable',
      'Certdesk could not open its storage. Close other Certdesk tabs and reload; if it persists, check the browser allows site data.',
      { cause },
    );
  }
  db.addEventListener('versionchange', () => {
    // A newer tab wants to upgrade: close so it is not blocked, and ask this page to reload.
    db.close();
    options.onReloadNeeded?.('newer-version');
  });
  db.addEventListener('close', () => options.onReloadNeeded?.('closed'));
  return db;
}

/** The message every unsaved action shows. */
export function notSaved(cause: unknown): CertdeskError {
  const quota = (cause as DOMException | null)?.name === 'QuotaExceededError';
  return new CertdeskError(
    'not-saved',
    quota
      ? 'Nothing was saved: the browser has no storage space left for Certdesk. Free disk space or delete unneeded certificates, export a backup, then try again.'
      : 'Nothing was saved: the browser stopped writing the change. Your data is as it was before. Try again; if it keeps failing, export a backup and reload the page.',
    { cause },
  );
}

/** The readwrite transaction type `tx()` hands its callback. */
export type WriteTx<S extends StoreName[]> = IDBPTransaction<CertdeskSchema, S, 'readwrite'>;
export type ReadTx<S extends StoreName[]> = IDBPTransaction<CertdeskSchema, S, 'readonly'>;

/**
 * Runs one user action as one readwrite transaction with strict durability (the write is on disk
 * before it reports done). `work` may only await requests of `t`. If it throws, the transaction
 * is aborted and the error rethrown: CertdeskErrors and cancellation (`signal`) as they are,
 * everything else as 'not-saved'. A transaction that may write certificates also writes their
 * index (certificate-index.ts): the changes `work` recorded are applied before the commit.
 */
export async function tx<S extends StoreName[], T>(
  db: CertdeskDatabase,
  stores: S,
  work: (t: WriteTx<S>) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  throwIfAborted(signal);
  let t: WriteTx<S>;
  const indexed = writesCertificates(stores);
  try {
    t = db.transaction(indexed ? [...stores, STORE.certificateIndex] : stores, 'readwrite', { durability: 'strict' });
  } catch (cause) {
    throw notSaved(cause);
  }
  const onAbort = () => {
    try {
      t.abort();
    } catch {
      // Already finished.
    }
  };
  signal?.addEventListener('abort', onAbort);
  try {
    let result: T;
    try {
      result = await work(t);
      if (indexed) await flushCertificateIndex(t as unknown as WriteTx<StoreName[]>);
    } catch (error) {
      onAbort();
      await t.done.catch(() => undefined);
      throw error;
    }
    await t.done;
    return result;
  } catch (error) {
    if (signal?.aborted) throw new DOMException('The operation was cancelled.', 'AbortError');
    if (error instanceof CertdeskError) throw error;
    throw notSaved(error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** A readonly transaction for reads that must see one consistent state. */
export async function read<S extends StoreName[], T>(
  db: CertdeskDatabase,
  stores: S,
  work: (t: ReadTx<S>) => Promise<T>,
): Promise<T> {
  try {
    const t = db.transaction(stores, 'readonly');
    const result = await work(t);
    await t.done;
    return result;
  } catch (error) {
    if (error instanceof CertdeskError) throw error;
    throw new CertdeskError(
      'not-read',
      'Certdesk could not read its storage. Reload the page; if it persists, restore your latest backup.',
      { cause: error },
    );
  }
}

/**
 * Issues several writes of one transaction and waits for all of them, WRITE_CHUNK at a time (chunks.ts:
 * each put clones its value where it is called, so thousands at once are one long task). When
 * one fails (or a write throws synchronously because the transaction was aborted), the
 * transaction aborts and every other request rejects too; each gets a handler here so none
 * surfaces as an unhandled rejection.
 */
export async function writeAll(writes: Iterable<() => Promise<unknown>>): Promise<void> {
  const list = [...writes];
  for (let i = 0; i < list.length; i += WRITE_CHUNK) {
    const pending: Promise<unknown>[] = [];
    for (const write of list.slice(i, i + WRITE_CHUNK)) {
      const request = write();
      request.catch(() => undefined);
      pending.push(request);
    }
    // The next chunk is issued from this one's success, so the transaction stays active.
    await Promise.all(pending);
  }
}
