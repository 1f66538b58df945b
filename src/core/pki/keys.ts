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
import { ECPrivateKey, ECParameters, id_ecPublicKey, id_secp256r1, id_secp384r1, id_secp521r1 } from '@peculiar/asn1-ecc';
import { CertdeskError, throwIfAborted } from '../errors';
import { limits } from './limits';
import { toArrayBuffer, toHex } from './pem';
import { bitLength } from './x509/public-key';

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
