/**
 * The reads a start needs, issued as soon as the database is open (`Workspace.open`), together
 * with the loss check's count: the database answers them in one stream while the page's modules
 * evaluate and mount, instead of one after another once the page asks. Each is handed out once,
 * to the first read of its kind, and only if nothing changed since it was issued (an action of
 * this tab or another tab's notice); otherwise that read goes to the database again.
 */
export class StartReads<R extends Record<string, Promise<unknown>>> {
  #pending: Partial<R> = {};

  /** Keeps `reads` for their first use; their errors surface there. */
  issue(reads: R): void {
    for (const read of Object.values(reads)) read.catch(() => undefined);
    this.#pending = { ...reads };
  }

  /** Something changed in the database since: what was read before is stale, and dropped. */
  changed(): void {
    this.#pending = {};
  }

  /** The start's read of `what`, once, if nothing changed since it was issued; otherwise undefined. */
  take<W extends keyof R>(what: W): R[W] | undefined {
    const read = this.#pending[what];
    delete this.#pending[what];
    return read;
  }
}
