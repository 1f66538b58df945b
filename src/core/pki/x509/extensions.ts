/**
 * Certificate extensions (RFC 5280 §4.2): every extension §4.2 defines, plus the CT SCT list
 * (RFC 6962), the precertificate poison and the TLS feature (RFC 7633), decoded once when the
 * certificate is read. A malformed value is not a failure to read the certificate (OpenSSL and
 * Node read such certificates and fail only their verification): it is recorded on that
 * extension as `problem`, for validation to report.
 */
import {
  Asn1Error,
  bitIsSet,
  checkAnyValue,
  children,
  contentOf,
  fieldsOf,
  OID,
  readBitString,
  readBoolean,
  readDer,
  readInteger,
  readNull,
  readOctetString,
  readOid,
  readSmallInteger,
  readString,
  TAG,
  encodingOf,
  checkOidEncoding,
  simpleContentStart,
  simpleElementEnd,
  type BitString,
  type Tlv,
} from '../asn1';
import { limits } from '../limits';
import type { GeneralName } from '../names/general-name';
import { parseGeneralName, parseGeneralNames } from './general-names';
import { parseAttribute, type AttributeTypeAndValue } from './name';

/** keyUsage bits (RFC 5280 §4.2.1.3), bit 0 first. */
export const KEY_USAGE_NAMES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];
/** keyUsage bit numbers validation refers to. */
export const keyUsageBits = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

export interface GeneralSubtree {
  base: GeneralName;
  /** Present only when encoded (DER omits the default 0; RFC 5280 §4.2.1.10: MUST be zero). */
  minimum?: number;
  /** RFC 5280 §4.2.1.10: MUST be absent. */
  maximum?: number;
}

export interface PolicyQualifier {
  oid: string;
  /** The qualifier's encoding. */
  raw: Uint8Array;
  /** id-qt-cps: the CPS pointer (IA5String). */
  cps?: string;
  /** id-qt-unotice (RFC 5280 §4.2.1.4). */
  userNotice?: { organization?: string; noticeNumbers?: number[]; explicitText?: string };
}

export interface PolicyInformation {
  oid: string;
  qualifiers: PolicyQualifier[];
}

export interface DistributionPoint {
  fullName?: GeneralName[];
  nameRelativeToCRLIssuer?: AttributeTypeAndValue[];
  reasons?: BitString;
  cRLIssuer?: GeneralName[];
}

export interface AccessDescription {
  method: string;
  location: GeneralName;
}

/** A decoded extension value, by the name its specification gives it. */
export type ExtensionValue =
  | { kind: 'basicConstraints'; ca: boolean; pathLenConstraint?: number }
  | { kind: 'keyUsage'; usages: KeyUsageName[]; bits: ReadonlySet<number> }
  | { kind: 'extKeyUsage'; purposes: string[] }
  | { kind: 'subjectKeyIdentifier'; keyIdentifier: Uint8Array }
  | { kind: 'authorityKeyIdentifier'; keyIdentifier?: Uint8Array; authorityCertIssuer?: GeneralName[]; authorityCertSerialNumber?: Uint8Array }
  | { kind: 'subjectAltName'; names: GeneralName[] }
  | { kind: 'issuerAltName'; names: GeneralName[] }
  | { kind: 'nameConstraints'; permitted?: GeneralSubtree[]; excluded?: GeneralSubtree[] }
  | { kind: 'certificatePolicies'; policies: PolicyInformation[] }
  | { kind: 'policyMappings'; mappings: { issuerDomainPolicy: string; subjectDomainPolicy: string }[] }
  | { kind: 'policyConstraints'; requireExplicitPolicy?: number; inhibitPolicyMapping?: number }
  | { kind: 'inhibitAnyPolicy'; skipCerts: number }
  | { kind: 'cRLDistributionPoints'; points: DistributionPoint[] }
  | { kind: 'freshestCRL'; points: DistributionPoint[] }
  | { kind: 'authorityInfoAccess'; descriptions: AccessDescription[] }
  | { kind: 'subjectInfoAccess'; descriptions: AccessDescription[] }
  | { kind: 'subjectDirectoryAttributes'; attributes: { oid: string; values: Uint8Array[] }[] }
  | { kind: 'signedCertificateTimestamps'; list: Uint8Array }
  | { kind: 'precertificatePoison' }
  | { kind: 'tlsFeature'; features: number[] };

