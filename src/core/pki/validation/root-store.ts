/**
 * The built-in root store: a snapshot of the Mozilla roots (src/data/mozilla-roots.ts,
 * generated from Node's bundled store) so that, offline, Certdesk can find and offer the root
 * a CA did not send. The data is loaded lazily with import(): the UI pays for it only when a
 * chain is missing its root.
 */
import { base64ToBytes } from '../asn1';
import { verifyCertificateSignature } from '../signatures';
import { MalformedCertificateError, parseCertificate, type Certificate } from '../x509';

/** The built-in roots, parsed and indexed by subject. */
export interface BuiltInRootStore {
  /** Every root's DER. */
  readonly roots: readonly Uint8Array[];
  /** Where the snapshot came from and when it was generated (for the About page). */
  readonly source: string;
  readonly generated: string;
}

let cached: Promise<BuiltInRootStore> | undefined;

/** Loads (once) the built-in Mozilla root store. */
export function loadBuiltInRoots(): Promise<BuiltInRootStore> {
  cached ??= import('../../../data/mozilla-roots').then((m) => ({
    roots: m.mozillaRoots.map(base64ToBytes),
    source: m.source,
    generated: m.generated,
  }));
  return cached;
}

const parsedRoots = new WeakMap<readonly Uint8Array[], Certificate[]>();

function parseRoots(roots: readonly Uint8Array[]): Certificate[] {
  let parsed = parsedRoots.get(roots);
  if (!parsed) {
    parsed = [];
    for (const der of roots)
      try {
        parsed.push(parseCertificate(der));
      } catch (error) {
        // Not a certificate: cannot be an issuer.
        if (!(error instanceof MalformedCertificateError)) throw error;
      }
    parsedRoots.set(roots, parsed);
  }
  return parsed;
}

/**
 * Finds, among `roots` (e.g. `(await loadBuiltInRoots()).roots`), a self-signed root whose
 * subject is the certificate's issuer and whose key verifies the certificate's signature.
 * Returns its DER, or undefined.
 */
export async function findBuiltInIssuer(certificate: Uint8Array | Certificate, roots: readonly Uint8Array[]): Promise<Uint8Array | undefined> {
  let cert: Certificate;
  try {
    cert = certificate instanceof Uint8Array ? parseCertificate(certificate) : certificate;
  } catch (error) {
    if (error instanceof MalformedCertificateError) return undefined;
    throw error;
  }
  for (const root of parseRoots(roots)) {
    if (root.subjectKey !== cert.issuerKey || !root.selfIssued) continue;
    if ((await verifyCertificateSignature(cert, root)).ok) return root.der;
  }
  return undefined;
}
