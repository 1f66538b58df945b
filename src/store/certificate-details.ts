/**
 * What the certificate list and viewer show beyond the read model, derived on request and never
 * stored: the full chain status of each certificate (as a strict client judges it, offering a
 * built-in root when the appliance lacks it) and everything a certificate says.
 */
import { CertdeskError } from '../core/errors';
import type { CertificateEntry, CertificateKind, CertificateSource } from '../core/appliance/certificate-entry';
import { certificateKind, chainShape } from '../core/appliance/certificate-entry';
import { sha256Hex } from '../core/pki/asn1';
import type { WorkspaceContext } from './context';
import { unknownCertificate } from './context';
import { read } from './database';
import type { CertificateDescription, ChainStatus, ValidationProblem } from './pki-services';
import { STORE } from './schema';

/**
 * The chain status of each certificate against all of them (an appliance's certificates), by id.
 * A certificate the validator cannot read is left out: the list keeps its quick status.
 */
export async function chainStatuses(
  ctx: WorkspaceContext,
  certificates: readonly { id: string; der: Uint8Array }[],
): Promise<Record<string, ChainStatus>> {
  const builtInRoots = await ctx.pki.builtInRoots();
  const pool = certificates.map((certificate) => certificate.der);
  const out: Record<string, ChainStatus> = {};
  for (const certificate of certificates) {
    try {
      out[certificate.id] = await ctx.pki.chainStatus(certificate.der, pool, { builtInRoots });
    } catch {
      // Unreadable here: no full status for it.
    }
  }
  return out;
}

/** Everything the certificate says, for the certificate details. */
export function describeCertificate(ctx: WorkspaceContext, der: Uint8Array): Promise<CertificateDescription> {
  return ctx.pki.describeCertificate(der);
}

/** One certificate of a certification path, leaf first. */
export interface PathLink {
  /** The certificate on this appliance; absent for one it lacks (a missing issuer). */
  certificateId?: string;
  friendlyName: string;
  /** Issued To, as the guide calls it. */
  subject: string;
  kind: CertificateKind;
  /**
   * Where it came from: how it entered the workspace, or `missing` (not on the appliance) —
   * with `builtInRoot` when the built-in store has it.
   */
  origin: CertificateSource | 'missing';
  builtInRoot?: Uint8Array;
  notAfter?: number;
}

/**
 * The certification path of a certificate, leaf → intermediates → root, as the guide has the
 * admin look at it ("the Certification Path tab … the root certificate is listed at the top").
 * When the validator finds a complete path, that is the path; otherwise the quick issuer chain
 * through the appliance's certificates, ending in what is missing.
 */
export async function certificationPath(ctx: WorkspaceContext, certId: string): Promise<{ links: PathLink[]; status: ChainStatus | undefined }> {
  const { certificate, pool } = await read(ctx.db, [STORE.certificates], async (t) => {
    const certificate = await t.objectStore(STORE.certificates).get(certId);
    if (!certificate) throw unknownCertificate();
    return { certificate, pool: await t.objectStore(STORE.certificates).index('byAppliance').getAll(certificate.applianceId) };
  });
  let status: ChainStatus | undefined;
  try {
    status = await ctx.pki.chainStatus(certificate.der, pool.map((c) => c.der), { builtInRoots: await ctx.pki.builtInRoots() });
  } catch {
    status = undefined;
  }
  const bySha = new Map(pool.map((c) => [c.sha256, c] as const));
  const shas = status?.kind === 'complete' ? await Promise.all(status.path.map((der) => sha256Hex(der))) : chainShape(certificate.facts, pool.map((c) => c.facts)).path;
  const links: PathLink[] = shas
    .map((sha) => bySha.get(sha))
    .filter((c): c is CertificateEntry => c !== undefined)
    .map((c) => ({ certificateId: c.id, friendlyName: c.friendlyName, subject: c.facts.commonName ?? c.facts.subject, kind: certificateKind(c.facts), origin: c.source, notAfter: c.facts.notAfter }));
  if (status?.kind === 'missing-intermediate' || status?.kind === 'missing-root') {
    const missing: PathLink = { friendlyName: status.issuer, subject: status.issuer, kind: status.kind === 'missing-root' ? 'root' : 'intermediate', origin: 'missing' };
    if (status.kind === 'missing-root' && status.builtInRoot) missing.builtInRoot = status.builtInRoot;
    links.push(missing);
  }
  return { links, status };
}

/** The rules a certificate breaks: what the strict verdict refuses, and lint (never changing it). */
export interface CertificateReview {
  status: ChainStatus;
  /** The problems that make the chain untrusted (empty otherwise), each with who enforces its rule. */
  problems: ValidationProblem[];
  lint: ValidationProblem[];
}

/** Reviews `der` against `pool` (its appliance's certificates), as the viewer shows it. */
export async function reviewCertificate(ctx: WorkspaceContext, der: Uint8Array, pool: readonly Uint8Array[]): Promise<CertificateReview> {
  const builtInRoots = await ctx.pki.builtInRoots();
  const status = await ctx.pki.chainStatus(der, pool, { builtInRoots });
  const issuer = status.kind === 'complete' ? status.path[1] : undefined;
  const lint = await ctx.pki.lintCertificate(der, issuer ? { issuer } : {});
  return { status, problems: status.kind === 'untrusted' ? status.problems : [], lint };
}

/** Lint of a stored request before the admin sends it to a CA. */
export async function lintRequest(ctx: WorkspaceContext, requestId: string, options: { validityDays?: number } = {}): Promise<ValidationProblem[]> {
  const request = await ctx.db.get(STORE.requests, requestId);
  if (!request) throw new CertdeskError('unknown-request', 'That certificate request is no longer in the workspace; another tab may have deleted it. The list is refreshed.');
  return ctx.pki.lintRequest(request.der, options);
}
