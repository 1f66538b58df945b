/**
 * Key pairs: generation with WebCrypto, import of keys moved from another server, and export
 * of the exportable ones. The working private key is always a non-extractable CryptoKey; an
 * exportable key additionally keeps its PKCS#8 wrapped under a non-extractable AES-GCM key
 * (see ../shared/RELIABILITY.md "Keys in the browser"), so a CertdeskKey is structured-cloneable
 * and can be stored in IndexedDB as is.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { RSAPrivateKey, RSAPublicKey, id_rsaEncryption } from '@peculiar/asn1-rsa';
import { ECDSASigValue, ECPrivateKey, ECParameters, id_ecPublicKey, id_secp256r1, id_secp384r1, id_secp521r1 } from '@peculiar/asn1-ecc';
import { md5, sha1 as noblesha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256 } from '@noble/hashes/sha2.js';
import { CertdeskError, throwIfAborted } from '../errors';
import { limits } from './limits';
import { toArrayBuffer, toHex } from './pem';

export type KeyAlgorithmName = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'ECDSA-P256' | 'ECDSA-P384';
/** Imported RSA keys may have any size between the minimum and limits.maxRsaBits. */
export type ImportedKeyAlgorithmName = KeyAlgorithmName | `RSA-${number}`;

export interface WrappedPrivateKey {
  /** Non-extractable AES-GCM-256 key: the PKCS#8 can be unwrapped only inside this browser. */
  wrappingKey: CryptoKey;
  iv: Uint8Array;
  /** AES-GCM ciphertext of the PKCS#8 PrivateKeyInfo DER. */
  ciphertext: Uint8Array;
}

export interface CertdeskKey {
  algorithm: ImportedKeyAlgorithmName;
  /** Always non-extractable: RSASSA-PKCS1-v1_5/SHA-256, or ECDSA (P-256: SHA-256, P-384: SHA-384). */
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  /** Lower-case hex SHA-256 of `spki`: the identity that links certificates to this key. */
  publicKeySha256: string;
  exportable: boolean;
  wrapped?: WrappedPrivateKey;
}

/** What a PKCS#8 key is, once checked against the limits we accept. */
export type PrivateKeyKind =
  | { type: 'rsa'; bits: number; algorithm: ImportedKeyAlgorithmName }
  | { type: 'ec'; curve: 'P-256' | 'P-384'; algorithm: ImportedKeyAlgorithmName };

/** RSA keys below this size are refused on import: browsers stopped trusting them in 2014. */
const MIN_IMPORT_RSA_BITS = 2048;

