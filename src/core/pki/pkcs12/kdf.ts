/**
 * Key derivation from passwords: the PKCS#12 KDF of RFC 7292 appendix B.2 (computed here, on
 * the unrolled hashes of sha-iterate.ts for SHA-1 and SHA-256 and on @noble/hashes otherwise:
 * WebCrypto does not have it) and PBKDF2 of RFC 8018 §5.2 (WebCrypto where it has the PRF,
 * @noble/hashes for HMAC-SHA224, -SHA512/224 and -SHA512/256). The JavaScript loops yield to
 * the event loop as they go, so cancellation is seen and WebCrypto work started alongside moves.
 * `derivePkcs12` and `derivePbkdf2` charge the work budget (budget.ts) before they start.
 */
import type { Hash } from '@noble/hashes/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { throwIfAborted } from '../../errors';
import { yieldToEventLoop } from '../../tasks';
import { bufferSource, toHex } from '../asn1';
import { pbkdf2Work, pkcs12KdfWork, type WorkBudget } from './budget';
import type { HashAlgorithm, HashName } from './hashes';
import { bmpPassword } from './passwords';
import { sha1Iterate, sha256Iterate } from './sha-iterate';

/** What one run of derivations needs: the budget, cancellation, and (while re-reading our own output) a cache. */
export interface KdfContext {
  budget: WorkBudget;
  signal?: AbortSignal;
  /** Derived keys by their inputs; KDFs are deterministic, so an export re-reads its file without redoing them. */
  cache?: Map<string, Uint8Array>;
}

/**
 * Hashes between yields in the JavaScript KDF loops: ~0.5 ms of work on the unrolled SHA-256
 * path, ~0.3 ms for SHA-1, a few ms on the @noble/hashes SHA-384/512 path. Often enough that
 * WebCrypto work started alongside (PBKDF2 of the bags) keeps moving and cancellation is seen
 * within about a millisecond. A yield costs about a microsecond in Node.
 */
const KDF_YIELD_EVERY = 1 << 12;

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

const fastRepeat: Partial<Record<HashName, (state: Int32Array, times: number) => void>> = {
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
    const key = await globalThis.crypto.subtle.importKey('raw', bufferSource(password), 'PBKDF2', false, ['deriveBits']);
    const bits = await globalThis.crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: hash.webCrypto, salt: bufferSource(salt), iterations },
      key,
      length * 8,
    );
    return new Uint8Array(bits);
  }
  return pbkdf2Js(hash, password, salt, iterations, length, signal);
}

async function cached(ctx: KdfContext, key: string, work: number, derive: () => Promise<Uint8Array>): Promise<Uint8Array> {
  throwIfAborted(ctx.signal);
  const hit = ctx.cache?.get(key);
  if (hit) return hit;
  ctx.budget.charge(work);
  const value = await derive();
  throwIfAborted(ctx.signal);
  ctx.cache?.set(key, value);
  return value;
}

/** The PKCS#12 KDF for `password` (BMP-encoded here), charged to the budget, cancellable, cached. */
export function derivePkcs12(
  ctx: KdfContext,
  hash: HashAlgorithm,
  password: string | null,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  const pw = bmpPassword(password);
  const key = `p12|${hash.name}|${toHex(pw)}|${toHex(salt)}|${id}|${iterations}|${length}`;
  const work = pkcs12KdfWork(hash, salt.length, pw.length, iterations, length);
  return cached(ctx, key, work, () => pkcs12Kdf(hash, pw, salt, id, iterations, length, ctx.signal));
}

/** PBKDF2 with budget, cancellation and cache. `password` is the raw octet string. */
export function derivePbkdf2(
  ctx: KdfContext,
  hash: HashAlgorithm,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  const key = `pbkdf2|${hash.name}|${toHex(password)}|${toHex(salt)}|${iterations}|${length}`;
  const work = pbkdf2Work(hash, password.length, salt.length, iterations, length);
  return cached(ctx, key, work, () => pbkdf2(hash, password, salt, iterations, length, ctx.signal));
}
