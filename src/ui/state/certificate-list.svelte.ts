/**
 * The Certificates list's search, filter and sort, kept while the admin moves between pages.
 * Rows are derived once per change of the workspace (certificate-list.ts certificateRows) and
 * filtered and sorted once per change of the filter — never per row render — and the table
 * renders one page of `rows` at a time (`paging`), so its DOM stays bounded whatever the count.
 * Sorting thousands of rows runs in a task of its own, after the change and before the render;
 * the first sort is awaited before the list is rendered at all (`ready`).
 */
import { pauser, yieldToEventLoop } from '../../core/tasks';
import { workspace } from './workspace.svelte';
import { PAGE_SIZE, Paging, type PageNavigation } from './paging.svelte';
import { firstScreenText, parseFirstScreen, shownRow, type FirstScreen, type ShownRow } from './first-screen';
import { formatCount, formatDate } from './status-words';
import { NO_FILTER, compareTexts, certificateRows, filterRows, issuerOptions, rankInSlices, sortRows, type ActByFilter, type CertificateRow, type ListFilter, type SortKey, type StatusFilter } from './certificate-list';

/** A sort done: of which rows, by which key. */
interface Sorted {
  from: readonly CertificateRow[];
  key: SortKey;
  rows: CertificateRow[];
}

/**
 * The rows of `filtered` in the order they were last shown (`last`), those not shown then at the
 * end: what the list shows until the new sort is done, so a change neither empties the list nor
 * moves its rows twice.
 */
function inLastOrder(filtered: readonly CertificateRow[], last: Sorted | undefined): readonly CertificateRow[] {
  if (!last) return filtered;
  const byId = new Map(filtered.map((row) => [row.certificate.id, row] as const));
  const out: CertificateRow[] = [];
  for (const row of last.rows) {
    const now = byId.get(row.certificate.id);
    if (now) {
      out.push(now);
      byId.delete(row.certificate.id);
    }
  }
  return [...out, ...byId.values()];
}

class CertificateListState {
  search = $state(NO_FILTER.search);
  status = $state<StatusFilter>(NO_FILTER.status);
  issuer = $state(NO_FILTER.issuer);
  san = $state(NO_FILTER.san);
  actBy = $state<ActByFilter>(NO_FILTER.actBy);
  sort = $state<SortKey>('kind');

