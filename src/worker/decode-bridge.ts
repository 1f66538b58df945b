/**
 * The page's side of the decode worker (squoosh's worker bridge, in small): requests are queued,
 * an AbortSignal terminates the worker (a real cancel, even in the middle of parsing), and an
 * idle worker is stopped after a while so it holds no memory.
 */
import { CertdeskError } from '../core/errors';
import type { DecodedInput } from '../core/pki/decode';
import type { DecodeReply, DecodeRequest } from './decode-protocol';

const IDLE_MS = 30_000;

export type DecodeInput = (bytes: Uint8Array, options?: { password?: string | null; signal?: AbortSignal; importWorkSpent?: number }) => Promise<DecodedInput>;

export function createDecodeBridge(spawn: () => Worker = defaultWorker): DecodeInput {
  let worker: Worker | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();

  const stop = () => {
    worker?.terminate();
    worker = undefined;
  };

  const run = (bytes: Uint8Array, options: { password?: string | null; signal?: AbortSignal; importWorkSpent?: number }) =>
    new Promise<DecodedInput>((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(abortError());
      clearTimeout(idle);
      const current = (worker ??= spawn());
      const id = nextId++;
      const finish = () => {
        current.removeEventListener('message', onMessage);
        current.removeEventListener('error', onError);
        signal?.removeEventListener('abort', onAbort);
        idle = setTimeout(stop, IDLE_MS);
      };
      const onMessage = (event: MessageEvent<DecodeReply>) => {
        if (event.data.id !== id) return;
        finish();
        if (event.data.ok) resolve(event.data.value);
        else reject(new CertdeskError(event.data.error.code, event.data.error.message));
      };
      const onError = () => {
        finish();
        stop();
        reject(new CertdeskError('decoder-failed', 'The file reader stopped unexpectedly; nothing was imported. Try again, or reload the page.'));
      };
      const onAbort = () => {
        finish();
        stop();
        reject(abortError());
      };
      current.addEventListener('message', onMessage);
      current.addEventListener('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      const request: DecodeRequest = { id, bytes };
      if (options.password !== undefined) request.password = options.password;
      if (options.importWorkSpent !== undefined) request.importWorkSpent = options.importWorkSpent;
      current.postMessage(request);
    });

  return (bytes, options = {}) => {
    const result = queue.then(() => run(bytes, options));
    queue = result.catch(() => undefined);
    return result;
  };
}

function defaultWorker(): Worker {
  return new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'certdesk-decode' });
}

function abortError(): DOMException {
  return new DOMException('The import was cancelled.', 'AbortError');
}
