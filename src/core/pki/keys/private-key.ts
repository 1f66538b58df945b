/**
 * Private keys as Certdesk accepts them, read with the one ASN.1 reader (no library parser sees
 * key bytes): PKCS#8 PrivateKeyInfo (RFC 5958 §2), inside it PKCS#1 RSAPrivateKey (RFC 8017
 * appendix A.1.2) or SEC1 ECPrivateKey (RFC 5915 §3); the traditional PKCS#1 and SEC1 forms
 * converted to PKCS#8; the SubjectPublicKeyInfo of a private key. Every structure is walked with
 * the bounded structure check first (issue 12: a huge OID in a key's attributes took seconds).
 */
import { bitLength } from '../x509/public-key';
import { CertdeskError } from '../../errors';
import {
  Asn1Error,
  OID,
  TAG,
  checkAnyValue,
  checkStructure,
  context,
  der,
  encodingOf,
  fieldsOf,
  isNegative,
  readAlgorithm,
  readDer,
  readInteger,
  readOctetString,
  readOid,
  readSmallInteger,
  toArrayBuffer,
  unsignedMagnitude,
  type AlgorithmIdentifier,
  type Tlv,
} from '../asn1';
import { limits } from '../limits';
import { signingAlgorithm, type ImportedKeyAlgorithmName } from './algorithms';

/** What a PKCS#8 key is, once checked against the limits we accept. */
export type PrivateKeyKind =
  | { type: 'rsa'; bits: number; algorithm: ImportedKeyAlgorithmName }
  | { type: 'ec'; curve: 'P-256' | 'P-384'; algorithm: ImportedKeyAlgorithmName };

/** The fields of a PrivateKeyInfo Certdesk uses. */
export interface PrivateKeyInfo {
  algorithm: AlgorithmIdentifier;
  /** The privateKey OCTET STRING's contents: an RSAPrivateKey or ECPrivateKey. */
  privateKey: Uint8Array;
}

const CURVES: Record<string, 'P-256' | 'P-384'> = { [OID.secp256r1]: 'P-256', [OID.secp384r1]: 'P-384' };
const CURVE_OIDS = { 'P-256': OID.secp256r1, 'P-384': OID.secp384r1 } as const;

/** Reads `bytes` as one DER element and walks it within the ASN.1 limits. */
function readChecked(bytes: Uint8Array): Tlv {
  const top = readDer(bytes);
  checkStructure(top);
  return top;
}

/**
 * Reads a PrivateKeyInfo / OneAsymmetricKey (RFC 5958 §2): version 0 or 1, an
 * AlgorithmIdentifier, the key OCTET STRING, then optional [0] attributes and [1] public key.
 * Throws Asn1Error.
 */
export function readPrivateKeyInfo(pkcs8: Uint8Array): PrivateKeyInfo {
  const f = fieldsOf(readChecked(pkcs8), 'the private key');
  readSmallInteger(f.next(TAG.INTEGER, 'the version'), 'the private key version', 1);
  const algorithm = readAlgorithm(f.next(TAG.SEQUENCE, 'the key algorithm'), 'the key algorithm');
  // The parameters are an ANY, decoded the way OpenSSL's X509_ALGOR decodes them (a constructed NULL is no value).
  if (algorithm.params) checkAnyValue(algorithm.params, 'the key algorithm parameters');
  const privateKey = readOctetString(f.next(TAG.OCTET_STRING, 'the key'), 'the private key');
  f.optional(context(0, true));
  f.optional(context(1, false));
  f.end();
  return { algorithm, privateKey };
}

/** `invalid-private-key`; a reader's detail (what exactly is wrong) goes into the first sentence. */
function invalidKey(message: string, cause: unknown): CertdeskError {
  const at = message.indexOf('. ');
  const text = cause instanceof Asn1Error && at > 0 ? `${message.slice(0, at)} (${cause.detail})${message.slice(at)}` : message;
  return new CertdeskError('invalid-private-key', text, { cause });
}