const CURVES: Record<string, 'P-256' | 'P-384'> = { [id_secp256r1]: 'P-256', [id_secp384r1]: 'P-384' };
const CURVE_OIDS = { 'P-256': id_secp256r1, 'P-384': id_secp384r1 } as const;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** The WebCrypto algorithm and signature hash Certdesk uses for each key type. */
export function signingAlgorithm(kind: { type: 'rsa' } | { type: 'ec'; curve: 'P-256' | 'P-384' }): RsaHashedImportParams | EcKeyImportParams {
  if (kind.type === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { name: 'ECDSA', namedCurve: kind.curve };
}

/** Parameters for `crypto.subtle.sign` with a key of this kind. */
export function signatureParams(key: CertdeskKey): Algorithm | EcdsaParams {
  if (key.algorithm.startsWith('RSA-')) return { name: 'RSASSA-PKCS1-v1_5' };
  return { name: 'ECDSA', hash: key.algorithm === 'ECDSA-P384' ? 'SHA-384' : 'SHA-256' };
}

function kindOf(algorithm: ImportedKeyAlgorithmName): { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' | 'P-384' } {
  if (algorithm === 'ECDSA-P256') return { type: 'ec', curve: 'P-256' };
  if (algorithm === 'ECDSA-P384') return { type: 'ec', curve: 'P-384' };
  return { type: 'rsa', bits: Number(algorithm.slice(4)) };
}

/** Lower-case hex SHA-256 of some bytes (fingerprints, key identities). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(await subtle().digest('SHA-256', toArrayBuffer(bytes)));
}

/**
 * Generates a key pair. WebCrypto cannot interrupt a generation already running (RSA-4096 takes
 * about half a second), so the signal is checked before it starts and again after it ends;
 * a cancelled generation's result is dropped.
 */
export async function generateKey(
  algorithm: KeyAlgorithmName,
  options: { exportable: boolean; signal?: AbortSignal },
): Promise<CertdeskKey> {
  throwIfAborted(options.signal);
  if (!(algorithm in GENERATED)) {
    throw new CertdeskError('unsupported-key-algorithm', `"${String(algorithm)}" is not a key type Certdesk creates. Choose RSA 2048, 3072 or 4096, or ECDSA P-256 or P-384.`);
  }
  const kind = kindOf(algorithm);
  const params: RsaHashedKeyGenParams | EcKeyGenParams =
    kind.type === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: kind.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: kind.curve };
  const pair = (await subtle().generateKey(params, options.exportable, ['sign', 'verify'])) as CryptoKeyPair;
  throwIfAborted(options.signal);
  const spki = new Uint8Array(await subtle().exportKey('spki', pair.publicKey));
  if (!options.exportable) {
    return { algorithm, privateKey: pair.privateKey, publicKey: pair.publicKey, spki, publicKeySha256: await sha256Hex(spki), exportable: false };
  }
  // Keep only a non-extractable handle for signing plus the wrapped PKCS#8; the extractable
  // handle goes out of scope here (RELIABILITY.md, "Keys in the browser").
  const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
  try {
    const privateKey = await subtle().importKey('pkcs8', pkcs8, params, false, ['sign']);
    const wrapped = await wrap(pkcs8);
    throwIfAborted(options.signal);
    return { algorithm, privateKey, publicKey: pair.publicKey, spki, publicKeySha256: await sha256Hex(spki), exportable: true, wrapped };
  } finally {
    pkcs8.fill(0);
  }
}

const GENERATED: Record<KeyAlgorithmName, true> = {
  'RSA-2048': true,
  'RSA-3072': true,
  'RSA-4096': true,
  'ECDSA-P256': true,
  'ECDSA-P384': true,
};

async function wrap(pkcs8: Uint8Array): Promise<WrappedPrivateKey> {
  const wrappingKey = await subtle().generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv }, wrappingKey, toArrayBuffer(pkcs8)));
  return { wrappingKey, iv, ciphertext };
}

/**
 * Imports a PKCS#8 PrivateKeyInfo (DER) as a CertdeskKey. Use decodeInput first for PEM,
 * encrypted PKCS#8, PKCS#1 ("RSA PRIVATE KEY") and SEC1 ("EC PRIVATE KEY"): it returns PKCS#8.
 * @throws CertdeskError `invalid-private-key`, `rsa-key-too-large`, `rsa-key-too-small`,
 *   `rsa-exponent-invalid`, `explicit-ec-parameters`, `unsupported-curve`, `unsupported-key-type`
 */
export async function importPrivateKey(pkcs8: Uint8Array, options: { exportable: boolean }): Promise<CertdeskKey> {
  const kind = inspectPrivateKey(pkcs8);
  if (kind.type === 'rsa' && kind.bits < MIN_IMPORT_RSA_BITS) {
    throw new CertdeskError(
      'rsa-key-too-small',
      `This RSA key has only ${kind.bits} bits; browsers and clients refuse keys under ${MIN_IMPORT_RSA_BITS} bits. Create a new key instead.`,
    );
  }
  const params = signingAlgorithm(kind);
  let privateKey: CryptoKey;
  try {
    privateKey = await subtle().importKey('pkcs8', toArrayBuffer(pkcs8), params, false, ['sign']);
  } catch (error) {
    throw new CertdeskError('invalid-private-key', 'The private key is damaged: its numbers do not form a valid key. Export it again from the old server.', { cause: error });
  }
  const spki = await publicKeyFromPrivateKey(pkcs8);
  const publicKey = await subtle().importKey('spki', toArrayBuffer(spki), params, true, ['verify']);
  const key: CertdeskKey = {
    algorithm: kind.algorithm,
    privateKey,
    publicKey,
    spki,
    publicKeySha256: await sha256Hex(spki),
    exportable: options.exportable,
  };
  if (options.exportable) key.wrapped = await wrap(pkcs8);
  return key;
}

