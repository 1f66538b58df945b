/**
 * Descriptions of certificates for display: plain, structured-cloneable data with every field
 * and extension decoded (RFC 5280 §4), fingerprints, and the role the vendor guide tells
 * admins to recognise (server, intermediate, root).
 */
import { toArrayBuffer, toHex } from './asn1';
import { describeGeneralName, type DescribedGeneralName, type GeneralName } from './names/general-name';
import { isSelfSigned, signatureAlgorithmName } from './signatures';
import {
  describePublicKey,
  isCaCertificate,
  nameAttributes,
  nameToString,
  readCertificate,
  type Extension,
  type GeneralSubtree,
  type NameAttribute,
  type PublicKeyDescription,
} from './x509';

/** The role the guide describes: a server certificate, an intermediate CA, or a root CA. */
export type CertificateRole = 'server' | 'intermediate' | 'root';

export type DescribedExtensionValue =
  | { kind: 'basicConstraints'; ca: boolean; pathLength?: number }
  | { kind: 'keyUsage'; usages: string[] }
  | { kind: 'extKeyUsage'; purposes: { oid: string; name: string }[] }
  | { kind: 'subjectKeyIdentifier'; keyIdentifier: string }
  | { kind: 'authorityKeyIdentifier'; keyIdentifier?: string; issuer?: DescribedGeneralName[]; serialNumber?: string }
  | { kind: 'subjectAltName' | 'issuerAltName'; names: DescribedGeneralName[] }
  | { kind: 'authorityInfoAccess'; ocsp: string[]; caIssuers: string[]; other: { method: string; location: DescribedGeneralName }[] }
  | { kind: 'crlDistributionPoints'; urls: string[]; names: DescribedGeneralName[] }
  | { kind: 'certificatePolicies'; policies: { oid: string; name?: string; cps: string[]; notices: string[] }[] }
  | { kind: 'nameConstraints'; permitted: DescribedGeneralName[]; excluded: DescribedGeneralName[] }
  /** `hex`: the value's hex, cut after SHOWN_HEX_BYTES bytes with its size said. */
  | { kind: 'unknown'; hex: string }
  | { kind: 'unreadable'; hex: string };

export type DescribedExtension = { oid: string; name: string; critical: boolean } & DescribedExtensionValue;

export interface CertificateDescription {
  version: number;
  subject: NameAttribute[];
  subjectText: string;
  issuer: NameAttribute[];
  issuerText: string;
  /** Lower-case hex of the serial's two's-complement bytes, without a leading 00 pad. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  subjectAltNames: DescribedGeneralName[];
  publicKey: PublicKeyDescription;
  signatureAlgorithm: string;
  sha1: string;
  sha256: string;
  extensions: DescribedExtension[];
  isCA: boolean;
  /** Issuer equals subject AND the signature verifies with the certificate's own key. */
  selfSigned: boolean;
  role: CertificateRole;
}

const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.19': 'Basic constraints',
  '2.5.29.15': 'Key usage',
  '2.5.29.37': 'Extended key usage',
  '2.5.29.14': 'Subject key identifier',
  '2.5.29.35': 'Authority key identifier',
  '2.5.29.17': 'Subject alternative name',
  '2.5.29.18': 'Issuer alternative name',
  '1.3.6.1.5.5.7.1.1': 'Authority information access',
  '2.5.29.31': 'CRL distribution points',
  '2.5.29.32': 'Certificate policies',
  '2.5.29.30': 'Name constraints',
  '2.5.29.36': 'Policy constraints',
  '2.5.29.54': 'Inhibit anyPolicy',
  '2.5.29.33': 'Policy mappings',
  '1.3.6.1.4.1.11129.2.4.2': 'Signed certificate timestamps',
  '1.3.6.1.4.1.11129.2.4.3': 'Precertificate poison',
  '1.3.6.1.5.5.7.1.24': 'TLS feature',
  '1.3.6.1.5.5.7.1.11': 'Subject information access',
  '2.16.840.1.113730.1.1': 'Netscape certificate type',
  '2.16.840.1.113730.1.13': 'Netscape comment',
  '1.3.6.1.4.1.311.20.2': 'Microsoft certificate template name',
  '1.3.6.1.4.1.311.21.1': 'Microsoft CA version',
  '1.3.6.1.4.1.311.21.7': 'Microsoft certificate template',
  '1.3.6.1.4.1.311.21.10': 'Microsoft application policies',
};

