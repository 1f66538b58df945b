/**
 * The signer: what Certdesk signs certificates and requests with, from the same algorithm table
 * the verifier reads. RSA keys sign RSASSA-PKCS1-v1_5 with SHA-256 (NULL parameters, RFC 4055
 * §5), ECDSA keys with SHA-256 on P-256 and SHA-384 on P-384 (no parameters, RFC 5758 §3.2).
 */
import { der, OID, toArrayBuffer } from '../asn1';
import { signatureParams, type CertdeskKey } from '../keys/generate';

/** The DER AlgorithmIdentifier a CertdeskKey signs with. */
export function signatureAlgorithmIdentifier(key: CertdeskKey): Uint8Array {
  if (key.algorithm.startsWith('RSA-')) return der.sequence(der.oid(OID.sha256WithRSAEncryption), der.nullValue());
  return der.sequence(der.oid(key.algorithm === 'ECDSA-P384' ? OID.ecdsaWithSHA384 : OID.ecdsaWithSHA256));
}

/**
 * Signs DER bytes (a TBSCertificate or CertificationRequestInfo) and returns the signature in
 * X.509 form: for ECDSA the DER Ecdsa-Sig-Value of RFC 5480 §2.2 / RFC 3279 §2.2.3, not WebCrypto's r‖s.
 */
export async function signWithKey(key: CertdeskKey, data: ArrayBuffer | Uint8Array): Promise<ArrayBuffer> {
  const raw = new Uint8Array(await globalThis.crypto.subtle.sign(signatureParams(key), key.privateKey, data instanceof Uint8Array ? toArrayBuffer(data) : data));
  if (key.algorithm.startsWith('RSA-')) return toArrayBuffer(raw);
  const half = raw.length / 2;
  return toArrayBuffer(der.sequence(der.integer(raw.subarray(0, half)), der.integer(raw.subarray(half))));
}
