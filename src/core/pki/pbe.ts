/**
 * Password-based encryption for private keys and PKCS#12 bags:
 * - PBES2 (RFC 8018 §6.2) with PBKDF2 (HMAC-SHA1/224/256/384/512) and AES-128/192/256-CBC or
 *   DES-EDE3-CBC, on WebCrypto;
 * - the PKCS#12 PBE schemes of RFC 7292 appendix C (3-key and 2-key 3DES, 40- and 128-bit RC2)
 *   over the RFC 7292 appendix B key derivation, computed with @noble/hashes, des.js and rc2.ts.
 *
 * It also holds the small DER reader/writer that pkcs12.ts shares: both parse attacker-supplied
 * bytes, so the reader is strict about lengths, bounded in depth (limits.maxAsn1Depth) and
 * accepts BER only where PKCS#12 writers really use it (indefinite lengths, constructed
 * OCTET STRINGs: Windows and Java write those).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import type { CHash, Hash } from '@noble/hashes/utils.js';
import * as des from 'des.js';
import { CertdeskError, throwIfAborted } from '../errors';
import { limits } from './limits';
import { rc2CbcDecrypt, rc2CbcEncrypt, stripPkcs5Padding } from './rc2';
import { sha1Iterate, sha256Iterate } from './sha-iterate';
import type { Pkcs12Preset } from './pkcs12';

// ---------------------------------------------------------------------------------------------
// DER / BER reading

/**
 * Thrown by the reader for structurally broken input. Never leaves the core: each public entry
 * point translates it into a CertdeskError whose code names the format it was reading.
 */
export class MalformedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedError';
  }
}

/** One tag-length-value element inside `buf`. Only low-tag-number identifiers (< 31) exist in PKCS#12. */
export interface Tlv {
  readonly buf: Uint8Array;
  /** The identifier octet: class, constructed bit and tag number. */
  readonly tag: number;
  readonly constructed: boolean;
  readonly start: number;
  readonly contentStart: number;
  /** End of the contents (for indefinite length: where the end-of-contents octets start). */
  readonly contentEnd: number;
  readonly end: number;
  readonly depth: number;
}

/** Reads one element at `offset`, which must end at or before `limit`. */
export function readTlv(buf: Uint8Array, offset = 0, limit = buf.length, depth = 0): Tlv {
  if (depth > limits.maxAsn1Depth) {
    throw new MalformedError(`it is nested deeper than ${limits.maxAsn1Depth} levels (limits.maxAsn1Depth)`);
  }
  if (offset + 2 > limit) throw new MalformedError('it ends in the middle of an element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new MalformedError('it uses a multi-byte ASN.1 tag, which PKCS#12 never does');
  const constructed = (tag & 0x20) !== 0;
  let pos = offset + 1;
  const first = buf[pos++]!;
  if (first === 0x80) {
    // Indefinite length (BER, X.690 §8.1.3.6): contents run to the end-of-contents octets.
    if (!constructed) throw new MalformedError('a primitive element has an indefinite length');
    const contentStart = pos;
    for (;;) {
      if (pos + 2 > limit) throw new MalformedError('an indefinite-length element is not terminated');
      if (buf[pos] === 0 && buf[pos + 1] === 0) {
        return { buf, tag, constructed, start: offset, contentStart, contentEnd: pos, end: pos + 2, depth };
      }
      pos = readTlv(buf, pos, limit, depth + 1).end;
    }
  }
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    if (count > 4) throw new MalformedError('a length field is larger than any file Certdesk accepts');
    if (pos + count > limit) throw new MalformedError('it ends in the middle of a length field');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos++]!;
  }
  const contentStart = pos;
  const end = contentStart + length;
  if (end > limit) throw new MalformedError('a length field points past the end of the data (truncated file?)');
  return { buf, tag, constructed, start: offset, contentStart, contentEnd: end, end, depth };
}

/** Reads a whole buffer as exactly one element (no trailing bytes). */
export function readSingle(buf: Uint8Array, what: string): Tlv {
  const tlv = readTlv(buf, 0, buf.length, 0);
  if (tlv.end !== buf.length) throw new MalformedError(`there are stray bytes after the ${what}`);
  return tlv;
}

/** The elements inside a constructed element. */
export function childrenOf(tlv: Tlv): Tlv[] {
  if (!tlv.constructed) throw new MalformedError('a primitive element was found where a structure belongs');
  const out: Tlv[] = [];
  let pos = tlv.contentStart;
  while (pos < tlv.contentEnd) {
    const child = readTlv(tlv.buf, pos, tlv.contentEnd, tlv.depth + 1);
    out.push(child);
    pos = child.end;
  }
  return out;
}

/** The contents octets of an element (no header). */
export function contentOf(tlv: Tlv): Uint8Array {
  return tlv.buf.subarray(tlv.contentStart, tlv.contentEnd);
}

/** The whole encoding of an element, header included. */
export function encodingOf(tlv: Tlv): Uint8Array {
  return tlv.buf.subarray(tlv.start, tlv.end);
}

/** The element itself if it has this identifier octet; `what` names it in the error. */
export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv) throw new MalformedError(`${what} is missing`);
  if (tlv.tag !== tag) throw new MalformedError(`${what} has the wrong type`);
  return tlv;
}

/** The elements of a SEQUENCE. */
export function expectSequence(tlv: Tlv | undefined, what: string): Tlv[] {
  return childrenOf(expectTag(tlv, 0x30, what));
}

/**
 * The bytes of an OCTET STRING, or of an implicitly tagged one: primitive, or constructed from
 * primitive segments as BER allows (X.690 §8.7.3) and Windows/Java PKCS#12 writers use.
 */
export function octetsOf(tlv: Tlv): Uint8Array {
  if (!tlv.constructed) return contentOf(tlv);
  const parts: Uint8Array[] = [];
  for (const child of childrenOf(tlv)) {
    if ((child.tag & 0xdf) !== 0x04) throw new MalformedError('a segmented OCTET STRING holds something else');
    parts.push(octetsOf(child));
  }
  return concatBytes(...parts);
}

export function octetStringOf(tlv: Tlv | undefined, what: string): Uint8Array {
  if (!tlv || (tlv.tag !== 0x04 && tlv.tag !== 0x24)) throw new MalformedError(`${what} is not an OCTET STRING`);
  return octetsOf(tlv);
}

