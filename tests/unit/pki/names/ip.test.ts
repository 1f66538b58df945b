import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIP } from 'node:net';
import { canonicalIpAddress, describeIpBytes, formatIpAddress, parseIpAddress } from '../../../../src/core/pki/names/ip';

const v6 = (...groups: number[]): number[] => groups.flatMap((g) => [g >> 8, g & 0xff]);
const parsed = (text: string, ipv4?: 'strict' | 'leading-zeros' | 'whatwg') => {
  const bytes = parseIpAddress(text, ipv4 ? { ipv4 } : {});
  return bytes ? [...bytes] : undefined;
};

describe('IPv4, strict (RFC 3986 §3.2.2 dec-octet)', () => {
  it.each([
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['192.0.2.10', [192, 0, 2, 10]],
    ['10.0.0.100', [10, 0, 0, 100]],
  ])('%s', (text, want) => expect(parsed(text)).toEqual(want));

  it.each([
    ['256.0.0.1', 'a number above 255'],
    ['192.0.2', 'three parts'],
    ['192.0.2.1.5', 'five parts'],
    ['1..2.3', 'an empty part'],
    ['192.0.2.', 'a trailing dot'],
    ['01.2.3.4', 'a leading zero (octal to inet_aton and browsers, decimal to OpenSSL: RFC 6943 §3.1.1)'],
    ['192.000.2.1', 'zeros padded'],
    ['0x7f.0.0.1', 'a hex part'],
    ['127.1', 'a shortened form'],
    ['2130706433', 'a single number'],
    [' 192.0.2.1', 'leading space'],
    ['192.0.2.1 ', 'trailing space'],
    ['+1.2.3.4', 'a sign'],
    ['1e2.0.0.1', 'an exponent'],
    ['١٩٢.٠.٢.١', 'non-ASCII digits'],
    ['192.0.2.0/24', 'a prefix'],
    ['', 'nothing'],
  ])('%s is refused: %s', (text) => expect(parsed(text)).toBeUndefined());
});

describe('IPv6 (RFC 4291 §2.2)', () => {
  it.each([
    ['::', v6(0, 0, 0, 0, 0, 0, 0, 0)],
    ['::1', v6(0, 0, 0, 0, 0, 0, 0, 1)],
    ['1::', v6(1, 0, 0, 0, 0, 0, 0, 0)],
    ['2001:db8::1', v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)],
    ['2001:DB8::1', v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)],
    ['1:2:3:4:5:6:7::', v6(1, 2, 3, 4, 5, 6, 7, 0)],
    ['::2:3:4:5:6:7:8', v6(0, 2, 3, 4, 5, 6, 7, 8)],
    ['1:2:3::6:7:8', v6(1, 2, 3, 0, 0, 6, 7, 8)],
    // Form 3: the low-order 32 bits in dotted decimal.
    ['::ffff:192.0.2.1', v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201)],
    ['::FFFF:192.0.2.1', v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201)],
    ['::192.0.2.1', v6(0, 0, 0, 0, 0, 0, 0xc000, 0x201)],
    ['1:2:3:4:5:6:192.0.2.1', v6(1, 2, 3, 4, 5, 6, 0xc000, 0x201)],
    ['1::192.0.2.1', v6(1, 0, 0, 0, 0, 0, 0xc000, 0x201)],
  ])('%s', (text, want) => expect(parsed(text)).toEqual(want));

  it.each([
    ['1:2:3:4:5:6:7:8:9', 'nine groups'],
    ['1:2:3:4:5:6:7', 'seven groups without ::'],
    ['1:2:3:4:5:6:7:8::', '"::" after eight groups'],
    ['1::2::3', 'two ::'],
    [':::', 'three colons'],
    ['1:::2', 'three colons inside'],
    [':1::2', 'a single leading colon'],
    ['1::2:', 'a single trailing colon'],
    ['12345::', 'five hex digits'],
    ['g::1', 'not hex'],
    ['fe80::1%eth0', 'a zone identifier (RFC 6874)'],
    ['fe80::1%25eth0', 'a URI-encoded zone identifier'],
    ['[2001:db8::1]', 'URI brackets'],
    ['2001:db8::/32', 'a prefix'],
    [' ::1', 'a space'],
    ['::ffff:192.0.2.01', 'a leading zero in the IPv4 part'],
    ['::ffff:192.0.2', 'a short IPv4 part'],
    ['::1.2.3.4:5', 'the IPv4 part not last'],
    ['1:2:3:4:5:6:7:1.2.3.4', 'nine groups with the IPv4 part'],
    ['::ffff:0x7f.0.0.1', 'a hex IPv4 part'],
  ])('%s is refused: %s', (text) => expect(parsed(text)).toBeUndefined());

  it('parses every strict spelling Node’s net.isIP accepts, and only those (no zones)', () => {
    const spellings = fc.oneof(
      fc.ipV6(),
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.%'), maxLength: 24 }),
    );
    fc.assert(
      fc.property(spellings, (text) => {
        const node = isIP(text);
        const strict = node !== 0 && !text.includes('%') && !(node === 4 && text.split('.').some((p) => p.length > 1 && p.startsWith('0')));
        expect(parseIpAddress(text) !== undefined).toBe(strict);
      }),
      { numRuns: 2000, seed: 5953 },
    );
  });
});

