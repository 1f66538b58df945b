import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Asn1Error,
  bitIsSet,
  decodeOid,
  der,
  encodeOid,
  readBitString,
  readBoolean,
  readDer,
  readInteger,
  readNull,
  readOctetString,
  readOid,
  readSmallInteger,
  readString,
  readTime,
  TAG,
} from '../../../../src/core/pki/asn1';
import { openssl } from '../../../support/fixtures';

const hex = (h: string) => Uint8Array.from((h.replace(/\s+/g, '').match(/../g) ?? []).map((b) => parseInt(b, 16)));
const el = (h: string, encoding: 'der' | 'ber' = 'der') => readDer(hex(h), encoding);

function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Asn1Error) return `${error.code}: ${error.detail}`;
    return `raw ${String(error)}`;
  }
}

describe('INTEGER (X.690 §8.3)', () => {
  const cases: { input: string; want: unknown }[] = [
    { input: '02 01 00', want: 0 },
    { input: '02 01 7f', want: 127 },
    { input: '02 02 00 80', want: 128 },
    { input: '02 00', want: 'invalid-encoding: n is an empty INTEGER' },
    { input: '02 02 00 7f', want: 'invalid-encoding: n is an INTEGER with superfluous leading bytes' },
    { input: '02 02 ff 80', want: 'invalid-encoding: n is an INTEGER with superfluous leading bytes' },
    { input: '02 01 ff', want: 'invalid-encoding: n is negative' },
    { input: '02 08 01 00 00 00 00 00 00 00', want: 'invalid-encoding: n is too large' },
  ];
  for (const c of cases) it(`${c.input} → ${String(c.want)}`, () => expect(outcome(() => readSmallInteger(el(c.input), 'n'))).toEqual(c.want));

  it('keeps large values as bytes (serial numbers)', () => {
    expect(readInteger(el('02 09 00 ff ee dd cc bb aa 99 88'), 'serial')).toEqual(hex('00 ff ee dd cc bb aa 99 88'));
  });
  it('enforces a maximum', () => {
    expect(outcome(() => readSmallInteger(el('02 01 03'), 'version', 2))).toBe('invalid-encoding: version is too large (3 > 2)');
  });
});

describe('BOOLEAN, NULL (X.690 §11.1, §8.8)', () => {
  it.each([
    ['01 01 ff', true],
    ['01 01 00', false],
    ['01 01 01', 'invalid-encoding: b is not a DER BOOLEAN'],
    ['01 02 ff ff', 'invalid-encoding: b is not a DER BOOLEAN'],
    ['01 00', 'invalid-encoding: b is not a DER BOOLEAN'],
  ])('%s → %s', (input, want) => expect(outcome(() => readBoolean(el(input), 'b'))).toEqual(want));
  it('NULL has no content', () => {
    expect(readNull(el('05 00'), 'params')).toBeNull();
    expect(outcome(() => readNull(el('05 01 00'), 'params'))).toBe('invalid-encoding: params is a NULL with content');
  });
});

describe('BIT STRING (X.690 §8.6, §11.2)', () => {
  it.each([
    ['03 01 00', 'ok'],
    ['03 02 07 80', 'ok'],
    ['03 00', 'invalid-encoding: b is an empty BIT STRING'],
    ['03 01 01', 'invalid-encoding: b has an invalid unused-bits count'],
    ['03 02 08 00', 'invalid-encoding: b has an invalid unused-bits count'],
    ['03 02 07 81', 'invalid-encoding: b has non-zero padding bits'],
  ])('%s → %s', (input, want) => expect(outcome(() => (readBitString(el(input), 'b'), 'ok'))).toBe(want));

  it('numbers named bits from the most significant bit (keyUsage)', () => {
    const bits = readBitString(readDer(der.namedBits([0, 5, 6])), 'keyUsage');
    expect([0, 1, 5, 6, 7, 8].map((n) => bitIsSet(bits, n))).toEqual([true, false, true, true, false, false]);
    expect(der.namedBits([0, 5, 6])).toEqual(hex('03 02 01 86'));
    expect(der.namedBits([8])).toEqual(hex('03 03 07 00 80'));
  });
});

describe('OCTET STRING', () => {
  it('joins BER segments and refuses them in DER', () => {
    expect(readOctetString(el('24 80 04 01 aa 04 02 bb cc 00 00', 'ber'), 'o')).toEqual(hex('aa bb cc'));
    expect(outcome(() => readOctetString(el('24 07 04 01 aa 04 02 bb cc'), 'o'))).toBe('invalid-encoding: o is not an OCTET STRING');
  });
  it('reads implicitly tagged strings', () => {
    expect(readOctetString(el('80 02 01 02'), 'keyIdentifier', 0x80)).toEqual(hex('01 02'));
  });
});

describe('character strings', () => {
  it.each([
    ['0c 03 e2 82 ac', '€'],
    ['0c 02 c3 28', 'invalid-encoding: s is a UTF8String that is not valid UTF-8'],
    ['1e 04 00 41 20 ac', 'A€'],
    ['1e 03 00 41 00', 'invalid-encoding: s is a BMPString of odd length'],
    ['1e 02 d8 00', 'invalid-encoding: s is a BMPString with a surrogate'],
    ['1c 04 00 01 f6 00', '😀'],
    ['1c 03 00 00 41', 'invalid-encoding: s is a UniversalString whose length is not a multiple of 4'],
    ['1c 04 00 11 00 00', 'invalid-encoding: s is a UniversalString with an invalid character'],
    ['16 02 41 42', 'AB'],
    ['16 01 c3', 'invalid-encoding: s has a non-ASCII byte in an ASCII-only string'],
    ['13 02 41 42', 'AB'],
    ['14 01 e9', 'é'],
    ['04 01 41', 'invalid-encoding: s is not a character string'],
  ])('%s → %s', (input, want) => expect(outcome(() => readString(el(input), 's'))).toBe(want));
});

