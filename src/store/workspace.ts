/**
 * The workspace: every action the UI calls, and the read model it renders.
 *
 *   const ws = await Workspace.open({ pki: pkiServices() });   // src/store/pki.ts
 *   const view = await ws.ensureWorkspace();              // first start: a default appliance
 *   ws.subscribe((notice) => …);                          // 'changed' (this or another tab), 'reload-needed'
 *   await ws.createSelfSigned(applianceId, { … });        // → CertificateEntry
 *   await ws.createRequest(applianceId, { … });           // → RequestEntry (CSR in .der)
 *   await ws.importFiles(applianceId, [{ name, bytes, password? }], { signal, onProgress });  // → ImportSummary
 *   await ws.checkReadiness(certId, ips, { downtimeConfirmed });      // → ReadinessProblem[]
 *   await ws.assignIps(certId, ips, { downtimeConfirmed, warningsAccepted });
 *   await ws.deleteCertificate(certId); ws.addAppliance({ … }); ws.updateAppliance(id, { … });
 *   await ws.addIpAddress(id, { ip, dnsName });           // served by the factory default
 *   await ws.certificateMaterial(certId);                 // { certificate, key, chain } for export
 *   await ws.replicate(certId, toApplianceId);            // certificate + key + chain
 *   await ws.recordSoftwareUpdate(id, { requestedAt?, installedAt?, certificateIds? });
 *   await ws.failoverCheck(primaryId, backupId); ws.atlasCheck(certId);
 *   await ws.exportBackup(passphrase) / ws.restoreBackup(bytes, passphrase);   // src/store/backup.ts
 *   await ws.storageStatus();                             // { persisted, usage, quota }
 *
 * Each action: all parsing and crypto first, then exactly one readwrite transaction with strict
 * durability (src/store/database.ts `tx`), under the workspace's Web Lock so read-modify-write
 * from two tabs cannot interleave. A failed action changes nothing and throws a CertdeskError
 * ('not-saved' when storage failed). After a commit, other tabs get a BroadcastChannel notice.
 * The read model (`listWorkspace`) holds stored facts plus what is derived from them now:
 * kind, validity, chain shape, private-key availability, assigned IPs, request fulfilment.
 */
import type { Problem } from '../core/errors';
import { CertdeskError } from '../core/errors';
import type { Appliance, ApplianceInput, IpAddress, SoftwareUpdate } from '../core/appliance/appliance';
import { DEFAULT_APPLIANCE, createAppliance, normaliseHostname, withIpAddress, withSoftwareUpdate } from '../core/appliance/appliance';
import type { AtlasCoverage } from '../core/appliance/atlas';
import { atlasCoverage } from '../core/appliance/atlas';
import type {
  CertificateEntry,
  CertificateKind,
  ChainShape,
  RequestEntry,
  SubjectInput,
  ValidityNow,
} from '../core/appliance/certificate-entry';
import { certificateId, certificateKind, chainShape, groupBy, indexBySubject, validityAt } from '../core/appliance/certificate-entry';
import type { CertificateFacts } from '../core/appliance/certificate-facts';
import { readCertificateFacts, verifySelfSigned } from '../core/appliance/certificate-facts';
import { sha256Hex } from '../core/pki/asn1';
import type { EventEntry, EventKind } from '../core/appliance/event-log';
import { logEvent } from '../core/appliance/event-log';
import type { ServingState } from '../core/appliance/failover';
import { compareFailover } from '../core/appliance/failover';
import type { ImportSummary, IncomingFile } from '../core/appliance/import-plan';
import { planImport } from '../core/appliance/import-plan';
import type { IpAssignment } from '../core/appliance/ip-assignment';
import { planAssignment } from '../core/appliance/ip-assignment';
import type { KeyAlgorithmName, KeyEntry, KeyMaterial } from '../core/appliance/key-entry';
import type { ChainCheck, ReadinessProblem } from '../core/appliance/readiness';
import { assertAssignable, readiness } from '../core/appliance/readiness';
import { isAbortError } from '../core/errors';
import type { ChangeNotice } from './broadcast';
import { ChangeChannel } from './broadcast';
import type { OpenOptions, WriteTx } from './database';
import { openDatabase, read, tx, writeAll } from './database';
import type { LockManagerLike, WithLock } from './locks';
import { createLock, defaultLockManager } from './locks';
import type { BackupResult, RestoreSummary } from './backup';
import { createBackup, restoreBackup } from './backup';
import type { PkiServices } from './pki-services';
import type { CertdeskDatabase } from './schema';
import { ALL_STORES, DATABASE_NAME, STORE } from './schema';
import type { StorageManagerLike, StorageStatus } from './storage';
import { defaultStorageManager, requestPersistence, storageStatus } from './storage';

export interface WorkspaceOptions<K extends KeyMaterial = KeyMaterial> {
  pki: PkiServices<K>;
  factory?: IDBFactory;
  name?: string;
  /** Web Locks; defaults to navigator.locks, else an in-realm queue. */
  locks?: LockManagerLike;
  /** Defaults to navigator.storage. */
  storage?: StorageManagerLike;
  /** BroadcastChannel name; defaults to "certdesk:<database name>". */
  channelName?: string;
  clock?: () => number;
  newId?: () => string;
}

/** What subscribers hear: a committed change (here or in another tab), or that this tab must reload. */
export type WorkspaceNotice = ChangeNotice | { type: 'reload-needed'; reason: 'newer-version' | 'closed' };

