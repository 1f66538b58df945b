/**
 * What the checks read from the certificate model (x509/), beyond `certificateExtension`: the
 * subjectAltName as a name list whatever its state, the name constraints turned into subtrees
 * once, and the AIA issuer URLs. Cached per parsed certificate.
 */
import { OID } from '../asn1';
import type { GeneralName } from '../names/general-name';
import { nameConstraintsFrom, NameConstraintsError, type NameConstraints } from '../names/constraints';
import { certificateExtension, type Certificate, type Extension } from '../x509';

/** An extension value that is an empty SEQUENCE (`30 00`): "SIZE (1..MAX)" broken, its own rule. */
export function isEmptySequence(extension: Extension | undefined): boolean {
  return extension !== undefined && extension.value.length === 2 && extension.value[0] === 0x30 && extension.value[1] === 0;
}

/**
 * The subjectAltName entries: undefined when the extension is absent, the names when it is well
 * formed, and an empty list when it is present but empty or malformed (it then covers nothing).
 */
export function subjectAltNames(cert: Certificate): readonly GeneralName[] | undefined {
  const san = cert.extensionsByOid.get(OID.subjectAltName);
  if (!san) return undefined;
  return san.decoded?.kind === 'subjectAltName' ? san.decoded.names : [];
}

/** Name constraints read for processing, or why they cannot be (RFC 5280 §4.2.1.10). */
export interface ConstraintsView {
  constraints?: NameConstraints;
  /** Malformed: undecodable, neither subtree list, or a malformed base. */
  problem?: string;
  /** Some subtree sets minimum or maximum (its own rule; the bases are still processed). */
  minimumOrMaximum: boolean;
}

const constraintsCache = new WeakMap<Certificate, ConstraintsView | null>();

/** The certificate's name constraints, or undefined when it has none. */
export function nameConstraintsOf(cert: Certificate): ConstraintsView | undefined {
  let view = constraintsCache.get(cert);
  if (view === undefined) {
    view = readConstraints(cert);
    constraintsCache.set(cert, view);
  }
  return view ?? undefined;
}

function readConstraints(cert: Certificate): ConstraintsView | null {
  const extension = cert.extensionsByOid.get(OID.nameConstraints);
  if (!extension) return null;
  const value = extension.decoded;
  if (value?.kind !== 'nameConstraints') return { problem: extension.problem ?? 'malformed name constraints', minimumOrMaximum: false };
  const all = [...(value.permitted ?? []), ...(value.excluded ?? [])];
  const minimumOrMaximum = all.some((subtree) => subtree.minimum !== undefined || subtree.maximum !== undefined);
  const bare = (list: typeof value.permitted) => list?.map((subtree) => ({ base: subtree.base }));
  try {
    const permitted = bare(value.permitted);
    const excluded = bare(value.excluded);
    return { constraints: nameConstraintsFrom({ kind: 'nameConstraints', ...(permitted ? { permitted } : {}), ...(excluded ? { excluded } : {}) }), minimumOrMaximum };
  } catch (error) {
    if (!(error instanceof NameConstraintsError)) throw error;
    return { problem: error.message, minimumOrMaximum };
  }
}

/** The AIA caIssuers URLs of a certificate (where its issuer can be downloaded). */
export function caIssuersUrls(cert: Certificate): string[] {
  const aia = certificateExtension(cert, 'authorityInfoAccess');
  const urls: string[] = [];
  for (const { method, location } of aia?.descriptions ?? []) if (method === OID.caIssuers && location.kind === 'uri') urls.push(location.value);
  return urls;
}