export type ExtensionKind = ExtensionValue['kind'];
export type ExtensionOf<K extends ExtensionKind> = Extract<ExtensionValue, { kind: K }>;

/** One extension as encoded, with its decoded value or the reason it could not be decoded. */
export interface Extension {
  oid: string;
  critical: boolean;
  /** The critical BOOLEAN was written out (DER omits the default FALSE, X.690 §11.5). */
  criticalEncoded: boolean;
  /** The extnValue octets. */
  readonly value: Uint8Array;
  /** The whole Extension encoding. */
  readonly der: Uint8Array;
  /** The decoded value, for the extensions listed in `EXTENSION_OIDS` (decoded on first read, once). */
  readonly decoded?: ExtensionValue | undefined;
  /** Why the value could not be decoded (an Asn1Error detail); the extension is then malformed. */
  readonly problem?: string | undefined;
}

/** The OID of each decoded extension. */
export const EXTENSION_OIDS: Record<ExtensionKind, string> = {
  basicConstraints: OID.basicConstraints,
  keyUsage: OID.keyUsage,
  extKeyUsage: OID.extKeyUsage,
  subjectKeyIdentifier: OID.subjectKeyIdentifier,
  authorityKeyIdentifier: OID.authorityKeyIdentifier,
  subjectAltName: OID.subjectAltName,
  issuerAltName: OID.issuerAltName,
  nameConstraints: OID.nameConstraints,
  certificatePolicies: OID.certificatePolicies,
  policyMappings: OID.policyMappings,
  policyConstraints: OID.policyConstraints,
  inhibitAnyPolicy: OID.inhibitAnyPolicy,
  cRLDistributionPoints: OID.cRLDistributionPoints,
  freshestCRL: OID.freshestCRL,
  authorityInfoAccess: OID.authorityInfoAccess,
  subjectInfoAccess: OID.subjectInfoAccess,
  subjectDirectoryAttributes: OID.subjectDirectoryAttributes,
  signedCertificateTimestamps: OID.ctPrecertificateScts,
  precertificatePoison: OID.ctPrecertificatePoison,
  tlsFeature: OID.tlsFeature,
};

function seq(tlv: Tlv | undefined, what: string, tag: number = TAG.SEQUENCE) {
  return fieldsOf(tlv, what, tag);
}

/** SEQUENCE SIZE (1..MAX) OF …: the elements, refusing an empty list. */
function nonEmpty(tlv: Tlv, what: string): Tlv[] {
  const items = seq(tlv, what).rest();
  if (items.length === 0) throw new Asn1Error('invalid-encoding', `${what} is empty (RFC 5280 requires at least one entry)`);
  return items;
}

function accessDescriptions(root: Tlv, what: string): AccessDescription[] {
  return nonEmpty(root, what).map((d) => {
    const f = seq(d, 'an AccessDescription');
    const method = readOid(f.next(TAG.OID, 'accessMethod'), 'an accessMethod');
    const location = parseGeneralName(f.next(undefined, 'accessLocation'));
    f.end();
    return { method, location };
  });
}

