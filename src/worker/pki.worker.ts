/// <reference lib="webworker" />
/**
 * The PKI worker: decoding imported files and writing PKCS#12 and encrypted keys off the main
 * thread. Parsing hostile or large input (RELIABILITY.md: asn1js's OID parser is quadratic)
 * and 100,000-iteration key derivations must never freeze the page, and terminating this worker
 * is a real cancel. The page sends one job at a time (src/worker/pki-bridge.ts).
 */
import { CertdeskError } from '../core/errors';
import { runPkiJob } from './pki-jobs';
import type { PkiReply, PkiRequest } from './pki-protocol';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = async (event: MessageEvent<PkiRequest>) => {
  const { id, job } = event.data;
  let reply: PkiReply;
  try {
    const value = await runPkiJob(job, { onStarted: () => self.postMessage({ id, type: 'started' } satisfies PkiReply) });
    reply = { id, type: 'done', value };
  } catch (error) {
    const known = error instanceof CertdeskError ? error : new CertdeskError('worker-failed', 'The background task failed. Try again, or reload the page.');
    reply = { id, type: 'failed', error: { code: known.code, message: known.message } };
  }
  self.postMessage(reply);
};
