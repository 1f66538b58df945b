/**
 * Key pairs: generation with WebCrypto, import of keys moved from another server, and export
 * of the exportable ones. The working private key is always a non-extractable CryptoKey; an
 * exportable key additionally keeps its PKCS#8 wrapped under a non-extractable AES-GCM key
 * (see ../shared/RELIABILITY.md "Keys in the browser"), so a CertdeskKey is structured-cloneable
 * and can be stored in IndexedDB as is.
 */
import { CertdeskError, throwIfAborted } from '../../errors';
import { sha256Hex, toArrayBuffer } from '../asn1';
import { kindOf, signingAlgorithm, type ImportedKeyAlgorithmName, type KeyAlgorithmName } from './algorithms';
import { inspectPrivateKey, publicKeyFromPrivateKey } from './private-key';

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

/** RSA keys below this size are refused on import: browsers stopped trusting them in 2014. */
const MIN_IMPORT_RSA_BITS = 2048;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** Parameters for `crypto.subtle.sign` with a key of this kind. */
export function signatureParams(key: CertdeskKey): Algorithm | EcdsaParams {
  if (key.algorithm.startsWith('RSA-')) return { name: 'RSASSA-PKCS1-v1_5' };
  return { name: 'ECDSA', hash: key.algorithm === 'ECDSA-P384' ? 'SHA-384' : 'SHA-256' };
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

