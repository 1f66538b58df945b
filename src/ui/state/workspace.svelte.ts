/**
 * The workspace as the pages see it: the store's read model for the selected appliance, the
 * chain status of each certificate, and every action wrapped with progress and alerts.
 * Pages call these actions (through `run`) and reads; only this module holds the store, and
 * nothing in the UI touches the core's crypto itself.
 *
 * Each action refreshes the view once (`run`); the store's notice of this tab's own action is not
 * applied again, only other tabs' are. Chain statuses are read as kept with the data, then kept
 * up to date in the workspace worker after each change (and when a date in a chain passes); the
 * first sync waits until the page has painted.
 */
import { pkiServices, type CertdeskKey } from '../../store/pki';
import { createPkiWorker } from '../../worker/pki-bridge';
import { workspaceWorker } from '../../worker/workspace-bridge';
import { DATABASE_NAME } from '../../store/schema';
import {
  DEFAULT_APPLIANCE,
  Workspace,
  type ChainStatusUpdate,
  type ListedChainStatuses,
  type ApplianceView,
  type AssignOptions,
  type CertificateDescription,
  type CertificateReview,
  type CertificateView,
  type ChainStatus,
  type EventPage,
  type EventQuery,
  type ExportSource,
  type PathLink,
  type Problem,
  type ReadinessProblem,
  type RestoreSummary,
  type StorageLoss,
  type RekeyDraft,
  type ReplacementPreview,
  type RootChange,
  type StorageStatus,
  type ValidationProblem,
  type WorkspaceView,
} from '../../store/workspace';
import { alerts } from './alerts.svelte';
import { markStart } from './start-marks';
import { yieldToEventLoop } from '../../core/tasks';
import { indexBySubject, possibleIssuers } from '../../core/appliance/certificate-entry';
import { CertdeskError, isAbortError } from '../../core/errors';

const SELECTED_APPLIANCE = 'certdesk:selected-appliance';
/** The name and hostname of the appliance last shown, shown again while the workspace opens. */
const SHOWN_APPLIANCE = 'certdesk:shown-appliance';
/** The Certificates list's first screen as last drawn (first-screen.ts), shown again while the workspace is read. */
const FIRST_SCREEN = 'certdesk:first-screen';

/** How long after the workspace is shown the start's later work waits at most for the page to draw it (`drawn`). */
const DRAWN_AT_MOST_MS = 1000;

/** A first start shows the appliance it is creating. */
const FIRST_SHOWN = { name: DEFAULT_APPLIANCE.name, hostname: DEFAULT_APPLIANCE.hostname };

interface Remembered {
  selectedId: string | undefined;
  shown: { name: string; hostname: string };
  firstScreen: string | undefined;
}

/** What localStorage holds of the last session; what is absent or unreadable (site data blocked) is not remembered. */
function readRemembered(): Remembered {
  const remembered: Remembered = { selectedId: undefined, shown: FIRST_SHOWN, firstScreen: undefined };
  try {
    remembered.selectedId = localStorage.getItem(SELECTED_APPLIANCE) ?? undefined;
    remembered.firstScreen = localStorage.getItem(FIRST_SCREEN) ?? undefined;
    const shown = JSON.parse(localStorage.getItem(SHOWN_APPLIANCE) ?? 'null') as { name?: unknown; hostname?: unknown } | null;
    if (typeof shown?.name === 'string' && typeof shown.hostname === 'string') remembered.shown = { name: shown.name, hostname: shown.hostname };
  } catch {
    // Unreadable: as if absent.
  }
  return remembered;
}

/**
 * What this browser remembers of the last session (the appliance selected and its name), read
 * in a task of its own: Chromium loads the origin's whole localStorage, safety copy included, on
 * its first use (tens of milliseconds at thousands of certificates), so the start reads it while
 * the database opens rather than inside the task that evaluates the page's modules.
 */
function rememberedInOwnTask(): Promise<Remembered> {
  return new Promise((resolve) => setTimeout(() => resolve(readRemembered())));
}

/** Work in progress, shown with a progress indicator and, when it can stop, a Cancel button. */
export interface Busy {
  label: string;
  cancel?: () => void;
  /** Steps finished of `total`, when the work can say (otherwise the indicator is indeterminate). */
  done?: number;
  total?: number;
}

/** How an action reports its steps to the progress indicator. */
export type ReportProgress = (done: number, total: number) => void;

