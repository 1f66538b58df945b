/**
 * The unrolled iterated hashes of src/core/pki/sha-iterate.ts: generated code, so this file
 * holds its generator (and checks the source is exactly what it writes), and proves the result
 * byte-exact against @noble/hashes for random inputs and against `openssl kdf PKCS12KDF`.
 *
 * Regenerate after changing the generator:
 *   CERTDESK_WRITE_SHA_ITERATE=1 npx vitest run --project unit tests/unit/pki/pkcs12/sha-iterate.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { hashByName, type HashName } from '../../../../src/core/pki/pkcs12/hashes';
import { pkcs12Kdf } from '../../../../src/core/pki/pkcs12/kdf';
import { bmpPassword } from '../../../../src/core/pki/pkcs12/passwords';
import { sha1Iterate, sha256Iterate } from '../../../../src/core/pki/pkcs12/sha-iterate';
import { openssl, projectRoot } from '../../../support/fixtures';

// ---------------------------------------------------------------------------------------------
// The generator

/** A 32-bit value as a signed hex literal, so that V8 keeps every sum in int32 arithmetic. */
const lit = (x: number): string => ((x | 0) < 0 ? `-0x${(-(x | 0)).toString(16)}` : `0x${(x | 0).toString(16)}`);
const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
const rotrSrc = (x: string, n: number): string => `((${x} >>> ${n}) | (${x} << ${32 - n}))`;
const rotlSrc = (x: string, n: number): string => `((${x} << ${n}) | (${x} >>> ${32 - n}))`;

/** FIPS 180-4 §4.2.2 and §5.3.3, computed: fractional parts of cube and square roots of primes. */
function primes(n: number): number[] {
  const out: number[] = [];
  for (let k = 2; out.length < n; k++) if (out.every((p) => k % p !== 0)) out.push(k);
  return out;
}
const frac32 = (x: number): number => Math.floor((x - Math.floor(x)) * 2 ** 32) | 0;
const K256 = primes(64).map((p) => frac32(Math.cbrt(p)));
const IV256 = primes(8).map((p) => frac32(Math.sqrt(p)));
const IV1 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
const K1 = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];

/**
 * Message-schedule words the input block fixes (FIPS 180-4 §5.1.1): after `words` digest words
 * come the 1 bit, zeros, and the 64-bit length in bits (only its low word is non-zero).
 */
function fixedWords(words: number): Map<number, number> {
  const known = new Map<number, number>([[words, 0x80000000 | 0]]);
  for (let i = words + 1; i < 15; i++) known.set(i, 0);
  known.set(15, words * 32);
  return known;
}

function sha256Source(): string {
  const known = fixedWords(8);
  const v = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const w = (i: number) => `w${i % 16}`;
  const sig0 = (x: number) => rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
  const sig1 = (x: number) => rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10);
  const sig0Src = (x: string) => `(${rotrSrc(x, 7)} ^ ${rotrSrc(x, 18)} ^ (${x} >>> 3))`;
  const sig1Src = (x: string) => `(${rotrSrc(x, 17)} ^ ${rotrSrc(x, 19)} ^ (${x} >>> 10))`;
  const L: string[] = [];
  L.push('export function sha256Iterate(state: Int32Array, times: number): void {');
  L.push('  for (let n = 0; n < times; n++) {');
  L.push(`    let ${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `w${i} = state[${i}]!`).join(', ')};`);
  L.push(`    let ${[8, 9, 10, 11, 12, 13, 14, 15].map((i) => `w${i}: number`).join(', ')}, t1: number, t2: number, x: number;`);
  L.push(`    let y = ${lit(IV256[1]! ^ IV256[2]!)};`);
  L.push(`    let ${v.map((name, i) => `${name} = ${lit(IV256[i]!)}`).join(', ')};`);
  for (let i = 0; i < 64; i++) {
    let wTerm: string | undefined;
    if (i < 16) {
      if (!known.has(i)) wTerm = w(i);
    } else {
      // W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16], fixed words folded into one constant.
      const terms: string[] = [];
      let constant = 0;
      const add = (j: number, f?: (x: number) => number, fSrc?: (x: string) => string) => {
        const k = known.get(j);
        if (k !== undefined) constant = (constant + (f ? f(k) : k)) | 0;
        else terms.push(fSrc ? fSrc(w(j)) : w(j));
      };
      add(i - 2, sig1, sig1Src);
      add(i - 7);
      add(i - 15, sig0, sig0Src);
      add(i - 16);
      if (constant !== 0) terms.push(lit(constant));
      L.push(`    ${w(i)} = (${terms.join(' + ')}) | 0;`);
      wTerm = w(i);
    }
    // Registers renamed instead of moved: round i's a…h are v[(k - i) mod 8].
    const [A, B, C, D, E, F, G, H] = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => v[(k - i + 64) % 8]!);
    const kw = lit(K256[i]! + (known.get(i) ?? 0));
    L.push(
      `    t1 = (${H} + (${rotrSrc(E!, 6)} ^ ${rotrSrc(E!, 11)} ^ ${rotrSrc(E!, 25)}) + (${G} ^ (${E} & (${F} ^ ${G}))) + ${kw}${wTerm ? ` + ${wTerm}` : ''}) | 0;`,
    );
    // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), and this round's b ^ c is the last round's a ^ b.
    const [ab, bc] = i % 2 ? ['y', 'x'] : ['x', 'y'];
    L.push(`    ${ab} = ${A} ^ ${B};`);
    L.push(`    t2 = ((${rotrSrc(A!, 2)} ^ ${rotrSrc(A!, 13)} ^ ${rotrSrc(A!, 22)}) + (${B} ^ (${ab} & ${bc}))) | 0;`);
    L.push(`    ${D} = (${D} + t1) | 0;`);
    L.push(`    ${H} = (t1 + t2) | 0;`);
  }
  for (let i = 0; i < 8; i++) L.push(`    state[${i}] = (${v[i]} + ${lit(IV256[i]!)}) | 0;`);
  L.push('  }');
  L.push('}');
  return L.join('\n');
}