function distributionPoints(root: Tlv, what: string): DistributionPoint[] {
  return nonEmpty(root, what).map((p) => {
    const f = seq(p, 'a DistributionPoint');
    const point: DistributionPoint = {};
    const name = f.optional(0xa0);
    if (name) {
      // DistributionPointName is a CHOICE, so its [0] tag is explicit (X.680 §31.2.7).
      const inner = seq(name, 'a distributionPoint', 0xa0);
      const choice = inner.next(undefined, 'the DistributionPointName');
      inner.end();
      if (choice.tag === 0xa0) point.fullName = parseGeneralNames(choice, 'a fullName', 0xa0);
      else if (choice.tag === 0xa1) point.nameRelativeToCRLIssuer = children(choice).map(parseAttribute);
      else throw new Asn1Error('invalid-encoding', 'a DistributionPointName has an unknown form');
    }
    const reasons = f.optional(0x81);
    if (reasons) point.reasons = readBitString(reasons, 'the reasons', 0x81);
    const issuer = f.optional(0xa2);
    if (issuer) point.cRLIssuer = parseGeneralNames(issuer, 'a cRLIssuer', 0xa2);
    f.end();
    return point;
  });
}

function subtrees(tlv: Tlv, what: string): GeneralSubtree[] {
  const items = seq(tlv, what, tlv.tag).rest();
  if (items.length === 0) throw new Asn1Error('invalid-encoding', `${what} is an empty list of name constraints`);
  return items.map((t) => {
    const f = seq(t, 'a GeneralSubtree');
    const subtree: GeneralSubtree = { base: parseGeneralName(f.next(undefined, 'the base')) };
    const minimum = f.optional(0x80);
    if (minimum) subtree.minimum = readSmallInteger(minimum, 'a subtree minimum', undefined, 0x80);
    const maximum = f.optional(0x81);
    if (maximum) subtree.maximum = readSmallInteger(maximum, 'a subtree maximum', undefined, 0x81);
    f.end();
    return subtree;
  });
}

function displayText(tlv: Tlv | undefined, what: string): string {
  if (!tlv || ![TAG.IA5_STRING, TAG.VISIBLE_STRING, TAG.BMP_STRING, TAG.UTF8_STRING].includes(tlv.tag as never))
    throw new Asn1Error('invalid-encoding', `${what} is not a DisplayText`);
  return readString(tlv, what);
}

function policyQualifier(tlv: Tlv): PolicyQualifier {
  const f = seq(tlv, 'a PolicyQualifierInfo');
  const oid = readOid(f.next(TAG.OID, 'policyQualifierId'), 'a policyQualifierId');
  const value = checkAnyValue(f.next(undefined, 'the qualifier'), 'a policy qualifier');
  f.end();
  const q: PolicyQualifier = { oid, raw: encodingOf(value) };
  if (oid === OID.cps) {
    if (value.tag !== TAG.IA5_STRING) throw new Asn1Error('invalid-encoding', 'a CPS pointer is not an IA5String');
    q.cps = readString(value, 'a CPS pointer');
  } else if (oid === OID.userNotice) {
    const n = seq(value, 'a UserNotice');
    const notice: NonNullable<PolicyQualifier['userNotice']> = {};
    const ref = n.optional(TAG.SEQUENCE);
    if (ref) {
      const r = seq(ref, 'a NoticeReference');
      notice.organization = displayText(r.next(undefined, 'organization'), 'a notice organization');
      notice.noticeNumbers = seq(r.next(TAG.SEQUENCE, 'noticeNumbers'), 'noticeNumbers')
        .rest()
        .map((i) => readSmallInteger(i, 'a notice number'));
      r.end();
    }
    if (!n.done) notice.explicitText = displayText(n.next(undefined, 'explicitText'), 'an explicitText');
    n.end();
    q.userNotice = notice;
  }
  return q;
}

