/**
 * DER-aware mutations: the input is read into a tree of elements (descending into OCTET STRINGs
 * and BIT STRINGs that carry DER, as extension values, keys and PKCS#12 bags do), one to a few
 * structural changes are made, and the tree is written back with each element's length as the
 * change asks for — minimal, non-minimal, huge, reserved, indefinite, or simply wrong.
 *
 * The changes are the hostile classes of ../shared/RELIABILITY.md: other tags (multi-byte ones
 * with a thousand continuation octets too), non-minimal and huge lengths, inserted, deleted,
 * duplicated (up to a hundred thousand times) and swapped elements, subtrees spliced in from
 * other corpus entries, nesting thousands deep, inflated OIDs, strings, INTEGERs (iteration
 * counts, key sizes) and salts, invalid times, BER segmented strings, truncation, trailing bytes.
 */
import { concatBytes } from '../../../src/core/pki/asn1/bytes';
import type { Rng } from '../rng';
import { mutateBytes } from './bytes';

/** How an element's length octets are written. */
type LengthForm =
  | { kind: 'minimal' }
  | { kind: 'non-minimal'; extra: number }
  | { kind: 'long-for-short' }
  | { kind: 'delta'; delta: number }
  | { kind: 'indefinite'; endOfContents: boolean }
  | { kind: 'raw'; octets: Uint8Array };

