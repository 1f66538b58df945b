/**
 * The one DER writer (X.690 §10): every structure Certdesk writes (certificates, requests,
 * PKCS#7, PKCS#8, PKCS#12, backups) is built from these, and each output is read back by the
 * reader in tests and by the OpenSSL CLI in interop tests.
 */
import { compareBytes, concatBytes } from './bytes';
import { encodeOid } from './oid';
import { TAG } from './reader';

function lengthOctets(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** An element with identifier octet `tag` around the concatenated contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = contents.length === 1 ? contents[0]! : concatBytes(...contents);
  return concatBytes(Uint8Array.of(tag), lengthOctets(body.length), body);
}

export function sequence(...items: Uint8Array[]): Uint8Array {
  return tlv(TAG.SEQUENCE, ...items);
}

/** SET OF with its elements sorted by their encodings, as DER requires (X.690 §11.6). */
export function setOf(...items: Uint8Array[]): Uint8Array {
  return tlv(TAG.SET, ...[...items].sort(compareBytes));
}

/** `[n] EXPLICIT inner` (constructed context tag around a whole element). */
export function explicit(n: number, inner: Uint8Array): Uint8Array {
  return tlv(0xa0 | n, inner);
}

/** `[n] IMPLICIT`: the element `encoded` with its identifier octet replaced by context tag n. */
export function implicit(n: number, encoded: Uint8Array): Uint8Array {
  const out = encoded.slice();
  out[0] = 0x80 | (encoded[0]! & 0x20) | n;
  return out;
}

/**
 * INTEGER from a non-negative safe integer, a bigint, or unsigned big-endian bytes (a serial
 * number, an RSA modulus): minimal, with a leading zero where the top bit is set (X.690 §8.3).
 */
export function integer(value: number | bigint | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    bytes = value.length === 0 ? Uint8Array.of(0) : value.subarray(start);
  } else {
    let n = BigInt(value);
    if (n < 0n) throw new RangeError('integer() writes non-negative values only');
    const out: number[] = [];
    do {
      out.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n > 0n);
    bytes = Uint8Array.from(out);
  }
  return bytes[0]! & 0x80 ? tlv(TAG.INTEGER, Uint8Array.of(0), bytes) : tlv(TAG.INTEGER, bytes);
}

export function oid(dotted: string): Uint8Array {
  return tlv(TAG.OID, encodeOid(dotted));
}

export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.OCTET_STRING, bytes);
}

/** BIT STRING of whole bytes, or with `unusedBits` zero bits at the end of the last byte. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(TAG.BIT_STRING, Uint8Array.of(unusedBits), bytes);
}

/**
 * A named bit list (keyUsage, X.690 §11.2.2): the bits set, numbered from 0 = the most
 * significant bit, with trailing zero bits removed.
 */
export function namedBits(bits: Iterable<number>): Uint8Array {
  const set = [...bits];
  if (set.length === 0) return bitString(new Uint8Array(0));
  const last = Math.max(...set);
  const bytes = new Uint8Array((last >> 3) + 1);
  for (const b of set) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return bitString(bytes, 7 - (last & 7));
}

export function boolean(value: boolean): Uint8Array {
  return tlv(TAG.BOOLEAN, Uint8Array.of(value ? 0xff : 0));
}

export function nullValue(): Uint8Array {
  return Uint8Array.of(TAG.NULL, 0);
}

const utf8 = new TextEncoder();

export function utf8String(text: string): Uint8Array {
  return tlv(TAG.UTF8_STRING, utf8.encode(text));
}

/** PrintableString; the caller has checked the character set (asn1/values.ts isValidPrintable). */
export function printableString(text: string): Uint8Array {
  return tlv(TAG.PRINTABLE_STRING, utf8.encode(text));
}

/** IA5String; the caller has checked the text is ASCII. */
export function ia5String(text: string): Uint8Array {
  return tlv(TAG.IA5_STRING, utf8.encode(text));
}

/** BMPString: UTF-16BE code units (friendlyName in PKCS#12, RFC 7292 §4.2). */
export function bmpString(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) >> 8;
    out[2 * i + 1] = text.charCodeAt(i) & 0xff;
  }
  return tlv(TAG.BMP_STRING, out);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A Time as RFC 5280 §4.1.2.5 requires: UTCTime through 2049, GeneralizedTime from 2050,
 * whole seconds, Zulu.
 */
export function time(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  const rest = pad(date.getUTCMonth() + 1) + pad(date.getUTCDate()) + pad(date.getUTCHours()) + pad(date.getUTCMinutes()) + pad(date.getUTCSeconds()) + 'Z';
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, utf8.encode(pad(y % 100) + rest));
  return tlv(TAG.GENERALIZED_TIME, utf8.encode(pad(y, 4) + rest));
}