export interface CertificateView {
  id: string;
  applianceId: string;
  sha256: string;
  friendlyName: string;
  der: Uint8Array;
  facts: CertificateFacts;
  factoryDefault: boolean;
  source: CertificateEntry['source'];
  importedAt: number;
  kind: CertificateKind;
  validity: ValidityNow;
  chain: ChainShape;
  /** The guide's "Private Key: Available". */
  privateKey: 'available' | 'missing';
  keyId?: string;
  /** Whether the linked key can be exported (to a .p12 for replication). */
  keyExportable?: boolean;
  /**
   * The certificate this one renews: same key, the latest earlier expiry. The guide: a renewal
   * takes over "the IP addresses which are currently assigned to the old certificate".
   */
  renews?: string;
  assignedIps: string[];
}

export interface RequestView extends RequestEntry {
  fulfilled: boolean;
}

export interface KeyView {
  id: string;
  friendlyName: string;
  algorithm: string;
  exportable: boolean;
  publicKeySha256: string;
  createdAt: number;
  certificateIds: string[];
}

export interface IpView extends IpAddress {
  certificateId: string | undefined;
  certificateName: string | undefined;
}

export interface ApplianceView {
  appliance: Appliance;
  certificates: CertificateView[];
  requests: RequestView[];
  keys: KeyView[];
  ips: IpView[];
}

export interface WorkspaceView {
  appliances: ApplianceView[];
  /** Newest first, at most EVENTS_IN_VIEW. */
  events: EventEntry[];
  now: number;
}

export const EVENTS_IN_VIEW = 200;

export interface CreateCertificateInput {
  friendlyName: string;
  algorithm: KeyAlgorithmName;
  /** An exportable key can go into a .p12 (failover/Atlas); a non-exportable one never leaves. */
  exportable: boolean;
  subject: SubjectInput;
  subjectAltNames: string[];
  validityDays?: number;
  signal?: AbortSignal;
}

export interface ImportFileInput {
  name: string;
  bytes: Uint8Array;
  password?: string;
}

export interface AssignOptions {
  downtimeConfirmed?: boolean;
  /** The admin accepted the non-blocking problems. */
  warningsAccepted?: boolean;
  /**
   * The admin explicitly accepted blocking problems that would cut clients off (never the hard
   * blocks: a missing private key or an unknown IP).
   */
  blockingAccepted?: boolean;
  now?: number;
}

/** What the factory default certificate of a new appliance is made with. */
const FACTORY_KEY: KeyAlgorithmName = 'ECDSA-P256';
const FACTORY_VALIDITY_DAYS = 3650;

export { DEFAULT_APPLIANCE } from '../core/appliance/appliance';

interface FactoryMaterial<K> {
  key: K;
  der: Uint8Array;
  facts: CertificateFacts;
}

export class Workspace<K extends KeyMaterial = KeyMaterial> {
  readonly tabId: string;
  readonly #db: CertdeskDatabase;
  readonly #pki: PkiServices<K>;
  readonly #lock: WithLock;
  readonly #channel: ChangeChannel;
  readonly #storage: StorageManagerLike | undefined;
  readonly #clock: () => number;
  readonly #newId: () => string;
  readonly #listeners = new Set<(notice: WorkspaceNotice) => void>();
  #persistenceAsked = false;
  #closed = false;

  private constructor(db: CertdeskDatabase, options: WorkspaceOptions<K>, name: string) {
    this.#db = db;
    this.#pki = options.pki;
    this.#clock = options.clock ?? Date.now;
    this.#newId = options.newId ?? (() => globalThis.crypto.randomUUID());
    this.tabId = this.#newId();
    this.#lock = createLock(`certdesk-workspace:${name}`, options.locks ?? defaultLockManager());
    this.#storage = options.storage ?? defaultStorageManager();
    this.#channel = new ChangeChannel(options.channelName ?? `certdesk:${name}`, (notice) => this.#emit(notice));
  }

  /** Opens the database (migrating it if needed). */
  static async open<K extends KeyMaterial>(options: WorkspaceOptions<K>): Promise<Workspace<K>> {
    const name = options.name ?? DATABASE_NAME;
    let workspace: Workspace<K> | undefined;
    const openOptions: OpenOptions = {
      name,
      onReloadNeeded: (reason) => {
        if (workspace) workspace.#reloadNeeded(reason);
      },
    };
    if (options.factory) openOptions.factory = options.factory;
    const db = await openDatabase(openOptions);
    workspace = new Workspace(db, options, name);
    return workspace;
  }

  /** The database, for src/store/backup.ts. */
  get database(): CertdeskDatabase {
    return this.#db;
  }

  get pki(): PkiServices<K> {
    return this.#pki;
  }

  get closed(): boolean {
    return this.#closed;
  }

  subscribe(listener: (notice: WorkspaceNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#channel.close();
    this.#db.close();
  }

  #emit(notice: WorkspaceNotice): void {
    for (const listener of this.#listeners) listener(notice);
  }

  #reloadNeeded(reason: 'newer-version' | 'closed'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.close();
    this.#emit({ type: 'reload-needed', reason });
  }

