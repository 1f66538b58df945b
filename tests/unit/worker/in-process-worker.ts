/**
 * The PKI worker in Node, for tests of the bridge: each request is answered by the worker's own
 * answerPkiRequest, and messages are structured-cloned both ways as postMessage does (CryptoKeys
 * included). terminate() silences it for good, as a terminated worker is.
 */
import { answerPkiRequest } from '../../../src/worker/pki-jobs';
import type { PkiReply, PkiRequest } from '../../../src/worker/pki-protocol';
import type { WorkerLike } from '../../../src/worker/pki-bridge';

export class InProcessWorker extends EventTarget implements WorkerLike {
  terminated = false;
  readonly requests: PkiRequest[] = [];
  /** Requests whose answer has been posted (or would have been, after terminate). */
  readonly answered: Promise<void>[] = [];

  postMessage(message: PkiRequest): void {
    const request = structuredClone(message);
    this.requests.push(request);
    const post = (reply: PkiReply) => {
      if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data: structuredClone(reply) }));
    };
    // A real worker answers in a later task, never within postMessage (setImmediate: tests may fake setTimeout).
    this.answered.push(new Promise<void>((resolve) => setImmediate(resolve)).then(() => answerPkiRequest(request, post)));
  }

  terminate(): void {
    this.terminated = true;
  }
}

/** A worker that takes requests and never answers, as one stuck in a long job. */
export class BusyWorker extends EventTarget implements WorkerLike {
  terminated = false;
  postMessage(): void {}
  terminate(): void {
    this.terminated = true;
  }
}

/** A spawn function for createPkiWorker that records every worker it started. */
export function spawner(): { spawn: () => InProcessWorker; workers: InProcessWorker[] } {
  const workers: InProcessWorker[] = [];
  return {
    workers,
    spawn: () => {
      const worker = new InProcessWorker();
      workers.push(worker);
      return worker;
    },
  };
}
