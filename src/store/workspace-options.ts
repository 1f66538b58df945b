/** How a workspace is opened, and what it tells its subscribers. */
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { ChangeNotice } from './broadcast';
import type { LockManagerLike } from './locks';
import type { PkiServices } from './pki-services';
import type { RoomEnvironment } from './room';
import type { KeyValueStore } from './safety-copy';
import type { StorageManagerLike } from './storage';

export interface WorkspaceOptions<K extends KeyMaterial = KeyMaterial> {
  pki: PkiServices<K>;
  factory?: IDBFactory;
  name?: string;
  /** Web Locks; defaults to navigator.locks, else an in-realm queue. */
  locks?: LockManagerLike;
  /** Defaults to navigator.storage. */
  storage?: StorageManagerLike;
  /** Where the marker and the safety copy live (outside IndexedDB); defaults to localStorage. */
  keyValueStore?: KeyValueStore;
  /** What the free-space check uses; defaults to navigator.storage and Cache Storage. */
  room?: RoomEnvironment;
  /** How long after a change the safety copy is taken (it is debounced); default 1 s. */
  safetyCopyDelayMs?: number;
  /** BroadcastChannel name; defaults to "certdesk:<database name>". */
  channelName?: string;
  clock?: () => number;
  newId?: () => string;
}

/** What subscribers hear: a committed change (here or in another tab), or that this tab must reload. */
export type WorkspaceNotice =
  | ChangeNotice
  | { type: 'reload-needed'; reason: 'newer-version' | 'closed' }
  /** The browser deleted the database under this tab (found after its connection closed). */
  | { type: 'storage-lost' };