/**
 * The PKCS#8 DER of an exportable key, unwrapped from its AES-GCM envelope.
 * @throws CertdeskError `key-not-exportable`
 */
export async function exportPrivateKey(key: CertdeskKey): Promise<Uint8Array> {
  if (!key.exportable || !key.wrapped) {
    throw new CertdeskError(
      'key-not-exportable',
      'This private key was created as non-exportable and can never leave this browser. Create a new exportable key if it must be copied to another appliance.',
    );
  }
  const { wrappingKey, iv, ciphertext } = key.wrapped;
  try {
    return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: toArrayBuffer(iv) }, wrappingKey, toArrayBuffer(ciphertext)));
  } catch (error) {
    throw new CertdeskError('key-unwrap-failed', 'The stored copy of this private key could not be unwrapped; it may have been damaged. Restore it from a backup.', { cause: error });
  }
}

/**
 * The SubjectPublicKeyInfo DER belonging to a PKCS#8 private key, so that keys from PKCS#12
 * files and PEM bundles can be matched to certificates by public key.
 */
export async function publicKeyFromPrivateKey(pkcs8: Uint8Array): Promise<Uint8Array> {
  const kind = inspectPrivateKey(pkcs8);
  const info = parsePkcs8(pkcs8);
  if (kind.type === 'rsa') {
    const rsa = parseAs(info.privateKey.buffer, RSAPrivateKey);
    const publicKey = new RSAPublicKey({ modulus: rsa.modulus, publicExponent: rsa.publicExponent });
    return spkiDer(new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: NULL }), AsnConvert.serialize(publicKey));
  }
  // EC: derive the point through WebCrypto rather than trusting the optional publicKey field of
  // the SEC1 structure (RFC 5915 §3), which could name someone else's key.
  let jwk: JsonWebKey;
  try {
    const handle = await subtle().importKey('pkcs8', toArrayBuffer(pkcs8), signingAlgorithm(kind), true, ['sign']);
    jwk = await subtle().exportKey('jwk', handle);
  } catch (error) {
    throw new CertdeskError('invalid-private-key', 'The EC private key is damaged: it is not a point on its curve. Export it again from the old server.', { cause: error });
  }
  const x = base64UrlToBytes(jwk.x ?? '');
  const y = base64UrlToBytes(jwk.y ?? '');
  const point = new Uint8Array(1 + x.length + y.length);
  point[0] = 0x04; // uncompressed point, SEC1 §2.3.3
  point.set(x, 1);
  point.set(y, 1 + x.length);
  const algorithm = new AlgorithmIdentifier({
    algorithm: id_ecPublicKey,
    parameters: AsnConvert.serialize(new ECParameters({ namedCurve: CURVE_OIDS[kind.curve] })),
  });
  return spkiDer(algorithm, toArrayBuffer(point));
}

const NULL = new Uint8Array([0x05, 0x00]).buffer;

function spkiDer(algorithm: AlgorithmIdentifier, publicKey: ArrayBuffer): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(new SubjectPublicKeyInfo({ algorithm, subjectPublicKey: publicKey })));
}

function base64UrlToBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function parseAs<T>(der: ArrayBuffer | Uint8Array, type: new () => T): T {
  return AsnConvert.parse(der, type, { berOptions: { maxDepth: limits.maxAsn1Depth } });
}

