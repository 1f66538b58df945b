/**
 * Never claiming a state that was not checked, and never losing the admin's data silently:
 * after each change the marker and (debounced) the safety copy are refreshed (safety-copy.ts);
 * on start a database with fewer records than its marker is reported as a loss and restore is
 * offered instead of a fresh workspace; after a failed write, what is actually left is counted
 * before anything is said about it.
 */
import { CertdeskError } from '../core/errors';
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { WorkspaceContext } from './context';
import { yieldToEventLoop } from '../core/tasks';
import type { BackgroundWork } from './background-work';
import type { RestoreSummary } from './contents';
import { openDatabase } from './database';
import type { CertdeskDatabase } from './schema';
import { STORE } from './schema';
import {
  COUNTED,
  countRecords,
  describeCounts,
  lossOf,
  readMarker,
  readSafetyCopy,
  writeMarker,
  writeSafetyCopy,
  type KeyValueStore,
  type RecordCounts,
  type StorageLoss,
} from './safety-copy';

/** What one open workspace keeps for its safety net. */
export interface SafetyState {
  database: string;
  factory: IDBFactory | undefined;
  kv: KeyValueStore | undefined;
  delayMs: number;
  /** Builds the copy's text off the page's thread (background-work.ts). */
  background: BackgroundWork;
  timer?: ReturnType<typeof setTimeout> | undefined;
  /** The copy being written, for `flush`. */
  writing?: Promise<void> | undefined;
  /** A loss found on start and not yet restored or dismissed. */
  loss?: StorageLoss | undefined;
  /** The start's loss check (`checkLoss`), once done or under way. */
  lossCheck?: Promise<void> | undefined;
}

/** Whether the database exists, when the browser can say (`indexedDB.databases()`). */
export async function databaseExists(factory: IDBFactory | undefined, name: string): Promise<boolean | undefined> {
  try {
    const list = await factory?.databases?.();
    return list ? list.some((d) => d.name === name) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The loss on start, if the database holds fewer records than its marker recorded. The safety
 * copy (up to 2 million characters to join and parse) is read only when there is a loss to
 * describe: a normal start reads the marker alone.
 */
export function detectLoss(state: SafetyState, counts: RecordCounts): StorageLoss | undefined {
  const marker = readMarker(state.kv, state.database);
  if (!marker || !lossOf(marker, counts, undefined)) return undefined;
  return lossOf(marker, counts, readSafetyCopy(state.kv, state.database));
}

/**
 * Compares the database with its marker, once per start, then records the workspace and takes
 * a safety copy if it changed since the last one (`noteStart`). Every change waits for it, so no
 * change overwrites the marker before it was compared (an action waits for it before its work,
 * whose records would hide a loss from the counts). `counts`: the records, when just counted.
 */
export async function checkLoss(ctx: WorkspaceContext, state: SafetyState, counts?: RecordCounts): Promise<StorageLoss | undefined> {
  state.lossCheck ??= (async () => {
    const found = counts ?? (await countRecords(ctx.db));
    state.loss = detectLoss(state, found);
    if (found.appliances > 0) await noteStart(ctx, state, found).catch(() => undefined);
  })().catch((error: unknown) => {
    state.lossCheck = undefined; // not compared: the next change tries again before it writes the marker
    throw error;
  });
  await state.lossCheck;
  return state.loss;
}

/**
 * On open: an empty database is a first start or a loss, decided now (before a default
 * appliance is made). Otherwise the marker is read once the page shows the workspace
 * (`checkLoss` then): Chromium loads the origin's whole localStorage, safety copy and all, on
 * its first use, tens of milliseconds that would otherwise delay the first paint.
 */
export async function checkLossIfEmpty(ctx: WorkspaceContext, state: SafetyState): Promise<void> {
  // Appliances alone: counting every store (thousands of certificates) kept the database from
  // answering the start's reads for tens of milliseconds. An empty one is counted whole.
  if ((await ctx.db.count(STORE.appliances)) === 0) await checkLoss(ctx, state);
}

/** Records the workspace as it is now in the marker, and schedules the safety copy. */
export async function noteChange(ctx: WorkspaceContext, state: SafetyState, extra: { lastBackupAt?: number } = {}): Promise<void> {
  await checkLoss(ctx, state);
  await recordChange(ctx, state, extra);
}

async function recordChange(ctx: WorkspaceContext, state: SafetyState, extra: { lastBackupAt?: number }): Promise<void> {
  if (!state.kv) return;
  const previous = readMarker(state.kv, state.database);
  const counts = await countRecords(ctx.db);
  const lastBackupAt = extra.lastBackupAt ?? previous?.lastBackupAt;
  writeMarker(state.kv, state.database, {
    format: 'certdesk-marker',
    version: 1,
    counts,
    updatedAt: ctx.clock(),
    ...(lastBackupAt !== undefined ? { lastBackupAt } : {}),
  });
  if (state.timer !== undefined) clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    state.timer = undefined;
    void takeSafetyCopy(ctx, state, counts);
  }, state.delayMs);
}