  /**
   * Runs one action under the workspace lock, then tells this and other tabs, then (once per
   * session, after the first user action) asks the browser to persist storage.
   */
  #assertOpen(): void {
    if (this.#closed) {
      throw new CertdeskError('reload-needed', 'Certdesk was updated in another tab. Reload this page to go on; nothing was saved.');
    }
  }

  async #action<T>(action: string, applianceIds: (result: T) => string[], work: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    const result = await this.#lock(work);
    const notice: ChangeNotice = { type: 'changed', action, applianceIds: applianceIds(result), origin: this.tabId };
    this.#channel.post(notice);
    this.#emit(notice);
    if (!this.#persistenceAsked) {
      this.#persistenceAsked = true;
      await requestPersistence(this.#storage);
    }
    return result;
  }

  #event(kind: EventKind, message: string, applianceId?: string): EventEntry {
    return logEvent(this.#newId(), this.#clock(), kind, message, applianceId);
  }

  /** Whether storage is protected from eviction, and how much is used. */
  storageStatus(): Promise<StorageStatus> {
    return storageStatus(this.#storage);
  }

  // ── Reads ────────────────────────────────────────────────────────────────────────────────

  /** The whole workspace as the UI shows it, derived at `now`. */
  async listWorkspace(now = this.#clock()): Promise<WorkspaceView> {
    this.#assertOpen();
    const data = await read(this.#db, ALL_STORES, async (t) => {
      const events: EventEntry[] = [];
      let cursor = await t.objectStore(STORE.events).index('byAt').openCursor(null, 'prev');
      while (cursor && events.length < EVENTS_IN_VIEW) {
        events.push(cursor.value);
        cursor = await cursor.continue();
      }
      return {
        appliances: await t.objectStore(STORE.appliances).getAll(),
        certificates: await t.objectStore(STORE.certificates).getAll(),
        keys: await t.objectStore(STORE.keys).getAll(),
        requests: await t.objectStore(STORE.requests).getAll(),
        ips: await t.objectStore(STORE.ipAssignments).getAll(),
        events,
      };
    });
    const group = <T extends { applianceId: string }>(list: T[]) => groupBy(list, (item) => item.applianceId);
    const certsBy = group(data.certificates);
    const keysBy = group(data.keys);
    const requestsBy = group(data.requests);
    const ipsBy = group(data.ips);
    const appliances = data.appliances
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((appliance) =>
        applianceView(appliance, certsBy.get(appliance.id) ?? [], keysBy.get(appliance.id) ?? [], requestsBy.get(appliance.id) ?? [], ipsBy.get(appliance.id) ?? [], now),
      );
    return { appliances, events: data.events, now };
  }

  /** A certificate with its key and the chain found on its appliance (for export and replication). */
  async certificateMaterial(
    certId: string,
  ): Promise<{ certificate: CertificateEntry; key: KeyEntry<K> | undefined; chain: CertificateEntry[] }> {
    this.#assertOpen();
    return read(this.#db, [STORE.certificates, STORE.keys], async (t) => {
      const certificate = await t.objectStore(STORE.certificates).get(certId);
      if (!certificate) throw unknownCertificate();
      const pool = await t.objectStore(STORE.certificates).index('byAppliance').getAll(certificate.applianceId);
      const key = certificate.keyId ? ((await t.objectStore(STORE.keys).get(certificate.keyId)) as KeyEntry<K> | undefined) : undefined;
      const bySha = new Map(pool.map((c) => [c.sha256, c] as const));
      const chain = chainShape(certificate.facts, pool.map((c) => c.facts))
        .path.slice(1)
        .map((sha) => bySha.get(sha)!)
        .filter(Boolean);
      return { certificate, key, chain };
    });
  }

  // ── Actions ──────────────────────────────────────────────────────────────────────────────

  async #factoryMaterial(hostname: string, name: string): Promise<FactoryMaterial<K>> {
    const key = await this.#pki.generateKey(FACTORY_KEY, { exportable: false });
    const der = await this.#pki.createSelfSignedCertificate({
      key,
      subject: { CN: 'Certdesk Appliance', O: name },
      subjectAltNames: [hostname],
      validityDays: FACTORY_VALIDITY_DAYS,
    });
    return { key, der, facts: await readCertificateFacts(der) };
  }

  /** Writes a new appliance, its factory default key and certificate, and serves its IPs with it. */
  #putAppliance(
    t: WriteTx<('appliances' | 'keys' | 'certificates' | 'ipAssignments' | 'events')[]>,
    appliance: Appliance,
    factory: FactoryMaterial<K>,
  ): (() => Promise<unknown>)[] {
    const now = this.#clock();
    const keyId = this.#newId();
    const cert: CertificateEntry = {
      id: certificateId(appliance.id, factory.facts.sha256),
      applianceId: appliance.id,
      sha256: factory.facts.sha256,
      friendlyName: 'Factory default',
      der: factory.der,
      facts: factory.facts,
      keyId,
      factoryDefault: true,
      source: 'factory-default',
      importedAt: now,
    };
    return [
      () => t.objectStore(STORE.appliances).add(appliance),
      () => t.objectStore(STORE.keys).add({ id: keyId, applianceId: appliance.id, friendlyName: 'Factory default key', createdAt: now, key: factory.key }),
      () => t.objectStore(STORE.certificates).add(cert),
      ...appliance.ipAddresses.map(
        (e) => () => t.objectStore(STORE.ipAssignments).put({ applianceId: appliance.id, ip: e.ip, certificateId: cert.id }),
      ),
      () => t.objectStore(STORE.events).add(this.#event('appliance-added', `Added appliance ${appliance.name} with its factory default certificate.`, appliance.id)),
    ];
  }

  /** On first start, creates the default appliance; returns the workspace either way. */
  async ensureWorkspace(): Promise<WorkspaceView> {
    this.#assertOpen();
    const count = await read(this.#db, [STORE.appliances], (t) => t.objectStore(STORE.appliances).count());
    if (count > 0) return this.listWorkspace();
    await this.#lock(async () => {
      const factory = await this.#factoryMaterial(DEFAULT_APPLIANCE.hostname, DEFAULT_APPLIANCE.name);
      const appliance = createAppliance(DEFAULT_APPLIANCE, { id: this.#newId(), now: this.#clock(), factoryRootSha256: factory.facts.sha256 });
      await tx(this.#db, [STORE.appliances, STORE.keys, STORE.certificates, STORE.ipAssignments, STORE.events], async (t) => {
        // Another tab may have created it while we generated the key.
        if ((await t.objectStore(STORE.appliances).count()) > 0) return;
        await writeAll([
          ...this.#putAppliance(t, appliance, factory),
          () => t.objectStore(STORE.events).add(this.#event('workspace-created', 'Workspace created.')),
        ]);
      });
    });
    return this.listWorkspace();
  }

  /** Adds an appliance with its own factory default certificate serving all its IPs. */
  addAppliance(input: ApplianceInput): Promise<Appliance> {
    return this.#action('addAppliance', (a) => [a.id], async () => {
      // Validate before spending a key generation on bad input.
      createAppliance(input, { id: '', now: 0, factoryRootSha256: '' });
      const factory = await this.#factoryMaterial(normaliseHostname(input.hostname), input.name.trim());
      const appliance = createAppliance(input, { id: this.#newId(), now: this.#clock(), factoryRootSha256: factory.facts.sha256 });
      await tx(this.#db, [STORE.appliances, STORE.keys, STORE.certificates, STORE.ipAssignments, STORE.events], async (t) => {
        await writeAll(this.#putAppliance(t, appliance, factory));
      });
      return appliance;
    });
  }

  /** Changes the appliance's name, role, hostnames or production flag. */
  updateAppliance(
    applianceId: string,
    patch: Partial<Pick<Appliance, 'name' | 'role' | 'hostname' | 'siteHostname' | 'inProduction'>>,
  ): Promise<Appliance> {
    return this.#action('updateAppliance', () => [applianceId], () =>
      tx(this.#db, [STORE.appliances, STORE.events], async (t) => {
        const current = await getAppliance(t, applianceId);
        const merged = { ...current, ...patch };
        const checked = createAppliance(
          { ...merged, ipAddresses: current.ipAddresses },
          { id: current.id, now: current.createdAt, factoryRootSha256: '' },
        );
        const next: Appliance = { ...checked, clientSoftware: current.clientSoftware };
        await t.objectStore(STORE.appliances).put(next);
        await t.objectStore(STORE.events).add(this.#event('appliance-updated', `Updated appliance ${next.name}.`, applianceId));
        return next;
      }),
    );
  }

  /** Adds an IP address; the guide: a new address "is assigned to the factory default certificate". */
  addIpAddress(applianceId: string, entry: IpAddress): Promise<Appliance> {
    return this.#action('addIpAddress', () => [applianceId], () =>
      tx(this.#db, [STORE.appliances, STORE.certificates, STORE.ipAssignments, STORE.events], async (t) => {
        const appliance = withIpAddress(await getAppliance(t, applianceId), entry);
        const ip = appliance.ipAddresses.at(-1)!;
        const certs = await t.objectStore(STORE.certificates).index('byAppliance').getAll(applianceId);
        const factory = certs.find((c) => c.factoryDefault);
        if (!factory) {
          throw new CertdeskError('no-factory-certificate', `${appliance.name} has no factory default certificate to serve the new address.`);
        }
        await t.objectStore(STORE.appliances).put(appliance);
        await t.objectStore(STORE.ipAssignments).put({ applianceId, ip: ip.ip, certificateId: factory.id });
        await t.objectStore(STORE.events).add(
          this.#event('ip-address-added', `Added IP address ${ip.ip} (${ip.dnsName}); the factory default certificate serves it.`, applianceId),
        );
        return appliance;
      }),
    );
  }

  /** The guide's "Create Self-Signed Certificate": a new key and a self-signed certificate. */
  createSelfSigned(applianceId: string, input: CreateCertificateInput): Promise<CertificateEntry> {
    return this.#action('createSelfSigned', () => [applianceId], async () => {
      const friendlyName = checkedFriendlyName(input.friendlyName);
      const key = await this.#pki.generateKey(input.algorithm, { exportable: input.exportable, ...signalOf(input) });
      const options: Parameters<PkiServices<K>['createSelfSignedCertificate']>[0] = {
        key,
        subject: input.subject,
        subjectAltNames: input.subjectAltNames,
      };
      if (input.validityDays !== undefined) options.validityDays = input.validityDays;
      const der = await this.#pki.createSelfSignedCertificate(options);
      const facts = await readCertificateFacts(der);
      const now = this.#clock();
      const keyId = this.#newId();
      const cert: CertificateEntry = {
        id: certificateId(applianceId, facts.sha256),
        applianceId,
        sha256: facts.sha256,
        friendlyName,
        der,
        facts,
        keyId,
        factoryDefault: false,
        source: 'self-signed',
        importedAt: now,
      };
      await tx(
        this.#db,
        [STORE.appliances, STORE.keys, STORE.certificates, STORE.events],
        async (t) => {
          await getAppliance(t, applianceId);
          await t.objectStore(STORE.keys).add({ id: keyId, applianceId, friendlyName: `${friendlyName} key`, createdAt: now, key });
          await t.objectStore(STORE.certificates).add(cert);
          await t.objectStore(STORE.events).add(this.#event('certificate-created', `Created self-signed certificate "${friendlyName}".`, applianceId));
        },
        input.signal,
      );
      return cert;
    });
  }

  /** The guide's "Create Certificate Request": a new key and a CSR signed with it. */
  createRequest(applianceId: string, input: Omit<CreateCertificateInput, 'validityDays'>): Promise<RequestEntry> {
    return this.#action('createRequest', () => [applianceId], async () => {
      const friendlyName = checkedFriendlyName(input.friendlyName);
      const appliance = await read(this.#db, [STORE.appliances], (t) => getAppliance(t, applianceId));
      const key = await this.#pki.generateKey(input.algorithm, { exportable: input.exportable, ...signalOf(input) });
      const csr = await this.#pki.createCsr({
        key,
        subject: input.subject,
        subjectAltNames: input.subjectAltNames,
        siteHostname: appliance.siteHostname,
      });
      const now = this.#clock();
      const keyId = this.#newId();
      const request: RequestEntry = {
        id: this.#newId(),
        applianceId,
        keyId,
        friendlyName,
        subject: input.subject,
        subjectAltNames: input.subjectAltNames,
        der: csr.der,
        createdAt: now,
      };
      await tx(
        this.#db,
        [STORE.appliances, STORE.keys, STORE.requests, STORE.events],
        async (t) => {
          await getAppliance(t, applianceId);
          await t.objectStore(STORE.keys).add({ id: keyId, applianceId, friendlyName: `${friendlyName} key`, createdAt: now, key });
          await t.objectStore(STORE.requests).add(request);
          await t.objectStore(STORE.events).add(this.#event('request-created', `Created certificate request "${friendlyName}".`, applianceId));
        },
        input.signal,
      );
      return request;
    });
  }

  /**
   * Imports files (certificates, chains, .p7b, .p12 with keys). Every file is decoded first; a
   * file that cannot be read is reported as rejected with the reason and the others still import.
   * All accepted records are written in one transaction.
   */
  importFiles(
    applianceId: string,
    files: readonly ImportFileInput[],
    options: {
      signal?: AbortSignal;
      /** Keys read from files (a .p12 from another server) stay exportable unless false. */
      keysExportable?: boolean;
      /** Called after each file is decoded: (files done, files in all). */
      onProgress?: (done: number, total: number) => void;
    } = {},
  ): Promise<ImportSummary> {
    return this.#action('importFiles', () => [applianceId], async () => {
      const incoming: IncomingFile<K>[] = [];
      for (const file of files) {
        incoming.push(await this.#decodeFile(file, options));
        options.onProgress?.(incoming.length, files.length);
      }
      return tx(
        this.#db,
        [STORE.appliances, STORE.keys, STORE.certificates, STORE.requests, STORE.events],
        async (t) => {
          await getAppliance(t, applianceId);
          const plan = planImport(
            {
              applianceId,
              now: this.#clock(),
              certificates: await t.objectStore(STORE.certificates).index('byAppliance').getAll(applianceId),
              keys: (await t.objectStore(STORE.keys).index('byAppliance').getAll(applianceId)) as KeyEntry<K>[],
              requests: await t.objectStore(STORE.requests).index('byAppliance').getAll(applianceId),
              newId: this.#newId,
            },
            incoming,
          );
          await writeAll([
            ...plan.keys.map((k) => () => t.objectStore(STORE.keys).add(k)),
            ...plan.certificates.map((c) => () => t.objectStore(STORE.certificates).put(c)),
            ...plan.requests.map((r) => () => t.objectStore(STORE.requests).put(r)),
            ...plan.events.map((e) => () => t.objectStore(STORE.events).add(e)),
          ]);
          return plan.summary;
        },
        options.signal,
      );
    });
  }

  async #decodeFile(file: ImportFileInput, options: { signal?: AbortSignal; keysExportable?: boolean }): Promise<IncomingFile<K>> {
    const out: IncomingFile<K> = { file: file.name, certificates: [], keys: [] };
    try {
      const decodeOptions: { password?: string; signal?: AbortSignal } = {};
      if (file.password !== undefined) decodeOptions.password = file.password;
      if (options.signal) decodeOptions.signal = options.signal;
      const decoded = await this.#pki.decodeInput(file.bytes, decodeOptions);
      for (const c of decoded.certificates) {
        const cert: IncomingFile<K>['certificates'][number] = { der: c.der, facts: await readCertificateFacts(c.der) };
        if (c.friendlyName) cert.friendlyName = c.friendlyName;
        out.certificates.push(cert);
      }
      for (const k of decoded.privateKeys) {
        const key = await this.#pki.importPrivateKey(k.pkcs8, { exportable: options.keysExportable ?? true });
        out.keys.push(k.friendlyName ? { key, friendlyName: k.friendlyName } : { key });
      }
      if (out.certificates.length === 0 && out.keys.length === 0) {
        out.rejected = {
          code: 'nothing-to-import',
          message: `${file.name} holds no certificate and no private key. Choose the certificate files your CA sent.`,
        };
      }
    } catch (error) {
      if (isAbortError(error)) throw error;
      out.certificates = [];
      out.keys = [];
      out.rejected =
        error instanceof CertdeskError
          ? { code: error.code, message: error.message }
          : { code: 'unreadable-file', message: `${file.name} could not be read as a certificate, chain or key file.` };
    }
    return out;
  }

  async #chainCheck(cert: CertificateEntry, pool: readonly CertificateEntry[], now: number): Promise<ChainCheck> {
    const validity = validityAt(cert.facts, now);
    if (validity !== 'valid') {
      return {
        ok: false,
        problems: [{ code: validity, message: validity === 'expired' ? 'the certificate has expired.' : 'the certificate is not valid yet.' }],
      };
    }
    // A self-signed server certificate is its own trust anchor; whether clients trust it is the
    // client-software check. Its signature must still verify.
    if (cert.facts.selfIssued && !cert.facts.isCa) {
      if (await verifySelfSigned(cert.der)) return { ok: true, rootSha256: cert.sha256 };
      return { ok: false, problems: [{ code: 'bad-signature', message: 'its self-signature does not verify; the certificate is damaged.' }] };
    }
    const others = pool.filter((c) => c.id !== cert.id);
    const result = await this.#pki.validatePath(
      cert.der,
      {
        intermediates: others.filter((c) => !c.facts.selfIssued).map((c) => c.der),
        roots: others.filter((c) => c.facts.selfIssued).map((c) => c.der),
      },
      { time: new Date(now) },
    );
    if (!result.ok) return result;
    const root = result.path.at(-1)!;
    return { ok: true, rootSha256: await sha256Hex(root) };
  }

  async #readinessState(certId: string) {
    this.#assertOpen();
    return read(this.#db, [STORE.certificates, STORE.appliances, STORE.keys], async (t) => {
      const certificate = await t.objectStore(STORE.certificates).get(certId);
      if (!certificate) throw unknownCertificate();
      const appliance = await getAppliance(t, certificate.applianceId);
      const pool = await t.objectStore(STORE.certificates).index('byAppliance').getAll(certificate.applianceId);
      const key = certificate.keyId ? await t.objectStore(STORE.keys).get(certificate.keyId) : undefined;
      return { certificate, appliance, pool, keyAvailable: key !== undefined && key.applianceId === appliance.id };
    });
  }

  /** Every problem with assigning `ips` to the certificate now (nothing is written). */
  async checkReadiness(certId: string, ips: readonly string[], options: AssignOptions = {}): Promise<ReadinessProblem[]> {
    const now = options.now ?? this.#clock();
    const state = await this.#readinessState(certId);
    return readiness({
      appliance: state.appliance,
      certificate: state.certificate,
      privateKeyAvailable: state.keyAvailable,
      ips,
      chain: await this.#chainCheck(state.certificate, state.pool, now),
      now,
      downtimeConfirmed: options.downtimeConfirmed ?? false,
    });
  }

  /**
   * Assigns IPs to a certificate after the readiness check: blocking problems refuse ('not-ready'),
   * warnings need `warningsAccepted` ('confirmation-needed'). Each IP moves from its old
   * certificate. Returns the problems the admin accepted.
   */
  assignIps(certId: string, ips: readonly string[], options: AssignOptions = {}): Promise<ReadinessProblem[]> {
    let applianceId = '';
    return this.#action('assignIps', () => [applianceId], async () => {
      // Read, validate (crypto), then write: the lock keeps another tab from changing what we read.
      const problems = await this.checkReadiness(certId, ips, options);
      assertAssignable(problems, options.warningsAccepted ?? false, options.blockingAccepted ?? false);
      await tx(this.#db, [STORE.certificates, STORE.appliances, STORE.keys, STORE.ipAssignments, STORE.events], async (t) => {
        const cert = await t.objectStore(STORE.certificates).get(certId);
        if (!cert) throw unknownCertificate();
        applianceId = cert.applianceId;
        const appliance = await getAppliance(t, cert.applianceId);
        if (!cert.keyId || !(await t.objectStore(STORE.keys).get(cert.keyId))) {
          throw new CertdeskError('private-key-unavailable', `The private key of "${cert.friendlyName}" is not available.`);
        }
        const current = await t.objectStore(STORE.ipAssignments).index('byAppliance').getAll(appliance.id);
        const plan = planAssignment(appliance, current, certId, ips);
        await writeAll(plan.assignments.map((a) => () => t.objectStore(STORE.ipAssignments).put(a)));
        if (plan.moves.length > 0) {
          await t.objectStore(STORE.events).add(
            this.#event('ips-assigned', `Assigned ${plan.moves.map((m) => m.ip).join(', ')} to "${cert.friendlyName}".`, appliance.id),
          );
        }
      });
      return problems;
    });
  }

  /**
   * Deletes a certificate. Refused for the factory default and for a certificate still serving
   * an IP ("the old certificate may be removed" once its IPs moved). Its key stays: a renewal
   * may still arrive for it.
   */
  deleteCertificate(certId: string): Promise<void> {
    let applianceId = '';
    return this.#action('deleteCertificate', () => [applianceId], () =>
      tx(this.#db, [STORE.certificates, STORE.ipAssignments, STORE.requests, STORE.events], async (t) => {
        const cert = await t.objectStore(STORE.certificates).get(certId);
        if (!cert) throw unknownCertificate();
        applianceId = cert.applianceId;
        if (cert.factoryDefault) {
          throw new CertdeskError('factory-default', 'The factory default certificate ships with the appliance and cannot be deleted.');
        }
        const serving = await t.objectStore(STORE.ipAssignments).index('byCertificate').getAll(certId);
        if (serving.length > 0) {
          throw new CertdeskError(
            'certificate-in-use',
            `"${cert.friendlyName}" still serves ${serving.map((a) => a.ip).join(', ')}. Assign those addresses to another certificate first.`,
          );
        }
        await t.objectStore(STORE.certificates).delete(certId);
        // A request fulfilled by this certificate points to another one with the same key, if any.
        const requests = await t.objectStore(STORE.requests).index('byAppliance').getAll(cert.applianceId);
        const sameKey = cert.keyId ? (await t.objectStore(STORE.certificates).index('byKey').getAll(cert.keyId)) : [];
        for (const req of requests.filter((r) => r.fulfilledBy === certId)) {
          const next: RequestEntry = { ...req };
          const other = sameKey.find((c) => c.id !== certId);
          if (other) next.fulfilledBy = other.id;
          else delete next.fulfilledBy;
          await t.objectStore(STORE.requests).put(next);
        }
        await t.objectStore(STORE.events).add(this.#event('certificate-deleted', `Deleted certificate "${cert.friendlyName}".`, cert.applianceId));
      }),
    );
  }

  /**
   * Copies a certificate with its private key and chain to another appliance (the guide's
   * export with key and chain, import on the backup). Only exportable keys can be replicated.
   */
  replicate(certId: string, toApplianceId: string): Promise<{ copied: string[]; alreadyPresent: string[] }> {
    return this.#action('replicate', () => [toApplianceId], () =>
      tx(this.#db, [STORE.appliances, STORE.certificates, STORE.keys, STORE.events], async (t) => {
        const cert = await t.objectStore(STORE.certificates).get(certId);
        if (!cert) throw unknownCertificate();
        const target = await getAppliance(t, toApplianceId);
        if (target.id === cert.applianceId) {
          throw new CertdeskError('same-appliance', 'Choose another appliance to copy the certificate to.');
        }
        const key = cert.keyId ? await t.objectStore(STORE.keys).get(cert.keyId) : undefined;
        if (!key) {
          throw new CertdeskError('private-key-unavailable', `"${cert.friendlyName}" has no private key here, so it cannot serve another appliance.`);
        }
        if (!key.key.exportable) {
          throw new CertdeskError(
            'key-not-exportable',
            `The key of "${cert.friendlyName}" was created non-exportable and can never leave this browser. Create an exportable key and have the certificate re-issued for it.`,
          );
        }
        const sourcePool = await t.objectStore(STORE.certificates).index('byAppliance').getAll(cert.applianceId);
        const targetPool = await t.objectStore(STORE.certificates).index('byAppliance').getAll(target.id);
        const targetKeys = await t.objectStore(STORE.keys).index('byAppliance').getAll(target.id);
        const now = this.#clock();
        let targetKey = targetKeys.find((k) => k.key.publicKeySha256 === key.key.publicKeySha256);
        if (!targetKey) {
          targetKey = { ...key, id: this.#newId(), applianceId: target.id, createdAt: now };
          await t.objectStore(STORE.keys).add(targetKey);
        }
        const bySha = new Map(sourcePool.map((c) => [c.sha256, c] as const));
        const chain = chainShape(cert.facts, sourcePool.map((c) => c.facts)).path.map((sha) => bySha.get(sha)!);
        const copied: string[] = [];
        const alreadyPresent: string[] = [];
        for (const c of chain) {
          const id = certificateId(target.id, c.sha256);
          const existing = targetPool.find((p) => p.id === id);
          if (existing) {
            alreadyPresent.push(id);
            if (c.sha256 === cert.sha256 && existing.keyId === undefined) {
              await t.objectStore(STORE.certificates).put({ ...existing, keyId: targetKey.id });
            }
            continue;
          }
          const copy: CertificateEntry = { ...c, id, applianceId: target.id, source: 'replicated', factoryDefault: false, importedAt: now };
          delete copy.keyId;
          if (c.sha256 === cert.sha256) copy.keyId = targetKey.id;
          await t.objectStore(STORE.certificates).add(copy);
          copied.push(id);
        }
        await t.objectStore(STORE.events).add(
          this.#event('certificate-replicated', `Copied "${cert.friendlyName}" with its key and ${chain.length - 1} chain certificate(s) to ${target.name}.`, target.id),
        );
        return { copied, alreadyPresent };
      }),
    );
  }

  /**
   * Records a client-software update. `certificateIds`: the certificates sent to the vendor; once
   * the build is installed, the roots of their chains are in the client software.
   */
  recordSoftwareUpdate(
    applianceId: string,
    update: { requestedAt?: number; installedAt?: number; certificateIds?: string[] },
  ): Promise<Appliance> {
    return this.#action('recordSoftwareUpdate', () => [applianceId], () =>
      tx(this.#db, [STORE.appliances, STORE.certificates, STORE.events], async (t) => {
        const appliance = await getAppliance(t, applianceId);
        const pool = await t.objectStore(STORE.certificates).index('byAppliance').getAll(applianceId);
        const index = indexBySubject(pool.map((c) => c.facts));
        const roots: string[] = [];
        for (const id of update.certificateIds ?? []) {
          const cert = pool.find((c) => c.id === id);
          if (!cert) throw unknownCertificate();
          const shape = chainShape(cert.facts, index);
          if (shape.shape !== 'complete') {
            throw new CertdeskError(
              'chain-incomplete',
              `The chain of "${cert.friendlyName}" lacks its ${shape.shape === 'missing-root' ? 'root' : 'intermediate'} certificate; the vendor builds the root into the client software, so import it first.`,
            );
          }
          roots.push(shape.path.at(-1)!);
        }
        const change: SoftwareUpdate = {};
        if (update.requestedAt !== undefined) change.requestedAt = update.requestedAt;
        if (update.installedAt !== undefined) change.installedAt = update.installedAt;
        if (roots.length) change.roots = roots;
        const next = withSoftwareUpdate(appliance, change);
        await t.objectStore(STORE.appliances).put(next);
        await t.objectStore(STORE.events).add(
          this.#event(
            'software-update-recorded',
            update.installedAt !== undefined ? `Client-software update installed on ${appliance.name}.` : `Client-software update requested for ${appliance.name}.`,
            applianceId,
          ),
        );
        return next;
      }),
    );
  }

  /** The whole workspace, encrypted under `passphrase`, as one file (src/store/backup.ts). */
  exportBackup(passphrase: string, options: { iterations?: number; signal?: AbortSignal } = {}): Promise<BackupResult> {
    return createBackup(this, passphrase, { ...options, now: this.#clock() });
  }

  /** Merges a backup into the workspace; a wrong passphrase or damaged file changes nothing. */
  restoreBackup(bytes: Uint8Array, passphrase: string): Promise<RestoreSummary> {
    return this.#action('restoreBackup', () => [], () => restoreBackup(this, bytes, passphrase, { now: this.#clock(), newId: this.#newId }));
  }

  /** Differences that would break failover between the two appliances (empty: identical). */
  async failoverCheck(primaryId: string, backupId: string): Promise<Problem[]> {
    this.#assertOpen();
    const [primary, backup] = await read(this.#db, [STORE.appliances, STORE.certificates, STORE.keys, STORE.ipAssignments], async (t) => {
      const state = async (id: string): Promise<ServingState> => ({
        appliance: await getAppliance(t, id),
        certificates: await t.objectStore(STORE.certificates).index('byAppliance').getAll(id),
        assignments: await t.objectStore(STORE.ipAssignments).index('byAppliance').getAll(id),
        keyIds: new Set(await t.objectStore(STORE.keys).index('byAppliance').getAllKeys(id)),
      });
      return [await state(primaryId), await state(backupId)] as const;
    });
    return compareFailover(primary, backup);
  }

  /** Whether one certificate covers the site hostname and every Atlas node's names. */
  async atlasCheck(certId: string): Promise<AtlasCoverage> {
    this.#assertOpen();
    const { cert, appliances } = await read(this.#db, [STORE.appliances, STORE.certificates], async (t) => {
      const cert = await t.objectStore(STORE.certificates).get(certId);
      if (!cert) throw unknownCertificate();
      return { cert, appliances: await t.objectStore(STORE.appliances).getAll() };
    });
    const home = appliances.find((a) => a.id === cert.applianceId)!;
    const nodes = appliances.filter((a) => a.siteHostname === home.siteHostname);
    return atlasCoverage(cert.facts, home.siteHostname, nodes);
  }
}

