/**
 * The chain status the UI shows beneath every certificate, answering the guide's question
 * ("If the new certificate shows a warning beneath its name, this typically means the
 * intermediate and/or root certificates … have not been imported") the way a strict client
 * would.
 *
 * Rules (the appliance's view of trust, from the guide's "Import the Certificate"):
 * - Trust anchors are the self-signed CA certificates the admin imported: the appliance needs
 *   its root imported, so a built-in root is offered, never silently trusted.
 * - A certificate whose best path ends in an imported self-signed root and passes every rule
 *   of path-validation.ts is `complete` (a root itself is complete when it is a valid CA).
 * - The certificate's own validity is reported first (`expired` / `not-yet-valid`, with dates).
 * - When no path reaches an imported root and no found issuer was unusable, the top of the
 *   longest verified path decides: if a built-in root signed it, `missing-root` offering that
 *   root; else if the top is a CA certificate (an intermediate), `missing-root` (the guide:
 *   intermediates are issued by the root); else (the top is the server certificate itself)
 *   `missing-intermediate`, naming the issuer and its AIA caIssuers URLs.
 * - Anything else that fails (bad signatures found, rules broken, budget exhausted, a
 *   self-signed server certificate, a wildcard over a public suffix such as `*.co.uk`) is
 *   `untrusted`, with every problem.
 * - A valid chain whose leaf does not cover `hostname` is `does-not-cover`.
 */
import { equalBytes } from '../asn1';
import { coversName, presentedNames } from '../names/match';
import { publicSuffixCheckFor } from '../names/public-suffix';
import { isSelfSigned } from '../signatures';
import { certificateExtension, isCaCertificate, MalformedCertificateError, parseCertificate, type Certificate } from '../x509';
import { caIssuersUrls } from './certificate-view';
import { certificateProblems } from './checks';
import { checkSettings, evaluate, malformedCertificateProblem, vettedRootsFor, type ValidationOptions } from './path-validation';
import { CertificatePool } from './pool';
import { problem, shortName, toValidationProblems, type ValidationProblem } from './problem';
import { findBuiltInIssuer } from './root-store';

export type ChainStatus =
  | { kind: 'complete'; path: Uint8Array[] }
  | { kind: 'missing-intermediate'; issuer: string; caIssuersUrls: string[] }
  | { kind: 'missing-root'; issuer: string; builtInRoot?: Uint8Array }
  | { kind: 'expired' | 'not-yet-valid'; notBefore: string; notAfter: string }
  | { kind: 'untrusted'; problems: ValidationProblem[] }
  | { kind: 'does-not-cover'; name: string };

