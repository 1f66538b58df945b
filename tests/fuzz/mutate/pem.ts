/**
 * PEM-aware mutations (RFC 7468 and the ways files really arrive): labels changed or mismatched,
 * RFC 1421 headers (legacy encrypted ones too), whitespace and line endings of every kind, the
 * text re-encoded (UTF-8 BOM, UTF-16 LE/BE with and without BOM, UTF-32), look-alike dashes in the
 * armour, junk in the base64, text around and between blocks, blocks cut off, duplicated (up to the
 * bundle limit) or taken from other corpus entries — and the DER inside mutated structurally.
 */
import type { Rng } from '../rng';
import { mutateBytes } from './bytes';
import { mutateDer } from './der';

const LABELS = [
  'CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE', 'CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST', 'PKCS7', 'CERTIFICATE CHAIN',
  'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PUBLIC KEY',
  'X509 CRL', 'EC PARAMETERS', 'certificate', 'CERTIFICATE ', ' CERTIFICATE', '', 'CERT-IFICATE', 'ANY PRIVATE KEY',
];
const DASHES = ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D'];
const JUNK = ['!', '=', '-', '.', '\u00e9', '\u0000', '\u200b', '\ufeff', '*', '%', '\t', ' ', '\u00a0', '-----', '==', '\\n'];
const AROUND = [
  'Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=/CN=x\n',
  'Certificate:\n    Data:\n        Version: 3 (0x2)\n',
  '<html><body>',
  '> ',
  '-----END CERTIFICATE-----\n',
  '-----BEGIN CERTIFICATE-----\n',
  '\n\n\n',
  '{"pem":"',
];

const BLOCK = /-----BEGIN ([^\r\n-]*)-----([\s\S]*?)-----END ([^\r\n-]*)-----/g;

interface Block {
  start: number;
  end: number;
  begin: string;
  body: string;
  endLabel: string;
}

function blocks(text: string): Block[] {
  const out: Block[] = [];
  BLOCK.lastIndex = 0;
  for (let m; (m = BLOCK.exec(text)); ) out.push({ start: m.index, end: m.index + m[0].length, begin: m[1]!, body: m[2]!, endLabel: m[3]! });
  return out;
}

