/**
 * The workspace worker's side: one database connection and one background-work runner per
 * database name, opened on the first job. When another tab upgrades the schema, the connection
 * closes (so it does not block the upgrade) and later jobs fail: the page reloads anyway.
 */
import { CertdeskError } from '../core/errors';
import { loadBuiltInRoots } from '../core/pki/validation/root-store';
import { inProcessBackgroundWork, type BackgroundWork } from '../store/background-work';
import { openDatabase } from '../store/database';
import type { WorkspaceReply, WorkspaceRequest } from './workspace-protocol';

const opened = new Map<string, Promise<BackgroundWork>>();

function backgroundWork(database: string, rules: string): Promise<BackgroundWork> {
  let work = opened.get(database);
  if (!work) {
    work = openDatabase({ name: database, onReloadNeeded: () => opened.delete(database) }).then((db) =>
      inProcessBackgroundWork(db, { rules, builtInRoots: async () => (await loadBuiltInRoots()).roots }),
    );
    work.catch(() => opened.delete(database));
    opened.set(database, work);
  }
  return work;
}

/** Answers one request: 'done' with the job's result, or 'failed'. */
export async function answerWorkspaceRequest(request: WorkspaceRequest, rules: string, post: (reply: WorkspaceReply) => void): Promise<void> {
  const { id, database, job } = request;
  try {
    const work = await backgroundWork(database, rules);
    const value = job.kind === 'sync-chain-statuses' ? await work.syncChainStatuses(job.applianceIds, job.now) : await work.safetyCopy(job.counts, job.takenAt);
    post({ id, type: 'done', value });
  } catch (error) {
    const known = error instanceof CertdeskError ? error : new CertdeskError('worker-failed', 'The background task failed. Reload the page if the list stops updating.');
    post({ id, type: 'failed', error: { code: known.code, message: known.message } });
  }
}
