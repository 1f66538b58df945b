/**
 * Serialises read-modify-write across tabs with Web Locks (`navigator.locks`): an action that
 * reads, does crypto (which would commit an IndexedDB transaction), then writes, holds the lock
 * so no other tab's action interleaves. Where Web Locks are absent (Node, very old browsers) a
 * queue per lock name serialises within this JavaScript realm; IndexedDB transactions still keep
 * each write atomic.
 */

/** The part of the Web Locks API we use. */
export interface LockManagerLike {
  request<T>(name: string, options: { mode: 'exclusive' }, callback: () => Promise<T>): Promise<T>;
}

export type WithLock = <T>(fn: () => Promise<T>) => Promise<T>;

const queues = new Map<string, Promise<unknown>>();

/** A queue per name, shared by everything in this realm: the fallback for absent Web Locks. */
export function inRealmLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(name) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(name, tail);
  void tail.then(() => {
    if (queues.get(name) === tail) queues.delete(name);
  });
  return run;
}

/** The browser's lock manager, if it has one. */
export function defaultLockManager(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks;
}

/** A function that runs its argument while holding the exclusive lock `name`. */
export function createLock(name: string, locks: LockManagerLike | undefined): WithLock {
  if (locks) return (fn) => locks.request(name, { mode: 'exclusive' }, fn);
  return (fn) => inRealmLock(name, fn);
}
