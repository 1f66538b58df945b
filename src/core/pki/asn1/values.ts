/**
 * Values of primitive elements, read the strict DER way (X.690 §8, §10, §11) and checked the
 * way OpenSSL and Node check them, or more strictly: INTEGERs minimal and non-empty, BOOLEANs
 * 0x00/0xFF, BIT STRINGs with zero padding bits, strings valid in their character set, times
 * in the RFC 5280 §4.1.2.5 form with a real calendar date.
 */
import { Asn1Error } from './errors';
import { checkOidEncoding, decodeOid } from './oid';
import { children, contentOf, isConstructed, TAG, type Tlv } from './reader';
import { concatBytes } from './bytes';

function expect(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv) throw new Asn1Error('invalid-encoding', `${what} is missing`);
  if (tlv.tag !== tag) throw new Asn1Error('invalid-encoding', `${what} has the wrong type`);
  return tlv;
}

/** Checks an INTEGER's contents: non-empty and minimal (X.690 §8.3.2). */
function checkInteger(tlv: Tlv, what: string): void {
  const { bytes, contentStart: at, contentEnd: end } = tlv;
  if (end === at) throw new Asn1Error('invalid-encoding', `${what} is an empty INTEGER`);
  if (end - at > 1 && ((bytes[at] === 0 && !(bytes[at + 1]! & 0x80)) || (bytes[at] === 0xff && bytes[at + 1]! & 0x80)))
    throw new Asn1Error('invalid-encoding', `${what} is an INTEGER with superfluous leading bytes`);
}

/**
 * The content octets of an INTEGER (two's complement, big-endian), checked to be non-empty and
 * minimal (X.690 §8.3.2). `tag` allows an implicitly tagged INTEGER.
 */
export function readInteger(tlv: Tlv | undefined, what: string, tag: number = TAG.INTEGER): Uint8Array {
  checkInteger(expect(tlv, tag, what), what);
  return contentOf(tlv!);
}

/** Whether a minimal INTEGER's content is negative. */
export function isNegative(integer: Uint8Array): boolean {
  return (integer[0]! & 0x80) !== 0;
}

/**
 * A non-negative INTEGER no larger than `max` as a number (versions, iteration counts, path
 * lengths). Larger or negative values are an error naming `what`.
 */
export function readSmallInteger(tlv: Tlv | undefined, what: string, max: number = Number.MAX_SAFE_INTEGER, tag: number = TAG.INTEGER): number {
  const { bytes, contentStart: at, contentEnd: end } = expect(tlv, tag, what);
  checkInteger(tlv!, what);
  if (bytes[at]! & 0x80) throw new Asn1Error('invalid-encoding', `${what} is negative`);
  if (end - at > 7) throw new Asn1Error('invalid-encoding', `${what} is too large`);
  let n = 0;
  for (let i = at; i < end; i++) n = n * 256 + bytes[i]!;
  if (n > max) throw new Asn1Error('invalid-encoding', `${what} is too large (${n} > ${max})`);
  return n;
}

/** The magnitude of a non-negative INTEGER, without the sign byte (RSA moduli, ECDSA r and s). */
export function unsignedMagnitude(integer: Uint8Array): Uint8Array {
  return integer.length > 1 && integer[0] === 0 ? integer.subarray(1) : integer;
}

/** A BOOLEAN; DER allows only 0x00 and 0xFF (X.690 §11.1). */
export function readBoolean(tlv: Tlv | undefined, what: string): boolean {
  const c = contentOf(expect(tlv, TAG.BOOLEAN, what));
  if (c.length !== 1 || (c[0] !== 0 && c[0] !== 0xff)) throw new Asn1Error('invalid-encoding', `${what} is not a DER BOOLEAN`);
  return c[0] === 0xff;
}

/** NULL: no content. */
export function readNull(tlv: Tlv | undefined, what: string): null {
  if (contentOf(expect(tlv, TAG.NULL, what)).length !== 0) throw new Asn1Error('invalid-encoding', `${what} is a NULL with content`);
  return null;
}

/** An OBJECT IDENTIFIER in dotted form (size limit and minimal encoding in asn1/oid.ts). */
export function readOid(tlv: Tlv | undefined, what: string): string {
  const oid = expect(tlv, TAG.OID, what);
  return decodeOid(oid.bytes, what, oid.contentStart, oid.contentEnd);
}