  readonly now: number = $derived(workspace.view?.now ?? Date.now());
  /** Every certificate of the selected appliance as a row. */
  readonly all = $derived(workspace.appliance ? certificateRows(workspace.appliance.certificates, workspace.chains, this.now) : []);
  readonly filter: ListFilter = $derived({ search: this.search, status: this.status, issuer: this.issuer, san: this.san, actBy: this.actBy });
  /** The rows that pass the filter, in the workspace's order. */
  readonly filtered = $derived(filterRows(this.all, this.filter, this.now));
  #sorted = $state.raw<Sorted | undefined>();
  /** The rows shown, filtered and sorted (in the last order shown while a new sort runs). */
  readonly rows = $derived(this.#sorted?.from === this.filtered && this.#sorted.key === this.sort ? this.#sorted.rows : inLastOrder(this.filtered, this.#sorted));
  /**
   * Whether the rows were sorted once: until then the page shows the list's placeholder, so the
   * rows are rendered once, in order (rendering them unsorted first and moving them after the
   * sort was a second long task at start).
   */
  readonly ready = $derived(this.#sorted !== undefined);
  /** Whether the rows shown are sorted by the key chosen (not in the last order, while a new sort runs). */
  readonly #settled = $derived(this.#sorted?.from === this.filtered && this.#sorted.key === this.sort);
  readonly issuers = $derived(issuerOptions(this.all));
  readonly filtering = $derived(JSON.stringify(this.filter) !== JSON.stringify(NO_FILTER));
  /** The page of `rows` shown; back to the first when the filter, sort or appliance changes. */
  readonly paging = new Paging(
    () => this.rows,
    () => JSON.stringify([this.filter, this.sort, workspace.appliance?.appliance.id]),
  );

  /** The first screen kept from the last start (first-screen.ts), parsed once. */
  readonly #firstScreen = $derived(parseFirstScreen(workspace.firstScreen ?? null));
  /**
   * The first screen kept, while it is what the list would show and its rows are not read and
   * sorted yet: the appliance remembered (and, once the workspace is read, shown: a workspace
   * read without it — lost, deleted in another tab — ends it at once), in the sort kept,
   * unfiltered (its filters and pager are held until the rows are read).
   */
  readonly kept: FirstScreen | undefined = $derived.by(() => {
    const kept = this.#firstScreen;
    if (!kept || this.ready || this.filtering || kept.sort !== this.sort) return undefined;
    if (workspace.view) return workspace.appliance?.appliance.id === kept.applianceId ? kept : undefined;
    return workspace.selectedId === undefined || workspace.selectedId === kept.applianceId ? kept : undefined;
  });
  /** The rows of the page shown: of `rows`, or the first screen kept. */
  readonly pageRows: readonly ShownRow[] = $derived(this.kept?.rows ?? this.paging.rows);
  /** The pager's page: of `rows`, or the first screen kept (its first page). */
  readonly pageNavigation: PageNavigation = $derived(this.kept ? keptNavigation(this.kept) : this.paging);
  /** How many certificates the list holds (as kept, while the first screen kept is shown). */
  readonly count = $derived(this.kept?.total ?? this.all.length);
  /** Resolves once the rows were read and sorted (`ready`): an action asked for from the first screen kept waits for it. */
  readonly rowsRead: Promise<void>;
  #resolveRead!: () => void;

  constructor() {
    this.rowsRead = new Promise((resolve) => (this.#resolveRead = resolve));
    // The sort of each change: a task after the change (which built the rows), the render a task after the sort.
    $effect.root(() => {
      $effect(() => {
        if (this.ready) this.#resolveRead();
      });
      // A first screen kept of an appliance the workspace no longer holds (lost, deleted) is not kept.
      $effect(() => {
        const kept = this.#firstScreen;
        const view = workspace.view;
        if (kept && view && !view.appliances.some((entry) => entry.appliance.id === kept.applianceId)) workspace.rememberFirstScreen(undefined);
      });
      $effect(() => {
        const from = this.filtered;
        const key = this.sort;
        // Nothing to sort before the workspace is there (`ready` waits for its rows).
        if (!workspace.appliance) return;
        let stale = false;
        void (async () => {
          await yieldToEventLoop();
          if (stale) return;
          // Thousands of new names are ranked in slices first; the sort itself then compares numbers.
          // A newer change makes this sort stale: its slices stop at the next pause.
          const pause = pauser();
          try {
            await rankInSlices(from, key, async () => {
              await pause();
              if (stale) throw new DOMException('A newer change replaced this sort.', 'AbortError');
            });
          } catch (error) {
            // Not ranked ahead: sortRows ranks what it needs itself.
            if (!stale) console.warn(error);
          }
          if (stale) return;
          const rows = sortRows(from, key);
          await yieldToEventLoop();
          if (!stale) this.#sorted = { from, key, rows };
        })();
        return () => {
          stale = true;
        };
      });
    });
  }

  /**
   * Keeps the first screen drawn for the next start (first-screen.ts), when it is the unfiltered
   * first page of the appliance's rows, sorted; `timelineHeight`: the expiry timeline's, drawn.
   */
  keepFirstScreen(timelineHeight: number): void {
    const appliance = workspace.appliance;
    if (!appliance || !this.#settled || this.filtering || this.paging.index !== 0) return;
    const rows = this.paging.rows;
    const screen: FirstScreen = {
      format: 'certdesk-first-screen',
      version: 1,
      applianceId: appliance.appliance.id,
      sort: this.sort,
      total: this.rows.length,
      rows: rows.map(shownRow),
      timelineHeight,
    };
    workspace.rememberFirstScreen(rows.length === 0 ? undefined : firstScreenText(screen));
  }

  /** Shows every certificate again (the sort stays). */
  clear(): void {
    this.search = NO_FILTER.search;
    this.status = NO_FILTER.status;
    this.issuer = NO_FILTER.issuer;
    this.san = NO_FILTER.san;
    this.actBy = NO_FILTER.actBy;
  }
}

/** The pager of the first screen kept: its first page of `total`, held until the rows are read. */
function keptNavigation(kept: FirstScreen): PageNavigation {
  return {
    index: 0,
    pages: Math.max(1, Math.ceil(kept.total / PAGE_SIZE)),
    total: kept.total,
    from: 1,
    to: kept.rows.length,
    held: true,
  };
}

export const certificateList = new CertificateListState();

// The list's formats are made while the database answers, each in a task of its own (the
// first loads the locale data): not in the task that evaluates the modules or renders the rows.
setTimeout(() => {
  formatDate(0);
  setTimeout(() => {
    compareTexts('a', 'b');
    setTimeout(() => formatCount(0));
  });
});
