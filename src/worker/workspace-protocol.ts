/**
 * What the page and the workspace worker say to each other: one request per job of the
 * background work (src/store/background-work.ts) on the database `database`, answered by 'done'
 * with its result or 'failed' with a CertdeskError's code and message; every message carries the
 * request's id.
 */
import type { ChainStatusUpdate } from '../store/chain-statuses';
import type { RecordCounts } from '../store/safety-copy';

export type WorkspaceJob =
  | { kind: 'sync-chain-statuses'; applianceIds?: string[]; now: number }
  | { kind: 'safety-copy'; counts: RecordCounts; takenAt: number };

export interface WorkspaceJobResults {
  'sync-chain-statuses': ChainStatusUpdate[];
  'safety-copy': string | undefined;
}

/** Page → worker. */
export interface WorkspaceRequest {
  id: number;
  database: string;
  job: WorkspaceJob;
}

/** Worker → page. */
export type WorkspaceReply =
  | { id: number; type: 'done'; value: WorkspaceJobResults[WorkspaceJob['kind']] }
  | { id: number; type: 'failed'; error: { code: string; message: string } };
