/**
 * Descriptions of certificates for display: plain, structured-cloneable data with every field
 * and extension decoded (RFC 5280 §4), fingerprints, and the role the vendor guide tells
 * admins to recognise (server, intermediate, root).
 */
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  Certificate,
  CertificatePolicies,
  ExtendedKeyUsage,
  GeneralName,
  IssueAlternativeName,
  KeyUsage,
  NameConstraints,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  UserNotice,
  id_ad_caIssuers,
  id_ad_ocsp,
  type Extension,
  type GeneralSubtrees,
} from '@peculiar/asn1-x509';
import { CertdeskError } from '../errors';
import { certificateValidityEncodings } from './decode';
import { limits } from './limits';
import { describePublicKey, signatureAlgorithmName, verifySignature, type PublicKeyDescription } from './keys';
import { nameAttributes, nameToString, type NameAttribute } from './names/distinguished-name';
import { describeGeneralName, type DescribedGeneralName } from './names/general-name';
import { describeIpBytes } from './names/ip';
import { toArrayBuffer, toHex } from './pem';

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

const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/**
 * Describes a DER certificate.
 * @throws CertdeskError `invalid-certificate` when it cannot be parsed (e.g. an invalid time).
 */
export async function describeCertificate(der: Uint8Array): Promise<CertificateDescription> {
  const certificate = parseCertificate(der);
  const tbs = certificate.tbsCertificate;
  const spki = new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
  let publicKey: PublicKeyDescription;
  try {
    publicKey = await describePublicKey(spki);
  } catch (error) {
    throw new CertdeskError('invalid-certificate', 'The public key in this certificate is damaged.', { cause: error });
  }
  let notBefore: string;
  let notAfter: string;
  try {
    checkValidityEncoding(der);
    notBefore = tbs.validity.notBefore.getTime().toISOString();
    notAfter = tbs.validity.notAfter.getTime().toISOString();
  } catch (error) {
    throw new CertdeskError('invalid-certificate', 'The validity dates of this certificate are not valid dates (a malformed UTCTime or GeneralizedTime).', { cause: error });
  }
  const extensions = (tbs.extensions ?? []).map(describeExtension);
  const constraints = extensions.find((e) => e.kind === 'basicConstraints');
  const isCA = constraints?.kind === 'basicConstraints' && constraints.ca;
  const subjectDer = new Uint8Array(AsnConvert.serialize(tbs.subject));
  const issuerDer = new Uint8Array(AsnConvert.serialize(tbs.issuer));
  const tbsDer = certificate.tbsCertificateRaw ?? AsnConvert.serialize(tbs);
  const sameName = toHex(subjectDer) === toHex(issuerDer);
  const selfSigned = sameName && (await verifySignature(spki, certificate.signatureAlgorithm, tbsDer, certificate.signatureValue));
  const subject = nameAttributes(tbs.subject);
  const issuer = nameAttributes(tbs.issuer);
  const san = extensions.find((e) => e.kind === 'subjectAltName');
  const [sha1, sha256] = await Promise.all([
    globalThis.crypto.subtle.digest('SHA-1', toArrayBuffer(der)),
    globalThis.crypto.subtle.digest('SHA-256', toArrayBuffer(der)),
  ]);
  const version = tbs.version + 1;
  return {
    version,
    subject,
    subjectText: nameToString(subject),
    issuer,
    issuerText: nameToString(issuer),
    serialNumber: serialHex(new Uint8Array(tbs.serialNumber)),
    notBefore,
    notAfter,
    subjectAltNames: san?.kind === 'subjectAltName' ? san.names : [],
    publicKey,
    signatureAlgorithm: signatureAlgorithmName(certificate.signatureAlgorithm.algorithm),
    sha1: toHex(sha1),
    sha256: toHex(sha256),
    extensions,
    isCA,
    selfSigned,
    role: certificateRole(isCA, sameName, version),
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

/** RFC 5280 §4.1.2.5.1/§4.1.2.5.2: seconds present, Zulu, two-digit year only in UTCTime. */
function checkValidityEncoding(der: Uint8Array): void {
  const times = certificateValidityEncodings(der);
  const ok = times.length === 2 && times.every((t) => (t.tag === 0x17 && /^\d{12}Z$/.test(t.text)) || (t.tag === 0x18 && /^\d{14}Z$/.test(t.text)));
  if (!ok) throw new RangeError(`malformed validity: ${times.map((t) => t.text).join(' … ')}`);
}

function parseCertificate(der: Uint8Array): Certificate {
  if (der.length > limits.maxFileBytes) throw new CertdeskError('file-too-large', 'This certificate is larger than any real certificate.');
  try {
    return AsnConvert.parse(der, Certificate, { berOptions: { maxDepth: limits.maxAsn1Depth } });
  } catch (error) {
    throw new CertdeskError('invalid-certificate', 'This certificate is damaged or not a certificate at all, so it cannot be shown. Export or download it again.', { cause: error });
  }
}

function serialHex(bytes: Uint8Array): string {
  const trimmed = bytes.length > 1 && bytes[0] === 0 ? bytes.subarray(1) : bytes;
  return toHex(trimmed);
}

function describeExtension(extension: Extension): DescribedExtension {
  const oid = extension.extnID;
  const head = { oid, name: EXTENSION_NAMES[oid] ?? oid, critical: extension.critical };
  const value = extension.extnValue.buffer;
  try {
    return { ...head, ...decodeExtensionValue(oid, value) };
  } catch {
    return { ...head, kind: 'unreadable', hex: toHex(value) };
  }
}

function generalNames(names: readonly GeneralName[]): DescribedGeneralName[] {
  return names.map((n) => {
    try {
      return describeGeneralName(n);
    } catch {
      return { type: 'other', value: 'unreadable name' };
    }
  });
}

function decodeExtensionValue(oid: string, value: ArrayBuffer): DescribedExtensionValue {
  switch (oid) {
    case '2.5.29.19': {
      const bc = AsnConvert.parse(value, BasicConstraints);
      return bc.pathLenConstraint === undefined ? { kind: 'basicConstraints', ca: bc.cA } : { kind: 'basicConstraints', ca: bc.cA, pathLength: bc.pathLenConstraint };
    }
    case '2.5.29.15': {
      const ku = AsnConvert.parse(value, KeyUsage);
      const flags = ku.toNumber();
      return { kind: 'keyUsage', usages: KEY_USAGE_NAMES.filter((_, i) => flags & (1 << i)) };
    }
    case '2.5.29.37': {
      const eku = AsnConvert.parse(value, ExtendedKeyUsage);
      return { kind: 'extKeyUsage', purposes: eku.map((p) => ({ oid: p, name: PURPOSE_NAMES[p] ?? p })) };
    }
    case '2.5.29.14':
      return { kind: 'subjectKeyIdentifier', keyIdentifier: toHex(AsnConvert.parse(value, SubjectKeyIdentifier).buffer) };
    case '2.5.29.35': {
      const aki = AsnConvert.parse(value, AuthorityKeyIdentifier);
      const out: DescribedExtensionValue = { kind: 'authorityKeyIdentifier' };
      if (aki.keyIdentifier) out.keyIdentifier = toHex(aki.keyIdentifier.buffer);
      if (aki.authorityCertIssuer) out.issuer = generalNames(aki.authorityCertIssuer);
      if (aki.authorityCertSerialNumber) out.serialNumber = serialHex(new Uint8Array(aki.authorityCertSerialNumber));
      return out;
    }
    case '2.5.29.17':
      return { kind: 'subjectAltName', names: generalNames(AsnConvert.parse(value, SubjectAlternativeName)) };
    case '2.5.29.18':
      return { kind: 'issuerAltName', names: generalNames(AsnConvert.parse(value, IssueAlternativeName)) };
    case '1.3.6.1.5.5.7.1.1': {
      const aia = AsnConvert.parse(value, AuthorityInfoAccessSyntax);
      const out = { kind: 'authorityInfoAccess' as const, ocsp: [] as string[], caIssuers: [] as string[], other: [] as { method: string; location: DescribedGeneralName }[] };
      for (const access of aia) {
        const location = generalNames([access.accessLocation])[0]!;
        if (access.accessMethod === id_ad_ocsp && location.type === 'uri') out.ocsp.push(location.value);
        else if (access.accessMethod === id_ad_caIssuers && location.type === 'uri') out.caIssuers.push(location.value);
        else out.other.push({ method: access.accessMethod, location });
      }
      return out;
    }
    case '2.5.29.31': {
      const points = AsnConvert.parse(value, CRLDistributionPoints);
      const names = points.flatMap((p) => generalNames(p.distributionPoint?.fullName ?? []));
      return { kind: 'crlDistributionPoints', urls: names.filter((n) => n.type === 'uri').map((n) => n.value), names };
    }
    case '2.5.29.32': {
      const policies = AsnConvert.parse(value, CertificatePolicies);
      return {
        kind: 'certificatePolicies',
        policies: policies.map((p) => {
          const cps: string[] = [];
          const notices: string[] = [];
          for (const q of p.policyQualifiers ?? []) {
            try {
              if (q.policyQualifierId === '1.3.6.1.5.5.7.2.1') cps.push(AsnConvert.parse(q.qualifier, Ia5).value);
              else if (q.policyQualifierId === '1.3.6.1.5.5.7.2.2') {
                const notice = AsnConvert.parse(q.qualifier, UserNotice);
                if (notice.explicitText) notices.push(notice.explicitText.toString());
              }
            } catch {
              notices.push('(unreadable qualifier)');
            }
          }
          const name = POLICY_NAMES[p.policyIdentifier];
          return name ? { oid: p.policyIdentifier, name, cps, notices } : { oid: p.policyIdentifier, cps, notices };
        }),
      };
    }
    case '2.5.29.30': {
      const nc = AsnConvert.parse(value, NameConstraints);
      return { kind: 'nameConstraints', permitted: subtrees(nc.permittedSubtrees), excluded: subtrees(nc.excludedSubtrees) };
    }
    default:
      return { kind: 'unknown', hex: toHex(value) };
  }
}

/** Name-constraint IP bases are address+mask (RFC 5280 §4.2.1.10), shown as CIDR-ish text. */
function subtrees(trees: GeneralSubtrees | undefined): DescribedGeneralName[] {
  return (trees ?? []).map((t) => {
    const base = t.base;
    if (base.iPAddress !== undefined) {
      const raw = AsnConvert.serialize(base);
      const bytes = new Uint8Array(raw);
      const content = bytes.subarray(2); // [7] IMPLICIT OCTET STRING, short form for ≤ 32 bytes
      if (content.length === 8 || content.length === 32) return { type: 'ip', value: describeIpBytes(content) };
    }
    return generalNames([base])[0]!;
  });
}


/** An IA5String CPS URI (RFC 5280 §4.2.1.4), as a schema for AsnConvert. */
@AsnType({ type: AsnTypeTypes.Choice })
class Ia5 {
  @AsnProp({ type: AsnPropTypes.IA5String })
  value = '';
}