/**
 * A non-negative INTEGER as a number. Values beyond 2^48 come back as Infinity and negative
 * values as -1, so that range checks reject them instead of wrapping around.
 */
export function integerOf(tlv: Tlv | undefined, what: string): number {
  if (!tlv || tlv.tag !== 0x02) throw new MalformedError(`${what} is not an INTEGER`);
  const c = contentOf(tlv);
  if (c.length === 0) throw new MalformedError(`${what} is an empty INTEGER`);
  if (c[0]! & 0x80) return -1;
  let start = 0;
  while (start < c.length - 1 && c[start] === 0) start++;
  if (c.length - start > 6) return Infinity;
  let n = 0;
  for (let i = start; i < c.length; i++) n = n * 256 + c[i]!;
  return n;
}

/** Dotted OBJECT IDENTIFIER. Capped at 64 content bytes (no PKCS#12 OID is longer). */
export function oidOf(tlv: Tlv | undefined, what: string): string {
  if (!tlv || tlv.tag !== 0x06) throw new MalformedError(`${what} is not an OBJECT IDENTIFIER`);
  const c = contentOf(tlv);
  if (c.length === 0 || c.length > 64) throw new MalformedError(`${what} is not a valid OBJECT IDENTIFIER`);
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new MalformedError(`${what} has an arc too large`);
    if (!(b & 0x80)) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    } else if (i === c.length - 1) {
      throw new MalformedError(`${what} is truncated`);
    }
  }
  return arcs.join('.');
}

/** A BMPString (UTF-16BE, RFC 7292 friendlyName) as a JS string. */
export function bmpStringOf(tlv: Tlv): string {
  if (tlv.tag !== 0x1e) throw new MalformedError('a friendlyName is not a BMPString');
  const c = contentOf(tlv);
  if (c.length % 2) throw new MalformedError('a BMPString has an odd number of bytes');
  let s = '';
  for (let i = 0; i < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
  return s;
}

// ---------------------------------------------------------------------------------------------
// DER writing

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** Concatenation of byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** DER element with this identifier octet around the concatenated contents (X.690 §10). */
export function derTlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concatBytes(...contents);
  return concatBytes(Uint8Array.of(tag), encodeLength(body.length), body);
}

export const derSequence = (...c: Uint8Array[]): Uint8Array => derTlv(0x30, ...c);
export const derOctetString = (b: Uint8Array): Uint8Array => derTlv(0x04, b);
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);

/** DER SET OF: elements sorted by their encodings (X.690 §11.6). */
export function derSetOf(...elements: Uint8Array[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
  return derTlv(0x31, ...sorted);
}

/** DER INTEGER of a non-negative safe integer. */
export function derInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('derInteger takes a non-negative safe integer');
  const bytes: number[] = [];
  do {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  } while (n > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return derTlv(0x02, Uint8Array.from(bytes));
}

/** DER OBJECT IDENTIFIER from dotted form. */
export function derOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const tmp = [v & 0x7f];
    while ((v = Math.floor(v / 128)) > 0) tmp.unshift((v & 0x7f) | 0x80);
    out.push(...tmp);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return derTlv(0x06, Uint8Array.from(out));
}

/** DER BMPString (UTF-16BE code units), as friendlyName uses (RFC 7292 §4.2). */
export function derBmpString(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) >> 8;
    out[2 * i + 1] = s.charCodeAt(i) & 0xff;
  }
  return derTlv(0x1e, out);
}

// ---------------------------------------------------------------------------------------------
// Object identifiers

/** OIDs of RFC 8018 (PBES2, PBKDF2, PBMAC1), RFC 7292 appendix C (PKCS#12 PBE) and the ciphers. */
export const oids = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
  desEde3Cbc: '1.2.840.113549.3.7',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  pbeSha2Des: '1.2.840.113549.1.12.1.4',
  pbeSha128Rc2: '1.2.840.113549.1.12.1.5',
  pbeSha40Rc2: '1.2.840.113549.1.12.1.6',
  pbeSha128Rc4: '1.2.840.113549.1.12.1.1',
  pbeSha40Rc4: '1.2.840.113549.1.12.1.2',
} as const;

/** A hash as PKCS#12 uses it: digest OIDs (MacData), HMAC OIDs (PBKDF2 PRF, PBMAC1). */
export interface HashAlgorithm {
  name: 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA-512/224' | 'SHA-512/256';
  digestOid: string;
  hmacOid: string;
  blockLen: number;
  outputLen: number;
  /** Name for WebCrypto, where WebCrypto has it (it lacks the truncated and 224-bit variants). */
  webCrypto?: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  noble: CHash;
}

/** The hashes PKCS#12 files use, by digest and HMAC OID. */
export const hashes: readonly HashAlgorithm[] = [
  { name: 'SHA-1', digestOid: '1.3.14.3.2.26', hmacOid: '1.2.840.113549.2.7', blockLen: 64, outputLen: 20, webCrypto: 'SHA-1', noble: sha1 },
  { name: 'SHA-224', digestOid: '2.16.840.1.101.3.4.2.4', hmacOid: '1.2.840.113549.2.8', blockLen: 64, outputLen: 28, noble: sha224 },
  { name: 'SHA-256', digestOid: '2.16.840.1.101.3.4.2.1', hmacOid: '1.2.840.113549.2.9', blockLen: 64, outputLen: 32, webCrypto: 'SHA-256', noble: sha256 },
  { name: 'SHA-384', digestOid: '2.16.840.1.101.3.4.2.2', hmacOid: '1.2.840.113549.2.10', blockLen: 128, outputLen: 48, webCrypto: 'SHA-384', noble: sha384 },
  { name: 'SHA-512', digestOid: '2.16.840.1.101.3.4.2.3', hmacOid: '1.2.840.113549.2.11', blockLen: 128, outputLen: 64, webCrypto: 'SHA-512', noble: sha512 },
  { name: 'SHA-512/224', digestOid: '2.16.840.1.101.3.4.2.5', hmacOid: '1.2.840.113549.2.12', blockLen: 128, outputLen: 28, noble: sha512_224 },
  { name: 'SHA-512/256', digestOid: '2.16.840.1.101.3.4.2.6', hmacOid: '1.2.840.113549.2.13', blockLen: 128, outputLen: 32, noble: sha512_256 },
];

/** A hash of `hashes` by name. */
export function hashByName(name: HashAlgorithm['name']): HashAlgorithm {
  return hashes.find((h) => h.name === name)!;
}

