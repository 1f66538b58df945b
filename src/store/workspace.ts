/**
 * The workspace: the one entry the UI and the tests use — every action, and the read model.
 * Each method delegates to the module of its action group; this class owns what they share
 * (the open database, the Web Lock, the tab channel, the clock) and hands it to them as a
 * WorkspaceContext (src/store/context.ts).
 *
 *   const ws = await Workspace.open({ pki: pkiServices({ runJob }) });   // src/store/pki.ts
 *   const view = await ws.ensureWorkspace();              // first start: a default appliance
 *   await ws.checkStorageLoss();                          // once shown: records the browser deleted, if any
 *   ws.subscribe((notice) => …);                          // 'changed' (this or another tab), 'reload-needed'
 *   await ws.createSelfSigned(applianceId, { … }) / ws.createRequest(applianceId, { … });
 *   await ws.importFiles(applianceId, [{ name, bytes, password? }], { signal, onProgress });
 *   await ws.chainStatuses();                             // the kept chain statuses that hold now
 *   await ws.syncChainStatuses([applianceId]);            // recompute what a change made stale
 *   await ws.checkReadiness(certId, ips, { downtimeConfirmed }) / ws.assignIps(certId, ips, { … });
 *   await ws.exportCertificates(certIds, choice, { signal, onProgress });   // → { name, bytes, type }
 *   await ws.supportPackage(certId, { picture, signal });  // → { name, bytes, files }
 *   await ws.createInternalCa(applianceId, { … }) / ws.signRequest(requestId, { … });
 *   await ws.replicate(certId, toApplianceId); ws.failoverCheck(a, b); ws.atlasCheck(certId);
 *   await ws.exportBackup(passphrase) / ws.restoreBackup(bytes, passphrase);
 *
 * Each action: all parsing and crypto first, then exactly one readwrite transaction with strict
 * durability (src/store/database.ts `tx`), under the workspace's Web Lock so read-modify-write
 * from two tabs cannot interleave. A failed action changes nothing and throws a CertdeskError
 * ('not-saved' when storage failed). After a commit, other tabs get a BroadcastChannel notice.
 */
import { CertdeskError, type Problem } from '../core/errors';
import type { Appliance, ApplianceInput, IpAddress } from '../core/appliance/appliance';
import type { AtlasCoverage } from '../core/appliance/atlas';
import type { CertificateEntry, RequestEntry } from '../core/appliance/certificate-entry';
import { logEvent, type EventDetails, type EventKind } from '../core/appliance/event-log';
import type { ImportSummary } from '../core/appliance/import-plan';
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { ReadinessProblem } from '../core/appliance/readiness';
import type { AppliancePatch } from './appliances';
import type { AssignOptions } from './assignment';
import type { BackupResult } from './backup';
import type { RestoreSummary } from './contents';
import { ChangeChannel, type ChangeNotice } from './broadcast';
import { actions, lazyBackgroundWork } from './actions';
import type { BackgroundWork } from './background-work';
import { readChainStatuses, type ChainStatusUpdate, type ListedChainStatuses } from './chain-statuses';
import type { CreateCertificateInput, ImportFiles, ImportOptions, RekeyDraft } from './certificates';
import type { WorkspaceContext } from './context';
import { openDatabase, type OpenOptions } from './database';
import type { ExportChoice, ExportFile, ExportOptions, ExportSource } from './export';
import type { EventPage, EventQuery } from './events';
import type { ReplaceOptions, ReplacementPreview } from './replacement';
import type { CertificateReview, PathLink } from './certificate-details';
import type { LeadTimes } from '../core/appliance/expiry-plan';
import type { RootChange } from '../core/appliance/root-change';
import type { InternalCaInput } from './internal-ca';
import { createLock, defaultLockManager } from './locks';
import type { CertificateDescription, ChainStatus, PkiServices, ValidationProblem } from './pki-services';
import * as readModel from './read-model';
import type { CertificateMaterial, WorkspaceView } from './read-model';
import { DATABASE_NAME, type CertdeskDatabase } from './schema';
import type { SoftwareUpdateInput } from './software-update';
import { defaultRoomEnvironment, ensureRoom } from './room';
import { defaultKeyValueStore, type StorageLoss } from './safety-copy';
import * as safety from './safety';
import { Connection } from './connection';
import { StartReads } from './start-reads';
import { defaultStorageManager, requestPersistence, storageStatus, type StorageManagerLike, type StorageStatus } from './storage';
import type { SupportPackage } from './support-package';
import type { WorkspaceNotice, WorkspaceOptions } from './workspace-options';

