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
import { Paging } from './paging.svelte';
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
  readonly issuers = $derived(issuerOptions(this.all));
  readonly filtering = $derived(JSON.stringify(this.filter) !== JSON.stringify(NO_FILTER));
  /** The page of `rows` shown; back to the first when the filter, sort or appliance changes. */
  readonly paging = new Paging(
    () => this.rows,
    () => JSON.stringify([this.filter, this.sort, workspace.appliance?.appliance.id]),
  );

  constructor() {
    // The sort of each change: a task after the change (which built the rows), the render a task after the sort.
    $effect.root(() => {
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

  /** Shows every certificate again (the sort stays). */
  clear(): void {
    this.search = NO_FILTER.search;
    this.status = NO_FILTER.status;
    this.issuer = NO_FILTER.issuer;
    this.san = NO_FILTER.san;
    this.actBy = NO_FILTER.actBy;
  }
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
