/**
 * The one table of signature algorithms (RFC 3279, RFC 4055, RFC 5758, RFC 8410): how each OID
 * is checked, with which hash, and how far it is trusted. Verifying (verify.ts) and signing
 * (sign.ts) both read it.
 */
import { OID } from '../asn1';
import { CURVES } from '../x509/public-key';

export type SignatureScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'ed25519' | 'ed448' | 'dsa';
export type HashName = 'MD2' | 'MD4' | 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/**
 * `modern`: what TLS clients accept (SHA-256/384/512, PSS, Ed25519). `sha1`: SHA-1 signatures,
 * refused for TLS since 2017 (SHAttered) but checkable for self-signatures of old roots.
 * `legacy`: MD2/MD4/MD5, DSA and SHA-224, which WebCrypto lacks and browsers refuse; checked
 * (in legacy.ts) only to recognise old roots and requests.
 */
export type SignatureTier = 'modern' | 'sha1' | 'legacy';

export interface SignatureAlgorithm {
  /** OpenSSL's name, the one admins find in documentation. */
  name: string;
  scheme: SignatureScheme;
  /** The hash; for RSASSA-PSS it comes from the parameters. */
  hash?: HashName;
  tier: SignatureTier;
}

export const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  [OID.md2WithRSAEncryption]: { name: 'md2WithRSAEncryption', scheme: 'rsa-pkcs1', hash: 'MD2', tier: 'legacy' },
  [OID.md4WithRSAEncryption]: { name: 'md4WithRSAEncryption', scheme: 'rsa-pkcs1', hash: 'MD4', tier: 'legacy' },
  [OID.md5WithRSAEncryption]: { name: 'md5WithRSAEncryption', scheme: 'rsa-pkcs1', hash: 'MD5', tier: 'legacy' },
  [OID.sha1WithRSAEncryption]: { name: 'sha1WithRSAEncryption', scheme: 'rsa-pkcs1', hash: 'SHA-1', tier: 'sha1' },
  [OID.sha224WithRSAEncryption]: { name: 'sha224WithRSAEncryption', scheme: 'rsa-pkcs1', hash: 'SHA-224', tier: 'legacy' },
  [OID.sha256WithRSAEncryption]: { name: 'sha256WithRSAEncryption', scheme: 'rsa-pkcs1', hash: 'SHA-256', tier: 'modern' },
  [OID.sha384WithRSAEncryption]: { name: 'sha384WithRSAEncryption', scheme: 'rsa-pkcs1', hash: 'SHA-384', tier: 'modern' },
  [OID.sha512WithRSAEncryption]: { name: 'sha512WithRSAEncryption', scheme: 'rsa-pkcs1', hash: 'SHA-512', tier: 'modern' },
  [OID.rsassaPss]: { name: 'RSASSA-PSS', scheme: 'rsa-pss', tier: 'modern' },
  [OID.ecdsaWithSHA1]: { name: 'ecdsa-with-SHA1', scheme: 'ecdsa', hash: 'SHA-1', tier: 'sha1' },
  [OID.ecdsaWithSHA224]: { name: 'ecdsa-with-SHA224', scheme: 'ecdsa', hash: 'SHA-224', tier: 'legacy' },
  [OID.ecdsaWithSHA256]: { name: 'ecdsa-with-SHA256', scheme: 'ecdsa', hash: 'SHA-256', tier: 'modern' },
  [OID.ecdsaWithSHA384]: { name: 'ecdsa-with-SHA384', scheme: 'ecdsa', hash: 'SHA-384', tier: 'modern' },
  [OID.ecdsaWithSHA512]: { name: 'ecdsa-with-SHA512', scheme: 'ecdsa', hash: 'SHA-512', tier: 'modern' },
  [OID.dsaWithSHA1]: { name: 'dsaWithSHA1', scheme: 'dsa', hash: 'SHA-1', tier: 'legacy' },
  [OID.dsaWithSHA1Oiw]: { name: 'dsaWithSHA1-old', scheme: 'dsa', hash: 'SHA-1', tier: 'legacy' },
  [OID.dsaWithSHA224]: { name: 'dsa_with_SHA224', scheme: 'dsa', hash: 'SHA-224', tier: 'legacy' },
  [OID.dsaWithSHA256]: { name: 'dsa_with_SHA256', scheme: 'dsa', hash: 'SHA-256', tier: 'legacy' },
  [OID.ed25519]: { name: 'ED25519', scheme: 'ed25519', tier: 'modern' },
  [OID.ed448]: { name: 'ED448', scheme: 'ed448', tier: 'modern' },
};

/** Hash algorithm OIDs (RFC 8017 appendix B.1) inside RSASSA-PSS parameters. */
export const HASH_BY_OID: Readonly<Record<string, HashName>> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha224]: 'SHA-224',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

/** OpenSSL's name for a signature algorithm OID, or the OID itself. */
export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid]?.name ?? oid;
}

/** Curves WebCrypto verifies with (the CA/Browser Forum's three), and the byte size of their scalars (ECDSA r and s). */
export const WEBCRYPTO_CURVES: Readonly<Record<string, { name: 'P-256' | 'P-384' | 'P-521'; size: number }>> = Object.fromEntries(
  [OID.secp256r1, OID.secp384r1, OID.secp521r1].map((oid) => [oid, { name: CURVES[oid]!.name as 'P-256' | 'P-384' | 'P-521', size: Math.ceil(CURVES[oid]!.bits / 8) }]),
);