const PURPOSE_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'TLS server authentication',
  '1.3.6.1.5.5.7.3.2': 'TLS client authentication',
  '1.3.6.1.5.5.7.3.3': 'Code signing',
  '1.3.6.1.5.5.7.3.4': 'E-mail protection',
  '1.3.6.1.5.5.7.3.8': 'Time stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP signing',
  '1.3.6.1.5.5.7.3.5': 'IPsec end system',
  '1.3.6.1.5.5.7.3.6': 'IPsec tunnel',
  '1.3.6.1.5.5.7.3.7': 'IPsec user',
  '1.3.6.1.5.5.7.3.17': 'IPsec IKE',
  '2.5.29.37.0': 'Any purpose',
  '1.3.6.1.4.1.311.10.3.3': 'Microsoft server gated crypto',
  '2.16.840.1.113730.4.1': 'Netscape server gated crypto',
  '1.3.6.1.4.1.311.20.2.2': 'Smart card logon',
  '1.3.6.1.4.1.311.10.3.4': 'Encrypting file system',
};

const POLICY_NAMES: Record<string, string> = {
  '2.5.29.32.0': 'Any policy',
  '2.23.140.1.2.1': 'Domain validated (CA/B Forum)',
  '2.23.140.1.2.2': 'Organization validated (CA/B Forum)',
  '2.23.140.1.2.3': 'Individual validated (CA/B Forum)',
  '2.23.140.1.1': 'Extended validation (CA/B Forum)',
};

/**
 * Describes a DER certificate from the certificate model, read as import and the CLI read it
 * (x509 readCertificate), so the viewer never says "damaged" where they did not.
 * @throws CertdeskError with readCertificate's code when it is not a well-formed certificate.
 */
export async function describeCertificate(der: Uint8Array): Promise<CertificateDescription> {
  const cert = readCertificate(der);
  const extensions = cert.extensions.map(describeExtension);
  const isCA = isCaCertificate(cert);
  const subject = nameAttributes(cert.subject);
  const issuer = nameAttributes(cert.issuer);
  const san = extensions.find((e) => e.kind === 'subjectAltName');
  const [sha1, sha256, selfSigned] = await Promise.all([
    globalThis.crypto.subtle.digest('SHA-1', toArrayBuffer(der)),
    globalThis.crypto.subtle.digest('SHA-256', toArrayBuffer(der)),
    isSelfSigned(cert),
  ]);
  return {
    version: cert.version,
    subject,
    subjectText: nameToString(subject),
    issuer,
    issuerText: nameToString(issuer),
    serialNumber: serialHex(cert.serialNumber),
    notBefore: new Date(cert.notBefore.seconds * 1000).toISOString(),
    notAfter: new Date(cert.notAfter.seconds * 1000).toISOString(),
    subjectAltNames: san?.kind === 'subjectAltName' ? san.names : [],
    publicKey: describePublicKey(cert.spki),
    signatureAlgorithm: signatureAlgorithmName(cert.signatureAlgorithm.oid),
    sha1: toHex(sha1),
    sha256: toHex(sha256),
    extensions,
    isCA,
    selfSigned,
    role: certificateRole(isCA, cert.selfIssued, cert.version),
  };
}

/**
 * The guide's rule ("The root certificate has identical values for the Issued To and Issued By
 * fields … Intermediate certificates have different Issued To and Issued By fields"), made
 * robust with basicConstraints: a CA certificate whose subject equals its issuer is a root, any
 * other CA certificate an intermediate, everything else a server certificate. X.509 v1
 * certificates carry no basicConstraints; one naming itself as issuer can only be an old root
 * (RFC 5280 §6.1.4 (k)). Names, not signatures, decide — an MD2 root is still a root.
 */
export function certificateRole(isCA: boolean, issuerIsSubject: boolean, version: number): CertificateRole {
  if (isCA) return issuerIsSubject ? 'root' : 'intermediate';
  return issuerIsSubject && version === 1 ? 'root' : 'server';
}

function serialHex(bytes: Uint8Array): string {
  const trimmed = bytes.length > 1 && bytes[0] === 0 ? bytes.subarray(1) : bytes;
  return toHex(trimmed);
}

