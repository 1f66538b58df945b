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
 * This module is what the page needs to read them; the keeper runs where it can take its time: in the app, in the workspace worker
 * (src/worker/workspace.worker.ts), which opens the database itself and keeps the parsed pools
 * for the life of the page; in Node, in-process.
 */
import type { ValidationProblem } from '../core/pki/validation/path-validation';
import { getAllInChunks, SMALL_RECORD_CHUNK } from './chunks';
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

/** One kept status (the `chainStatuses` store). */
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

/** The kept statuses that hold now, by certificate id (read in chunks: a page never blocks on thousands). */
export async function readChainStatuses(db: CertdeskDatabase, rules: string, now: number): Promise<ListedChainStatuses> {
  const kept = await getAllInChunks(db.transaction(STORE.chainStatuses).store, null, SMALL_RECORD_CHUNK);
  const out = new Map<string, ListedChainStatus>();
  for (const k of kept) if (holds(k, rules, now)) out.set(k.id, k.status);
  return out;
}
