/**
 * Checks of the names a certificate or request presents (RFC 5280 §4.1.2.4, §4.1.2.6, §4.2.1.6;
 * CABF BR §3.2.2.6, §7.1.2.7.12, §7.1.4): the syntax of each subjectAltName, the common name as
 * a copy of one of them, wildcards, and the subject attributes public CAs accept. Shared by
 * validation (certificates) and lint (certificates and requests).
 */
import { equalBytes, OID, TAG } from '../asn1';
import { hostnameProblem, isValidDnsName } from '../names/hostname';
import { invalidALabel } from '../names/idn';
import { formatIpAddress, isReservedIpAddress, parseIpAddress } from '../names/ip';
import type { GeneralName } from '../names/general-name';
import type { PublicSuffixCheck } from '../names/hostname';
import type { AttributeTypeAndValue } from '../x509';
import { each, type CheckResult, type NamedKey } from './check';

/** What name checks may consult: the Public Suffix List, loaded only when needed. */
export interface NameContext {
  isPublicSuffix?: PublicSuffixCheck;
  /** Tells Internal Names (BR §1.6.1); lint only. */
  isInternalName?: (name: string) => boolean;
}

export type NameCheck = (holder: NamedKey, context: NameContext) => CheckResult;

const dnsNames = (h: NamedKey) => (h.sans ?? []).flatMap((n) => (n.kind === 'dns' ? [n.value] : []));
const ipNames = (h: NamedKey) => (h.sans ?? []).flatMap((n) => (n.kind === 'ip' ? [n.bytes] : []));
const attributes = (h: NamedKey) => h.subject.flat();
const commonNames = (h: NamedKey) => attributes(h).filter((a) => a.oid === OID.commonName);

/** RFC 5321 §4.1.2 Mailbox, as far as a certificate can be checked: local-part@domain. */
function isMailbox(value: string): boolean {
  const at = value.lastIndexOf('@');
  // eslint-disable-next-line no-control-regex
  return at > 0 && !/[\s\x00-\x1f\x7f]/.test(value.slice(0, at)) && isValidDnsName(value.slice(at + 1));
}