describe('Time (RFC 5280 §4.1.2.5)', () => {
  const ascii = (t: string) => Array.from(new TextEncoder().encode(t), (b) => b.toString(16).padStart(2, '0')).join('');
  const utc = (t: string) => el('17' + t.length.toString(16).padStart(2, '0') + ascii(t));
  const gen = (t: string) => el('18' + t.length.toString(16).padStart(2, '0') + ascii(t));
  const seconds = (iso: string) => Date.parse(iso) / 1000;

  it.each([
    ['491231235959Z', seconds('2049-12-31T23:59:59Z')],
    ['500101000000Z', seconds('1950-01-01T00:00:00Z')],
    ['240229120000Z', seconds('2024-02-29T12:00:00Z')],
  ])('UTCTime %s', (t, want) => expect(readTime(utc(t), 't')).toEqual({ seconds: want, tag: TAG.UTC_TIME }));

  it.each([
    ['20500101000000Z', seconds('2050-01-01T00:00:00Z')],
    ['00010101000000Z', -62135596800],
    ['99991231235959Z', seconds('9999-12-31T23:59:59Z')],
  ])('GeneralizedTime %s', (t, want) => expect(readTime(gen(t), 't')).toEqual({ seconds: want, tag: TAG.GENERALIZED_TIME }));

  it.each([
    ['230230000000Z', 'not a real date and time'], // 30 February
    ['230229000000Z', 'not a real date and time'], // 2023 is no leap year
    ['231301000000Z', 'not a real date and time'], // month 13
    ['230100000000Z', 'not a real date and time'], // day 0
    ['230431000000Z', 'not a real date and time'], // 31 April
    ['230101250000Z', 'not a real date and time'], // hour 25
    ['230101006000Z', 'not a real date and time'], // minute 60
    ['230101000060Z', 'not a real date and time'], // second 60
    ['2301010000Z', 'a UTCTime not in the YYMMDDHHMMSSZ form'], // no seconds
    ['230101000000+0100', 'a UTCTime not in the YYMMDDHHMMSSZ form'], // offset
    ['230101000000', 'a UTCTime not in the YYMMDDHHMMSSZ form'], // no Z
  ])('UTCTime %s is refused', (t, why) => expect(String(outcome(() => readTime(utc(t), 't')))).toContain(why));

  it.each([['21000229000000Z'], ['20230101000000.5Z'], ['202301010000Z']])('GeneralizedTime %s is refused', (t) => expect(String(outcome(() => readTime(gen(t), 't')))).toMatch(/^invalid-encoding/));

  it('the writer picks UTCTime through 2049 and GeneralizedTime from 2050 and the reader agrees', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
        const t = readTime(readDer(der.time(whole)), 't');
        expect(t.seconds * 1000).toBe(whole.getTime());
        expect(t.tag).toBe(whole.getUTCFullYear() < 2050 ? TAG.UTC_TIME : TAG.GENERALIZED_TIME);
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});

describe('OBJECT IDENTIFIER (X.690 §8.19)', () => {
  it.each([
    ['06 03 55 1d 13', '2.5.29.19'],
    ['06 09 2a 86 48 86 f7 0d 01 01 0b', '1.2.840.113549.1.1.11'],
    ['06 01 00', '0.0'],
    ['06 01 27', '0.39'],
    ['06 01 28', '1.0'],
    ['06 01 50', '2.0'],
    ['06 02 88 37', '2.999'],
    ['06 00', 'invalid-encoding: o is empty'],
    ['06 02 80 01', 'invalid-encoding: o is not minimally encoded'],
    ['06 03 2a 80 01', 'invalid-encoding: o is not minimally encoded'],
    ['06 02 2a 86', 'invalid-encoding: o is truncated'],
  ])('%s → %s', (input, want) => expect(outcome(() => readOid(el(input), 'o'))).toBe(want));

  it('keeps 128-bit arcs exact (UUID OIDs, X.667)', () => {
    const uuid = '2.25.329800735698586629295641978511506172918';
    expect(decodeOid(encodeOid(uuid))).toBe(uuid);
  });

  it('encodes and decodes the same OIDs as openssl asn1parse', () => {
    const oids = fc.sample(
      fc
        .tuple(fc.constantFrom(0, 1, 2), fc.nat({ max: 39 }), fc.array(fc.oneof(fc.nat({ max: 200 }), fc.bigInt({ min: 0n, max: 1n << 100n })), { maxLength: 12 }))
        .map(([a, b, rest]) => [a, a === 2 ? b * 37 : b, ...rest].join('.')),
      { numRuns: 300, seed: 5 },
    );
    const file = der.sequence(...oids.map((o) => der.oid(o)));
    const parsed = openssl(['asn1parse', '-inform', 'DER', '-oid', '/dev/null'], file);
    expect(parsed.status).toBe(0);
    // OpenSSL prints the names of OIDs it knows ("ISO", "data"): compare the dotted ones.
    const texts = [...parsed.stdout.matchAll(/OBJECT\s+:(.+)$/gm)].map((m) => m[1]!.trim());
    expect(texts).toHaveLength(oids.length);
    const dotted = texts.map((t, i) => [t, oids[i]] as const).filter(([t]) => /^\d+(\.\d+)+$/.test(t));
    expect(dotted.length).toBeGreaterThan(250);
    for (const [text, want] of dotted) expect(text).toBe(want);
    const back = readDer(file);
    expect(oids.map((_, i) => readOid(readDer(der.oid(oids[i]!)), 'o'))).toEqual(oids);
    expect(back.end).toBe(file.length);
  });
});
