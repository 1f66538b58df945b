/**
 * Distinguished names (X.501, RFC 5280 §4.1.2.4) as the admin reads them: the attributes in
 * encoded order, and the one-line RFC 4514 form browsers and `openssl -nameopt RFC2253` print.
 */
import type { AttributeValue, Name as AsnName } from '@peculiar/asn1-x509';
import { toHex } from '../asn1/bytes';

/** Short names for attribute types, as RFC 4514 §3 and OpenSSL print them. */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
};

/** One attribute of a distinguished name, for display. */
export interface NameAttribute {
  /** Short name (CN, O, …) or the dotted OID when there is none. */
  type: string;
  oid: string;
  value: string;
  /** Index of the RDN this attribute belongs to; several attributes may share one (multi-valued RDN). */
  rdn: number;
  /** The value is not a string type and is shown as "#" + hex of its DER (RFC 4514 §2.4). */
  binary?: true;
}

/** The attributes of a Name in encoded order (most general first, as in the certificate). */
export function nameAttributes(name: AsnName): NameAttribute[] {
  const out: NameAttribute[] = [];
  name.forEach((rdn, index) => {
    for (const atv of rdn) {
      const attribute: NameAttribute = { type: SHORT_NAMES[atv.type] ?? atv.type, oid: atv.type, value: attributeText(atv.value), rdn: index };
      if (atv.value.anyValue) attribute.binary = true;
      out.push(attribute);
    }
  });
  return out;
}

function attributeText(value: AttributeValue): string {
  try {
    if (value.anyValue) return '#' + toHex(new Uint8Array(value.anyValue));
    const text = value.toString();
    // NUL and other control characters would let a name look like another on screen.
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  } catch {
    return '(unreadable)';
  }
}

/**
 * One-line form in RFC 4514 order (most specific first: "CN=…, O=…, C=…"), with the RFC 4514
 * §2.4 escapes, as the admin sees it in browsers and openssl -nameopt RFC2253.
 */
export function nameToString(attributes: readonly NameAttribute[]): string {
  const rdns: string[][] = [];
  let last = Number.NaN;
  for (const a of attributes) {
    if (a.rdn !== last) rdns.push([]);
    last = a.rdn;
    rdns[rdns.length - 1]!.push(`${a.type}=${a.binary ? a.value : escapeRfc4514(a.value)}`);
  }
  // RFC 4514 §2.1: RDNs last-to-first, separated by commas; §2.2: multi-valued with "+".
  return rdns
    .reverse()
    .map((rdn) => rdn.join('+'))
    .join(', ');
}

function escapeRfc4514(value: string): string {
  return value
    .replace(/([\\,+"<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}
