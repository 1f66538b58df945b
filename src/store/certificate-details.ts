/**
 * What the certificate list and viewer show beyond the read model, derived on request and never
 * stored: the full chain status of each certificate (as a strict client judges it, offering a
 * built-in root when the appliance lacks it) and everything a certificate says.
 */
import type { WorkspaceContext } from './context';
import type { CertificateDescription, ChainStatus } from './pki-services';

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
