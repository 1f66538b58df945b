import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Asn1Error, checkStructure, children, context, der, Fields, fieldsOf, readDer, readTlv, TAG, contentOf, encodingOf } from '../../../../src/core/pki/asn1';
import { limits } from '../../../../src/core/pki/limits';

const hex = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof Asn1Error) return `${error.code}: ${error.detail}`;
    return `raw ${String(error)}`;
  }
  return 'ok';
}

/** n nested SEQUENCEs around an empty one. */
function nested(n: number): Uint8Array {
  let inner = der.sequence();
  for (let i = 0; i < n; i++) inner = der.sequence(inner);
  return inner;
}

describe('readTlv: lengths and tags (X.690 §8.1, §10.1)', () => {
  const cases: { name: string; input: string; encoding?: 'der' | 'ber'; want: string }[] = [
    { name: 'short form', input: '04 02 aa bb', want: 'ok' },
    { name: 'long form, one byte', input: '04 81 80' + 'aa'.repeat(128), want: 'ok' },
    { name: 'long form for a short length (non-minimal)', input: '04 81 02 aa bb', want: 'invalid-encoding: a length field is not minimal (long form for a short length)' },
    { name: 'leading zero in a long length (non-minimal)', input: '04 82 00 80' + 'aa'.repeat(128), want: 'invalid-encoding: a length field is not minimal (leading zero)' },
    { name: 'non-minimal length in BER too', input: '04 81 02 aa bb', encoding: 'ber', want: 'invalid-encoding: a length field is not minimal (long form for a short length)' },
    { name: 'length past the end', input: '04 05 aa', want: 'invalid-encoding: a length field points past the end of the data (truncated file?)' },
    { name: 'truncated header', input: '30', want: 'invalid-encoding: it ends in the middle of an element' },
    { name: 'truncated length field', input: '30 82 01', want: 'invalid-encoding: it ends in the middle of a length field' },
    { name: 'five length bytes', input: '30 85 00 00 00 00 01 00', want: 'invalid-encoding: a length field is larger than any file Certdesk reads' },
    { name: 'reserved length 0xFF', input: '30 ff', want: 'invalid-encoding: a length field uses the reserved value 0xFF' },
    { name: 'high tag number', input: '1f 81 00 00', want: 'invalid-encoding: it uses a multi-byte ASN.1 tag' },
    { name: 'indefinite length in DER', input: '30 80 00 00', want: 'not-der: it uses an indefinite length, which DER forbids' },
    { name: 'indefinite length in BER', input: '30 80 02 01 01 00 00', encoding: 'ber', want: 'ok' },
    { name: 'indefinite primitive in BER', input: '04 80 00 00', encoding: 'ber', want: 'invalid-encoding: a primitive element has an indefinite length' },
    { name: 'unterminated indefinite length', input: '30 80 02 01 01', encoding: 'ber', want: 'invalid-encoding: an indefinite-length element is not terminated' },
    { name: 'trailing bytes', input: '05 00 00', want: 'trailing-bytes: there are extra bytes after its end' },
  ];
  for (const c of cases)
    it(c.name, () => {
      expect(errorOf(() => readDer(hex(c.input), c.encoding))).toBe(c.want);
    });

  it('resolves an indefinite length to the end-of-contents octets', () => {
    const t = readDer(hex('30 80 02 01 07 00 00'), 'ber');
    expect([t.contentStart, t.contentEnd, t.end]).toEqual([2, 5, 7]);
    expect(children(t).map((c) => c.tag)).toEqual([TAG.INTEGER]);
  });
});

describe('nesting limit (limits.maxAsn1Depth, OpenSSL tasn_dec.c)', () => {
  const walkAll = (bytes: Uint8Array) => {
    const go = (t: ReturnType<typeof readDer>): void => {
      if (t.tag & 0x20) for (const c of children(t)) go(c);
    };
    go(readDer(bytes));
  };
  it(`reads ${limits.maxAsn1Depth} levels below the outermost element`, () => {
    expect(errorOf(() => walkAll(nested(limits.maxAsn1Depth)))).toBe('ok');
  });
  it('refuses one level more', () => {
    expect(errorOf(() => walkAll(nested(limits.maxAsn1Depth + 1)))).toBe(`asn1-too-deep: it nests ASN.1 more than ${limits.maxAsn1Depth} levels deep`);
  });
  it('refuses deep BER nesting while resolving indefinite lengths', () => {
    const open = '30 80 '.repeat(40);
    const close = '00 00 '.repeat(40);
    expect(errorOf(() => readDer(hex(open + close), 'ber'))).toBe(`asn1-too-deep: it nests ASN.1 more than ${limits.maxAsn1Depth} levels deep`);
  });
});