export interface DerNode {
  /** The identifier octet; `tagOctets` replaces it when set (multi-byte tags). */
  tag: number;
  tagOctets?: Uint8Array;
  content?: Uint8Array;
  children?: DerNode[];
  /** A primitive OCTET STRING or BIT STRING whose contents are DER: `prefix` is the unused-bits octet. */
  wrapped?: { prefix: Uint8Array; children: DerNode[] };
  length?: LengthForm;
  /** Already-written elements that stand here as they are (long runs of duplicates). */
  raw?: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Reading and writing

interface Header {
  tag: number;
  contentStart: number;
  contentEnd: number;
  indefinite: boolean;
}

function header(bytes: Uint8Array, pos: number, end: number): Header | undefined {
  if (pos + 2 > end) return undefined;
  const tag = bytes[pos]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  const first = bytes[pos + 1]!;
  if (first === 0x80) return tag & 0x20 ? { tag, contentStart: pos + 2, contentEnd: -1, indefinite: true } : undefined;
  if (first < 0x80) return pos + 2 + first <= end ? { tag, contentStart: pos + 2, contentEnd: pos + 2 + first, indefinite: false } : undefined;
  const count = first & 0x7f;
  if (count > 4 || pos + 2 + count > end) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[pos + 2 + i]!;
  const contentStart = pos + 2 + count;
  return contentStart + length <= end ? { tag, contentStart, contentEnd: contentStart + length, indefinite: false } : undefined;
}

/** The elements between `start` and `end`, or undefined when they do not parse exactly. */
function parseList(bytes: Uint8Array, start: number, end: number, depth: number): DerNode[] | undefined {
  const out: DerNode[] = [];
  let pos = start;
  while (pos < end) {
    const parsed = parseOne(bytes, pos, end, depth);
    if (!parsed) return undefined;
    out.push(parsed.node);
    pos = parsed.end;
  }
  return out;
}

function parseOne(bytes: Uint8Array, pos: number, end: number, depth: number): { node: DerNode; end: number } | undefined {
  if (depth > 64) return undefined;
  const h = header(bytes, pos, end);
  if (!h) return undefined;
  if (h.indefinite) {
    const children: DerNode[] = [];
    let at = h.contentStart;
    for (;;) {
      if (at + 2 > end) return undefined;
      if (bytes[at] === 0 && bytes[at + 1] === 0) return { node: { tag: h.tag, children, length: { kind: 'indefinite', endOfContents: true } }, end: at + 2 };
      const child = parseOne(bytes, at, end, depth + 1);
      if (!child) return undefined;
      children.push(child.node);
      at = child.end;
    }
  }
  const content = bytes.subarray(h.contentStart, h.contentEnd);
  if (h.tag & 0x20) {
    const children = parseList(bytes, h.contentStart, h.contentEnd, depth + 1);
    return { node: children ? { tag: h.tag, children } : { tag: h.tag, content: content.slice() }, end: h.contentEnd };
  }
  const node: DerNode = { tag: h.tag, content: content.slice() };
  // OCTET STRING / BIT STRING contents that are themselves DER (extension values, keys, bags).
  const skip = h.tag === 0x03 ? 1 : h.tag === 0x04 ? 0 : -1;
  if (skip >= 0 && content.length > skip + 1 && (skip === 0 || content[0] === 0) && (content[skip]! & 0x20 || content[skip] === 0x02 || content[skip] === 0x06)) {
    const inner = parseList(content, skip, content.length, depth + 1);
    if (inner?.length) node.wrapped = { prefix: content.slice(0, skip), children: inner };
  }
  return { node, end: h.contentEnd };
}

/** The tree of `bytes`, or undefined when they are not one element (possibly followed by others). */
export function parseDer(bytes: Uint8Array): DerNode[] | undefined {
  return parseList(bytes, 0, bytes.length, 0);
}

function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** The length octets and trailer of a node whose body is `bodyLength` long, by its LengthForm. */
function frame(node: DerNode, bodyLength: number): { head: number[]; trailer: number } {
  const form = node.length ?? { kind: 'minimal' };
  switch (form.kind) {
    case 'minimal':
      return { head: lengthOctets(bodyLength), trailer: 0 };
    case 'non-minimal': {
      const minimal = lengthOctets(bodyLength);
      const digits = minimal.length === 1 ? [bodyLength] : minimal.slice(1);
      const padded = [...new Array<number>(form.extra).fill(0), ...digits];
      return { head: [0x80 | padded.length, ...padded], trailer: 0 };
    }
    case 'long-for-short':
      return { head: bodyLength < 0x80 ? [0x81, bodyLength] : lengthOctets(bodyLength), trailer: 0 };
    case 'delta':
      return { head: lengthOctets(Math.max(0, bodyLength + form.delta)), trailer: 0 };
    case 'indefinite':
      return { head: [0x80], trailer: form.endOfContents ? 2 : 0 };
    case 'raw':
      return { head: [...form.octets], trailer: 0 };
  }
}

/** Sizes of every node's body, measured once per serialization (the tree is written in one pass). */
function measure(node: DerNode, bodies: Map<DerNode, number>): number {
  if (node.raw) return node.raw.length;
  let body = 0;
  if (node.children) for (const c of node.children) body += measure(c, bodies);
  else if (node.wrapped) {
    body = node.wrapped.prefix.length;
    for (const c of node.wrapped.children) body += measure(c, bodies);
  } else body = node.content?.length ?? 0;
  bodies.set(node, body);
  const { head, trailer } = frame(node, body);
  return (node.tagOctets?.length ?? 1) + head.length + body + trailer;
}

function write(node: DerNode, out: Uint8Array, at: number, bodies: Map<DerNode, number>): number {
  if (node.raw) {
    out.set(node.raw, at);
    return at + node.raw.length;
  }
  if (node.tagOctets) {
    out.set(node.tagOctets, at);
    at += node.tagOctets.length;
  } else out[at++] = node.tag;
  const { head, trailer } = frame(node, bodies.get(node)!);
  out.set(head, at);
  at += head.length;
  if (node.children) for (const c of node.children) at = write(c, out, at, bodies);
  else if (node.wrapped) {
    out.set(node.wrapped.prefix, at);
    at += node.wrapped.prefix.length;
    for (const c of node.wrapped.children) at = write(c, out, at, bodies);
  } else if (node.content) {
    out.set(node.content, at);
    at += node.content.length;
  }
  return at + trailer; // the end-of-contents octets are zero already
}

/** Writes nodes back; lengths follow each node's LengthForm. */
export function serialize(nodes: readonly DerNode[]): Uint8Array {
  const bodies = new Map<DerNode, number>();
  let total = 0;
  for (const n of nodes) total += measure(n, bodies);
  const out = new Uint8Array(total);
  let at = 0;
  for (const n of nodes) at = write(n, out, at, bodies);
  return out;
}

function serializeOne(node: DerNode): Uint8Array {
  return serialize([node]);
}

// ---------------------------------------------------------------------------------------------
// Interesting values

const enc = new TextEncoder();
const TAGS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1c, 0x1e, 0x23, 0x24, 0x2c, 0x30, 0x31,
  0x40, 0x60, 0x80, 0x81, 0x82, 0x83, 0x84, 0x86, 0x87, 0x88, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa8, 0xc0, 0xe0,
];