const DECODERS: Record<string, (root: Tlv) => ExtensionValue> = {
  [OID.basicConstraints]: (root) => {
    const f = seq(root, 'basicConstraints');
    const caTlv = f.optional(TAG.BOOLEAN);
    const ca = caTlv ? readBoolean(caTlv, 'cA') : false;
    const pathLen = f.optional(TAG.INTEGER);
    f.end();
    return pathLen ? { kind: 'basicConstraints', ca, pathLenConstraint: readSmallInteger(pathLen, 'pathLenConstraint') } : { kind: 'basicConstraints', ca };
  },
  [OID.keyUsage]: (root) => {
    const bits = readBitString(root, 'keyUsage');
    const set = new Set<number>();
    for (let i = 0; i < bits.bytes.length * 8; i++) if (bitIsSet(bits, i)) set.add(i);
    return { kind: 'keyUsage', bits: set, usages: KEY_USAGE_NAMES.filter((_, i) => set.has(i)) };
  },
  [OID.extKeyUsage]: (root) => ({ kind: 'extKeyUsage', purposes: seq(root, 'extKeyUsage').rest().map((t) => readOid(t, 'a key purpose')) }),
  [OID.subjectKeyIdentifier]: (root) => ({ kind: 'subjectKeyIdentifier', keyIdentifier: readOctetString(root, 'subjectKeyIdentifier') }),
  [OID.authorityKeyIdentifier]: (root) => {
    const f = seq(root, 'authorityKeyIdentifier');
    const out: ExtensionOf<'authorityKeyIdentifier'> = { kind: 'authorityKeyIdentifier' };
    const keyId = f.optional(0x80);
    if (keyId) out.keyIdentifier = contentOf(keyId);
    const issuer = f.optional(0xa1);
    if (issuer) out.authorityCertIssuer = parseGeneralNames(issuer, 'authorityCertIssuer', 0xa1);
    const serial = f.optional(0x82);
    if (serial) out.authorityCertSerialNumber = readInteger(serial, 'authorityCertSerialNumber', 0x82);
    f.end();
    return out;
  },
  [OID.subjectAltName]: (root) => ({ kind: 'subjectAltName', names: parseGeneralNames(root, 'subjectAltName') }),
  [OID.issuerAltName]: (root) => ({ kind: 'issuerAltName', names: parseGeneralNames(root, 'issuerAltName') }),
  [OID.nameConstraints]: (root) => {
    const f = seq(root, 'nameConstraints');
    const out: ExtensionOf<'nameConstraints'> = { kind: 'nameConstraints' };
    const permitted = f.optional(0xa0);
    if (permitted) out.permitted = subtrees(permitted, 'permittedSubtrees');
    const excluded = f.optional(0xa1);
    if (excluded) out.excluded = subtrees(excluded, 'excludedSubtrees');
    f.end();
    return out;
  },
  [OID.certificatePolicies]: (root) => ({
    kind: 'certificatePolicies',
    policies: nonEmpty(root, 'certificatePolicies').map((p) => {
      const f = seq(p, 'a PolicyInformation');
      const oid = readOid(f.next(TAG.OID, 'policyIdentifier'), 'a policyIdentifier');
      const qualifiers = f.optional(TAG.SEQUENCE);
      f.end();
      return { oid, qualifiers: qualifiers ? nonEmpty(qualifiers, 'policyQualifiers').map(policyQualifier) : [] };
    }),
  }),
  [OID.policyMappings]: (root) => ({
    kind: 'policyMappings',
    mappings: nonEmpty(root, 'policyMappings').map((m) => {
      const f = seq(m, 'a policy mapping');
      const issuerDomainPolicy = readOid(f.next(TAG.OID, 'issuerDomainPolicy'), 'an issuerDomainPolicy');
      const subjectDomainPolicy = readOid(f.next(TAG.OID, 'subjectDomainPolicy'), 'a subjectDomainPolicy');
      f.end();
      return { issuerDomainPolicy, subjectDomainPolicy };
    }),
  }),
  [OID.policyConstraints]: (root) => {
    const f = seq(root, 'policyConstraints');
    const out: ExtensionOf<'policyConstraints'> = { kind: 'policyConstraints' };
    const require = f.optional(0x80);
    if (require) out.requireExplicitPolicy = readSmallInteger(require, 'requireExplicitPolicy', undefined, 0x80);
    const inhibit = f.optional(0x81);
    if (inhibit) out.inhibitPolicyMapping = readSmallInteger(inhibit, 'inhibitPolicyMapping', undefined, 0x81);
    f.end();
    return out;
  },
  [OID.inhibitAnyPolicy]: (root) => ({ kind: 'inhibitAnyPolicy', skipCerts: readSmallInteger(root, 'inhibitAnyPolicy') }),
  [OID.cRLDistributionPoints]: (root) => ({ kind: 'cRLDistributionPoints', points: distributionPoints(root, 'cRLDistributionPoints') }),
  [OID.freshestCRL]: (root) => ({ kind: 'freshestCRL', points: distributionPoints(root, 'freshestCRL') }),
  [OID.authorityInfoAccess]: (root) => ({ kind: 'authorityInfoAccess', descriptions: accessDescriptions(root, 'authorityInfoAccess') }),
  [OID.subjectInfoAccess]: (root) => ({ kind: 'subjectInfoAccess', descriptions: accessDescriptions(root, 'subjectInfoAccess') }),
  [OID.subjectDirectoryAttributes]: (root) => ({
    kind: 'subjectDirectoryAttributes',
    attributes: nonEmpty(root, 'subjectDirectoryAttributes').map((a) => {
      const f = seq(a, 'an Attribute');
      const oid = readOid(f.next(TAG.OID, 'the attribute type'), 'an attribute type');
      const values = seq(f.next(TAG.SET, 'the attribute values'), 'attribute values', TAG.SET)
        .rest()
        .map((v) => encodingOf(checkAnyValue(v, 'an attribute value')));
      f.end();
      return { oid, values };
    }),
  }),
  // RFC 6962 §3.3: an OCTET STRING holding the TLS-encoded SignedCertificateTimestampList.
  [OID.ctPrecertificateScts]: (root) => ({ kind: 'signedCertificateTimestamps', list: readOctetString(root, 'the SCT list') }),
  [OID.ctPrecertificatePoison]: (root) => {
    readNull(root, 'the precertificate poison');
    return { kind: 'precertificatePoison' };
  },
  // RFC 7633 §6: Features ::= SEQUENCE OF INTEGER (TLS extension numbers).
  [OID.tlsFeature]: (root) => ({ kind: 'tlsFeature', features: seq(root, 'tlsFeature').rest().map((t) => readSmallInteger(t, 'a TLS feature', 0xffff)) }),
};

