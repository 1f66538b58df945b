/**
 * The one certificate model (RFC 5280 §4.1), after Go's crypto/x509 parser.go and
 * rustls-webpki's cert.rs: `parseCertificate` reads the DER once, strictly, and keeps the
 * encoded bytes validation needs (the signed TBS, both AlgorithmIdentifiers, names, the key)
 * beside every extension decoded with its criticality. Everything is checked when the DER is
 * read; the parts most readers never look at (names as values, the extension list, the key's
 * numbers) are built when first asked for, once.
 *
 * What OpenSSL's d2i_X509 refuses is refused here (`malformed-certificate`), and what DER
 * forbids besides (non-minimal lengths, BER, non-DER BOOLEANs and BIT STRINGs, invalid dates,
 * versions other than v1–v3); what OpenSSL accepts although RFC 5280 forbids it (extensions in
 * a v1 certificate, unique identifiers in v1, a negative serial, GeneralizedTime before 2050,
 * a malformed extension value, an empty RDN) is read and kept, so that validation can say so.
 */
import { CertdeskError } from '../../errors';
import { limits } from '../limits';
import { checkInputSize, expectKind } from '../der-kind';
import {
  Asn1Error,
  context,
  encodingOf,
  fieldsOf,
  readBitString,
  readDer,
  readInteger,
  readSmallInteger,
  readTime,
  TAG,
  type BitString,
  type Time,
  type Tlv,
} from '../asn1';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithm';
import { checkExtensions, extensionValue, parseExtensions, type Extension, type ExtensionKind, type ExtensionOf, type ParsedExtensions } from './extensions';
import { checkName, nameKey, parseName, type DistinguishedName } from './name';
import { parseSubjectPublicKeyInfo, type SubjectPublicKeyInfo } from './public-key';

export interface Certificate {
  der: Uint8Array;
  /** The TBSCertificate as encoded: the bytes the signature covers. */
  readonly tbs: Uint8Array;
  /** The outer signatureAlgorithm and the `signature` field inside the TBS (RFC 5280 §4.1.1.2: must be identical). */
  signatureAlgorithm: AlgorithmIdentifier;
  tbsSignatureAlgorithm: AlgorithmIdentifier;
  /** The signatureValue BIT STRING's octets, and its unused-bits count (0 for every real signature). */
  signature: Uint8Array;
  signatureUnusedBits: number;
  version: 1 | 2 | 3;
  /** The version field was written out (DER omits the default v1, X.690 §11.5). */
  versionEncoded: boolean;
  /** The serial number's INTEGER contents (two's complement, as encoded; RFC 5280 §4.1.2.2 wants it positive). */
  serialNumber: Uint8Array;
  /** The names as structured values (built on first use, once; checked when the certificate was read). */
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  /** The names as encoded. */
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  /** RFC 5280 §7.1 comparison keys (x509/name.ts nameKey). */
  readonly issuerKey: string;
  readonly subjectKey: string;
  /** Validity, in seconds, with the time type each was written in (RFC 5280 §4.1.2.5). */
  notBefore: Time;
  notAfter: Time;
  spki: SubjectPublicKeyInfo;
  /** RFC 5280 §4.1.2.8: only in v2 and v3 certificates. */
  issuerUniqueId?: BitString;
  subjectUniqueId?: BitString;
  /** Every extension in encoded order, duplicates included. */
  readonly extensions: readonly Extension[];
  /** The first extension of each OID. */
  readonly extensionsByOid: ReadonlyMap<string, Extension>;
  /** OIDs that occur more than once (RFC 5280 §4.2 forbids it). */
  readonly duplicateExtensions: readonly string[];
  /** The [3] extensions field was written (RFC 5280 §4.1.2.9: then it holds one or more). */
  extensionsPresent: boolean;
  /** Issuer and subject are the same name (RFC 5280 §6.1, compared per §7.1). */
  readonly selfIssued: boolean;
}

/** A certificate that is not well-formed DER X.509; `detail` says what exactly is wrong. */
export class MalformedCertificateError extends CertdeskError {
  readonly detail: string;
  /** The part that is malformed, where validation names it by a rule of its own (RFC 5280 §4.1.2.5). */
  readonly part?: 'validity';

  constructor(detail: string, cause?: unknown, part?: 'validity') {
    super(
      'malformed-certificate',
      `This certificate is malformed (${detail}), so clients cannot read it. Export or download it again, or ask the CA for a correctly encoded copy.`,
      { cause },
    );
    this.name = 'MalformedCertificateError';
    this.detail = detail;
    if (part) this.part = part;
  }
}

