/**
 * What every action module of the workspace works with: the database, the injected PKI, the
 * clock and id source, and the action runner (Web Lock, notice to the tabs, persistence request).
 * src/store/workspace.ts builds one context per open workspace; each action module
 * (certificates.ts, appliances.ts, backup.ts …) takes it as its first argument, so no module
 * needs the Workspace class and nothing imports workspace.ts but its callers.
 */
import { CertdeskError } from '../core/errors';
import type { Appliance } from '../core/appliance/appliance';
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import { chainShape } from '../core/appliance/certificate-entry';
import type { EventDetails, EventEntry, EventKind } from '../core/appliance/event-log';
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { WithLock } from './locks';
import type { PkiServices } from './pki-services';
import type { CertdeskDatabase } from './schema';
import { STORE } from './schema';

export interface WorkspaceContext<K extends KeyMaterial = KeyMaterial> {
  readonly db: CertdeskDatabase;
  readonly pki: PkiServices<K>;
  clock(): number;
  newId(): string;
  /** Throws 'reload-needed' once this tab lost the database (another tab upgraded it). */
  assertOpen(): void;
  /** Runs `work` under the workspace's Web Lock without announcing a change. */
  readonly lock: WithLock;
  /**
   * Runs one user action under the lock, then tells this and the other tabs which appliances
   * changed, then (once per session) asks the browser to persist storage.
   */
  action<T>(name: string, applianceIds: (result: T) => string[], work: () => Promise<T>): Promise<T>;
  /**
   * Refuses ('storage-full') a write of about `recordBytes` that would not fit on the disk, before
   * it starts (room.ts): a full disk can make the browser delete the whole database.
   */
  ensureRoom(recordBytes: number): Promise<void>;
  /** A new event-log entry, stamped now. */
  event(kind: EventKind, message: string, applianceId?: string, details?: EventDetails): EventEntry;
}

/** What an action throws when the certificate it was given is gone. */
export function unknownCertificate(): CertdeskError {
  return new CertdeskError('unknown-certificate', 'That certificate is no longer in the workspace; another tab may have deleted it. The list is refreshed.');
}

/** The appliance `id`, read in the caller's transaction; throws 'unknown-appliance' when it is gone. */
export async function getAppliance(
  t: { objectStore(name: 'appliances'): { get(key: string): Promise<Appliance | undefined> } },
  id: string,
): Promise<Appliance> {
  const appliance = await t.objectStore(STORE.appliances).get(id);
  if (!appliance) {
    throw new CertdeskError('unknown-appliance', 'That appliance is no longer in the workspace; another tab may have changed it. The list is refreshed.');
  }
  return appliance;
}

/**
 * The certificate and its chain as found among `pool` (its appliance's certificates), leaf
 * first: what export, replication and the support package send along.
 */
export function chainOf(certificate: CertificateEntry, pool: readonly CertificateEntry[]): CertificateEntry[] {
  const bySha = new Map(pool.map((c) => [c.sha256, c] as const));
  return chainShape(certificate.facts, pool.map((c) => c.facts))
    .path.map((sha) => bySha.get(sha))
    .filter((c): c is CertificateEntry => c !== undefined);
}