function parsePkcs8(pkcs8: Uint8Array): PrivateKeyInfo {
  try {
    return readPrivateKeyInfo(pkcs8);
  } catch (error) {
    throw invalidKey('This is not a readable PKCS#8 private key. Export the key again as PEM or PKCS#8.', error);
  }
}

/** A positive INTEGER's content (RSA numbers). */
function readPositive(tlv: Tlv | undefined, what: string): Uint8Array {
  const n = readInteger(tlv, what);
  if (isNegative(n)) throw new Asn1Error('invalid-encoding', `${what} is negative`);
  return n;
}

/** RSAPrivateKey (RFC 8017 appendix A.1.2): version, n, e, d, p, q, dP, dQ, qInv, and otherPrimeInfos for version 1. */
function readRsaPrivateKey(bytes: Uint8Array): { modulus: Uint8Array; publicExponent: Uint8Array } {
  const f = fieldsOf(readChecked(bytes), 'the RSA private key');
  const version = readSmallInteger(f.next(TAG.INTEGER, 'the version'), 'the RSA key version', 1);
  const modulus = readPositive(f.next(TAG.INTEGER, 'the modulus'), 'the modulus');
  const publicExponent = readPositive(f.next(TAG.INTEGER, 'the public exponent'), 'the public exponent');
  for (const name of ['privateExponent', 'prime1', 'prime2', 'exponent1', 'exponent2', 'coefficient']) readInteger(f.next(TAG.INTEGER, name), name);
  if (version === 1) f.next(TAG.SEQUENCE, 'otherPrimeInfos');
  // A.1.2: otherPrimeInfos "SHALL be omitted if version is 0"; OpenSSL reads and ignores it.
  else if (f.peek() === TAG.SEQUENCE) throw new Asn1Error('invalid-encoding', 'the RSA private key has otherPrimeInfos although its version is 0, which means two primes');
  f.end();
  return { modulus, publicExponent };
}

/** ECPrivateKey (RFC 5915 §3): version 1, the key, optional [0] parameters and [1] public key. */
function readEcPrivateKey(bytes: Uint8Array): { privateKey: Uint8Array; parameters?: Tlv; publicKey?: Tlv } {
  const f = fieldsOf(readChecked(bytes), 'the EC private key');
  if (readSmallInteger(f.next(TAG.INTEGER, 'the version'), 'the EC key version', 1) !== 1) throw new Asn1Error('invalid-encoding', 'the EC key version is not 1');
  const privateKey = readOctetString(f.next(TAG.OCTET_STRING, 'the key'), 'the EC private key');
  const params = f.optional(context(0, true));
  const publicKey = f.optional(context(1, true));
  f.end();
  const out: { privateKey: Uint8Array; parameters?: Tlv; publicKey?: Tlv } = { privateKey };
  if (params) {
    const inner = fieldsOf(params, 'the EC parameters', params.tag);
    out.parameters = inner.next(undefined, 'the EC parameters');
    inner.end();
  }
  if (publicKey) out.publicKey = publicKey;
  return out;
}

/**
 * ECParameters ::= CHOICE { namedCurve OID, implicitCurve NULL, specifiedCurve SEQUENCE }
 * (RFC 5480 §2.1.1): named P-256/P-384 only; see inspectPrivateKey for why the others are refused.
 */
export function curveOf(params: Tlv): 'P-256' | 'P-384' {
  if (params.tag !== TAG.OID) {
    if (params.tag !== TAG.SEQUENCE && params.tag !== TAG.NULL) throw invalidKey('The curve of this EC private key cannot be read. Export it again.', undefined);
    throw new CertdeskError(
      'explicit-ec-parameters',
      'This EC key spells out its curve parameters instead of naming a standard curve; this is refused because it can hide a substituted curve. Export the key with a named curve (openssl ec -param_enc named_curve).',
    );
  }
  let oid: string;
  try {
    oid = readOid(params, 'the curve');
  } catch (error) {
    throw invalidKey('The curve of this EC private key cannot be read. Export it again.', error);
  }
  const curve = CURVES[oid];
  if (!curve) {
    const name = oid === OID.secp521r1 ? 'P-521' : oid;
    throw new CertdeskError('unsupported-curve', `This EC key is on curve ${name}, which Certdesk does not use. Use an ECDSA P-256 or P-384 key.`);
  }
  return curve;
}


