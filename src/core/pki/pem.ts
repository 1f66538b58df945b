/**
 * PEM armour (RFC 7468): reading every block out of a text, whatever surrounds it, and writing
 * the strict form OpenSSL and browsers read. Parsing is deliberately lax where RFC 7468 §3 says
 * parsers should be (CRLF/CR line ends, text between blocks, whitespace inside the base64) and
 * strict where a lax reading would hide a mistake (label mismatch, junk inside the base64,
 * look-alike dashes, legacy encrypted headers).
 */
import { CertdeskError } from '../errors';

/** One `-----BEGIN X-----` … `-----END X-----` block. */
export interface PemBlock {
  label: string;
  /** RFC 1421 headers such as `Proc-Type` (only legacy encrypted keys carry them). */
  headers: Record<string, string>;
  der: Uint8Array;
}

/**
 * Dash look-alikes that word processors and chat tools put in place of U+002D. A PEM pasted
 * through them no longer parses anywhere, so we say what happened instead of "not PEM".
 */
const LOOKALIKE_DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;

const BEGIN = /-----BEGIN ([^\r\n-]*(?:-[^\r\n-]+)*)-----/g;

/** True when the text holds at least one PEM BEGIN line (or a look-alike of one). */
export function looksLikePem(text: string): boolean {
  return text.includes('-----BEGIN ') || hasLookalikeArmour(text);
}

function hasLookalikeArmour(text: string): boolean {
  const at = text.search(/BEGIN [A-Z0-9 ]+/);
  if (at < 0) return false;
  const around = text.slice(Math.max(0, at - 8), at + 80);
  return LOOKALIKE_DASHES.test(around);
}

/**
 * Every PEM block in `text`, in order. Text outside blocks (openssl's "Bag Attributes",
 * `openssl x509 -text` output, e-mail quoting) is ignored, as RFC 7468 §2 allows.
 * @throws CertdeskError `pem-lookalike-dashes`, `pem-label-mismatch`, `pem-unterminated`,
 *   `pem-invalid-base64`, `pem-encrypted-legacy`
 */
export function parsePem(text: string): PemBlock[] {
  if (!text.includes('-----BEGIN ') && hasLookalikeArmour(text)) {
    throw new CertdeskError(
      'pem-lookalike-dashes',
      'The PEM armour uses typographic dashes (–, —) instead of plain hyphens, probably from a word processor or chat tool. Copy the file itself, or the text from a plain-text editor.',
    );
  }
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = BEGIN.exec(text)) !== null) {
    const label = match[1] ?? '';
    const bodyStart = match.index + match[0].length;
    const endMarker = /-----END ([^\r\n]*?)-----/g;
    endMarker.lastIndex = bodyStart;
    const end = endMarker.exec(text);
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if (!end || (nextBegin >= 0 && nextBegin < end.index)) {
      throw new CertdeskError(
        'pem-unterminated',
        `The PEM block "${label}" has no END line, so the file was probably cut off. Export or copy it again in full.`,
      );
    }
    if (end[1] !== label) {
      throw new CertdeskError(
        'pem-label-mismatch',
        `A PEM block begins as "${label}" but ends as "${end[1] ?? ''}". The file was edited by hand or two files were pasted together; export it again.`,
      );
    }
    const body = text.slice(bodyStart, end.index);
    blocks.push({ label, ...parseBody(label, body) });
    BEGIN.lastIndex = end.index + end[0].length;
  }
  return blocks;
}

function parseBody(label: string, body: string): { headers: Record<string, string>; der: Uint8Array } {
  const lines = body.split(/\r\n|\r|\n/);
  const headers: Record<string, string> = {};
  let i = 0;
  // RFC 1421 §4.4 headers: "Name: value" lines before a blank line.
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  if (/^[A-Za-z-]+:/.test(lines[i] ?? '')) {
    while (i < lines.length && (lines[i] ?? '').trim() !== '') {
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      i++;
    }
  }
  if ((headers['Proc-Type'] ?? '').toUpperCase().includes('ENCRYPTED')) {
    throw new CertdeskError(
      'pem-encrypted-legacy',
      `This "${label}" is encrypted in the old OpenSSL format (Proc-Type: 4,ENCRYPTED), which is weak and not supported. Convert it to encrypted PKCS#8 first, for example: openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out new.key`,
    );
  }
  const base64 = lines.slice(i).join('').replace(/[ \t]/g, '');
  if (LOOKALIKE_DASHES.test(base64)) {
    throw new CertdeskError(
      'pem-lookalike-dashes',
      'The PEM text contains typographic dashes instead of plain hyphens, probably from a word processor or chat tool. Copy the file itself instead.',
    );
  }
  if (!isBase64(base64)) {
    throw new CertdeskError(
      'pem-invalid-base64',
      `The PEM block "${label}" contains characters that are not base64, so it was damaged in transit. Export or copy it again.`,
    );
  }
  return { headers, der: base64ToBytes(base64) };
}

/** Strict base64 (RFC 4648 §4) with optional padding; whitespace must already be removed. */
export function isBase64(text: string): boolean {
  return text.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
}

/** Decodes base64 without relying on atob's lenient whitespace handling. */
export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    buffer = (buffer << 6) | BASE64_VALUES[clean.charCodeAt(i)]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Uint8Array(128);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_VALUES[BASE64_ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + BASE64_ALPHABET[(n >> 6) & 63]! + BASE64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + BASE64_ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** The strict RFC 7468 §2 form: 64-character lines, LF endings, trailing newline. */
export function encodePem(label: string, der: Uint8Array): string {
  const base64 = bytesToBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Lower-case hex, the form fingerprints and key identities are shown and compared in. */
export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const b of view) out += b.toString(16).padStart(2, '0');
  return out;
}

/** An ArrayBuffer holding exactly these bytes (WebCrypto and asn1-schema want one). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}