class WorkspaceState {
  #store = $state.raw<Workspace<CertdeskKey> | undefined>();
  view = $state.raw<WorkspaceView | undefined>();
  selectedId = $state<string | undefined>();
  busy = $state<Busy | undefined>();
  reloadNeeded = $state(false);
  /** Records the browser deleted, found on start; open until restored or dismissed. */
  loss = $state.raw<StorageLoss | undefined>();
  /** The browser deleted the database while this page was open. */
  storageLost = $state(false);
  /** What the last safety-copy restore brought back (and which keys it could not). */
  restored = $state.raw<RestoreSummary | undefined>();
  /**
   * The appliance the page showed last, until the workspace is open: the page then looks the
   * same before and after it opens (nothing moves, nothing is replaced under the admin's eyes).
   */
  opening = $state.raw(FIRST_SHOWN);
  /**
   * The Certificates list's first screen as last drawn (first-screen.ts parses it), until the
   * workspace is open; undefined when none is kept or the workspace could not be opened.
   */
  firstScreen = $state.raw<string | undefined>();
  /** Resolves once `selectedId`, `opening` and `firstScreen` hold what this browser remembers (`start`). */
  remembered: Promise<void> = Promise.resolve();
  /** Chain status per certificate id, every appliance's, as kept with the data (chain-statuses.ts). */
  chains = $state.raw<ListedChainStatuses>(new Map());

  readonly appliance: ApplianceView | undefined = $derived(
    this.view?.appliances.find((entry) => entry.appliance.id === this.selectedId) ?? this.view?.appliances[0],
  );

  #started = false;
  /** Resolves once the page has drawn what it shows of the workspace (`drawn`). */
  readonly #drawn: Promise<void>;
  #resolveDrawn!: () => void;
  /** The store once open, for actions asked for before (undefined when it could not be opened). */
  readonly #opened: Promise<Workspace<CertdeskKey> | undefined>;
  #resolveOpened!: (store: Workspace<CertdeskKey> | undefined) => void;
  /** The first screen as last written by this page (`rememberFirstScreen`). */
  #keptFirstScreen: string | undefined;
  #chainTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #nextChainChange = new Map<string, number>();

  constructor() {
    this.#drawn = new Promise((resolve) => (this.#resolveDrawn = resolve));
    this.#opened = new Promise((resolve) => (this.#resolveOpened = resolve));
  }

  /** The page has drawn what it shows of the workspace (the Certificates list, all rows of its page). */
  drawn(): void {
    this.#resolveDrawn();
  }

  /** Opens the database; on first start the default appliance is created. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.remembered = rememberedInOwnTask().then(({ selectedId, shown, firstScreen }) => {
      this.selectedId ??= selectedId;
      this.opening = shown;
      this.firstScreen = firstScreen;
      this.#keptFirstScreen = firstScreen;
    });
    try {
      // No progress indicator: the page shows its placeholders until the workspace is there
      // (one appearing and going would move the page under the admin's eyes).
      const store = await Workspace.open({ pki: pkiServices({ runJob: createPkiWorker() }), background: workspaceWorker(DATABASE_NAME) });
      markStart('databaseOpen');
      store.subscribe((notice) => {
        if (notice.type === 'reload-needed') this.reloadNeeded = true;
        else if (notice.type === 'storage-lost') this.storageLost = true;
        else {
          // This tab's own action is refreshed by `run`; only another tab's is refreshed here.
          if (notice.origin !== store.tabId) void this.refresh();
          this.#syncChains(notice.applianceIds);
        }
      });
      this.#store = store;
      this.#resolveOpened(store);
      this.loss = store.storageLoss;
      const [view, chains] = await Promise.all([store.ensureWorkspace(), store.chainStatuses(), this.remembered]);
      markStart('workspaceRead');
      // Reading thousands of records ends in a task of its own; rendering them starts a new one.
      await yieldToEventLoop();
      this.chains = chains;
      this.#show(view);
      // The first sync (which starts the worker), the loss check (which loads localStorage,
      // safety copy and all) and the comparison of the certificate index with the certificates
      // wait until the page has painted its list (a page that draws no list: a second at most).
      // Started once the workspace was shown, they competed with the list's sort and first draw.
      void Promise.race([this.#drawn, new Promise((resolve) => setTimeout(resolve, DRAWN_AT_MOST_MS))]).then(() =>
        requestAnimationFrame(() => setTimeout(() => this.#afterFirstDraw(store), 0)),
      );
    } catch (error) {
      // Nothing kept is shown as if it were there, and actions asked for while opening end.
      this.#resolveOpened(undefined);
      await this.remembered;
      this.firstScreen = undefined;
      if (error instanceof CertdeskError) alerts.fromError(error);
      else {
        console.warn(error);
        alerts.show(
          'Certdesk could not open its storage in this browser. Make sure the browser allows site data for this page (private windows may not), then reload.',
        );
      }
    }
  }

  #afterFirstDraw(store: Workspace<CertdeskKey>): void {
    this.#syncChains();
    store.checkStorageLoss().then(
      (loss) => (this.loss = loss),
      (error: unknown) => console.warn(error),
    );
    store.certificateIndexInStep().then(
      (inStep) => {
        if (!inStep) void this.refresh();
      },
      (error: unknown) => console.warn(error),
    );
  }

  /**
   * Keeps the Certificates list's first screen for the next start (`text` from first-screen.ts;
   * undefined: none). Written only when it changed; a full localStorage keeps none rather than
   * an old one (the safety copy's room comes first).
   */
  rememberFirstScreen(text: string | undefined): void {
    if (text === this.#keptFirstScreen) return;
    this.#keptFirstScreen = text;
    try {
      if (text === undefined) localStorage.removeItem(FIRST_SCREEN);
      else localStorage.setItem(FIRST_SCREEN, text);
    } catch {
      this.#keptFirstScreen = undefined;
      try {
        localStorage.removeItem(FIRST_SCREEN);
      } catch {
        // Site data blocked: nothing is kept.
      }
    }
  }

  select(applianceId: string): void {
    this.selectedId = applianceId;
    localStorage.setItem(SELECTED_APPLIANCE, applianceId);
    if (this.view) this.#show(this.view);
  }

  async refresh(): Promise<void> {
    if (!this.#store || this.#store.closed) return;
    const view = await this.#store.listWorkspace();
    await yieldToEventLoop();
    this.#show(view);
  }

  #show(view: WorkspaceView): void {
    this.view = view;
    const shown = this.appliance?.appliance;
    if (shown) localStorage.setItem(SHOWN_APPLIANCE, JSON.stringify({ name: shown.name, hostname: shown.hostname }));
  }

  /** Brings the kept chain statuses of these appliances (default: all) up to date, then shows them. */
  #syncChains(applianceIds?: readonly string[]): void {
    const store = this.#store;
    if (!store || store.closed) return;
    store.syncChainStatuses(applianceIds).then(
      (updates) => this.#showChains(updates),
      // The list keeps its quick chain shapes; the next change tries again.
      (error: unknown) => console.warn(error),
    );
  }

