/**
 * Signing X.509 structures (certificates, CSRs) with a CertdeskKey: the signatureAlgorithm it
 * writes and the signature in X.509 form.
 */
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { OID, der, toArrayBuffer } from '../asn1';
import { signatureParams, type CertdeskKey } from './generate';

/** The signatureAlgorithm a CertdeskKey signs with (RFC 4055 §5 for RSA with NULL; RFC 5758 §3.2 for ECDSA, no parameters). */
export function signatureAlgorithmIdentifier(key: CertdeskKey): AlgorithmIdentifier {
  if (key.algorithm.startsWith('RSA-')) return new AlgorithmIdentifier({ algorithm: OID.sha256WithRSAEncryption, parameters: toArrayBuffer(der.nullValue()) });
  return new AlgorithmIdentifier({ algorithm: key.algorithm === 'ECDSA-P384' ? OID.ecdsaWithSHA384 : OID.ecdsaWithSHA256 });
}

/**
 * Signs DER bytes (a TBSCertificate or CertificationRequestInfo) and returns the signature in
 * X.509 form: for ECDSA the DER Ecdsa-Sig-Value of RFC 5480 §2.2 / RFC 3279 §2.2.3, not WebCrypto's r‖s.
 */
export async function signWithKey(key: CertdeskKey, data: ArrayBuffer): Promise<ArrayBuffer> {
  const raw = new Uint8Array(await globalThis.crypto.subtle.sign(signatureParams(key), key.privateKey, data));
  if (key.algorithm.startsWith('RSA-')) return toArrayBuffer(raw);
  const half = raw.length / 2;
  return toArrayBuffer(der.sequence(der.integer(raw.subarray(0, half)), der.integer(raw.subarray(half))));
}