function bigEndianToNumber(bytes: Uint8Array): number {
  // Exponents longer than 6 bytes are all odd/even by their last byte and certainly ≥ 3.
  if (bytes.length > 6) return (bytes[bytes.length - 1]! & 1) === 1 ? Number.MAX_SAFE_INTEGER : 2 ** 52;
  let n = 0;
  for (const b of bytes) n = n * 256 + b;
  return n;
}

/** Shared with certificate and CSR checks: refuses RSA public keys we would not sign with. */
export function checkRsaPublicKey(bits: number, exponent: Uint8Array): void {
  if (bits > limits.maxRsaBits) {
    throw new CertdeskError(
      'rsa-key-too-large',
      `This RSA key has ${bits} bits; Certdesk accepts at most ${limits.maxRsaBits} (larger keys make every connection slow and are used to stall validators). Use a key of 2048–4096 bits.`,
    );
  }
  const e = bigEndianToNumber(unsignedMagnitude(exponent));
  if (e < 3 || e % 2 === 0) {
    throw new CertdeskError(
      'rsa-exponent-invalid',
      `This RSA key has public exponent ${e}, which makes it insecure (it must be odd and at least 3; normally 65537). Create a new key.`,
    );
  }
}

function rsaOf(info: PrivateKeyInfo): { modulus: Uint8Array; publicExponent: Uint8Array } {
  try {
    return readRsaPrivateKey(info.privateKey);
  } catch (error) {
    throw invalidKey('The RSA private key inside this file is damaged. Export it again.', error);
  }
}

/**
 * Checks a PKCS#8 key against what Certdesk accepts and says what it is.
 * RSA: modulus ≤ limits.maxRsaBits (Go crypto/x509, CVE-2023-29409), odd public exponent ≥ 3
 * (an exponent of 1 makes "signatures" equal the message). EC: named P-256 or P-384 only;
 * explicit curve parameters are refused (RFC 5480 §2.1.1: specifiedCurve MUST NOT be used,
 * and they hide curve substitution, CVE-2020-0601).
 */
export function inspectPrivateKey(pkcs8: Uint8Array): PrivateKeyKind {
  const info = parsePkcs8(pkcs8);
  const oid = info.algorithm.oid;
  if (oid === OID.rsaEncryption) {
    const rsa = rsaOf(info);
    const bits = bitLength(unsignedMagnitude(rsa.modulus));
    checkRsaPublicKey(bits, rsa.publicExponent);
    return { type: 'rsa', bits, algorithm: `RSA-${bits}` as ImportedKeyAlgorithmName };
  }
  if (oid === OID.ecPublicKey) {
    const fromAlgorithm = info.algorithm.params ? curveOf(info.algorithm.params) : undefined;
    let ec: ReturnType<typeof readEcPrivateKey>;
    try {
      ec = readEcPrivateKey(info.privateKey);
    } catch (error) {
      throw invalidKey('The EC private key inside this file is damaged. Export it again.', error);
    }
    const fromKey = ec.parameters ? curveOf(ec.parameters) : undefined;
    const curve = fromAlgorithm ?? fromKey;
    if (!curve) throw invalidKey('This EC private key does not say which curve it is on. Export it again with its curve name.', undefined);
    if (fromAlgorithm && fromKey && fromAlgorithm !== fromKey) throw invalidKey('This EC private key names two different curves. Export it again.', undefined);
    return { type: 'ec', curve, algorithm: curve === 'P-256' ? 'ECDSA-P256' : 'ECDSA-P384' };
  }
  throw new CertdeskError(
    'unsupported-key-type',
    `This private key is of a type Certdesk does not use (algorithm ${oid}). Appliances need RSA or ECDSA P-256/P-384 keys.`,
  );
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) of an algorithm and a public key. */
function spkiDer(algorithm: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return der.sequence(algorithm, der.bitString(publicKey));
}

