/**
 * Issuing X.509 v3 certificates (RFC 5280) with a CertdeskKey: the appliance's self-signed
 * certificate here, and the shared builder the local CA signs with.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name as AsnName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';
import { CertdeskError } from '../errors';
import type { CertdeskKey } from './keys';
import { signWithKey, signatureAlgorithmIdentifier } from './signatures';
import { encodeSubject, type SubjectAltName, type SubjectInput } from './names/subject-input';
import { checkedSubject, checkedSubjectAltNames, subjectAltNameExtension } from './csr';
import { toArrayBuffer } from './asn1/bytes';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Longest validity Certdesk issues: 100 years is far beyond any real need, and keeps dates in
 * GeneralizedTime's four-digit years (RFC 5280 §4.1.2.5).
 */
const MAX_VALIDITY_DAYS = 36_500;

export interface SelfSignedInput {
  key: CertdeskKey;
  subject: SubjectInput;
  subjectAltNames: string[];
  /** Default one year, as the guide suggests. */
  validityDays?: number;
  notBefore?: Date;
  siteHostname?: string;
}

/**
 * A self-signed server certificate for an appliance: random positive 16-byte serial,
 * SKI and AKI, basicConstraints CA:false (critical), keyUsage digitalSignature (+ keyEncipherment
 * for RSA, RFC 5246 RSA key exchange), EKU serverAuth, and the SANs.
 * @returns the certificate DER
 */
export async function createSelfSignedCertificate(input: SelfSignedInput): Promise<Uint8Array> {
  const subject = checkedSubject(input.subject);
  const sans = checkedSubjectAltNames(subject, input.subjectAltNames, input.siteHostname);
  const name = encodeSubject(subject);
  const ski = await keyIdentifier(input.key.spki);
  return issueCertificate({
    subject: name,
    issuer: name,
    spki: input.key.spki,
    ...validityPeriod(input.validityDays ?? 365, input.notBefore),
    extensions: serverExtensions({ key: input.key.algorithm, sans, ski, aki: ski, emptySubject: Object.keys(subject).length === 0 }),
    signer: input.key,
  });
}

/** notBefore/notAfter for a validity in days, checked. */
export function validityPeriod(validityDays: number, notBefore = new Date()): { notBefore: Date; notAfter: Date } {
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
    throw new CertdeskError('invalid-validity', `Validity must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}.`);
  }
  const start = new Date(Math.floor(notBefore.getTime() / 1000) * 1000);
  return { notBefore: start, notAfter: new Date(start.getTime() + validityDays * DAY_MS) };
}

/** Server profile shared by self-signed and CA-issued leaf certificates. */
export function serverExtensions(options: {
  key: CertdeskKey['algorithm'] | 'RSA' | 'ECDSA';
  sans: readonly SubjectAltName[];
  ski: Uint8Array;
  aki: Uint8Array;
  emptySubject?: boolean;
}): Extension[] {
  const rsa = options.key.startsWith('RSA');
  return [
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
    extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature | (rsa ? KeyUsageFlags.keyEncipherment : 0))),
    extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth])),
    extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(toArrayBuffer(options.ski))),
    extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(toArrayBuffer(options.aki)) })),
    subjectAltNameExtension(options.sans, options.emptySubject ?? false),
  ];
}

/** An Extension from an ASN.1 value object. */
export function extension(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/**
 * Key identifier, RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value.
 * SHA-1 is fine here: it names a key, it does not protect anything.
 */
export async function keyIdentifier(spki: Uint8Array): Promise<Uint8Array> {
  const info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', info.subjectPublicKey));
}

/**
 * A random positive serial of exactly 16 bytes (RFC 5280 §4.1.2.2: positive, ≤ 20 octets; CA/B
 * Forum BR §7.1: ≥ 64 bits of CSPRNG output). The top bit is cleared so no 0x00 pad is needed,
 * the next one set so the encoding never shrinks: 126 random bits.
 */
export function randomSerialNumber(): Uint8Array {
  const serial = globalThis.crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  return serial;
}

export interface IssueInput {
  subject: AsnName;
  issuer: AsnName;
  spki: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  extensions: Extension[];
  signer: CertdeskKey;
  serialNumber?: Uint8Array;
}

/** Builds, signs and encodes a v3 certificate. */
export async function issueCertificate(input: IssueInput): Promise<Uint8Array> {
  const signatureAlgorithm = AsnConvert.parse(signatureAlgorithmIdentifier(input.signer), AlgorithmIdentifier);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(input.serialNumber ?? randomSerialNumber()),
    signature: signatureAlgorithm,
    issuer: input.issuer,
    validity: new Validity({ notBefore: input.notBefore, notAfter: input.notAfter }),
    subject: input.subject,
    subjectPublicKeyInfo: AsnConvert.parse(input.spki, SubjectPublicKeyInfo),
    extensions: new Extensions(input.extensions),
  });
  const tbsDer = AsnConvert.serialize(tbs);
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm,
    signatureValue: await signWithKey(input.signer, tbsDer),
  });
  return new Uint8Array(AsnConvert.serialize(certificate));
}
