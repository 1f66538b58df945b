/**
 * The hashes password-based cryptography uses, by their digest OIDs (PKCS#12 MacData, RFC 7292
 * §5) and HMAC OIDs (PBKDF2 PRF and PBMAC1, RFC 8018 appendix B.1): one table, from which the
 * KDFs, the MAC and the work budget take block sizes and implementations.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { OID } from '../asn1';

export type HashName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA-512/224' | 'SHA-512/256';

/** A hash as PKCS#12 and PBES2 use it. */
export interface HashAlgorithm {
  name: HashName;
  digestOid: string;
  hmacOid: string;
  /** Bytes per compression block: 64 for SHA-1/224/256, 128 for the SHA-512 family (FIPS 180-4 §5). */
  blockLen: number;
  outputLen: number;
  /** Name for WebCrypto, where WebCrypto has it (it lacks the 224-bit and truncated variants). */
  webCrypto?: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  noble: CHash;
}

/** The hashes PKCS#12 files use. */
export const hashes: readonly HashAlgorithm[] = [
  { name: 'SHA-1', digestOid: OID.sha1, hmacOid: OID.hmacWithSHA1, blockLen: 64, outputLen: 20, webCrypto: 'SHA-1', noble: sha1 },
  { name: 'SHA-224', digestOid: OID.sha224, hmacOid: OID.hmacWithSHA224, blockLen: 64, outputLen: 28, noble: sha224 },
  { name: 'SHA-256', digestOid: OID.sha256, hmacOid: OID.hmacWithSHA256, blockLen: 64, outputLen: 32, webCrypto: 'SHA-256', noble: sha256 },
  { name: 'SHA-384', digestOid: OID.sha384, hmacOid: OID.hmacWithSHA384, blockLen: 128, outputLen: 48, webCrypto: 'SHA-384', noble: sha384 },
  { name: 'SHA-512', digestOid: OID.sha512, hmacOid: OID.hmacWithSHA512, blockLen: 128, outputLen: 64, webCrypto: 'SHA-512', noble: sha512 },
  { name: 'SHA-512/224', digestOid: OID.sha512_224, hmacOid: OID.hmacWithSHA512_224, blockLen: 128, outputLen: 28, noble: sha512_224 },
  { name: 'SHA-512/256', digestOid: OID.sha512_256, hmacOid: OID.hmacWithSHA512_256, blockLen: 128, outputLen: 32, noble: sha512_256 },
];

/** A hash of `hashes` by name. */
export function hashByName(name: HashName): HashAlgorithm {
  return hashes.find((h) => h.name === name)!;
}

/** The hash with this digest OID (MacData), if Certdesk knows it. */
export function hashByDigestOid(oid: string): HashAlgorithm | undefined {
  return hashes.find((h) => h.digestOid === oid);
}

/** The hash of this HMAC OID (PBKDF2 PRF, PBMAC1), if Certdesk knows it. */
export function hashByHmacOid(oid: string): HashAlgorithm | undefined {
  return hashes.find((h) => h.hmacOid === oid);
}

/** HMAC (RFC 2104) over a message: the PKCS#12 MAC (RFC 7292 §5) and PBMAC1 (RFC 9579). */
export function hmacOf(hash: HashAlgorithm, key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(hash.noble, key, message);
}