function base64UrlToBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * The SubjectPublicKeyInfo DER belonging to a PKCS#8 private key, so that keys from PKCS#12
 * files and PEM bundles can be matched to certificates by public key.
 */
export async function publicKeyFromPrivateKey(pkcs8: Uint8Array): Promise<Uint8Array> {
  const kind = inspectPrivateKey(pkcs8);
  if (kind.type === 'rsa') {
    // RSAPublicKey ::= SEQUENCE { modulus, publicExponent } (RFC 8017 appendix A.1.1), the numbers as written.
    const { modulus, publicExponent } = rsaOf(parsePkcs8(pkcs8));
    const rsaPublicKey = der.sequence(der.tlv(TAG.INTEGER, modulus), der.tlv(TAG.INTEGER, publicExponent));
    return spkiDer(der.sequence(der.oid(OID.rsaEncryption), der.nullValue()), rsaPublicKey);
  }
  // EC: derive the point through WebCrypto rather than trusting the optional publicKey field of
  // the SEC1 structure (RFC 5915 §3), which could name someone else's key.
  let jwk: JsonWebKey;
  try {
    const handle = await globalThis.crypto.subtle.importKey('pkcs8', toArrayBuffer(pkcs8), signingAlgorithm(kind), true, ['sign']);
    jwk = await globalThis.crypto.subtle.exportKey('jwk', handle);
  } catch (error) {
    throw invalidKey('The EC private key is damaged: it is not a point on its curve. Export it again from the old server.', error);
  }
  const x = base64UrlToBytes(jwk.x ?? '');
  const y = base64UrlToBytes(jwk.y ?? '');
  const point = new Uint8Array(1 + x.length + y.length);
  point[0] = 0x04; // uncompressed point, SEC1 §2.3.3
  point.set(x, 1);
  point.set(y, 1 + x.length);
  return spkiDer(der.sequence(der.oid(OID.ecPublicKey), der.oid(CURVE_OIDS[kind.curve])), point);
}

/**
 * Wraps a PKCS#1 RSAPrivateKey (PEM "RSA PRIVATE KEY") in a PKCS#8 PrivateKeyInfo
 * (RFC 5208 §5, algorithm rsaEncryption with NULL parameters, RFC 8017 appendix C).
 */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  try {
    readRsaPrivateKey(pkcs1);
  } catch (error) {
    throw invalidKey('This RSA private key (PKCS#1) is damaged. Export it again.', error);
  }
  return der.sequence(der.integer(0), der.sequence(der.oid(OID.rsaEncryption), der.nullValue()), der.octetString(pkcs1));
}

/**
 * Wraps a SEC1 ECPrivateKey (PEM "EC PRIVATE KEY", RFC 5915) in a PKCS#8 PrivateKeyInfo: the
 * curve moves to the algorithm parameters (RFC 5915 §3 says to omit it from the inner key then).
 */
export function sec1ToPkcs8(sec1: Uint8Array): Uint8Array {
  let ec: ReturnType<typeof readEcPrivateKey>;
  try {
    ec = readEcPrivateKey(sec1);
  } catch (error) {
    throw invalidKey('This EC private key (SEC1) is damaged. Export it again.', error);
  }
  if (!ec.parameters) throw invalidKey('This EC private key does not say which curve it is on. Export it again with its curve name.', undefined);
  const curve = curveOf(ec.parameters);
  const inner = der.sequence(der.integer(1), der.octetString(ec.privateKey), ...(ec.publicKey ? [encodingOf(ec.publicKey)] : []));
  return der.sequence(der.integer(0), der.sequence(der.oid(OID.ecPublicKey), der.oid(CURVE_OIDS[curve])), der.octetString(inner));
}
