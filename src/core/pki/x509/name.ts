/**
 * Distinguished names (RFC 5280 §4.1.2.4) as structured values: RDNs of attributes, each with
 * its type, the string tag it was written in, the decoded text (or the raw value when it is not
 * a string), the RFC 5280 §7.1 comparison form, display text and the common-name accessor.
 */
import {
  Asn1Error,
  checkOid,
  checkOidEncoding,
  checkString,
  checkStringContents,
  children,
  encodingOf,
  expectTag,
  fieldsOf,
  isConstructed,
  readBitString,
  readOid,
  readString,
  simpleContentStart,
  simpleElementEnd,
  TAG,
  toHex,
  type Tlv,
} from '../asn1';
import { limits } from '../limits';

/** One AttributeTypeAndValue of a name. */
export interface AttributeTypeAndValue {
  oid: string;
  /** Identifier octet of the value: a string tag such as 0x0c (UTF8String), or another type. */
  tag: number;
  /** The value decoded, when it is a character string. */
  text?: string;
  /** The value's whole encoding (what RFC 4514 §2.4 shows as `#hex` for a non-string). */
  raw: Uint8Array;
  /**
   * The comparison form (RFC 5280 §7.1 with RFC 4518 simplified as most clients do: case
   * folded, white space trimmed and collapsed, the string type ignored); `#hex` for a non-string.
   */
  normalized: string;
}

/** The RDNs of a name in encoded order (most general first); an RDN may hold several attributes. */
export type DistinguishedName = readonly (readonly AttributeTypeAndValue[])[];

/**
 * The value tags OpenSSL's X509_NAME decoder accepts (ASN1_PRINTABLE: the directory strings,
 * IA5String, NumericString, BIT STRING, SEQUENCE and the types it cannot name), DER-primitive.
 * VisibleString, the times, INTEGER, OCTET STRING, NULL, OID, SET and every non-universal tag
 * make OpenSSL refuse the whole certificate, so they are refused here too.
 */
const STRING_VALUE_TAGS: ReadonlySet<number> = new Set([
  TAG.UTF8_STRING,
  TAG.NUMERIC_STRING,
  TAG.PRINTABLE_STRING,
  TAG.TELETEX_STRING,
  TAG.IA5_STRING,
  TAG.UNIVERSAL_STRING,
  TAG.BMP_STRING,
]);
/** ObjectDescriptor, EXTERNAL, REAL, EMBEDDED PDV, RELATIVE-OID, reserved 14/15, CHARACTER STRING. */
const OPAQUE_VALUE_TAGS: ReadonlySet<number> = new Set([0x07, 0x08, 0x09, 0x0b, 0x0d, 0x0e, 0x0f, 0x1d]);

/** The comparison form of an attribute's text. */
function normalizeText(text: string): string {
  const lower = text.toLowerCase();
  return IRREGULAR_SPACE.test(lower) ? lower.trim().replace(/\s+/g, ' ') : lower;
}
/** Whitespace that normalizeText changes: at either end, in runs, or other than a plain space. */
const IRREGULAR_SPACE = /^\s|\s$|\s\s|[^\S ]/;

/** One AttributeTypeAndValue (also the contents of a nameRelativeToCRLIssuer RDN). */
export function parseAttribute(tlv: Tlv): AttributeTypeAndValue {
  return readAttribute(tlv, true)!;
}

/**
 * An AttributeTypeAndValue, built (`build`) or only checked by the same rules: a certificate's
 * names are checked when it is read and built when first used (x509/certificate.ts).
 */
function readAttribute(tlv: Tlv, build: boolean): AttributeTypeAndValue | undefined {
  const f = fieldsOf(tlv, 'a name attribute');
  const type = f.next(TAG.OID, 'the attribute type');
  const oid = build ? readOid(type, 'a name attribute type') : (checkOid(type, 'a name attribute type'), '');
  const value = f.next(undefined, 'the attribute value');
  f.end();
  if (STRING_VALUE_TAGS.has(value.tag & ~0x20) && isConstructed(value))
    throw new Asn1Error('invalid-encoding', 'a name attribute uses the constructed form of a string, which DER forbids');
  if (STRING_VALUE_TAGS.has(value.tag)) {
    if (!build) {
      checkString(value, 'a name attribute');
      return undefined;
    }
    const text = readString(value, 'a name attribute');
    return { oid, tag: value.tag, text, raw: encodingOf(value), normalized: normalizeText(text) };
  }
  if (value.tag === TAG.BIT_STRING) readBitString(value, 'a name attribute');
  else if (!(value.tag === TAG.SEQUENCE || (OPAQUE_VALUE_TAGS.has(value.tag) && !isConstructed(value))))
    throw new Asn1Error('invalid-encoding', `a name attribute has a value of a type names cannot hold (tag 0x${value.tag.toString(16)})`);
  if (!build) return undefined;
  const raw = encodingOf(value);
  return { oid, tag: value.tag, raw, normalized: '#' + toHex(raw) };
}

