/**
 * The jobs the PKI worker runs, as plain functions over src/core/pki: src/worker/pki.worker.ts
 * calls them for the app; where there is no worker (Node, tests) `runPkiJob` is handed to
 * `pkiServices({ runJob })` directly. Failures become CertdeskErrors here, so both paths report
 * the same codes.
 */
import { CertdeskError, isAbortError, throwIfAborted } from '../core/errors';
import { readCertificateFacts } from '../core/appliance/certificate-facts';
import { decodeInput } from '../core/pki/decode';
import { exportEncryptedPrivateKey } from '../core/pki/export';
import { exportPrivateKey, generateKey } from '../core/pki/keys';
import { exportPkcs12 } from '../core/pki/pkcs12';
import { createSelfSignedCertificate } from '../core/pki/certificate';
import { createCsr } from '../core/pki/csr';
import { findPrivateKeys } from '../core/pki/key-guard';
import type { DecodedImportFile, PkiJob, PkiJobKind, PkiJobResult, PkiJobResults, PkiReply, PkiRequest } from './pki-protocol';

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
    case 'decode-files':
      return decodeFiles(job.files, job.importWorkSpent, signal);
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
    case 'self-signed-certificate': {
      const { kind: _kind, ...input } = job;
      return createSelfSignedCertificate(input);
    }
    case 'csr': {
      const { kind: _kind, ...input } = job;
      return createCsr(input);
    }
    case 'find-private-keys':
      return findPrivateKeys({ name: job.name, bytes: job.bytes }, signal ? { signal } : {});
    case 'generate-key':
      return generateKey(job.algorithm, { exportable: job.exportable, ...(signal ? { signal } : {}) });
    case 'certificate-facts':
      return readCertificateFacts(job.der);
  }
}

/**
 * Reads each file of an import by content, with each certificate's facts (read here, off the
 * page's thread, from the certificate model): one answer per file, in order. The files share
 * the import's key-derivation budget. Only cancellation stops the whole batch.
 */
async function decodeFiles(files: readonly { bytes: Uint8Array; password?: string | null }[], importWorkSpent: number, signal: AbortSignal | undefined): Promise<DecodedImportFile[]> {
  let spent = importWorkSpent;
  const out: DecodedImportFile[] = [];
  for (const file of files) {
    throwIfAborted(signal);
    try {
      const options: { password?: string | null; signal?: AbortSignal; importWorkSpent: number } = { importWorkSpent: spent };
      if (file.password !== undefined) options.password = file.password;
      if (signal) options.signal = signal;
      const decoded = await decodeInput(file.bytes, options);
      spent += decoded.workSpent ?? 0;
      const certificates: (DecodedImportFile & { ok: true })['certificates'] = [];
      for (const c of decoded.certificates) {
        const certificate: (typeof certificates)[number] = { der: c.der, facts: await readCertificateFacts(c.der) };
        if (c.friendlyName) certificate.friendlyName = c.friendlyName;
        certificates.push(certificate);
      }
      out.push({ ok: true, certificates, privateKeys: decoded.privateKeys, workSpent: decoded.workSpent ?? 0 });
    } catch (error) {
      if (isAbortError(error)) throw error;
      out.push(error instanceof CertdeskError ? { ok: false, code: error.code, message: error.message } : { ok: false, code: 'unreadable-file' });
    }
  }
  return out;
}

/** A failure no core module translated (a bug or a browser refusing): said without internals. */
function unexpected(kind: PkiJobKind, cause: unknown): CertdeskError {
  if (kind === 'decode' || kind === 'decode-files') return new CertdeskError('unreadable-file', 'This file could not be read as a certificate, chain, request or key.', { cause });
  if (kind === 'self-signed-certificate' || kind === 'csr' || kind === 'generate-key' || kind === 'certificate-facts') return new CertdeskError('create-failed', 'The certificate could not be created; nothing was stored. Try again, or reload the page.', { cause });
  if (kind === 'find-private-keys') {
    return new CertdeskError('support-file-unreadable', 'A file could not be checked for private keys, so the support package was not created. Try again, or reload the page.', { cause });
  }
  return new CertdeskError('export-failed', 'The export could not be written; nothing was exported. Try again, or reload the page.', { cause });
}
