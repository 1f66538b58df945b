/**
 * How the viewer and the request page word a rule finding: who enforces the rule (so an admin
 * sees "Browsers accept this, but rustls-webpki will not"), and where it comes from. Plain
 * functions over the problems the store hands over; no PKI here.
 */
import type { ValidationProblem } from '../../store/workspace';

type Enforcement = ValidationProblem['enforcedBy'];
type Client = Enforcement['clients'][number];

const BROWSERS: readonly Client[] = ['Chrome', 'Firefox', 'Safari'];

/** "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Who refuses a certificate that breaks the rule, in one sentence. */
export function whoRefuses(enforcedBy: Enforcement): string {
  const browsers = enforcedBy.clients.filter((c) => BROWSERS.includes(c));
  const libraries = enforcedBy.clients.filter((c) => !BROWSERS.includes(c));
  if (browsers.length && libraries.length) return `Refused by ${list(browsers)} and by strict TLS libraries (${list(libraries)}).`;
  if (browsers.length) return `Refused by ${list(browsers)}; other browsers and TLS libraries accept it.`;
  if (libraries.length) return `Browsers accept this, but ${list(libraries)} (and the clients built on ${libraries.length > 1 ? 'them' : 'it'}) will not.`;
  const only = enforcedBy.families.map((f) => (f === 'rfc5280-only' ? 'RFC 5280' : 'the CA/Browser Forum Baseline Requirements'));
  return `Required by ${list(only)}; no client we checked refuses it.`;
}

/** The sources of a rule, short: "RFC 5280 §4.2.1.9 · CABF BR §7.1.2.6.1". */
export function sourcesText(problem: ValidationProblem): string {
  return [...new Set(problem.sources.map((s) => (/^(RFC|CABF)/.test(s.doc) ? `${s.doc} §${s.section}` : `${s.doc} (${s.section})`)))].join(' · ');
}

/** The label of a finding's weight: clients refuse it, or a public CA would, or it is a note. */
export function weightText(problem: ValidationProblem, kind: 'verdict' | 'lint'): string {
  if (kind === 'verdict') return 'Refused';
  return problem.verdict === 'reject' ? 'A public CA must refuse this' : 'Note';
}
