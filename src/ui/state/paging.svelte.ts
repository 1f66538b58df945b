/**
 * One page of a long list at a time, so the DOM stays bounded whatever the count (issue 11:
 * 5,000 certificates rendered as rows are 115,000 elements). The list itself (filtered and
 * sorted once per change) stays whole; only the page shown is sliced from it. The page goes back
 * to the first when the list's `key` (its filter, sort or appliance) changes.
 */

/** Rows per page: about 20 elements each, a screen or two of rows. */
export const PAGE_SIZE = 50;

/** Where a pager is in its list (Pager.svelte): a `Paging`, or a page known without its list. */
export interface PageNavigation {
  /** The page shown, from 0; set to turn the page. */
  index: number;
  readonly pages: number;
  readonly total: number;
  readonly from: number;
  readonly to: number;
  /** Shown, not turned (a page known without its list, until the list is read). */
  readonly held?: boolean;
}

export class Paging<T> implements PageNavigation {
  readonly #items: () => readonly T[];
  readonly #key: () => string;
  readonly size: number;
  #at = $state({ key: '', index: 0 });
  readonly total: number;
  readonly pages: number;
  /** The rows of the page shown. */
  readonly rows: readonly T[];
  /** Positions of the first and last row shown, from 1 (0 and 0 for an empty list). */
  readonly from: number;
  readonly to: number;

  constructor(items: () => readonly T[], key: () => string = () => '', size = PAGE_SIZE) {
    this.#items = items;
    this.#key = key;
    this.size = size;
    this.total = $derived(this.#items().length);
    this.pages = $derived(Math.max(1, Math.ceil(this.total / this.size)));
    this.rows = $derived(this.#items().slice(this.index * this.size, (this.index + 1) * this.size));
    this.from = $derived(this.total === 0 ? 0 : this.index * this.size + 1);
    this.to = $derived(Math.min(this.total, (this.index + 1) * this.size));
  }

  /** The page shown, from 0. */
  get index(): number {
    return this.#at.key === this.#key() ? Math.min(this.#at.index, this.pages - 1) : 0;
  }

  set index(index: number) {
    this.#at = { key: this.#key(), index: Math.max(0, Math.min(index, this.pages - 1)) };
  }
}
