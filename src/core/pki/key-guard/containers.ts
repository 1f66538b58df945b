/**
 * Containers a key can be packed into, opened so that what is inside gets scanned too: .zip
 * entries (APPNOTE.TXT §4.3.7 local file headers, found anywhere in the bytes, stored or
 * deflated), gzip members anywhere (RFC 1952 §2.3), a zlib stream at the start (RFC 1950), and
 * the compressed text chunks of a PNG (PNG §11.3.4.4 zTXt, §11.3.4.5 iTXt). Formats that cannot
 * be opened here (encrypted zip entries, other compression methods, xz, bzip2, 7-Zip …) are
 * reported as unreadable: what cannot be looked into cannot be cleared.
 *
 * Decompression is bounded: pako inflates in 64 KB output chunks and every chunk is charged to
 * the scan's budget before it is kept, so a zip bomb stops at the budget, not at memory's end.
 * Damaged compressed data yields what decodes before the damage; a damaged .zip entry, .gz file
 * or PNG text is unreadable as well, since what follows the damage was not seen.
 */
import { Inflate } from 'pako';

/** Something found inside a container, to be scanned in turn. */
export interface ContainerPart {
  bytes: Uint8Array;
  /** A path segment, for archive entries ("keys/server.pem"). */
  name?: string;
  /** How it was packed ("inside gzip data"), for compressed streams. */
  layer?: string;
}

/** What the scan lets a container spend; each call throws once the scan's limit is passed. */
export interface ContainerBudget {
  /** Compressed bytes about to be read: windows can overlap in a hostile file, so reading is work too. */
  read(bytes: number): void;
  /** Decompressed bytes about to be kept. */
  inflate(bytes: number): void;
  /** One more archive entry or compressed member. */
  entry(): void;
}

