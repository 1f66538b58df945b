/**
 * The workspace as the pages see it: the store's read model for the selected appliance, the
 * chain status of each certificate, and every action wrapped with progress and alerts.
 * Pages call these actions; they never touch the store or the core's crypto themselves.
 */
import type { CertdeskKey } from '../../core/pki/keys';
import { chainStatus, type ChainStatus } from '../../core/pki/validation/chain-status';
import { loadBuiltInRoots } from '../../core/pki/validation/root-store';
import { pkiServices } from '../../store/pki';
import { createDecodeBridge } from '../../worker/decode-bridge';
import {
  Workspace,
  type ApplianceView,
  type CertificateView,
  type WorkspaceView,
} from '../../store/workspace';
import { alerts } from './alerts.svelte';
import { CertdeskError, isAbortError } from '../../core/errors';

const SELECTED_APPLIANCE = 'certdesk:selected-appliance';

/** Work in progress, shown with a progress indicator and, when it can stop, a Cancel button. */
export interface Busy {
  label: string;
  cancel?: () => void;
}

class WorkspaceState {
  store = $state.raw<Workspace<CertdeskKey> | undefined>();
  view = $state.raw<WorkspaceView | undefined>();
  selectedId = $state<string | undefined>(localStorage.getItem(SELECTED_APPLIANCE) ?? undefined);
  busy = $state<Busy | undefined>();
  reloadNeeded = $state(false);
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
      const store = await Workspace.open({ pki: pkiServices({ decodeInput: createDecodeBridge() }) });
      store.subscribe((notice) => {
        if (notice.type === 'reload-needed') this.reloadNeeded = true;
        else void this.refresh();
      });
      this.store = store;
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
    if (!this.store || this.store.closed) return;
    this.#show(await this.store.listWorkspace());
  }

  #show(view: WorkspaceView): void {
    this.view = view;
    void this.#computeChains();
  }

  /** Chain status for every certificate of the selected appliance, offering built-in roots. */
  async #computeChains(): Promise<void> {
    const appliance = this.appliance;
    if (!appliance) return;
    const run = ++this.#chainRun;
    const { roots } = await loadBuiltInRoots();
    const pool = appliance.certificates.map((certificate) => certificate.der);
    const out: Record<string, ChainStatus> = {};
    for (const certificate of appliance.certificates) {
      try {
        out[certificate.id] = await chainStatus(certificate.der, pool, { builtInRoots: roots });
      } catch {
        // A certificate the validator cannot read keeps the list's quick status.
      }
    }
    if (run === this.#chainRun) this.chains = out;
  }

  certificate(id: string): CertificateView | undefined {
    return this.appliance?.certificates.find((certificate) => certificate.id === id);
  }

  /**
   * Runs one action with a progress indicator; errors become alerts and the result is
   * undefined. A cancellable action gets an AbortSignal and a Cancel button.
   */
  async run<T>(
    label: string,
    work: (store: Workspace<CertdeskKey>, signal: AbortSignal) => Promise<T>,
    options: { cancellable?: boolean } = {},
  ): Promise<T | undefined> {
    const store = this.store;
    if (!store) return undefined;
    const controller = new AbortController();
    this.busy = options.cancellable ? { label, cancel: () => controller.abort() } : { label };
    try {
      const result = await work(store, controller.signal);
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
