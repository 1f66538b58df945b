/**
 * Byte helpers every PKI module shares: hex, base64, comparison, concatenation, SHA-256
 * fingerprints. Reading hex and concatenation come from @noble/hashes; base64 is strict RFC 4648
 * §4 (atob skips whitespace and junk silently, and Node 20 has no Uint8Array.fromBase64).
 */
import { concatBytes as nobleConcat, hexToBytes } from '@noble/hashes/utils.js';

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const LATIN1 = new TextDecoder('latin1');
const nativeToHex = (Uint8Array.prototype as { toHex?: () => string }).toHex;

/**
 * Lower-case hex, the form fingerprints and key identities are shown and compared in. Written
 * into one buffer: a string grown one byte at a time (noble's bytesToHex without the native
 * Uint8Array.prototype.toHex, as in Node 20) took 1.5 s for a 9 MB extension value (fuzz campaign).
 */
export function toHex(input: Uint8Array | ArrayBuffer): string {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (nativeToHex) return nativeToHex.call(bytes);
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0, j = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[j++] = HEX_DIGITS[b >> 4]!;
    out[j++] = HEX_DIGITS[b & 15]!;
  }
  return LATIN1.decode(out);
}

/** Bytes of an even-length hex string (either case). Throws on anything else. */
export function fromHex(hex: string): Uint8Array {
  return hexToBytes(hex);
}

/** Whether two byte arrays hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Byte-wise ordering (shorter first on a common prefix), as DER SET OF sorts (X.690 §11.6). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The concatenation of byte arrays, as a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return nobleConcat(...parts);
}

/**
 * The bytes as a `Uint8Array<ArrayBuffer>` WebCrypto accepts without copying when they already
 * are one (a view on a SharedArrayBuffer or a resizable buffer is copied).
 */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** An ArrayBuffer holding exactly these bytes (for APIs that take a whole buffer). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** SHA-256 of the bytes as lower-case hex (a certificate's or key's fingerprint). */
export async function sha256Hex(bytes: Uint8Array, crypto: Crypto = globalThis.crypto): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', bufferSource(bytes)));
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_VALUES[BASE64_ALPHABET.charCodeAt(i)] = i;

const BASE64_SPACE = -2; // space, tab, CR, LF: the line structure of PEM (RFC 7468 §3)
const BASE64_PAD = -3;
/** Each UTF-16 code unit's base64 value (RFC 4648 §4), or what else it is to readBase64 (-1: not base64). */
const BASE64_READ = new Int8Array(0x10000).fill(-1);
BASE64_READ.set(BASE64_VALUES);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) BASE64_READ[c] = BASE64_SPACE;
BASE64_READ[0x3d] = BASE64_PAD;

/**
 * Strict base64 (RFC 4648 §4), validated and decoded in one pass: the alphabet, then at most two
 * "=" at the very end, and never a single character left over (a length of 4n + 1). Padding is
 * optional, as in PEM bodies written by hand.
 * @param options.skipWhitespace skip spaces, tabs and line ends wherever they are (a PEM body).
 * @returns the bytes, or undefined when `text` is not base64.
 */
export function readBase64(text: string, options: { skipWhitespace?: boolean } = {}): Uint8Array | undefined {
  const skip = options.skipWhitespace === true;
  return platformBase64(text, skip) ?? scanBase64(text, skip);
}

/**
 * The platform's base64 decoder (`atob`, WHATWG forgiving-base64), several times faster than a
 * loop in script, where its answer is readBase64's: it also skips form feeds (not allowed here)
 * and refuses padding short of a whole group (allowed here), so those inputs, like every input
 * it refuses, are left to scanBase64, which gives the answer.
 */
function platformBase64(text: string, skipWhitespace: boolean): Uint8Array | undefined {
  if (skipWhitespace ? text.includes('\f') : /[\t\n\f\r ]/.test(text)) return undefined;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  if (binary.length === 0) return undefined;
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function scanBase64(text: string, skip: boolean): Uint8Array | undefined {
  const n = text.length;
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let quad = 0;
  let digits = 0;
  let padding = 0;
  let o = 0;
  let i = 0;
  while (i < n) {
    // Four digits at a group boundary, the bulk of any input: three bytes at once.
    if ((digits & 3) === 0 && padding === 0 && i + 4 <= n) {
      const a = BASE64_READ[text.charCodeAt(i)]!;
      const b = BASE64_READ[text.charCodeAt(i + 1)]!;
      const c = BASE64_READ[text.charCodeAt(i + 2)]!;
      const d = BASE64_READ[text.charCodeAt(i + 3)]!;
      if ((a | b | c | d) >= 0) {
        out[o++] = (a << 2) | (b >> 4);
        out[o++] = ((b & 0x0f) << 4) | (c >> 2);
        out[o++] = ((c & 0x03) << 6) | d;
        digits += 4;
        i += 4;
        continue;
      }
    }
    const value = BASE64_READ[text.charCodeAt(i++)]!;
    if (value >= 0) {
      if (padding > 0) return undefined;
      quad = (quad << 6) | value;
      if ((++digits & 3) === 0) {
        out[o++] = quad >> 16;
        out[o++] = (quad >> 8) & 0xff;
        out[o++] = quad & 0xff;
        quad = 0;
      }
    } else if (value === BASE64_PAD) {
      if (++padding > 2) return undefined;
    } else if (value !== BASE64_SPACE || !skip) {
      return undefined;
    }
  }
  // The last group: two digits carry one byte, three carry two, one carries none (invalid).
  const left = digits & 3;
  if (digits === 0 || left === 1) return undefined;
  if (left === 2) out[o++] = quad >> 4;
  if (left === 3) {
    out[o++] = quad >> 10;
    out[o++] = (quad >> 2) & 0xff;
  }
  return o === out.length ? out : out.slice(0, o);
}

/** Strict base64 (RFC 4648 §4) with optional padding and no whitespace (see readBase64). */
export function isBase64(text: string): boolean {
  return readBase64(text) !== undefined;
}

/** Decodes strict base64 (see readBase64; the empty text is no bytes); a RangeError when it is not base64. */
export function base64ToBytes(text: string): Uint8Array {
  const bytes = text === '' ? new Uint8Array(0) : readBase64(text);
  if (!bytes) throw new RangeError('not base64');
  return bytes;
}

/** Base64 with padding (RFC 4648 §4), no line breaks. */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  const a = BASE64_ALPHABET;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += a[n >> 18]! + a[(n >> 12) & 63]! + a[(n >> 6) & 63]! + a[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += a[n >> 18]! + a[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += a[n >> 18]! + a[(n >> 12) & 63]! + a[(n >> 6) & 63]! + '=';
  }
  return out;
}