export interface ChainStatusOptions {
  /** When to judge validity (default now). */
  time?: Date;
  /** A DNS name or IP the certificate must cover (e.g. the IP's A-record name). */
  hostname?: string;
  /** Roots to offer when missing (e.g. `(await loadBuiltInRoots()).roots`); never trusted. */
  builtInRoots?: readonly Uint8Array[];
  purpose?: ValidationOptions['purpose'];
  /** Public-suffix check for wildcard names (default: the Public Suffix List, names/public-suffix.ts). */
  isPublicSuffix?: ValidationOptions['isPublicSuffix'];
  signal?: AbortSignal;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A pool entry: the model, or why the bytes are no certificate. */
type PoolEntry = Certificate | MalformedCertificateError;

/**
 * Parsed certificates per byte array: the UI asks for the status of every certificate against
 * the same pool, so each is parsed once (and its self-signature checked once, signatures.ts).
 * Byte arrays handed in are treated as immutable.
 */
const poolCache = new WeakMap<Uint8Array, PoolEntry>();

function entryFor(der: Uint8Array): PoolEntry {
  let entry = poolCache.get(der);
  if (!entry) {
    try {
      entry = parseCertificate(der);
    } catch (error) {
      if (!(error instanceof MalformedCertificateError)) throw error;
      entry = error;
    }
    poolCache.set(der, entry);
  }
  return entry;
}

/**
 * The chain status of `certificate` given everything the appliance holds (`pool`: its
 * certificates plus any just imported; the certificate itself may be among them).
 */
export async function chainStatus(certificate: Uint8Array, pool: readonly Uint8Array[], options: ChainStatusOptions = {}): Promise<ChainStatus> {
  const cert = entryFor(certificate);
  if (cert instanceof MalformedCertificateError) return { kind: 'untrusted', problems: [malformedCertificateProblem(cert)] };
  const time = options.time ?? new Date();
  const now = Math.floor(time.getTime() / 1000);
  if (now > cert.notAfter.seconds) return { kind: 'expired', notBefore: iso(cert.notBefore.seconds), notAfter: iso(cert.notAfter.seconds) };
  if (now < cert.notBefore.seconds) return { kind: 'not-yet-valid', notBefore: iso(cert.notBefore.seconds), notAfter: iso(cert.notAfter.seconds) };

  const validation: ValidationOptions = { time };
  if (options.purpose) validation.purpose = options.purpose;
  if (options.isPublicSuffix) validation.isPublicSuffix = options.isPublicSuffix;
  if (options.signal) validation.signal = options.signal;
  if (options.builtInRoots) validation.vettedRoots = options.builtInRoots;
  const settings = (vetted: readonly Uint8Array[]) => ({ ...checkSettings(validation), isVettedRoot: (c: Certificate) => vetted.some((r) => equalBytes(r, c.der)) });

  if (await isSelfSigned(cert)) {
    if (isCaCertificate(cert)) {
      let problems = certificateProblems(cert, 'root', settings(options.builtInRoots ?? []));
      const vetted = await vettedRootsFor(problems, options.builtInRoots);
      if (vetted) problems = certificateProblems(cert, 'root', settings(vetted));
      if (problems.length === 0) return { kind: 'complete', path: [cert.der] };
      return { kind: 'untrusted', problems: await toValidationProblems(problems, [cert]) };
    }
    return { kind: 'untrusted', problems: await toValidationProblems([problem('self-signed', cert)], [cert]) };
  }

  const anchors = new CertificatePool();
  const intermediates = new CertificatePool();
  for (const der of pool) {
    const c = entryFor(der);
    if (c instanceof MalformedCertificateError || equalBytes(c.der, cert.der)) continue;
    if (await isSelfSigned(c)) anchors.add(c);
    else intermediates.add(c);
  }
  const role = isCaCertificate(cert) ? 'ca-subject' : 'leaf';
  const result = await evaluate(cert, anchors, intermediates, validation, role);
  if (result.ok && result.path) {
    if (options.hostname !== undefined && role === 'leaf') {
      // A malformed SAN was already refused by validation.
      const names = presentedNames(certificateExtension(cert, 'subjectAltName')?.names ?? []);
      if (!coversName(names, options.hostname, options.isPublicSuffix ?? (await publicSuffixCheckFor(names)))) return { kind: 'does-not-cover', name: options.hostname };
    }
    return { kind: 'complete', path: result.path.map((c) => c.der) };
  }
  const outcome = result.outcome;
  const issuerFoundButUnusable = result.subjectProblems.length > 0 || outcome.path || outcome.budgetExhausted || outcome.pathProblems || outcome.reported || outcome.candidateProblems.length > 0;
  if (issuerFoundButUnusable) return { kind: 'untrusted', problems: await toValidationProblems(result.problems, result.partialPath) };

  const top = result.partialPath[result.partialPath.length - 1]!;
  const issuer = shortName(top.issuer);
  const builtInRoot = options.builtInRoots ? await findBuiltInIssuer(top, options.builtInRoots) : undefined;
  if (builtInRoot) return { kind: 'missing-root', issuer, builtInRoot };
  if (top !== cert || role === 'ca-subject') return { kind: 'missing-root', issuer };
  return { kind: 'missing-intermediate', issuer, caIssuersUrls: caIssuersUrls(top) };
}
