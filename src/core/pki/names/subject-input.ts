/**
 * Subject fields and subjectAltName entries as the admin types them on the Create form: validated
 * with one clear line per problem, and normalised to what goes into a CSR or certificate
 * (upper-case country, A-label lower-case hostnames, canonical IP text). The rules themselves are
 * hostname.ts's and ip.ts's; this module only words them for the form.
 */
import {
  AttributeTypeAndValue,
  AttributeValue,
  GeneralName as AsnGeneralName,
  Name as AsnName,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import type { Problem } from '../../errors';
import { parseHostname, type HostnameProblem } from './hostname';
import { formatIpAddress, parseIpAddress } from './ip';

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
 * Validates one subjectAltName as typed: an IPv4 address, an IPv6 address (optionally in the
 * brackets of a URL, RFC 3986 §3.2.2), or a DNS name (internationalised names are converted to
 * A-labels; a wildcard only as the whole left-most label, RFC 6125 §6.4.3).
 */
export function validateSubjectAltName(text: string, field = 'subjectAltNames'): NameResult<SubjectAltName> {
  const problem = (code: string, message: string): NameResult<SubjectAltName> => ({ ok: false, problems: [{ field, code, message }] });
  let input = text.trim();
  if (input === '') return problem('san-empty', 'Enter a hostname or an IP address.');
  if (/\s/.test(input)) return problem('san-whitespace', `"${input}" contains a space; enter one hostname or address per entry.`);
  if (input.startsWith('[') && input.endsWith(']')) input = input.slice(1, -1);
  if (input.includes(':')) {
    const ipv6 = parseIpAddress(input);
    if (!ipv6) return problem('invalid-ipv6', `"${input}" is not a valid IPv6 address.`);
    return { ok: true, value: { type: 'ip', value: formatIpAddress(ipv6) } };
  }
  if (/^[0-9.]+$/.test(input)) {
    const ipv4 = parseIpAddress(input);
    if (ipv4) return { ok: true, value: { type: 'ip', value: formatIpAddress(ipv4) } };
    const decimal = parseIpAddress(input, { ipv4: 'leading-zeros' });
    if (!decimal) {
      return problem('invalid-ipv4', `"${input}" is not a valid IPv4 address: it needs four numbers from 0 to 255, such as 192.0.2.10.`);
    }
    return problem('ipv4-leading-zero', `"${input}" has a number with a leading zero, which some systems read as octal. Write ${formatIpAddress(decimal)}.`);
  }
  const dns = validateDnsName(input);
  if (!dns.ok) return { ok: false, problems: dns.problems.map((p) => ({ ...p, field })) };
  return { ok: true, value: { type: 'dns', value: dns.value } };
}

/**
 * Validates a DNS name the admin asks a certificate for (hostname.ts, kind `requested`: RFC 1035
 * §2.3.1 preferred syntax, RFC 5890 A-labels, RFC 6125 §6.4.3 wildcards) and returns its
 * lower-case A-label form.
 */
export function validateDnsName(text: string, field = 'hostname'): NameResult<string> {
  const parsed = parseHostname(text.trim(), 'requested');
  if (parsed.ok) return parsed;
  const { code, message } = hostnameMessage(text, parsed.problem);
  return { ok: false, problems: [{ field, code, message }] };
}

/** The Create form's code and sentence for a host-name problem. */
function hostnameMessage(text: string, problem: HostnameProblem): Problem {
  const label = problem.label ?? '';
  switch (problem.code) {
    case 'empty':
      return { code: 'invalid-hostname', message: 'Enter a hostname such as appliance.example.com.' };
    case 'not-convertible':
      return { code: 'invalid-hostname', message: `"${text}" cannot be converted to an internationalised hostname.` };
    case 'too-long':
      return { code: 'hostname-too-long', message: `"${text}" is longer than 253 characters, the DNS limit.` };
    case 'partial-wildcard':
      return { code: 'wildcard-position', message: `"${text}": a wildcard must be the whole left-most label, as in *.example.com; partial wildcards like "${label}" are not matched by clients.` };
    case 'wildcard-not-left-most':
      return { code: 'wildcard-position', message: `"${text}": a wildcard is allowed only as the left-most label, as in *.example.com.` };
    case 'wildcard-too-broad':
      return { code: 'wildcard-too-broad', message: `"${text}": a wildcard needs at least two labels after it, as in *.example.com.` };
    case 'empty-label':
      return { code: 'empty-label', message: `"${text}" has an empty label (two dots in a row, or a leading dot).` };
    case 'label-too-long':
      return { code: 'label-too-long', message: `"${text}": the label "${label.slice(0, 20)}…" is longer than 63 characters, the DNS limit.` };
    case 'invalid-character':
      return { code: 'invalid-hostname', message: `"${text}" contains characters not allowed in a hostname (only letters, digits and hyphens, separated by dots).` };
    case 'hyphen-at-label-edge':
      return { code: 'invalid-hostname', message: `"${text}": a label may not begin or end with a hyphen.` };
    case 'invalid-a-label':
      return { code: 'invalid-punycode', message: `"${text}": the label "${label}" is not valid punycode (IDNA), so clients cannot match it.` };
    case 'ends-in-number':
      return { code: 'invalid-hostname', message: `"${text}" ends in a number, so it looks like a mistyped IP address rather than a hostname.` };
  }
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
