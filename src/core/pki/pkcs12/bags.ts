/**
 * SafeContents and SafeBags (RFC 7292 §4.2): reading them into plain values — every key and
 * certificate walked with the bounded structure check before any library parser sees it — and
 * writing them. CRL and secret bags are read whole and skipped, unknown bags skipped unread.
 * Counts are bounded across a whole file: limits.maxPkcs12Bags, maxPkcs12Keys, maxPkcs12Certificates.
 */
import { CertdeskError } from '../../errors';
import { Asn1Error, OID, TAG, checkStructure, context, der, encodingOf, fieldsOf, readDer, readOctetString, readOid, children, contentOf, expectTag, type Tlv } from '../asn1';
import { limits } from '../limits';
import { checkPrivateKeyInfo, readEncryptedPrivateKeyInfo } from './pkcs8';
import type { PbeScheme } from './pbes';

/** One bag's value with the attributes PKCS#12 attaches to it (RFC 7292 §4.2). */
export interface Pkcs12Bag<T> {
  friendlyName?: string;
  localKeyId?: Uint8Array;
  value: T;
}

/** A bag as read, before any decryption. */
export type ParsedBag =
  | { kind: 'key'; bag: Pkcs12Bag<Uint8Array> }
  | { kind: 'shrouded'; bag: Pkcs12Bag<{ scheme: PbeScheme; ciphertext: Uint8Array }> }
  | { kind: 'certificate'; bag: Pkcs12Bag<Uint8Array> };

/** Bags, keys and certificates found so far in one file. */
export interface BagCounts {
  bags: number;
  keys: number;
  certificates: number;
}

const COUNT_LIMITS = {
  bags: [limits.maxPkcs12Bags, 'limits.maxPkcs12Bags', 'bags'],
  keys: [limits.maxPkcs12Keys, 'limits.maxPkcs12Keys', 'private keys'],
  certificates: [limits.maxPkcs12Certificates, 'limits.maxPkcs12Certificates', 'certificates'],
} as const;

/** Counts one more of `kind`, refusing (CertdeskError `limit-exceeded`) past its limit. */
export function countBag(counts: BagCounts, kind: keyof BagCounts): void {
  const [max, limitName, noun] = COUNT_LIMITS[kind];
  if (counts[kind] >= max) {
    throw new CertdeskError(
      'limit-exceeded',
      `This PKCS#12 file holds more than ${max} ${noun} (${limitName}); Certdesk stops there. ` +
        `Split the file, or export only what the appliance needs.`,
    );
  }
  counts[kind]++;
}

/**
 * A friendlyName: a BMPString of UTF-16BE code units (RFC 7292 §4.2, PKCS#9). Unlike names in
 * certificates, surrogate pairs are kept: Windows and Java write names outside the BMP that way.
 */
