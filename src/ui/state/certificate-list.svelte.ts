/**
 * The Certificates list's search, filter and sort, kept while the admin moves between pages.
 * Rows are derived once per change of the workspace (certificate-list.ts certificateRows) and
 * filtered and sorted once per change of the filter — never per row render — so a virtualised
 * list can render any window of `rows`.
 */
import { workspace } from './workspace.svelte';
import { NO_FILTER, certificateRows, filterRows, issuerOptions, sortRows, type ActByFilter, type ListFilter, type SortKey, type StatusFilter } from './certificate-list';

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
  /** The rows shown, filtered and sorted. */
  readonly rows = $derived(sortRows(filterRows(this.all, this.filter, this.now), this.sort));
  readonly issuers = $derived(issuerOptions(this.all));
  readonly filtering = $derived(JSON.stringify(this.filter) !== JSON.stringify(NO_FILTER));

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
