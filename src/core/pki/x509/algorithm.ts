/**
 * AlgorithmIdentifier (RFC 5280 §4.1.1.2): an OID and at most one parameter of any type, kept
 * as encoded so that the two copies in a certificate can be compared byte for byte and the
 * parameter encodings (NULL, absent, RSASSA-PSS parameters) checked where they matter.
 */
import { checkAnyValue, encodingOf, fieldsOf, readOid, TAG, type Tlv } from '../asn1';

export interface AlgorithmIdentifier {
  /** The whole encoding. */
  der: Uint8Array;
  oid: string;
  /** The parameters element's whole encoding; absent when the identifier has none. */
  parameters?: Uint8Array;
}

/** Reads `SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`. */
export function parseAlgorithmIdentifier(tlv: Tlv | undefined, what: string): AlgorithmIdentifier {
  const f = fieldsOf(tlv, what);
  const oid = readOid(f.next(TAG.OID, 'the algorithm'), `${what}'s algorithm`);
  const parameters = f.done ? undefined : encodingOf(checkAnyValue(f.next(undefined, 'the parameters'), `${what}'s parameters`));
  f.end();
  const der = encodingOf(f.parent);
  return parameters ? { der, oid, parameters } : { der, oid };
}