/** A validity time; a malformed one is reported as such (the time rules of RFC 5280 §4.1.2.5). */
function readValidityTime(tlv: Parameters<typeof readTime>[0], what: string): Time {
  try {
    return readTime(tlv, what);
  } catch (error) {
    if (error instanceof Asn1Error) throw new MalformedCertificateError(error.detail, error, 'validity');
    throw error;
  }
}

function parse(der: Uint8Array): Certificate {
  const outer = fieldsOf(readDer(der), 'the certificate');
  const tbsTlv = outer.next(TAG.SEQUENCE, 'tbsCertificate');
  const signatureAlgorithm = parseAlgorithmIdentifier(outer.next(TAG.SEQUENCE, 'signatureAlgorithm'), 'the signatureAlgorithm');
  const signatureBits = readBitString(outer.next(TAG.BIT_STRING, 'signatureValue'), 'the signatureValue');
  outer.end();

  const t = fieldsOf(tbsTlv, 'tbsCertificate');
  let version: 1 | 2 | 3 = 1;
  const versionTlv = t.optional(context(0, true));
  if (versionTlv) {
    const v = fieldsOf(versionTlv, 'the version', versionTlv.tag);
    const number = readSmallInteger(v.next(TAG.INTEGER, 'the version number'), 'the version', 2 ** 31);
    v.end();
    // RFC 5280 §4.1.2.1: Version ::= INTEGER { v1(0), v2(1), v3(2) }.
    if (number > 2) throw new Asn1Error('invalid-encoding', `the version is ${number + 1}; X.509 has only versions 1 to 3`);
    version = (number + 1) as 1 | 2 | 3;
  }
  const serialNumber = readInteger(t.next(TAG.INTEGER, 'serialNumber'), 'the serial number');
  const tbsSignatureAlgorithm = parseAlgorithmIdentifier(t.next(TAG.SEQUENCE, 'signature'), 'the TBS signature algorithm');
  const issuerTlv = t.next(TAG.SEQUENCE, 'issuer');
  const validity = fieldsOf(t.next(TAG.SEQUENCE, 'validity'), 'the validity');
  const notBefore = readValidityTime(validity.next(undefined, 'notBefore'), 'notBefore');
  const notAfter = readValidityTime(validity.next(undefined, 'notAfter'), 'notAfter');
  validity.end();
  const subjectTlv = t.next(TAG.SEQUENCE, 'subject');
  const spki = parseSubjectPublicKeyInfo(t.next(TAG.SEQUENCE, 'subjectPublicKeyInfo'));
  const issuerUid = t.optional(context(1, false));
  const subjectUid = t.optional(context(2, false));
  const extensionsTlv = t.optional(context(3, true));
  t.end();

  checkName(issuerTlv, 'the issuer');
  checkName(subjectTlv, 'the subject');
  let extensions: Tlv | ParsedExtensions = NO_EXTENSIONS;
  if (extensionsTlv) {
    const wrapper = fieldsOf(extensionsTlv, 'the extensions', extensionsTlv.tag);
    const list = wrapper.next(TAG.SEQUENCE, 'Extensions');
    wrapper.end();
    extensions = checkExtensions(list) ?? list;
  }
  const cert = new ReadCertificate(der, tbsTlv, issuerTlv, subjectTlv, extensions);
  cert.signatureAlgorithm = signatureAlgorithm;
  cert.tbsSignatureAlgorithm = tbsSignatureAlgorithm;
  cert.signature = signatureBits.bytes;
  cert.signatureUnusedBits = signatureBits.unusedBits;
  cert.version = version;
  cert.versionEncoded = versionTlv !== undefined;
  cert.serialNumber = serialNumber;
  cert.notBefore = notBefore;
  cert.notAfter = notAfter;
  cert.spki = spki;
  cert.extensionsPresent = extensionsTlv !== undefined;
  if (issuerUid) cert.issuerUniqueId = readBitString(issuerUid, 'the issuerUniqueID', issuerUid.tag);
  if (subjectUid) cert.subjectUniqueId = readBitString(subjectUid, 'the subjectUniqueID', subjectUid.tag);
  return cert;
}

const NO_EXTENSIONS: ParsedExtensions = { list: [], byOid: new Map(), duplicates: [] };

/**
 * A certificate as read. Its names and extensions were checked by every rule of their readers;
 * their values, the names' comparison keys, and the encodings of the TBS and the names are
 * built when first asked for, once: decoding a file reads every certificate in it, and only
 * some of them are then shown, compared or validated.
 */