/**
 * Bytes of an opaque extension value shown as hex: a value can be megabytes (OpenSSL reads such
 * certificates too), and all of it would be 18 million characters in the viewer (fuzz campaign).
 */
export const SHOWN_HEX_BYTES = 1024;

/** Hex of the first SHOWN_HEX_BYTES bytes, saying how many there are when that is not all. */
function shownHex(bytes: Uint8Array): string {
  if (bytes.length <= SHOWN_HEX_BYTES) return toHex(bytes);
  return `${toHex(bytes.subarray(0, SHOWN_HEX_BYTES))}… (${bytes.length.toLocaleString('en')} bytes)`;
}

function describeExtension(extension: Extension): DescribedExtension {
  const head = { oid: extension.oid, name: EXTENSION_NAMES[extension.oid] ?? extension.oid, critical: extension.critical };
  if (extension.problem) return { ...head, kind: 'unreadable', hex: shownHex(extension.value) };
  return { ...head, ...describeValue(extension) };
}

const names = (list: readonly GeneralName[] | undefined): DescribedGeneralName[] => (list ?? []).map(describeGeneralName);

function describeValue(extension: Extension): DescribedExtensionValue {
  const v = extension.decoded;
  switch (v?.kind) {
    case 'basicConstraints':
      return v.pathLenConstraint === undefined ? { kind: 'basicConstraints', ca: v.ca } : { kind: 'basicConstraints', ca: v.ca, pathLength: v.pathLenConstraint };
    case 'keyUsage':
      return { kind: 'keyUsage', usages: [...v.usages] };
    case 'extKeyUsage':
      return { kind: 'extKeyUsage', purposes: v.purposes.map((p) => ({ oid: p, name: PURPOSE_NAMES[p] ?? p })) };
    case 'subjectKeyIdentifier':
      return { kind: 'subjectKeyIdentifier', keyIdentifier: toHex(v.keyIdentifier) };
    case 'authorityKeyIdentifier': {
      const out: DescribedExtensionValue = { kind: 'authorityKeyIdentifier' };
      if (v.keyIdentifier) out.keyIdentifier = toHex(v.keyIdentifier);
      if (v.authorityCertIssuer) out.issuer = names(v.authorityCertIssuer);
      if (v.authorityCertSerialNumber) out.serialNumber = serialHex(v.authorityCertSerialNumber);
      return out;
    }
    case 'subjectAltName':
    case 'issuerAltName':
      return { kind: v.kind, names: names(v.names) };
    case 'authorityInfoAccess': {
      const out = { kind: 'authorityInfoAccess' as const, ocsp: [] as string[], caIssuers: [] as string[], other: [] as { method: string; location: DescribedGeneralName }[] };
      for (const { method, location } of v.descriptions) {
        if (method === '1.3.6.1.5.5.7.48.1' && location.kind === 'uri') out.ocsp.push(location.value);
        else if (method === '1.3.6.1.5.5.7.48.2' && location.kind === 'uri') out.caIssuers.push(location.value);
        else out.other.push({ method, location: describeGeneralName(location) });
      }
      return out;
    }
    case 'cRLDistributionPoints': {
      const all = names(v.points.flatMap((p) => p.fullName ?? []));
      return { kind: 'crlDistributionPoints', urls: all.filter((n) => n.type === 'uri').map((n) => n.value), names: all };
    }
    case 'certificatePolicies':
      return {
        kind: 'certificatePolicies',
        policies: v.policies.map((p) => {
          const cps = p.qualifiers.flatMap((q) => (q.cps === undefined ? [] : [q.cps]));
          const notices = p.qualifiers.flatMap((q) => (q.userNotice?.explicitText === undefined ? [] : [q.userNotice.explicitText]));
          const name = POLICY_NAMES[p.oid];
          return name ? { oid: p.oid, name, cps, notices } : { oid: p.oid, cps, notices };
        }),
      };
    case 'nameConstraints':
      return { kind: 'nameConstraints', permitted: subtrees(v.permitted), excluded: subtrees(v.excluded) };
    default:
      return { kind: 'unknown', hex: shownHex(extension.value) };
  }
}

/** Name-constraint bases; an IP range (address and mask, RFC 5280 §4.2.1.10) reads address/mask. */
function subtrees(trees: readonly GeneralSubtree[] | undefined): DescribedGeneralName[] {
  return (trees ?? []).map(({ base }) => describeGeneralName(base));
}
