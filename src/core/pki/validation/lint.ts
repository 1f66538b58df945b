/**
 * Lint: the same rule table applied to a certificate request before the admin sends it to a CA,
 * and to a certificate before it is assigned. Request lint runs every rule whose `appliesTo`
 * names `request` (key size, SANs present, the CN among them, wildcards, the validity the CA will
 * accept, characters and attributes CAs refuse); certificate lint runs the rules marked
 * `lint: ['certificate']` for the certificate's role. Each finding carries its rule's source.
 */
import { OID } from '../asn1';
import { hostnameProblem } from '../names/hostname';
import { loadInternalNameCheck, loadPublicSuffixCheck } from '../names/public-suffix';
import { SIGNATURE_ALGORITHMS, verifySignature } from '../signatures';
import { isCaCertificate, parseCertificate, parseCertificationRequest, type Certificate, type CertificationRequest } from '../x509';
import { subjectAltNames } from './certificate-view';
import { detailsOf, each, type CheckResult, type NamedKey, type Role } from './check';
import { certificateProblems, linkProblems } from './checks';
import { maximumValidityDays } from './checks-lint';
import { keyChecks } from './checks-keys';
import { commonNamesNotInSans, nameChecks, type NameContext } from './checks-names';
import { checkSettings } from './path-validation';
import { problemOf, toValidationProblems, who, type ValidationProblem } from './problem';
import { lintRulesFor } from './rules';

/** What a request is checked with beyond its bytes. */
export interface RequestLintOptions {
  /** The validity the admin asks for, in days (the CA may give less: BR §6.3.2). */
  validityDays?: number;
  /** When the certificate would be issued (default now). */
  time?: Date;
}

interface RequestContext extends NameContext {
  request: CertificationRequest;
  holder: NamedKey;
  options: RequestLintOptions;
  signatureVerifies: boolean;
}

type RequestCheck = (r: RequestContext) => CheckResult;

const wildcardProblem = (name: string) => hostnameProblem(name, 'presented')?.code;
const requestDnsNames = (r: RequestContext) => (r.holder.sans ?? []).flatMap((n) => (n.kind === 'dns' ? [n.value] : []));

/** Checks that only requests have, or that read a request differently from a certificate. */
export const requestChecks: Readonly<Record<string, RequestCheck>> = {
  'no-subject-alt-names': (r) => !(r.holder.sans ?? []).some((n) => n.kind === 'dns' || n.kind === 'ip'),
  'bad-request-signature': (r) => !r.signatureVerifies,
  // The wildcard forms are their own rules here: wildcard-position, wildcard-too-broad.
  'malformed-dns-name': (r) => each(requestDnsNames(r).filter((n) => ![undefined, 'partial-wildcard', 'wildcard-not-left-most', 'wildcard-too-broad'].includes(wildcardProblem(n)))),
  'wildcard-position': (r) => each(requestDnsNames(r).filter((n) => ['partial-wildcard', 'wildcard-not-left-most'].includes(wildcardProblem(n) ?? ''))),
  'wildcard-too-broad': (r) => each(requestDnsNames(r).filter((n) => wildcardProblem(n) === 'wildcard-too-broad')),
  'weak-signature-algorithm': (r) => {
    const entry = SIGNATURE_ALGORITHMS[r.request.signatureAlgorithm.oid];
    return entry !== undefined && entry.tier !== 'modern' && { found: entry.name };
  },
  'common-name-not-in-san': (r) => commonNamesNotInSans(r.holder),
  'validity-over-ca-maximum': (r) => {
    if (r.options.validityDays === undefined) return false;
    const maximum = maximumValidityDays(Math.floor((r.options.time ?? new Date()).getTime() / 1000));
    return r.options.validityDays > maximum && { found: String(r.options.validityDays), expected: String(maximum) };
  },
};

/**
 * Lint of a certificate request (PKCS#10) as a public CA would judge it. Loads the Public
 * Suffix List (for wildcards and Internal Names) when the request names a host.
 * @throws CertdeskError `invalid-csr` when the bytes are not a request.
 */
export async function lintRequest(der: Uint8Array, options: RequestLintOptions = {}): Promise<ValidationProblem[]> {
  const request = parseCertificationRequest(der);
  const san = request.extensions.find((e) => e.oid === OID.subjectAltName);
  const holder: NamedKey = { subject: request.subject, spki: request.spki, sans: san ? (san.decoded?.kind === 'subjectAltName' ? san.decoded.names : []) : undefined };
  const context: RequestContext = { request, holder, options, signatureVerifies: (await verifySignature(request.info, request.signatureAlgorithm, request.signature, request.spki, { allowSha1: true, allowLegacy: true })).ok };
  if ((holder.sans ?? []).some((n) => n.kind === 'dns')) {
    context.isPublicSuffix = await loadPublicSuffixCheck();
    context.isInternalName = await loadInternalNameCheck();
  }
  const found = lintRulesFor('request').flatMap((rule) => {
    const own = requestChecks[rule.code];
    const shared = keyChecks[rule.code] ?? nameChecks[rule.code];
    const result = own ? own(context) : shared ? shared(holder, context) : false;
    return detailsOf(result).map((detail) => problemOf(rule, undefined, detail, `the request ${who(request)}`));
  });
  return toValidationProblems(found, []);
}

/** What a certificate is linted with. */
export interface CertificateLintOptions {
  /** The certificate that issued it, for the rules that compare the two. */
  issuer?: Uint8Array;
  /** Its role; default: a CA certificate is a root when self-issued, else an intermediate. */
  role?: Role;
  time?: Date;
}

function roleOf(cert: Certificate): Role {
  return isCaCertificate(cert) ? (cert.selfIssued ? 'root' : 'intermediate') : 'leaf';
}

/**
 * Lint of a certificate: the Baseline Requirements a public CA's issuance follows and clients
 * do not check. Never changes a verdict.
 * @throws MalformedCertificateError when the bytes are not a certificate.
 */
export async function lintCertificate(der: Uint8Array, options: CertificateLintOptions = {}): Promise<ValidationProblem[]> {
  const cert = parseCertificate(der);
  const role = options.role ?? roleOf(cert);
  const s = checkSettings(options.time ? { time: options.time } : {});
  if (role === 'leaf' && (subjectAltNames(cert) ?? []).some((n) => n.kind === 'dns')) s.isInternalName = await loadInternalNameCheck();
  const found = certificateProblems(cert, role, s, 'lint');
  if (options.issuer) found.push(...linkProblems(cert, parseCertificate(options.issuer), role, s, 'lint'));
  return toValidationProblems(found, [cert]);
}

