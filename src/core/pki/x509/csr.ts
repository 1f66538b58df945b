/**
 * Certification requests (PKCS#10, RFC 2986 §4) read with the same reader, names, key and
 * extension decoders as certificates: the requested extensions (PKCS#9 extensionRequest,
 * RFC 2985 §5.4.2, and Microsoft's older attribute) are decoded exactly as a certificate's.
 */
import { CertdeskError } from '../../errors';
import { Asn1Error, checkAnyValue, encodingOf, fieldsOf, OID, readBitString, readDer, readOid, readSmallInteger, TAG } from '../asn1';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithm';
import { parseExtensions, type Extension } from './extensions';
import { parseName, type DistinguishedName } from './name';
import { parseSubjectPublicKeyInfo, type SubjectPublicKeyInfo } from './public-key';

/** Microsoft's pre-standard extension request attribute, still written by old Windows tools. */
const MS_EXTENSION_REQUEST = '1.3.6.1.4.1.311.2.1.14';

export interface CertificationRequest {
  der: Uint8Array;
  /** The CertificationRequestInfo as encoded: the bytes the signature covers. */
  info: Uint8Array;
  version: number;
  subject: DistinguishedName;
  subjectDer: Uint8Array;
  spki: SubjectPublicKeyInfo;
  /** Every attribute, values as encoded. */
  attributes: { oid: string; values: Uint8Array[] }[];
  /** The requested extensions, decoded as a certificate's are (x509/extensions.ts). */
  extensions: Extension[];
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Uint8Array;
  signatureUnusedBits: number;
}

function parse(der: Uint8Array): CertificationRequest {
  const outer = fieldsOf(readDer(der), 'the certificate request');
  const infoTlv = outer.next(TAG.SEQUENCE, 'certificationRequestInfo');
  const signatureAlgorithm = parseAlgorithmIdentifier(outer.next(TAG.SEQUENCE, 'signatureAlgorithm'), 'the signatureAlgorithm');
  const signature = readBitString(outer.next(TAG.BIT_STRING, 'signature'), 'the signature');
  outer.end();
  const f = fieldsOf(infoTlv, 'certificationRequestInfo');
  // RFC 2986 knows only v1(0); OpenSSL reads (and verifies) others, so the value is kept for lint.
  const version = readSmallInteger(f.next(TAG.INTEGER, 'version'), 'the version', 2 ** 31);
  const subjectTlv = f.next(TAG.SEQUENCE, 'subject');
  const spki = parseSubjectPublicKeyInfo(f.next(TAG.SEQUENCE, 'subjectPKInfo'));
  // Very old requests omit the attributes (OpenSSL reads them); RFC 2986 makes them [0] IMPLICIT SET OF.
  if (f.peek() === 0x80) throw new Asn1Error('invalid-encoding', 'the attribute set [0] uses the primitive form where DER requires the constructed one');
  const attributesTlv = f.optional(0xa0);
  f.end();
  const attributes: CertificationRequest['attributes'] = [];
  const extensions: Extension[] = [];
  for (const attribute of attributesTlv ? fieldsOf(attributesTlv, 'the attributes', 0xa0).rest() : []) {
    const a = fieldsOf(attribute, 'an attribute');
    const oid = readOid(a.next(TAG.OID, 'the attribute type'), 'an attribute type');
    const values = fieldsOf(a.next(TAG.SET, 'the attribute values'), 'attribute values', TAG.SET).rest();
    a.end();
    attributes.push({ oid, values: values.map((v) => encodingOf(checkAnyValue(v, 'an attribute value'))) });
    if (oid === OID.extensionRequest || oid === MS_EXTENSION_REQUEST) for (const value of values) extensions.push(...parseExtensions(value).list);
  }
  return {
    der,
    info: encodingOf(infoTlv),
    version,
    subject: parseName(subjectTlv, 'the subject'),
    subjectDer: encodingOf(subjectTlv),
    spki,
    attributes,
    extensions,
    signatureAlgorithm,
    signature: signature.bytes,
    signatureUnusedBits: signature.unusedBits,
  };
}

/**
 * Reads a DER PKCS#10 request.
 * @throws CertdeskError `invalid-csr` when the bytes are not a well-formed request, saying what is wrong.
 */
export function parseCertificationRequest(der: Uint8Array): CertificationRequest {
  try {
    return parse(der);
  } catch (error) {
    if (!(error instanceof Asn1Error)) throw error;
    throw new CertdeskError('invalid-csr', `This certificate request is damaged (${error.detail}) and cannot be read. Create or export it again.`, { cause: error });
  }
}
