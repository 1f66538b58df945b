/**
 * The Certificates list's first screen as last drawn, kept in localStorage (the workspace state
 * reads and writes it with what else this browser remembers) so that the next start
 * can show it while the workspace is read (issue 11: at 5,000 certificates, reading and sorting
 * the workspace is most of a start; the first screen is fifty rows). It is shown marked as being
 * checked, with the filters and pager held until the workspace is read, and replaced by the rows
 * read then — the same rows, when nothing changed, so nothing moves.
 *
 * Kept: the first page of rows of the appliance shown, unfiltered, in the sort shown, with what
 * each row shows; how many certificates the list held; the expiry timeline's height (the timeline
 * is drawn from every row, so its place is reserved until they are read). No key material: the
 * rows are what the page shows.
 */
import type { CertificateView } from '../../store/workspace';
import type { CertificateRow, SortKey } from './certificate-list';
import { sortKeys } from './certificate-list';

/**
 * Most characters kept: fifty rows take 40,000–80,000. The safety copy takes at most 2 million of
 * the origin's 5 million (safety-copy.ts); a screen of unusually long names is not kept.
 */
export const FIRST_SCREEN_MAX_CHARS = 250_000;

/** What a row of the list shows (CertificateRow.svelte), as plain data. */
export type ShownRow = Pick<CertificateRow, 'certificate' | 'words' | 'advice' | 'next' | 'builtInRootSha256' | 'renewsInUse'>;

export interface FirstScreen {
  format: 'certdesk-first-screen';
  version: 1;
  applianceId: string;
  sort: SortKey;
  /** How many certificates the list held. */
  total: number;
  /** The first page's rows, in order. */
  rows: ShownRow[];
  /** The expiry timeline's height in CSS pixels, reserved while the rows are read. */
  timelineHeight: number;
}

/** A row's shown data, read from its getters (the list's rows work them out when first read). */
export function shownRow(row: ShownRow): ShownRow {
  const shown: ShownRow = { certificate: row.certificate, words: row.words };
  if (row.advice !== undefined) shown.advice = row.advice;
  if (row.next !== undefined) shown.next = row.next;
  if (row.builtInRootSha256 !== undefined) shown.builtInRootSha256 = row.builtInRootSha256;
  if (row.renewsInUse !== undefined) shown.renewsInUse = row.renewsInUse;
  return shown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a kept row has what CertificateRow.svelte reads (written by this code, but storage can be edited or damaged). */
function isShownRow(value: unknown): value is ShownRow {
  if (!isObject(value) || !Array.isArray(value.words) || !isObject(value.certificate)) return false;
  const c = value.certificate as Partial<CertificateView>;
  return (
    typeof c.id === 'string' &&
    typeof c.friendlyName === 'string' &&
    (c.kind === 'server' || c.kind === 'intermediate' || c.kind === 'root') &&
    isObject(c.facts) &&
    typeof c.facts.issuer === 'string' &&
    typeof c.facts.subject === 'string' &&
    typeof c.facts.notAfter === 'number' &&
    Array.isArray(c.facts.dnsNames) &&
    isObject(c.plan) &&
    typeof c.plan.actBy === 'number' &&
    Array.isArray(c.assignedIps) &&
    (c.privateKey === 'available' || c.privateKey === 'missing') &&
    value.words.every((word: unknown) => isObject(word) && typeof word.text === 'string' && typeof word.tone === 'string') &&
    ['advice', 'next', 'builtInRootSha256'].every((key) => value[key] === undefined || typeof value[key] === 'string') &&
    (value.renewsInUse === undefined || (isObject(value.renewsInUse) && typeof value.renewsInUse.id === 'string' && typeof value.renewsInUse.friendlyName === 'string'))
  );
}

/** The kept screen in `text`, or undefined when there is none or it is not one this version wrote. */
export function parseFirstScreen(text: string | null): FirstScreen | undefined {
  if (text === null || text.length > FIRST_SCREEN_MAX_CHARS) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.format !== 'certdesk-first-screen' || value.version !== 1) return undefined;
  const { applianceId, sort, total, rows, timelineHeight } = value;
  if (typeof applianceId !== 'string' || !sortKeys.some((key) => key.value === sort)) return undefined;
  if (!Number.isSafeInteger(total) || !Array.isArray(rows) || rows.length === 0 || (total as number) < rows.length) return undefined;
  if (typeof timelineHeight !== 'number' || !(timelineHeight >= 0 && timelineHeight < 100_000)) return undefined;
  if (!rows.every(isShownRow)) return undefined;
  return value as unknown as FirstScreen;
}

/** The text kept for `screen`, or undefined when it is too long to keep. */
export function firstScreenText(screen: FirstScreen): string | undefined {
  const text = JSON.stringify(screen);
  return text.length <= FIRST_SCREEN_MAX_CHARS ? text : undefined;
}
