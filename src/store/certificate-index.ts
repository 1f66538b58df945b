/**
 * The certificate index: every certificate as the lists use it — the stored entry without its
 * DER — kept with the data so a start reads a few packed records instead of thousands of full
 * ones (issue 11: 5,000 certificate records are ~100 IndexedDB round trips and ~300 ms of
 * reading before the first row can be painted; the index is 16 records per appliance).
 *
 * Layout (schema v5, `certificateIndex`): per appliance, 16 buckets keyed
 * `${applianceId}:${first hex digit of the SHA-256}`, each holding its certificates as one JSON
 * string. A string is cloned into and out of the database as one block of characters, where an
 * array of records is rebuilt object by object; JSON.parse then reads the bucket faster than
 * structured clone would (and a bucket is a few hundred rows, well under a long task). Buckets
 * keep each write small: one certificate changed rewrites one bucket, not the appliance's list.
 *
 * Consistency: every write of a certificate goes through `putCertificateRecord`, `addCertificateRecord`,
 * `deleteCertificateRecord` below, which record the change for the transaction; `tx()` (database.ts)
 * applies the recorded changes to the buckets in the same transaction before it commits, so
 * a failed action leaves neither the certificate nor its index row. A start that finds the
 * index's row count differing from the certificates' (a write that bypassed it) rebuilds it.
 */
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import type { WriteTx } from './database';
import { getAllInChunks, prefixRange } from './chunks';
import type { StoreName } from './schema';
import { STORE } from './schema';

/** A certificate as the index keeps it: the stored entry without its DER (fetched on demand). */
export type IndexedCertificate = Omit<CertificateEntry, 'der'>;

/** One bucket of an appliance's index (the `certificateIndex` store). */
export interface CertificateIndexBucket {
  /** `${applianceId}:${bucket}`: an appliance's buckets are one key range, like its certificates. */
  id: string;
  applianceId: string;
  /** JSON of IndexedCertificate[], in no particular order. */
  rows: string;
  /** How many rows `rows` holds. */
  count: number;
}

/** The bucket of a certificate: the first hex digit of its SHA-256 (16 per appliance). */
export function bucketId(applianceId: string, sha256: string): string {
  return `${applianceId}:${sha256.charAt(0)}`;
}

/** The index row of a certificate. */
export function indexRow(certificate: CertificateEntry): IndexedCertificate {
  const { der: _der, ...row } = certificate;
  return row;
}

/** The changes of one transaction, by bucket: a row to put, or null to delete the certificate. */
type Pending = Map<string, Map<string, IndexedCertificate | null>>;

const pendingOf = new WeakMap<object, Pending>();

type CertificateStoreTx = WriteTx<StoreName[]>;

function record(t: object, bucket: string, id: string, row: IndexedCertificate | null): void {
  let pending = pendingOf.get(t);
  if (!pending) pendingOf.set(t, (pending = new Map()));
  let changes = pending.get(bucket);
  if (!changes) pending.set(bucket, (changes = new Map()));
  changes.set(id, row);
}

/** Puts a certificate (new or changed) and its index row, in the caller's transaction. */
export function putCertificateRecord(t: CertificateStoreTx, certificate: CertificateEntry): Promise<string> {
  record(t, bucketId(certificate.applianceId, certificate.sha256), certificate.id, indexRow(certificate));
  return t.objectStore(STORE.certificates).put(certificate);
}

/** Adds a certificate (fails if its id is taken) and its index row, in the caller's transaction. */
export function addCertificateRecord(t: CertificateStoreTx, certificate: CertificateEntry): Promise<string> {
  record(t, bucketId(certificate.applianceId, certificate.sha256), certificate.id, indexRow(certificate));
  return t.objectStore(STORE.certificates).add(certificate);
}

/** Deletes a certificate (its id is `${applianceId}:${sha256}`) and its index row. */
export function deleteCertificateRecord(t: CertificateStoreTx, certificateId: string): Promise<void> {
  const colon = certificateId.indexOf(':');
  record(t, bucketId(certificateId.slice(0, colon), certificateId.slice(colon + 1)), certificateId, null);
  return t.objectStore(STORE.certificates).delete(certificateId);
}

/**
 * Applies the index changes recorded in transaction `t` to its buckets (one read and one write
 * per bucket touched); `tx()` calls it after the action's work, before the commit.
 */
export async function flushCertificateIndex(t: CertificateStoreTx): Promise<void> {
  const pending = pendingOf.get(t);
  if (!pending) return;
  pendingOf.delete(t);
  const buckets = t.objectStore(STORE.certificateIndex);
  for (const [id, changes] of pending) {
    const stored = await buckets.get(id);
    const rows = new Map<string, IndexedCertificate>((stored ? parseRows(stored.rows) : []).map((row) => [row.id, row] as const));
    for (const [certificateId, row] of changes) {
      if (row) rows.set(certificateId, row);
      else rows.delete(certificateId);
    }
    if (rows.size === 0) await buckets.delete(id);
    else await buckets.put(bucketOf(id, [...rows.values()]));
  }
}

function parseRows(json: string): IndexedCertificate[] {
  return JSON.parse(json) as IndexedCertificate[];
}

/** Whether writes to these stores must also write the index (a certificate write without it would leave it stale). */
export function writesCertificates(stores: readonly StoreName[]): boolean {
  return stores.includes(STORE.certificates);
}

/** How many certificates the buckets hold, without parsing them (the count is kept per bucket). */
export function indexedCount(buckets: readonly CertificateIndexBucket[]): number {
  return buckets.reduce((sum, bucket) => sum + bucket.count, 0);
}

/** The certificates of these buckets, parsed one bucket at a time with `pause` between (a page's start stays free for input). */
export async function parseCertificateIndex(buckets: readonly CertificateIndexBucket[], pause: () => Promise<void>): Promise<IndexedCertificate[]> {
  const out: IndexedCertificate[] = [];
  for (const bucket of buckets) {
    for (const row of parseRows(bucket.rows)) out.push(row);
    await pause();
  }
  return out;
}

/** Every indexed certificate of one appliance in id order (as the certificates are stored), read in the caller's transaction: a few records, not thousands. */
export async function indexedCertificatesOf(
  t: { objectStore(name: 'certificateIndex'): { getAll(query?: IDBKeyRange | null): Promise<CertificateIndexBucket[]> } },
  applianceId: string,
): Promise<IndexedCertificate[]> {
  const buckets = await t.objectStore(STORE.certificateIndex).getAll(prefixRange(`${applianceId}:`));
  return buckets.flatMap((bucket) => parseRows(bucket.rows)).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Rebuilds the whole index from the certificates, in the caller's readwrite (or version-change)
 * transaction: the schema upgrade that adds it, and a start that found it out of step.
 */
export async function rebuildCertificateIndex(t: CertificateStoreTx): Promise<void> {
  const certificates = await getAllInChunks(t.objectStore(STORE.certificates));
  const buckets = new Map<string, IndexedCertificate[]>();
  for (const certificate of certificates) {
    const id = bucketId(certificate.applianceId, certificate.sha256);
    let rows = buckets.get(id);
    if (!rows) buckets.set(id, (rows = []));
    rows.push(indexRow(certificate));
  }
  const store = t.objectStore(STORE.certificateIndex);
  await store.clear();
  for (const [id, rows] of buckets) await store.put(bucketOf(id, rows));
}

function bucketOf(id: string, rows: IndexedCertificate[]): CertificateIndexBucket {
  return { id, applianceId: id.slice(0, id.lastIndexOf(':')), rows: JSON.stringify(rows), count: rows.length };
}
