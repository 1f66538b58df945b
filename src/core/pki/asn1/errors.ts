/**
 * The one error the ASN.1 layer throws. It is a CertdeskError, so nothing raw ever reaches the
 * admin; format readers (certificates, PKCS#12, keys) catch it and say which file part was
 * damaged, keeping `detail` (what exactly was wrong) for the message.
 */
import { CertdeskError } from '../../errors';

export type Asn1ErrorCode =
  /** Structurally broken: truncated, a length past the end, a wrong or missing field, a bad value. */
  | 'invalid-encoding'
  /** BER where DER is required (indefinite length). */
  | 'not-der'
  /** Bytes after the end of the object. */
  | 'trailing-bytes'
  | 'asn1-too-deep'
  | 'asn1-too-many-elements'
  | 'asn1-oid-too-long';

const MESSAGES: Record<Asn1ErrorCode, string> = {
  'invalid-encoding': 'This file is damaged: its ASN.1 structure is cut off or malformed. Export or download it again.',
  'not-der': 'This object uses indefinite-length BER where DER is required. Export it again as DER or PEM.',
  'trailing-bytes':
    'The file has extra bytes after its end, so it was damaged or two files were joined. For several certificates use PEM (one block each) or a PKCS#7 bundle.',
  'asn1-too-deep': 'The file nests ASN.1 deeper than any real certificate or key does, so Certdesk does not read it.',
  'asn1-too-many-elements': 'The file holds more ASN.1 elements than any real certificate or key does, so Certdesk does not read it.',
  'asn1-oid-too-long': 'The file contains an object identifier longer than any real certificate or key uses, so Certdesk does not read it.',
};

export class Asn1Error extends CertdeskError {
  /** What exactly was wrong, as a clause: "a length field is not minimal". */
  readonly detail: string;

  constructor(code: Asn1ErrorCode, detail: string) {
    super(code, `${MESSAGES[code]} (${detail})`);
    this.name = 'Asn1Error';
    this.detail = detail;
  }

  declare readonly code: Asn1ErrorCode;
}