export interface ContainerContents {
  parts: ContainerPart[];
  /** Parts that cannot be looked into, said as a clause: 'entry "a.key" is encrypted'. */
  unreadable: string[];
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/**
 * Raw DEFLATE (RFC 1951) of `data`, bounded by the budget; stops at the end of the stream.
 * `complete` is false when the data is damaged or cut off before the stream's end.
 */
export function inflateRaw(data: Uint8Array, budget: ContainerBudget): { bytes: Uint8Array; complete: boolean } {
  budget.read(data.length);
  const inflater = new Inflate({ raw: true, chunkSize: 64 * 1024 });
  const chunks: Uint8Array[] = [];
  let size = 0;
  inflater.onData = (chunk) => {
    budget.inflate(chunk.length);
    chunks.push(chunk);
    size += chunk.length;
  };
  // A failed inflate keeps what came out before the damage.
  inflater.push(data, true);
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return { bytes: out, complete: inflater.ended && inflater.err === 0 };
}

/** Where the four-byte signature next occurs in b[from, to), or -1. */
function indexOfSignature(b: Uint8Array, s0: number, s1: number, s2: number, s3: number, from: number, to = b.length): number {
  for (let i = b.indexOf(s0, from); i >= 0 && i + 4 <= to; i = b.indexOf(s0, i + 1)) {
    if (b[i + 1] === s1 && b[i + 2] === s2 && b[i + 3] === s3) return i;
  }
  return -1;
}

/** The ZIP64 extended information extra field's compressed size (APPNOTE §4.5.3), if there is one. */
function zip64CompressedSize(extra: Uint8Array, usizeMissing: boolean): number | undefined {
  for (let at = 0; at + 4 <= extra.length; at += 4 + u16(extra, at + 2)) {
    if (u16(extra, at) !== 0x0001) continue;
    const offset = at + 4 + (usizeMissing ? 8 : 0);
    if (offset + 8 > extra.length) return undefined;
    const high = u32(extra, offset + 4);
    return high > 0x1fffff ? undefined : high * 2 ** 32 + u32(extra, offset);
  }
  return undefined;
}

/** Every .zip entry whose local header is in `b` (a self-extracting or prefixed archive too). */
function zipEntries(b: Uint8Array, budget: ContainerBudget, out: ContainerContents): void {
  for (let pos = indexOfSignature(b, 0x50, 0x4b, 3, 4, 0); pos >= 0; pos = indexOfSignature(b, 0x50, 0x4b, 3, 4, pos + 4)) {
    if (pos + 30 > b.length || (b[pos + 4]! & 0xff) > 63) continue;
    const flags = u16(b, pos + 6);
    const method = u16(b, pos + 8);
    const nameLength = u16(b, pos + 26);
    const extraLength = u16(b, pos + 28);
    const dataStart = pos + 30 + nameLength + extraLength;
    if (dataStart > b.length) continue;
    const name = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(pos + 30, pos + 30 + Math.min(nameLength, 1024)));
    let compressed: number | undefined = u32(b, pos + 18);
    if (compressed === 0xffffffff) compressed = zip64CompressedSize(b.subarray(pos + 30 + nameLength, dataStart), u32(b, pos + 22) === 0xffffffff);
    // Bit 3: sizes follow the data (a data descriptor), so they are not known here.
    if (flags & 0x08) compressed = undefined;
    if (name.endsWith('/') && compressed === 0) continue;
    budget.entry();
    if (flags & 0x01) {
      out.unreadable.push(`entry "${name}" is encrypted`);
      continue;
    }
    let end = compressed === undefined ? b.length : Math.min(b.length, dataStart + compressed);
    if (compressed === undefined) {
      // Size unknown: up to the next zip record (data descriptor, entry or directory), searched
      // only up to the next entry, so that the windows of all entries together stay linear.
      const entry = indexOfSignature(b, 0x50, 0x4b, 3, 4, dataStart);
      const limit = entry >= 0 ? entry : b.length;
      const descriptor = indexOfSignature(b, 0x50, 0x4b, 7, 8, dataStart, limit);
      const directory = indexOfSignature(b, 0x50, 0x4b, 1, 2, dataStart, limit);
      end = Math.min(...[descriptor, directory, limit].filter((n) => n >= 0));
    }
    const data = b.subarray(dataStart, end);
    if (method === 0) out.parts.push({ bytes: data, name });
    else if (method === 8) {
      const inflated = inflateRaw(data, budget);
      out.parts.push({ bytes: inflated.bytes, name });
      if (!inflated.complete) out.unreadable.push(`entry "${name}" is damaged or cut off, so not all of it can be read`);
    } else out.unreadable.push(`entry "${name}" is compressed with method ${method}, which Certdesk cannot open`);
  }
}

/** Every gzip member in `b`: magic 1F 8B, CM 8, no reserved flags (RFC 1952 §2.3.1), XFL 0/2/4, a known OS. */
function gzipMembers(b: Uint8Array, budget: ContainerBudget, out: ContainerContents): void {
  for (let pos = b.indexOf(0x1f); pos >= 0 && pos + 10 <= b.length; pos = b.indexOf(0x1f, pos + 1)) {
    if (b[pos + 1] !== 0x8b || b[pos + 2] !== 8) continue;
    const flags = b[pos + 3]!;
    const xfl = b[pos + 8]!;
    const os = b[pos + 9]!;
    if (flags & 0xe0 || (xfl !== 0 && xfl !== 2 && xfl !== 4) || (os > 13 && os !== 255)) continue;
    let at = pos + 10;
    if (flags & 0x04) at += 2 + (at + 2 <= b.length ? u16(b, at) : 0); // FEXTRA
    let name: string | undefined;
    for (const flag of [0x08, 0x10]) {
      // FNAME, FCOMMENT: zero-terminated Latin-1
      if (!(flags & flag)) continue;
      const zero = b.indexOf(0, at);
      if (zero < 0) break;
      if (flag === 0x08) name = new TextDecoder('latin1').decode(b.subarray(at, Math.min(zero, at + 256)));
      at = zero + 1;
    }
    if (flags & 0x02) at += 2; // FHCRC
    if (at >= b.length) continue;
    budget.entry();
    const inflated = inflateRaw(b.subarray(at), budget);
    out.parts.push({ bytes: inflated.bytes, layer: name ? `inside gzip data ("${name}")` : 'inside gzip data' });
    // A whole .gz that cannot be read to its end hides its rest; elsewhere a broken stream is noise.
    if (pos === 0 && !inflated.complete) out.unreadable.push('its gzip data is damaged or cut off, so not all of it can be read');
  }
}

