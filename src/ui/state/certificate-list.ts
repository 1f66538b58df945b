/**
 * The Certificates list as rows: each certificate with its status words, advice and next step
 * worked out once per change of the workspace, then filtered and sorted. Pure functions, so the
 * list state (certificate-list.svelte.ts) derives the rows once per change and a virtualised
 * list can render any slice of them without recomputing anything per row.
 */
import type { CertificateView, ChainStatus } from '../../store/workspace';
import { chainAdvice, issuedTo, nextStep, wordsFor } from './certificate-status';
import type { StatusWord, Tone } from './status-words';

/** The status filter's choices. */
export type StatusFilter =
  | 'all'
  | 'needs-action'
  | 'expired'
  | 'chain-problem'
  | 'not-assigned'
  | 'in-use'
  | 'renewal'
  | 'replaced'
  | 'self-signed';

export const statusFilters: readonly { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'Any status' },
  { value: 'needs-action', label: 'Needs action (act-by date reached)' },
  { value: 'expired', label: 'Expired' },
  { value: 'chain-problem', label: 'Chain problem' },
  { value: 'not-assigned', label: 'Not assigned' },
  { value: 'in-use', label: 'In use (serves an IP address)' },
  { value: 'renewal', label: 'Renews a certificate in use' },
  { value: 'replaced', label: 'Replaced' },
  { value: 'self-signed', label: 'Self-signed' },
];

/** The act-by filter's choices: reached already, or within N days. */
export type ActByFilter = 'any' | 'passed' | '30' | '90' | '365';

export const actByFilters: readonly { value: ActByFilter; label: string }[] = [
  { value: 'any', label: 'Any time' },
  { value: 'passed', label: 'Reached already' },
  { value: '30', label: 'Within 30 days' },
  { value: '90', label: 'Within 90 days' },
  { value: '365', label: 'Within a year' },
];

export type SortKey = 'kind' | 'act-by' | 'name' | 'expiry' | 'issuer' | 'status';

export const sortKeys: readonly { value: SortKey; label: string }[] = [
  { value: 'kind', label: 'Kind, then name' },
  { value: 'act-by', label: 'Act-by date, soonest first' },
  { value: 'status', label: 'Status, most urgent first' },
  { value: 'name', label: 'Friendly name' },
  { value: 'expiry', label: 'Expiry, soonest first' },
  { value: 'issuer', label: 'Issuer' },
];

export interface ListFilter {
  /** Words to find in the friendly name, Issued To, subject, issuer or SANs (all must occur). */
  search: string;
  status: StatusFilter;
  /** An issuer exactly as listed, or '' for any. */
  issuer: string;
  /** Text a Subject Alternative Name must contain, or '' for any. */
  san: string;
  actBy: ActByFilter;
}

export const NO_FILTER: ListFilter = { search: '', status: 'all', issuer: '', san: '', actBy: 'any' };

/** One row of the list, computed once per change. */
export interface CertificateRow {
  certificate: CertificateView;
  words: StatusWord[];
  /** What is missing from the chain and where to get it. */
  advice?: string;
  /** The next step of a certificate that is not assigned. */
  next?: string;
  /** The root the built-in store offers when the chain lacks it. */
  builtInRoot?: Uint8Array;
  /** The certificate in use this one renews: the row offers Replace. */
  renewsInUse?: { id: string; friendlyName: string };
  statuses: ReadonlySet<Exclude<StatusFilter, 'all'>>;
  /** Lower-case text the search looks in. */
  haystack: string;
  /** Worst tone among the words: for sorting by status. */
  urgency: number;
}

const toneRank: Record<Tone, number> = { bad: 0, warn: 1, info: 2, ok: 3 };
const kindOrder = { server: 0, intermediate: 1, root: 2 } as const;
const DAY = 86_400_000;

