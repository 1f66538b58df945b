/**
 * The key guard: does a file carry a private key, however it is written or packed? The support
 * package the guide has the admin send to the vendor must never hold one ("Do NOT include any
 * private key files (e.g., .p12, .pfx, or .key files)"), and a file's name or the decoder's
 * opinion of it says nothing about what its bytes hold. So every part of the file is scanned:
 *
 * 1. the bytes themselves, at every offset, for key structures and key file magics (binary.ts);
 * 2. every container inside them, opened and scanned in turn (containers.ts): .zip entries,
 *    gzip members, zlib streams, PNG compressed text;
 * 3. every reading of them as text (text.ts: UTF-8/16/32, NFKC, look-alike dashes) for key
 *    armour, PuTTY and JWK keys, and every base64 or hex run, decoded and scanned in turn.
 *
 * Work is bounded per file (limits.keyGuard: depth, entries, decompressed and scanned bytes); a
 * file that reaches a bound, or holds something that cannot be opened, is "unchecked" and refused
 * as well: what was not read cannot be cleared. Plain data in, plain data out: it runs unchanged
 * in the PKI worker and in Node.
 */
import { throwIfAborted } from '../../errors';
import { limits } from '../limits';
import { displayName } from '../names/display';
import { cutOffDer, derKeys, magicKeys, type KeyHit } from './binary';
import { openContainers, type ContainerBudget } from './containers';
import { encodedRuns, textKeys, textViews } from './text';

import type { KeyFinding, KeyGuardReport, UncheckedPart } from './report';

export type KeyGuardLimits = { -readonly [K in keyof typeof limits.keyGuard]: number };

interface Part {
  bytes: Uint8Array;
  where: string;
  /** How the part was reached, outermost first ("inside gzip data", "in base64 text"). */
  layers: string[];
  depth: number;
  /** A whole file, archive entry or decompressed stream (not a decoded run of text). */
  whole: boolean;
}

/** A bound was reached: the scan stops and the file is unchecked. */
class LimitReached extends Error {
  constructor(
    readonly where: string,
    readonly why: string,
  ) {
    super(why);
  }
}

/** Enough findings to refuse the file: the scan stops. */
class Enough extends Error {}

class Scan {
  readonly findings: KeyFinding[] = [];
  readonly unchecked: UncheckedPart[] = [];
  scanned = 0;
  inflated = 0;
  #entries = 0;
  readonly #seen = new Set<string>();

  constructor(
    readonly limits: KeyGuardLimits,
    readonly signal: AbortSignal | undefined,
  ) {}

  found(part: Part, hit: KeyHit, viewLayer = ''): void {
    const at = hit.offset && part.whole && part.layers.length === 0 ? ` at byte ${hit.offset.toLocaleString('en')}` : '';
    const what = [hit.what + at, ...[...part.layers, viewLayer].filter(Boolean).reverse()].join(' ');
    // The same key seen through two readings of one text (UTF-16 decoded, NULs removed) is one finding.
    const key = `${part.where}\n${hit.what}${at}\n${part.layers.join('\n')}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.findings.push({ kind: hit.kind, where: part.where, what });
    if (this.findings.length >= this.limits.maxFindings) throw new Enough();
  }

  #charge(part: Part, bytes: number): void {
    this.scanned += bytes;
    if (this.scanned > this.limits.maxScannedBytes) {
      throw new LimitReached(part.where, `it decodes to more than ${mb(this.limits.maxScannedBytes)} of content to scan (limits.keyGuard.maxScannedBytes)`);
    }
  }

  scan(part: Part): void {
    throwIfAborted(this.signal);
    const { bytes } = part;
    this.#charge(part, bytes.length);
    for (const hit of derKeys(bytes, this.limits.maxFindings)) this.found(part, hit);
    for (const hit of magicKeys(bytes)) this.found(part, hit);
    const cut = part.whole ? cutOffDer(bytes) : undefined;
    if (cut) {
      this.unchecked.push({
        where: part.where,
        why: `it is DER data cut off after ${cut.present.toLocaleString('en')} of its ${cut.declared.toLocaleString('en')} bytes, so what it holds cannot be told`,
      });
    }
    const budget: ContainerBudget = {
      read: (n) => this.#charge(part, n),
      inflate: (n) => {
        this.inflated += n;
        if (this.inflated > this.limits.maxInflatedBytes) {
          throw new LimitReached(part.where, `it unpacks to more than ${mb(this.limits.maxInflatedBytes)} (limits.keyGuard.maxInflatedBytes), as a zip bomb does`);
        }
      },
      entry: () => {
        if (++this.#entries > this.limits.maxEntries) {
          throw new LimitReached(part.where, `it holds more than ${this.limits.maxEntries.toLocaleString('en')} archive entries or compressed streams (limits.keyGuard.maxEntries)`);
        }
      },
    };
    const contents = openContainers(bytes, budget);
    for (const why of contents.unreadable) this.unchecked.push({ where: part.where, why });
    for (const inner of contents.parts) {
      this.#child(part, {
        bytes: inner.bytes,
        where: inner.name ? `${part.where}/${displayName(inner.name).text}` : part.where,
        layers: inner.layer ? [...part.layers, inner.layer] : part.layers,
        whole: true,
      });
    }
    for (const view of textViews(bytes)) {
      if (view.layer) this.#charge(part, view.text.length);
      for (const hit of textKeys(view, this.limits.maxFindings)) this.found(part, hit, view.layer);
      for (const run of encodedRuns(view.text)) {
        this.#child(part, { bytes: run.bytes, where: part.where, layers: [...part.layers, view.layer, run.layer].filter(Boolean), whole: false });
      }
    }
  }

  #child(parent: Part, part: Omit<Part, 'depth'>): void {
    if (part.bytes.length === 0) return;
    const depth = parent.depth + 1;
    if (depth > this.limits.maxDepth) {
      const why = `it nests containers or encodings more than ${this.limits.maxDepth} deep (limits.keyGuard.maxDepth)`;
      if (!this.unchecked.some((u) => u.where === part.where && u.why === why)) this.unchecked.push({ where: part.where, why });
      return;
    }
    this.scan({ ...part, depth });
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('en')} MB`;

/**
 * Every private key in `file`, and every part of it that could not be checked. Synchronous and
 * bounded by `limits.keyGuard` (tests pass smaller limits); `signal` cancels between parts.
 */
export function findPrivateKeys(
  file: { name: string; bytes: Uint8Array },
  options: { signal?: AbortSignal; limits?: Partial<KeyGuardLimits> } = {},
): KeyGuardReport {
  const scan = new Scan({ ...limits.keyGuard, ...options.limits }, options.signal);
  const where = displayName(file.name).text;
  if (file.bytes.length > limits.maxFileBytes) {
    scan.unchecked.push({ where, why: `it is larger than ${mb(limits.maxFileBytes)} (limits.maxFileBytes)` });
  } else {
    try {
      scan.scan({ bytes: file.bytes, where, layers: [], depth: 0, whole: true });
    } catch (error) {
      if (error instanceof LimitReached) scan.unchecked.push({ where: error.where, why: error.why });
      else if (!(error instanceof Enough)) throw error;
    }
  }
  return { findings: scan.findings, unchecked: scan.unchecked, scannedBytes: scan.scanned, inflatedBytes: scan.inflated };
}
