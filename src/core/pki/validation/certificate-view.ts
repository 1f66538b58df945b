/**
 * The extensions path validation reads, taken from the certificate model (x509/) with the
 * problems their encodings have, and the problem values validation collects.
 */
import { OID } from '../asn1';
import { nameConstraintsFrom, NameConstraintsError, type NameConstraints } from '../names/constraints';
import type { GeneralName } from '../names/general-name';
import { nameToString, type Certificate, type DistinguishedName } from '../x509';

/** A problem before it is tied to a position in a path. */
export interface RawProblem {
  code: string;
  message: string;
  cert?: Certificate;
}

/** The role a certificate plays in a path; the rules differ per role. */
export type Role = 'leaf' | 'intermediate' | 'anchor';

export interface Decoded {
  problems: RawProblem[];
  basicConstraints?: { ca: boolean; pathLen?: number };
  keyUsage?: ReadonlySet<number>;
  eku?: string[];
  sans?: GeneralName[];
  nameConstraints?: NameConstraints;
  aki?: { keyId?: Uint8Array; hasIssuerOrSerial: boolean };
  ski?: Uint8Array;
  caIssuers: string[];
}

/** Extensions this validator understands, so may be critical (RFC 5280 §4.2). Policies are accepted but not processed, as browsers do. */
const understood = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.nameConstraints,
  OID.certificatePolicies,
  OID.policyConstraints,
  OID.policyMappings,
  OID.inhibitAnyPolicy,
]);

/** Describes a certificate in a sentence. */
export function who(cert: Certificate): string {
  return `“${shortName(cert.subject)}”`;
}

/** A name for a sentence: a hostile certificate can carry thousands of attributes. */
export function shortName(name: DistinguishedName): string {
  let text = shortNames.get(name);
  if (text === undefined) shortNames.set(name, (text = nameToString(name, 160)));
  return text;
}

/** Names are immutable parts of a parsed certificate, and messages name the same ones again and again. */
const shortNames = new WeakMap<DistinguishedName, string>();

export function p(code: string, cert: Certificate | undefined, message: string): RawProblem {
  return cert ? { code, message, cert } : { code, message };
}

const decodedCache = new WeakMap<Certificate, Decoded>();