function parsePkcs8(pkcs8: Uint8Array): PrivateKeyInfo {
  try {
    return parseAs(pkcs8, PrivateKeyInfo);
  } catch (error) {
    throw new CertdeskError('invalid-private-key', 'This is not a readable PKCS#8 private key. Export the key again as PEM or PKCS#8.', { cause: error });
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
  const oid = info.privateKeyAlgorithm.algorithm;
  if (oid === id_rsaEncryption) {
    let rsa: RSAPrivateKey;
    try {
      rsa = parseAs(info.privateKey.buffer, RSAPrivateKey);
    } catch (error) {
      throw new CertdeskError('invalid-private-key', 'The RSA private key inside this file is damaged. Export it again.', { cause: error });
    }
    const bits = bitLength(new Uint8Array(rsa.modulus));
    checkRsaPublicKey(bits, new Uint8Array(rsa.publicExponent));
    return { type: 'rsa', bits, algorithm: `RSA-${bits}` as ImportedKeyAlgorithmName };
  }
  if (oid === id_ecPublicKey) {
    const fromAlgorithm = info.privateKeyAlgorithm.parameters
      ? parseEcParameters(info.privateKeyAlgorithm.parameters)
      : undefined;
    let ec: ECPrivateKey;
    try {
      ec = parseAs(info.privateKey.buffer, ECPrivateKey);
    } catch (error) {
      throw new CertdeskError('invalid-private-key', 'The EC private key inside this file is damaged. Export it again.', { cause: error });
    }
    const fromKey = ec.parameters ? curveOf(ec.parameters) : undefined;
    const curve = fromAlgorithm ?? fromKey;
    if (!curve) {
      throw new CertdeskError('invalid-private-key', 'This EC private key does not say which curve it is on. Export it again with its curve name.');
    }
    if (fromAlgorithm && fromKey && fromAlgorithm !== fromKey) {
      throw new CertdeskError('invalid-private-key', 'This EC private key names two different curves. Export it again.');
    }
    return { type: 'ec', curve, algorithm: curve === 'P-256' ? 'ECDSA-P256' : 'ECDSA-P384' };
  }
  throw new CertdeskError(
    'unsupported-key-type',
    `This private key is of a type Certdesk does not use (algorithm ${oid}). Appliances need RSA or ECDSA P-256/P-384 keys.`,
  );
}

/** Shared with certificate and CSR checks: refuses RSA public keys we would not sign with. */
export function checkRsaPublicKey(bits: number, exponent: Uint8Array): void {
  if (bits > limits.maxRsaBits) {
    throw new CertdeskError(
      'rsa-key-too-large',
      `This RSA key has ${bits} bits; Certdesk accepts at most ${limits.maxRsaBits} (larger keys make every connection slow and are used to stall validators). Use a key of 2048–4096 bits.`,
    );
  }
  const e = bigEndianToNumber(exponent);
  if (e < 3 || e % 2 === 0) {
    throw new CertdeskError(
      'rsa-exponent-invalid',
      `This RSA key has public exponent ${e}, which makes it insecure (it must be odd and at least 3; normally 65537). Create a new key.`,
    );
  }
}

function bigEndianToNumber(bytes: Uint8Array): number {
  // Exponents longer than 6 bytes are all odd/even by their last byte and certainly ≥ 3.
  if (bytes.length > 6) return (bytes[bytes.length - 1]! & 1) === 1 ? Number.MAX_SAFE_INTEGER : 2 ** 52;
  let n = 0;
  for (const b of bytes) n = n * 256 + b;
  return n;
}

export function bitLength(bigEndian: Uint8Array): number {
  let i = 0;
  while (i < bigEndian.length && bigEndian[i] === 0) i++;
  if (i === bigEndian.length) return 0;
  return (bigEndian.length - i - 1) * 8 + (32 - Math.clz32(bigEndian[i]!));
}

function parseEcParameters(der: ArrayBuffer): 'P-256' | 'P-384' {
  let params: ECParameters;
  try {
    params = parseAs(der, ECParameters);
  } catch (error) {
    throw new CertdeskError('invalid-private-key', 'The curve of this EC private key cannot be read. Export it again.', { cause: error });
  }
  return curveOf(params);
}

/** Named P-256/P-384 only; see inspectPrivateKey for why explicit parameters are refused. */
export function curveOf(params: ECParameters): 'P-256' | 'P-384' {
  if (params.specifiedCurve || params.implicitCurve !== undefined) {
    throw new CertdeskError(
      'explicit-ec-parameters',
      'This EC key spells out its curve parameters instead of naming a standard curve; this is refused because it can hide a substituted curve. Export the key with a named curve (openssl ec -param_enc named_curve).',
    );
  }
  const curve = params.namedCurve ? CURVES[params.namedCurve] : undefined;
  if (!curve) {
    const name = params.namedCurve === id_secp521r1 ? 'P-521' : params.namedCurve;
    throw new CertdeskError('unsupported-curve', `This EC key is on curve ${name ?? 'unknown'}, which Certdesk does not use. Use an ECDSA P-256 or P-384 key.`);
  }
  return curve;
}

/**
 * Wraps a PKCS#1 RSAPrivateKey (PEM "RSA PRIVATE KEY") in a PKCS#8 PrivateKeyInfo
 * (RFC 5208 §5, algorithm rsaEncryption with NULL parameters, RFC 8017 appendix C).
 */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  try {
    parseAs(pkcs1, RSAPrivateKey);
  } catch (error) {
    throw new CertdeskError('invalid-private-key', 'This RSA private key (PKCS#1) is damaged. Export it again.', { cause: error });
  }
  const info = new PrivateKeyInfo({
    version: 0,
    privateKeyAlgorithm: new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: NULL }),
    privateKey: new OctetString(toArrayBuffer(pkcs1)),
  });
  return new Uint8Array(AsnConvert.serialize(info));
}