/** Reads an AlgorithmIdentifier: its OID and its parameters element, if any. */
export function readAlgorithm(tlv: Tlv | undefined, what: string): { oid: string; params?: Tlv } {
  const parts = expectSequence(tlv, what);
  if (parts.length < 1 || parts.length > 2) throw new MalformedError(`${what} is not an AlgorithmIdentifier`);
  return { oid: oidOf(parts[0], what), params: parts[1] };
}

/** CertdeskError 'unsupported-algorithm' for a scheme Certdesk does not read. */
export function unsupported(what: string): CertdeskError {
  return new CertdeskError(
    'unsupported-algorithm',
    `This file is protected with ${what}, which Certdesk cannot read. Export it again from the source system ` +
      `with AES-256 (or, for old systems, 3DES) and try once more.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Work limits

/**
 * Counts KDF iterations over one file or one key, so that a hostile file cannot make a
 * browser tab spin: each derivation must ask for 1 … limits.maxKdfIterations iterations
 * (BoringSSL, Botan and NSS accept the same range), and all together at most
 * limits.maxKdfIterationsTotal. Checked before the work, never after.
 */
export class KdfBudget {
  private used = 0;

  constructor(
    private readonly perKdf: number = limits.maxKdfIterations,
    private readonly total: number = limits.maxKdfIterationsTotal,
  ) {}

  get spent(): number {
    return this.used;
  }

  /** Checks one iteration count without spending it (for an early scan of the whole file). */
  check(iterations: number, what: string): void {
    if (Number.isNaN(iterations) || iterations < 1 || (Number.isFinite(iterations) && !Number.isInteger(iterations))) {
      throw new MalformedError(`the ${what} has an iteration count of ${iterations}; it must be a whole number from 1`);
    }
    if (iterations > this.perKdf) {
      throw new CertdeskError(
        'limit-exceeded',
        `The ${what} asks for ${Number.isFinite(iterations) ? iterations.toLocaleString('en-US') : 'an enormous number of'} ` +
          `key-derivation iterations; Certdesk accepts at most ${this.perKdf.toLocaleString('en-US')} ` +
          `(limits.maxKdfIterations). Export the file again with fewer iterations.`,
      );
    }
  }

  /** Spends `iterations` for one derivation; throws before the work when a limit would be passed. */
  charge(iterations: number, what: string): void {
    this.check(iterations, what);
    this.checkTotal(iterations);
    this.used += iterations;
  }

  /** Throws if `iterations` more would pass the total (also used to scan a whole file up front). */
  checkTotal(iterations: number): void {
    if (this.used + iterations > this.total) {
      throw new CertdeskError(
        'limit-exceeded',
        `This file asks for more than ${this.total.toLocaleString('en-US')} key-derivation iterations in total ` +
          `(limits.maxKdfIterationsTotal), which would take too long. Export it again with fewer iterations.`,
      );
    }
  }
}

/** What one derivation run needs: the budget, cancellation, and (while re-reading our own output) a cache. */
export interface PbeContext {
  budget: KdfBudget;
  signal?: AbortSignal;
  /** Derived keys by their inputs; KDFs are deterministic, so an export re-reads its file without redoing them. */
  cache?: Map<string, Uint8Array>;
}

// ---------------------------------------------------------------------------------------------
// Passwords

/**
 * The password as RFC 7292 appendix B.1 wants it for the PKCS#12 KDF and MAC: a BMPString
 * (UTF-16BE) with a two-byte NUL terminator. A NULL password (no password at all) is the empty
 * string of bytes; the empty password "" is just the terminator — OpenSSL keeps the two apart.
 */
export function bmpPassword(password: string | null): Uint8Array {
  if (password === null) return new Uint8Array(0);
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    out[2 * i] = password.charCodeAt(i) >> 8;
    out[2 * i + 1] = password.charCodeAt(i) & 0xff;
  }
  return out;
}

/** The password for PBKDF2 (RFC 8018 §3: an octet string; UTF-8 as OpenSSL, Windows and Java use). */
export function utf8Password(password: string | null): Uint8Array {
  return password === null ? new Uint8Array(0) : new TextEncoder().encode(password);
}

/**
 * The passwords to try, in OpenSSL's order (PKCS12_parse and apps/pkcs12.c):
 * - no password or "": NULL first, then "" (files differ in which of the two they used);
 * - a non-ASCII password: as typed, then the UTF-8 bytes read as Latin-1 — what OpenSSL before
 *   1.1.0 put into the BMPString, and what `openssl pkcs12` still falls back to ("Warning: using
 *   broken algorithm").
 */
export function passwordCandidates(password: string | null): (string | null)[] {
  if (password === null || password === '') return [null, ''];
  const utf8 = new TextEncoder().encode(password);
  const latin1 = String.fromCharCode(...utf8);
  return latin1 === password ? [password] : [password, latin1];
}

// ---------------------------------------------------------------------------------------------
// Key derivation

const bs = (u: Uint8Array): Uint8Array<ArrayBuffer> => u as Uint8Array<ArrayBuffer>;

function hex(u: Uint8Array): string {
  let s = '';
  for (const b of u) s += b.toString(16).padStart(2, '0');
  return s;
}

async function cached(ctx: PbeContext, key: string, derive: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const hit = ctx.cache?.get(key);
  if (hit) return hit;
  const value = await derive();
  ctx.cache?.set(key, value);
  return value;
}

/**
 * Hashes between yields in the JavaScript KDF loops: ~0.7 ms of work on the unrolled SHA-256
 * path, ~0.35 ms for SHA-1, a few ms on the @noble/hashes SHA-384/512 path. Often enough that
 * WebCrypto work started alongside (PBKDF2 of the bags) keeps moving and cancellation is seen
 * within about a millisecond. A yield costs about a microsecond in Node: 100,000 SHA-256
 * iterations took the same time (~17.5 ms) with 390 yields (every 256) as with none.
 */
const KDF_YIELD_EVERY = 1 << 12;

/**
 * Lets the event loop run (I/O, WebCrypto completions, abort events). A macrotask, but not
 * setTimeout: browsers clamp nested timeouts to 4 ms. Node has setImmediate; browsers get a
 * MessageChannel round trip.
 */
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    const g = globalThis as { setImmediate?: (callback: () => void) => unknown };
    if (typeof g.setImmediate === 'function') {
      g.setImmediate(resolve);
    } else if (typeof MessageChannel === 'function') {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    } else {
      setTimeout(resolve, 0);
    }
  });

/**
 * SHA-256 round constants (FIPS 180-4 §4.2.2): the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes. Computed rather than typed; tests compare with @noble/hashes.
 */
const K256 = (() => {
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return Int32Array.from(primes, (p) => {
    const c = Math.cbrt(p);
    return Math.floor((c - Math.floor(c)) * 2 ** 32) | 0;
  });
})();
const SHA224_IV = Int32Array.of(0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4);

/**
 * `times` more SHA-224 hashes of a 28-byte digest, in place on its seven state words: one
 * compression of a fixed-shape block each. SHA-224 MACs are rare, so this plain loop suffices;
 * SHA-256 and SHA-1, which the presets write, use the unrolled code of sha-iterate.ts.
 */
function repeatSha224(state: Int32Array, times: number): void {
  const w = new Int32Array(64);
  const iv = SHA224_IV;
  for (let t = 0; t < times; t++) {
    for (let i = 0; i < 7; i++) w[i] = state[i]!;
    w[7] = 0x80000000 | 0;
    for (let i = 8; i < 15; i++) w[i] = 0;
    w[15] = 224;
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a = iv[0]!, b = iv[1]!, c = iv[2]!, d = iv[3]!, e = iv[4]!, f = iv[5]!, g = iv[6]!, h = iv[7]!;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K256[i]! + w[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    state[0] = (iv[0]! + a) | 0;
    state[1] = (iv[1]! + b) | 0;
    state[2] = (iv[2]! + c) | 0;
    state[3] = (iv[3]! + d) | 0;
    state[4] = (iv[4]! + e) | 0;
    state[5] = (iv[5]! + f) | 0;
    state[6] = (iv[6]! + g) | 0;
  }
}

const fastRepeat: Partial<Record<HashAlgorithm['name'], (state: Int32Array, times: number) => void>> = {
  'SHA-1': sha1Iterate,
  'SHA-224': repeatSha224,
  'SHA-256': sha256Iterate,
};

/**
 * Hashes `input` once and the result `count - 1` more times: the inner loop of RFC 7292 B.2
 * step 6a. Yields to the event loop every KDF_YIELD_EVERY hashes so cancellation is seen.
 */
async function iterateHash(hash: HashAlgorithm, input: Uint8Array, count: number, signal?: AbortSignal): Promise<Uint8Array> {
  const a = hash.noble(input);
  const fast = fastRepeat[hash.name];
  if (fast) {
    const view = new DataView(a.buffer, a.byteOffset, a.byteLength);
    const state = new Int32Array(a.length / 4);
    for (let i = 0; i < state.length; i++) state[i] = view.getInt32(4 * i);
    for (let done = 1; done < count; ) {
      // Yield before every chunk, the first included: WebCrypto work started in the same turn
      // (the bags' PBKDF2 beside the MAC key) is then handed to its threads before this loop
      // takes the main thread, instead of one chunk later.
      await yieldToEventLoop();
      throwIfAborted(signal);
      const step = Math.min(KDF_YIELD_EVERY, count - done);
      fast(state, step);
      done += step;
    }
    for (let i = 0; i < state.length; i++) view.setInt32(4 * i, state[i]!);
    return a;
  }
  // SHA-384/512 and the truncated SHA-512 variants: one reused noble hash state.
  if (count > 1) {
    await yieldToEventLoop(); // as above: let concurrent WebCrypto work start first
    throwIfAborted(signal);
  }
  const initial = hash.noble.create();
  let work: Hash<unknown> | undefined;
  for (let r = 1; r < count; r++) {
    const w: Hash<unknown> = initial._cloneInto(work);
    work = w;
    w.update(a);
    w.digestInto(a);
    if ((r & (KDF_YIELD_EVERY - 1)) === 0) {
      await yieldToEventLoop();
      throwIfAborted(signal);
    }
  }
  return a;
}

/**
 * The PKCS#12 key derivation of RFC 7292 appendix B.2. `id` is 1 for a cipher key, 2 for an IV
 * and 3 for a MAC key; `password` is already BMP-encoded (bmpPassword).
 */
export async function pkcs12Kdf(
  hash: HashAlgorithm,
  password: Uint8Array,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const v = hash.blockLen;
  const u = hash.outputLen;
  const sLen = salt.length ? v * Math.ceil(salt.length / v) : 0;
  const pLen = password.length ? v * Math.ceil(password.length / v) : 0;
  const input = new Uint8Array(v + sLen + pLen);
  input.fill(id, 0, v); // D: v bytes of the ID (step 1)
  const I = input.subarray(v); // I = S || P (steps 2–4)
  for (let i = 0; i < sLen; i++) I[i] = salt[i % salt.length]!;
  for (let i = 0; i < pLen; i++) I[sLen + i] = password[i % password.length]!;
  const blocks = Math.ceil(length / u);
  const out = new Uint8Array(blocks * u);
  const b = new Uint8Array(v);
  for (let i = 0; i < blocks; i++) {
    const a = await iterateHash(hash, input, iterations, signal); // step 6a
    out.set(a, i * u);
    if (i === blocks - 1) break;
    for (let k = 0; k < v; k++) b[k] = a[k % u]!; // step 6b
    for (let j = 0; j < I.length; j += v) {
      // step 6c: I_j = (I_j + B + 1) mod 2^(8v)
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        carry += I[j + k]! + b[k]!;
        I[j + k] = carry & 0xff;
        carry >>>= 8;
      }
    }
  }
  return out.subarray(0, length);
}

/**
 * PBKDF2 (RFC 8018 §5.2) in JavaScript over @noble/hashes HMAC, for the PRFs WebCrypto lacks
 * (HMAC-SHA224, -SHA512/224, -SHA512/256). Yields and checks for cancellation as it goes.
 */
async function pbkdf2Js(hash: HashAlgorithm, password: Uint8Array, salt: Uint8Array, iterations: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
  const prf = hmac.create(hash.noble, password);
  const u = hash.outputLen;
  const blocks = Math.ceil(length / u);
  const out = new Uint8Array(blocks * u);
  const block = new Uint8Array(salt.length + 4);
  block.set(salt);
  const ui = new Uint8Array(u);
  let work: Hash<unknown> | undefined;
  for (let i = 1; i <= blocks; i++) {
    new DataView(block.buffer).setUint32(salt.length, i); // INT(i), big-endian
    const first: Hash<unknown> = prf._cloneInto(work as never);
    work = first;
    first.update(block).digestInto(ui); // U_1
    const t = out.subarray((i - 1) * u, i * u);
    t.set(ui);
    for (let j = 1; j < iterations; j++) {
      const next: Hash<unknown> = prf._cloneInto(work as never);
      work = next;
      next.update(ui).digestInto(ui); // U_j
      for (let k = 0; k < u; k++) t[k]! ^= ui[k]!;
      if ((j & (KDF_YIELD_EVERY - 1)) === 0) {
        await yieldToEventLoop();
        throwIfAborted(signal);
      }
    }
  }
  return out.subarray(0, length);
}

/** PBKDF2 (RFC 8018 §5.2): WebCrypto where it has the PRF, JavaScript otherwise. */
export async function pbkdf2(
  hash: HashAlgorithm,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (hash.webCrypto) {
    const key = await globalThis.crypto.subtle.importKey('raw', bs(password), 'PBKDF2', false, ['deriveBits']);
    const bits = await globalThis.crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: hash.webCrypto, salt: bs(salt), iterations },
      key,
      length * 8,
    );
    return new Uint8Array(bits);
  }
  return pbkdf2Js(hash, password, salt, iterations, length, signal);
}

/** PKCS#12 KDF with budget, cancellation and cache. */
export async function derivePkcs12(
  ctx: PbeContext,
  hash: HashAlgorithm,
  password: string | null,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
  what: string,
): Promise<Uint8Array> {
  throwIfAborted(ctx.signal);
  const pw = bmpPassword(password);
  const key = `p12|${hash.name}|${hex(pw)}|${hex(salt)}|${id}|${iterations}|${length}`;
  if (!ctx.cache?.has(key)) ctx.budget.charge(iterations, what);
  const out = await cached(ctx, key, () => pkcs12Kdf(hash, pw, salt, id, iterations, length, ctx.signal));
  throwIfAborted(ctx.signal);
  return out;
}

/** PBKDF2 with budget, cancellation and cache. `password` is the raw octet string. */
export async function derivePbkdf2(
  ctx: PbeContext,
  hash: HashAlgorithm,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
  what: string,
): Promise<Uint8Array> {
  throwIfAborted(ctx.signal);
  const key = `pbkdf2|${hash.name}|${hex(password)}|${hex(salt)}|${iterations}|${length}`;
  if (!ctx.cache?.has(key)) ctx.budget.charge(iterations, what);
  const out = await cached(ctx, key, () => pbkdf2(hash, password, salt, iterations, length, ctx.signal));
  throwIfAborted(ctx.signal);
  return out;
}

/** HMAC over a message, for the PKCS#12 MAC (RFC 7292 §5) and PBMAC1 (RFC 9579). */
export function hmacOf(hash: HashAlgorithm, key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(hash.noble, key, message);
}

// ---------------------------------------------------------------------------------------------
// Encryption schemes

type Pbes2Cipher = { name: 'AES-CBC'; keyLength: 16 | 24 | 32; oid: string } | { name: '3DES-CBC'; keyLength: 24; oid: string };

/** A parsed (or chosen) password-based encryption scheme with all its parameters. */
export type PbeScheme =
  | {
      kind: 'pbes2';
      prf: HashAlgorithm;
      salt: Uint8Array;
      iterations: number;
      cipher: Pbes2Cipher;
      iv: Uint8Array;
    }
  | {
      kind: 'pkcs12';
      oid: string;
      cipher: '3DES' | '2DES' | 'RC2-40' | 'RC2-128';
      salt: Uint8Array;
      iterations: number;
    };

const pkcs12Ciphers: Record<string, { cipher: '3DES' | '2DES' | 'RC2-40' | 'RC2-128'; keyLength: number }> = {
  [oids.pbeSha3Des]: { cipher: '3DES', keyLength: 24 },
  [oids.pbeSha2Des]: { cipher: '2DES', keyLength: 16 },
  [oids.pbeSha128Rc2]: { cipher: 'RC2-128', keyLength: 16 },
  [oids.pbeSha40Rc2]: { cipher: 'RC2-40', keyLength: 5 },
};

const aesByOid: Record<string, 16 | 24 | 32> = { [oids.aes128Cbc]: 16, [oids.aes192Cbc]: 24, [oids.aes256Cbc]: 32 };

/** Parses the PBKDF2-params of RFC 8018 appendix A.2. */
export function readPbkdf2Params(params: Tlv | undefined, what: string): {
  salt: Uint8Array;
  iterations: number;
  keyLength?: number;
  prf: HashAlgorithm;
} {
  const parts = expectSequence(params, `the PBKDF2 parameters of the ${what}`);
  const saltTlv = parts[0];
  if (saltTlv?.tag === 0x30) throw unsupported('a PBKDF2 salt from another source (otherSource)');
  const salt = octetStringOf(saltTlv, `the PBKDF2 salt of the ${what}`);
  const iterations = integerOf(parts[1], `the PBKDF2 iteration count of the ${what}`);
  let i = 2;
  let keyLength: number | undefined;
  if (parts[i]?.tag === 0x02) {
    keyLength = integerOf(parts[i], `the PBKDF2 key length of the ${what}`);
    i++;
  }
  let prf = hashByName('SHA-1'); // DEFAULT algid-hmacWithSHA1
  if (parts[i]) {
    const alg = readAlgorithm(parts[i], `the PBKDF2 PRF of the ${what}`);
    const found = hashes.find((h) => h.hmacOid === alg.oid);
    if (!found) throw unsupported(`the PBKDF2 pseudo-random function ${alg.oid}`);
    prf = found;
    i++;
  }
  if (i !== parts.length) throw new MalformedError(`the PBKDF2 parameters of the ${what} have extra fields`);
  return { salt, iterations, keyLength, prf };
}

/** Reads the encryption AlgorithmIdentifier of an EncryptedPrivateKeyInfo or EncryptedContentInfo. */
export function readPbeScheme(tlv: Tlv | undefined, what: string): PbeScheme {
  const { oid, params } = readAlgorithm(tlv, `the encryption algorithm of the ${what}`);
  const legacy = pkcs12Ciphers[oid];
  if (legacy) {
    // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (RFC 7292 appendix C)
    const parts = expectSequence(params, `the PBE parameters of the ${what}`);
    if (parts.length !== 2) throw new MalformedError(`the PBE parameters of the ${what} are not {salt, iterations}`);
    const salt = octetStringOf(parts[0], `the PBE salt of the ${what}`);
    const iterations = integerOf(parts[1], `the PBE iteration count of the ${what}`);
    return { kind: 'pkcs12', oid, cipher: legacy.cipher, salt, iterations };
  }
  if (oid === oids.pbeSha128Rc4 || oid === oids.pbeSha40Rc4) throw unsupported('RC4 (pbeWithSHAAndRC4)');
  if (oid !== oids.pbes2) throw unsupported(`the encryption algorithm ${oid}`);
  // PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme } (RFC 8018 appendix A.4)
  const parts = expectSequence(params, `the PBES2 parameters of the ${what}`);
  if (parts.length !== 2) throw new MalformedError(`the PBES2 parameters of the ${what} are incomplete`);
  const kdf = readAlgorithm(parts[0], `the key derivation of the ${what}`);
  if (kdf.oid !== oids.pbkdf2) throw unsupported(`the key derivation function ${kdf.oid}`);
  const { salt, iterations, keyLength, prf } = readPbkdf2Params(kdf.params, what);
  const enc = readAlgorithm(parts[1], `the cipher of the ${what}`);
  let cipher: Pbes2Cipher;
  let ivLength: number;
  const aes = aesByOid[enc.oid];
  if (aes) {
    cipher = { name: 'AES-CBC', keyLength: aes, oid: enc.oid };
    ivLength = 16;
  } else if (enc.oid === oids.desEde3Cbc) {
    cipher = { name: '3DES-CBC', keyLength: 24, oid: enc.oid };
    ivLength = 8;
  } else {
    throw unsupported(`the cipher ${enc.oid}`);
  }
  const iv = octetStringOf(enc.params, `the IV of the ${what}`);
  if (iv.length !== ivLength) throw new MalformedError(`the IV of the ${what} has the wrong length`);
  if (keyLength !== undefined && keyLength !== cipher.keyLength) {
    throw new MalformedError(`the PBKDF2 key length of the ${what} does not fit its cipher`);
  }
  return { kind: 'pbes2', prf, salt, iterations, cipher, iv };
}

/** DER AlgorithmIdentifier of a scheme (the inverse of readPbeScheme). */
export function encodePbeScheme(s: PbeScheme): Uint8Array {
  if (s.kind === 'pkcs12') {
    return derSequence(derOid(s.oid), derSequence(derOctetString(s.salt), derInteger(s.iterations)));
  }
  const prf = s.prf.name === 'SHA-1' ? [] : [derSequence(derOid(s.prf.hmacOid), derNull())];
  return derSequence(
    derOid(oids.pbes2),
    derSequence(
      derSequence(derOid(oids.pbkdf2), derSequence(derOctetString(s.salt), derInteger(s.iterations), ...prf)),
      derSequence(derOid(s.cipher.oid), derOctetString(s.iv)),
    ),
  );
}

/** Default iteration counts per preset: see exportPkcs12 for why. */
export const presetIterations: Record<Pkcs12Preset, number> = { modern: 100_000, legacy: 2048 };

/** Fresh random bytes (salts, IVs). */
export function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** A fresh scheme for a preset: modern = PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, legacy = pbeWithSHAAnd3-KeyTripleDES-CBC. */
export function newPbeScheme(preset: Pkcs12Preset, iterations: number): PbeScheme {
  if (preset === 'legacy') {
    return { kind: 'pkcs12', oid: oids.pbeSha3Des, cipher: '3DES', salt: randomBytes(8), iterations };
  }
  return {
    kind: 'pbes2',
    prf: hashByName('SHA-256'),
    salt: randomBytes(16),
    iterations,
    cipher: { name: 'AES-CBC', keyLength: 32, oid: oids.aes256Cbc },
    iv: randomBytes(16),
  };
}

async function schemeKeyAndIv(ctx: PbeContext, s: PbeScheme, password: string | null, what: string): Promise<{ key: Uint8Array; iv: Uint8Array }> {
  if (s.kind === 'pbes2') {
    const key = await derivePbkdf2(ctx, s.prf, utf8Password(password), s.salt, s.iterations, s.cipher.keyLength, what);
    return { key, iv: s.iv };
  }
  const sha1Alg = hashByName('SHA-1');
  const keyLength = pkcs12Ciphers[s.oid]!.keyLength;
  // Two derivations (key, IV): both count against the budget.
  const [key, iv] = await Promise.all([
    derivePkcs12(ctx, sha1Alg, password, s.salt, 1, s.iterations, keyLength, what),
    derivePkcs12(ctx, sha1Alg, password, s.salt, 2, s.iterations, 8, what),
  ]);
  return { key, iv };
}

function tripleDesKey(key: Uint8Array): Uint8Array {
  // Two-key 3DES: K3 = K1.
  return key.length === 16 ? concatBytes(key, key.subarray(0, 8)) : key;
}

/** des.js builds a new CBC class on every instantiate(): build it once. */
let desEde3CbcMode: ReturnType<typeof des.CBC.instantiate> | undefined;

function desEde3Cbc(type: 'encrypt' | 'decrypt', key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  desEde3CbcMode ??= des.CBC.instantiate(des.EDE);
  const cipher = desEde3CbcMode.create({ type, key: tripleDesKey(key), iv, padding: false });
  return Uint8Array.from(cipher.update(data).concat(cipher.final()));
}

// ---------------------------------------------------------------------------------------------
// AES in JavaScript, only for what WebCrypto refuses: Chromium has no AES-192 (crbug.com/533699),
// yet OpenSSL's `-keypbe AES-192-CBC` files exist. Plain FIPS 197, checked against its
// appendix C vectors and against Node's WebCrypto; speed does not matter for a few KB.

const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
(() => {
  // S-box from the multiplicative inverse in GF(2^8) and the affine map (FIPS 197 §5.1.1).
  const rotl8 = (x: number, n: number) => ((x << n) | (x >>> (8 - n))) & 0xff;
  let p = 1;
  let q = 1;
  do {
    p = (p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0)) & 0xff; // p × 3
    q ^= q << 1; // q ÷ 3
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    SBOX[p] = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63;
  } while (p !== 1);
  SBOX[0] = 0x63;
  for (let i = 0; i < 256; i++) INV_SBOX[SBOX[i]!] = i;
})();

function gmul(a: number, b: number): number {
  let r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
    b >>= 1;
  }
  return r;
}

/** FIPS 197 §5.2 key expansion: (Nr + 1) round keys of 16 bytes. */
export function aesExpandKey(key: Uint8Array): Uint8Array[] {
  const nk = key.length / 4;
  if (![4, 6, 8].includes(nk)) throw new RangeError('AES keys are 16, 24 or 32 bytes');
  const nr = nk + 6;
  const w = new Uint8Array(16 * (nr + 1));
  w.set(key);
  let rcon = 1;
  for (let i = nk; i < 4 * (nr + 1); i++) {
    let t = [w[4 * i - 4]!, w[4 * i - 3]!, w[4 * i - 2]!, w[4 * i - 1]!];
    if (i % nk === 0) {
      t = [SBOX[t[1]!]! ^ rcon, SBOX[t[2]!]!, SBOX[t[3]!]!, SBOX[t[0]!]!];
      rcon = gmul(rcon, 2);
    } else if (nk > 6 && i % nk === 4) {
      t = t.map((b) => SBOX[b]!);
    }
    for (let j = 0; j < 4; j++) w[4 * i + j] = w[4 * (i - nk) + j]! ^ t[j]!;
  }
  return Array.from({ length: nr + 1 }, (_, r) => w.subarray(16 * r, 16 * r + 16));
}

/** One AES block, in place (FIPS 197 §5.1 and §5.3). State byte r + 4c is row r, column c. */
export function aesBlock(roundKeys: Uint8Array[], block: Uint8Array, decrypt: boolean): void {
  const nr = roundKeys.length - 1;
  const addKey = (k: Uint8Array) => {
    for (let i = 0; i < 16; i++) block[i]! ^= k[i]!;
  };
  const shiftRows = (dir: 1 | -1) => {
    const old = block.slice();
    for (let r = 1; r < 4; r++) for (let c = 0; c < 4; c++) block[r + 4 * c] = old[r + 4 * ((c + dir * r + 4) % 4)]!;
  };
  const mixColumns = (m: readonly number[]) => {
    for (let c = 0; c < 4; c++) {
      const a = block.slice(4 * c, 4 * c + 4);
      for (let r = 0; r < 4; r++) {
        block[4 * c + r] = gmul(a[0]!, m[(4 - r) % 4]!) ^ gmul(a[1]!, m[(5 - r) % 4]!) ^ gmul(a[2]!, m[(6 - r) % 4]!) ^ gmul(a[3]!, m[(7 - r) % 4]!);
      }
    }
  };
  if (!decrypt) {
    addKey(roundKeys[0]!);
    for (let round = 1; round <= nr; round++) {
      for (let i = 0; i < 16; i++) block[i] = SBOX[block[i]!]!;
      shiftRows(1);
      if (round !== nr) mixColumns([2, 3, 1, 1]);
      addKey(roundKeys[round]!);
    }
    return;
  }
  addKey(roundKeys[nr]!);
  for (let round = nr - 1; round >= 0; round--) {
    shiftRows(-1);
    for (let i = 0; i < 16; i++) block[i] = INV_SBOX[block[i]!]!;
    addKey(roundKeys[round]!);
    if (round !== 0) mixColumns([14, 11, 13, 9]);
  }
}

/** AES-CBC decryption with PKCS#7 padding check; null if the padding is wrong. */
export function aesCbcDecryptJs(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return null;
  const roundKeys = aesExpandKey(key);
  const out = ciphertext.slice();
  for (let o = 0; o < out.length; o += 16) {
    const block = out.subarray(o, o + 16);
    aesBlock(roundKeys, block, true);
    const prev = o === 0 ? iv : ciphertext.subarray(o - 16, o);
    for (let i = 0; i < 16; i++) block[i]! ^= prev[i]!;
  }
  return stripPkcs5Padding(out, 16);
}

/**
 * Decrypts with a scheme. Returns null when the result is not properly padded, which for
 * password-derived keys means (with overwhelming probability) a wrong password.
 */
export async function pbeDecrypt(ctx: PbeContext, s: PbeScheme, password: string | null, ciphertext: Uint8Array, what: string): Promise<Uint8Array | null> {
  const blockSize = s.kind === 'pbes2' && s.cipher.name === 'AES-CBC' ? 16 : 8;
  if (ciphertext.length === 0 || ciphertext.length % blockSize !== 0) {
    throw new MalformedError(`the encrypted ${what} is not a whole number of cipher blocks`);
  }
  const { key, iv } = await schemeKeyAndIv(ctx, s, password, what);
  if (s.kind === 'pbes2' && s.cipher.name === 'AES-CBC') {
    let aesKey: CryptoKey;
    try {
      aesKey = await globalThis.crypto.subtle.importKey('raw', bs(key), 'AES-CBC', false, ['decrypt']);
    } catch {
      // Chromium has no AES-192 (crbug.com/533699): decrypt in JavaScript instead.
      return aesCbcDecryptJs(key, iv, ciphertext);
    }
    try {
      return new Uint8Array(await globalThis.crypto.subtle.decrypt({ name: 'AES-CBC', iv: bs(iv) }, aesKey, bs(ciphertext)));
    } catch {
      return null;
    }
  }
  if (s.kind === 'pkcs12' && (s.cipher === 'RC2-40' || s.cipher === 'RC2-128')) {
    return rc2CbcDecrypt(key, key.length * 8, iv, ciphertext);
  }
  return stripPkcs5Padding(desEde3Cbc('decrypt', key, iv, ciphertext), 8);
}

/** Encrypts with a scheme (PKCS#5 padding). */
export async function pbeEncrypt(ctx: PbeContext, s: PbeScheme, password: string | null, plaintext: Uint8Array, what: string): Promise<Uint8Array> {
  const { key, iv } = await schemeKeyAndIv(ctx, s, password, what);
  if (s.kind === 'pbes2' && s.cipher.name === 'AES-CBC') {
    const aesKey = await globalThis.crypto.subtle.importKey('raw', bs(key), 'AES-CBC', false, ['encrypt']);
    return new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-CBC', iv: bs(iv) }, aesKey, bs(plaintext)));
  }
  if (s.kind === 'pkcs12' && (s.cipher === 'RC2-40' || s.cipher === 'RC2-128')) {
    return rc2CbcEncrypt(key, key.length * 8, iv, plaintext);
  }
  const pad = 8 - (plaintext.length % 8);
  const padded = new Uint8Array(plaintext.length + pad).fill(pad);
  padded.set(plaintext);
  return desEde3Cbc('encrypt', key, iv, padded);
}

// ---------------------------------------------------------------------------------------------
// PKCS#8

/** True if `der` is exactly one PrivateKeyInfo / OneAsymmetricKey (RFC 5958 §2) by its outline. */
export function isPrivateKeyInfo(der: Uint8Array): boolean {
  try {
    const parts = expectSequence(readSingle(der, 'private key'), 'the private key');
    const version = integerOf(parts[0], 'the version');
    if (version !== 0 && version !== 1) return false;
    readAlgorithm(parts[1], 'the key algorithm');
    octetStringOf(parts[2], 'the private key');
    return true;
  } catch {
    return false;
  }
}

/** Options of encryptPrivateKeyInfo. */
export interface EncryptPrivateKeyOptions {
  /** modern (default): PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC; legacy: pbeWithSHAAnd3-KeyTripleDES-CBC. */
  preset?: Pkcs12Preset;
  /** Defaults: 100,000 (modern), 2048 (legacy). */
  iterations?: number;
}

/** Iteration counts a caller may ask an export for: whole numbers 1 … limits.maxKdfIterations. */
export function checkExportIterations(iterations: number): void {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > limits.maxKdfIterations) {
    throw new CertdeskError(
      'invalid-input',
      `The iteration count must be a whole number from 1 to ${limits.maxKdfIterations.toLocaleString('en-US')} ` +
        `(limits.maxKdfIterations); ${iterations} is not.`,
    );
  }
}

/** Errors while reading: MalformedError and library errors become CertdeskError(code); ours and AbortError pass. */
function translate(error: unknown, code: string, what: string): unknown {
  if (error instanceof MalformedError) {
    return new CertdeskError(code, `This ${what} is damaged or not what it claims to be: ${error.message}.`, { cause: error });
  }
  if (error instanceof CertdeskError || (error instanceof DOMException && error.name === 'AbortError')) return error;
  return new CertdeskError(code, `This ${what} could not be read: its structure is not valid.`, { cause: error });
}

/** CertdeskError 'wrong-password', with the hint that a file made for another system looks the same. */
export function wrongPasswordError(what: string): CertdeskError {
  return new CertdeskError(
    'wrong-password',
    `The password does not open this ${what}. Check it and try again. If the password is right, the file ` +
      `may have been made for another system in a way Certdesk cannot read; export it again from the source.`,
  );
}

/**
 * Encrypts a PKCS#8 PrivateKeyInfo into a DER EncryptedPrivateKeyInfo (RFC 5958 §3, RFC 8018).
 * The result is decrypted again and compared before it is returned.
 */
export async function encryptPrivateKeyInfo(
  pkcs8: Uint8Array,
  password: string,
  options: EncryptPrivateKeyOptions = {},
): Promise<Uint8Array> {
  try {
    return await encryptKey(pkcs8, password, options);
  } catch (error) {
    throw exportError(error, 'encrypted key');
  }
}

/** Errors while writing: ours pass through; anything else (a library or platform failure) is translated. */
export function exportError(error: unknown, what: string): unknown {
  if (error instanceof CertdeskError || (error instanceof DOMException && error.name === 'AbortError')) return error;
  return new CertdeskError(
    'export-failed',
    `The ${what} could not be written: this browser's cryptography refused the work. Nothing was exported; ` +
      `try again, or use the legacy preset.`,
    { cause: error },
  );
}

