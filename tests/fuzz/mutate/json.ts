/**
 * JSON-aware mutations for the backup reader: a value anywhere in the document replaced by one
 * of another type or a boundary value, keys deleted or added (`__proto__` too), array elements
 * duplicated, swapped or taken from elsewhere in the document, base64 and id strings damaged,
 * nesting thousands deep — then, sometimes, byte-level changes of the text.
 */
import type { Rng } from '../rng';
import { mutateBytes } from './bytes';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Slot {
  get(): Json;
  set(value: Json): void;
  remove(): void;
  container: Json[] | { [key: string]: Json };
}

/** Every place in the document a value sits (not below depth 64: mutations nest thousands deep). */
function slots(value: Json, out: Slot[] = [], depth = 0): Slot[] {
  if (depth > 64) return out;
  if (Array.isArray(value)) {
    value.forEach((_, i) => {
      out.push({ get: () => value[i]!, set: (v) => (value[i] = v), remove: () => value.splice(i, 1), container: value });
      slots(value[i]!, out, depth + 1);
    });
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push({ get: () => value[key]!, set: (v) => (value[key] = v), remove: () => delete value[key], container: value });
      slots(value[key]!, out, depth + 1);
    }
  }
  return out;
}

function replacement(rng: Rng, old: Json): Json {
  return rng.pick<() => Json>([
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1.5,
    () => 1e308,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => '',
    () => 'x',
    () => '0'.repeat(rng.pick([64, 10_000, 1_000_000])),
    () => [],
    () => ({}),
    () => [old],
    () => ({ value: old }),
    () => (typeof old === 'string' ? old + old : String(old)),
    () => (typeof old === 'number' ? -old : typeof old === 'string' ? Number(old.length) : 1),
    () => {
      let v: Json = old;
      for (let i = rng.pick([10, 100, 1000]); i > 0; i--) v = [v];
      return v;
    },
  ])();
}

function damageString(rng: Rng, s: string): string {
  if (!s.length) return 'A';
  const at = rng.below(s.length);
  switch (rng.below(5)) {
    case 0:
      return s.slice(0, at) + s.slice(at + 1);
    case 1:
      return s.slice(0, at) + rng.pick(['=', '!', '-', '_', ' ', '\u00e9', 'A', '\u0000']) + s.slice(at + 1);
    case 2:
      return s + '=';
    case 3:
      return s.slice(0, at);
    default:
      return s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ 1) + s.slice(at + 1);
  }
}

/** One mutated input from JSON `bytes`. */
export function mutateJson(rng: Rng, bytes: Uint8Array): Uint8Array {
  if (rng.chance(0.1)) return mutateBytes(rng, bytes);
  let doc: Json;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes)) as Json;
  } catch {
    return mutateBytes(rng, bytes);
  }
  const count = rng.weighted<number>([[60, 1], [25, 2], [15, 4]]);
  for (let i = 0; i < count; i++) {
    const all = slots(doc);
    if (!all.length) {
      doc = replacement(rng, doc);
      continue;
    }
    const slot = rng.pick(all);
    const value = slot.get();
    switch (rng.weighted<string>([[30, 'replace'], [15, 'remove'], [20, 'string'], [10, 'duplicate'], [8, 'add'], [10, 'copy'], [7, 'swap']])) {
      case 'replace':
        slot.set(replacement(rng, value));
        break;
      case 'remove':
        slot.remove();
        break;
      case 'string':
        slot.set(typeof value === 'string' ? damageString(rng, value) : replacement(rng, value));
        break;
      case 'duplicate':
        if (Array.isArray(slot.container)) {
          const times = rng.weighted<number>([[80, 1], [15, 100], [4, 1000], [1, 10_000]]);
          slot.container.push(...Array.from({ length: times }, () => JSON.parse(JSON.stringify(value)) as Json));
        }
        break;
      case 'add':
        if (!Array.isArray(slot.container)) {
          const key = rng.pick(['__proto__', 'constructor', 'extra', 'id', 'der', 'keyId', 'facts', '']);
          Object.defineProperty(slot.container, key, { value: replacement(rng, value), enumerable: true, writable: true, configurable: true });
        }
        break;
      case 'copy':
        slot.set(JSON.parse(JSON.stringify(rng.pick(all).get())) as Json);
        break;
      case 'swap': {
        const other = rng.pick(all);
        const mine = slot.get();
        slot.set(other.get());
        other.set(mine);
        break;
      }
    }
  }
  let text: string;
  try {
    text = JSON.stringify(doc) ?? 'null';
  } catch {
    // A swap can make a cycle: the document is then written as it was.
    return mutateBytes(rng, bytes);
  }
  // Nesting far deeper than objects can be built here: written into the text.
  if (rng.chance(0.01)) {
    const depth = rng.pick([10_000, 100_000]);
    const at = text.indexOf(':', rng.below(text.length)) + 1 || text.length;
    text = text.slice(0, at) + '['.repeat(depth) + '0' + ']'.repeat(depth) + text.slice(text.indexOf(',', at) < 0 ? text.length : text.indexOf(',', at));
  }
  const out = new TextEncoder().encode(text);
  return rng.chance(0.05) ? mutateBytes(rng, out) : out;
}
