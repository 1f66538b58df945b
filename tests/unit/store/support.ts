/** Shared test setup for the store: a fresh fake-indexeddb factory per test and the real PKI. */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { pkiServices } from '../../../src/store/pki';
import { runPkiJob } from '../../../src/worker/pki-jobs';
import type { PkiServices } from '../../../src/store/pki-services';
import { Workspace } from '../../../src/store/workspace';
import type { WorkspaceOptions } from '../../../src/store/workspace';

export const pki: PkiServices<CertdeskKey> = pkiServices({ runJob: runPkiJob });

let counter = 0;

/** A workspace on its own fresh in-memory IndexedDB. */
export async function freshWorkspace(
  overrides: Partial<WorkspaceOptions<CertdeskKey>> = {},
): Promise<{ ws: Workspace<CertdeskKey>; factory: IDBFactory; name: string }> {
  const factory = overrides.factory ?? new IDBFactory();
  // Unique per file and run: BroadcastChannel names are process-wide when vitest uses threads.
  const name = overrides.name ?? `certdesk-test-${++counter}-${crypto.randomUUID()}`;
  const ws = await Workspace.open<CertdeskKey>({ pki, factory, name, channelName: `test:${name}`, ...overrides });
  return { ws, factory, name };
}

/** Every record of every store, for "nothing changed" comparisons. */
export async function snapshot(ws: Workspace<CertdeskKey>): Promise<Record<string, unknown[]>> {
  const db = ws.database;
  const out: Record<string, unknown[]> = {};
  for (const store of db.objectStoreNames) out[store] = await db.getAll(store as never);
  return out;
}

export const pem = (der: Uint8Array, label = 'CERTIFICATE') =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** The stored DER of a listed certificate (the list holds none). */
export async function derOf(ws: Workspace<CertdeskKey>, certificate: { id: string }): Promise<Uint8Array> {
  return (await ws.certificateDers([certificate.id]))[0]!;
}
