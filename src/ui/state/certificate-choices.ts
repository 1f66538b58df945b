/**
 * The certificates a picker offers when an appliance holds thousands: those matching what the
 * admin typed, at most `CHOICES_SHOWN` of them, the one chosen always among them. A select of
 * every certificate is 5,000 options at 5,000 certificates, and building it one long task
 * (issue 11); the search is the Certificates list's (certificate-list.ts).
 */
import type { CertificateView } from '../../store/workspace';
import { searchTextOf, searchWords } from './certificate-list';

/** Options a picker shows at most: a screenful to scroll, a few elements each. */
export const CHOICES_SHOWN = 50;

/** Certificates under a heading (an appliance's name), as a select's option group shows them. */
export interface CertificateGroup {
  label: string;
  certificates: readonly CertificateView[];
}

export interface CertificateChoices {
  /** The groups with the certificates shown, in their order; groups left empty are dropped. */
  groups: CertificateGroup[];
  /** Certificates shown, matching the search, and offered in all. */
  shown: number;
  matching: number;
  total: number;
}

/** The certificates of `groups` to offer for `search` (all when it is empty), `chosen` kept among them. */
export function certificateChoices(groups: readonly CertificateGroup[], search: string, chosen: string, limit = CHOICES_SHOWN): CertificateChoices {
  const words = searchWords(search);
  const matches = (c: CertificateView) => {
    if (words.length === 0) return true;
    const text = searchTextOf(c);
    return words.every((word) => text.includes(word));
  };
  let shown = 0;
  let matching = 0;
  let total = 0;
  const out: CertificateGroup[] = [];
  for (const group of groups) {
    const certificates: CertificateView[] = [];
    for (const c of group.certificates) {
      total++;
      const match = matches(c);
      if (match) matching++;
      if (c.id === chosen || (match && shown < limit)) {
        certificates.push(c);
        shown++;
      }
    }
    if (certificates.length) out.push({ label: group.label, certificates });
  }
  return { groups: out, shown, matching, total };
}