/**
 * Wraps a SEC1 ECPrivateKey (PEM "EC PRIVATE KEY", RFC 5915) in a PKCS#8 PrivateKeyInfo: the
 * curve moves to the algorithm parameters (RFC 5915 §3 says to omit it from the inner key then).
 */
export function sec1ToPkcs8(sec1: Uint8Array): Uint8Array {
  let ec: ECPrivateKey;
  try {
    ec = parseAs(sec1, ECPrivateKey);
  } catch (error) {
    throw new CertdeskError('invalid-private-key', 'This EC private key (SEC1) is damaged. Export it again.', { cause: error });
  }
  if (!ec.parameters) {
    throw new CertdeskError('invalid-private-key', 'This EC private key does not say which curve it is on. Export it again with its curve name.');
  }
  const curve = curveOf(ec.parameters);
  const inner = new ECPrivateKey({ version: 1, privateKey: ec.privateKey, publicKey: ec.publicKey });
  const info = new PrivateKeyInfo({
    version: 0,
    privateKeyAlgorithm: new AlgorithmIdentifier({
      algorithm: id_ecPublicKey,
      parameters: AsnConvert.serialize(new ECParameters({ namedCurve: CURVE_OIDS[curve] })),
    }),
    privateKey: new OctetString(AsnConvert.serialize(inner)),
  });
  return new Uint8Array(AsnConvert.serialize(info));
}

// ---------------------------------------------------------------------------------------------
// Signing and verifying X.509 structures (certificates, CSRs).

const OID = {
  sha1WithRSA: '1.2.840.113549.1.1.5',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSHA1: '1.2.840.10045.4.1',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
} as const;

const RSA_HASHES: Record<string, string> = {
  [OID.sha1WithRSA]: 'SHA-1',
  [OID.sha256WithRSA]: 'SHA-256',
  [OID.sha384WithRSA]: 'SHA-384',
  [OID.sha512WithRSA]: 'SHA-512',
};
const ECDSA_HASHES: Record<string, string> = {
  [OID.ecdsaWithSHA1]: 'SHA-1',
  [OID.ecdsaWithSHA256]: 'SHA-256',
  [OID.ecdsaWithSHA384]: 'SHA-384',
  [OID.ecdsaWithSHA512]: 'SHA-512',
};

/** The signatureAlgorithm a CertdeskKey signs with (RFC 4055 §5 for RSA with NULL; RFC 5758 §3.2 for ECDSA, no parameters). */
export function signatureAlgorithmIdentifier(key: CertdeskKey): AlgorithmIdentifier {
  if (key.algorithm.startsWith('RSA-')) return new AlgorithmIdentifier({ algorithm: OID.sha256WithRSA, parameters: NULL });
  return new AlgorithmIdentifier({ algorithm: key.algorithm === 'ECDSA-P384' ? OID.ecdsaWithSHA384 : OID.ecdsaWithSHA256 });
}