/**
 * Reads a Name (SEQUENCE OF RelativeDistinguishedName). An empty RDN is kept (OpenSSL accepts
 * it; RFC 5280 forbids it, which validation may flag); an unsorted SET is read as written.
 */
export function parseName(tlv: Tlv | undefined, what = 'a name'): DistinguishedName {
  const rdns: AttributeTypeAndValue[][] = [];
  readName(tlv, what, rdns);
  return rdns;
}

/** Checks a Name by every rule `parseName` applies, building nothing. */
export function checkName(tlv: Tlv | undefined, what = 'a name'): void {
  try {
    if (isPlainName(tlv)) return;
  } catch (error) {
    if (!(error instanceof Asn1Error)) throw error;
  }
  readName(tlv, what, undefined);
}

/**
 * Whether a Name has the form nearly every certificate's names have and `readName` accepts:
 * common element headers (asn1 simpleElementEnd), RDNs of attributes that are each an OID and
 * a primitive character string, valid as `readName` checks them. Read in place, allocating
 * nothing; false (or an Asn1Error) for every other name, which `readName` then reads, naming
 * what is wrong. It never says true where `readName` would refuse.
 */
function isPlainName(tlv: Tlv | undefined): boolean {
  if (!tlv || tlv.tag !== TAG.SEQUENCE || tlv.encoding !== 'der' || tlv.depth + 3 > limits.maxAsn1Depth || tlv.end - tlv.start > limits.maxNameBytes) return false;
  const b = tlv.bytes;
  for (let rdn = tlv.contentStart; rdn < tlv.contentEnd; ) {
    const rdnEnd = simpleElementEnd(b, rdn, tlv.contentEnd);
    if (rdnEnd < 0 || b[rdn] !== TAG.SET) return false;
    for (let attribute = simpleContentStart(b, rdn); attribute < rdnEnd; ) {
      // SEQUENCE { type OBJECT IDENTIFIER, value <string> } and nothing more.
      const attributeEnd = simpleElementEnd(b, attribute, rdnEnd);
      if (attributeEnd < 0 || b[attribute] !== TAG.SEQUENCE) return false;
      const type = simpleContentStart(b, attribute);
      const value = simpleElementEnd(b, type, attributeEnd);
      if (value < 0 || b[type] !== TAG.OID || simpleElementEnd(b, value, attributeEnd) !== attributeEnd || !STRING_VALUE_TAGS.has(b[value]!)) return false;
      checkOidEncoding(b, 'a name attribute type', simpleContentStart(b, type), value);
      checkStringContents(b[value]!, b, simpleContentStart(b, value), attributeEnd, 'a name attribute');
      attribute = attributeEnd;
    }
    rdn = rdnEnd;
  }
  return true;
}

/** `parseName` into `rdns`, or `checkName` when there is none: one set of rules for both. */
function readName(tlv: Tlv | undefined, what: string, rdns: AttributeTypeAndValue[][] | undefined): void {
  const name = fieldsOf(tlv, what);
  // OpenSSL refuses a Name whose encoding exceeds X509_NAME_MAX (crypto/x509/x_name.c: 1 MiB).
  if (name.parent.end - name.parent.start > limits.maxNameBytes)
    throw new Asn1Error('invalid-encoding', `${what} is larger than ${limits.maxNameBytes / 1024 / 1024} MiB, which OpenSSL and every client refuse`);
  for (const rdn of name.rest()) {
    // The error's text is written only for an error.
    const attributes = children(rdn.tag === TAG.SET ? rdn : expectTag(rdn, TAG.SET, `a relative distinguished name of ${what}`));
    if (!rdns) for (const attribute of attributes) readAttribute(attribute, false);
    else {
      const values: AttributeTypeAndValue[] = [];
      for (const attribute of attributes) values.push(readAttribute(attribute, true)!);
      rdns.push(values);
    }
  }
}

