/**
 * Byte-level mutations, the classic ones (AFL's havoc stage): flip a bit, set a byte to a
 * boundary value, insert, delete or duplicate a run, overwrite with random bytes, truncate.
 */
import { concatBytes } from '../../../src/core/pki/asn1/bytes';
import type { Rng } from '../rng';

const INTERESTING = [0x00, 0x01, 0x02, 0x05, 0x06, 0x0d, 0x0a, 0x1f, 0x20, 0x2d, 0x30, 0x3d, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xa0, 0xfe, 0xff];

/** One to a few byte-level changes of `input` (never in place). */
export function mutateBytes(rng: Rng, input: Uint8Array): Uint8Array {
  let out: Uint8Array = input.slice();
  const count = rng.weighted<number>([[60, 1], [25, 2], [15, rng.between(3, 8)]]);
  for (let i = 0; i < count; i++) {
    const at = out.length ? rng.below(out.length) : 0;
    switch (rng.below(8)) {
      case 0:
        if (out.length) out[at]! ^= 1 << rng.below(8);
        break;
      case 1:
        if (out.length) out[at] = rng.pick(INTERESTING);
        break;
      case 2:
        if (out.length) out[at] = rng.below(256);
        break;
      case 3: {
        const len = rng.smallSize(64);
        out = concatBytes(out.subarray(0, at), out.subarray(at + len));
        break;
      }
      case 4:
        out = concatBytes(out.subarray(0, at), rng.bytes(rng.smallSize(32)), out.subarray(at));
        break;
      case 5: {
        const from = out.length ? rng.below(out.length) : 0;
        const len = rng.smallSize(Math.max(1, out.length - from));
        out = concatBytes(out.subarray(0, at), out.subarray(from, from + len), out.subarray(at));
        break;
      }
      case 6:
        out = out.slice(0, rng.below(out.length + 1));
        break;
      case 7: {
        const len = rng.smallSize(8);
        for (let j = 0; j < len && at + j < out.length; j++) out[at + j] = rng.below(256);
        break;
      }
    }
  }
  return out;
}