async function encryptKey(pkcs8: Uint8Array, password: string, options: EncryptPrivateKeyOptions): Promise<Uint8Array> {
  const preset = options.preset ?? 'modern';
  const iterations = options.iterations ?? presetIterations[preset];
  checkExportIterations(iterations);
  if (!isPrivateKeyInfo(pkcs8)) {
    throw new CertdeskError('invalid-input', 'The key to encrypt is not a PKCS#8 private key.');
  }
  const ctx: PbeContext = { budget: new KdfBudget(), cache: new Map() };
  const scheme = newPbeScheme(preset, iterations);
  const ciphertext = await pbeEncrypt(ctx, scheme, password, pkcs8, 'private key');
  const out = derSequence(encodePbeScheme(scheme), derOctetString(ciphertext));
  const check = await decryptWithContext(out, [password], { budget: new KdfBudget(), cache: ctx.cache });
  if (!check || !equalBytes(check, pkcs8)) {
    throw new CertdeskError('export-verify-failed', 'The encrypted key did not read back identically; nothing was exported. Please report this.');
  }
  return out;
}

async function decryptWithContext(der: Uint8Array, candidates: (string | null)[], ctx: PbeContext): Promise<Uint8Array | null> {
  const parts = expectSequence(readSingle(der, 'encrypted private key'), 'the encrypted private key');
  if (parts.length !== 2) throw new MalformedError('it is not {algorithm, encrypted data}');
  const scheme = readPbeScheme(parts[0], 'encrypted private key');
  ctx.budget.check(scheme.iterations, 'encrypted private key');
  const ciphertext = octetStringOf(parts[1], 'the encrypted key');
  for (const candidate of candidates) {
    const plain = await pbeDecrypt(ctx, scheme, candidate, ciphertext, 'private key');
    if (plain && isPrivateKeyInfo(plain)) return plain;
  }
  return null;
}

