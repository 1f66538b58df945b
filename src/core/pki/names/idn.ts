/**
 * Internationalised domain names. Certificates carry them as A-labels (`xn--bcher-kva`,
 * RFC 5890 §2.3.2.1; RFC 5280 §7.2), so a name the admin types in Unicode is converted before it
 * is compared or written (RFC 6125 §6.4.2).
 *
 * The conversion is UTS #46 processing as the WHATWG URL host parser does it ("domain to ASCII":
 * non-transitional, CheckBidi, CheckJoiners), which Chromium and Node both implement with their
 * own, current IDNA tables. It is used rather than the `punycode` package because that package
 * performs no UTS #46 mapping at all (only RFC 3492 encoding): case folding, width and
 * compatibility mapping (`Ｅｘａｍｐｌｅ`, `ẞ` → `ss`), ignored code points and the validity
 * checks would have to be approximated, and would then differ from what the browser sends.
 * `punycode` still decodes A-labels for the RFC 5891 checks below: browsers offer no ToUnicode.
 */
import { decode as punycodeDecode, encode as punycodeEncode } from 'punycode';

/** ASCII characters UTS #46 leaves alone in a host name (STD3 rules, RFC 1123 §2.1). */
const ASCII_HOST = /^[a-zA-Z0-9.-]*$/;

/** Lower-cases ASCII letters only (RFC 4343 §3: DNS compares ASCII case-insensitively). */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/**
 * A host name in A-label form, lower case: ASCII input is only lower-cased; a name with
 * non-ASCII characters goes through UTS #46 ToASCII (see the module comment). Undefined when
 * UTS #46 refuses the name, or when it holds ASCII that is not a letter, digit, hyphen or dot
 * (the URL parser would read `%`, `/`, `@` … as URL syntax, or silently drop tabs).
 * The result still needs the syntax checks of hostname.ts.
 */
export function toALabels(name: string): string | undefined {
  if (!/[^\x00-\x7f]/.test(name)) return ASCII_HOST.test(name) ? asciiLowerCase(name) : undefined;
  if (/[\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/.test(name)) return undefined;
  return urlHostname(name);
}

/** The WHATWG URL parser's host for `name`, or undefined when it refuses it. */
function urlHostname(name: string): string | undefined {
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Whether `label` (lower case, starting `xn--`) is a valid A-label: its Punycode (RFC 3492)
 * decodes, to something non-ASCII (RFC 5890 §2.3.2.1), encodes back to the same label
 * (RFC 5891 §5.4), neither begins nor ends with a hyphen nor has `--` in the third and fourth
 * positions (RFC 5891 §4.2.3.1), is in NFC (§5.2), and consists of letters, marks, digits and
 * hyphens — an approximation of IDNA2008's PVALID (RFC 5892) that refuses the symbols, emoji
 * and controls spoofing relies on. UTS #46's own validity criteria are then applied to the
 * whole name by `invalidALabel`.
 */
export function isValidALabel(label: string): boolean {
  if (!/^xn--[a-z0-9-]+$/.test(label)) return false;
  let unicode: string;
  try {
    unicode = punycodeDecode(label.slice(4));
    if (punycodeEncode(unicode) !== label.slice(4)) return false;
  } catch {
    return false;
  }
  if (unicode === '' || !/[^\x00-\x7f]/.test(unicode)) return false;
  if (unicode.startsWith('-') || unicode.endsWith('-') || unicode.slice(2, 4) === '--') return false;
  return /^[\p{L}\p{M}\p{N}-]+$/u.test(unicode) && unicode.normalize('NFC') === unicode;
}

/**
 * Whether every `xn--` label of a lower-case ASCII name is a valid A-label, and UTS #46 maps the
 * whole name to itself: that refuses A-labels of characters UTS #46 maps (upper case,
 * compatibility forms), joiners out of context (CheckJoiners, RFC 5892 appendix A) and
 * mixed-direction names (CheckBidi, RFC 5893), which only the whole name shows.
 * Returns the first offending label, or undefined when all are valid.
 */
export function invalidALabel(name: string): string | undefined {
  const labels = name.split('.').filter((l) => l.startsWith('xn--'));
  if (labels.length === 0) return undefined;
  const bad = labels.find((l) => !isValidALabel(l));
  if (bad !== undefined) return bad;
  return urlHostname(name) === name ? undefined : labels[0];
}

/**
 * What an `xn--` label's Punycode (RFC 3492) decodes to, valid A-label or not (isValidALabel
 * says whether it is one), for showing what it stands for; undefined when it does not decode.
 */
export function decodeALabel(label: string): string | undefined {
  if (!/^xn--[a-z0-9-]*$/i.test(label)) return undefined;
  try {
    return punycodeDecode(label.slice(4).toLowerCase());
  } catch {
    return undefined;
  }
}
