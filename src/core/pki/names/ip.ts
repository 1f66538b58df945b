/**
 * IP addresses: the one parser (text → 4 or 16 bytes) and the one formatter (bytes → the
 * canonical text of RFC 5952 §4 for IPv6, dotted decimal for IPv4). Certificates carry iPAddress
 * SANs as bytes (RFC 5280 §4.2.1.6), so two spellings are the same address exactly when they
 * parse to the same bytes, and the same text exactly when both are formatted here.
 */
import { toHex } from '../asn1/bytes';

/**
 * How IPv4 text may be spelled.
 * - `strict` (the default): four decimal numbers 0–255 without leading zeros, the `dec-octet`
 *   grammar of RFC 3986 §3.2.2. A leading zero is ambiguous: inet_aton(3) and the WHATWG URL
 *   parser read `010` as octal 8, OpenSSL as decimal 10 (RFC 6943 §3.1.1).
 * - `leading-zeros`: four decimal numbers, leading zeros allowed and read as decimal (what an
 *   admin who types `192.000.002.010` means; OpenSSL's reading). For messages, never for matching.
 * - `whatwg`: every form the WHATWG URL host parser (§3.5 "IPv4 parser") and inet_aton accept:
 *   one to four parts, each decimal, octal (`0` prefix) or hex (`0x`), the last filling the
 *   remaining bytes (`0x7f.1` is 127.0.0.1). For recognising what a browser would read as an
 *   address, e.g. a certificate CN spelling an IP non-canonically; never for matching.
 */
export type Ipv4Spelling = 'strict' | 'leading-zeros' | 'whatwg';

export interface IpParseOptions {
  /** IPv4 forms to accept (default `strict`). IPv6 and an IPv4 tail inside IPv6 are always strict. */
  ipv4?: Ipv4Spelling;
}

/**
 * Parses an IPv4 address (dotted decimal) or an IPv6 address (RFC 4291 §2.2: eight groups of one
 * to four hex digits in either case, one `::` for a run of zero groups, the last 32 bits
 * optionally as a dotted IPv4 address) into 4 or 16 bytes. No brackets, zone identifiers
 * (`%eth0`: RFC 6874 zones are local to a host and never in certificates), prefixes or
 * whitespace. Returns undefined for anything else.
 */
export function parseIpAddress(text: string, options: IpParseOptions = {}): Uint8Array | undefined {
  if (text.includes(':')) return parseIpv6(text);
  return parseIpv4(text, options.ipv4 ?? 'strict');
}

const DECIMAL = /^[0-9]+$/;

function parseIpv4(text: string, spelling: Ipv4Spelling): Uint8Array | undefined {
  if (spelling === 'whatwg') return parseWhatwgIpv4(text);
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!DECIMAL.test(part)) return undefined;
    if (spelling === 'strict' && (part.length > 3 || (part.length > 1 && part.startsWith('0')))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    out[i] = value;
  }
  return out;
}

