/**
 * PEM armour (RFC 7468): reading every block out of a text, whatever surrounds it, and writing
 * the strict form OpenSSL and browsers read. Parsing is deliberately lax where RFC 7468 §3 says
 * parsers should be (CRLF/CR line ends, text between blocks, whitespace inside the base64) and
 * strict where a lax reading would hide a mistake (label mismatch, junk inside the base64,
 * look-alike dashes, legacy encrypted headers).
 */
import { CertdeskError } from '../errors';
import { bytesToBase64, readBase64 } from './asn1/bytes';

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

const UTF8 = new TextDecoder('utf-8');

/**
 * Which of the two byte layouts of UTF-16 `bytes` has — by its byte order mark, or, without one,
 * by the zero bytes ASCII text (PEM, base64) has in every other position — or undefined.
 */
function utf16Layout(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const sample = Math.min(bytes.length, 512) & ~1;
  if (sample < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = sample / 2;
  if (zeroOdd === pairs && zeroEven === 0) return 'utf-16le';
  if (zeroEven === pairs && zeroOdd === 0) return 'utf-16be';
  return undefined;
}

/**
 * The text of a file as Windows and editors write it: UTF-8 (a byte order mark is dropped) or
 * UTF-16 in either byte order, which Notepad ("Unicode") and PowerShell's `>` write — with its
 * byte order mark or recognised by the zero bytes of ASCII text (Unicode §23.8).
 */
export function fileText(bytes: Uint8Array): string {
  const utf16 = utf16Layout(bytes);
  if (utf16) return new TextDecoder(utf16).decode(bytes);
  return UTF8.decode(bytes);
}

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

/** An RFC 1421 §4.4 header line ("Proc-Type: 4,ENCRYPTED"). */
const HEADER_LINE = /[A-Za-z-]+:/y;
const LINE_END = /\r\n|\r|\n/;

function parseBody(label: string, body: string): { headers: Record<string, string>; der: Uint8Array } {
  // Blank lines before the base64 are skipped (RFC 7468 §3).
  let start = 0;
  for (;;) {
    const lineEnd = body.slice(start).search(LINE_END);
    if (lineEnd < 0 || body.slice(start, start + lineEnd).trim() !== '') break;
    start += lineEnd + (body.startsWith('\r\n', start + lineEnd) ? 2 : 1);
  }
  HEADER_LINE.lastIndex = start;
  const headers: Record<string, string> = {};
  if (HEADER_LINE.test(body)) start = readHeaders(body, start, headers);
  if ((headers['Proc-Type'] ?? '').toUpperCase().includes('ENCRYPTED')) {
    throw new CertdeskError(
      'pem-encrypted-legacy',
      `This "${label}" is encrypted in the old OpenSSL format (Proc-Type: 4,ENCRYPTED), which is weak and not supported. Convert it to encrypted PKCS#8 first, for example: openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out new.key`,
    );
  }
  // Spaces, tabs and line ends inside the base64 are skipped (RFC 7468 §3); anything else is damage.
  const der = readBase64(body.slice(start), { skipWhitespace: true });
  if (der) return { headers, der };
  if (LOOKALIKE_DASHES.test(body)) {
    throw new CertdeskError(
      'pem-lookalike-dashes',
      'The PEM text contains typographic dashes instead of plain hyphens, probably from a word processor or chat tool. Copy the file itself instead.',
    );
  }
  throw new CertdeskError(
    'pem-invalid-base64',
    `The PEM block "${label}" contains characters that are not base64, so it was damaged in transit. Export or copy it again.`,
  );
}

/** Reads "Name: value" header lines from `start` up to the first blank line; returns where the base64 begins. */
function readHeaders(body: string, start: number, headers: Record<string, string>): number {
  const lines = body.slice(start).split(LINE_END);
  let i = 0;
  let offset = start;
  while (i < lines.length && (lines[i] ?? '').trim() !== '') {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    offset += line.length;
    offset += body.startsWith('\r\n', offset) ? 2 : offset < body.length ? 1 : 0;
    i++;
  }
  return offset;
}

/** The strict RFC 7468 §2 form: 64-character lines, LF endings, trailing newline. */
export function encodePem(label: string, der: Uint8Array): string {
  const base64 = bytesToBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
