/**
 * Tells other tabs that the workspace changed (BroadcastChannel, same origin). A notice carries
 * only what changed, never data: the receiving tab re-reads from IndexedDB, the one source.
 */

/** What one tab tells the others after a committed action. */
export interface ChangeNotice {
  type: 'changed';
  /** The action's name, e.g. "assignIps". */
  action: string;
  applianceIds: string[];
  /** The tab that made the change. */
  origin: string;
}

function isChangeNotice(value: unknown): value is ChangeNotice {
  const v = value as ChangeNotice | null;
  return typeof v === 'object' && v !== null && v.type === 'changed' && typeof v.action === 'string' && Array.isArray(v.applianceIds);
}

/** A channel to the other tabs; a no-op where BroadcastChannel is absent. */
export class ChangeChannel {
  readonly #channel: BroadcastChannel | undefined;

  constructor(name: string, onNotice: (notice: ChangeNotice) => void) {
    if (typeof BroadcastChannel === 'undefined') return;
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (event: MessageEvent) => {
      if (isChangeNotice(event.data)) onNotice(event.data);
    };
    // Node keeps the process alive for an open channel; a browser has no unref.
    (this.#channel as { unref?: () => void }).unref?.();
  }

  post(notice: ChangeNotice): void {
    this.#channel?.postMessage(notice);
  }

  close(): void {
    this.#channel?.close();
  }
}
