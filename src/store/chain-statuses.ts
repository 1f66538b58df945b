/**
 * Chain statuses kept with the data: computed once per change, incrementally, and stored in
 * `chainStatuses` so a start reads them instead of recomputing.
 *
 * Each kept status carries what it was computed from (core/pki/validation/chain-pool.ts): the
 * ids of the certificates that may issue it, transitively; the span of time in which the answer
 * holds; and the rules that computed it (the build of the code that did). A kept status is
 * shown only while all three still hold; the keeper (chain-status-keeper.ts) recomputes exactly
 * the others.
 * A new issuer arriving so recomputes its subjects (and theirs), a certificate whose chain
 * expires is recomputed when the date passes, and a new version of the rules recomputes all.
 *
 * Layout (schema v6): per appliance, up to 16 buckets keyed `${applianceId}:${hex digit}`, each
 * holding its statuses as one JSON string, as the certificate index does (certificate-index.ts):
 * a start reads a few strings instead of thousands of records (5,000 records took the database
 * 55–110 ms to hand over, on the start's path).
 *
 * This module is what the page needs to read them; the keeper runs where it can take its time: in the app, in the workspace worker
 * (src/worker/workspace.worker.ts), which opens the database itself and keeps the parsed pools
 * for the life of the page; in Node, in-process.
 */
import type { ValidationProblem } from '../core/pki/validation/path-validation';
import { pauser } from '../core/tasks';
import type { CertdeskDatabase } from './schema';
import { STORE } from './schema';

/**
 * A chain status as the lists show it: the full status (chain-status.ts) without bytes — the
 * path of a complete chain is not listed, and a built-in root is named by its SHA-256 (the
 * workspace's `builtInRoot` fetches it when the admin adds it).
 */
export type ListedChainStatus =
  | { kind: 'complete' }
  | { kind: 'missing-intermediate'; issuer: string; caIssuersUrls: string[] }
  | { kind: 'missing-root'; issuer: string; builtInRootSha256?: string }
  | { kind: 'expired' | 'not-yet-valid'; notBefore: string; notAfter: string }
  | { kind: 'untrusted'; problems: ValidationProblem[] }
  | { kind: 'does-not-cover'; name: string };

/** One kept status (held in a bucket of the `chainStatuses` store). */
export interface KeptChainStatus {
  /** The certificate's id. */
  id: string;
  applianceId: string;
  status: ListedChainStatus;
  /** Ids of the certificates that may issue it, transitively, sorted: it was computed from these. */
  inputs: string[];
  /** It holds while `validFrom ≤ now < validUntil` (ms since the epoch; ±Infinity when open). */
  validFrom: number;
  validUntil: number;
  /** The rules that computed it: the build of the code that ran them. */
  rules: string;
}

/**
 * Chain statuses by certificate id. A Map, not an object: thousands of ids cross from the worker
 * and are merged on the page, where an object with thousands of keys is slow to build and copy.
 */
export type ListedChainStatuses = ReadonlyMap<string, ListedChainStatus>;

/** What one sync changed on one appliance. */
export interface ChainStatusUpdate {
  applianceId: string;
  /** Statuses computed now (new certificates, or ones whose inputs, time span or rules changed). */
  changed: ListedChainStatuses;
  /** Certificates that left the appliance. */
  removed: string[];
  /** When the first of the appliance's statuses leaves its span of time (ms; Infinity: never). */
  nextChangeAt: number;
}

/** Whether a kept status may be shown at `now` by code running `rules`. */
export function holds(kept: KeptChainStatus, rules: string, now: number): boolean {
  return kept.rules === rules && kept.validFrom <= now && now < kept.validUntil;
}

/** One bucket of an appliance's kept statuses (the `chainStatuses` store). */
export interface ChainStatusBucket {
  /** `${applianceId}:${hex digit}` (`statusBucketId`): an appliance's buckets are one key range. */
  id: string;
  applianceId: string;
  /** JSON of KeptChainStatus[] (`packStatuses`), in no particular order. */
  statuses: string;
  /** How many statuses `statuses` holds. */
  count: number;
}

/** The bucket of a certificate's status: a hex digit hashed from its id (16 per appliance, whatever the ids look like). */
export function statusBucketId(applianceId: string, certificateId: string): string {
  let hash = 0;
  for (let i = 0; i < certificateId.length; i++) hash = (hash * 31 + certificateId.charCodeAt(i)) | 0;
  return `${applianceId}:${(hash & 15).toString(16)}`;
}

/** The JSON of a bucket's statuses: an open span's ±Infinity, which JSON has not, as null. */
export function packStatuses(statuses: readonly KeptChainStatus[]): string {
  return JSON.stringify(statuses, (key, value: unknown) => ((key === 'validFrom' || key === 'validUntil') && !Number.isFinite(value) ? null : value));
}

/** A bucket's statuses (`packStatuses` undone). */
export function unpackStatuses(bucket: ChainStatusBucket): KeptChainStatus[] {
  const statuses = JSON.parse(bucket.statuses) as KeptChainStatus[];
  for (const status of statuses) {
    status.validFrom ??= -Infinity;
    status.validUntil ??= Infinity;
  }
  return statuses;
}

/** The kept statuses that hold now, by certificate id (a bucket at a time: a page never blocks on thousands). */
export async function readChainStatuses(db: CertdeskDatabase, rules: string, now: number): Promise<ListedChainStatuses> {
  const buckets = await db.getAll(STORE.chainStatuses);
  const out = new Map<string, ListedChainStatus>();
  const pause = pauser();
  for (const bucket of buckets) {
    for (const k of unpackStatuses(bucket)) if (holds(k, rules, now)) out.set(k.id, k.status);
    await pause();
  }
  return out;
}
