/**
 * Reading GeneralName and GeneralNames (RFC 5280 §4.2.1.6) from DER, strictly: the IA5String
 * forms must be ASCII (a UTF-8 dNSName is malformed, as in Go and rustls-webpki), a
 * directoryName holds exactly one Name, an otherName is `SEQUENCE { type-id, [0] EXPLICIT ANY }`.
 */
import { Asn1Error, checkAnyValue, children, contentOf, fieldsOf, isConstructed, readOid, TAG, type Tlv } from '../asn1';
import type { GeneralName } from '../names/general-name';
import { parseName } from './name';

const latin1 = new TextDecoder('latin1');

/** The text of an IMPLICIT IA5String ([1] rfc822Name, [2] dNSName, [6] URI). */
function ia5(tlv: Tlv, what: string): string {
  if (isConstructed(tlv)) throw new Asn1Error('invalid-encoding', `${what} uses a constructed encoding`);
  const c = contentOf(tlv);
  for (let i = 0; i < c.length; i++) if (c[i]! > 0x7f) throw new Asn1Error('invalid-encoding', `${what} has a non-ASCII byte in an IA5String`);
  return latin1.decode(c);
}

/** One GeneralName. */
export function parseGeneralName(tlv: Tlv): GeneralName {
  switch (tlv.tag) {
    case 0x81:
      return { kind: 'email', value: ia5(tlv, 'an rfc822Name') };
    case 0x82:
      return { kind: 'dns', value: ia5(tlv, 'a dNSName') };
    case 0x86:
      return { kind: 'uri', value: ia5(tlv, 'a URI') };
    case 0x87:
      return { kind: 'ip', bytes: contentOf(tlv) };
    case 0xa4: {
      const f = fieldsOf(tlv, 'a directoryName', 0xa4);
      const name = parseName(f.next(TAG.SEQUENCE, 'the Name'), 'a directoryName');
      f.end();
      return { kind: 'dn', name };
    }
    case 0xa0: {
      const f = fieldsOf(tlv, 'an otherName', 0xa0);
      const oid = readOid(f.next(TAG.OID, 'the type-id'), 'an otherName type-id');
      const value = fieldsOf(f.next(0xa0, 'the value'), 'an otherName value', 0xa0);
      checkAnyValue(value.next(undefined, 'the value'), 'an otherName value');
      value.end();
      f.end();
      return { kind: 'other', tag: tlv.tag, oid };
    }
    case 0x88:
      return { kind: 'other', tag: tlv.tag, oid: readOid({ ...tlv, tag: TAG.OID }, 'a registeredID') };
    case 0xa3:
    case 0xa5:
      children(tlv);
      return { kind: 'other', tag: tlv.tag };
    default:
      throw new Asn1Error('invalid-encoding', `a GeneralName has an unknown form (tag 0x${tlv.tag.toString(16)})`);
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, from the SEQUENCE (or an IMPLICIT tag `tag`). */
export function parseGeneralNames(tlv: Tlv | undefined, what: string, tag: number = TAG.SEQUENCE): GeneralName[] {
  const names = fieldsOf(tlv, what, tag).rest().map(parseGeneralName);
  if (names.length === 0) throw new Asn1Error('invalid-encoding', `${what} is empty (RFC 5280 requires at least one name)`);
  return names;
}
