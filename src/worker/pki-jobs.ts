/**
 * The jobs the PKI worker runs, as plain functions over src/core/pki: src/worker/pki.worker.ts
 * calls them for the app; where there is no worker (Node, tests) `runPkiJob` is handed to
 * `pkiServices({ runJob })` directly. Failures become CertdeskErrors here, so both paths report
 * the same codes.
 */
import { CertdeskError, throwIfAborted } from '../core/errors';
import { decodeInput } from '../core/pki/decode';
import { exportEncryptedPrivateKey } from '../core/pki/export';
import { exportPrivateKey } from '../core/pki/keys';
import { exportPkcs12 } from '../core/pki/pkcs12';
import { findPrivateKeys } from '../core/pki/key-guard';
import type { PkiJob, PkiJobKind, PkiJobResult, PkiJobResults, PkiReply, PkiRequest } from './pki-protocol';

/** Runs one job. `signal` cancels in-process work; in the worker, terminating it does. */
export async function runPkiJob<J extends PkiJob>(job: J, options: { signal?: AbortSignal; onStarted?: () => void } = {}): Promise<PkiJobResult<J>> {
  throwIfAborted(options.signal);
  options.onStarted?.();
  try {
    return (await run(job, options.signal)) as PkiJobResult<J>;
  } catch (error) {
    if (error instanceof CertdeskError || (error instanceof DOMException && error.name === 'AbortError')) throw error;
    throw unexpected(job.kind, error);
  }
}

/**
 * The worker's answer to one request: 'started', then 'done' or 'failed' (src/worker/pki.worker.ts
 * posts what this hands `post`; tests stand in for the worker with it).
 */
export async function answerPkiRequest(request: PkiRequest, post: (reply: PkiReply) => void): Promise<void> {
  const { id, job } = request;
  try {
    const value = await runPkiJob(job, { onStarted: () => post({ id, type: 'started' }) });
    post({ id, type: 'done', value });
  } catch (error) {
    const known = error instanceof CertdeskError ? error : new CertdeskError('worker-failed', 'The background task failed. Try again, or reload the page.');
    post({ id, type: 'failed', error: { code: known.code, message: known.message } });
  }
}

async function run(job: PkiJob, signal: AbortSignal | undefined): Promise<PkiJobResults[PkiJobKind]> {
  switch (job.kind) {
    case 'decode': {
      const options: { password?: string | null; signal?: AbortSignal; importWorkSpent?: number } = {};
      if (job.password !== undefined) options.password = job.password;
      if (job.importWorkSpent !== undefined) options.importWorkSpent = job.importWorkSpent;
      if (signal) options.signal = signal;
      return decodeInput(job.bytes, options);
    }
    case 'pkcs12': {
      const privateKey = job.key ? await exportPrivateKey(job.key) : undefined;
      try {
        const input: Parameters<typeof exportPkcs12>[0] = { certificates: job.certificates, password: job.password, preset: job.preset };
        if (privateKey) input.privateKey = privateKey;
        if (job.friendlyName !== undefined) input.friendlyName = job.friendlyName;
        if (signal) input.signal = signal;
        return await exportPkcs12(input);
      } finally {
        privateKey?.fill(0);
      }
    }
    case 'encrypted-pkcs8': {
      const pem = await exportEncryptedPrivateKey(job.key, job.password);
      throwIfAborted(signal);
      return pem;
    }
    case 'find-private-keys':
      return findPrivateKeys({ name: job.name, bytes: job.bytes }, signal ? { signal } : {});
  }
}

/** A failure no core module translated (a bug or a browser refusing): said without internals. */
function unexpected(kind: PkiJobKind, cause: unknown): CertdeskError {
  if (kind === 'decode') return new CertdeskError('unreadable-file', 'This file could not be read as a certificate, chain, request or key.', { cause });
  if (kind === 'find-private-keys') {
    return new CertdeskError('support-file-unreadable', 'A file could not be checked for private keys, so the support package was not created. Try again, or reload the page.', { cause });
  }
  return new CertdeskError('export-failed', 'The export could not be written; nothing was exported. Try again, or reload the page.', { cause });
}