/**
 * Decodes an extension value by OID: `decoded` for the extensions listed in EXTENSION_OIDS,
 * `problem` (the reason) when the value is malformed, neither for an extension not decoded here.
 */
export function decodeExtensionValue(oid: string, value: Uint8Array): { decoded?: ExtensionValue; problem?: string } {
  const decoder = DECODERS[oid];
  if (!decoder) return {};
  try {
    return { decoded: decoder(readDer(value)) };
  } catch (error) {
    if (error instanceof Asn1Error) return { problem: error.detail };
    throw error;
  }
}

/**
 * The decoded value of the first extension of `kind`, when present and well formed (check
 * `problem` on the extension itself to tell "absent" from "malformed").
 */
export function extensionValue<K extends ExtensionKind>(extensions: ReadonlyMap<string, Extension>, kind: K): ExtensionOf<K> | undefined {
  const decoded = extensions.get(EXTENSION_OIDS[kind])?.decoded;
  return decoded?.kind === kind ? (decoded as ExtensionOf<K>) : undefined;
}

export interface ParsedExtensions {
  list: Extension[];
  byOid: Map<string, Extension>;
  duplicates: string[];
}

/**
 * An extension as read: its value is decoded when first asked for, once. Whether the value is
 * well formed never decides whether the certificate can be read (decodeExtensionValue), and most
 * readers of a certificate (decoding a file, listing it) never look at most of its extensions.
 */
class ReadExtension implements Extension {
  readonly #tlv: Tlv;
  readonly #valueTlv: Tlv;
  #value: Uint8Array | undefined;
  #der: Uint8Array | undefined;
  #decoding: ReturnType<typeof decodeExtensionValue> | undefined;

  constructor(
    readonly oid: string,
    readonly critical: boolean,
    readonly criticalEncoded: boolean,
    valueTlv: Tlv,
    tlv: Tlv,
  ) {
    this.#valueTlv = valueTlv;
    this.#tlv = tlv;
  }

