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

/** Strict base64 (RFC 4648 §4) with optional padding; whitespace must already be removed. */
export function isBase64(text: string): boolean {
  return text.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
}

/** Decodes base64 that `isBase64` accepted (padding optional). */
export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const value = BASE64_VALUES[clean.charCodeAt(i)] ?? -1;
    if (value < 0) throw new RangeError('not base64');
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
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
