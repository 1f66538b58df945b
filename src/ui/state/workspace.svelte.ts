/**
 * The workspace as the pages see it: the store's read model for the selected appliance, the
 * chain status of each certificate, and every action wrapped with progress and alerts.
 * Pages call these actions (through `run`) and reads; only this module holds the store, and
 * nothing in the UI touches the core's crypto itself.
 */
import { pkiServices, type CertdeskKey } from '../../store/pki';
import { createPkiWorker } from '../../worker/pki-bridge';
import {
  Workspace,
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
import { CertdeskError, isAbortError } from '../../core/errors';

const SELECTED_APPLIANCE = 'certdesk:selected-appliance';

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
  selectedId = $state<string | undefined>(localStorage.getItem(SELECTED_APPLIANCE) ?? undefined);
  busy = $state<Busy | undefined>();
  reloadNeeded = $state(false);
  /** Records the browser deleted, found on start; open until restored or dismissed. */
  loss = $state.raw<StorageLoss | undefined>();
  /** The browser deleted the database while this page was open. */
  storageLost = $state(false);
  /** What the last safety-copy restore brought back (and which keys it could not). */
  restored = $state.raw<RestoreSummary | undefined>();
  /** Full chain status per certificate id of the selected appliance (derived, never stored). */
  chains = $state.raw<Record<string, ChainStatus>>({});

  readonly appliance: ApplianceView | undefined = $derived(
    this.view?.appliances.find((entry) => entry.appliance.id === this.selectedId) ?? this.view?.appliances[0],
  );

  #started = false;
  #chainRun = 0;

  /** Opens the database; on first start the default appliance is created. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      this.busy = { label: 'Opening your workspace…' };
      const store = await Workspace.open({ pki: pkiServices({ runJob: createPkiWorker() }) });
      store.subscribe((notice) => {
        if (notice.type === 'reload-needed') this.reloadNeeded = true;
        else if (notice.type === 'storage-lost') this.storageLost = true;
        else void this.refresh();
      });
      this.#store = store;
      this.loss = store.storageLoss;
      this.#show(await store.ensureWorkspace());
    } catch (error) {
      if (error instanceof CertdeskError) alerts.fromError(error);
      else {
        console.warn(error);
        alerts.show(
          'Certdesk could not open its storage in this browser. Make sure the browser allows site data for this page (private windows may not), then reload.',
        );
      }
    } finally {
      this.busy = undefined;
    }
  }

  select(applianceId: string): void {
    this.selectedId = applianceId;
    localStorage.setItem(SELECTED_APPLIANCE, applianceId);
    void this.#computeChains();
  }

  async refresh(): Promise<void> {
    if (!this.#store || this.#store.closed) return;
    this.#show(await this.#store.listWorkspace());
  }

  #show(view: WorkspaceView): void {
    this.view = view;
    void this.#computeChains();
  }

  /** Chain status for every certificate of the selected appliance, offering built-in roots. */
  async #computeChains(): Promise<void> {
    const appliance = this.appliance;
    if (!appliance || !this.#store) return;
    const run = ++this.#chainRun;
    const out = await this.#store.chainStatuses(appliance.certificates);
    if (run === this.#chainRun) this.chains = out;
  }

  certificate(id: string): CertificateView | undefined {
    return this.appliance?.certificates.find((certificate) => certificate.id === id);
  }

  /** The open store; pages only reach the UI once it is (the view comes from it). */
  #open(): Workspace<CertdeskKey> {
    const store = this.#store;
    if (!store) throw new CertdeskError('not-open', 'Certdesk is still opening your workspace. Try again in a moment.');
    return store;
  }

  /** Everything a certificate says, for the certificate viewer. */
  describeCertificate(der: Uint8Array): Promise<CertificateDescription> {
    return this.#open().describeCertificate(der);
  }

  /** The rules a certificate breaks (verdict and lint), judged among the selected appliance's certificates. */
  reviewCertificate(der: Uint8Array): Promise<CertificateReview> {
    return this.#open().reviewCertificate(der, this.appliance?.certificates.map((certificate) => certificate.der) ?? []);
  }

  /** What a public CA would refuse or change in a request; `validityDays`: the validity asked for. */
  lintRequest(requestId: string, validityDays?: number): Promise<ValidationProblem[]> {
    return this.#open().lintRequest(requestId, validityDays !== undefined ? { validityDays } : {});
  }

  /** The readiness problems of assigning `ips` now; nothing is written. */
  checkReadiness(certId: string, ips: readonly string[], options: AssignOptions): Promise<ReadinessProblem[]> {
    return this.#open().checkReadiness(certId, ips, options);
  }

  /** What replacing `oldId` by `newId` changes, and its problems now; nothing is written. */
  replacePreview(newId: string, oldId: string, options: AssignOptions): Promise<ReplacementPreview> {
    return this.#open().replacePreview(newId, oldId, options);
  }

  /** The guided steps that bring the certificate's root into the client software. */
  clientSoftwareSteps(certId: string): Promise<RootChange | undefined> {
    return this.#open().clientSoftwareSteps(certId);
  }

  /** The certification path, leaf → root, with where each certificate came from. */
  certificationPath(certId: string): Promise<{ links: PathLink[]; status: ChainStatus | undefined }> {
    return this.#open().certificationPath(certId);
  }

  /** The Re-key form's starting point for a certificate. */
  rekeyDraft(certId: string): Promise<RekeyDraft> {
    return this.#open().rekeyDraft(certId);
  }

  /** A page of the event log, newest first. */
  listEvents(query: EventQuery): Promise<EventPage> {
    return this.#open().listEvents(query);
  }

  /** The guide's warnings about an appliance (site hostname, Atlas rebuild). */
  applianceChecks(applianceId: string): Promise<Problem[]> {
    return this.#open().applianceChecks(applianceId);
  }

  /** The certificate to suggest for an IP address whose A-record is `dnsName`. */
  suggestedCertificate(applianceId: string, dnsName: string): Promise<string | undefined> {
    return this.#open().suggestedCertificate(applianceId, dnsName);
  }

  /** What to know before sending a certificate's support package. */
  supportPackageChecks(certId: string): Promise<Problem[]> {
    return this.#open().supportPackageChecks(certId);
  }

  /** What the Export page offers for these certificates. */
  exportSources(certIds: readonly string[]): Promise<ExportSource[]> {
    return this.#open().exportSources(certIds);
  }

  /** Whether the browser keeps this data, and how much is used. */
  storageStatus(): Promise<StorageStatus> {
    return this.#open().storageStatus();
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
    const store = this.#store;
    if (!store) return undefined;
    const controller = new AbortController();
    const busy: Busy = options.cancellable ? { label, cancel: () => controller.abort() } : { label };
    this.busy = busy;
    const progress: ReportProgress = (done, total) => {
      if (this.busy) this.busy = { ...busy, done, total };
    };
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
