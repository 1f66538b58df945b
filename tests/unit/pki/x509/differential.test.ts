/**
 * The certificate model against OpenSSL in-process (Node's crypto.X509Certificate, whose
 * constructor is d2i_X509): structural mutations of real certificates (openssl-set and the
 * Mozilla roots). Whenever OpenSSL refuses, the model refuses; the model only ever throws
 * CertdeskError; every case where the model refuses and OpenSSL reads the bytes falls in one
 * of the deliberate, cited differences (tests/fuzz/differences.ts, shared with the fuzz campaign).
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CertdeskError } from '../../../../src/core/errors';
import { MalformedCertificateError, parseCertificate } from '../../../../src/core/pki/x509';
import { fixture, fixtureText } from '../../../support/fixtures';
import { CERTIFICATE_STRICTER } from '../../../fuzz/differences';

interface Node {
  tag: number;
  content?: Uint8Array;
  children?: Node[];
  /** Serialise this element's length in one more octet than needed. */
  nonMinimal?: boolean;
  /** Declare a length this far from the real one. */
  lengthDelta?: number;
}

function parseTree(bytes: Uint8Array, start = 0, end = bytes.length): Node[] {
  const out: Node[] = [];
  let pos = start;
  while (pos < end) {
    const tag = bytes[pos]!;
    let length = bytes[pos + 1]!;
    let contentStart = pos + 2;
    if (length & 0x80) {
      const n = length & 0x7f;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + bytes[contentStart + i]!;
      contentStart += n;
    }
    const content = bytes.subarray(contentStart, contentStart + length);
    // Descend into constructed elements only: primitive contents stay opaque bytes.
    out.push(tag & 0x20 ? { tag, children: parseTree(bytes, contentStart, contentStart + length) } : { tag, content: content.slice() });
    pos = contentStart + length;
  }
  return out;
}

function lengthOctets(n: number, nonMinimal: boolean): number[] {
  if (n < 0) n = 0;
  if (n < 0x80 && !nonMinimal) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (nonMinimal) bytes.unshift(0);
  return [0x80 | bytes.length, ...bytes];
}

function serialize(node: Node): number[] {
  const body = node.children ? node.children.flatMap(serialize) : [...node.content!];
  return [node.tag, ...lengthOctets(body.length + (node.lengthDelta ?? 0), node.nonMinimal ?? false), ...body];
}

function allNodes(node: Node, out: { node: Node; parent?: Node }[] = [], parent?: Node): { node: Node; parent?: Node }[] {
  out.push(parent ? { node, parent } : { node });
  for (const child of node.children ?? []) allNodes(child, out, node);
  return out;
}

const TAGS = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x10, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1c, 0x1e, 0x24, 0x2c, 0x30, 0x31, 0x80, 0x81, 0x82, 0xa0, 0xa1, 0xa3, 0xa4];
const INSERTS: Node[] = [
  { tag: 0x05, content: new Uint8Array(0) },
  { tag: 0x02, content: Uint8Array.of(0) },
  { tag: 0x01, content: Uint8Array.of(0xff) },
  { tag: 0x30, children: [] },
  { tag: 0x17, content: new TextEncoder().encode('250101000000Z') },
  { tag: 0x06, content: Uint8Array.of(0x2a, 0x03) },
  { tag: 0x0c, content: new TextEncoder().encode('x') },
];

type Mutation =
  | { op: 'tag'; at: number; tag: number }
  | { op: 'drop'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'insert'; at: number; what: number }
  | { op: 'length'; at: number; delta: number }
  | { op: 'non-minimal'; at: number }
  | { op: 'flip'; at: number; byte: number; xor: number }
  | { op: 'truncate'; keep: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('tag' as const), at: fc.nat(), tag: fc.constantFrom(...TAGS) }),
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), what: fc.nat(INSERTS.length - 1) }),
  fc.record({ op: fc.constant('length' as const), at: fc.nat(), delta: fc.constantFrom(-2, -1, 1, 2) }),
  fc.record({ op: fc.constant('non-minimal' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('truncate' as const), keep: fc.nat() }),
);

const STRING_OR_TIME = new Set([0x0c, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1c, 0x1e]);