function signalOf(input: { signal?: AbortSignal }): { signal?: AbortSignal } {
  return input.signal ? { signal: input.signal } : {};
}

function checkedFriendlyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') {
    throw new CertdeskError('invalid-friendly-name', 'Give the certificate a friendly name, e.g. your DNS name or the month and year.');
  }
  return trimmed;
}

function unknownCertificate(): CertdeskError {
  return new CertdeskError('unknown-certificate', 'That certificate is no longer in the workspace; another tab may have deleted it. The list is refreshed.');
}

async function getAppliance(
  t: { objectStore(name: 'appliances'): { get(key: string): Promise<Appliance | undefined> } },
  id: string,
): Promise<Appliance> {
  const appliance = await t.objectStore(STORE.appliances).get(id);
  if (!appliance) {
    throw new CertdeskError('unknown-appliance', 'That appliance is no longer in the workspace; another tab may have changed it. The list is refreshed.');
  }
  return appliance;
}

function applianceView(
  appliance: Appliance,
  certificates: CertificateEntry[],
  keys: KeyEntry[],
  requests: RequestEntry[],
  ips: IpAssignment[],
  now: number,
): ApplianceView {
  certificates.sort((a, b) => a.importedAt - b.importedAt || a.id.localeCompare(b.id));
  const index = indexBySubject(certificates.map((c) => c.facts));
  const keysById = new Map(keys.map((k) => [k.id, k] as const));
  const certNames = new Map(certificates.map((c) => [c.id, c.friendlyName] as const));
  const served = new Map<string, string[]>();
  for (const a of ips) served.set(a.certificateId, [...(served.get(a.certificateId) ?? []), a.ip]);
  const byKey = new Map<string, CertificateEntry[]>();
  for (const c of certificates) {
    if (c.keyId === undefined) continue;
    const list = byKey.get(c.keyId);
    if (list) list.push(c);
    else byKey.set(c.keyId, [c]);
  }
  const certViews = certificates.map((c): CertificateView => {
    const key = c.keyId ? keysById.get(c.keyId) : undefined;
    const view: CertificateView = {
      id: c.id,
      applianceId: c.applianceId,
      sha256: c.sha256,
      friendlyName: c.friendlyName,
      der: c.der,
      facts: c.facts,
      factoryDefault: c.factoryDefault,
      source: c.source,
      importedAt: c.importedAt,
      kind: certificateKind(c.facts),
      validity: validityAt(c.facts, now),
      chain: chainShape(c.facts, index).shape,
      privateKey: key ? 'available' : 'missing',
      assignedIps: served.get(c.id) ?? [],
    };
    if (key) {
      view.keyId = key.id;
      view.keyExportable = key.key.exportable;
      const previous = (byKey.get(key.id) ?? [])
        .filter((o) => o.id !== c.id && o.facts.notAfter < c.facts.notAfter)
        .sort((a, b) => b.facts.notAfter - a.facts.notAfter)[0];
      if (previous) view.renews = previous.id;
    }
    return view;
  });
  const assignment = new Map(ips.map((a) => [a.ip, a.certificateId] as const));
  return {
    appliance,
    certificates: certViews,
    requests: requests
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((r) => ({ ...r, fulfilled: r.fulfilledBy !== undefined })),
    keys: keys.map((k) => ({
      id: k.id,
      friendlyName: k.friendlyName,
      algorithm: k.key.algorithm,
      exportable: k.key.exportable,
      publicKeySha256: k.key.publicKeySha256,
      createdAt: k.createdAt,
      certificateIds: (byKey.get(k.id) ?? []).map((c) => c.id),
    })),
    ips: appliance.ipAddresses.map((e) => {
      const id = assignment.get(e.ip);
      return { ...e, certificateId: id, certificateName: id ? certNames.get(id) : undefined };
    }),
  };
}
