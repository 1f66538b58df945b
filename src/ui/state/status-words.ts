/**
 * The status words shown under a certificate's name (the vocabulary's words), each with a tone
 * and an icon shape so that status is never colour alone. Expiry follows the certificate's plan
 * (core/appliance/expiry-plan.ts): amber from its act-by date, red once the lead time no longer
 * fits before expiry — not a flat 30 days.
 */
import type { ExpiryPlan } from '../../store/workspace';

export type Tone = 'ok' | 'warn' | 'bad' | 'info';

export interface StatusWord {
  text: string;
  tone: Tone;
}

export const toneIcon: Record<Tone, string> = { ok: '✓', warn: '▲', bad: '✕', info: '●' };
export const toneLabel: Record<Tone, string> = { ok: 'OK', warn: 'Warning', bad: 'Problem', info: 'Note' };

const DAY = 86_400_000;

/** Whole days from `now` until `notAfter`, rounded down; negative once expired. */
export function daysLeft(notAfter: number, now: number): number {
  return Math.floor((notAfter - now) / DAY);
}

/**
 * Made when first used, not when the module loads: the page's first Intl object loads the
 * locale data (20–35 ms in Chromium), which the start does while the database answers
 * (certificate-list.svelte.ts), not in the task that evaluates the modules.
 */
let dateFormat: Intl.DateTimeFormat | undefined;
let countFormat: Intl.NumberFormat | undefined;

/**
 * Each local day's text, once: formatting is the costly part (tens of µs a date in Chromium), and
 * a list's dates fall on few days (a page of rows draws two each, its timeline three more).
 */
const formattedDays = new Map<number, string>();
const FORMATTED_DAYS_KEPT = 2_000;

/** A date as lists show it ("Mar 12, 2027" in the admin's locale). */
export function formatDate(ms: number): string {
  const date = new Date(ms);
  // The local calendar day: the text shows nothing finer.
  const day = date.getFullYear() * 512 + date.getMonth() * 32 + date.getDate();
  const known = formattedDays.get(day);
  if (known !== undefined) return known;
  dateFormat ??= new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  if (formattedDays.size >= FORMATTED_DAYS_KEPT) formattedDays.clear();
  const text = dateFormat.format(date);
  formattedDays.set(day, text);
  return text;
}

/** A count as lists show it ("5,001" in the admin's locale); one formatter, not one per call as `toLocaleString` makes. */
export function formatCount(count: number): string {
  countFormat ??= new Intl.NumberFormat();
  return countFormat.format(count);
}

/** The tone of each stage of the plan. */
const stageTone: Record<ExpiryPlan['stage'], 'ok' | 'warn' | 'bad'> = { planned: 'ok', 'act-now': 'warn', late: 'bad', expired: 'bad', 'not-yet-valid': 'bad' };

/**
 * The tone of a certificate's expiry word: its plan's stage alone decides it, so what counts
 * tones over thousands of certificates (the timeline's summary) reads it without the words.
 */
export function expiryTone(plan: Pick<ExpiryPlan, 'stage'>): 'ok' | 'warn' | 'bad' {
  return stageTone[plan.stage];
}

/** "Expired", "Not yet valid" or "Expires in N days", in the tone of the plan's stage (`expiryTone`). */
export function expiryWord(plan: Pick<ExpiryPlan, 'stage'>, notAfter: number, now: number): StatusWord {
  const tone = expiryTone(plan);
  if (plan.stage === 'expired') return { text: 'Expired', tone };
  if (plan.stage === 'not-yet-valid') return { text: 'Not yet valid', tone };
  const days = daysLeft(notAfter, now);
  return { text: days === 1 ? 'Expires in 1 day' : `Expires in ${days} days`, tone };
}

/** "Act by DATE": a note while planned, amber once due, red when late; none once expired. */
export function actByWord(plan: Pick<ExpiryPlan, 'stage' | 'actBy'>): StatusWord | undefined {
  if (plan.stage === 'expired' || plan.stage === 'not-yet-valid') return undefined;
  return { text: `Act by ${formatDate(plan.actBy)}`, tone: plan.stage === 'planned' ? 'info' : stageTone[plan.stage] };
}

const EXPIRY_TEXT = /^(Expired|Not yet valid|Expires in \d+ days?)$/;
const ACT_BY_TEXT = /^Act by /;

/**
 * The expiry word and the act-by word among a certificate's words (those made by statusWords),
 * so that a view showing only expiry — the expiry timeline — shows the table's words and tones
 * rather than working them out again.
 */
export function expiryWordsOf(words: readonly StatusWord[]): { expiry: StatusWord | undefined; actBy: StatusWord | undefined } {
  return { expiry: words.find((word) => EXPIRY_TEXT.test(word.text)), actBy: words.find((word) => ACT_BY_TEXT.test(word.text)) };
}

export type ChainWord = 'complete' | 'missing-intermediate' | 'missing-root' | 'untrusted' | 'not-applicable';

export interface StatusInput {
  chain: ChainWord;
  selfSigned: boolean;
  factoryDefault: boolean;
  notBefore: number;
  notAfter: number;
  now: number;
  plan: Pick<ExpiryPlan, 'stage' | 'actBy'>;
  /** Show the act-by date (server certificates that are not replaced). */
  showActBy?: boolean;
  /** The certificate was replaced and serves nothing: "Replaced". */
  replaced?: boolean;
  /** A server certificate listed but serving no IP address: "Not assigned". */
  notAssigned?: boolean;
  /** The friendly name of the certificate in use this one renews: "Renews NAME". */
  renews?: string;
}

export function statusWords(input: StatusInput): StatusWord[] {
  const words: StatusWord[] = [];
  if (input.replaced) words.push({ text: 'Replaced', tone: 'info' });
  if (input.factoryDefault) words.push({ text: 'Factory default', tone: 'warn' });
  if (input.selfSigned) words.push({ text: 'Self-signed', tone: 'warn' });
  else if (input.chain === 'complete') words.push({ text: 'Chain complete', tone: 'ok' });
  else if (input.chain === 'missing-intermediate') words.push({ text: 'Missing intermediate certificate', tone: 'bad' });
  else if (input.chain === 'missing-root') words.push({ text: 'Missing root certificate', tone: 'bad' });
  else if (input.chain === 'untrusted') words.push({ text: 'Chain not valid', tone: 'bad' });
  words.push(expiryWord(input.plan, input.notAfter, input.now));
  const actBy = input.showActBy ? actByWord(input.plan) : undefined;
  if (actBy) words.push(actBy);
  if (input.renews !== undefined) words.push({ text: `Renews ${input.renews}`, tone: 'info' });
  if (input.notAssigned) words.push({ text: 'Not assigned', tone: 'info' });
  return words;
}
