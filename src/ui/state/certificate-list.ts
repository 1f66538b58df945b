/**
 * The Certificates list as rows: each certificate with its status words, advice and next step
 * worked out once per change of the workspace, then filtered and sorted. Pure functions, so the
 * list state (certificate-list.svelte.ts) derives the rows once per change and a virtualised
 * list can render any slice of them without recomputing anything per row.
 */
import type { CertificateView, ListedChainStatus, ListedChainStatuses } from '../../store/workspace';
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
  /** The root the built-in store offers when the chain lacks it (its SHA-256; the store hands over its bytes). */
  builtInRootSha256?: string;
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

/** What the rows of one list share: the certificates (to find a row's neighbours), their chain statuses, the time. */
interface RowContext {
  certificates: readonly CertificateView[];
  byId: ReadonlyMap<string, CertificateView>;
  chains: ListedChainStatuses;
  now: number;
}

/**
 * A row whose words, advice, statuses and search text are worked out when first read, then
 * kept: the table reads them only for the rows of the page it shows, and a filter or sort for
 * every row only when it needs them (at 5,000 certificates, all of them took 70–250 ms).
 */
class Row implements CertificateRow {
  readonly certificate: CertificateView;
  readonly #context: RowContext;
  #words: StatusWord[] | undefined;
  #statuses: Set<Exclude<StatusFilter, 'all'>> | undefined;
  #haystack: string | undefined;
  #urgency: number | undefined;

  constructor(certificate: CertificateView, context: RowContext) {
    this.certificate = certificate;
    this.#context = context;
  }