  #showChains(updates: ChainStatusUpdate[]): void {
    if (updates.some((u) => u.removed.length > 0 || u.changed.size > 0)) {
      const next = new Map(this.chains);
      for (const update of updates) {
        for (const id of update.removed) next.delete(id);
        for (const [id, status] of update.changed) next.set(id, status);
      }
      this.chains = next;
    }
    // When a date in a chain passes, the statuses it changes are recomputed (a timer holds at most ~24 days).
    for (const update of updates) this.#nextChainChange.set(update.applianceId, update.nextChangeAt);
    const nextChangeAt = Math.min(...this.#nextChainChange.values());
    clearTimeout(this.#chainTimer);
    if (nextChangeAt !== Infinity) this.#chainTimer = setTimeout(() => this.#syncChains(), Math.min(Math.max(nextChangeAt - Date.now(), 0) + 1000, 2 ** 31 - 1));
  }

  certificate(id: string): CertificateView | undefined {
    return this.appliance?.certificates.find((certificate) => certificate.id === id);
  }

  /**
   * The open store, once it is: a page can ask before the workspace is read (a link followed
   * from the first screen kept, a page opened by its address).
   */
  async #open(): Promise<Workspace<CertdeskKey>> {
    const store = this.#store ?? (await this.#opened);
    if (!store) throw new CertdeskError('not-open', 'Certdesk could not open its storage in this browser. Make sure the browser allows site data for this page, then reload.');
    return store;
  }

