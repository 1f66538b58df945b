/**
 * Subject fields and subjectAltName entries as the admin types them: validated with one clear
 * line per problem, and normalised to what goes into a CSR or certificate (upper-case country,
 * lower-case punycode hostnames, RFC 5952 IPv6 text).
 */
import { toASCII, toUnicode, decode as punycodeDecode } from 'punycode';
import { AttributeTypeAndValue, AttributeValue, GeneralName as AsnGeneralName, Name as AsnName, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import type { Problem } from '../errors';

/** The subject fields an appliance certificate uses (the guide's CSR form). */
export interface SubjectInput {
  C?: string;
  ST?: string;
  L?: string;
  O?: string;
  OU?: string;
  CN?: string;
}

export type SubjectField = keyof SubjectInput;

/** A problem tied to the input field it is about, so the UI can show it next to that field. */
export interface NameProblem extends Problem {
  field: string;
}

export type NameResult<T> = { ok: true; value: T } | { ok: false; problems: NameProblem[] };

/** A SAN entry Certdesk writes into requests and certificates. */
export type SubjectAltName = { type: 'dns'; value: string } | { type: 'ip'; value: string };

/**
 * Upper bounds from RFC 5280 appendix A.1 (ub-common-name 64, ub-organization-name 64,
 * ub-organizational-unit-name 64, ub-locality-name 128, ub-state-name 128).
 */
const MAX_LENGTH: Record<SubjectField, number> = { C: 2, ST: 128, L: 128, O: 64, OU: 64, CN: 64 };

const FIELD_NAMES: Record<SubjectField, string> = {
  C: 'Country',
  ST: 'State or province',
  L: 'Locality',
  O: 'Organization',
  OU: 'Organizational unit',
  CN: 'Common name',
};

/** Subject fields in the order RFC 4514 / OpenSSL print them, most general first. */
export const SUBJECT_FIELDS: readonly SubjectField[] = ['C', 'ST', 'L', 'O', 'OU', 'CN'];

/**
 * Validates and normalises a subject. Empty fields are dropped; at least one field must remain.
 */
export function validateSubject(subject: SubjectInput): NameResult<SubjectInput> {
  const problems: NameProblem[] = [];
  const value: SubjectInput = {};
  for (const field of SUBJECT_FIELDS) {
    const raw = subject[field];
    if (raw === undefined) continue;
    const text = raw.trim();
    if (text === '') continue;
    const label = FIELD_NAMES[field];
    if (field === 'C') {
      if (!/^[A-Za-z]{2}$/.test(text)) {
        problems.push({ field, code: 'country-not-two-letters', message: 'Country must be the two-letter ISO 3166 code, such as DE or US.' });
        continue;
      }
      value.C = text.toUpperCase();
      continue;
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(text)) {
      problems.push({ field, code: 'control-character', message: `${label} contains a control character; type it again.` });
      continue;
    }
    if ([...text].length > MAX_LENGTH[field]) {
      problems.push({ field, code: 'field-too-long', message: `${label} may be at most ${MAX_LENGTH[field]} characters long.` });
      continue;
    }
    value[field] = text;
  }
  if (problems.length === 0 && Object.keys(value).length === 0) {
    problems.push({ field: 'CN', code: 'subject-empty', message: 'Enter at least a common name (usually the appliance hostname).' });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

/**
 * Validates one subjectAltName as typed: an IPv4 address, an IPv6 address (optionally in
 * brackets), or a DNS name (internationalised names are converted to punycode; a wildcard only
 * as the whole left-most label, RFC 6125 §6.4.3).
 */
export function validateSubjectAltName(text: string, field = 'subjectAltNames'): NameResult<SubjectAltName> {
  const problem = (code: string, message: string): NameResult<SubjectAltName> => ({ ok: false, problems: [{ field, code, message }] });
  let input = text.trim();
  if (input === '') return problem('san-empty', 'Enter a hostname or an IP address.');
  if (/\s/.test(input)) return problem('san-whitespace', `"${input}" contains a space; enter one hostname or address per entry.`);
  if (input.startsWith('[') && input.endsWith(']')) input = input.slice(1, -1);
  if (input.includes(':')) {
    const ipv6 = parseIpv6(input);
    if (!ipv6) return problem('invalid-ipv6', `"${input}" is not a valid IPv6 address.`);
    return { ok: true, value: { type: 'ip', value: formatIpv6(ipv6) } };
  }
  if (/^[0-9.]+$/.test(input)) {
    const parts = input.split('.');
    if (parts.length !== 4 || parts.some((p) => p === '' || Number(p) > 255)) {
      return problem('invalid-ipv4', `"${input}" is not a valid IPv4 address: it needs four numbers from 0 to 255, such as 192.0.2.10.`);
    }
    if (parts.some((p) => p.length > 1 && p.startsWith('0'))) {
      return problem('ipv4-leading-zero', `"${input}" has a number with a leading zero, which some systems read as octal. Write ${parts.map(Number).join('.')}.`);
    }
    return { ok: true, value: { type: 'ip', value: parts.map(Number).join('.') } };
  }
  const dns = validateDnsName(input);
  if (!dns.ok) return { ok: false, problems: dns.problems.map((p) => ({ ...p, field })) };
  return { ok: true, value: { type: 'dns', value: dns.value } };
}

/**
 * Validates a DNS name (RFC 1035 §2.3.1 preferred syntax, RFC 5890 A-labels, RFC 6125 §6.4.3
 * wildcards) and returns its lower-case ASCII form.
 */
export function validateDnsName(text: string, field = 'hostname'): NameResult<string> {
  const problem = (code: string, message: string): NameResult<string> => ({ ok: false, problems: [{ field, code, message }] });
  let name = text.trim();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '') return problem('invalid-hostname', 'Enter a hostname such as appliance.example.com.');
  let ascii: string;
  try {
    // Map before encoding, approximating UTS #46 (what browsers do): compatibility forms to plain
    // (fullwidth letters), then lower case. Lower-casing after encoding would be wrong: "Ü" and
    // "ü" encode to different A-labels.
    ascii = toASCII(name.normalize('NFKC').toLowerCase().normalize('NFC'));
  } catch {
    return problem('invalid-hostname', `"${text}" cannot be converted to an internationalised hostname.`);
  }
  const labels = ascii.split('.');
  if (ascii.length > 253) return problem('hostname-too-long', `"${text}" is longer than 253 characters, the DNS limit.`);
  for (const [index, label] of labels.entries()) {
    if (label.includes('*')) {
      if (label !== '*') {
        return problem('wildcard-position', `"${text}": a wildcard must be the whole left-most label, as in *.example.com; partial wildcards like "${label}" are not matched by clients.`);
      }
      if (index !== 0) {
        return problem('wildcard-position', `"${text}": a wildcard is allowed only as the left-most label, as in *.example.com.`);
      }
      if (labels.length < 3) {
        return problem('wildcard-too-broad', `"${text}": a wildcard needs at least two labels after it, as in *.example.com.`);
      }
      continue;
    }
    if (label === '') return problem('empty-label', `"${text}" has an empty label (two dots in a row, or a leading dot).`);
    if (label.length > 63) return problem('label-too-long', `"${text}": the label "${label.slice(0, 20)}…" is longer than 63 characters, the DNS limit.`);
    if (!/^[a-z0-9-]+$/.test(label)) {
      return problem('invalid-hostname', `"${text}" contains characters not allowed in a hostname (only letters, digits and hyphens, separated by dots).`);
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      return problem('invalid-hostname', `"${text}": a label may not begin or end with a hyphen.`);
    }
    if (label.startsWith('xn--') && !isValidALabel(label)) {
      return problem('invalid-punycode', `"${text}": the label "${label}" is not valid punycode (IDNA), so clients cannot match it.`);
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    return problem('invalid-hostname', `"${text}" ends in a number, so it looks like a mistyped IP address rather than a hostname.`);
  }
  return { ok: true, value: labels.join('.') };
}

/**
 * An A-label must decode and re-encode to itself (RFC 5891 §5.4), not decode to plain ASCII, and
 * decode to letters, marks, digits and hyphens in NFC — an approximation of IDNA2008's PVALID
 * (RFC 5892) that refuses the control and symbol code points spoofing relies on.
 */
function isValidALabel(label: string): boolean {
  try {
    const unicode = punycodeDecode(label.slice(4));
    if (unicode === '' || /^[\x00-\x7f]*$/.test(unicode)) return false;
    if (!/^[\p{L}\p{M}\p{N}-]+$/u.test(unicode) || unicode.normalize('NFC') !== unicode) return false;
    return toASCII(toUnicode(label)) === label;
  } catch {
    return false;
  }
}

/** The hostname form of a name, for display (punycode back to Unicode). */
export function displayHostname(ascii: string): string {
  try {
    return toUnicode(ascii);
  } catch {
    return ascii;
  }
}

/** Parses IPv6 text (RFC 4291 §2.2, including an IPv4 tail) into eight 16-bit groups. */
export function parseIpv6(text: string): number[] | null {
  if (text.includes('%')) return null; // zone identifiers do not belong in certificates
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const parts = maybeV4.split('.');
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255 || (p.length > 1 && p.startsWith('0')))) return null;
    const b = parts.map(Number);
    tail = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
    head = text.slice(0, lastColon + 1) + (text[lastColon - 1] === ':' ? '' : '0');
    if (head.endsWith(':0')) head = head.slice(0, -2);
    else if (!head.endsWith('::')) return null;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parse(halves[0] ?? '');
  const right = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (!left || !right) return null;
  const total = left.length + right.length + tail.length;
  if (halves.length === 2) {
    if (total > 7) return null;
    return [...left, ...new Array<number>(8 - total).fill(0), ...right, ...tail];
  }
  if (total !== 8) return null;
  return [...left, ...tail];
}

/** RFC 5952 §4 canonical text: lower case, no leading zeros, longest zero run (≥2) as "::". */
export function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
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
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Octets of an IP SAN value (4 or 16 bytes), as RFC 5280 §4.2.1.6 encodes iPAddress. */
export function ipToBytes(text: string): Uint8Array {
  if (text.includes(':')) {
    const groups = parseIpv6(text);
    if (!groups) throw new RangeError(`not an IPv6 address: ${text}`);
    const out = new Uint8Array(16);
    groups.forEach((g, i) => {
      out[2 * i] = g >> 8;
      out[2 * i + 1] = g & 0xff;
    });
    return out;
  }
  return Uint8Array.from(text.split('.').map(Number));
}

/** Text of an iPAddress SAN's octets; other lengths (name-constraint ranges) as hex. */
export function ipFromBytes(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const groups: number[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
    return formatIpv6(groups);
  }
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Validates a list of SAN entries and returns them normalised, without duplicates, in order.
 */
export function validateSubjectAltNames(entries: readonly string[]): NameResult<SubjectAltName[]> {
  const problems: NameProblem[] = [];
  const out: SubjectAltName[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const result = validateSubjectAltName(entry, `subjectAltNames[${index}]`);
    if (!result.ok) {
      problems.push(...result.problems);
      return;
    }
    const key = `${result.value.type}:${result.value.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(result.value);
  });
  return problems.length ? { ok: false, problems } : { ok: true, value: out };
}

// ---------------------------------------------------------------------------------------------
// Encoding and describing X.501 names and GeneralNames.

const ATTRIBUTE_OIDS: Record<SubjectField, string> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
};

/**
 * The DER-ready Name for a validated subject, most general attribute first (C … CN), one
 * attribute per RDN. C is a PrintableString (RFC 5280 appendix A.1); the others are UTF8String
 * (RFC 5280 §4.1.2.6: MUST for certificates issued after 2003).
 */
export function encodeSubject(subject: SubjectInput): AsnName {
  const rdns: RelativeDistinguishedName[] = [];
  for (const field of SUBJECT_FIELDS) {
    const value = subject[field];
    if (value === undefined || value === '') continue;
    const attributeValue = field === 'C' ? new AttributeValue({ printableString: value }) : new AttributeValue({ utf8String: value });
    rdns.push(new RelativeDistinguishedName([new AttributeTypeAndValue({ type: ATTRIBUTE_OIDS[field], value: attributeValue })]));
  }
  return new AsnName(rdns);
}

/** The GeneralName for a SAN Certdesk writes. */
export function encodeSubjectAltName(san: SubjectAltName): AsnGeneralName {
  return san.type === 'dns' ? new AsnGeneralName({ dNSName: san.value }) : new AsnGeneralName({ iPAddress: san.value });
}

/**
 * The SANs for a request or certificate: the typed entries, validated and de-duplicated, with
 * the common name first when it is a hostname (it has a dot, or it is the site hostname) or an
 * IP address — clients ignore the CN (RFC 6125 §6.4.4, CA/B Forum BR §7.1.4.3).
 */
export function subjectAltNamesFor(subject: SubjectInput, entries: readonly string[], siteHostname?: string): NameResult<SubjectAltName[]> {
  const listed = validateSubjectAltNames(entries);
  if (!listed.ok) return listed;
  const cn = subject.CN?.trim();
  let first: SubjectAltName | undefined;
  if (cn) {
    const asSan = validateSubjectAltName(cn, 'CN');
    if (asSan.ok) {
      const site = siteHostname ? validateDnsName(siteHostname) : undefined;
      const isSite = site?.ok === true && asSan.value.type === 'dns' && site.value === asSan.value.value;
      if (asSan.value.type === 'ip' || asSan.value.value.includes('.') || isSite) first = asSan.value;
    }
  }
  const rest = first ? listed.value.filter((s) => !(s.type === first.type && s.value === first.value)) : listed.value;
  const all = first ? [first, ...rest] : rest;
  if (all.length === 0) {
    return {
      ok: false,
      problems: [{ field: 'subjectAltNames', code: 'no-subject-alt-names', message: 'Enter at least one hostname or IP address the appliance is reached by; clients ignore the common name.' }],
    };
  }
  return { ok: true, value: all };
}