function readFriendlyName(tlv: Tlv): string {
  const c = contentOf(expectTag(tlv, TAG.BMP_STRING, 'a friendlyName'));
  if (c.length % 2) throw new Asn1Error('invalid-encoding', 'a friendlyName is a BMPString of odd length');
  let s = '';
  for (let i = 0; i < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
  return s;
}

function readAttributes(tlv: Tlv | undefined): { friendlyName?: string; localKeyId?: Uint8Array } {
  const out: { friendlyName?: string; localKeyId?: Uint8Array } = {};
  if (!tlv) return out;
  for (const attr of children(expectTag(tlv, TAG.SET, 'the bag attributes'))) {
    // PKCS12Attribute ::= SEQUENCE { attrId, attrValues SET OF } (RFC 7292 §4.2)
    const f = fieldsOf(attr, 'a bag attribute');
    const id = readOid(f.next(TAG.OID, 'the attribute type'), 'a bag attribute type');
    const values = children(f.next(TAG.SET, 'the attribute values'));
    f.end();
    // Windows writes the name NUL-terminated; the terminator is not part of the name.
    if (id === OID.friendlyName && values[0]) out.friendlyName = readFriendlyName(values[0]).replace(/\0+$/, '');
    if (id === OID.localKeyId && values[0]) out.localKeyId = readOctetString(values[0], 'a localKeyId').slice();
  }
  return out;
}

/** certId and crlId values of RFC 7292 §4.2.3–4.2.4 besides x509Certificate. */
const SDSI_CERTIFICATE = '1.2.840.113549.1.9.22.2';
const X509_CRL = '1.2.840.113549.1.9.23.1';

/**
 * The value of a CertBag, CRLBag or SecretBag (RFC 7292 §4.2.3–4.2.5): SEQUENCE { type OID,
 * value [0] EXPLICIT }, the explicit tag around exactly one value (X.690 §8.14.2), itself read as
 * far as its type says: an OCTET STRING for x509Certificate and x509CRL (returned), an IA5String
 * for sdsiCertificate; other types are opaque.
 */
function readTypedBag(v: Tlv, what: string): { type: string; octets?: Uint8Array } {
  const f = fieldsOf(v, what);
  const type = readOid(f.next(TAG.OID, 'the type'), `the type of ${what}`);
  const inner = children(f.next(context(0, true), 'the value'));
  f.end();
  if (inner.length !== 1) throw new Asn1Error('invalid-encoding', `${what} holds ${inner.length} values where it holds one`);
  if (type === OID.x509Certificate || type === X509_CRL) return { type, octets: readOctetString(inner[0], `the value of ${what}`) };
  if (type === SDSI_CERTIFICATE) expectTag(inner[0], TAG.IA5_STRING, `the SDSI certificate of ${what}`);
  return { type };
}

/**
 * Reads a SafeContents ::= SEQUENCE OF SafeBag; SafeBag ::= SEQUENCE { bagId, [0] EXPLICIT
 * bagValue, bagAttributes SET OPTIONAL }. Nested safeContentsBags are followed 4 deep; CRL and
 * secret bags are read as far as readTypedBag reads and skipped (nothing in them is used, RFC 7292
 * §4.2.4–4.2.5), unknown bags counted and skipped.
 */
export function readSafeContents(tlv: Tlv, counts: BagCounts, depth = 0): ParsedBag[] {
  const out: ParsedBag[] = [];
  for (const bagTlv of children(expectTag(tlv, TAG.SEQUENCE, 'the safe contents'))) {
    countBag(counts, 'bags');
    const f = fieldsOf(bagTlv, 'a bag');
    const bagId = readOid(f.next(TAG.OID, 'the bag type'), 'a bag type');
    const value = children(f.next(context(0, true), 'the bag value'));
    const attrs = readAttributes(f.optional(TAG.SET));
    f.end();
    if (value.length !== 1) throw new Asn1Error('invalid-encoding', 'a bag value is not one element');
    const v = value[0]!;
    if (bagId === OID.keyBag) {
      countBag(counts, 'keys');
      const pkcs8 = encodingOf(v).slice();
      checkPrivateKeyInfo(pkcs8);
      out.push({ kind: 'key', bag: { ...attrs, value: pkcs8 } });
    } else if (bagId === OID.pkcs8ShroudedKeyBag) {
      countBag(counts, 'keys');
      out.push({ kind: 'shrouded', bag: { ...attrs, value: readEncryptedPrivateKeyInfo(v) } });
    } else if (bagId === OID.certBag) {
      const { type, octets } = readTypedBag(v, 'a certificate bag');
      if (type !== OID.x509Certificate || !octets) continue; // sdsiCertificate: nothing an appliance uses
      const certTlv = readDer(octets);
      if (certTlv.tag !== TAG.SEQUENCE) throw new Asn1Error('invalid-encoding', 'a certificate bag does not hold a certificate');
      checkStructure(certTlv); // before any certificate parser sees it
      countBag(counts, 'certificates');
      out.push({ kind: 'certificate', bag: { ...attrs, value: octets.slice() } });
    } else if (bagId === OID.crlBag || bagId === OID.secretBag) {
      readTypedBag(v, bagId === OID.crlBag ? 'a CRL bag' : 'a secret bag'); // read to be whole, not used
    } else if (bagId === OID.safeContentsBag) {
      if (depth >= 4) throw new Asn1Error('invalid-encoding', 'its safe contents are nested too deeply');
      out.push(...readSafeContents(v, counts, depth + 1));
    }
  }
  return out;
}

/** The bag attributes Certdesk writes: friendlyName and localKeyId (RFC 7292 §4.2, PKCS#9). */
function writeAttributes(friendlyName: string | undefined, localKeyId: Uint8Array | undefined): Uint8Array[] {
  const attrs: Uint8Array[] = [];
  if (friendlyName !== undefined) attrs.push(der.sequence(der.oid(OID.friendlyName), der.setOf(der.bmpString(friendlyName))));
  if (localKeyId) attrs.push(der.sequence(der.oid(OID.localKeyId), der.setOf(der.octetString(localKeyId))));
  return attrs.length ? [der.setOf(...attrs)] : [];
}

/** A SafeBag of `bagId` around `value` (a whole DER element) with optional attributes. */
export function writeSafeBag(bagId: string, value: Uint8Array, friendlyName?: string, localKeyId?: Uint8Array): Uint8Array {
  return der.sequence(der.oid(bagId), der.explicit(0, value), ...writeAttributes(friendlyName, localKeyId));
}

/** A certBag value holding an X.509 certificate (RFC 7292 §4.2.3). */
export function certBagValue(certificate: Uint8Array): Uint8Array {
  return der.sequence(der.oid(OID.x509Certificate), der.explicit(0, der.octetString(certificate)));
}
