/**
 * A small local CA for organisations that run an internal CA, as the guide allows: a root, an
 * optional intermediate, and signing an appliance's CSR with the server profile.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  SubjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
  type Extension,
} from '@peculiar/asn1-x509';
import { CertdeskError } from '../errors';
import type { CertdeskKey } from './keys';
import { encodeSubject, validateDnsName, validateSubjectAltName, type SubjectAltName, type SubjectInput } from './names/subject-input';
import { checkedSubject, parseCsr } from './csr';
import { certificateExtension, isCaCertificate, parseCertificate } from './x509';
import { extension, issueCertificate, keyIdentifier, serverExtensions, validityPeriod } from './certificate';
import { toArrayBuffer } from './asn1/bytes';
import { limits } from './limits';

/** The issuing CA: its certificate and the key that certificate belongs to. */
export interface Issuer {
  certificate: Uint8Array;
  key: CertdeskKey;
}

export interface LocalRootInput {
  key: CertdeskKey;
  subject: SubjectInput;
  /** Default 10 years. */
  validityDays?: number;
  /** How many intermediates may follow (RFC 5280 §4.2.1.9); default 1, omit the limit with null. */
  pathLength?: number | null;
  notBefore?: Date;
}

export interface LocalIntermediateInput {
  key: CertdeskKey;
  subject: SubjectInput;
  issuer: Issuer;
  /** Default 5 years, never beyond the issuer's notAfter. */
  validityDays?: number;
  /** Default 0: the intermediate signs only server certificates. */
  pathLength?: number | null;
  notBefore?: Date;
}

/** A self-signed CA certificate for the local root. */
export async function createLocalRoot(input: LocalRootInput): Promise<Uint8Array> {
  const name = encodeSubject(checkedSubject(input.subject));
  const ski = await keyIdentifier(input.key.spki);
  return issueCertificate({
    subject: name,
    issuer: name,
    spki: input.key.spki,
    ...validityPeriod(input.validityDays ?? 3650, input.notBefore),
    extensions: caExtensions(input.pathLength === undefined ? 1 : input.pathLength, ski, ski),
    signer: input.key,
  });
}

/** An intermediate CA certificate signed by the root (or another intermediate). */
export async function createLocalIntermediate(input: LocalIntermediateInput): Promise<Uint8Array> {
  const issuer = await checkedIssuer(input.issuer);
  const ski = await keyIdentifier(input.key.spki);
  const period = clampToIssuer(validityPeriod(input.validityDays ?? 1825, input.notBefore), issuer);
  return issueCertificate({
    subject: encodeSubject(checkedSubject(input.subject)),
    issuer: issuer.subject,
    spki: input.key.spki,
    ...period,
    extensions: caExtensions(input.pathLength === undefined ? 0 : input.pathLength, ski, issuer.ski),
    signer: input.issuer.key,
  });
}

export interface SignCsrInput {
  csrDer: Uint8Array;
  issuer: Issuer;
  /** The issuer's own chain up to the root (intermediates, then the root), for the reply. */
  chain: Uint8Array[];
  validityDays: number;
  notBefore?: Date;
}

/**
 * Signs a CSR with the server profile, copying its subject and SANs (DNS names and IP addresses
 * only). The CSR's self-signature is verified first (RFC 2986 §3: proof of possession).
 * @returns the issued certificate and its chain (issuer first, up to the root)
 * @throws CertdeskError `csr-signature-invalid`, `csr-no-subject-alt-names`, `issuer-not-ca`,
 *   `issuer-key-mismatch`, `invalid-subject-alt-name`
 */
