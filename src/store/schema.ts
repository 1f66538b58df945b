/**
 * The IndexedDB schema: typed with idb's DBSchema, created and migrated by one cumulative
 * `upgrade(db, oldVersion)` that is safe from any old version (each step runs once, in order,
 * inside the version-change transaction, so a failed step leaves the old database untouched).
 *
 * Versions:
 *   1 — first release: appliances, keys, requests, certificates, IP assignments, events.
 *   2 — index certificates by key id (`byKey`), so linking, deleting and replicating find a
 *       key's certificates without reading every certificate of the appliance.
 *   3 — index events by appliance and time (`byAppliance`, [applianceId, at]), so the event log
 *       of one appliance reads newest first without reading every event. Events with no
 *       appliance (the workspace's own) are not in it; the log of all uses `byAt`.
 *   4 — `chainStatuses`: each certificate's chain status as last computed, with what it depends
 *       on (chain-statuses.ts), so a start reads them instead of recomputing. Derived state: a
 *       record that is missing, stale or from other rules is only recomputed, never trusted.
 *   5 — `certificateIndex`: every certificate without its DER, packed in 16 buckets per
 *       appliance (certificate-index.ts), written in the same transaction as the certificates,
 *       so a start reads a few records instead of every certificate. Built from the existing
 *       certificates in the upgrade.
 *   6 — `chainStatuses` holds its statuses packed in 16 buckets per appliance (chain-statuses.ts),
 *       as the certificate index does: a start reads a few records instead of one per
 *       certificate. The statuses kept one per record are cleared: derived state, computed again
 *       by the next sync (as after any new version of the rules).
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { Appliance } from '../core/appliance/appliance';
import type { CertificateEntry, RequestEntry } from '../core/appliance/certificate-entry';
import type { EventEntry } from '../core/appliance/event-log';
import type { IpAssignment } from '../core/appliance/ip-assignment';
import type { KeyEntry } from '../core/appliance/key-entry';
import type { ChainStatusBucket } from './chain-statuses';
import type { CertificateIndexBucket } from './certificate-index';
import { rebuildCertificateIndex } from './certificate-index';

/** The database's name in the origin. Changing this loses data: old databases are not found. */
export const DATABASE_NAME = 'certdesk';

/** The current schema version. Raise it only together with a new step in `upgrade`. */
export const SCHEMA_VERSION = 6;

/**
 * Object store names. Changing any of these loses data: existing records stay under the old name
 * where no code reads them. Rename only with a migration that copies the records.
 */
export const STORE = {
  appliances: 'appliances',
  keys: 'keys',
  requests: 'requests',
  certificates: 'certificates',
  ipAssignments: 'ipAssignments',
  events: 'events',
  chainStatuses: 'chainStatuses',
  certificateIndex: 'certificateIndex',
} as const;

export interface CertdeskSchema extends DBSchema {
  appliances: { key: string; value: Appliance };
  keys: { key: string; value: KeyEntry; indexes: { byAppliance: string; byPublicKey: string } };
  requests: { key: string; value: RequestEntry; indexes: { byAppliance: string } };
  certificates: {
    key: string;
    value: CertificateEntry;
    indexes: { byAppliance: string; bySha256: string; byKey: string };
  };
  /** Keyed by [applianceId, ip]: one certificate per IP holds by construction. */
  ipAssignments: { key: [string, string]; value: IpAssignment; indexes: { byAppliance: string; byCertificate: string } };
  events: { key: string; value: EventEntry; indexes: { byAt: number; byAppliance: [string, number] } };
  /** Keyed by `${applianceId}:${bucket}`; derived from `certificates`, kept up to date by chain-status-keeper.ts. */
  chainStatuses: { key: string; value: ChainStatusBucket; indexes: { byAppliance: string } };
  /** Keyed by `${applianceId}:${bucket}`; written with `certificates` (certificate-index.ts). */
  certificateIndex: { key: string; value: CertificateIndexBucket };
}

export type CertdeskDatabase = IDBPDatabase<CertdeskSchema>;
export type StoreName = StoreNames<CertdeskSchema>;
/** The stores that hold the admin's records (everything but derived state and the certificate index). */
export const ALL_STORES: StoreName[] = [STORE.appliances, STORE.keys, STORE.requests, STORE.certificates, STORE.ipAssignments, STORE.events];

/**
 * Brings a database from `oldVersion` (0 when new) to SCHEMA_VERSION. Each step only adds to the
 * admin's records; none deletes a store or rewrites them, so no step can lose data (v6 clears
 * derived state only). The last step's index is built
 * by requests that continue after this returns, within the same version-change transaction.
 */
export function upgrade(
  db: CertdeskDatabase,
  oldVersion: number,
  tx: IDBPTransaction<CertdeskSchema, StoreName[], 'versionchange'>,
): void {
  if (oldVersion < 1) {
    db.createObjectStore(STORE.appliances, { keyPath: 'id' });
    const keys = db.createObjectStore(STORE.keys, { keyPath: 'id' });
    keys.createIndex('byAppliance', 'applianceId');
    keys.createIndex('byPublicKey', 'key.publicKeySha256');
    const requests = db.createObjectStore(STORE.requests, { keyPath: 'id' });
    requests.createIndex('byAppliance', 'applianceId');
    const certificates = db.createObjectStore(STORE.certificates, { keyPath: 'id' });
    certificates.createIndex('byAppliance', 'applianceId');
    certificates.createIndex('bySha256', 'sha256');
    const ips = db.createObjectStore(STORE.ipAssignments, { keyPath: ['applianceId', 'ip'] });
    ips.createIndex('byAppliance', 'applianceId');
    ips.createIndex('byCertificate', 'certificateId');
    const events = db.createObjectStore(STORE.events, { keyPath: 'id' });
    events.createIndex('byAt', 'at');
  }
  if (oldVersion < 2) {
    // Indexing an existing store indexes its existing records too (IndexedDB 3.0 §4.7 createIndex).
    tx.objectStore(STORE.certificates).createIndex('byKey', 'keyId');
  }
  if (oldVersion < 3) {
    tx.objectStore(STORE.events).createIndex('byAppliance', ['applianceId', 'at']);
  }
  if (oldVersion < 4) {
    // Starts empty: the first start computes every status once (off the page's thread) and keeps it.
    const statuses = db.createObjectStore(STORE.chainStatuses, { keyPath: 'id' });
    statuses.createIndex('byAppliance', 'applianceId');
  }
  if (oldVersion < 5) {
    db.createObjectStore(STORE.certificateIndex, { keyPath: 'id' });
    // Requests of the version-change transaction keep it open until the index is built; a
    // failure aborts it, and the database stays at the old version, untouched.
    rebuildCertificateIndex(tx as unknown as Parameters<typeof rebuildCertificateIndex>[0]).catch(() => {
      try {
        tx.abort();
      } catch {
        // Already finished.
      }
    });
  }
  if (oldVersion >= 4 && oldVersion < 6) {
    // One status per record before: recomputed (off the page's thread) and kept in buckets.
    void tx.objectStore(STORE.chainStatuses).clear();
  }
}