function armour(label: string, der: Uint8Array, width: number, endLabel = label): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = width > 0 ? b64.match(new RegExp(`.{1,${width}}`, 'g')) ?? [''] : [b64];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${endLabel}-----\n`;
}

function replaceBlock(text: string, b: Block, replacement: string): string {
  return text.slice(0, b.start) + replacement + text.slice(b.end);
}

function insertAt(rng: Rng, s: string, what: string): string {
  const at = rng.below(s.length + 1);
  return s.slice(0, at) + what + s.slice(at);
}

type TextOperation = (rng: Rng, text: string, donor: () => string | undefined) => string;

const textOperations: readonly (readonly [number, TextOperation])[] = [
  // The DER inside, structurally.
  [30, (rng, text, donor) => {
    const list = blocks(text);
    if (!list.length) return text;
    const b = rng.pick(list);
    const der = new Uint8Array(Buffer.from(b.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
    const donorDer = () => {
      const d = donor();
      const first = d ? blocks(d)[0] : undefined;
      return first ? new Uint8Array(Buffer.from(first.body.replace(/\s/g, ''), 'base64')) : undefined;
    };
    return replaceBlock(text, b, armour(b.begin, mutateDer(rng, der, donorDer), rng.pick([64, 64, 64, 76, 0, 4])));
  }],
  // Labels.
  [8, (rng, text) => {
    const list = blocks(text);
    if (!list.length) return text;
    const b = rng.pick(list);
    const der = new Uint8Array(Buffer.from(b.body.replace(/\s/g, ''), 'base64'));
    const label = rng.pick(LABELS);
    const which = rng.below(3);
    return replaceBlock(text, b, armour(which === 1 ? b.begin : label, der, 64, which === 0 ? b.endLabel : label));
  }],
  // RFC 1421 headers, legacy encryption among them.
  [5, (rng, text) => {
    const list = blocks(text);
    if (!list.length) return text;
    const b = rng.pick(list);
    const header = rng.pick([
      'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n',
      'Proc-Type: 4,encrypted\nDEK-Info: DES-EDE3-CBC,0011223344556677\n\n',
      'Comment: made by hand\n\n',
      'X-Header: value\n',
      'Proc-Type: 4,MIC-ONLY\n\n',
      ': empty name\n\n',
    ]);
    const at = b.start + `-----BEGIN ${b.begin}-----\n`.length;
    return text.slice(0, at) + header + text.slice(at);
  }],
  // Whitespace and line breaks inside the base64.
  [8, (rng, text) => {
    const list = blocks(text);
    if (!list.length) return text;
    const b = rng.pick(list);
    let body = b.body;
    switch (rng.below(5)) {
      case 0:
        for (let i = rng.smallSize(20); i > 0; i--) body = insertAt(rng, body, rng.pick([' ', '\t', '\n', '\n\n', '  \n']));
        break;
      case 1:
        body = '\n' + body.replace(/\s+/g, '') + '\n';
        break;
      case 2:
        body = body.replace(/\n/g, '\n\n');
        break;
      case 3:
        body = body.replace(/\n/g, ' \n');
        break;
      case 4:
        body = body.replace(/\n/g, '');
        break;
    }
    return text.slice(0, b.start) + `-----BEGIN ${b.begin}-----` + body + `-----END ${b.endLabel}-----` + text.slice(b.end);
  }],
  // Line endings.
  [6, (rng, text) => {
    const mode = rng.below(4);
    if (mode === 0) return text.replace(/\r?\n/g, '\r\n');
    if (mode === 1) return text.replace(/\r?\n/g, '\r');
    if (mode === 2) return text.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r']));
    return text.replace(/\n/g, '\r\r\n');
  }],
  // Look-alike dashes, or the wrong number of plain ones.
  [5, (rng, text) => {
    const dash = rng.pick(DASHES);
    switch (rng.below(4)) {
      case 0:
        return text.replace(/-----/g, dash.repeat(5));
      case 1:
        return text.replace(/-----BEGIN/, `${dash}----BEGIN`);
      case 2:
        return text.replace(/-----/g, '----');
      default:
        return text.replace(/-----/g, '------');
    }
  }],
  // Junk inside the base64, or padding in odd places.
  [8, (rng, text) => {
    const list = blocks(text);
    if (!list.length) return text;
    const b = rng.pick(list);
    let body = b.body;
    switch (rng.below(4)) {
      case 0:
        body = insertAt(rng, body, rng.pick(JUNK));
        break;
      case 1:
        body = body.replace(/=+/g, '');
        break;
      case 2:
        body = insertAt(rng, body, '=');
        break;
      case 3:
        body = body.replace(/\+/g, '-').replace(/\//g, '_');
        break;
    }
    return text.slice(0, b.start) + `-----BEGIN ${b.begin}-----` + body + `-----END ${b.endLabel}-----` + text.slice(b.end);
  }],
  // Text around and between blocks.
  [6, (rng, text) => (rng.chance(0.5) ? rng.pick(AROUND) + text : text + rng.pick(AROUND))],
  // Cut off: no END line, or the file ends inside the body.
  [4, (rng, text) => {
    const list = blocks(text);
    if (!list.length) return text.slice(0, rng.below(text.length + 1));
    const b = rng.pick(list);
    return rng.chance(0.5) ? text.slice(0, b.end - rng.between(1, 30)) : text.slice(0, b.start + rng.below(b.end - b.start));
  }],
  // Duplicated blocks, up to past the bundle limit.
  [4, (rng, text) => {
    const list = blocks(text);
    if (!list.length) return text;
    const b = rng.pick(list);
    const block = text.slice(b.start, b.end) + '\n';
    const size = block.length;
    const times = rng.weighted<number>([[85, 2], [14, 100], [0.8, Math.min(10_000, Math.floor(10_000_000 / size))], [0.2, Math.min(10_001, Math.floor(10_400_000 / size))]]);
    // Never far past the file limit (limits.maxFileBytes): a block that is itself megabytes long
    // (an earlier operation's copies, or one BEGIN up to a far END) repeated 100 times passed
    // JavaScript's string limit and threw in the mutator (seed 1130, execution 56484).
    return text + block.repeat(Math.max(1, Math.min(times, Math.floor(10_400_000 / size))));
  }],
  // Blocks from other corpus entries.
  [5, (rng, text, donor) => {
    const d = donor();
    if (!d) return text;
    return rng.chance(0.5) ? text + d : d + text;
  }],
];

/** How the text is finally encoded into bytes. */
function encodeText(rng: Rng, text: string): Uint8Array {
  const mode = rng.weighted<string>([[80, 'utf8'], [4, 'bom'], [5, 'utf16le-bom'], [3, 'utf16le'], [3, 'utf16be-bom'], [2, 'utf16be'], [1, 'utf32le-bom'], [2, 'latin1']]);
  switch (mode) {
    case 'bom':
      return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    case 'utf16le-bom':
      return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    case 'utf16le':
      return new Uint8Array(Buffer.from(text, 'utf16le'));
    case 'utf16be-bom':
      return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    case 'utf16be':
      return new Uint8Array(Buffer.from(text, 'utf16le').swap16());
    case 'utf32le-bom': {
      const cps = [0xfeff, ...[...text].map((c) => c.codePointAt(0)!)];
      const out = Buffer.alloc(cps.length * 4);
      cps.forEach((cp, i) => out.writeUInt32LE(cp, i * 4));
      return new Uint8Array(out);
    }
    case 'latin1':
      return new Uint8Array(Buffer.from(text, 'latin1'));
    default:
      return new TextEncoder().encode(text);
  }
}

/** One mutated input from PEM text `bytes` (UTF-8); `donor` gives another corpus entry's text. */
export function mutatePem(rng: Rng, bytes: Uint8Array, donor: () => Uint8Array | undefined): Uint8Array {
  if (rng.chance(0.08)) return mutateBytes(rng, bytes);
  let text = new TextDecoder().decode(bytes);
  const donorText = () => {
    const d = donor();
    return d ? new TextDecoder().decode(d) : undefined;
  };
  const count = rng.weighted<number>([[65, 1], [25, 2], [10, 3]]);
  for (let i = 0; i < count; i++) text = rng.weighted(textOperations)(rng, text, donorText);
  const out = encodeText(rng, text);
  return rng.chance(0.05) ? mutateBytes(rng, out) : out;
}