// The types and helpers the UI takes from the store, in one list (src/store/exports.ts).
export * from './exports';
export type { WorkspaceNotice, WorkspaceOptions } from './workspace-options';

export class Workspace<K extends KeyMaterial = KeyMaterial> {
  readonly tabId: string;
  readonly #db: CertdeskDatabase;
  readonly #pki: PkiServices<K>;
  readonly #channel: ChangeChannel;
  readonly #storage: StorageManagerLike | undefined;
  readonly #clock: () => number;
  readonly #listeners = new Set<(notice: WorkspaceNotice) => void>();
  readonly #ctx: WorkspaceContext<K>;
  readonly #safety: safety.SafetyState;
  readonly #background: BackgroundWork;
  #persistenceAsked = false;
  readonly #connection: Connection;
  readonly #startReads = new StartReads<{ records: ReturnType<typeof readModel.readRecords>; chains: Promise<ListedChainStatuses> }>();

  private constructor(db: CertdeskDatabase, options: WorkspaceOptions<K>, name: string) {
    this.#db = db;
    this.#pki = options.pki;
    this.#clock = options.clock ?? Date.now;
    const newId = options.newId ?? (() => globalThis.crypto.randomUUID());
    this.tabId = newId();
    this.#storage = options.storage ?? defaultStorageManager();
    this.#channel = new ChangeChannel(options.channelName ?? `certdesk:${name}`, (notice) => {
      this.#startReads.changed();
      this.#emit(notice);
    });
    this.#connection = new Connection(
      () => this.#channel.close(),
      (notice) => this.#emit(notice),
    );
    const lock = createLock(`certdesk-workspace:${name}`, options.locks ?? defaultLockManager());
    const clock = this.#clock;
    const room = options.room ?? defaultRoomEnvironment(this.#storage);
    this.#background =
      typeof options.background === 'function'
        ? options.background(db)
        : (options.background ?? lazyBackgroundWork(db, { rules: 'in-process', builtInRoots: () => options.pki.builtInRoots() }));
    this.#safety = {
      background: this.#background,
      database: name,
      factory: options.factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB,
      kv: options.keyValueStore ?? defaultKeyValueStore(),
      delayMs: options.safetyCopyDelayMs ?? 1000,
    };
    this.#ctx = {
      db,
      pki: options.pki,
      clock,
      newId,
      lock,
      assertOpen: () => this.#connection.assertOpen(),
      action: (action, applianceIds, work) => this.#action(lock, action, applianceIds, work),
      ensureRoom: (bytes) => ensureRoom(bytes, room),
      event: (kind: EventKind, message: string, applianceId?: string, details?: EventDetails) => logEvent(newId(), clock(), kind, message, applianceId, details),
    };
  }

  /** Opens the database (migrating it if needed). */
  static async open<K extends KeyMaterial>(options: WorkspaceOptions<K>): Promise<Workspace<K>> {
    const name = options.name ?? DATABASE_NAME;
    let workspace: Workspace<K> | undefined;
    const openOptions: OpenOptions = {
      name,
      onReloadNeeded: (reason) => {
        if (workspace) workspace.#connection.reloadNeeded(reason, workspace.#safety.factory, workspace.#safety.database);
      },
    };
    if (options.factory) openOptions.factory = options.factory;
    const db = await openDatabase(openOptions);
    workspace = new Workspace(db, options, name);
    const lossChecked = safety.checkLossIfEmpty(workspace.#ctx, workspace.#safety);
    workspace.#startReads.issue({ records: readModel.readRecords(workspace.#ctx, { compared: false }), chains: workspace.#readChainStatuses() });
    await lossChecked;
    return workspace;
  }

  /** Compares the database with its marker, once per start (safety.ts checkLoss); returns the loss found (`storageLoss`). */
  checkStorageLoss(): Promise<StorageLoss | undefined> {
    return safety.checkLoss(this.#ctx, this.#safety);
  }

  /** The database, for tests that inspect what was stored. */
  get database(): CertdeskDatabase {
    return this.#db;
  }

  get pki(): PkiServices<K> {
    return this.#pki;
  }

  get closed(): boolean {
    return this.#connection.closed;
  }

  subscribe(listener: (notice: WorkspaceNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#connection.close();
    this.#db.close();
  }

  #emit(notice: WorkspaceNotice): void {
    for (const listener of this.#listeners) listener(notice);
  }

  /**
   * Runs one action under the workspace lock, then tells this and other tabs, then (once per
   * session, after the first user action) asks the browser to persist storage.
   */
  async #action<T>(lock: WorkspaceContext['lock'], action: string, applianceIds: (result: T) => string[], work: () => Promise<T>): Promise<T> {
    this.#connection.assertOpen();
    let result: T;
    await this.checkStorageLoss().catch(() => undefined); // failing, the marker is left as it is
    this.#startReads.changed();
    try {
      result = await lock(work);
    } catch (error) {
      // Say what is left only after counting it (a full disk can take the whole database).
      if (error instanceof CertdeskError && error.code === 'not-saved') throw await safety.checkedFailure(this.#db, this.#safety, error);
      throw error;
    }
    await safety.noteChange(this.#ctx, this.#safety).catch(() => undefined);
    const notice: ChangeNotice = { type: 'changed', action, applianceIds: applianceIds(result), origin: this.tabId };
    this.#channel.post(notice);
    this.#emit(notice);
    if (!this.#persistenceAsked) {
      this.#persistenceAsked = true;
      await requestPersistence(this.#storage);
    }
    return result;
  }

  /** Whether storage is protected from eviction, and how much is used. */
  storageStatus(): Promise<StorageStatus> {
    return storageStatus(this.#storage);
  }

  // ── Reads (src/store/read-model.ts, certificate-details.ts) ──────────────────────────────

  /** The whole workspace as the UI shows it, derived at `now`. */
  listWorkspace(now = this.#clock()): Promise<WorkspaceView> {
    return readModel.listWorkspace(this.#ctx, now, this.#startReads.take('records'));
  }

  /**
   * Whether the certificate index was in step with the certificates (the start's list is read
   * without comparing them); false when it was not and was rebuilt: list the workspace again.
   */
  certificateIndexInStep(): Promise<boolean> {
    return readModel.indexInStep(this.#ctx);
  }

  /** The DER of each certificate, in the order of `certIds` (the lists hold none). */
  certificateDers(certIds: readonly string[]): Promise<Uint8Array[]> {
    return readModel.certificateDers(this.#ctx, certIds);
  }

  /** A certificate with its key and the chain found on its appliance (for export and replication). */
  certificateMaterial(certId: string): Promise<CertificateMaterial<K>> {
    return readModel.certificateMaterial(this.#ctx, certId);
  }

  /** The kept chain statuses that hold now, by certificate id (chain-statuses.ts); `syncChainStatuses` computes missing ones. */
  chainStatuses(): Promise<ListedChainStatuses> {
    this.#connection.assertOpen();
    return this.#startReads.take('chains') ?? this.#readChainStatuses();
  }

  #readChainStatuses(): Promise<ListedChainStatuses> {
    return readChainStatuses(this.#db, this.#background.rules, this.#clock());
  }


  /**
   * Brings the kept chain statuses of these appliances (default: all) up to date: only those
   * whose inputs, time span or rules changed are recomputed, off the page's thread in the app.
   */
  syncChainStatuses(applianceIds?: readonly string[]): Promise<ChainStatusUpdate[]> {
    this.#connection.assertOpen();
    return this.#background.syncChainStatuses(applianceIds, this.#clock());
  }

  /** The built-in root with this SHA-256, as a chain status offers it (the root store loads now). */
  async builtInRoot(sha256: string): Promise<Uint8Array | undefined> {
    return (await actions.details()).builtInRoot(this.#ctx, sha256);
  }

  /** Everything a certificate says, for the certificate details. */
  async describeCertificate(der: Uint8Array): Promise<CertificateDescription> {
    return (await actions.details()).describeCertificate(this.#ctx, der);
  }

  /** The certification path, leaf → root, with where each certificate came from. */
  async certificationPath(certId: string): Promise<{ links: PathLink[]; status: ChainStatus | undefined }> {
    return (await actions.details()).certificationPath(this.#ctx, certId);
  }

  /** A page of the event log, newest first (src/store/events.ts). */
  async listEvents(query: EventQuery = {}): Promise<EventPage> {
    return (await actions.events()).listEvents(this.#ctx, query);
  }

  /** The rules a certificate breaks (verdict and lint), judged among `pool`, its appliance's certificates. */
  async reviewCertificate(der: Uint8Array, pool: readonly Uint8Array[]): Promise<CertificateReview> {
    return (await actions.details()).reviewCertificate(this.#ctx, der, pool);
  }

  /** Lint of a request before it goes to a CA; `validityDays`: the validity asked for. */
  async lintRequest(requestId: string, options: { validityDays?: number } = {}): Promise<ValidationProblem[]> {
    return (await actions.details()).lintRequest(this.#ctx, requestId, options);
  }

  // ── Appliances (src/store/appliances.ts) ─────────────────────────────────────────────────

  /**
   * On first start, creates the default appliance; returns the workspace either way. When the
   * database lost its records (`storageLoss`), nothing is created: the admin restores first.
   */
  async ensureWorkspace(): Promise<WorkspaceView> {
    if (!this.#safety.loss || this.#safety.loss.found.appliances > 0) {
      // Only a first start makes the default appliance; checkStorageLoss records an existing workspace.
      const view = await this.listWorkspace();
      if (view.appliances.length > 0) return view;
      await (await actions.factory()).ensureDefaultAppliance(this.#ctx);
      await safety.noteChange(this.#ctx, this.#safety).catch(() => undefined);
    }
    return this.listWorkspace();
  }

  // ── Safety net (src/store/safety.ts, safety-copy.ts, room.ts) ────────────────────────────

  /** Records lost since the last start (known after `checkStorageLoss`), until restored or dismissed. */
  get storageLoss(): StorageLoss | undefined {
    return this.#safety.loss;
  }

  /** Restores the automatic safety copy (no private keys: those come from a backup file). */
  async restoreSafetyCopy(): Promise<RestoreSummary> {
    const summary = await this.#ctx.action('restoreSafetyCopy', () => [], () => safety.restoreSafetyCopy(this.#ctx, this.#safety));
    await (await actions.factory()).ensureDefaultAppliance(this.#ctx);
    return summary;
  }

  /** The admin goes on with what is there: the loss is no longer reported, and a fresh workspace starts if empty. */
  async dismissStorageLoss(): Promise<WorkspaceView> {
    this.#safety.loss = undefined;
    return this.ensureWorkspace();
  }

  /** Waits until a pending safety copy is written (tests; before the page goes away). */
  flushSafetyCopy(): Promise<void> {
    return safety.flushSafetyCopy(this.#ctx, this.#safety);
  }

  /** Adds an appliance with its own factory default certificate serving all its IPs. */
  async addAppliance(input: ApplianceInput): Promise<Appliance> {
    return (await actions.appliances()).addAppliance(this.#ctx, input);
  }

  /** Changes the appliance's name, role, hostnames or production flag. */
  async updateAppliance(applianceId: string, patch: AppliancePatch): Promise<Appliance> {
    return (await actions.appliances()).updateAppliance(this.#ctx, applianceId, patch);
  }

  /** Adds an IP address; the guide: a new address "is assigned to the factory default certificate". */
  async addIpAddress(applianceId: string, entry: IpAddress): Promise<Appliance> {
    return (await actions.appliances()).addIpAddress(this.#ctx, applianceId, entry);
  }

  /** Sets the appliance's lead times for expiry planning. */
  async setLeadTimes(applianceId: string, leadTimes: LeadTimes): Promise<Appliance> {
    return (await actions.appliances()).setLeadTimes(this.#ctx, applianceId, leadTimes);
  }

  /** The guide's warnings about the appliance: site hostname coverage, Atlas rebuilds. */
  async applianceChecks(applianceId: string): Promise<Problem[]> {
    return (await actions.appliances()).applianceChecks(this.#ctx, applianceId);
  }

  /** The certificate whose SANs cover `dnsName`, to suggest for an IP address, if any. */
  async suggestedCertificate(applianceId: string, dnsName: string): Promise<string | undefined> {
    return (await actions.appliances()).suggestedCertificate(this.#ctx, applianceId, dnsName);
  }

  // ── Certificates (src/store/certificates.ts) ─────────────────────────────────────────────

  /** The guide's "Create Self-Signed Certificate": a new key and a self-signed certificate. */
  async createSelfSigned(applianceId: string, input: CreateCertificateInput): Promise<CertificateEntry> {
    return (await actions.certificates()).createSelfSigned(this.#ctx, applianceId, input);
  }

  /** The guide's "Create Certificate Request": a new key and a CSR signed with it. */
  async createRequest(applianceId: string, input: Omit<CreateCertificateInput, 'validityDays'>): Promise<RequestEntry> {
    return (await actions.certificates()).createRequest(this.#ctx, applianceId, input);
  }

  /** Imports files (certificates, chains, .p7b, .p12 with keys); unreadable files are reported, the rest import. */
  async importFiles(applianceId: string, files: ImportFiles, options: ImportOptions = {}): Promise<ImportSummary> {
    return (await actions.certificates()).importFiles(this.#ctx, applianceId, files, options);
  }

  /** A request prefilled from a certificate, for Re-key: its subject, SANs and key type. */
  async rekeyDraft(certId: string): Promise<RekeyDraft> {
    return (await actions.certificates()).rekeyDraft(this.#ctx, certId);
  }

  /** Adds a root from the built-in store, recorded as coming from there. */
  async addBuiltInRoot(applianceId: string, der: Uint8Array): Promise<ImportSummary> {
    return (await actions.certificates()).addBuiltInRoot(this.#ctx, applianceId, der);
  }

  /** Deletes a certificate; refused for the factory default and for one still serving an IP. */
  async deleteCertificate(certId: string): Promise<void> {
    return (await actions.certificates()).deleteCertificate(this.#ctx, certId);
  }

  // ── Assignment and readiness (src/store/assignment.ts) ───────────────────────────────────

  /** Every problem with assigning `ips` to the certificate now (nothing is written). */
  async checkReadiness(certId: string, ips: readonly string[], options: AssignOptions = {}): Promise<ReadinessProblem[]> {
    return (await actions.assignment()).checkReadiness(this.#ctx, certId, ips, options);
  }

  /** Assigns IPs to a certificate after the readiness check; returns the problems the admin accepted. */
  async assignIps(certId: string, ips: readonly string[], options: AssignOptions = {}): Promise<ReadinessProblem[]> {
    return (await actions.assignment()).assignIps(this.#ctx, certId, ips, options);
  }

  // ── Replacement (src/store/replacement.ts) ───────────────────────────────────────────────

  /** What replacing `oldId` by `newId` changes: coverage, chain and root, expiry, problems. */
  async replacePreview(newId: string, oldId: string, options: AssignOptions = {}): Promise<ReplacementPreview> {
    return (await actions.replacement()).replacePreview(this.#ctx, newId, oldId, options);
  }

  /** Moves every IP of `oldId` to `newId` in one transaction; the old one stays, marked replaced. */
  async replaceCertificate(newId: string, oldId: string, options: ReplaceOptions = {}): Promise<ReadinessProblem[]> {
    return (await actions.replacement()).replaceCertificate(this.#ctx, newId, oldId, options);
  }

  // ── Replication, failover and Atlas (src/store/replication.ts) ───────────────────────────

  /** Copies a certificate with its private key and chain to another appliance (exportable keys only). */
  async replicate(certId: string, toApplianceId: string): Promise<{ copied: string[]; alreadyPresent: string[] }> {
    return (await actions.replication()).replicate(this.#ctx, certId, toApplianceId);
  }

  /** Differences that would break failover between the two appliances (empty: identical). */
  async failoverCheck(primaryId: string, backupId: string): Promise<Problem[]> {
    return (await actions.replication()).failoverCheck(this.#ctx, primaryId, backupId);
  }

  /** Whether one certificate covers the site hostname and every Atlas node's names. */
  async atlasCheck(certId: string): Promise<AtlasCoverage> {
    return (await actions.replication()).atlasCheck(this.#ctx, certId);
  }

  // ── Client-software updates (src/store/software-update.ts) ───────────────────────────────

  /** Records a client-software update request or installation, with the roots it carries. */
  async recordSoftwareUpdate(applianceId: string, update: SoftwareUpdateInput): Promise<Appliance> {
    return (await actions.softwareUpdate()).recordSoftwareUpdate(this.#ctx, applianceId, update);
  }

  /** The guided steps that bring the root of the certificate's chain into the client software. */
  async clientSoftwareSteps(certId: string): Promise<RootChange | undefined> {
    return (await actions.softwareUpdate()).clientSoftwareSteps(this.#ctx, certId);
  }

  // ── Export (src/store/export.ts) ─────────────────────────────────────────────────────────

  /** What the Export page offers for these certificates: each with its chain and key state. */
  async exportSources(certIds: readonly string[]): Promise<ExportSource[]> {
    return (await actions.exporting()).exportSources(this.#ctx, certIds);
  }

  /** Writes the export file; the slow PKCS#12 / encrypted-key work is cancellable through `signal`. */
  async exportCertificates(certIds: readonly string[], choice: ExportChoice, options: ExportOptions = {}): Promise<ExportFile> {
    return (await actions.exporting()).exportCertificates(this.#ctx, certIds, choice, options);
  }

  // ── Support package (src/store/support-package.ts) ───────────────────────────────────────

  /** The .zip for technical support: the chain and the Basics picture, every file checked for keys. */
  async supportPackage(certId: string, input: { picture: Uint8Array; now?: number; signal?: AbortSignal }): Promise<SupportPackage> {
    return (await actions.support()).supportPackage(this.#ctx, certId, input);
  }

  /** What to know before sending the certificate's support package (site hostname coverage). */
  async supportPackageChecks(certId: string): Promise<Problem[]> {
    return (await actions.support()).supportPackageChecks(this.#ctx, certId);
  }

  // ── Internal CA (src/store/internal-ca.ts) ───────────────────────────────────────────────

  /** Creates an internal CA root (and intermediate) with their keys on the appliance. */
  async createInternalCa(applianceId: string, input: InternalCaInput): Promise<ImportSummary> {
    return (await actions.internalCa()).createInternalCa(this.#ctx, applianceId, input);
  }

  /** Signs a pending request with an internal CA certificate and stores the issued certificate. */
  async signRequest(requestId: string, input: { caCertificateId: string; validityDays: number }): Promise<ImportSummary> {
    return (await actions.internalCa()).signRequest(this.#ctx, requestId, input);
  }

  // ── Backup and restore (src/store/backup.ts) ─────────────────────────────────────────────

  /** The whole workspace, encrypted under `passphrase`, as one file. */
  async exportBackup(passphrase: string, options: { iterations?: number; signal?: AbortSignal } = {}): Promise<BackupResult> {
    const result = await (await actions.backup()).createBackup(this.#ctx, passphrase, options);
    await safety.noteChange(this.#ctx, this.#safety, { lastBackupAt: this.#clock() }).catch(() => undefined);
    return result;
  }

  /** Merges a backup into the workspace; a wrong passphrase or damaged file changes nothing. */
  async restoreBackup(bytes: Uint8Array, passphrase: string): Promise<RestoreSummary> {
    const summary = await this.#ctx.action('restoreBackup', () => [], async () => {
      await this.#ctx.ensureRoom(bytes.length);
      return (await actions.backup()).restoreBackup(this.#ctx, bytes, passphrase);
    });
    this.#safety.loss = undefined;
    await (await actions.factory()).ensureDefaultAppliance(this.#ctx);
    return summary;
  }
}
