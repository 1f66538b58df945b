/**
 * What the certificate list and viewer show beyond the read model, derived on request and never
 * stored: the full chain status of each certificate (as a strict client judges it, offering a
 * built-in root when the appliance lacks it) and everything a certificate says.
 */
import { CertdeskError } from '../core/errors';
import type { WorkspaceContext } from './context';
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
