/**
 * Long loops on the page's thread must let other tasks run (input above all): a task over 50 ms
 * is a long task (the page does not answer), and in Chromium awaiting WebCrypto or IndexedDB
 * alone does not yield to other tasks (RELIABILITY.md, "Learned since").
 */

interface Scheduler {
  yield?: () => Promise<void>;
}

/**
 * Lets the event loop run other tasks, then goes on. `scheduler.yield()` where the browser has
 * it (Chromium: the rest of the loop keeps its place ahead of other queued work); otherwise a
 * macrotask that is not a timeout (browsers clamp nested timeouts to 4 ms): setImmediate in
 * Node, a MessageChannel round trip in browsers and workers.
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const g = globalThis as { setImmediate?: (callback: () => void) => unknown };
    if (typeof g.setImmediate === 'function') {
      g.setImmediate(resolve);
    } else if (typeof MessageChannel === 'function') {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    } else {
      setTimeout(resolve, 0);
    }
  });
}

/** Work between two yields of a loop: well under the 50 ms of a long task, with room for the task's own overhead. */
export const SLICE_MS = 12;

/**
 * A loop's pause: call and await it once per step; it yields when the loop has worked for
 * `sliceMs` since the last yield, and otherwise costs a microtask.
 *
 *   const pause = pauser();
 *   for (const item of items) { work(item); await pause(); }
 */
export function pauser(sliceMs = SLICE_MS): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await yieldToEventLoop();
    since = performance.now();
  };
}
