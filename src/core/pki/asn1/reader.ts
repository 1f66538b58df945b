/**
 * The one ASN.1 reader: tag-length-value elements over a byte array (X.690), strict DER by
 * default, BER only where a format in the wild needs it (PKCS#7 and PKCS#12 from Windows and
 * Java use indefinite lengths and segmented OCTET STRINGs, X.690 §8.1.3.6, §8.7.3).
 *
 * Everything here reads attacker-supplied bytes, so every element is bounded: nesting depth
 * (limits.maxAsn1Depth), length fields (at most 4 bytes, never past the end, minimal), tags
 * (low tag numbers only), and `checkStructure` walks a whole object with an element budget and
 * the OID size limit before any library sees it, descending into OCTET STRINGs and BIT STRINGs
 * that carry DER (extension values, keys, bag contents), because libraries parse those too.
 */
import { limits } from '../limits';
import { Asn1Error } from './errors';

/** `der`: X.690 §10 distinguished encoding. `ber`: also indefinite lengths and segmented strings. */
export type Encoding = 'der' | 'ber';

/** Universal tags (identifier octets, X.680 §8.4) that Certdesk reads. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** The identifier octet of a context-specific tag [n] (X.680 §8.1): `[0] EXPLICIT` is `context(0, true)`. */
export function context(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/** One element inside `bytes`. */
export interface Tlv {
  readonly bytes: Uint8Array;
  /** The identifier octet: class, constructed bit and tag number. */
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  /** End of the contents (for an indefinite length: where the end-of-contents octets start). */
  readonly contentEnd: number;
  /** Just past the element. */
  readonly end: number;
  readonly depth: number;
  readonly encoding: Encoding;
}

export function isConstructed(tlv: Tlv): boolean {
  return (tlv.tag & 0x20) !== 0;
}

/** The contents octets of an element (no header). */
export function contentOf(tlv: Tlv): Uint8Array {
  return tlv.bytes.subarray(tlv.contentStart, tlv.contentEnd);
}

/** The whole encoding of an element, header included. */
export function encodingOf(tlv: Tlv): Uint8Array {
  return tlv.bytes.subarray(tlv.start, tlv.end);
}

/** Why an element could not be read, without the cost of an exception (checkStructure probes opaque contents). */
interface ReadFailure {
  code: 'invalid-encoding' | 'not-der' | 'asn1-too-deep';
  detail: string;
}

function fail(code: ReadFailure['code'], detail: string): ReadFailure {
  return { code, detail };
}

function scan(bytes: Uint8Array, offset: number, limit: number, encoding: Encoding, depth: number): Tlv | ReadFailure {
  if (depth > limits.maxAsn1Depth) return fail('asn1-too-deep', `it nests ASN.1 more than ${limits.maxAsn1Depth} levels deep`);
  if (offset + 2 > limit) return fail('invalid-encoding', 'it ends in the middle of an element');
  const tag = bytes[offset]!;
  // High tag numbers (X.690 §8.1.2.4) never occur in the formats Certdesk reads; refusing them
  // also ends the "1,000 continuation bytes" attack before it starts.
  if ((tag & 0x1f) === 0x1f) return fail('invalid-encoding', 'it uses a multi-byte ASN.1 tag');
  let pos = offset + 1;
  const first = bytes[pos++]!;
  if (first === 0x80) {
    if (encoding === 'der') return fail('not-der', 'it uses an indefinite length, which DER forbids');
    if ((tag & 0x20) === 0) return fail('invalid-encoding', 'a primitive element has an indefinite length');
    const contentStart = pos;
    for (;;) {
      if (pos + 2 > limit) return fail('invalid-encoding', 'an indefinite-length element is not terminated');
      if (bytes[pos] === 0 && bytes[pos + 1] === 0) return { bytes, tag, start: offset, contentStart, contentEnd: pos, end: pos + 2, depth, encoding };
      const inner = scan(bytes, pos, limit, encoding, depth + 1);
      if (!('tag' in inner)) return inner;
      pos = inner.end;
    }
  }
  let length = first;
  if (first === 0xff) return fail('invalid-encoding', 'a length field uses the reserved value 0xFF');
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) return fail('invalid-encoding', 'a length field is larger than any file Certdesk reads');
    if (pos + count > limit) return fail('invalid-encoding', 'it ends in the middle of a length field');
    if (bytes[pos] === 0) return fail('invalid-encoding', 'a length field is not minimal (leading zero)');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[pos++]!;
    if (length < 0x80) return fail('invalid-encoding', 'a length field is not minimal (long form for a short length)');
  }
  const end = pos + length;
  if (end > limit) return fail('invalid-encoding', 'a length field points past the end of the data (truncated file?)');
  return { bytes, tag, start: offset, contentStart: pos, contentEnd: end, end, depth, encoding };
}

