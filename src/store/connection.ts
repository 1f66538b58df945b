/**
 * Whether this tab's workspace may still read and write: it stops for good when the page closes
 * it, when another tab opens a newer schema, or when the browser closes the database (storage
 * cleared or deleted). Every action and read asks first (`assertOpen`).
 */
import { CertdeskError } from '../core/errors';
import { databaseExists } from './safety';
import type { WorkspaceNotice } from './workspace-options';

export class Connection {
  #closed = false;
  #closedBy: 'newer-version' | 'closed' | undefined;

  readonly #onClose: () => void;
  readonly #emit: (notice: WorkspaceNotice) => void;

  constructor(onClose: () => void, emit: (notice: WorkspaceNotice) => void) {
    this.#onClose = onClose;
    this.#emit = emit;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The page closes the workspace. */
  close(): void {
    this.#closed = true;
    this.#onClose();
  }

  /** The database connection had to close: the page must reload (and is told whether the data is still there). */
  reloadNeeded(reason: 'newer-version' | 'closed', factory: IDBFactory | undefined, database: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closedBy = reason;
    this.#onClose();
    if (reason === 'newer-version') {
      this.#emit({ type: 'reload-needed', reason });
      return;
    }
    // The browser closed the connection: find out whether it also deleted the database.
    void databaseExists(factory, database).then((exists) => this.#emit(exists === false ? { type: 'storage-lost' } : { type: 'reload-needed', reason }));
  }

  assertOpen(): void {
    if (!this.#closed) return;
    throw new CertdeskError(
      'reload-needed',
      this.#closedBy === 'closed'
        ? 'The browser closed Certdesk’s storage. Reload this page to go on; nothing was saved.'
        : 'Certdesk was updated in another tab. Reload this page to go on; nothing was saved.',
    );
  }
}