  get value(): Uint8Array {
    return (this.#value ??= readOctetString(this.#valueTlv, 'an extension value'));
  }

  get der(): Uint8Array {
    return (this.#der ??= encodingOf(this.#tlv));
  }

  get decoded(): ExtensionValue | undefined {
    return (this.#decoding ??= decodeExtensionValue(this.oid, this.value)).decoded;
  }

  get problem(): string | undefined {
    return (this.#decoding ??= decodeExtensionValue(this.oid, this.value)).problem;
  }
}

/** Reads `Extensions ::= SEQUENCE OF Extension` (RFC 5280 §4.1); each value is decoded on first use. */
export function parseExtensions(tlv: Tlv): ParsedExtensions {
  const list: Extension[] = [];
  const byOid = new Map<string, Extension>();
  const duplicates: string[] = [];
  for (const item of seq(tlv, 'Extensions').rest()) {
    const f = seq(item, 'an extension');
    const oid = readOid(f.next(TAG.OID, 'extnID'), 'an extension OID');
    const criticalTlv = f.optional(TAG.BOOLEAN);
    const critical = criticalTlv ? readBoolean(criticalTlv, 'an extension’s critical flag') : false;
    // A primitive OCTET STRING (the tag is checked here; DER has no other form): its octets are taken when first used.
    const value = f.next(TAG.OCTET_STRING, 'extnValue');
    f.end();
    const extension = new ReadExtension(oid, critical, criticalTlv !== undefined, value, item);
    list.push(extension);
    if (byOid.has(oid)) duplicates.push(oid);
    else byOid.set(oid, extension);
  }
  return { list, byOid, duplicates };
}

/**
 * Checks `Extensions` by every rule `parseExtensions` applies, for a model that reads the list
 * when first asked for: undefined when the list has the form nearly every certificate's has
 * (read in place, allocating nothing), else the list as `parseExtensions` reads it, which throws
 * what is wrong.
 */
export function checkExtensions(tlv: Tlv): ParsedExtensions | undefined {
  try {
    if (isPlainExtensions(tlv)) return undefined;
  } catch (error) {
    if (!(error instanceof Asn1Error)) throw error;
  }
  return parseExtensions(tlv);
}

/**
 * Whether `Extensions` is a SEQUENCE of `SEQUENCE { OID, BOOLEAN OPTIONAL, OCTET STRING }` with
 * common element headers (asn1 simpleElementEnd), each OID and BOOLEAN valid as `parseExtensions`
 * reads them; false (or an Asn1Error) for any other list. It never says true where
 * `parseExtensions` would refuse.
 */
function isPlainExtensions(tlv: Tlv): boolean {
  if (tlv.tag !== TAG.SEQUENCE || tlv.encoding !== 'der' || tlv.depth + 2 > limits.maxAsn1Depth) return false;
  const b = tlv.bytes;
  for (let item = tlv.contentStart; item < tlv.contentEnd; ) {
    const itemEnd = simpleElementEnd(b, item, tlv.contentEnd);
    if (itemEnd < 0 || b[item] !== TAG.SEQUENCE) return false;
    const oid = simpleContentStart(b, item);
    let field = simpleElementEnd(b, oid, itemEnd);
    if (field < 0 || b[oid] !== TAG.OID) return false;
    checkOidEncoding(b, 'an extension OID', simpleContentStart(b, oid), field);
    if (b[field] === TAG.BOOLEAN) {
      // critical: one octet, 0x00 or 0xFF (X.690 §11.1), as readBoolean reads it.
      if (b[field + 1] !== 1 || (b[field + 2] !== 0 && b[field + 2] !== 0xff) || field + 3 > itemEnd) return false;
      field += 3;
    }
    if (b[field] !== TAG.OCTET_STRING || simpleElementEnd(b, field, itemEnd) !== itemEnd) return false;
    item = itemEnd;
  }
  return true;
}
