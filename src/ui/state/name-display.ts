/**
 * Names from certificates as the page shows them: the display verdict of the names module
 * (hidden characters made visible, look-alike letters flagged; src/core/pki/names/display.ts),
 * and the few words that say what is wrong, shared by the page (SafeName.svelte) and the picture
 * of Status > Basics.
 */
import { displayName, type DisplayName } from '../../store/pki';

export type { DisplayName } from '../../store/pki';

const HIDDEN = new Set(['bidi-control', 'invisible-character', 'control-character', 'unusual-space', 'unassigned-character']);

/**
 * Verdicts already given, by name: a page of rows asks about the same names several times (the
 * row's link and label, the issuer every row shares), and each verdict scans the name's
 * characters and scripts. Verdicts are read, never changed.
 */
const verdicts = new Map<string, DisplayName>();
const VERDICTS_KEPT = 5_000;

/** The verdict on showing `value`. */
export function nameDisplay(value: string): DisplayName {
  let verdict = verdicts.get(value);
  if (verdict === undefined) {
    if (verdicts.size >= VERDICTS_KEPT) verdicts.clear();
    verdict = displayName(value);
    verdicts.set(value, verdict);
  }
  return verdict;
}

/** The name as plain text for labels, options and sentences: hidden characters made visible. */
export function shownName(value: string): string {
  return nameDisplay(value).text;
}

/** "Hidden characters in this name" or "Look-alike letters in this name"; undefined when it is safe. */
export function nameWarningWords(verdict: DisplayName): string | undefined {
  if (verdict.warnings.length === 0) return undefined;
  return verdict.warnings.some((w) => HIDDEN.has(w.code)) ? 'Hidden characters in this name' : 'Look-alike letters in this name';
}
