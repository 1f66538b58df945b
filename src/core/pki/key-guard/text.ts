/**
 * Private keys in text, after the text is normalised the ways a key gets disguised on its way
 * into a file: any Unicode encoding (UTF-8, UTF-16LE/BE and UTF-32LE/BE, with or without a byte
 * order mark; ASCII text with NUL bytes between its characters is read with the NULs taken out),
 * full-width or compatibility characters (NFKC, UAX #15), look-alike dashes, the case of the PEM
 * armour. Then:
 *
 * - PEM armour whose label names a private key (RFC 7468 §10–11 "PRIVATE KEY", "ENCRYPTED
 *   PRIVATE KEY"; OpenSSL's "RSA/EC/DSA/ANY PRIVATE KEY"; "OPENSSH PRIVATE KEY"; RFC 4880 §6.2
 *   "PGP PRIVATE KEY BLOCK"; RFC 4716-style "SSH2 ENCRYPTED PRIVATE KEY"), whatever its body;
 * - PuTTY's key file header ("PuTTY-User-Key-File-N:", PuTTY manual appendix C);
 * - a JSON Web Key with private members (RFC 7518 §6.2.2 "d", §6.3.2 "p", "q", "dp", "dq",
 *   "qi", §6.4 "k"; RFC 8037 §2 "d"), also as escaped JSON inside a string;
 * - base64, base64url (RFC 4648 §4–5) and hex runs anywhere in the text, decoded, for the caller
 *   to scan like any other bytes (a PEM body without its armour, a key pasted into notes).
 */
import type { KeyHit } from './binary';

/** One way of reading bytes as text. */
export interface TextView {
  text: string;
  /** How it was read, for the report ("in UTF-16LE text"); empty for plain UTF-8/ASCII. */
  layer: string;
}

/** Decoded bytes found in a text, with how they were written. */
export interface EncodedRun {
  bytes: Uint8Array;
  layer: string;
}

function decode(encoding: string, bytes: Uint8Array): string {
  return new TextDecoder(encoding, { fatal: false }).decode(bytes);
}

/** UTF-32 by hand: TextDecoder has no UTF-32 (WHATWG Encoding §4). Invalid code points become U+FFFD. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    chunk.push(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? cp : 0xfffd);
    if (chunk.length === 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

/** ASCII text with NUL bytes taken out: UTF-16 and UTF-32 of ASCII in any byte order and alignment. */
function withoutNuls(bytes: Uint8Array): string {
  const out: string[] = [];
  let chunk: number[] = [];
  for (const b of bytes) {
    if (b === 0) continue;
    chunk.push(b);
    if (chunk.length === 8192) {
      out.push(String.fromCharCode(...chunk));
      chunk = [];
    }
  }
  out.push(String.fromCharCode(...chunk));
  return out.join('');
}

const COMPATIBILITY_ASCII = /[\uFF01-\uFF5E\uFE50-\uFE6B\u2460-\u24FF\u{1D400}-\u{1D7FF}\u{1F130}-\u{1F189}]/u;

/** Every reading of `bytes` as text that could reveal a key. */
export function textViews(bytes: Uint8Array): TextView[] {
  const views: TextView[] = [{ text: decode('utf-8', bytes), layer: '' }];
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  // Byte order marks (Unicode §23.8): UTF-32 first, since its little-endian BOM starts like UTF-16's.
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) views.push({ text: decodeUtf32(bytes.subarray(4), true), layer: 'in UTF-32LE text' });
  else if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) views.push({ text: decodeUtf32(bytes.subarray(4), false), layer: 'in UTF-32BE text' });
  else if (b0 === 0xff && b1 === 0xfe) views.push({ text: decode('utf-16le', bytes), layer: 'in UTF-16LE text' });
  else if (b0 === 0xfe && b1 === 0xff) views.push({ text: decode('utf-16be', bytes), layer: 'in UTF-16BE text' });
  let nuls = 0;
  for (const b of bytes) if (b === 0) nuls++;
  if (nuls >= 16 && views.length === 1) {
    views.push({ text: withoutNuls(bytes), layer: 'in text with NUL bytes between its characters (UTF-16 or UTF-32)' });
    if (nuls * 4 >= bytes.length) {
      // No byte order mark but wide text: non-ASCII look-alikes (dashes) only show decoded.
      views.push({ text: decode('utf-16le', bytes), layer: 'in UTF-16LE text' }, { text: decode('utf-16be', bytes), layer: 'in UTF-16BE text' });
    }
  }
  const out: TextView[] = [];
  for (const view of views) {
    out.push(view);
    // Full-width, mathematical, circled and small forms of ASCII (ＰＲＩＶＡＴＥ) read as ASCII after NFKC.
    if (COMPATIBILITY_ASCII.test(view.text)) {
      const folded = view.text.normalize('NFKC');
      if (folded !== view.text) out.push({ text: folded, layer: [view.layer, 'in full-width or compatibility characters'].filter(Boolean).join(' ') });
    }
  }
  return out;
}