/**
 * Signs DER bytes (a TBSCertificate or CertificationRequestInfo) and returns the signature in
 * X.509 form: for ECDSA the DER Ecdsa-Sig-Value of RFC 5480 §2.2 / RFC 3279 §2.2.3, not WebCrypto's r‖s.
 */
export async function signWithKey(key: CertdeskKey, data: ArrayBuffer): Promise<ArrayBuffer> {
  const raw = new Uint8Array(await subtle().sign(signatureParams(key), key.privateKey, data));
  if (key.algorithm.startsWith('RSA-')) return toArrayBuffer(raw);
  const half = raw.length / 2;
  return toArrayBuffer(derSequence([derInteger(raw.subarray(0, half)), derInteger(raw.subarray(half))]));
}

function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function derTlv(tag: number, content: Uint8Array): Uint8Array {
  const length = derLength(content.length);
  const out = new Uint8Array(1 + length.length + content.length);
  out[0] = tag;
  out.set(length, 1);
  out.set(content, 1 + length.length);
  return out;
}

function derInteger(unsignedBigEndian: Uint8Array): Uint8Array {
  let i = 0;
  while (i < unsignedBigEndian.length - 1 && unsignedBigEndian[i] === 0) i++;
  let body = unsignedBigEndian.subarray(i);
  if (body[0]! & 0x80) body = Uint8Array.of(0, ...body);
  return derTlv(0x02, body);
}

function derSequence(items: Uint8Array[]): Uint8Array {
  const total = items.reduce((n, item) => n + item.length, 0);
  const content = new Uint8Array(total);
  let offset = 0;
  for (const item of items) {
    content.set(item, offset);
    offset += item.length;
  }
  return derTlv(0x30, content);
}

/** Converts a DER Ecdsa-Sig-Value into WebCrypto's fixed-width r‖s, or null if malformed. */
function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array | null {
  try {
    const seq = AsnConvert.parse(der, ECDSASigValue);
    const r = new Uint8Array(seq.r);
    const s = new Uint8Array(seq.s);
    const strip = (v: Uint8Array) => {
      let i = 0;
      while (i < v.length - 1 && v[i] === 0) i++;
      return v.subarray(i);
    };
    const rr = strip(r);
    const ss = strip(s);
    if (rr.length > size || ss.length > size) return null;
    const out = new Uint8Array(size * 2);
    out.set(rr, size - rr.length);
    out.set(ss, 2 * size - ss.length);
    return out;
  } catch {
    return null;
  }
}

/**
 * Verifies an X.509-style signature (certificate, CSR) with the signer's SPKI. Supported:
 * RSA PKCS#1 v1.5 and ECDSA with SHA-1/256/384/512 on P-256/P-384/P-521, through WebCrypto.
 * Anything else (MD2/MD4/MD5, DSA, unknown algorithms, damaged keys) returns false: Certdesk
 * cannot vouch for it, which is what the admin needs to know.
 */
