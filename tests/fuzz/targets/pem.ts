/**
 * The PEM reader (`parsePem` over `fileText`, as decoding reads text) on mutated PEM in every
 * encoding and line ending. Invariants: every block written back by `encodePem` reads back to the
 * same label and DER; and where OpenSSL's PEM reader (Node's X509Certificate on the text) finds a
 * certificate, Certdesk found the same DER — or refused for a cited reason.
 */
import { encodePem, fileText, parsePem, type PemBlock } from '../../../src/core/pki/pem';
import { fixtureCertificates, fixtureKeys, fixturePkcs7, fixtureRequests, ownCorpus } from '../corpus';
import { nodeCertificate, nodePemCertificate } from '../oracles';
import { mutatedInput, type Comparison, type Target } from '../target';

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Where Certdesk's PEM reader is stricter than OpenSSL's on purpose (by code). */
const PEM_STRICTER: Readonly<Record<string, string>> = {
  'pem-label-mismatch': 'RFC 7468 §2: the END label must equal the BEGIN label; OpenSSL reads the first block up to any END line in some layouts.',
  'pem-unterminated': 'A block without its END line (RFC 7468 §2) is a cut-off file, named as such, although OpenSSL may read an earlier complete block.',
  'pem-invalid-base64': 'RFC 7468 §3: only base64 and whitespace inside a block; OpenSSL\'s decoder skips some stray characters.',
  'pem-lookalike-dashes': 'Typographic dashes are named, not skipped (a pasted file); OpenSSL may read a later block.',
  'pem-encrypted-legacy': 'RFC 1421 encryption headers are refused as weak; OpenSSL ignores them on certificates.',
};

export const pem: Target = {
  name: 'pem',
  description: 'parsePem(fileText(bytes)) round trip through encodePem; certificates against OpenSSL\'s PEM reader (Node X509Certificate)',
  timeoutMs: 10_000,
  corpus: () => [...ownCorpus(/\.pem$/), ...[...fixtureCertificates(), ...fixtureRequests(), ...fixturePkcs7(), ...fixtureKeys()].filter((e) => e.format === 'pem')],
  input: (rng, corpus) => mutatedInput(rng, corpus),
  async run({ bytes }) {
    const blocks = parsePem(fileText(bytes));
    for (const block of blocks) {
      const again = parsePem(encodePem(block.label, block.der));
      if (again.length !== 1 || again[0]!.label !== block.label || !equal(again[0]!.der, block.der)) throw new Error(`encodePem → parsePem changed the block "${block.label}"`);
    }
    return blocks;
  },
  compare({ bytes }, outcome): Comparison | undefined {
    const text = fileText(bytes);
    const theirs = nodePemCertificate(text);
    if (outcome.verdict === 'refused') {
      if (!theirs) return { class: 'both refuse', finding: false };
      const why = PEM_STRICTER[outcome.code];
      return why ? { class: `deliberate: ${why}`, finding: false } : { class: `Certdesk refuses (${outcome.code}), OpenSSL reads a certificate`, finding: true };
    }
    // A TRUSTED CERTIFICATE block (OpenSSL's X509_AUX) is the certificate followed by its trust settings.
    const certificates = (outcome.result as PemBlock[])
      .filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE')
      .map((b) => (b.label === 'TRUSTED CERTIFICATE' ? { ...b, der: firstElement(b.der) } : b));
    if (theirs) {
      // OpenSSL re-encodes what it read (a non-minimal outer length comes back minimal): compare its readings.
      const sameAsTheirs = (der: Uint8Array) => equal(der, theirs) || equal(nodeCertificate(der) ?? new Uint8Array(0), theirs);
      return certificates.some((b) => sameAsTheirs(b.der)) ? { class: 'same certificate', finding: false } : { class: 'OpenSSL reads a certificate Certdesk’s blocks do not hold', finding: true };
    }
    if (!certificates.some((b) => nodeCertificate(b.der))) return { class: 'no readable certificate for either', finding: false };
    return { class: `Certdesk reads a certificate block OpenSSL's PEM reader refuses (${leniency(text)})`, finding: false };
  },
};

/** The first DER element of `bytes` (as far as its header says). */
function firstElement(bytes: Uint8Array): Uint8Array {
  const first = bytes[1] ?? 0;
  if (first < 0x80) return bytes.subarray(0, 2 + first);
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  return bytes.subarray(0, 2 + count + length);
}

/** Whether every character of `line` passes `test` (a loop: a regular expression over a 14 MB line overflows V8's stack). */
function every(line: string, test: (code: number) => boolean): boolean {
  for (let i = 0; i < line.length; i++) if (!test(line.charCodeAt(i))) return false;
  return true;
}

const isBase64 = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || c === 0x3d;
const isBlank = (c: number) => c === 0x20 || c === 0x09;

/** Whether a BEGIN line has text after its closing dashes (the line must end in a newline). */
function textOnBeginLine(line: string): boolean {
  const begin = line.indexOf('-----BEGIN ');
  if (begin < 0) return false;
  const close = line.indexOf('-----', begin + 11);
  return close >= 0 && /\S/.test(line.slice(close + 5));
}

/**
 * Why RFC 7468 §3's lax reading finds a block OpenSSL's strict one does not. Line by line with
 * plain loops, so that its work is linear in the text and its stack constant (mutations reach 15 MB).
 */
export function leniency(text: string): string {
  if (text.startsWith('\uFEFF') || text.includes('\u0000')) return 'byte order mark or UTF-16 text';
  if (/\r(?!\n)/.test(text)) return 'CR line endings';
  const lines = text.replace(/\r/g, '').split('\n');
  // Each line but the last ends in a newline.
  if (lines.slice(0, -1).some(textOnBeginLine)) return 'text on the BEGIN line';
  if (lines.some((line) => line.length >= 65 && every(line, isBase64))) return 'base64 lines longer than 64 characters';
  if (lines.some((line) => every(line, isBlank)) || text.includes(' ') || text.includes('\t')) return 'whitespace or blank lines inside the base64';
  return 'other RFC 7468 §3 leniency';
}