const tlv = (tag: number, content: Uint8Array | number[]): DerNode => ({ tag, content: Uint8Array.from(content) });
const text = (tag: number, s: string): DerNode => ({ tag, content: enc.encode(s) });

/** Elements worth inserting anywhere: each is a hostile value of its type or a plain one. */
const INSERTS: (() => DerNode)[] = [
  () => tlv(0x05, []),
  () => tlv(0x05, [0]),
  () => tlv(0x02, [0]),
  () => tlv(0x02, []),
  () => tlv(0x02, [0x00, 0x7f]),
  () => tlv(0x02, [0xff]),
  () => tlv(0x01, [0xff]),
  () => tlv(0x01, [0x01]),
  () => ({ tag: 0x30, children: [] }),
  () => ({ tag: 0x31, children: [] }),
  () => ({ tag: 0xa0, children: [] }),
  () => tlv(0x00, []),
  () => text(0x17, '250101000000Z'),
  () => text(0x17, '251301000000Z'),
  () => text(0x17, '250230000000Z'),
  () => text(0x17, '250101250000Z'),
  () => text(0x17, '2501010000Z'),
  () => text(0x18, '20250101000000Z'),
  () => text(0x18, '20250101000000.5Z'),
  () => text(0x18, '99991231235960Z'),
  () => tlv(0x06, [0x2a, 0x03]),
  () => tlv(0x06, [0x55, 0x1d, 0x11]),
  () => tlv(0x06, [0x80, 0x01]),
  () => tlv(0x06, []),
  () => text(0x0c, 'x'),
  () => tlv(0x0c, [0xc3, 0x28]),
  () => tlv(0x0c, [0x00]),
  () => tlv(0x1e, [0x00]),
  () => tlv(0x1e, [0xd8, 0x00]),
  () => tlv(0x1c, [0, 0x11, 0, 0]),
  () => text(0x13, 'a@b'),
  () => tlv(0x16, [0x80]),
  () => text(0x16, 'xn--a.example'),
  () => text(0x16, '*.*.example.com'),
  () => tlv(0x03, [0x07, 0x80]),
  () => tlv(0x03, [0x08]),
  () => tlv(0x03, [0x01]),
  () => tlv(0x04, []),
  () => tlv(0x87, [192, 0, 2]),
  () => tlv(0x82, [0x2e]),
];

/** INTEGER contents: boundaries of iteration counts, versions, key sizes, exponents, lengths. */
function interestingInteger(rng: Rng): Uint8Array {
  return rng.pick<() => Uint8Array>([
    () => new Uint8Array(0),
    () => Uint8Array.of(0),
    () => Uint8Array.of(1),
    () => Uint8Array.of(2),
    () => Uint8Array.of(3),
    () => Uint8Array.of(0x7f),
    () => Uint8Array.of(0x00, 0x80),
    () => Uint8Array.of(0x80),
    () => Uint8Array.of(0xff),
    () => Uint8Array.of(0x00, 0x00, 0x01),
    () => Uint8Array.of(0x7f, 0xff, 0xff, 0xff),
    () => Uint8Array.of(0x00, 0x80, 0x00, 0x00, 0x00),
    () => Uint8Array.of(0x00, 0xff, 0xff, 0xff, 0xff),
    () => Uint8Array.of(0x05, 0xf5, 0xe1, 0x00),
    () => Uint8Array.of(0x05, 0xf5, 0xe1, 0x01),
    () => Uint8Array.of(0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00),
    () => Uint8Array.of(0x01, 0x86, 0xa0),
    () => Uint8Array.of(0x09, 0x27, 0xc0),
    () => Uint8Array.from({ length: rng.pick([21, 513, 1025, 1100]) }, (_, i) => (i === 0 ? 0x7f : 0xff)),
  ])();
}