/** The WHATWG URL Standard's IPv4 parser (§3.5), as browsers read a host that ends in a number. */
function parseWhatwgIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  // A trailing dot is allowed ("validation error", not failure).
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    let digits = part;
    let radix = 10;
    if (/^0x/i.test(digits)) {
      digits = digits.slice(2);
      radix = 16;
    } else if (digits.length > 1 && digits.startsWith('0')) {
      digits = digits.slice(1);
      radix = 8;
    }
    if (part === '') return undefined;
    const valid = radix === 16 ? /^[0-9a-f]*$/i : radix === 8 ? /^[0-7]*$/ : DECIMAL;
    if (!valid.test(digits)) return undefined;
    numbers.push(digits === '' ? 0 : parseInt(digits, radix));
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  let value = last;
  numbers.forEach((n, i) => (value += n * 256 ** (3 - i)));
  return new Uint8Array([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

function parseIpv6(text: string): Uint8Array | undefined {
  if (!/^[0-9a-f:.]+$/i.test(text)) return undefined;
  let head = text;
  let ipv4: Uint8Array | undefined;
  if (text.includes('.')) {
    // RFC 4291 §2.2 form 3: the low-order 32 bits as dotted decimal, after the last colon.
    const lastColon = text.lastIndexOf(':');
    ipv4 = parseIpv4(text.slice(lastColon + 1), 'strict');
    if (!ipv4) return undefined;
    head = text.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (!HEX_GROUP.test(group)) return undefined;
      out.push(parseInt(group, 16));
    }
    return out;
  };
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if (!left || !right) return undefined;
  const given = left.length + right.length + (ipv4 ? 2 : 0);
  // "::" stands for one or more zero groups (RFC 4291 §2.2 form 2).
  if (halves.length === 2 ? given > 7 : given !== 8) return undefined;
  const out = new Uint8Array(16);
  left.forEach((g, i) => setGroup(out, i, g));
  const rightStart = 8 - right.length - (ipv4 ? 2 : 0);
  right.forEach((g, i) => setGroup(out, rightStart + i, g));
  if (ipv4) out.set(ipv4, 12);
  return out;
}

function setGroup(bytes: Uint8Array, index: number, value: number): void {
  bytes[index * 2] = value >> 8;
  bytes[index * 2 + 1] = value & 0xff;
}

/**
 * The canonical text of a 4-byte (IPv4) or 16-byte (IPv6) address. IPv6 follows RFC 5952 §4:
 * lower case (§4.3), no leading zeros (§4.1), the longest run of two or more zero groups as `::`
 * (§4.2.1–§4.2.2), the first such run when two are equally long (§4.2.3). The mixed notation
 * RFC 5952 §5 recommends for IPv4-mapped addresses is not used: the CA/Browser Forum BR
 * §7.1.4.3 requires §4's form for IP addresses in certificate names, and the WHATWG URL
 * serializer writes the same (`::ffff:c000:201`).
 * @throws RangeError for any other length (a name-constraint range, a malformed SAN).
 */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) throw new RangeError(`an IP address has 4 or 16 bytes, not ${bytes.length}`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The canonical text of an address written any strict way, or undefined when it is not one. */
export function canonicalIpAddress(text: string): string | undefined {
  const bytes = parseIpAddress(text);
  return bytes ? formatIpAddress(bytes) : undefined;
}

/**
 * The iPAddress bytes of any GeneralName as shown to the admin: an address (4 or 16 bytes), a
 * name-constraint range as `address/mask` (8 or 32 bytes, RFC 5280 §4.2.1.10, the way OpenSSL
 * prints it), and anything else, which is malformed, as hex.
 */
export function describeIpBytes(bytes: Uint8Array): string {
  if (bytes.length === 4 || bytes.length === 16) return formatIpAddress(bytes);
  if (bytes.length === 8 || bytes.length === 32) {
    const half = bytes.length / 2;
    return `${formatIpAddress(bytes.subarray(0, half))}/${formatIpAddress(bytes.subarray(half))}`;
  }
  return `${toHex(bytes)} (${bytes.length} bytes, not an address)`;
}

/**
 * IANA special-purpose ranges (RFC 6890 and its registries, as the CA/Browser Forum BR §1.6.1
 * "Reserved IP Address" refers to them): private, loopback, link-local, shared, documentation,
 * benchmarking, multicast and the reserved blocks. [address, prefix length].
 */
const RESERVED_RANGES: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ['::', 128], ['::1', 128], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23],
  ['2001:db8::', 32], ['2002::', 16], ['3fff::', 20], ['5f00::', 16], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
];

const reservedBytes = RESERVED_RANGES.map(([text, prefix]) => ({ bytes: parseIpAddress(text)!, prefix }));

/** Whether an address (4 or 16 bytes) lies in a reserved (non-public) range. */
export function isReservedIpAddress(bytes: Uint8Array): boolean {
  return reservedBytes.some(({ bytes: range, prefix }) => {
    if (range.length !== bytes.length) return false;
    for (let bit = 0; bit < prefix; bit++) {
      const mask = 0x80 >> bit % 8;
      if ((range[bit >> 3]! & mask) !== (bytes[bit >> 3]! & mask)) return false;
    }
    return true;
  });
}