  get #status(): ListedChainStatus | undefined {
    return this.#context.chains.get(this.certificate.id);
  }

  get words(): StatusWord[] {
    return (this.#words ??= wordsFor(this.certificate, this.#status, this.#context.now, this.#context.certificates));
  }

  get advice(): string | undefined {
    return this.certificate.facts.selfIssued ? undefined : chainAdvice(this.#status);
  }

  get next(): string | undefined {
    return nextStep(this.certificate, this.#context.certificates);
  }

  get builtInRootSha256(): string | undefined {
    const status = this.#status;
    return status?.kind === 'missing-root' ? status.builtInRootSha256 : undefined;
  }

  get renewsInUse(): { id: string; friendlyName: string } | undefined {
    const renewed = this.certificate.renews === undefined ? undefined : this.#context.byId.get(this.certificate.renews);
    return renewed && renewed.assignedIps.length > 0 ? { id: renewed.id, friendlyName: renewed.friendlyName } : undefined;
  }

  get statuses(): ReadonlySet<Exclude<StatusFilter, 'all'>> {
    if (this.#statuses) return this.#statuses;
    const certificate = this.certificate;
    const words = this.words;
    const statuses = new Set<Exclude<StatusFilter, 'all'>>();
    if (certificate.plan.stage === 'act-now' || certificate.plan.stage === 'late' || certificate.plan.stage === 'expired') statuses.add('needs-action');
    if (certificate.plan.stage === 'expired') statuses.add('expired');
    if (words.some((w) => w.text.startsWith('Missing') || w.text === 'Chain not valid')) statuses.add('chain-problem');
    if (words.some((w) => w.text === 'Not assigned')) statuses.add('not-assigned');
    if (certificate.assignedIps.length > 0) statuses.add('in-use');
    if (certificate.replacedBy !== undefined) statuses.add('replaced');
    if (certificate.facts.selfIssued && certificate.kind === 'server') statuses.add('self-signed');
    if (this.renewsInUse) statuses.add('renewal');
    return (this.#statuses = statuses);
  }

  get haystack(): string {
    return (this.#haystack ??= searchTextOf(this.certificate));
  }

  get urgency(): number {
    return (this.#urgency ??= Math.min(...this.words.map((w) => toneRank[w.tone])));
  }
}

/** The lower-case text a search looks in: friendly name, Issued To, subject, issuer and SANs. */
export function searchTextOf(c: CertificateView): string {
  return [c.friendlyName, issuedTo(c), c.facts.subject, c.facts.issuer, ...c.facts.dnsNames, ...c.facts.ipAddresses].join('\n').toLowerCase();
}

/** The words of a search, each of which must occur in a certificate's `searchTextOf`. */
export function searchWords(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

/** The rows of an appliance's certificates at `now`, in no particular order (each worked out when first read). */
export function certificateRows(certificates: readonly CertificateView[], chains: ListedChainStatuses, now: number): CertificateRow[] {
  const context: RowContext = { certificates, byId: new Map(certificates.map((c) => [c.id, c] as const)), chains, now };
  return certificates.map((certificate) => new Row(certificate, context));
}

/** The rows that pass every part of the filter. */
export function filterRows(rows: readonly CertificateRow[], filter: ListFilter, now: number): CertificateRow[] {
  const words = searchWords(filter.search);
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

let collator: Intl.Collator | undefined;

/** The list's text order (made when first used: see status-words.ts formatDate). */
export function compareTexts(a: string, b: string): number {
  collator ??= new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return collator.compare(a, b);
}

/** Distinct texts in the collator's order, and each one's place (equal places for texts it holds equal). */
interface Ranking {
  sorted: string[];
  ranks: Map<string, number>;
}

/** The last rankings worked out (names, issuers): a ranking orders any subset of its texts. */
const recentRankings: Ranking[] = [];
/** Texts placed one by one into a ranking at most; past that, all are sorted again. */
const PLACED_AT_MOST = 64;

/**
 * Each distinct text's place in the collator's order: thousands of rows then sort by comparing
 * numbers, the collator having sorted each distinct text once. A ranking is kept and reused
 * while the texts stay among it, and a few new texts (a certificate created or imported) are
 * placed into it by binary search: sorting 5,000 names took the collator 15–50 ms.
 */
function collationRanks(texts: readonly string[]): Map<string, number> {
  const kept = keptRanks(texts);
  if (kept) return kept;
  return keepRanking(rankTexts(texts)).ranks;
}

/** A kept ranking that holds every one of `texts` (placing a few new ones into it), if any. */
function keptRanks(texts: readonly string[]): Map<string, number> | undefined {
  let best: { ranking: Ranking; missing: string[] } | undefined;
  for (const ranking of recentRankings) {
    const missing = [...new Set(texts.filter((text) => !ranking.ranks.has(text)))];
    if (!best || missing.length < best.missing.length) best = { ranking, missing };
    if (missing.length === 0) break;
  }
  if (best && best.missing.length <= PLACED_AT_MOST && best.missing.every((text) => place(best.ranking, text))) return best.ranking.ranks;
  return undefined;
}

function keepRanking(ranking: Ranking): Ranking {
  recentRankings.unshift(ranking);
  recentRankings.length = Math.min(recentRankings.length, 2);
  return ranking;
}

function rankTexts(texts: readonly string[]): Ranking {
  return drain(rankingSteps(texts));
}

/** The ranking of `texts`, in steps: the likely order, checked neighbour by neighbour, else the collator's own sort. */
function* rankingSteps(texts: readonly string[]): Generator<void, Ranking> {
  const distinct = [...new Set(texts)];
  const likely = yield* likelyCollationOrder(distinct);
  return (yield* ranked(likely)) ?? collatorRanking(distinct);
}

/** The ranking by sorting with the collator itself (when the likely order was wrong: accents, '_', other scripts). */
function collatorRanking(distinct: string[]): Ranking {
  return drain(ranked(distinct.sort(compareTexts)))!;
}

/** Neighbours compared between two steps of `ranked`. */
const RANK_STEP = 500;

/**
 * The ranking of `sorted`, or undefined when the collator does not hold it in order: each
 * neighbour compared once (a sequence whose every neighbour is in order is sorted). In steps,
 * so a caller on the page's thread can let other tasks run between them (`rankInSlices`).
 */
function* ranked(sorted: string[]): Generator<void, Ranking | undefined> {
  const ranks = new Map<string, number>();
  let rank = 0;
  for (let i = 0; i < sorted.length; i++) {
    const text = sorted[i]!;
    if (i > 0) {
      const order = compareTexts(sorted[i - 1]!, text);
      if (order > 0) return undefined;
      if (order !== 0) rank++;
    }
    ranks.set(text, rank);
    if (i % RANK_STEP === RANK_STEP - 1) yield;
  }
  return { sorted, ranks };
}

/**
 * Works out, ahead of `sortRows(rows, key)`, the rankings it will need, letting other tasks run
 * (`pause`) between steps: after an import of thousands of new names, ranking them in one go
 * was the longest task of the import (70 ms traced). `sortRows` then finds them kept.
 */
export async function rankInSlices(rows: readonly CertificateRow[], key: SortKey, pause: () => Promise<void>): Promise<void> {
  const lists = [...(key === 'act-by' || key === 'expiry' ? [] : [rows.map((row) => row.certificate.friendlyName)]), ...(key === 'issuer' ? [rows.map((row) => row.certificate.facts.issuer)] : [])];
  for (const texts of lists) {
    if (keptRanks(texts)) continue;
    keepRanking(await drainInSlices(rankingSteps(texts), pause));
    await pause();
  }
}

/**
 * The texts in an order the collator very likely agrees with, found without it: lower case, digit
 * runs compared by value (zero-padded), then code units, as the root collation orders the ASCII
 * of host and file names (spaces, then '-' and '.', then digits, then letters). Sorting 5,000 new
 * names with the collator took 150–190 ms (an import's longest task); this order costs a few
 * milliseconds and `ranked` checks it with one comparison per neighbour, sorting with the
 * collator only when it disagrees (accents, '_', other scripts).
 */
function* likelyCollationOrder(texts: readonly string[]): Generator<void, string[]> {
  const keyed: { text: string; key: string }[] = [];
  for (const text of texts) {
    keyed.push({ text, key: likelyKey(text) });
    if (keyed.length % RANK_STEP === 0) yield;
  }
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((entry) => entry.text);
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const ZEROS = '0'.repeat(24);

/** `text` lower-cased with each run of digits compared by value: leading zeros dropped, padded to 24 digits. */
export function likelyKey(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let i = 0;
  while (i < lower.length) {
    let j = i;
    if (!isDigit(lower.charCodeAt(i))) {
      while (j < lower.length && !isDigit(lower.charCodeAt(j))) j++;
      out += lower.slice(i, j);
    } else {
      while (j < lower.length && isDigit(lower.charCodeAt(j))) j++;
      let first = i;
      while (first < j - 1 && lower.charCodeAt(first) === 48) first++;
      out += ZEROS.slice(0, Math.max(0, 24 - (j - first))) + lower.slice(first, j);
    }
    i = j;
  }
  return out;
}

/** Runs `steps` to the end on this task; its return value. */
function drain<T>(steps: Generator<void, T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** Runs `steps` to the end, letting other tasks run (`pause`) between steps; its return value. */
async function drainInSlices<T>(steps: Generator<void, T>, pause: () => Promise<void>): Promise<T> {
  let step = steps.next();
  for (; !step.done; step = steps.next()) await pause();
  return step.value;
}

/** The index of the first item of sorted `items` for which `before` is false (binary search). */
function firstNotBefore<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(items[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Places `text` into `ranking` between its neighbours; false when no number fits between them. */
function place(ranking: Ranking, text: string): boolean {
  const { sorted, ranks } = ranking;
  const lo = firstNotBefore(sorted, (t) => compareTexts(t, text) < 0);
  const after = sorted[lo];
  const before = sorted[lo - 1];
  let rank: number;
  if (after !== undefined && compareTexts(after, text) === 0) rank = ranks.get(after)!;
  else {
    const low = before === undefined ? ranks.get(after ?? '') ?? 0 : ranks.get(before)!;
    const high = after === undefined ? low + 2 : ranks.get(after)!;
    rank = before === undefined ? high - 1 : (low + high) / 2;
    if (!(rank > (before === undefined ? -Infinity : low) && rank < high)) return false;
  }
  sorted.splice(lo, 0, text);
  ranks.set(text, rank);
  return true;
}

/**
 * The rows in the order of `key`; ties by friendly name, then id, so the order is stable. Each
 * row's keys are read once into arrays before sorting (a comparison reads numbers only): at
 * thousands of rows, reading them in every comparison made the sort a long task.
 */
export function sortRows(rows: readonly CertificateRow[], key: SortKey): CertificateRow[] {
  // Dates rarely tie: their sorts ask the collator about the few names that do, instead of
  // ranking every name first (thousands of new names after an import).
  const names = key === 'act-by' || key === 'expiry' ? undefined : collationRanks(rows.map((row) => row.certificate.friendlyName));
  const issuers = key === 'issuer' ? collationRanks(rows.map((row) => row.certificate.facts.issuer)) : undefined;
  const first = new Float64Array(rows.length);
  const second = new Float64Array(rows.length);
  const byName = new Float64Array(rows.length);
  const ids: string[] = [];
  rows.forEach((row, i) => {
    const c = row.certificate;
    const [a, b] = sortKeyValues[key](row, issuers);
    first[i] = a;
    second[i] = b;
    if (names) byName[i] = names.get(c.friendlyName)!;
    ids.push(c.id);
  });
  const nameOrder = names
    ? (i: number, j: number) => byName[i]! - byName[j]!
    : (i: number, j: number) => compareTexts(rows[i]!.certificate.friendlyName, rows[j]!.certificate.friendlyName);
  const order = Array.from(rows.keys());
  order.sort((i, j) => first[i]! - first[j]! || second[i]! - second[j]! || nameOrder(i, j) || (ids[i]! < ids[j]! ? -1 : 1));
  return order.map((i) => rows[i]!);
}

/**
 * The first `count` rows in the order of `key` (the same rows, in the same order, as the start of
 * `sortRows`), found in one pass without sorting the rest: a page of the expiry timeline is ten
 * bars of thousands of rows. Only date keys ('act-by', 'expiry'): their rows rarely tie.
 */
export function firstRows(rows: readonly CertificateRow[], key: 'act-by' | 'expiry', count: number): CertificateRow[] {
  const keyOf = sortKeyValues[key];
  const compare = (a: { row: CertificateRow; k: [number, number] }, b: { row: CertificateRow; k: [number, number] }) =>
    a.k[0] - b.k[0] ||
    a.k[1] - b.k[1] ||
    compareTexts(a.row.certificate.friendlyName, b.row.certificate.friendlyName) ||
    (a.row.certificate.id < b.row.certificate.id ? -1 : 1);
  const best: { row: CertificateRow; k: [number, number] }[] = [];
  if (count <= 0) return [];
  for (const row of rows) {
    const entry = { row, k: keyOf(row, undefined) };
    if (best.length === count && compare(entry, best[count - 1]!) >= 0) continue;
    best.splice(firstNotBefore(best, (b) => compare(b, entry) < 0), 0, entry);
    if (best.length > count) best.pop();
  }
  return best.map((entry) => entry.row);
}

/** What each sort compares first and second, as numbers (lower first). */
const sortKeyValues: Record<SortKey, (row: CertificateRow, issuers: ReadonlyMap<string, number> | undefined) => [number, number]> = {
  kind: (row) => [kindOrder[row.certificate.kind], -Number(row.certificate.factoryDefault)],
  'act-by': (row) => [Number(row.certificate.replacedBy !== undefined), row.certificate.plan.actBy],
  status: (row) => [row.urgency, row.certificate.plan.actBy],
  name: () => [0, 0],
  expiry: (row) => [row.certificate.facts.notAfter, 0],
  issuer: (row, issuers) => [issuers!.get(row.certificate.facts.issuer)!, 0],
};

/** Every issuer among the rows, sorted, once each: the issuer filter's options. */
export function issuerOptions(rows: readonly CertificateRow[]): string[] {
  return [...new Set(rows.map((row) => row.certificate.facts.issuer))].sort(compareTexts);
}