/** Dash look-alikes word processors and chat tools substitute for U+002D (as pem.ts lists them, and more). */
const LOOKALIKE_DASHES = /[\u2010-\u2015\u2212\u2E3A\u2E3B\uFE58\uFE63\uFF0D\u30FC\u2796]/g;

/**
 * PEM-style armour whose label says private key; lenient in case, dashes and spacing. Every
 * quantifier is bounded, so no input makes the expression backtrack more than a constant per character.
 */
const ARMOUR = /-{2,16}\s{0,4}BEGIN\s{1,4}([A-Za-z0-9 ._-]{0,40}?PRIVATE\s{1,4}KEY[A-Za-z0-9 ]{0,12}?)\s{0,4}-{2,16}/gi;
const STRICT_ARMOUR = /^-----BEGIN [A-Z0-9 ]+-----$/;
const PUTTY = /PuTTY-User-Key-File-(\d{1,2})\s{0,16}:\s{0,16}([\w@.-]{1,64})/gi;
/** A private JWK member with a base64url value; `\\?` also finds escaped JSON inside a JSON string. */
const JWK_PRIVATE = /\\?"(d|p|q|dp|dq|qi|k)\\?"\s{0,16}:\s{0,16}\\?"([A-Za-z0-9_-]{16,})/g;
const JWK_KTY = /\\?"kty\\?"\s{0,16}:/g;
/** How far apart the members of one JWK may be (an RSA-16384 JWK is under 16 KB). */
const JWK_SPAN = 20_000;

/** Keys written as text in `view`. */
export function textKeys(view: TextView, maxHits: number): KeyHit[] {
  const hits: KeyHit[] = [];
  const hasDashes = LOOKALIKE_DASHES.test(view.text);
  LOOKALIKE_DASHES.lastIndex = 0;
  const text = hasDashes ? view.text.replace(LOOKALIKE_DASHES, '-') : view.text;
  for (const match of text.matchAll(ARMOUR)) {
    if (hits.length >= maxHits) break;
    const label = match[1]!.replace(/\s+/g, ' ').trim();
    // The replacement is one code unit for one, so the match lines up with the original text.
    const original = view.text.slice(match.index, match.index + match[0].length);
    const how = STRICT_ARMOUR.test(original)
      ? 'PEM armour'
      : original !== match[0]
        ? 'PEM armour with look-alike dashes'
        : /[a-z]/.test(match[0])
          ? 'lower-case PEM armour'
          : 'altered PEM armour';
    hits.push({ kind: 'pem-private-key', what: `a private key in ${how} ("${label.toUpperCase()}")` });
  }
  for (const match of text.matchAll(PUTTY)) {
    if (hits.length >= maxHits) break;
    hits.push({ kind: 'putty', what: `a PuTTY private key (.ppk version ${match[1]}, ${match[2]})` });
  }
  const kty = [...text.matchAll(JWK_KTY)].map((m) => m.index);
  if (kty.length > 0) {
    for (const match of text.matchAll(JWK_PRIVATE)) {
      if (hits.length >= maxHits) break;
      if (!kty.some((at) => Math.abs(at - match.index) <= JWK_SPAN)) continue;
      hits.push({ kind: 'jwk', what: `a JSON Web Key with its private part ("${match[1]}")` });
      break;
    }
  }
  return hits;
}