/** A zlib stream (RFC 1950 §2.2) at the start: CM 8, window ≤ 32 KB, no preset dictionary, FCHECK. */
function zlibStream(b: Uint8Array, budget: ContainerBudget, out: ContainerContents): void {
  if (b.length < 3 || (b[0]! & 0x0f) !== 8 || b[0]! >> 4 > 7 || b[1]! & 0x20 || ((b[0]! << 8) | b[1]!) % 31 !== 0) return;
  budget.entry();
  // Two header bytes match by chance in 1 of ~2,000 files: a stream that does not decode is not reported.
  out.parts.push({ bytes: inflateRaw(b.subarray(2), budget).bytes, layer: 'inside zlib data' });
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The compressed text chunks of a PNG (uncompressed tEXt and iTXt are scanned as the file's own bytes). */
function pngText(b: Uint8Array, budget: ContainerBudget, out: ContainerContents): void {
  if (!PNG_SIGNATURE.every((v, i) => b[i] === v)) return;
  const latin1 = new TextDecoder('latin1');
  for (let pos = 8; pos + 12 <= b.length; ) {
    const length = ((b[pos]! << 24) | (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!) >>> 0;
    const type = latin1.decode(b.subarray(pos + 4, pos + 8));
    const data = b.subarray(pos + 8, Math.min(b.length, pos + 8 + length));
    pos += 12 + length;
    if (type !== 'zTXt' && type !== 'iTXt') continue;
    const zero = data.indexOf(0);
    if (zero < 0) continue;
    const keyword = latin1.decode(data.subarray(0, Math.min(zero, 79)));
    let text: number;
    if (type === 'zTXt') text = zero + 2;
    else {
      if (data[zero + 1] !== 1) continue; // uncompressed iTXt
      const language = data.indexOf(0, zero + 3);
      const translated = language < 0 ? -1 : data.indexOf(0, language + 1);
      if (translated < 0) continue;
      text = translated + 1;
    }
    if (text + 2 > data.length) continue;
    budget.entry();
    const inflated = inflateRaw(data.subarray(text + 2), budget);
    out.parts.push({ bytes: inflated.bytes, layer: `in the PNG's compressed "${keyword}" text` });
    if (!inflated.complete) out.unreadable.push(`its compressed "${keyword}" text is damaged, so not all of it can be read`);
  }
}

/** Archive and compression formats that cannot be opened here, by their magic (at the start). */
const UNREADABLE_FORMATS: { magic: number[]; name: string }[] = [
  { magic: [0x42, 0x5a, 0x68], name: 'a bzip2 archive' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'an xz archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-Zip archive' },
  { magic: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], name: 'a RAR archive' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'a Zstandard archive' },
  { magic: [0x04, 0x22, 0x4d, 0x18], name: 'an LZ4 archive' },
  { magic: [0x4d, 0x53, 0x43, 0x46, 0, 0, 0, 0], name: 'a Windows cabinet (.cab)' },
];

/** bzip2: "BZh", a block size digit, then the block magic π or the end-of-stream magic √π. */
function isBzip2(b: Uint8Array): boolean {
  const block = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
  const end = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];
  return b[3]! >= 0x31 && b[3]! <= 0x39 && (block.every((v, i) => b[4 + i] === v) || end.every((v, i) => b[4 + i] === v));
}

/** Everything packed inside `b`, opened as far as the budget allows. */
export function openContainers(b: Uint8Array, budget: ContainerBudget): ContainerContents {
  const out: ContainerContents = { parts: [], unreadable: [] };
  const other = UNREADABLE_FORMATS.find(({ magic, name }) => magic.every((v, i) => b[i] === v) && (name !== 'a bzip2 archive' || isBzip2(b)));
  if (other) out.unreadable.push(`it is ${other.name}, which Certdesk cannot open`);
  zlibStream(b, budget, out);
  pngText(b, budget, out);
  zipEntries(b, budget, out);
  gzipMembers(b, budget, out);
  return out;
}