/**
 * Decrypts a DER EncryptedPrivateKeyInfo (PBES2 or the PKCS#12 PBE schemes) and returns the
 * PKCS#8 PrivateKeyInfo DER. Wrong password → CertdeskError 'wrong-password'; damaged input →
 * 'encrypted-key-malformed'; unknown algorithm → 'unsupported-algorithm'.
 */
export async function decryptPrivateKeyInfo(
  encryptedPrivateKeyInfoDer: Uint8Array,
  password: string | null,
  options: { signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  throwIfAborted(options.signal);
  if (encryptedPrivateKeyInfoDer.length > limits.maxFileBytes) {
    throw new CertdeskError('limit-exceeded', `The key file is larger than ${limits.maxFileBytes} bytes (limits.maxFileBytes).`);
  }
  let plain: Uint8Array | null;
  try {
    plain = await decryptWithContext(encryptedPrivateKeyInfoDer, passwordCandidates(password), {
      budget: new KdfBudget(),
      signal: options.signal,
    });
  } catch (error) {
    throw translate(error, 'encrypted-key-malformed', 'encrypted private key');
  }
  if (!plain) throw wrongPasswordError('private key');
  return plain;
}

export { translate as translateError };

/** Byte equality in constant time for equal lengths (MAC comparison). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