  /** Everything a certificate says, for the certificate viewer. */
  async describeCertificate(der: Uint8Array): Promise<CertificateDescription> {
    return (await this.#open()).describeCertificate(der);
  }

  /** The DER of a stored certificate (the list holds none). */
  async certificateDer(certId: string): Promise<Uint8Array> {
    const [der] = await (await this.#open()).certificateDers([certId]);
    return der!;
  }

  /** The rules a stored certificate breaks (verdict and lint), judged among the selected appliance's certificates. */
  async reviewCertificate(certId: string): Promise<CertificateReview> {
    const certificates = this.appliance?.certificates ?? [];
    const listed = certificates.find((certificate) => certificate.id === certId);
    // Only what may issue it (by name) can be in its path: the same answer as over the whole
    // appliance, without reading and parsing thousands of certificates on the page's thread.
    const idOf = new Map(certificates.map((certificate) => [certificate.facts.sha256, certificate.id] as const));
    const issuers = listed ? possibleIssuers(listed.facts, indexBySubject(certificates.map((certificate) => certificate.facts))).map((facts) => idOf.get(facts.sha256)!) : [];
    const store = await this.#open();
    const ders = await store.certificateDers([certId, ...issuers.filter((id) => id !== certId)]);
    return store.reviewCertificate(ders[0]!, ders);
  }

  /** What a public CA would refuse or change in a request; `validityDays`: the validity asked for. */
  async lintRequest(requestId: string, validityDays?: number): Promise<ValidationProblem[]> {
    return (await this.#open()).lintRequest(requestId, validityDays !== undefined ? { validityDays } : {});
  }

  /** The readiness problems of assigning `ips` now; nothing is written. */
  async checkReadiness(certId: string, ips: readonly string[], options: AssignOptions): Promise<ReadinessProblem[]> {
    return (await this.#open()).checkReadiness(certId, ips, options);
  }

  /** What replacing `oldId` by `newId` changes, and its problems now; nothing is written. */
  async replacePreview(newId: string, oldId: string, options: AssignOptions): Promise<ReplacementPreview> {
    return (await this.#open()).replacePreview(newId, oldId, options);
  }

  /** The guided steps that bring the certificate's root into the client software. */
  async clientSoftwareSteps(certId: string): Promise<RootChange | undefined> {
    return (await this.#open()).clientSoftwareSteps(certId);
  }

  /** The certification path, leaf → root, with where each certificate came from. */
  async certificationPath(certId: string): Promise<{ links: PathLink[]; status: ChainStatus | undefined }> {
    return (await this.#open()).certificationPath(certId);
  }

  /** The Re-key form's starting point for a certificate. */
  async rekeyDraft(certId: string): Promise<RekeyDraft> {
    return (await this.#open()).rekeyDraft(certId);
  }

  /** A page of the event log, newest first. */
  async listEvents(query: EventQuery): Promise<EventPage> {
    return (await this.#open()).listEvents(query);
  }

  /** The guide's warnings about an appliance (site hostname, Atlas rebuild). */
  async applianceChecks(applianceId: string): Promise<Problem[]> {
    return (await this.#open()).applianceChecks(applianceId);
  }

  /** The certificate to suggest for an IP address whose A-record is `dnsName`. */
  async suggestedCertificate(applianceId: string, dnsName: string): Promise<string | undefined> {
    return (await this.#open()).suggestedCertificate(applianceId, dnsName);
  }

  /** What to know before sending a certificate's support package. */
  async supportPackageChecks(certId: string): Promise<Problem[]> {
    return (await this.#open()).supportPackageChecks(certId);
  }

  /** What the Export page offers for these certificates. */
  async exportSources(certIds: readonly string[]): Promise<ExportSource[]> {
    return (await this.#open()).exportSources(certIds);
  }

  /** Whether the browser keeps this data, and how much is used. */
  async storageStatus(): Promise<StorageStatus> {
    return (await this.#open()).storageStatus();
  }

  /** Restores the automatic safety copy after a loss. */
  async restoreSafetyCopy(): Promise<void> {
    const summary = await this.run('Restoring the safety copy…', (store) => store.restoreSafetyCopy());
    if (!summary) return;
    this.restored = summary;
    this.loss = undefined;
  }

  /** Goes on without restoring: a new workspace starts when none is left. */
  async dismissLoss(): Promise<void> {
    const view = await this.run('Starting a new workspace…', (store) => store.dismissStorageLoss());
    if (view) this.loss = undefined;
  }

  /** A restore from a backup file also ends the loss. */
  noteRestored(): void {
    this.loss = this.#store?.storageLoss;
  }

  /**
   * Runs one action with a progress indicator; errors become alerts and the result is
   * undefined. A cancellable action gets an AbortSignal and a Cancel button; an action that
   * knows its steps reports them through `progress`.
   */
  async run<T>(
    label: string,
    work: (store: Workspace<CertdeskKey>, signal: AbortSignal, progress: ReportProgress) => Promise<T>,
    options: { cancellable?: boolean } = {},
  ): Promise<T | undefined> {
    const controller = new AbortController();
    const busy: Busy = options.cancellable ? { label, cancel: () => controller.abort() } : { label };
    this.busy = busy;
    const progress: ReportProgress = (done, total) => {
      if (this.busy) this.busy = { ...busy, done, total };
    };
    // Asked for while the workspace opens (from the first screen kept): done once it is open.
    // When it could not be opened, the start's alert has said so.
    const store = this.#store ?? (await this.#opened);
    if (!store || controller.signal.aborted) {
      this.busy = undefined;
      return undefined;
    }
    try {
      const result = await work(store, controller.signal, progress);
      await this.refresh();
      return result;
    } catch (error) {
      if (!isAbortError(error)) alerts.fromError(error);
      await this.refresh().catch(() => undefined);
      return undefined;
    } finally {
      this.busy = undefined;
    }
  }
}

export const workspace = new WorkspaceState();
