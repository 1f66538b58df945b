/**
 * The campaign's random numbers: one small, fast, seedable generator (sfc32, from PractRand),
 * seeded per execution from (campaign seed, execution index) so that any execution can be
 * made again from those two numbers alone — that is how a hang is written down after the
 * worker running it was terminated.
 */

/** splitmix32: turns any 32-bit number into a well-mixed one (seeding only). */
function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number, stream = 0) {
    const mix = splitmix32((seed ^ Math.imul(stream, 0x27d4eb2d)) | 0);
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix() | 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** The generator of execution `index` of a campaign seeded with `seed`. */
  static forExecution(seed: number, index: number): Rng {
    return new Rng(seed, index + 1);
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 1 ? 0 : Math.floor((this.u32() / 0x1_0000_0000) * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** One of `choices` by weight. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of choices) total += w;
    let r = this.u32() / 0x1_0000_0000 * total;
    for (const [w, value] of choices) {
      if ((r -= w) < 0) return value;
    }
    return choices[choices.length - 1]![1];
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** A size biased to small numbers: mostly 1–8, sometimes up to `max`. */
  smallSize(max: number): number {
    const r = this.below(100);
    if (r < 70) return this.between(1, Math.min(8, max));
    if (r < 95) return this.between(1, Math.min(256, max));
    return this.between(1, max);
  }
}