/** The extensions validation reads, from the model, with the problems their encodings have. */
export function decodeExtensions(cert: Certificate): Decoded {
  const cached = decodedCache.get(cert);
  if (cached) return cached;
  const d: Decoded = { problems: [], caIssuers: [] };
  const bad = (what: string): void => {
    d.problems.push(p('malformed-extension', cert, `The ${what} extension of ${who(cert)} is malformed, so clients reject the certificate. Reissue it.`));
  };
  const get = (oid: string) => cert.extensionsByOid.get(oid);

  const bc = get(OID.basicConstraints);
  if (bc?.decoded?.kind === 'basicConstraints')
    d.basicConstraints = bc.decoded.pathLenConstraint === undefined ? { ca: bc.decoded.ca } : { ca: bc.decoded.ca, pathLen: bc.decoded.pathLenConstraint };
  else if (bc) bad('basicConstraints');

  const ku = get(OID.keyUsage);
  // RFC 5280 §4.2.1.3: at least one bit MUST be set.
  if (ku?.decoded?.kind === 'keyUsage' && ku.decoded.bits.size > 0) d.keyUsage = ku.decoded.bits;
  else if (ku) bad('keyUsage');

  const eku = get(OID.extKeyUsage);
  if (eku?.decoded?.kind === 'extKeyUsage') {
    d.eku = eku.decoded.purposes;
    if (d.eku.length === 0)
      d.problems.push(p('empty-extended-key-usage', cert, `${who(cert)} has an extendedKeyUsage extension that lists no usage (RFC 5280 §4.2.1.12 requires at least one). Reissue it.`));
  } else if (eku) bad('extendedKeyUsage');

  const san = get(OID.subjectAltName);
  if (san?.decoded?.kind === 'subjectAltName') d.sans = san.decoded.names;
  else if (san) bad('subjectAltName');

  const nc = get(OID.nameConstraints);
  if (nc)
    try {
      if (nc.decoded?.kind !== 'nameConstraints') throw new NameConstraintsError(nc.problem ?? 'malformed name constraints');
      d.nameConstraints = nameConstraintsFrom(nc.decoded);
    } catch (error) {
      if (!(error instanceof NameConstraintsError)) throw error;
      d.problems.push(p('malformed-name-constraints', cert, `The name constraints of ${who(cert)} are malformed (${error.message}); clients reject every certificate below it.`));
    }

  const aki = get(OID.authorityKeyIdentifier);
  if (aki) {
    // RFC 5280 §4.2.1.1: conforming CAs MUST mark this extension non-critical.
    if (aki.critical) d.problems.push(p('critical-authority-key-identifier', cert, `${who(cert)} marks its authorityKeyIdentifier critical, which RFC 5280 §4.2.1.1 forbids.`));
    if (aki.decoded?.kind === 'authorityKeyIdentifier') {
      const hasIssuerOrSerial = aki.decoded.authorityCertIssuer !== undefined || aki.decoded.authorityCertSerialNumber !== undefined;
      d.aki = aki.decoded.keyIdentifier ? { keyId: aki.decoded.keyIdentifier, hasIssuerOrSerial } : { hasIssuerOrSerial };
    } else bad('authorityKeyIdentifier');
  }

  const ski = get(OID.subjectKeyIdentifier);
  if (ski) {
    if (ski.critical) d.problems.push(p('critical-subject-key-identifier', cert, `${who(cert)} marks its subjectKeyIdentifier critical, which RFC 5280 §4.2.1.2 forbids.`));
    if (ski.decoded?.kind === 'subjectKeyIdentifier') d.ski = ski.decoded.keyIdentifier;
    else bad('subjectKeyIdentifier');
  }

  const aia = get(OID.authorityInfoAccess);
  if (aia) {
    if (aia.critical) d.problems.push(p('critical-authority-info-access', cert, `${who(cert)} marks its authorityInfoAccess critical, which RFC 5280 §4.2.2.1 forbids.`));
    // "The AuthorityInfoAccessSyntax MUST contain one or more AccessDescriptions" (CABF): the model refuses an empty one.
    if (aia.decoded?.kind === 'authorityInfoAccess') {
      for (const { method, location } of aia.decoded.descriptions) if (method === OID.caIssuers && location.kind === 'uri') d.caIssuers.push(location.value);
    } else bad('authorityInfoAccess');
  }

  for (const [oid, ext] of cert.extensionsByOid)
    if (ext.critical && !understood.has(oid))
      d.problems.push(p('unknown-critical-extension', cert, `${who(cert)} has a critical extension (${oid}) that clients do not understand, so they must reject it (RFC 5280 §4.2).`));
  for (const oid of cert.duplicateExtensions)
    d.problems.push(p('duplicate-extension', cert, `${who(cert)} contains the extension ${oid} twice, which RFC 5280 §4.2 forbids.`));
  // OpenSSL reads these, but RFC 5280 §4.1.2.9 and §4.1.2.4 forbid them.
  if (cert.version !== 3 && cert.extensions.length > 0)
    d.problems.push(p('malformed-certificate', cert, `${who(cert)} is a version ${cert.version} certificate but carries extensions, which only version 3 certificates may (RFC 5280 §4.1.2.9).`));
  if (cert.subject.some((rdn) => rdn.length === 0) || cert.issuer.some((rdn) => rdn.length === 0))
    d.problems.push(p('malformed-certificate', cert, `${who(cert)} has a name with an empty relative distinguished name, which RFC 5280 §4.1.2.4 forbids.`));

  decodedCache.set(cert, d);
  return d;
}

/** The AIA caIssuers URLs of a certificate (where its issuer can be downloaded). */
export function caIssuersUrls(cert: Certificate): string[] {
  return decodeExtensions(cert).caIssuers;
}