function sha1Source(): string {
  const known = fixedWords(5);
  const v = ['a', 'b', 'c', 'd', 'e'];
  const w = (i: number) => `w${i % 16}`;
  const L: string[] = [];
  L.push('export function sha1Iterate(state: Int32Array, times: number): void {');
  L.push('  for (let n = 0; n < times; n++) {');
  L.push(`    let ${[0, 1, 2, 3, 4].map((i) => `w${i} = state[${i}]!`).join(', ')};`);
  L.push(`    let ${[5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((i) => `w${i}: number`).join(', ')}, t: number;`);
  L.push(`    let ${v.map((name, i) => `${name} = ${lit(IV1[i]!)}`).join(', ')};`);
  for (let i = 0; i < 80; i++) {
    let wTerm: string | undefined;
    let kw = K1[Math.floor(i / 20)]!;
    if (i < 16) {
      const k = known.get(i);
      if (k === undefined) wTerm = w(i);
      else kw = (kw + k) | 0;
    } else {
      // W[i] = ROTL1(W[i-3] ^ W[i-8] ^ W[i-14] ^ W[i-16]), fixed words folded into one constant.
      const terms: string[] = [];
      let constant = 0;
      for (const j of [i - 3, i - 8, i - 14, i - 16]) {
        const k = known.get(j);
        if (k !== undefined) constant ^= k;
        else terms.push(w(j));
      }
      if (constant !== 0) terms.push(lit(constant));
      L.push(`    t = ${terms.join(' ^ ')};`);
      L.push(`    ${w(i)} = ${rotlSrc('t', 1)};`);
      wTerm = w(i);
    }
    const [A, B, C, D, E] = [0, 1, 2, 3, 4].map((k) => v[(k - i + 80) % 5]!);
    const f =
      i < 20 ? `(${D} ^ (${B} & (${C} ^ ${D})))` : i >= 40 && i < 60 ? `((${B} & ${C}) | (${D} & (${B} | ${C})))` : `(${B} ^ ${C} ^ ${D})`;
    L.push(`    ${E} = (${E} + ${rotlSrc(A!, 5)} + ${f} + ${lit(kw)}${wTerm ? ` + ${wTerm}` : ''}) | 0;`);
    L.push(`    ${B} = ${rotlSrc(B!, 30)};`);
  }
  for (let i = 0; i < 5; i++) L.push(`    state[${i}] = (${v[i]} + ${lit(IV1[i]!)}) | 0;`);
  L.push('  }');
  L.push('}');
  return L.join('\n');
}

const BEGIN = '// BEGIN GENERATED by tests/unit/pki/pkcs12/sha-iterate.test.ts: do not edit by hand.';
const END = '// END GENERATED';

function generated(): string {
  return [
    BEGIN,
    '',
    '/** `times` more SHA-256 hashes of a 32-byte digest, in place on its eight big-endian words. */',
    sha256Source(),
    '',
    '/** `times` more SHA-1 hashes of a 20-byte digest, in place on its five big-endian words. */',
    sha1Source(),
    END,
  ].join('\n');
}

const sourcePath = join(projectRoot, 'src/core/pki/pkcs12/sha-iterate.ts');

describe('sha-iterate.ts is what its generator writes', () => {
  it('the generated part of the source matches the generator', () => {
    const source = readFileSync(sourcePath, 'utf8');
    const start = source.indexOf(BEGIN);
    const end = source.indexOf(END);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const want = generated();
    if (process.env.CERTDESK_WRITE_SHA_ITERATE === '1') {
      writeFileSync(sourcePath, source.slice(0, start) + want + source.slice(end + END.length));
      return;
    }
    expect(source.slice(start, end + END.length)).toBe(want);
  });
});

// ---------------------------------------------------------------------------------------------
// Byte-exactness

