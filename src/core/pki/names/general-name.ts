/**
 * GeneralName (RFC 5280 §4.2.1.6): the one definition of the name forms a certificate presents
 * in subjectAltName and constrains in nameConstraints, and their display.
 */
import type { GeneralName as AsnGeneralName } from '@peculiar/asn1-x509';
import { children, oids, parseGeneralName, readTlv, type ChainCertificate, type DistinguishedName } from '../chain';
import { nameAttributes, nameToString } from './distinguished-name';
import { formatIpAddress, parseIpAddress } from './ip';

/**
 * One GeneralName as read from DER: dNSName, rfc822Name and URI as their IA5String text,
 * iPAddress as its octets (4 or 16 for an address, 8 or 32 for a name-constraint range),
 * directoryName as a DistinguishedName, and the forms Certdesk does not interpret by tag.
 */
export type GeneralName =
  | { kind: 'dns'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'uri'; value: string }
  | { kind: 'ip'; bytes: Uint8Array }
  | { kind: 'dn'; name: DistinguishedName }
  | { kind: 'other'; tag: number };

/**
 * The subjectAltName entries of a parsed certificate, or undefined when it has none.
 * @throws DerError or Error when the extension is malformed
 */
export function subjectAltNames(cert: ChainCertificate): GeneralName[] | undefined {
  const ext = cert.extensions.get(oids.subjectAltName);
  if (!ext) return undefined;
  const seq = readTlv(ext.value, 0);
  if (seq.tag !== 0x30 || seq.end !== ext.value.length) throw new Error('malformed subjectAltName');
  return children(ext.value, seq).map((t) => parseGeneralName(ext.value, t));
}

/** A subjectAltName (or other GeneralName) as shown to the admin. */
export type DescribedGeneralName =
  | { type: 'dns'; value: string }
  | { type: 'ip'; value: string }
  | { type: 'email'; value: string }
  | { type: 'uri'; value: string }
  | { type: 'dn'; value: string }
  | { type: 'other'; value: string };

/**
 * IA5String must be ASCII, but some CAs put UTF-8 in dNSName (pyca's utf8-dnsname vector). The
 * parser hands those bytes over as Latin-1; show them as the UTF-8 they were, as OpenSSL does.
 */
function ia5Text(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text) || /[^\x00-\xff]/.test(text)) return text;
  return new TextDecoder('utf-8').decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
}

/**
 * Describes one GeneralName (RFC 5280 §4.2.1.6) read by @peculiar/asn1-x509; types Certdesk does
 * not interpret become 'other'. An IP address is shown in the canonical text of ip.ts.
 */
export function describeGeneralName(name: AsnGeneralName): DescribedGeneralName {
  if (name.dNSName !== undefined) return { type: 'dns', value: ia5Text(name.dNSName) };
  if (name.iPAddress !== undefined) {
    // The library hands over its own text of the octets; one formatter decides how it reads.
    const bytes = parseIpAddress(name.iPAddress);
    return { type: 'ip', value: bytes ? formatIpAddress(bytes) : name.iPAddress };
  }
  if (name.rfc822Name !== undefined) return { type: 'email', value: ia5Text(name.rfc822Name) };
  if (name.uniformResourceIdentifier !== undefined) return { type: 'uri', value: ia5Text(name.uniformResourceIdentifier) };
  if (name.directoryName) return { type: 'dn', value: nameToString(nameAttributes(name.directoryName)) };
  if (name.otherName) return { type: 'other', value: `otherName ${name.otherName.typeId}` };
  if (name.registeredID) return { type: 'other', value: `registeredID ${name.registeredID}` };
  if (name.x400Address) return { type: 'other', value: 'x400Address' };
  if (name.ediPartyName) return { type: 'other', value: 'ediPartyName' };
  return { type: 'other', value: 'unknown' };
}
