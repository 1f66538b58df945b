/**
 * Certificate signing requests (PKCS#10, RFC 2986): created from a CertdeskKey with the SANs in
 * an extensionRequest attribute (RFC 2985 §5.4.2), and read back for display and signing.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Attribute, Extension, Extensions, SubjectAlternativeName, SubjectPublicKeyInfo, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { CertdeskError } from '../errors';
import type { CertdeskKey } from './keys';
import { describeGeneralName, type DescribedGeneralName } from './names/general-name';
import { encodeSubject, encodeSubjectAltName, subjectAltNamesFor, validateSubject, type SubjectAltName, type SubjectInput } from './names/subject-input';
import { signatureAlgorithmIdentifier, signatureAlgorithmName, signWithKey, verifySignature } from './signatures';
import { describePublicKey, nameAttributes, nameToString, parseCertificationRequest, type NameAttribute, type PublicKeyDescription } from './x509';
import { encodePem, fileText, parsePem } from './pem';

/** PKCS#9 extensionRequest (RFC 2985 §5.4.2). */
export const id_extensionRequest = '1.2.840.113549.1.9.14';

export interface CreateCsrInput {
  key: CertdeskKey;
  subject: SubjectInput;
  /** Hostnames and IP addresses as typed; validated and normalised here. */
  subjectAltNames: string[];
  /** The appliance's site hostname: when it is the CN it also goes first into the SANs. */
  siteHostname?: string;
}

/**
 * Creates and signs a CSR with the key's non-extractable private key.
 * @throws CertdeskError `invalid-subject` or `invalid-subject-alt-name` with the first problem
 *   (use validateSubject / subjectAltNamesFor in the UI to show all of them as the admin types).
 */
export async function createCsr(input: CreateCsrInput): Promise<{ der: Uint8Array; pem: string }> {
  const subject = checkedSubject(input.subject);
  const sans = checkedSubjectAltNames(subject, input.subjectAltNames, input.siteHostname);
  const extensions = new Extensions([subjectAltNameExtension(sans, Object.keys(subject).length === 0)]);
  const info = new CertificationRequestInfo({
    version: 0,
    subject: encodeSubject(subject),
    subjectPKInfo: AsnConvert.parse(input.key.spki, SubjectPublicKeyInfo),
    attributes: new Attributes([new Attribute({ type: id_extensionRequest, values: [AsnConvert.serialize(extensions)] })]),
  });
  const tbs = AsnConvert.serialize(info);
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: AsnConvert.parse(signatureAlgorithmIdentifier(input.key), AlgorithmIdentifier),
    signature: await signWithKey(input.key, tbs),
  });
  const der = new Uint8Array(AsnConvert.serialize(request));
  return { der, pem: encodePem('CERTIFICATE REQUEST', der) };
}

/** Validates a subject or throws the first problem as a CertdeskError. */
export function checkedSubject(subject: SubjectInput): SubjectInput {
  const result = validateSubject(subject);
  if (!result.ok) {
    const first = result.problems[0]!;
    throw new CertdeskError('invalid-subject', first.message);
  }
  return result.value;
}

/** Validates SAN entries (CN first when it is a hostname) or throws the first problem. */
export function checkedSubjectAltNames(subject: SubjectInput, entries: readonly string[], siteHostname?: string): SubjectAltName[] {
  const result = subjectAltNamesFor(subject, entries, siteHostname);
  if (!result.ok) {
    const first = result.problems[0]!;
    throw new CertdeskError('invalid-subject-alt-name', first.message);
  }
  return result.value;
}

/** subjectAltName extension; critical only when the subject is empty (RFC 5280 §4.2.1.6). */
export function subjectAltNameExtension(sans: readonly SubjectAltName[], critical = false): Extension {
  const value = new SubjectAlternativeName(sans.map(encodeSubjectAltName));
  return new Extension({ extnID: id_ce_subjectAltName, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** A CSR as read back: what the admin and the local CA need to see. */
export interface ParsedCsr {
  der: Uint8Array;
  subject: NameAttribute[];
  subjectText: string;
  /** The subject Name as encoded (what a CA copies into the certificate). */
  subjectDer: Uint8Array;
  subjectAltNames: DescribedGeneralName[];
  publicKey: PublicKeyDescription;
  signatureAlgorithm: string;
  /** The request's self-signature verifies with its own public key (proof of possession). */
  signatureValid: boolean;
  /** Extension OIDs requested, with their critical flags. */
  extensions: { oid: string; critical: boolean }[];
}

/**
 * Reads a CSR from DER or PEM ("CERTIFICATE REQUEST" / "NEW CERTIFICATE REQUEST") with the
 * request model (x509/csr.ts).
 * @throws CertdeskError `invalid-csr`
 */
export async function parseCsr(bytes: Uint8Array): Promise<ParsedCsr> {
  const request = parseCertificationRequest(csrDer(bytes));
  const subjectAltNames: DescribedGeneralName[] = [];
  for (const ext of request.extensions) {
    if (ext.oid !== id_ce_subjectAltName) continue;
    if (ext.decoded?.kind !== 'subjectAltName')
      throw new CertdeskError('invalid-csr', `The subjectAltName extension of this certificate request is damaged (${ext.problem ?? 'unreadable'}). Create the request again.`);
    subjectAltNames.push(...ext.decoded.names.map(describeGeneralName));
  }
  // Proof of possession, not trust: legacy algorithms are checked so old requests are recognised.
  const check = request.signatureUnusedBits ? { ok: false } : await verifySignature(request.info, request.signatureAlgorithm, request.signature, request.spki, { allowSha1: true, allowLegacy: true });
  const subject = nameAttributes(request.subject);
  return {
    der: request.der,
    subject,
    subjectText: nameToString(subject),
    subjectDer: request.subjectDer,
    subjectAltNames,
    publicKey: describePublicKey(request.spki),
    signatureAlgorithm: signatureAlgorithmName(request.signatureAlgorithm.oid),
    signatureValid: check.ok,
    extensions: request.extensions.map((e) => ({ oid: e.oid, critical: e.critical })),
  };
}

function csrDer(bytes: Uint8Array): Uint8Array {
  if (bytes[0] === 0x30) return bytes;
  const block = parsePem(fileText(bytes)).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
  if (!block) throw new CertdeskError('invalid-csr', 'This is not a certificate request (no "BEGIN CERTIFICATE REQUEST" block). Choose the .csr file.');
  return block.der;
}
