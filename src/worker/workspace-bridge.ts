/**
 * The page's side of the workspace worker: the background work (src/store/background-work.ts)
 * as the store calls it, each job posted to the worker and its answer awaited. One worker for the
 * life of the page, started on the first job (never on the first paint): it keeps the parsed
 * certificates, so it is not stopped when idle. The worker runs jobs one at a time.
 */
import { CertdeskError } from '../core/errors';
import type { BackgroundWork } from '../store/background-work';
import type { WorkspaceJob, WorkspaceJobResults, WorkspaceReply, WorkspaceRequest } from './workspace-protocol';
import workerUrl from './workspace.worker.ts?worker&url';

/** The part of Worker the bridge uses (tests pass an in-process stand-in). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'addEventListener'>;

/** The background work of the database `database`, done in the workspace worker. */
export function workspaceWorker(database: string, spawn: () => WorkerLike = defaultWorker): BackgroundWork {
  let worker: WorkerLike | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const start = (): WorkerLike => {
    const w = spawn();
    w.addEventListener('message', (event: MessageEvent<WorkspaceReply>) => {
      const reply = event.data;
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.type === 'done') waiting.resolve(reply.value);
      else waiting.reject(new CertdeskError(reply.error.code, reply.error.message));
    });
    w.addEventListener('error', () => {
      for (const waiting of pending.values()) waiting.reject(new CertdeskError('worker-failed', 'The background task stopped. Reload the page if the list stops updating.'));
      pending.clear();
      worker = undefined;
    });
    return w;
  };
  const run = <K extends WorkspaceJob['kind']>(job: Extract<WorkspaceJob, { kind: K }>): Promise<WorkspaceJobResults[K]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      (worker ??= start()).postMessage({ id, database, job } satisfies WorkspaceRequest);
    });
  return {
    rules: new URL(workerUrl, location.href).pathname,
    syncChainStatuses: (applianceIds, now) => run({ kind: 'sync-chain-statuses', now, ...(applianceIds ? { applianceIds: [...applianceIds] } : {}) }),
    safetyCopy: (counts, takenAt) => run({ kind: 'safety-copy', counts, takenAt }),
  };
}

function defaultWorker(): Worker {
  return new Worker(workerUrl, { type: 'module', name: 'certdesk-workspace' });
}