function mutate(der: Uint8Array, m: Mutation): Uint8Array {
  if (m.op === 'truncate') return der.subarray(0, m.keep % der.length);
  const root = parseTree(der)[0]!;
  const nodes = allNodes(root);
  if (m.op === 'flip') {
    const strings = nodes.filter(({ node }) => STRING_OR_TIME.has(node.tag) && node.content!.length > 0);
    const target = strings[m.at % strings.length]!.node;
    target.content![m.byte % target.content!.length]! ^= m.xor;
    return Uint8Array.from(serialize(root));
  }
  const { node, parent } = nodes[m.at % nodes.length]!;
  const siblings = parent?.children;
  const index = siblings ? siblings.indexOf(node) : -1;
  switch (m.op) {
    case 'tag':
      node.tag = m.tag;
      if (m.tag & 0x20 && !node.children) node.children = parseTree(node.content!);
      if (!(m.tag & 0x20) && node.children) node.content = Uint8Array.from(node.children.flatMap(serialize));
      break;
    case 'drop':
      if (siblings) siblings.splice(index, 1);
      break;
    case 'duplicate':
      if (siblings) siblings.splice(index, 0, structuredClone(node));
      break;
    case 'insert':
      (node.children ?? siblings ?? []).splice(node.children ? m.at % (node.children.length + 1) : index + 1, 0, structuredClone(INSERTS[m.what]!));
      break;
    case 'length':
      node.lengthDelta = m.delta;
      break;
    case 'non-minimal':
      node.nonMinimal = true;
      break;
  }
  return Uint8Array.from(serialize(root));
}

const pemCertificates = (text: string) => [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/g)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s/g, ''), 'base64')));
const corpus = [
  ...['rsa', 'ec'].flatMap((family) => ['server', 'client', 'ica', 'root', 'selfsigned'].map((n) => fixture('openssl-set', family, `${n}.der`))),
  ...pemCertificates(fixtureText('mozilla-roots.pem')),
];

function opensslReads(bytes: Uint8Array): boolean {
  try {
    new X509Certificate(Buffer.from(bytes));
    return true;
  } catch {
    return false;
  }
}

describe('parseCertificate against OpenSSL (Node X509Certificate) on mutated real certificates', () => {
  it('reads every corpus certificate as OpenSSL does', () => {
    expect(corpus.length).toBe(154);
    for (const der of corpus) expect(() => parseCertificate(der)).not.toThrow();
  });

  it('refuses whatever OpenSSL refuses; every other refusal is a deliberate, cited difference', { timeout: 600_000 }, () => {
    const tally = { runs: 0, bothRead: 0, bothRefuse: 0, deliberate: new Map<string, number>() };
    const failures: string[] = [];
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), mutation, (which, m) => {
        const bytes = mutate(corpus[which]!, m);
        tally.runs++;
        let ours: 'read' | MalformedCertificateError = 'read';
        try {
          parseCertificate(bytes);
        } catch (error) {
          if (!(error instanceof CertdeskError)) failures.push(`raw ${String(error)} for ${JSON.stringify(m)}`);
          else ours = error as MalformedCertificateError;
        }
        const theirs = opensslReads(bytes);
        if (ours === 'read') {
          if (theirs) tally.bothRead++;
          else failures.push(`OpenSSL refuses, the model reads: ${JSON.stringify(m)} on corpus ${which}`);
          return;
        }
        if (!theirs) {
          tally.bothRefuse++;
          return;
        }
        const known = CERTIFICATE_STRICTER.find((d) => d.message.test(ours.message));
        if (known) tally.deliberate.set(known.why, (tally.deliberate.get(known.why) ?? 0) + 1);
        else failures.push(`the model refuses (${ours.detail}), OpenSSL reads: ${JSON.stringify(m)} on corpus ${which}`);
      }),
      // CI: 6,000 fixed-seed runs (~10 s); a longer campaign: X509_DIFF_RUNS=100000 X509_DIFF_SEED=$RANDOM.
      { numRuns: Number(process.env.X509_DIFF_RUNS ?? 6000), seed: Number(process.env.X509_DIFF_SEED ?? 20260601) },
    );
    console.log(
      `differential: ${tally.runs} mutations; both read ${tally.bothRead}, both refuse ${tally.bothRefuse}, deliberate differences:\n` +
        [...tally.deliberate].map(([why, n]) => `  ${n}× ${why}`).join('\n'),
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(tally.runs).toBeGreaterThanOrEqual(5000);
  });
});