/**
 * Reads one element at `offset` that must end at or before `limit`. Lengths must be minimal in
 * both encodings (X.690 §10.1; strict BER readers such as OpenSSL's and Node's agree).
 */
export function readTlv(bytes: Uint8Array, offset: number, limit: number, encoding: Encoding = 'der', depth = 0): Tlv {
  const result = scan(bytes, offset, limit, encoding, depth);
  if ('tag' in result) return result;
  throw new Asn1Error(result.code, result.detail);
}

/** Reads `bytes` as exactly one element: anything after it is `trailing-bytes`. */
export function readDer(bytes: Uint8Array, encoding: Encoding = 'der'): Tlv {
  const tlv = readTlv(bytes, 0, bytes.length, encoding);
  if (tlv.end !== bytes.length) throw new Asn1Error('trailing-bytes', 'there are extra bytes after its end');
  return tlv;
}

/** The elements inside a constructed element, in the parent's encoding. */
export function children(tlv: Tlv): Tlv[] {
  if (!isConstructed(tlv)) throw new Asn1Error('invalid-encoding', 'a primitive element stands where a structure belongs');
  const out: Tlv[] = [];
  let pos = tlv.contentStart;
  while (pos < tlv.contentEnd) {
    const child = readTlv(tlv.bytes, pos, tlv.contentEnd, tlv.encoding, tlv.depth + 1);
    out.push(child);
    pos = child.end;
  }
  return out;
}

/** The element itself when it has the identifier octet `tag`; `what` names it in the error. */
export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv) throw new Asn1Error('invalid-encoding', `${what} is missing`);
  if (tlv.tag !== tag) throw wrongType(tlv.tag, tag, what);
  return tlv;
}

/** The error for a field of another type; a BER form DER forbids (a constructed string, a primitive SEQUENCE) is named as such. */
function wrongType(found: number, wanted: number, what: string): Asn1Error {
  if ((found ^ wanted) === 0x20)
    return new Asn1Error('invalid-encoding', `${what} uses the ${found & 0x20 ? 'constructed' : 'primitive'} form where DER requires the ${found & 0x20 ? 'primitive' : 'constructed'} one`);
  return new Asn1Error('invalid-encoding', `${what} has the wrong type`);
}

/**
 * Reads the fields of a constructed element in order, the way ASN.1 definitions read:
 * `const f = fieldsOf(tbs, 'tbsCertificate'); f.optional(context(0, true)); f.next(TAG.INTEGER, 'serialNumber'); … f.end();`
 */
export class Fields {
  readonly #items: Tlv[];
  #index = 0;

  constructor(
    readonly parent: Tlv,
    readonly what: string,
  ) {
    this.#items = children(parent);
  }

  /** Whether every field has been read. */
  get done(): boolean {
    return this.#index >= this.#items.length;
  }

  /** The identifier octet of the next field, if any. */
  peek(): number | undefined {
    return this.#items[this.#index]?.tag;
  }

  /** The next field, which must have identifier `tag` (any tag when omitted). */
  next(tag: number | undefined, what: string): Tlv {
    const item = this.#items[this.#index];
    if (!item) throw new Asn1Error('invalid-encoding', `${what} is missing from ${this.what}`);
    if (tag !== undefined && item.tag !== tag) throw wrongType(item.tag, tag, `${what} in ${this.what}`);
    this.#index++;
    return item;
  }

  /** The next field if it has identifier `tag`; otherwise nothing is consumed. */
  optional(tag: number): Tlv | undefined {
    const item = this.#items[this.#index];
    if (item?.tag !== tag) return undefined;
    this.#index++;
    return item;
  }

  /** All remaining fields. */
  rest(): Tlv[] {
    const out = this.#items.slice(this.#index);
    this.#index = this.#items.length;
    return out;
  }

  /** Asserts that no field is left (X.680: no extra elements where the definition has none). */
  end(): void {
    if (!this.done) throw new Asn1Error('invalid-encoding', `${this.what} has unexpected extra fields`);
  }
}

/** Starts reading the fields of a SEQUENCE (or another constructed element with `tag`). */
export function fieldsOf(tlv: Tlv | undefined, what: string, tag: number = TAG.SEQUENCE): Fields {
  return new Fields(expectTag(tlv, tag, what), what);
}

