/**
 * The key types Certdesk creates and accepts, and the WebCrypto parameters it uses with each.
 */

export type KeyAlgorithmName = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'ECDSA-P256' | 'ECDSA-P384';
/** Imported RSA keys may have any size between the minimum and limits.maxRsaBits. */
export type ImportedKeyAlgorithmName = KeyAlgorithmName | `RSA-${number}`;

/** The WebCrypto algorithm and signature hash Certdesk uses for each key type. */
export function signingAlgorithm(kind: { type: 'rsa' } | { type: 'ec'; curve: 'P-256' | 'P-384' }): RsaHashedImportParams | EcKeyImportParams {
  if (kind.type === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { name: 'ECDSA', namedCurve: kind.curve };
}

/** The type (and RSA size or curve) of a key algorithm name. */
export function kindOf(algorithm: ImportedKeyAlgorithmName): { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' | 'P-384' } {
  if (algorithm === 'ECDSA-P256') return { type: 'ec', curve: 'P-256' };
  if (algorithm === 'ECDSA-P384') return { type: 'ec', curve: 'P-384' };
  return { type: 'rsa', bits: Number(algorithm.slice(4)) };
}