/** A key under which two names compare equal exactly when RFC 5280 §7.1 says they match. */
export function nameKey(name: DistinguishedName): string {
  let key = '';
  for (let i = 0; i < name.length; i++) {
    const rdn = name[i]!;
    if (i) key += ',';
    key += rdn.length === 1 ? `${rdn[0]!.oid}=${rdn[0]!.normalized}` : rdn.map((a) => `${a.oid}=${a.normalized}`).sort().join('+');
  }
  return key;
}

/** The most specific common name (the last CN in encoded order, RFC 6125 §6.4.4), if any. */
export function commonName(name: DistinguishedName): string | undefined {
  for (let i = name.length - 1; i >= 0; i--) {
    const rdn = name[i]!;
    for (let j = rdn.length - 1; j >= 0; j--) if (rdn[j]!.oid === '2.5.4.3') return rdn[j]!.text ?? rdn[j]!.normalized;
  }
  return undefined;
}

/** Short names for attribute types, as RFC 4514 §3 and OpenSSL print them. */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
};

/** One attribute of a name as shown to the admin. Plain data (structured-cloneable). */
export interface NameAttribute {
  /** Short name (CN, O, …) or the dotted OID when there is none. */
  type: string;
  oid: string;
  /** The text with control characters escaped, or "#" + hex of a non-string value (RFC 4514 §2.4). */
  value: string;
  /** Index of the RDN this attribute belongs to; several attributes may share one (multi-valued RDN). */
  rdn: number;
  /** The value is not a string type. */
  binary?: true;
}

/** Control characters would let a name look like another on screen: shown as `\xx`. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The attributes of a name in encoded order (most general first), for display. */
export function nameAttributes(name: DistinguishedName): NameAttribute[] {
  const out: NameAttribute[] = [];
  name.forEach((rdn, index) => {
    for (const a of rdn) {
      const attribute: NameAttribute = { type: SHORT_NAMES[a.oid] ?? a.oid, oid: a.oid, value: a.text === undefined ? a.normalized : visible(a.text), rdn: index };
      if (a.text === undefined) attribute.binary = true;
      out.push(attribute);
    }
  });
  return out;
}

function escapeRfc4514(value: string): string {
  return value
    .replace(/([\\,+"<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** Longest display text of a name: hostile certificates carry thousands of attributes. */
const MAX_NAME_TEXT = 1024;

/**
 * One-line display text in RFC 4514 order (most specific first: "CN=…, O=…, C=…") with its
 * §2.4 escapes, as browsers and `openssl -nameopt RFC2253` show it, cut to `maxLength`
 * characters with "…". An empty name is "(empty name)".
 */
export function nameToString(name: DistinguishedName | readonly NameAttribute[], maxLength = MAX_NAME_TEXT): string {
  if (maxLength !== MAX_NAME_TEXT) return nameText(name, maxLength);
  let text = displayTexts.get(name);
  if (text === undefined) displayTexts.set(name, (text = nameText(name, maxLength)));
  return text;
}

/** Parsed names are immutable, and lists and messages show the same ones again and again. */
const displayTexts = new WeakMap<DistinguishedName | readonly NameAttribute[], string>();

function nameText(name: DistinguishedName | readonly NameAttribute[], maxLength: number): string {
  const attributes = name.length && Array.isArray(name[0]) ? nameAttributes(name as DistinguishedName) : (name as readonly NameAttribute[]);
  if (attributes.length === 0) return '(empty name)';
  const rdns: string[][] = [];
  let last = Number.NaN;
  for (const a of attributes) {
    if (a.rdn !== last) rdns.push([]);
    last = a.rdn;
    rdns[rdns.length - 1]!.push(`${a.type}=${a.binary ? a.value : escapeRfc4514(a.value)}`);
  }
  // RFC 4514 §2.1: RDNs last-to-first, separated by commas; §2.2: multi-valued with "+".
  const text = rdns
    .reverse()
    .map((rdn) => rdn.join('+'))
    .join(', ');
  return text.length > maxLength ? text.slice(0, maxLength - 1) + '…' : text;
}