describe('canonical text (RFC 5952 §4)', () => {
  it.each([
    // §4.1: leading zeros MUST be suppressed.
    ['2001:0db8::0001', '2001:db8::1'],
    // §4.2.1: "::" MUST shorten as much as possible.
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8::0:1', '2001:db8::1'],
    // §4.2.2: "::" MUST NOT stand for one 16-bit 0 field.
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:db8::1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    // §4.2.3: the longest run; the first when two are equally long.
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    // §4.3: lower case.
    ['2001:DB8::1', '2001:db8::1'],
    // §2.1–§2.2: every variant of the same address gives one text.
    ['2001:0db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8::1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:1::1', '2001:db8::1:0:0:1'],
    ['2001:db8:0000:0:1::1', '2001:db8::1:0:0:1'],
    ['2001:DB8:0:0:1::1', '2001:db8::1:0:0:1'],
    // The IPv4-mapped form in §4's notation, not §5's mixed one (CA/B Forum BR §7.1.4.3 cites §4).
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['192.0.2.10', '192.0.2.10'],
  ])('%s → %s', (text, want) => expect(canonicalIpAddress(text)).toBe(want));

  it('is the text the WHATWG URL serializer writes, for any address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIpAddress(bytes);
        expect(new URL(`http://[${text}]/`).hostname).toBe(`[${text}]`);
        expect(parseIpAddress(text)).toEqual(bytes);
      }),
      { numRuns: 2000, seed: 5954 },
    );
  });

  it('refuses lengths that are not an address', () => {
    for (const n of [0, 3, 5, 8, 15, 17, 32]) expect(() => formatIpAddress(new Uint8Array(n))).toThrow(RangeError);
  });

  it('describes constraint ranges and malformed octets for display', () => {
    expect(describeIpBytes(new Uint8Array([192, 0, 2, 0, 255, 255, 255, 0]))).toBe('192.0.2.0/255.255.255.0');
    expect(describeIpBytes(new Uint8Array([...v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), ...v6(0xffff, 0xffff, 0, 0, 0, 0, 0, 0)]))).toBe('2001:db8::/ffff:ffff::');
    expect(describeIpBytes(new Uint8Array([1, 2, 3]))).toBe('010203 (3 bytes, not an address)');
  });
});

describe('IPv4 spellings that are not canonical (for messages and lint, never for matching)', () => {
  it.each([
    ['192.000.002.010', [192, 0, 2, 10]],
    ['0001.0.0.1', [1, 0, 0, 1]],
    ['010.0.0.1', [10, 0, 0, 1]],
  ])('leading-zeros reads %s as decimal', (text, want) => expect(parsed(text, 'leading-zeros')).toEqual(want));
  it.each(['256.0.0.1', '0x7f.0.0.1', '127.1'])('leading-zeros refuses %s', (text) => expect(parsed(text, 'leading-zeros')).toBeUndefined());

  it.each([
    ['0x7f.0.0.1', [127, 0, 0, 1]],
    ['127.1', [127, 0, 0, 1]],
    ['2130706433', [127, 0, 0, 1]],
    ['0x7f000001', [127, 0, 0, 1]],
    ['127.000.000.001', [127, 0, 0, 1]],
    ['010.0.0.1', [8, 0, 0, 1]],
    ['127.0.0.1.', [127, 0, 0, 1]],
    ['0x.0.0.0', [0, 0, 0, 0]],
  ])('whatwg reads %s', (text, want) => expect(parsed(text, 'whatwg')).toEqual(want));
  it.each(['0x100.0.0.1', '1.2.3.4.5', '4294967296', '08.0.0.1', '', '1..2', 'example.com'])('whatwg refuses %s', (text) =>
    expect(parsed(text, 'whatwg')).toBeUndefined(),
  );

  it('whatwg agrees with the URL parser on hosts made of numbers', () => {
    const part = fc.oneof(fc.nat(300).map(String), fc.nat(0x1ff).map((n) => '0x' + n.toString(16)), fc.nat(0o777).map((n) => '0' + n.toString(8)), fc.nat(2 ** 32).map(String));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        const text = parts.join('.');
        let host: string | undefined;
        try {
          host = new URL(`http://${text}/`).hostname;
        } catch {
          host = undefined;
        }
        const ours = parseIpAddress(text, { ipv4: 'whatwg' });
        expect(ours ? formatIpAddress(ours) : undefined).toBe(host);
      }),
      { numRuns: 2000, seed: 5955 },
    );
  });
});