/**
 * Walks a whole object and refuses what no real certificate, key or PKCS#12 bag has: nesting
 * beyond limits.maxAsn1Depth, more than limits.maxAsn1Elements elements, an OID longer than
 * limits.maxOidBytes. OCTET STRING and BIT STRING contents are walked too wherever they parse as
 * ASN.1 (as far as they parse: elements before a malformed one are still checked), since
 * libraries decode extension values, keys and bags from them. Call it before handing bytes to
 * any library parser (asn1js, @peculiar/*).
 */
export function checkStructure(root: Tlv, budget: { elements: number } = { elements: limits.maxAsn1Elements }): void {
  visit(root.bytes, root.tag, root.contentStart, root.contentEnd, root.depth, root.encoding, budget, true);
}

/** One element: counted, its OID size checked, its contents walked (`strict`: false inside opaque string contents). */
function visit(bytes: Uint8Array, tag: number, contentStart: number, contentEnd: number, depth: number, encoding: Encoding, budget: { elements: number }, strict: boolean): void {
  if (--budget.elements < 0) throw new Asn1Error('asn1-too-many-elements', `it has more than ${limits.maxAsn1Elements.toLocaleString('en')} ASN.1 elements, far beyond any real certificate or key`);
  if (tag === TAG.OID && contentEnd - contentStart > limits.maxOidBytes)
    throw new Asn1Error('asn1-oid-too-long', `it contains an object identifier longer than ${limits.maxOidBytes} bytes, which no real certificate or key has`);
  if (tag & 0x20) walkContents(bytes, contentStart, contentEnd, depth + 1, encoding, budget, strict);
  else if (tag === TAG.OCTET_STRING) walkContents(bytes, contentStart, contentEnd, depth + 1, encoding, budget, false);
  else if (tag === TAG.BIT_STRING && contentEnd > contentStart && bytes[contentStart] === 0) walkContents(bytes, contentStart + 1, contentEnd, depth + 1, encoding, budget, false);
}

/**
 * Walks the elements between `start` and `end` at `depth`, reading headers in place (the walk
 * allocates nothing per element). In opaque string contents (`strict` false) a structural
 * failure only means "not ASN.1" and ends the walk there; the limits stay fatal.
 */
function walkContents(bytes: Uint8Array, start: number, end: number, depth: number, encoding: Encoding, budget: { elements: number }, strict: boolean): void {
  let pos = start;
  while (pos < end) {
    const tag = bytes[pos]!;
    // Tag 0 is the end-of-contents marker, never a DER element: opaque contents holding it are
    // not ASN.1 (a zero-filled salt would otherwise count as millions of elements).
    if (tag === 0 && !strict) return;
    // The common headers are read in place; the rare and the failing ones take the general
    // reader, which says what is wrong.
    const elementEnd = depth <= limits.maxAsn1Depth ? simpleElementEnd(bytes, pos, end) : -1;
    if (elementEnd >= 0) {
      visit(bytes, tag, simpleContentStart(bytes, pos), elementEnd, depth, encoding, budget, strict);
      pos = elementEnd;
      continue;
    }
    const child = scan(bytes, pos, end, encoding, depth);
    if (!('tag' in child)) {
      if (!strict && (child.code === 'invalid-encoding' || child.code === 'not-der')) return;
      throw new Asn1Error(child.code, child.detail);
    }
    visit(bytes, child.tag, child.contentStart, child.contentEnd, depth, encoding, budget, strict);
    pos = child.end;
  }
}

/**
 * The end of the element at `pos` when its header is of the common kind — a low tag number, a
 * definite length in minimal form with at most 4 length octets, the element within `limit` —
 * or -1 for anything else. Allocation-free walks read headers with it and leave every other
 * case, and every error, to `readTlv` (the nesting depth is theirs to bound).
 */
export function simpleElementEnd(bytes: Uint8Array, pos: number, limit: number): number {
  if (pos + 2 > limit || (bytes[pos]! & 0x1f) === 0x1f) return -1;
  const first = bytes[pos + 1]!;
  if (first < 0x80) return pos + 2 + first <= limit ? pos + 2 + first : -1;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || pos + 2 + count > limit || bytes[pos + 2] === 0) return -1;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[pos + 2 + i]!;
  const end = pos + 2 + count + length;
  return length >= 0x80 && end <= limit ? end : -1;
}

/** Where the contents of an element start, for a header `simpleElementEnd` accepted. */
export function simpleContentStart(bytes: Uint8Array, pos: number): number {
  const first = bytes[pos + 1]!;
  return pos + 2 + (first < 0x80 ? 0 : first & 0x7f);
}