/** A size for inflation: mostly around a limit, rarely far beyond one (file size stays ≤ ~10 MB). */
function inflatedSize(rng: Rng): number {
  return rng.weighted<number>([
    [35, rng.pick([127, 128, 129, 200])],
    [30, rng.pick([1024, 1025, 4096])],
    [25, rng.pick([10_000, 65_536])],
    [8, rng.pick([254 * 1024, 1024 * 1024])],
    [2, rng.pick([9 * 1024 * 1024, 10 * 1024 * 1024 + 1])],
  ]);
}

function hugeOid(size: number): Uint8Array {
  const out = new Uint8Array(size).fill(0x81);
  out[0] = 0x2a;
  out[size - 1] = 0x01;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutations

interface Site {
  node: DerNode;
  /** The list the node sits in (top level, children, or wrapped children). */
  siblings: DerNode[];
  depth: number;
}

function sites(nodes: DerNode[], depth = 0, out: Site[] = []): Site[] {
  for (const node of nodes) {
    out.push({ node, siblings: nodes, depth });
    if (node.children) sites(node.children, depth + 1, out);
    if (node.wrapped) sites(node.wrapped.children, depth + 1, out);
  }
  return out;
}

function clone(node: DerNode): DerNode {
  const out: DerNode = { tag: node.tag };
  if (node.tagOctets) out.tagOctets = node.tagOctets;
  if (node.content) out.content = node.content;
  if (node.children) out.children = node.children.map(clone);
  if (node.wrapped) out.wrapped = { prefix: node.wrapped.prefix, children: node.wrapped.children.map(clone) };
  if (node.length) out.length = node.length;
  if (node.raw) out.raw = node.raw;
  return out;
}

/** The contents of a node as bytes, whatever its form (for tag changes that switch form). */
function contentBytes(node: DerNode): Uint8Array {
  if (node.children) return serialize(node.children);
  if (node.wrapped) return concatBytes(node.wrapped.prefix, serialize(node.wrapped.children));
  return node.content ?? new Uint8Array(0);
}

function setContent(node: DerNode, content: Uint8Array): void {
  delete node.children;
  delete node.wrapped;
  node.content = content;
}

type Operation = (rng: Rng, all: Site[], donors: () => DerNode[] | undefined) => void;

const operations: readonly (readonly [number, Operation])[] = [
  // Another tag, keeping contents; constructed ↔ primitive where the bit changes.
  [10, (rng, all) => {
    const { node } = rng.pick(all);
    const tag = rng.chance(0.15) ? node.tag ^ 0x20 : rng.pick(TAGS);
    const bytes = contentBytes(node);
    node.tag = tag;
    if (tag & 0x20) {
      const kids = parseDer(bytes);
      if (kids) {
        delete node.content;
        delete node.wrapped;
        node.children = kids;
      } else setContent(node, bytes);
    } else setContent(node, bytes);
  }],
  // Multi-byte tags (X.690 §8.1.2.4), up to a thousand continuation octets.
  [2, (rng, all) => {
    const { node } = rng.pick(all);
    const count = rng.pick([1, 2, 5, 1000]);
    node.tagOctets = Uint8Array.from([0x1f | (node.tag & 0xe0), ...new Array<number>(count - 1).fill(0x81), rng.below(0x80)]);
  }],
  // Lengths: non-minimal, long form for short, huge, over four octets, reserved, indefinite, wrong.
  [12, (rng, all) => {
    const { node } = rng.pick(all);
    node.length = rng.pick<() => LengthForm>([
      () => ({ kind: 'non-minimal', extra: rng.pick([1, 1, 2, 3]) }),
      () => ({ kind: 'long-for-short' }),
      () => ({ kind: 'delta', delta: rng.pick([-2, -1, 1, 2, 100, -100]) }),
      () => ({ kind: 'indefinite', endOfContents: rng.chance(0.8) }),
      () => ({ kind: 'raw', octets: Uint8Array.of(0x84, 0xff, 0xff, 0xff, 0xff) }),
      () => ({ kind: 'raw', octets: Uint8Array.of(0x84, 0x7f, 0xff, 0xff, 0xff) }),
      () => ({ kind: 'raw', octets: Uint8Array.of(0x85, 0x00, 0x00, 0x00, 0x00, 0x01) }),
      () => ({ kind: 'raw', octets: Uint8Array.of(0x89, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff) }),
      () => ({ kind: 'raw', octets: Uint8Array.of(0xff) }),
      () => ({ kind: 'raw', octets: Uint8Array.of(0x81) }),
    ])();
  }],
  // Insert a hostile or plain element, or one from another corpus entry.
  [10, (rng, all, donors) => {
    const site = rng.pick(all);
    const donor = rng.chance(0.3) ? donors() : undefined;
    const element = donor?.length ? clone(rng.pick(sites(donor)).node) : rng.pick(INSERTS)();
    const into = site.node.children ?? site.node.wrapped?.children;
    if (into && rng.chance(0.5)) into.splice(rng.below(into.length + 1), 0, element);
    else site.siblings.splice(rng.below(site.siblings.length + 1), 0, element);
  }],
  [8, (rng, all) => {
    const site = rng.pick(all);
    const at = site.siblings.indexOf(site.node);
    if (site.siblings.length > 1 || site.depth > 0) site.siblings.splice(at, 1);
  }],
  // Duplicate: once, or a hundred thousand times ("a hundred thousand empty elements").
  [6, (rng, all) => {
    const site = rng.pick(all);
    const at = site.siblings.indexOf(site.node);
    const one = serializeOne(site.node);
    const times = rng.weighted<number>([[75, 1], [15, rng.pick([10, 100])], [8, 1000], [2, 100_000]]);
    const count = Math.max(1, Math.min(times, Math.floor(4_000_000 / Math.max(one.length, 1))));
    if (count === 1) {
      site.siblings.splice(at, 0, clone(site.node));
      return;
    }
    const run = new Uint8Array(one.length * count);
    for (let i = 0; i < count; i++) run.set(one, i * one.length);
    site.siblings.splice(at, 0, { tag: site.node.tag, raw: run });
  }],
  [4, (rng, all) => {
    const site = rng.pick(all);
    if (site.siblings.length < 2) return;
    const i = rng.below(site.siblings.length);
    const j = rng.below(site.siblings.length);
    [site.siblings[i], site.siblings[j]] = [site.siblings[j]!, site.siblings[i]!];
  }],
  // Splice: replace an element by one from another corpus entry.
  [8, (rng, all, donors) => {
    const donor = donors();
    if (!donor?.length) return;
    const site = rng.pick(all);
    site.siblings[site.siblings.indexOf(site.node)] = clone(rng.pick(sites(donor)).node);
  }],
  // Nest deeply, past every depth limit (written out at once: deep trees would overflow the stack).
  [4, (rng, all) => {
    const site = rng.pick(all);
    const depth = rng.pick([2, 29, 30, 31, 33, 100, 1000, 5000]);
    const tag = rng.pick([0x30, 0x31, 0xa0, 0x30]);
    const inner = serializeOne(site.node);
    const heads: number[][] = [];
    let length = inner.length;
    for (let i = 1; i < depth; i++) {
      const head = [tag, ...lengthOctets(length)];
      heads.push(head);
      length += head.length;
    }
    const bytes = new Uint8Array(length);
    let at = 0;
    for (let i = heads.length - 1; i >= 0; i--) {
      bytes.set(heads[i]!, at);
      at += heads[i]!.length;
    }
    bytes.set(inner, at);
    site.siblings[site.siblings.indexOf(site.node)] = { tag, content: bytes };
  }],
  // Inflate an OID, a string, an OCTET STRING (a salt), a BIT STRING.
  [5, (rng, all) => {
    const prims = all.filter((s) => s.node.content && [0x04, 0x06, 0x0c, 0x13, 0x16, 0x1e, 0x03, 0x80, 0x82, 0x86].includes(s.node.tag));
    if (!prims.length) return;
    const { node } = rng.pick(prims);
    const size = inflatedSize(rng);
    if (node.tag === 0x06) setContent(node, hugeOid(size));
    else if (node.tag === 0x1e) setContent(node, new Uint8Array(size & ~1).fill(0x41));
    else {
      const fill = node.tag === 0x03 ? 0 : node.tag === 0x04 ? rng.pick([0, 0x30, 0xa5]) : 0x61;
      setContent(node, new Uint8Array(size).fill(fill));
    }
  }],
  // INTEGER boundaries (versions, iteration counts, key lengths, RSA exponents, serials).
  [8, (rng, all) => {
    const ints = all.filter((s) => s.node.tag === 0x02 || s.node.tag === 0x0a);
    if (ints.length) setContent(rng.pick(ints).node, interestingInteger(rng));
  }],
  // Change a byte of a primitive's contents.
  [12, (rng, all) => {
    const prims = all.filter((s) => s.node.content && s.node.content.length > 0);
    if (!prims.length) return;
    const { node } = rng.pick(prims);
    const c = node.content!.slice();
    const at = rng.below(c.length);
    c[at] = rng.chance(0.5) ? c[at]! ^ (1 << rng.below(8)) : rng.pick([0x00, 0x01, 0x7f, 0x80, 0xff, 0x2e, 0x2a, 0x20, 0x5a]);
    setContent(node, c);
  }],
  // Replace a time with a hostile one.
  [3, (rng, all) => {
    const times = all.filter((s) => s.node.tag === 0x17 || s.node.tag === 0x18);
    if (!times.length) return;
    const node = rng.pick(times).node;
    const value = rng.pick(node.tag === 0x17
      ? ['251301000000Z', '250230000000Z', '250101250000Z', '250101006000Z', '2501010000Z', '250101000000+0100', '25010100000Z', '491231235959Z', '500101000000Z']
      : ['20251301000000Z', '20240230000000Z', '20250101240000Z', '20250101000000.123Z', '2025010100Z', '99991231235959Z', '00000101000000Z', '19500101000000Z']);
    setContent(node, enc.encode(value));
  }],
  // BER segmented OCTET STRING (X.690 §8.7.3), which DER forbids.
  [2, (rng, all) => {
    const octets = all.filter((s) => s.node.tag === 0x04);
    if (!octets.length) return;
    const node = rng.pick(octets).node;
    const c = contentBytes(node);
    const cut = rng.below(c.length + 1);
    delete node.content;
    delete node.wrapped;
    node.tag = 0x24;
    node.children = [{ tag: 0x04, content: c.subarray(0, cut) }, { tag: 0x04, content: c.subarray(cut) }];
  }],
];

/**
 * One mutated input from DER `bytes`; `donor` gives the tree of another corpus entry for
 * splicing. Inputs that do not parse as DER get byte-level changes only.
 */
export function mutateDer(rng: Rng, bytes: Uint8Array, donor: () => Uint8Array | undefined): Uint8Array {
  const tree = rng.chance(0.1) ? undefined : parseDer(bytes);
  if (!tree) return mutateBytes(rng, bytes);
  const donors = () => {
    const d = donor();
    return d ? parseDer(d) : undefined;
  };
  const count = rng.weighted<number>([[60, 1], [25, 2], [10, 3], [5, 5]]);
  for (let i = 0; i < count; i++) {
    const all = sites(tree);
    if (!all.length) break;
    rng.weighted(operations)(rng, all, donors);
  }
  let out = serialize(tree);
  const tail = rng.below(100);
  if (tail < 4) out = out.subarray(0, rng.below(out.length + 1));
  else if (tail < 7) out = concatBytes(out, rng.chance(0.5) ? rng.bytes(rng.smallSize(64)) : out.subarray(0, rng.below(out.length)));
  else if (tail < 12) out = mutateBytes(rng, out);
  return out;
}
