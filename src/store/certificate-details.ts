/**
 * What the certificate viewer shows beyond the read model, derived on request and never stored:
 * everything a certificate says; and the built-in root a chain status offers. (Chain statuses
 * themselves are kept with the data: chain-statuses.ts.)
 */
import { sha256Hex } from '../core/pki/asn1';
import type { WorkspaceContext } from './context';
import type { CertificateDescription } from './pki-services';

/** The built-in root with this SHA-256 (loading the root store, on the admin's request). */
export async function builtInRoot(ctx: WorkspaceContext, sha256: string): Promise<Uint8Array | undefined> {
  for (const root of await ctx.pki.builtInRoots()) if ((await sha256Hex(root)) === sha256) return root;
  return undefined;
}

/** Everything the certificate says, for the certificate details. */
export function describeCertificate(ctx: WorkspaceContext, der: Uint8Array): Promise<CertificateDescription> {
  return ctx.pki.describeCertificate(der);
}