/** RFC 3986 §4.3: an absolute URI has a scheme, and nothing in it needs escaping. */
function isAbsoluteUri(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[a-z][a-z0-9+.-]*:[^\s\x00-\x1f\x7f"<>\\^`{|}]+$/i.test(value);
}

/** The dNSName problems RFC 5280 §4.2.1.6 and BR §7.1.2.7.12 make malformed, in a certificate. */
function malformedDns(name: string): boolean {
  return hostnameProblem(name, 'presented') !== undefined;
}

/** A wildcard directly over a public suffix, `*.co.uk` (BR §3.2.2.6), once the syntax is right. */
function overPublicSuffix(name: string, context: NameContext): boolean {
  return name.startsWith('*.') && !malformedDns(name) && context.isPublicSuffix?.(name.slice(2).toLowerCase()) === true;
}

/** The short name of an attribute type, for sentences. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  [OID.commonName]: 'common name',
  [OID.countryName]: 'country',
  [OID.organizationName]: 'organization',
  [OID.organizationalUnitName]: 'organizational unit',
  [OID.localityName]: 'locality',
  [OID.stateOrProvinceName]: 'state or province',
  [OID.streetAddress]: 'street address',
  [OID.emailAddress]: 'e-mail address',
  [OID.serialNumber]: 'serial number',
  [OID.domainComponent]: 'domain component',
};
const attributeName = (a: AttributeTypeAndValue) => ATTRIBUTE_NAMES[a.oid] ?? a.oid;

/** Upper bounds of RFC 5280 appendix A.1 that BR §7.1.4.2 repeats. */
const MAX_LENGTH: Record<string, number> = {
  [OID.commonName]: 64,
  [OID.organizationName]: 64,
  [OID.organizationalUnitName]: 64,
  [OID.localityName]: 128,
  [OID.stateOrProvinceName]: 128,
  [OID.streetAddress]: 128,
  [OID.emailAddress]: 255,
};

/** BR §7.1.4.1: the order of subject attributes (types not listed keep their place). */
const BR_ORDER = [
  OID.domainComponent,
  OID.countryName,
  OID.stateOrProvinceName,
  OID.localityName,
  '2.5.4.17',
  OID.streetAddress,
  OID.organizationName,
  OID.surname,
  OID.givenName,
  OID.organizationalUnitName,
  OID.commonName,
];

/** BR §7.1.2.7.2: what a domain-validated subscriber certificate's subject may hold. */
const SUBSCRIBER_ATTRIBUTES = new Set<string>([OID.countryName, OID.commonName]);

/** Attributes BR §7.1.4.2 requires in another string type than UTF8String/PrintableString. */
const IA5_ATTRIBUTES = new Set<string>([OID.emailAddress, OID.domainComponent]);

/** Whether the CN is a character-for-character copy of a dNSName, or an iPAddress in canonical text (BR §7.1.4.3). */
function cnInSans(cn: AttributeTypeAndValue, holder: NamedKey): boolean {
  const text = cn.text;
  if (text === undefined) return false;
  return dnsNames(holder).includes(text) || ipNames(holder).some((bytes) => (bytes.length === 4 || bytes.length === 16) && formatIpAddress(bytes) === text);
}

/**
 * Whether a CN that is not an exact copy of a SAN entry misleads: it spells one of them another
 * way (other letter case, a U-label for an A-label, an IP address with leading zeros, in hex,
 * uncompressed or in upper case, with a trailing dot or white space), or it is an internationalized name — what user interfaces
 * show as the certificate's name, for a name it was not validated for. A CN naming something
 * else entirely is ignored by every client (RFC 9525 §6.3) and accepted, as BetterTLS expects.
 */
function misleadingCn(cn: AttributeTypeAndValue, holder: NamedKey): boolean {
  const text = cn.text;
  if (text === undefined || cnInSans(cn, holder)) return false;
  if (/[^\x00-\x7f]/.test(text) || /(^|\.)xn--/i.test(text)) return true;
  // Another spelling: letter case, surrounding white space, a trailing dot (RFC 1034 §3.1).
  const spelled = text.trim().toLowerCase().replace(/\.$/, '');
  if (dnsNames(holder).some((n) => n.toLowerCase() === spelled)) return true;
  const address = parseIpAddress(spelled, { ipv4: 'whatwg' }) ?? parseIpAddress(spelled, { ipv4: 'leading-zeros' }) ?? parseIpAddress(spelled);
  return address !== undefined && ipNames(holder).some((bytes) => equalBytes(bytes, address));
}

/** Name checks keyed by rule code. */
export const nameChecks: Record<string, NameCheck> = {
  'malformed-dns-name': (h) => each(dnsNames(h).filter(malformedDns)),
  'malformed-ip-address': (h) => each(ipNames(h).filter((b) => b.length !== 4 && b.length !== 16).map((b) => String(b.length))),
  'malformed-email-address': (h) => each((h.sans ?? []).flatMap((n) => (n.kind === 'email' && !isMailbox(n.value) ? [n.value] : []))),
  'malformed-uri': (h) => each((h.sans ?? []).flatMap((n) => (n.kind === 'uri' && !isAbsoluteUri(n.value) ? [n.value] : []))),
  'wildcard-over-public-suffix': (h, context) => each(dnsNames(h).filter((n) => overPublicSuffix(n, context))),
  'common-name-not-in-san': (h) => each(commonNames(h).filter((cn) => misleadingCn(cn, h)).map((cn) => cn.text ?? cn.normalized)),
  'multiple-common-names': (h) => commonNames(h).length > 1 && { found: String(commonNames(h).length) },
  'no-dns-or-ip-san': (h) => h.sans !== undefined && dnsNames(h).length === 0 && ipNames(h).length === 0,
  'subject-alt-name-type-not-permitted': (h) => each([...new Set((h.sans ?? []).filter((n) => n.kind !== 'dns' && n.kind !== 'ip').map(sanKindName))]),
  'invalid-punycode': (h) =>
    each(
      dnsNames(h).filter((n) => {
        const name = n.toLowerCase().replace(/^\*\./, '');
        return invalidALabel(name) !== undefined || name.split('.').some((l) => l.slice(2, 4) === '--' && !l.startsWith('xn--'));
      }),
    ),
  'internal-name': (h, context) => context.isInternalName !== undefined && each(dnsNames(h).filter((n) => !malformedDns(n) && context.isInternalName!(n.replace(/^\*\./, '')))),
  'reserved-ip-address': (h) => each(ipNames(h).filter((b) => (b.length === 4 || b.length === 16) && isReservedIpAddress(b)).map(formatIpAddress)),
  'name-attribute-too-long': (h) =>
    attributes(h).flatMap((a) => {
      const max = MAX_LENGTH[a.oid];
      return max !== undefined && a.text !== undefined && [...a.text].length > max ? [{ found: attributeName(a), expected: String(max) }] : [];
    }),
  'country-not-two-letters': (h) => each(attributes(h).flatMap((a) => (a.oid === OID.countryName && !/^[A-Z]{2}$/.test(a.text ?? '') ? [a.text ?? a.normalized] : []))),
  // eslint-disable-next-line no-control-regex
  'control-character': (h) => each(attributes(h).flatMap((a) => (a.text !== undefined && /[\x00-\x1f\x7f]/.test(a.text) ? [attributeName(a)] : []))),
  'subject-attribute-metadata-only': (h) => each(attributes(h).flatMap((a) => (a.text !== undefined && /^[\s.\-]+$/.test(a.text) ? [attributeName(a)] : []))),
  'email-address-in-subject': (h) => attributes(h).some((a) => a.oid === OID.emailAddress),
  'subject-attributes-not-permitted': (h) => each([...new Set(attributes(h).filter((a) => !SUBSCRIBER_ATTRIBUTES.has(a.oid)).map(attributeName))]),
  'subject-name-encoding': (h) => subjectEncoding(h),
  'name-string-type': (h) =>
    each(
      attributes(h).flatMap((a) => {
        const allowed = IA5_ATTRIBUTES.has(a.oid) ? a.tag === TAG.IA5_STRING : a.tag === TAG.UTF8_STRING || a.tag === TAG.PRINTABLE_STRING;
        return allowed || a.text === undefined ? [] : [attributeName(a)];
      }),
    ),
};

/** BR §7.1.4.3 itself, for requests: every CN an exact copy of a dNSName or iPAddress asked for. */
export function commonNamesNotInSans(h: NamedKey): CheckResult {
  return each(commonNames(h).filter((cn) => !cnInSans(cn, h)).map((cn) => cn.text ?? cn.normalized));
}

function sanKindName(name: GeneralName): string {
  return { email: 'an e-mail address', uri: 'a URI', dn: 'a directory name', other: 'another name form', dns: 'a DNS name', ip: 'an IP address' }[name.kind];
}

/** BR §7.1.4.1: one attribute per RDN, each type once (DC and street excepted), in the listed order. */
function subjectEncoding(h: NamedKey): CheckResult {
  const found: string[] = [];
  if (h.subject.some((rdn) => rdn.length > 1)) found.push('has several attributes in one component');
  const seen = new Set<string>();
  for (const a of attributes(h)) {
    if (seen.has(a.oid) && a.oid !== OID.domainComponent && a.oid !== OID.streetAddress) found.push(`repeats the ${attributeName(a)}`);
    seen.add(a.oid);
  }
  const ranks = attributes(h)
    .map((a) => BR_ORDER.indexOf(a.oid))
    .filter((r) => r >= 0);
  if (ranks.some((r, i) => i > 0 && r < ranks[i - 1]!)) found.push('lists its attributes out of order');
  return each([...new Set(found)]);
}
