/**
 * What one validation or lint rule is, as data: where it comes from, which certificates it
 * applies to, who enforces it, and the sentence the admin reads. The rules themselves live in
 * rules.ts (assembled from rules-*.ts by section); the checks that apply them are elsewhere, so
 * this file and the tables hold no checking logic (pyca/cryptography keeps its policy as data in
 * the same way: cryptography-x509-verification/src/policy/).
 */

/** A specification a rule cites, or a client whose documented behaviour it follows. */
export type SourceDocument =
  | Client
  | 'RFC 5280'
  | 'RFC 9618'
  | 'RFC 6125'
  | 'RFC 5952'
  | 'RFC 3986'
  | 'RFC 5321'
  | 'RFC 2986'
  | 'RFC 4158'
  | 'RFC 8017'
  | 'CABF BR'
  | 'Apple HT210176';

/** Where a rule comes from: a section and its clause, quoted in at most 15 words. */
export interface Source {
  doc: SourceDocument;
  section: string;
  text: string;
}

/** The certificates (or the request) a rule looks at; `path` rules look at a whole chain. */
export type Target = 'leaf' | 'intermediate' | 'root' | 'path' | 'request';

/**
 * Who refuses a certificate that breaks the rule:
 * - `browsers`: Chrome, Firefox or Safari (named in `clients`);
 * - `strict-libraries`: strict TLS libraries (rustls-webpki, Go crypto/x509, pyca/cryptography,
 *   OpenSSL, Java — named in `clients`);
 * - `rfc5280-only`: RFC 5280 requires it, but no client we checked refuses it;
 * - `baseline-requirements-only`: the CA/Browser Forum Baseline Requirements require it, but no
 *   client we checked refuses it.
 */
export type ClientFamily = 'browsers' | 'strict-libraries' | 'rfc5280-only' | 'baseline-requirements-only';

/** The clients whose behaviour docs/validation.md cites from their source or documentation. */
export type Client = 'Chrome' | 'Firefox' | 'Safari' | 'rustls-webpki' | 'Go crypto/x509' | 'pyca/cryptography' | 'OpenSSL' | 'Java';

/** The clients that are browsers (the others are libraries). */
export const browserClients: ReadonlySet<Client> = new Set<Client>(['Chrome', 'Firefox', 'Safari']);

export interface Enforcement {
  families: readonly ClientFamily[];
  /** The named clients that refuse it (empty for the `-only` families). */
  clients: readonly Client[];
}

/**
 * `reject`: the one strict verdict refuses the chain; for a lint finding, a public CA must refuse
 * the request (or should not have issued the certificate).
 * `warn`: a lint finding that changes nothing for clients; the chain stays acceptable.
 */
export type Verdict = 'reject' | 'warn';

/** What a lint rule is shown on: the request page, the certificate viewer, or both. */
export type LintObject = 'request' | 'certificate';

/** The facts a rule's sentence is built from. */
export interface RuleContext {
  /** The certificate or request as the admin knows it, already quoted: “CN=appliance.example.com”. */
  subject: string;
  /** What was found: an OID, a name, a size, a date. */
  found?: string;
  /** What the rule expects or allows: a limit, a date, a host name, another certificate. */
  expected?: string;
}

/** One rule of the validation policy or of lint. */
export interface Rule {
  /** Stable kebab-case code; problems and the limbo harness report it. */
  code: string;
  sources: readonly Source[];
  appliesTo: readonly Target[];
  enforcedBy: Enforcement;
  verdict: Verdict;
  /**
   * Where the rule is a lint finding. `request`: checked on certificate requests. `certificate`:
   * on certificates it is lint only and never changes the chain verdict. A rule without
   * `certificate` here is a validation rule for the certificates in `appliesTo`.
   */
  lint?: readonly LintObject[];
  /**
   * Roots a root program already vetted (the built-in Mozilla store) are exempt: they predate
   * the rule, and the admin cannot change them.
   */
  exemptVettedRoots?: boolean;
  /** The admin's sentence: what is wrong and what to do, naming the certificate. */
  message(context: RuleContext): string;
}

/** A citation of RFC 5280. */
export function rfc5280(section: string, text: string): Source {
  return { doc: 'RFC 5280', section, text };
}

/** A citation of the CA/Browser Forum Baseline Requirements (version 2.2.6). */
export function br(section: string, text: string): Source {
  return { doc: 'CABF BR', section, text };
}

/** Named clients, with their families derived from them. */
export function enforcedBy(...clients: Client[]): Enforcement {
  const families: ClientFamily[] = [];
  if (clients.some((c) => browserClients.has(c))) families.push('browsers');
  if (clients.some((c) => !browserClients.has(c))) families.push('strict-libraries');
  return { families, clients };
}

/** Required by RFC 5280; no client we checked refuses it. */
export const rfc5280Only: Enforcement = { families: ['rfc5280-only'], clients: [] };

/** Required by the Baseline Requirements; no client we checked refuses it. */
export const baselineRequirementsOnly: Enforcement = { families: ['baseline-requirements-only'], clients: [] };

/** Required by both RFC 5280 and the Baseline Requirements; no client we checked refuses it. */
export const specificationsOnly: Enforcement = { families: ['rfc5280-only', 'baseline-requirements-only'], clients: [] };

/** `“value”` in the sentence, or `fallback` (unquoted) when the check did not report one. */
export function quoted(value: string | undefined, fallback: string): string {
  return value === undefined || value === '' ? fallback : `\u201c${value}\u201d`;
}

/** `value` in the sentence, or `fallback` when the check did not report one. */
export function or(value: string | undefined, fallback: string): string {
  return value === undefined || value === '' ? fallback : value;
}