const BASE64_VALUES = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (BASE64_VALUES[c.charCodeAt(0)] = i));
BASE64_VALUES['-'.charCodeAt(0)] = 62; // base64url (RFC 4648 §5)
BASE64_VALUES['_'.charCodeAt(0)] = 63;

/** Base64 or base64url characters from `start`, padding and all else skipped. */
function decodeBase64(clean: string, start: number): Uint8Array {
  const out = new Uint8Array(Math.floor(((clean.length - start) * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = start; i < clean.length; i++) {
    const value = BASE64_VALUES[clean.charCodeAt(i)] ?? -1;
    if (value < 0) continue;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

const MIN_BASE64 = 64;
/** Hex digits of the smallest private key (48 bytes). */
const MIN_HEX = 96;

const isBase64Char = (c: number) => c < 128 && (BASE64_VALUES[c]! >= 0 || c === 0x3d); // and "="
const isHexChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/**
 * Base64 runs: lines of base64 or base64url joined across line breaks (also the `\n` escapes of
 * JSON strings, and indentation or "> " quoting after a break); a space inside a line ends a run.
 * A linear scan: a regular expression with a repeated group overflows the stack on a 10 MB run.
 */
function base64Runs(text: string): string[] {
  const runs: string[] = [];
  let run: string[] = [];
  let length = 0;
  const flush = () => {
    if (length >= MIN_BASE64) runs.push(run.join(''));
    run = [];
    length = 0;
  };
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && isBase64Char(text.charCodeAt(j))) j++;
    if (j === i) {
      i++;
      continue;
    }
    run.push(text.slice(i, j));
    length += j - i;
    // A line break (and what may follow it) keeps the run going; anything else ends it.
    let k = j;
    let broke = false;
    for (;;) {
      const c = text[k];
      if (c === '\n' || c === '\r') k++;
      else if (c === '\\' && (text[k + 1] === 'n' || text[k + 1] === 'r')) k += 2;
      else if (broke && (c === ' ' || c === '\t' || c === '>')) k++;
      else break;
      if (c !== ' ' && c !== '\t' && c !== '>') broke = true;
    }
    if (!broke || k >= text.length || !isBase64Char(text.charCodeAt(k))) flush();
    i = k > j ? k : j;
  }
  flush();
  return runs;
}

/** Hex runs: hex digits with ":", "-", spaces and line breaks between them (xxd -p, colon hex). */
function hexRuns(text: string): string[] {
  const runs: string[] = [];
  let digits: string[] = [];
  let count = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (isHexChar(c)) {
      let j = i;
      while (j < text.length && isHexChar(text.charCodeAt(j))) j++;
      digits.push(text.slice(i, j));
      count += j - i;
      i = j - 1;
    } else if (c === 0x3a || c === 0x2d || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      continue;
    } else {
      if (count >= MIN_HEX) runs.push(digits.join(''));
      digits = [];
      count = 0;
    }
  }
  return runs;
}

/**
 * The bytes every base64 and hex run of `text` decodes to. A run's start is not known (text
 * before it may be base64 letters too), so each run is decoded at all four character alignments
 * (and hex at both): one of them is the real one, the others are noise that matches nothing.
 */
export function encodedRuns(text: string): EncodedRun[] {
  const out: EncodedRun[] = [];
  for (const run of base64Runs(text)) {
    // A run can hold several base64 texts one after another, each ending in padding.
    for (const part of run.split(/=+/)) {
      if (part.length < MIN_BASE64) continue;
      for (let start = 0; start < 4; start++) out.push({ bytes: decodeBase64(part, start), layer: 'in base64 text' });
    }
  }
  for (const digits of hexRuns(text)) {
    for (let start = 0; start < 2; start++) {
      const bytes = new Uint8Array(Math.floor((digits.length - start) / 2));
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(start + 2 * i, start + 2 * i + 2), 16);
      out.push({ bytes, layer: 'in hex text' });
    }
  }
  return out;
}