class ReadCertificate implements Certificate {
  signatureAlgorithm!: AlgorithmIdentifier;
  tbsSignatureAlgorithm!: AlgorithmIdentifier;
  signature!: Uint8Array;
  signatureUnusedBits = 0;
  version: 1 | 2 | 3 = 1;
  versionEncoded = false;
  serialNumber!: Uint8Array;
  notBefore!: Time;
  notAfter!: Time;
  spki!: SubjectPublicKeyInfo;
  declare issuerUniqueId?: BitString;
  declare subjectUniqueId?: BitString;
  extensionsPresent = false;
  readonly #tbsTlv: Tlv;
  readonly #issuerTlv: Tlv;
  readonly #subjectTlv: Tlv;
  #tbs: Uint8Array | undefined;
  #issuerDer: Uint8Array | undefined;
  #subjectDer: Uint8Array | undefined;
  /** The extensions as read, or their element when they were only checked. */
  #extensions: Tlv | ParsedExtensions;
  #issuer: DistinguishedName | undefined;
  #subject: DistinguishedName | undefined;
  #issuerKey: string | undefined;
  #subjectKey: string | undefined;

  constructor(
    readonly der: Uint8Array,
    tbsTlv: Tlv,
    issuerTlv: Tlv,
    subjectTlv: Tlv,
    extensions: Tlv | ParsedExtensions,
  ) {
    this.#extensions = extensions;
    this.#tbsTlv = tbsTlv;
    this.#issuerTlv = issuerTlv;
    this.#subjectTlv = subjectTlv;
  }

  get tbs(): Uint8Array {
    return (this.#tbs ??= encodingOf(this.#tbsTlv));
  }

  get issuerDer(): Uint8Array {
    return (this.#issuerDer ??= encodingOf(this.#issuerTlv));
  }

  get subjectDer(): Uint8Array {
    return (this.#subjectDer ??= encodingOf(this.#subjectTlv));
  }

  get extensions(): readonly Extension[] {
    return this.#readExtensions().list;
  }

  get extensionsByOid(): ReadonlyMap<string, Extension> {
    return this.#readExtensions().byOid;
  }

  get duplicateExtensions(): readonly string[] {
    return this.#readExtensions().duplicates;
  }

  #readExtensions(): ParsedExtensions {
    const extensions = this.#extensions;
    return 'list' in extensions ? extensions : (this.#extensions = parseExtensions(extensions));
  }

  get issuer(): DistinguishedName {
    return (this.#issuer ??= parseName(this.#issuerTlv, 'the issuer'));
  }

  get subject(): DistinguishedName {
    return (this.#subject ??= parseName(this.#subjectTlv, 'the subject'));
  }

  get issuerKey(): string {
    return (this.#issuerKey ??= nameKey(this.issuer));
  }

  get subjectKey(): string {
    return (this.#subjectKey ??= nameKey(this.subject));
  }

  get selfIssued(): boolean {
    return this.issuerKey === this.subjectKey;
  }
}

/**
 * Reads a DER certificate (RFC 5280 §4.1) into the model.
 * @throws MalformedCertificateError (`malformed-certificate`) when the bytes are not a
 *   well-formed DER certificate; the error's `detail` says what is wrong.
 */
export function parseCertificate(der: Uint8Array): Certificate {
  if (der.length > limits.maxFileBytes) throw new MalformedCertificateError(`it is larger than ${limits.maxFileBytes / 1024 / 1024} MB, far beyond any certificate`);
  try {
    return parse(der);
  } catch (error) {
    if (error instanceof Asn1Error) throw new MalformedCertificateError(error.detail, error);
    throw error;
  }
}

/**
 * The certificate model of bytes that come from outside — a file, a paste, a stored record:
 * first what they are and whether their whole encoding is within the limits (der-kind.ts, the
 * same rules decoding applies), then the model. Import, the viewer and the CLI all read
 * certificates through here, so one file gets one verdict with one code everywhere.
 * @param pemLabel the label of the PEM block the DER came from, if any.
 * @throws CertdeskError: the size's code (`empty-file`, `file-too-large`), the structure's
 *   (`invalid-encoding`, `trailing-bytes`, `asn1-*`),
 *   another kind's (`public-key-not-certificate`, `crl-not-certificate`, `unexpected-content`,
 *   `pem-content-mismatch`), or the model's `malformed-certificate`.
 */
export function readCertificate(der: Uint8Array, pemLabel?: string): Certificate {
  checkInputSize(der);
  expectKind(der, 'certificate', pemLabel);
  return parseCertificate(der);
}

/** The decoded value of a certificate's first extension of `kind`, when present and well formed. */
export function certificateExtension<K extends ExtensionKind>(cert: Certificate, kind: K): ExtensionOf<K> | undefined {
  return extensionValue(cert.extensionsByOid, kind);
}

/** Whether the certificate asserts cA in basicConstraints (RFC 5280 §4.2.1.9). */
export function isCaCertificate(cert: Certificate): boolean {
  return certificateExtension(cert, 'basicConstraints')?.ca === true;
}
