/**
 * Work over the stored records that nobody waits for: keeping the chain statuses
 * (chain-statuses.ts) and building the safety copy's text (safety-copy.ts). Both read every
 * record of a workspace, so at thousands of certificates they must not run on the page's thread:
 * the app runs them in the workspace worker (src/worker/workspace.worker.ts), over the worker's
 * own connection to the database; Node and the tests run them in-process (`inProcessBackgroundWork`).
 * Jobs run one at a time, in the order asked.
 */
import type { ChainStatusUpdate } from './chain-statuses';
import { ChainStatusKeeper } from './chain-status-keeper';
import { readRecords } from './contents';
import type { RecordCounts } from './safety-copy';
import { buildSafetyCopy } from './safety-copy';
import type { CertdeskDatabase } from './schema';

export interface BackgroundWork {
  /** The rules the kept chain statuses are computed with (chain-statuses.ts `holds`). */
  readonly rules: string;
  /** Brings the kept chain statuses of these appliances (default: all) up to date at `now`. */
  syncChainStatuses(applianceIds: readonly string[] | undefined, now: number): Promise<ChainStatusUpdate[]>;
  /** The safety copy of the workspace as it is now, as text (undefined when it cannot hold what it must). */
  safetyCopy(counts: RecordCounts, takenAt: number): Promise<string | undefined>;
}

export interface BackgroundWorkOptions {
  rules: string;
  /** The built-in roots, loaded only when a chain lacks its root. */
  builtInRoots: () => Promise<readonly Uint8Array[]>;
}

/** The background work over `db`, done here, one job at a time. */
export function inProcessBackgroundWork(db: CertdeskDatabase, options: BackgroundWorkOptions): BackgroundWork {
  const keeper = new ChainStatusKeeper(db, options);
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = queue.then(work);
    queue = turn.catch(() => undefined);
    return turn;
  };
  return {
    rules: options.rules,
    syncChainStatuses: (applianceIds, now) =>
      inTurn(async () => {
        const out: ChainStatusUpdate[] = [];
        for (const id of applianceIds ?? (await keeper.applianceIds())) out.push(await keeper.sync(id, now));
        return out;
      }),
    safetyCopy: (counts, takenAt) => inTurn(async () => buildSafetyCopy(await readRecords(db), counts, takenAt)?.text),
  };
}