export async function verifySignature(
  spki: Uint8Array | ArrayBuffer,
  algorithm: AlgorithmIdentifier,
  data: ArrayBuffer,
  signature: ArrayBuffer,
): Promise<boolean> {
  try {
    const info = parseAs(spki, SubjectPublicKeyInfo);
    const keyOid = info.algorithm.algorithm;
    const rsaHash = RSA_HASHES[algorithm.algorithm];
    if (rsaHash && keyOid === id_rsaEncryption) {
      const rsa = parseAs(info.subjectPublicKey, RSAPublicKey);
      if (bitLength(new Uint8Array(rsa.modulus)) > limits.maxRsaBits) return false;
      const key = await subtle().importKey('spki', toArrayBuffer(new Uint8Array(spki)), { name: 'RSASSA-PKCS1-v1_5', hash: rsaHash }, false, ['verify']);
      return await subtle().verify({ name: 'RSASSA-PKCS1-v1_5' }, key, signature, data);
    }
    const ecHash = ECDSA_HASHES[algorithm.algorithm];
    if (ecHash && keyOid === id_ecPublicKey && info.algorithm.parameters) {
      const params = parseAs(info.algorithm.parameters, ECParameters);
      const curve = { [id_secp256r1]: 'P-256', [id_secp384r1]: 'P-384', [id_secp521r1]: 'P-521' }[params.namedCurve ?? ''];
      if (!curve) return false;
      const size = curve === 'P-256' ? 32 : curve === 'P-384' ? 48 : 66;
      const raw = ecdsaDerToRaw(new Uint8Array(signature), size);
      if (!raw) return false;
      const key = await subtle().importKey('spki', toArrayBuffer(new Uint8Array(spki)), { name: 'ECDSA', namedCurve: curve }, false, ['verify']);
      return await subtle().verify({ name: 'ECDSA', hash: ecHash }, key, toArrayBuffer(raw), data);
    }
    const legacyRsa = LEGACY_RSA[algorithm.algorithm];
    if (legacyRsa && keyOid === id_rsaEncryption) {
      return verifyRsaPkcs1Legacy(parseAs(info.subjectPublicKey, RSAPublicKey), legacyRsa, new Uint8Array(data), new Uint8Array(signature));
    }
    const dsaHash = DSA_HASHES[algorithm.algorithm];
    if (dsaHash && DSA_KEY_OIDS.has(keyOid)) {
      return verifyDsa(info, dsaHash, new Uint8Array(data), new Uint8Array(signature));
    }
    return false;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Signatures WebCrypto does not do, still found on old requests and roots (OpenSSL verifies
// them, so the admin should see the same answer): RSA PKCS#1 v1.5 with MD5 or SHA-224, and DSA.
// Verification only — Certdesk never signs with these.

/** DigestInfo prefixes, RFC 8017 §9.2 note 1. */
const LEGACY_RSA: Record<string, { hash: (m: Uint8Array) => Uint8Array; prefix: string }> = {
  '1.2.840.113549.1.1.4': { hash: md5, prefix: '3020300c06082a864886f70d020505000410' },
  '1.2.840.113549.1.1.14': { hash: sha224, prefix: '302d300d06096086480165030402040500041c' },
};

const DSA_KEY_OIDS = new Set(['1.2.840.10040.4.1', '1.3.14.3.2.12']);
const DSA_HASHES: Record<string, (m: Uint8Array) => Uint8Array> = {
  '1.2.840.10040.4.3': noblesha1,
  '1.3.14.3.2.27': noblesha1,
  '2.16.840.1.101.3.4.3.2': sha256,
};

function bigintOf(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function verifyRsaPkcs1Legacy(key: RSAPublicKey, scheme: { hash: (m: Uint8Array) => Uint8Array; prefix: string }, data: Uint8Array, signature: Uint8Array): boolean {
  const modulus = new Uint8Array(key.modulus);
  const bits = bitLength(modulus);
  if (bits > limits.maxRsaBits || bits < 256) return false;
  const k = Math.ceil(bits / 8);
  const n = bigintOf(modulus);
  const s = bigintOf(signature);
  if (signature.length > k + 1 || s >= n) return false;
  const m = modPow(s, bigintOf(new Uint8Array(key.publicExponent)), n);
  const em = m.toString(16).padStart(k * 2, '0');
  const t = scheme.prefix + toHex(scheme.hash(data));
  const padding = k * 2 - t.length - 6;
  if (padding < 16) return false;
  return em === `0001${'ff'.repeat(padding / 2)}00${t}`;
}

/** Reads SEQUENCE { INTEGER… } or a lone INTEGER into bigints (DSA parameters, key and signature). */
function derIntegers(der: Uint8Array): bigint[] {
  const read = (offset: number): { tag: number; start: number; end: number } => {
    const tag = der[offset]!;
    let length = der[offset + 1]!;
    let start = offset + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count > 4) throw new RangeError('length');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
      start += count;
    }
    if (start + length > der.length) throw new RangeError('truncated');
    return { tag, start, end: start + length };
  };
  const outer = read(0);
  if (outer.tag === 0x02) return [bigintOf(der.subarray(outer.start, outer.end))];
  const out: bigint[] = [];
  for (let cursor = outer.start; cursor < outer.end; ) {
    const e = read(cursor);
    if (e.tag !== 0x02) throw new RangeError('not an integer');
    out.push(bigintOf(der.subarray(e.start, e.end)));
    cursor = e.end;
  }
  return out;
}

/** FIPS 186-4 §4.7 DSA signature verification. */
function verifyDsa(info: SubjectPublicKeyInfo, hash: (m: Uint8Array) => Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (!info.algorithm.parameters) return false;
  const [p, q, g] = derIntegers(new Uint8Array(info.algorithm.parameters));
  const [y] = derIntegers(new Uint8Array(info.subjectPublicKey));
  const [r, s] = derIntegers(signature);
  if (p === undefined || q === undefined || g === undefined || y === undefined || r === undefined || s === undefined) return false;
  if (p.toString(2).length > limits.maxRsaBits || q.toString(2).length > 512) return false;
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const qBits = q.toString(2).length;
  const digest = hash(data);
  let z = bigintOf(digest);
  if (digest.length * 8 > qBits) z >>= BigInt(digest.length * 8 - qBits);
  const w = modPow(s, q - 2n, q); // q is prime: s^(q-2) = s^-1 mod q
  const u1 = (z * w) % q;
  const u2 = (r * w) % q;
  const v = ((modPow(g, u1, p) * modPow(y, u2, p)) % p) % q;
  return v === r;
}

/** A public key as shown to the admin. */
export interface PublicKeyDescription {
  /** 'RSA', 'ECDSA', or the algorithm's name/OID for others (DSA, Ed25519, …). */
  type: string;
  /** RSA modulus bits, or the curve's size for EC keys. */
  bits?: number;
  curve?: string;
  /** e.g. "RSA 2048", "ECDSA P-256". */
  label: string;
  spki: Uint8Array;
  publicKeySha256: string;
}

const KEY_TYPE_NAMES: Record<string, string> = {
  '1.2.840.10040.4.1': 'DSA',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
};
const CURVE_NAMES: Record<string, { name: string; bits: number }> = {
  [id_secp256r1]: { name: 'P-256', bits: 256 },
  [id_secp384r1]: { name: 'P-384', bits: 384 },
  [id_secp521r1]: { name: 'P-521', bits: 521 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
};

/** Describes a SubjectPublicKeyInfo; never throws on odd but well-formed keys. */
export async function describePublicKey(spki: Uint8Array): Promise<PublicKeyDescription> {
  const publicKeySha256 = await sha256Hex(spki);
  const info = parseAs(spki, SubjectPublicKeyInfo);
  const oid = info.algorithm.algorithm;
  if (oid === id_rsaEncryption) {
    try {
      const rsa = parseAs(info.subjectPublicKey, RSAPublicKey);
      const bits = bitLength(new Uint8Array(rsa.modulus));
      return { type: 'RSA', bits, label: `RSA ${bits}`, spki, publicKeySha256 };
    } catch {
      return { type: 'RSA', label: 'RSA (damaged key)', spki, publicKeySha256 };
    }
  }
  if (oid === id_ecPublicKey) {
    try {
      const params = info.algorithm.parameters ? parseAs(info.algorithm.parameters, ECParameters) : undefined;
      if (params?.specifiedCurve) return { type: 'ECDSA', curve: 'explicit parameters', label: 'ECDSA (explicit curve parameters)', spki, publicKeySha256 };
      const curve = CURVE_NAMES[params?.namedCurve ?? ''];
      if (curve) return { type: 'ECDSA', bits: curve.bits, curve: curve.name, label: `ECDSA ${curve.name}`, spki, publicKeySha256 };
      return { type: 'ECDSA', curve: params?.namedCurve, label: `ECDSA ${params?.namedCurve ?? 'unknown curve'}`, spki, publicKeySha256 };
    } catch {
      return { type: 'ECDSA', label: 'ECDSA (unreadable curve)', spki, publicKeySha256 };
    }
  }
  const type = KEY_TYPE_NAMES[oid] ?? oid;
  return { type, label: type, spki, publicKeySha256 };
}

const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.3': 'md4WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.3.14.3.2.27': 'dsaWithSHA1-old',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** OpenSSL's name for a signature algorithm OID (what admins find in documentation), or the OID. */
export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_NAMES[oid] ?? oid;
}