/** Checks an OBJECT IDENTIFIER as `readOid` does, without writing its text. */
export function checkOid(tlv: Tlv | undefined, what: string): void {
  const oid = expect(tlv, TAG.OID, what);
  checkOidEncoding(oid.bytes, what, oid.contentStart, oid.contentEnd);
}

export interface BitString {
  /** The bits, most significant first; the last byte's `unusedBits` low bits are zero. */
  bytes: Uint8Array;
  unusedBits: number;
}

/** A primitive BIT STRING (X.690 §8.6); DER: unused bits 0–7, zero, and none in an empty string. */
export function readBitString(tlv: Tlv | undefined, what: string, tag: number = TAG.BIT_STRING): BitString {
  const { bytes, contentStart: at, contentEnd: end } = expect(tlv, tag, what);
  if (end === at) throw new Asn1Error('invalid-encoding', `${what} is an empty BIT STRING`);
  const unusedBits = bytes[at]!;
  if (unusedBits > 7 || (end - at === 1 && unusedBits !== 0)) throw new Asn1Error('invalid-encoding', `${what} has an invalid unused-bits count`);
  if (unusedBits && bytes[end - 1]! & ((1 << unusedBits) - 1)) throw new Asn1Error('invalid-encoding', `${what} has non-zero padding bits`);
  return { bytes: bytes.subarray(at + 1, end), unusedBits };
}

/** Whether bit `n` (0 = the most significant bit of the first byte, as named bit lists count) is set. */
export function bitIsSet(bits: BitString, n: number): boolean {
  const byte = bits.bytes[n >> 3];
  return byte !== undefined && (byte & (0x80 >> (n & 7))) !== 0;
}

/**
 * The octets of an OCTET STRING (or of an implicitly tagged one with `tag`). In BER a
 * constructed string of segments is joined (X.690 §8.7.3; Windows and Java PKCS#12 writers).
 */