/**
 * On start: records the workspace and schedules a safety copy only when something changed since
 * the last copy (the marker's counts differ from the database's, or no copy was taken after the
 * marker's last change). An unchanged workspace is not copied again: that would rebuild and
 * rewrite megabytes of localStorage just after every start.
 */
async function noteStart(ctx: WorkspaceContext, state: SafetyState, counts: RecordCounts): Promise<void> {
  if (!state.kv) return;
  const marker = readMarker(state.kv, state.database);
  const copied = marker?.copyTakenAt !== undefined && marker.copyTakenAt >= marker.updatedAt;
  if (copied && COUNTED.every((name) => counts[name] === marker.counts[name])) return;
  await recordChange(ctx, state, {});
}

/**
 * Takes the safety copy now, after any copy still being written (a failure to take it never
 * fails anything else). The text is built off the page's thread; only writing it to
 * localStorage, which exists only there, happens here, a part per task. A copy written is
 * recorded in the marker (`copyTakenAt`) when no change came after the moment it was read from.
 */
export function takeSafetyCopy(ctx: WorkspaceContext, state: SafetyState, counts?: RecordCounts): Promise<void> {
  const previous = state.writing ?? Promise.resolve();
  const writing = previous.then(async () => {
    try {
      // Read before the records are: a change noted at or before this moment is in the copy.
      const takenAt = ctx.clock();
      const text = await state.background.safetyCopy(counts ?? (await countRecords(ctx.db)), takenAt);
      if (text !== undefined && (await writeSafetyCopy(state.kv, state.database, text, yieldToEventLoop))) {
        const marker = readMarker(state.kv, state.database);
        if (marker && marker.updatedAt <= takenAt) writeMarker(state.kv, state.database, { ...marker, copyTakenAt: takenAt });
      }
    } catch {
      // The database went away or localStorage is full: the previous copy stays.
    }
  });
  state.writing = writing;
  void writing.then(() => {
    if (state.writing === writing) state.writing = undefined;
  });
  return writing;
}

/** Waits for a scheduled or running safety copy (tests, and before the page unloads). */
export async function flushSafetyCopy(ctx: WorkspaceContext, state: SafetyState): Promise<void> {
  if (state.timer !== undefined) {
    clearTimeout(state.timer);
    state.timer = undefined;
    await takeSafetyCopy(ctx, state);
  }
  await state.writing;
}

function lost(detail: string, cause?: unknown): CertdeskError {
  return new CertdeskError(
    'storage-lost',
    `The browser could not write the change (the disk is probably full) and deleted Certdesk's data in this browser (${detail}). Free up disk space, then reload Certdesk: it will offer to restore its automatic safety copy and your latest backup file.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The error to show after a write failed, once what is left has been counted: 'not-saved' naming
 * what is still there when nothing was lost, 'storage-lost' when the database is gone or holds
 * fewer records than before the action.
 */
export async function checkedFailure(db: CertdeskDatabase, state: SafetyState, error: CertdeskError): Promise<CertdeskError> {
  if ((await databaseExists(state.factory, state.database)) === false) return lost('the database is gone', error);
  let counts: RecordCounts;
  try {
    counts = await countRecords(db);
  } catch {
    // The connection may be closing after the error: count through a new one.
    try {
      const fresh = await openDatabase({ name: state.database, ...(state.factory ? { factory: state.factory } : {}) });
      try {
        counts = await countRecords(fresh);
      } finally {
        fresh.close();
      }
    } catch (cause) {
      return lost('it can no longer be opened', cause);
    }
  }
  const marker = readMarker(state.kv, state.database);
  const loss = marker ? lossOf(marker, counts, undefined) : undefined;
  if (loss) return lost(`it now holds ${describeCounts(counts)} instead of ${describeCounts(marker!.counts)}`, error);
  const quota = (error.cause as DOMException | undefined)?.name === 'QuotaExceededError';
  return new CertdeskError(
    'not-saved',
    `Nothing was saved: ${quota ? 'the browser has no storage space left for Certdesk' : 'the browser stopped writing the change'}. Certdesk checked its storage afterwards: ${describeCounts(counts)} — everything is still there. ${quota ? 'Free disk space or delete certificates you no longer need, then try again.' : 'Try again; if it keeps failing, download a backup and reload the page.'}`,
    { cause: error },
  );
}

/** Restores the safety copy after a loss (merging, as a backup restore does). */
export async function restoreSafetyCopy<K extends KeyMaterial>(ctx: WorkspaceContext<K>, state: SafetyState): Promise<RestoreSummary> {
  const copy = readSafetyCopy(state.kv, state.database);
  if (!copy) {
    throw new CertdeskError('no-safety-copy', 'There is no safety copy in this browser to restore. Restore your latest backup file instead (Appliances > Backup and restore).');
  }
  await ctx.ensureRoom(JSON.stringify(copy.contents).length);
  const { mergeContents } = await import('./contents');
  const summary = await mergeContents(ctx, copy.contents, {
    label: 'the safety copy',
    damaged: (detail, cause) =>
      new CertdeskError('safety-copy-damaged', `The safety copy in this browser is damaged (${detail}), so nothing was restored. Restore your latest backup file instead.`, cause === undefined ? undefined : { cause }),
  });
  state.loss = undefined;
  return summary;
}
