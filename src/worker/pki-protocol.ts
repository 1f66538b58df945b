/**
 * What the page and the PKI worker say to each other. One request carries one job; the worker
 * answers 'started' when it begins on it (it has loaded and the job left the queue), then
 * 'done' with the job's result or 'failed' with the CertdeskError's code and message. Every
 * message carries the request's id. Cancelling is not a message: the page terminates the worker.
 */
import type { DecodedInput } from '../core/pki/decode';
import type { CertdeskKey } from '../core/pki/keys';
import type { KeyGuardReport } from '../core/pki/key-guard';
import type { Pkcs12Preset } from '../core/pki/pkcs12';

/** The slow PKI work the page hands the worker. */
export type PkiJob =
  /** Any input by content (src/core/pki/decode.ts); null: never try a password. */
  | { kind: 'decode'; bytes: Uint8Array; password?: string | null; /** Work earlier files of the same import spent (limits.maxWorkPerImport). */ importWorkSpent?: number }
  /** A PKCS#12 file (src/core/pki/pkcs12.ts); the key is unwrapped inside the worker. */
  | { kind: 'pkcs12'; key?: CertdeskKey; certificates: Uint8Array[]; friendlyName?: string; password: string; preset: Pkcs12Preset }
  /** The key as PEM "ENCRYPTED PRIVATE KEY" (src/core/pki/export.ts). */
  | { kind: 'encrypted-pkcs8'; key: CertdeskKey; password: string }
  /** Every private key in a file, however written or packed (src/core/pki/key-guard). */
  | { kind: 'find-private-keys'; name: string; bytes: Uint8Array };

/** What each kind of job answers. */
export interface PkiJobResults {
  decode: DecodedInput;
  pkcs12: Uint8Array;
  'encrypted-pkcs8': string;
  'find-private-keys': KeyGuardReport;
}

export type PkiJobKind = PkiJob['kind'];
export type PkiJobResult<J extends PkiJob> = PkiJobResults[J['kind']];

/** Page → worker. */
export interface PkiRequest {
  id: number;
  job: PkiJob;
}

/** Worker → page. */
export type PkiReply =
  | { id: number; type: 'started' }
  | { id: number; type: 'done'; value: PkiJobResults[PkiJobKind] }
  | { id: number; type: 'failed'; error: { code: string; message: string } };

/** Runs one job, in the worker or (in Node and tests) in-process: the same function either way. */
export type RunPkiJob = <J extends PkiJob>(job: J, options?: { signal?: AbortSignal; onStarted?: () => void }) => Promise<PkiJobResult<J>>;