export function readOctetString(tlv: Tlv | undefined, what: string, tag: number = TAG.OCTET_STRING): Uint8Array {
  if (!tlv) throw new Asn1Error('invalid-encoding', `${what} is missing`);
  if (tlv.tag === tag) return contentOf(tlv);
  if (tlv.encoding === 'ber' && tlv.tag === (tag | 0x20)) {
    const parts: Uint8Array[] = [];
    for (const child of children(tlv)) parts.push(readOctetString(child, what, TAG.OCTET_STRING));
    return concatBytes(...parts);
  }
  throw new Asn1Error('invalid-encoding', `${what} is not an OCTET STRING`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Whether `bytes[start..end)` are all 7-bit. */
function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

/**
 * Single-byte characters as the `latin1` decoder reads them (WHATWG: windows-1252); short ASCII
 * in one call, without a TextDecoder, which costs more than the decoding for the few bytes of a
 * name attribute. `ascii`: the bytes are known to be 7-bit.
 */
function byteText(bytes: Uint8Array, start: number, end: number, ascii: boolean): string {
  const c = bytes.subarray(start, end);
  return end - start <= 64 && (ascii || isAscii(bytes, start, end)) ? String.fromCharCode.apply(null, c as unknown as number[]) : latin1.decode(c);
}
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** The string types of X.520 attribute values and general names. */
export const STRING_TAGS: ReadonlySet<number> = new Set([
  TAG.UTF8_STRING,
  TAG.NUMERIC_STRING,
  TAG.PRINTABLE_STRING,
  TAG.TELETEX_STRING,
  TAG.IA5_STRING,
  TAG.VISIBLE_STRING,
  TAG.UNIVERSAL_STRING,
  TAG.BMP_STRING,
]);

/**
 * A character string of any of `STRING_TAGS`, decoded: UTF8String must be valid UTF-8,
 * BMPString UCS-2 (even length, no surrogates), UniversalString UCS-4 (valid code points),
 * IA5String and VisibleString 7-bit. PrintableString and NumericString are read as ASCII but
 * their character sets are checked by `isValidPrintable` (lint), since OpenSSL accepts them.
 * TeletexString is read as Latin-1, as browsers and OpenSSL display it.
 */
export function readString(tlv: Tlv | undefined, what: string): string {
  return stringValue(tlv, what, true)!;
}

/** Checks a character string by the rules of `readString`, without decoding it. */
export function checkString(tlv: Tlv | undefined, what: string): void {
  stringValue(tlv, what, false);
}

/** `readString` (`text`: true) or `checkString`: one set of rules for both. */
function stringValue(tlv: Tlv | undefined, what: string, text: boolean): string | undefined {
  if (!tlv || isConstructed(tlv) || !STRING_TAGS.has(tlv.tag)) throw new Asn1Error('invalid-encoding', `${what} is not a character string`);
  return stringContents(tlv.tag, tlv.bytes, tlv.contentStart, tlv.contentEnd, what, text);
}

/**
 * Checks the contents `bytes[start..end)` of a primitive string of `tag` (one of `STRING_TAGS`)
 * by the rules of `readString`, for walks that read headers in place.
 */
export function checkStringContents(tag: number, bytes: Uint8Array, start: number, end: number, what: string): void {
  stringContents(tag, bytes, start, end, what, false);
}

function stringContents(tag: number, bytes: Uint8Array, start: number, end: number, what: string, text: boolean): string | undefined {
  switch (tag) {
    case TAG.UTF8_STRING:
      if (isAscii(bytes, start, end)) return text ? byteText(bytes, start, end, true) : undefined;
      try {
        return utf8.decode(bytes.subarray(start, end));
      } catch {
        throw new Asn1Error('invalid-encoding', `${what} is a UTF8String that is not valid UTF-8`);
      }
    case TAG.BMP_STRING: {
      if ((end - start) % 2) throw new Asn1Error('invalid-encoding', `${what} is a BMPString of odd length`);
      let s = '';
      for (let i = start; i < end; i += 2) {
        const unit = (bytes[i]! << 8) | bytes[i + 1]!;
        if (unit >= 0xd800 && unit <= 0xdfff) throw new Asn1Error('invalid-encoding', `${what} is a BMPString with a surrogate`);
        if (text) s += String.fromCharCode(unit);
      }
      return s;
    }
    case TAG.UNIVERSAL_STRING: {
      if ((end - start) % 4) throw new Asn1Error('invalid-encoding', `${what} is a UniversalString whose length is not a multiple of 4`);
      let s = '';
      for (let i = start; i < end; i += 4) {
        const cp = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new Asn1Error('invalid-encoding', `${what} is a UniversalString with an invalid character`);
        if (text) s += String.fromCodePoint(cp);
      }
      return s;
    }
    case TAG.IA5_STRING:
    case TAG.VISIBLE_STRING:
      if (!isAscii(bytes, start, end)) throw new Asn1Error('invalid-encoding', `${what} has a non-ASCII byte in an ASCII-only string`);
      return text ? byteText(bytes, start, end, true) : undefined;
    default:
      return text ? byteText(bytes, start, end, false) : undefined;
  }
}

/** Whether a PrintableString's text uses only the X.680 §41.4 characters. */
export function isValidPrintable(text: string): boolean {
  return PRINTABLE.test(text);
}

export interface Time {
  /** Seconds since the Unix epoch (RFC 5280 times have one-second granularity). */
  seconds: number;
  tag: typeof TAG.UTC_TIME | typeof TAG.GENERALIZED_TIME;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), exact for years 0–9999. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The number two ASCII digits at `at` write. */
function twoDigits(c: Uint8Array, at: number): number {
  return (c[at]! - 0x30) * 10 + (c[at + 1]! - 0x30);
}

/**
 * A Time (RFC 5280 §4.1.2.5): UTCTime `YYMMDDHHMMSSZ` (years 1950–2049) or GeneralizedTime
 * `YYYYMMDDHHMMSSZ`, seconds present, no fraction, Zulu, and a real calendar date and time of
 * day: 30 February, month 13 or hour 25 are refused, never rolled over.
 */
export function readTime(tlv: Tlv | undefined, what: string): Time {
  if (!tlv || (tlv.tag !== TAG.UTC_TIME && tlv.tag !== TAG.GENERALIZED_TIME)) throw new Asn1Error('invalid-encoding', `${what} is not a time`);
  const utc = tlv.tag === TAG.UTC_TIME;
  const { bytes: c, contentStart: at, contentEnd: end } = tlv;
  // YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ: digits, then Z, nothing else (RFC 5280 §4.1.2.5.1, §4.1.2.5.2).
  const digits = utc ? 12 : 14;
  let wellFormed = end - at === digits + 1 && c[at + digits] === 0x5a;
  for (let i = at; wellFormed && i < at + digits; i++) wellFormed = c[i]! >= 0x30 && c[i]! <= 0x39;
  if (!wellFormed)
    throw new Asn1Error('invalid-encoding', utc ? `${what} is a UTCTime not in the YYMMDDHHMMSSZ form RFC 5280 §4.1.2.5.1 requires` : `${what} is a GeneralizedTime not in the YYYYMMDDHHMMSSZ form RFC 5280 §4.1.2.5.2 requires`);
  const y = at + (utc ? 0 : 2);
  const yearText = utc ? twoDigits(c, at) : twoDigits(c, at) * 100 + twoDigits(c, at + 2);
  const month = twoDigits(c, y + 2);
  const day = twoDigits(c, y + 4);
  const hour = twoDigits(c, y + 6);
  const minute = twoDigits(c, y + 8);
  const second = twoDigits(c, y + 10);
  // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY, below 50 is 20YY.
  const year = utc ? (yearText >= 50 ? 1900 : 2000) + yearText : yearText;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
    throw new Asn1Error('invalid-encoding', `${what} is not a real date and time (${latin1.decode(contentOf(tlv))})`);
  return { seconds: daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second, tag: tlv.tag };
}

/**
 * Checks an element of type ANY (an AlgorithmIdentifier's parameters, an otherName value) the
 * way OpenSSL's ASN1_TYPE decoder does, and as DER requires: universal primitive types must be
 * well formed (BOOLEAN one octet 0x00/0xFF, INTEGER and ENUMERATED minimal, NULL empty, OBJECT
 * IDENTIFIER valid, BIT STRING valid, BMPString and UniversalString whole characters), only
 * SEQUENCE and SET may be constructed in the universal class, and an end-of-contents marker is
 * no value. Other classes ([0], APPLICATION …) are opaque. Returns the element.
 */
export function checkAnyValue(tlv: Tlv | undefined, what: string): Tlv {
  if (!tlv) throw new Asn1Error('invalid-encoding', `${what} is missing`);
  if ((tlv.tag & 0xc0) !== 0) return tlv;
  const number = tlv.tag & 0x1f;
  // An end-of-contents marker (00 00) is no value; tag 0 with contents is an opaque unknown type to OpenSSL.
  if (tlv.tag === 0 && tlv.contentEnd === tlv.contentStart) throw new Asn1Error('invalid-encoding', `${what} is an end-of-contents marker, not a value`);
  if (number === 0) return tlv;
  if (isConstructed(tlv)) {
    if (number !== 0x10 && number !== 0x11) throw new Asn1Error('invalid-encoding', `${what} uses a constructed encoding DER forbids for its type`);
    return tlv;
  }
  switch (tlv.tag) {
    case TAG.BOOLEAN:
      readBoolean(tlv, what);
      break;
    case TAG.INTEGER:
    case TAG.ENUMERATED:
      readInteger(tlv, what, tlv.tag);
      break;
    case TAG.NULL:
      readNull(tlv, what);
      break;
    case TAG.OID:
      readOid(tlv, what);
      break;
    case TAG.BIT_STRING:
      readBitString(tlv, what);
      break;
    case 0x10:
    case 0x11:
      throw new Asn1Error('invalid-encoding', `${what} is a SEQUENCE or SET in primitive form`);
    case TAG.BMP_STRING:
      if ((tlv.contentEnd - tlv.contentStart) % 2) throw new Asn1Error('invalid-encoding', `${what} is a BMPString of odd length`);
      break;
    case TAG.UNIVERSAL_STRING:
      if ((tlv.contentEnd - tlv.contentStart) % 4) throw new Asn1Error('invalid-encoding', `${what} is a UniversalString whose length is not a multiple of 4`);
      break;
  }
  return tlv;
}

/** An AlgorithmIdentifier (RFC 5280 §4.1.1.2): its OID and its parameters element, if any. */
export interface AlgorithmIdentifier {
  oid: string;
  params?: Tlv;
}

/** Reads an AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }. */
export function readAlgorithm(tlv: Tlv | undefined, what: string): AlgorithmIdentifier {
  if (!tlv || tlv.tag !== TAG.SEQUENCE) throw new Asn1Error('invalid-encoding', `${what} is not an AlgorithmIdentifier`);
  const parts = children(tlv);
  if (parts.length < 1 || parts.length > 2) throw new Asn1Error('invalid-encoding', `${what} is not an AlgorithmIdentifier`);
  const oid = readOid(parts[0], what);
  return parts[1] ? { oid, params: parts[1] } : { oid };
}