describe('checkStructure', () => {
  const oidOf = (bytes: number) => der.tlv(TAG.OID, Uint8Array.from({ length: bytes }, (_, i) => (i === bytes - 1 ? 0x01 : 0x81)));

  it(`accepts an OID of ${limits.maxOidBytes} bytes and refuses one byte more`, () => {
    expect(errorOf(() => checkStructure(readDer(der.sequence(oidOf(limits.maxOidBytes)))))).toBe('ok');
    expect(errorOf(() => checkStructure(readDer(der.sequence(oidOf(limits.maxOidBytes + 1)))))).toMatch(/^asn1-oid-too-long/);
  });

  it('finds a huge OID inside an OCTET STRING (an extension value) and inside a BIT STRING', () => {
    const huge = der.sequence(oidOf(1_000_000));
    expect(errorOf(() => checkStructure(readDer(der.sequence(der.octetString(huge)))))).toMatch(/^asn1-oid-too-long/);
    expect(errorOf(() => checkStructure(readDer(der.sequence(der.bitString(huge)))))).toMatch(/^asn1-oid-too-long/);
    // …and inside a string inside a string inside a string.
    expect(errorOf(() => checkStructure(readDer(der.octetString(der.octetString(der.octetString(huge))))))).toMatch(/^asn1-oid-too-long/);
  });

  it('finds a huge OID that precedes malformed bytes in string contents', () => {
    const payload = new Uint8Array([...der.sequence(oidOf(500)), 0x30, 0x7f]);
    expect(errorOf(() => checkStructure(readDer(der.octetString(payload))))).toMatch(/^asn1-oid-too-long/);
  });

  it('treats string contents that are not ASN.1 as opaque', () => {
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 0xff);
    expect(errorOf(() => checkStructure(readDer(der.sequence(der.octetString(random), der.bitString(random)))))).toBe('ok');
    // A valid header over garbage: still just opaque data.
    expect(errorOf(() => checkStructure(readDer(der.octetString(hex('30 03 30 7f 00')))))).toBe('ok');
  });

  it(`accepts ${limits.maxAsn1Elements} elements and refuses one more`, () => {
    const atLimit = der.sequence(...Array.from({ length: limits.maxAsn1Elements - 1 }, () => der.nullValue()));
    expect(errorOf(() => checkStructure(readDer(atLimit)))).toBe('ok');
    const past = der.sequence(...Array.from({ length: limits.maxAsn1Elements }, () => der.nullValue()));
    expect(errorOf(() => checkStructure(readDer(past)))).toMatch(/^asn1-too-many-elements/);
  });

  it('counts elements inside strings towards the budget', () => {
    const inner = der.sequence(...Array.from({ length: limits.maxAsn1Elements }, () => der.nullValue()));
    expect(errorOf(() => checkStructure(readDer(der.sequence(der.octetString(inner)))))).toMatch(/^asn1-too-many-elements/);
  });

  it('refuses too-deep nesting hidden in an OCTET STRING', () => {
    expect(errorOf(() => checkStructure(readDer(der.sequence(der.octetString(nested(limits.maxAsn1Depth))))))).toMatch(/^asn1-too-deep/);
  });

  it('reports a malformed outer structure (not opaque)', () => {
    expect(errorOf(() => checkStructure(readDer(hex('30 04 30 03 05 00'))))).toMatch(/^invalid-encoding/);
  });
});

describe('Fields', () => {
  const body = der.sequence(der.explicit(0, der.integer(2)), der.integer(7), der.oid('1.2.3'));

  it('reads optional and required fields in order', () => {
    const f = fieldsOf(readDer(body), 'test');
    expect(f.optional(context(0, true))).toBeDefined();
    expect(f.optional(context(1, true))).toBeUndefined();
    expect(contentOf(f.next(TAG.INTEGER, 'n'))).toEqual(Uint8Array.of(7));
    expect(f.peek()).toBe(TAG.OID);
    f.next(undefined, 'anything');
    expect(f.done).toBe(true);
    f.end();
  });

  it('names the field that is missing, of the wrong type, or extra', () => {
    const f = () => fieldsOf(readDer(body), 'test');
    expect(errorOf(() => f().next(TAG.OID, 'algorithm'))).toBe('invalid-encoding: algorithm in test has the wrong type');
    expect(
      errorOf(() => {
        const g = f();
        g.rest();
        g.next(TAG.INTEGER, 'serial');
      }),
    ).toBe('invalid-encoding: serial is missing from test');
    expect(
      errorOf(() => {
        const g = f();
        g.next(undefined, 'a');
        g.end();
      }),
    ).toBe('invalid-encoding: test has unexpected extra fields');
    expect(errorOf(() => fieldsOf(readDer(der.integer(1)), 'seq'))).toBe('invalid-encoding: seq has the wrong type');
    expect(errorOf(() => new Fields(readDer(der.octetString(new Uint8Array(2))), 'x'))).toBe('invalid-encoding: a primitive element stands where a structure belongs');
  });
});

describe('round trip: anything the writer writes, the reader reads back', () => {
  const element: fc.Memo<Uint8Array> = fc.memo((n) =>
    n <= 1
      ? fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((b) => der.octetString(b)),
          fc.bigInt({ min: 0n, max: 1n << 200n }).map((v) => der.integer(v)),
          fc.boolean().map((v) => der.boolean(v)),
          fc.constant(der.nullValue()),
        )
      : fc.array(element(n - 1), { maxLength: 5 }).map((items) => der.sequence(...items)),
  );
  it('reads every element with its exact encoding', () => {
    fc.assert(
      fc.property(element(4), (bytes) => {
        const t = readDer(bytes);
        expect(encodingOf(t)).toEqual(bytes);
        const reencode = (x: ReturnType<typeof readDer>): Uint8Array => (x.tag & 0x20 ? der.tlv(x.tag, ...children(x).map(reencode)) : der.tlv(x.tag, contentOf(x)));
        expect(reencode(t)).toEqual(bytes);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});

it('readTlv reads inside a window and never past it', () => {
  const bytes = hex('30 03 02 01 05 ff ff');
  expect(errorOf(() => readTlv(bytes, 0, 4))).toBe('invalid-encoding: a length field points past the end of the data (truncated file?)');
  expect(readTlv(bytes, 0, 5).end).toBe(5);
});
