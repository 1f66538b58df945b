/**
 * The page's side of the PKI worker (squoosh's worker bridge, in small). One worker, reused:
 * jobs wait in a queue and run one at a time; an AbortSignal terminates the worker when its job
 * is running (a real cancel, even in the middle of a key derivation) or drops the job when it is
 * still queued; a worker idle for IDLE_MS is stopped so it holds no memory (and no key bytes).
 *
 * Why one reused worker rather than a fresh one per job: loading the worker (the decoder, the
 * PKCS#12 code) costs more than most jobs, an import decodes one job per file, and a job leaves
 * nothing behind in the worker that the next one could see. The UI runs one action at a time,
 * so a pool of more than one would sit idle.
 */
import { CertdeskError } from '../core/errors';
import type { PkiJob, PkiReply, PkiRequest, RunPkiJob } from './pki-protocol';

/** How long an idle worker is kept for the next job. */
export const IDLE_MS = 30_000;

/** The part of Worker the bridge uses (tests pass an in-process stand-in). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate' | 'addEventListener' | 'removeEventListener'>;

/** A `RunPkiJob` that runs every job in the PKI worker. */
export function createPkiWorker(spawn: () => WorkerLike = defaultWorker): RunPkiJob {
  let worker: WorkerLike | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();

  const stop = () => {
    clearTimeout(idle);
    worker?.terminate();
    worker = undefined;
  };

  const run = (job: PkiJob, options: { signal?: AbortSignal; onStarted?: () => void }) =>
    new Promise<unknown>((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(abortError());
      clearTimeout(idle);
      const current = (worker ??= spawn());
      const id = nextId++;
      const finish = () => {
        current.removeEventListener('message', onMessage);
        current.removeEventListener('error', onError);
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(idle);
        idle = setTimeout(stop, IDLE_MS);
      };
      const onMessage = (event: MessageEvent<PkiReply>) => {
        const reply = event.data;
        if (reply.id !== id) return;
        if (reply.type === 'started') {
          options.onStarted?.();
          return;
        }
        finish();
        if (reply.type === 'done') resolve(reply.value);
        else reject(new CertdeskError(reply.error.code, reply.error.message));
      };
      const onError = () => {
        finish();
        stop();
        reject(stopped(job));
      };
      const onAbort = () => {
        finish();
        stop();
        reject(abortError());
      };
      current.addEventListener('message', onMessage);
      current.addEventListener('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      current.postMessage({ id, job } satisfies PkiRequest);
    });

  return ((job, options = {}) => {
    const turn = queue.then(() => run(job, options));
    queue = turn.catch(() => undefined);
    return options.signal ? whileNotAborted(turn, options.signal) : turn;
  }) as RunPkiJob;
}

/** `work`, or an AbortError as soon as `signal` aborts (a queued job need not wait its turn to fail). */
function whileNotAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function defaultWorker(): Worker {
  return new Worker(new URL('./pki.worker.ts', import.meta.url), { type: 'module', name: 'certdesk-pki' });
}

function stopped(job: PkiJob): CertdeskError {
  if (job.kind === 'decode' || job.kind === 'decode-files') return new CertdeskError('decoder-failed', 'The file reader stopped unexpectedly; nothing was imported. Try again, or reload the page.');
  if (job.kind === 'self-signed-certificate' || job.kind === 'csr' || job.kind === 'generate-key' || job.kind === 'certificate-facts') return new CertdeskError('create-failed', 'The certificate writer stopped unexpectedly; nothing was stored. Try again, or reload the page.');
  return new CertdeskError('export-failed', 'The export stopped unexpectedly; nothing was exported. Try again, or reload the page.');
}

function abortError(): DOMException {
  return new DOMException('The operation was cancelled.', 'AbortError');
}