export async function signCsr(input: SignCsrInput): Promise<{ certificate: Uint8Array; chain: Uint8Array[] }> {
  const csr = await parseCsr(input.csrDer);
  if (!csr.signatureValid) {
    throw new CertdeskError(
      'csr-signature-invalid',
      'The signature of this certificate request does not verify, so it was altered or damaged after it was made. Ask for the request again.',
    );
  }
  if (csr.publicKey.type === 'RSA' ? (csr.publicKey.bits ?? 0) < 2048 || (csr.publicKey.bits ?? 0) > limits.maxRsaBits : csr.publicKey.type !== 'ECDSA') {
    throw new CertdeskError('csr-key-unsupported', `The request's key (${csr.publicKey.label}) is not one this CA signs: use RSA 2048–${limits.maxRsaBits} or ECDSA.`);
  }
  const sans: SubjectAltName[] = [];
  for (const san of csr.subjectAltNames) {
    if (san.type === 'dns') {
      const checked = validateDnsName(san.value, 'subjectAltNames');
      if (!checked.ok) throw new CertdeskError('invalid-subject-alt-name', `The request asks for ${checked.problems[0]!.message}`);
      sans.push({ type: 'dns', value: checked.value });
    } else if (san.type === 'ip') {
      const checked = validateSubjectAltName(san.value);
      if (checked.ok) sans.push(checked.value);
    }
  }
  if (sans.length === 0) {
    throw new CertdeskError('csr-no-subject-alt-names', 'The request names no hostname or IP address (subjectAltName), so clients would refuse the certificate. Create the request again with the appliance hostnames.');
  }
  const issuer = await checkedIssuer(input.issuer);
  const spki = csr.publicKey.spki;
  const certificate = await issueCertificate({
    subject: AsnConvert.parse(csr.subjectDer, Name),
    issuer: issuer.subject,
    spki,
    ...clampToIssuer(validityPeriod(input.validityDays, input.notBefore), issuer),
    extensions: serverExtensions({
      key: csr.publicKey.type === 'RSA' ? 'RSA' : 'ECDSA',
      sans,
      ski: await keyIdentifier(spki),
      aki: issuer.ski,
      emptySubject: csr.subject.length === 0,
    }),
    signer: input.issuer.key,
  });
  return { certificate, chain: [input.issuer.certificate, ...input.chain.filter((c) => !sameBytes(c, input.issuer.certificate))] };
}

function caExtensions(pathLength: number | null, ski: Uint8Array, aki: Uint8Array): Extension[] {
  return [
    extension(id_ce_basicConstraints, true, new BasicConstraints(pathLength === null ? { cA: true } : { cA: true, pathLenConstraint: pathLength })),
    extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
    extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(toArrayBuffer(ski))),
    extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(toArrayBuffer(aki)) })),
  ];
}

/** The issuing CA read with the certificate model: its subject for issuance, its end of validity, its key identifier. */
async function checkedIssuer(issuer: Issuer): Promise<{ subject: Name; notAfter: number; ski: Uint8Array }> {
  const certificate = parseCertificate(issuer.certificate);
  if (!isCaCertificate(certificate)) {
    throw new CertdeskError('issuer-not-ca', 'The chosen issuer is not a CA certificate (basicConstraints CA:true), so clients would reject what it signs. Choose the local root or intermediate.');
  }
  if (certificate.spki.sha256 !== issuer.key.publicKeySha256) {
    throw new CertdeskError('issuer-key-mismatch', "The CA's private key does not belong to the CA certificate. Choose the key the CA was created with.");
  }
  const ski = certificateExtension(certificate, 'subjectKeyIdentifier')?.keyIdentifier ?? (await keyIdentifier(certificate.spki.der));
  return { subject: AsnConvert.parse(certificate.subjectDer, Name), notAfter: certificate.notAfter.seconds * 1000, ski };
}

/** A certificate may not outlive its issuer (RFC 5280 §6.1.3 would make it invalid then). */
function clampToIssuer(period: { notBefore: Date; notAfter: Date }, issuer: { notAfter: number }): { notBefore: Date; notAfter: Date } {
  return issuer.notAfter < period.notAfter.getTime() ? { notBefore: period.notBefore, notAfter: new Date(issuer.notAfter) } : period;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