/** The rows of an appliance's certificates at `now`, in no particular order. */
export function certificateRows(certificates: readonly CertificateView[], chains: Readonly<Record<string, ChainStatus>>, now: number): CertificateRow[] {
  const byId = new Map(certificates.map((c) => [c.id, c] as const));
  return certificates.map((certificate) => {
    const status = chains[certificate.id];
    const words = wordsFor(certificate, status, now, certificates);
    const statuses = new Set<Exclude<StatusFilter, 'all'>>();
    if (certificate.plan.stage === 'act-now' || certificate.plan.stage === 'late' || certificate.plan.stage === 'expired') statuses.add('needs-action');
    if (certificate.plan.stage === 'expired') statuses.add('expired');
    if (words.some((w) => w.text.startsWith('Missing') || w.text === 'Chain not valid')) statuses.add('chain-problem');
    if (words.some((w) => w.text === 'Not assigned')) statuses.add('not-assigned');
    if (certificate.assignedIps.length > 0) statuses.add('in-use');
    if (certificate.replacedBy !== undefined) statuses.add('replaced');
    if (certificate.facts.selfIssued && certificate.kind === 'server') statuses.add('self-signed');
    const renewed = certificate.renews === undefined ? undefined : byId.get(certificate.renews);
    const row: CertificateRow = {
      certificate,
      words,
      statuses,
      haystack: [certificate.friendlyName, issuedTo(certificate), certificate.facts.subject, certificate.facts.issuer, ...certificate.facts.dnsNames, ...certificate.facts.ipAddresses]
        .join('\n')
        .toLowerCase(),
      urgency: Math.min(...words.map((w) => toneRank[w.tone])),
    };
    if (renewed && renewed.assignedIps.length > 0) {
      row.renewsInUse = { id: renewed.id, friendlyName: renewed.friendlyName };
      statuses.add('renewal');
    }
    const advice = certificate.facts.selfIssued ? undefined : chainAdvice(status);
    if (advice) row.advice = advice;
    const next = nextStep(certificate, certificates);
    if (next) row.next = next;
    if (status?.kind === 'missing-root' && status.builtInRoot) row.builtInRoot = status.builtInRoot;
    return row;
  });
}

/** The rows that pass every part of the filter. */
export function filterRows(rows: readonly CertificateRow[], filter: ListFilter, now: number): CertificateRow[] {
  const words = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
  const san = filter.san.trim().toLowerCase();
  const horizon = filter.actBy === 'any' ? Infinity : filter.actBy === 'passed' ? now : now + Number(filter.actBy) * DAY;
  return rows.filter((row) => {
    const c = row.certificate;
    if (filter.status !== 'all' && !row.statuses.has(filter.status)) return false;
    if (filter.issuer !== '' && c.facts.issuer !== filter.issuer) return false;
    if (san !== '' && ![...c.facts.dnsNames, ...c.facts.ipAddresses].some((name) => name.includes(san))) return false;
    if (horizon !== Infinity && !(c.plan.actBy <= horizon && c.replacedBy === undefined)) return false;
    return words.every((word) => row.haystack.includes(word));
  });
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** The rows in the order of `key`; ties by friendly name, then id, so the order is stable. */
export function sortRows(rows: readonly CertificateRow[], key: SortKey): CertificateRow[] {
  const byName = (a: CertificateRow, b: CertificateRow) => collator.compare(a.certificate.friendlyName, b.certificate.friendlyName) || (a.certificate.id < b.certificate.id ? -1 : 1);
  const compare: Record<SortKey, (a: CertificateRow, b: CertificateRow) => number> = {
    kind: (a, b) => kindOrder[a.certificate.kind] - kindOrder[b.certificate.kind] || Number(b.certificate.factoryDefault) - Number(a.certificate.factoryDefault),
    'act-by': (a, b) => Number(a.certificate.replacedBy !== undefined) - Number(b.certificate.replacedBy !== undefined) || a.certificate.plan.actBy - b.certificate.plan.actBy,
    status: (a, b) => a.urgency - b.urgency || a.certificate.plan.actBy - b.certificate.plan.actBy,
    name: () => 0,
    expiry: (a, b) => a.certificate.facts.notAfter - b.certificate.facts.notAfter,
    issuer: (a, b) => collator.compare(a.certificate.facts.issuer, b.certificate.facts.issuer),
  };
  return [...rows].sort((a, b) => compare[key](a, b) || byName(a, b));
}

/** Every issuer among the rows, sorted, once each: the issuer filter's options. */
export function issuerOptions(rows: readonly CertificateRow[]): string[] {
  return [...new Set(rows.map((row) => row.certificate.facts.issuer))].sort(collator.compare);
}
