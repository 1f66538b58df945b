/**
 * AlgorithmIdentifier (RFC 5280 §4.1.1.2): an OID and at most one parameter of any type, kept
 * as encoded so that the two copies in a certificate can be compared byte for byte and the
 * parameter encodings (NULL, absent, RSASSA-PSS parameters) checked where they matter.
 */
import { checkAnyValue, checkOid, encodingOf, fieldsOf, readOid, TAG, type Tlv } from '../asn1';

export interface AlgorithmIdentifier {
  /** The whole encoding. */
  readonly der: Uint8Array;
  readonly oid: string;
  /** The parameters element's whole encoding; absent when the identifier has none. */
  readonly parameters?: Uint8Array | undefined;
}

/** Reads `SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`. */
export function parseAlgorithmIdentifier(tlv: Tlv | undefined, what: string): AlgorithmIdentifier {
  const f = fieldsOf(tlv, what);
  const oid = f.next(TAG.OID, 'the algorithm');
  checkOid(oid, `${what}'s algorithm`);
  const parameters = f.done ? undefined : checkAnyValue(f.next(undefined, 'the parameters'), `${what}'s parameters`);
  f.end();
  return new ReadAlgorithm(f.parent, oid, parameters);
}

/**
 * An AlgorithmIdentifier as read (and checked): its OID's text and its encodings are made when
 * first asked for, once; decoding a file reads three of them per certificate and uses none.
 */
class ReadAlgorithm implements AlgorithmIdentifier {
  readonly #tlv: Tlv;
  readonly #oidTlv: Tlv;
  readonly #parametersTlv: Tlv | undefined;
  #der: Uint8Array | undefined;
  #oid: string | undefined;
  #parameters: Uint8Array | undefined;

  constructor(tlv: Tlv, oid: Tlv, parameters: Tlv | undefined) {
    this.#tlv = tlv;
    this.#oidTlv = oid;
    this.#parametersTlv = parameters;
  }

  get der(): Uint8Array {
    return (this.#der ??= encodingOf(this.#tlv));
  }

  get oid(): string {
    return (this.#oid ??= readOid(this.#oidTlv, 'the algorithm'));
  }

  get parameters(): Uint8Array | undefined {
    return this.#parametersTlv && (this.#parameters ??= encodingOf(this.#parametersTlv));
  }
}
