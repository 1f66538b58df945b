/**
 * GeneralName (RFC 5280 §4.2.1.6): the one definition of the name forms a certificate presents
 * in subjectAltName and constrains in nameConstraints, and their display. x509/general-names.ts
 * reads them from DER.
 */
import type { DistinguishedName } from '../x509/name';
import { nameToString } from '../x509/name';
import { describeIpBytes } from './ip';

/**
 * One GeneralName as read from DER: dNSName, rfc822Name and URI as their IA5String text,
 * iPAddress as its octets (4 or 16 for an address, 8 or 32 for a name-constraint range),
 * directoryName as a DistinguishedName, and the forms Certdesk does not interpret by tag
 * (otherName [0], x400Address [3], ediPartyName [5], registeredID [8]; `oid` is the otherName
 * type-id or the registeredID).
 */
export type GeneralName =
  | { kind: 'dns'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'uri'; value: string }
  | { kind: 'ip'; bytes: Uint8Array }
  | { kind: 'dn'; name: DistinguishedName }
  | { kind: 'other'; tag: number; oid?: string };

/** A subjectAltName (or other GeneralName) as shown to the admin. */
export type DescribedGeneralName =
  | { type: 'dns'; value: string }
  | { type: 'ip'; value: string }
  | { type: 'email'; value: string }
  | { type: 'uri'; value: string }
  | { type: 'dn'; value: string }
  | { type: 'other'; value: string };

const OTHER_NAME_FORMS: Record<number, string> = { 0xa0: 'otherName', 0xa3: 'x400Address', 0xa5: 'ediPartyName', 0x88: 'registeredID' };

/**
 * Describes one GeneralName; forms Certdesk does not interpret become 'other'. An IP address
 * (or a name-constraint range, address/mask) is shown in the canonical text of ip.ts.
 */
export function describeGeneralName(name: GeneralName): DescribedGeneralName {
  switch (name.kind) {
    case 'dns':
    case 'email':
    case 'uri':
      return { type: name.kind, value: name.value };
    case 'ip':
      return { type: 'ip', value: describeIpBytes(name.bytes) };
    case 'dn':
      return { type: 'dn', value: nameToString(name.name) };
    case 'other':
      return { type: 'other', value: [OTHER_NAME_FORMS[name.tag] ?? 'unknown', name.oid].filter(Boolean).join(' ') };
  }
}