const words = (digest: Uint8Array): Int32Array => {
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  return Int32Array.from({ length: digest.length / 4 }, (_, i) => view.getInt32(4 * i));
};
const bytes = (state: Int32Array): Uint8Array => {
  const out = new Uint8Array(state.length * 4);
  const view = new DataView(out.buffer);
  state.forEach((x, i) => view.setInt32(4 * i, x));
  return out;
};
/** The reference: a general-purpose hash, `times` times. */
function nobleIterate(hash: (m: Uint8Array) => Uint8Array, digest: Uint8Array, times: number): Uint8Array {
  let a = digest;
  for (let i = 0; i < times; i++) a = hash(a);
  return a;
}

describe.each([
  { name: 'SHA-256', fast: sha256Iterate, noble: sha256, len: 32 },
  { name: 'SHA-1', fast: sha1Iterate, noble: sha1, len: 20 },
])('$name iterate against @noble/hashes', ({ fast, noble, len }) => {
  it('random digests, 0–300 iterations (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: len, maxLength: len }), fc.integer({ min: 0, max: 300 }), (digest, times) => {
        const state = words(digest);
        fast(state, times);
        expect(Buffer.from(bytes(state)).toString('hex')).toBe(Buffer.from(nobleIterate(noble, digest, times)).toString('hex'));
      }),
      { numRuns: 200 },
    );
  });
  it.each([
    ['all zero', 0x00],
    ['all ones', 0xff],
    ['0x80 (a word with only the sign bit)', 0x80],
  ])('digest of %s bytes, 5,000 iterations in uneven chunks', (_, fill) => {
    const digest = new Uint8Array(len).fill(fill);
    const state = words(digest);
    for (const chunk of [1, 2, 997, 4000]) fast(state, chunk);
    expect(bytes(state)).toEqual(nobleIterate(noble, digest, 5000));
  });
  it('0 iterations leave the state as it was', () => {
    const state = Int32Array.from({ length: len / 4 }, (_, i) => i * 0x1234567);
    const before = state.slice();
    fast(state, 0);
    expect(state).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// The KDF on the unrolled path (SHA-256, SHA-1) against OpenSSL

describe('PKCS#12 KDF over the unrolled hashes against `openssl kdf PKCS12KDF`', () => {
  const passwords: [string, string | null][] = [
    ['NULL', null],
    ['empty', ''],
    ['ASCII', 'changeit'],
    ['Unicode (Greek, €, and an emoji outside the BMP)', 'σύνθημα€🔑'],
  ];
  const cases: { hash: HashName; iter: number; id: 1 | 2 | 3; len: number; password: string | null; label: string }[] = [];
  for (const hash of ['SHA-256', 'SHA-1'] as const) {
    for (const iter of [1, 2, 1000, 4096, 4097, 100_000]) {
      for (const [label, password] of passwords) {
        // The full 100,000 runs once per password for SHA-256 (the modern MAC) and once for SHA-1.
        if (iter === 100_000 && hash === 'SHA-1' && password !== 'changeit') continue;
        cases.push({ hash, iter, id: iter % 2 ? 1 : 3, len: hash === 'SHA-256' ? (iter === 2 ? 72 : 32) : iter === 2 ? 24 : 20, password, label });
      }
    }
  }
  it.each(cases)('$hash, $iter iterations, id $id, $len bytes, password $label', async (c) => {
    const pw = bmpPassword(c.password);
    const salt = '0a58cf64530d823f1122334455667788';
    const r = openssl([
      'kdf', '-keylen', String(c.len), '-kdfopt', `digest:${c.hash.replace('-', '')}`, '-kdfopt', `hexpass:${Buffer.from(pw).toString('hex')}`,
      '-kdfopt', `hexsalt:${salt}`, '-kdfopt', `iter:${c.iter}`, '-kdfopt', `id:${c.id}`, 'PKCS12KDF',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const want = r.stdout.trim().replace(/:/g, '').toLowerCase();
    const got = await pkcs12Kdf(hashByName(c.hash), pw, new Uint8Array(Buffer.from(salt, 'hex')), c.id, c.iter, c.len);
    expect(Buffer.from(got).toString('hex')).toBe(want);
  });
});

describe('the KDF loop on the unrolled path stays cancellable', () => {
  it.each(['SHA-256', 'SHA-1'] as const)('%s: an abort during 100,000,000 iterations ends it with an AbortError within one chunk', async (name) => {
    const controller = new AbortController();
    const run = pkcs12Kdf(hashByName(name), bmpPassword('x'), new Uint8Array(8), 3, 100_000_000, 20, controller.signal);
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 50);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    // A chunk of KDF_YIELD_EVERY hashes is about a millisecond; the bound leaves room for a loaded machine.
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(250);
  });
  it('an already aborted signal stops it before the first chunk', async () => {
    const controller = new AbortController();
    controller.abort();
    const started = performance.now();
    await expect(pkcs12Kdf(hashByName('SHA-256'), bmpPassword('x'), new Uint8Array(8), 3, 100_000_000, 32, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(performance.now() - started).toBeLessThan(250);
  });
});
