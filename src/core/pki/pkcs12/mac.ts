/**
 * The integrity protection of a PKCS#12 file: the classic MAC of RFC 7292 §5 (HMAC keyed by the
 * appendix B KDF with ID 3) and PBMAC1 of RFC 9579 (HMAC keyed by PBKDF2) — reading MacData,
 * checking it against a password candidate, writing it, and what checking costs (budget.ts).
 */
import { Asn1Error, OID, TAG, der, equalBytes, fieldsOf, readAlgorithm, readNull, readOctetString, type Tlv } from '../asn1';
import { hmacWork, pbkdf2Work, pkcs12KdfWork } from './budget';
import { unsupportedError } from './errors';
import { hashByDigestOid, hashByHmacOid, hmacOf, type HashAlgorithm } from './hashes';
import { derivePbkdf2, derivePkcs12, type KdfContext } from './kdf';
import { bmpPassword, utf8Password } from './passwords';
import { readIterationCount, readPbkdf2Params } from './pbes';

export interface MacInfo {
  kind: 'mac' | 'pbmac1';
  digest: Uint8Array;
  /** The HMAC's hash; for the classic MAC also the KDF's. */
  hash: HashAlgorithm;
  /** Classic MAC: salt and iterations of the KDF. */
  salt: Uint8Array;
  iterations: number;
  /** PBMAC1: the PBKDF2 parameters (MacData's own salt and iterations are then ignored, RFC 9579 §2). */
  pbkdf2?: { prf: HashAlgorithm; salt: Uint8Array; iterations: number; keyLength: number };
}

/**
 * PBMAC1 key lengths accepted: RFC 9579 §2 makes keyLength mandatory; OpenSSL 3.5 accepts 20 …
 * 64 bytes (its tests: pbmac1_256_256.good-shorter-key-len has 20 and loads, .bad-key-len 19
 * must not; 64 is EVP_MAX_MD_SIZE, the bound added for CVE-2025-11187).
 */
const PBMAC1_KEY_BYTES = { min: 20, max: 64 };

/** Reads MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }. */
export function readMacData(tlv: Tlv): MacInfo {
  const f = fieldsOf(tlv, 'the MAC');
  const digestInfo = fieldsOf(f.next(TAG.SEQUENCE, 'the MAC value'), 'the MAC value');
  const alg = readAlgorithm(digestInfo.next(TAG.SEQUENCE, 'the MAC algorithm'), 'the MAC algorithm');
  const digest = readOctetString(digestInfo.next(undefined, 'the MAC digest'), 'the MAC value');
  digestInfo.end();
  const salt = readOctetString(f.next(undefined, 'the MAC salt'), 'the MAC salt');
  const iterations = f.done ? 1 : readIterationCount(f.next(TAG.INTEGER, 'the MAC iteration count'), 'MAC iteration count');
  f.end();
  if (alg.oid === OID.pbmac1) {
    // PBMAC1-params ::= SEQUENCE { keyDerivationFunc, messageAuthScheme } (RFC 8018 A.5, RFC 9579 §2).
    const params = fieldsOf(alg.params, 'the PBMAC1 parameters');
    const kdf = readAlgorithm(params.next(TAG.SEQUENCE, 'the PBMAC1 key derivation'), 'the PBMAC1 key derivation');
    const scheme = readAlgorithm(params.next(TAG.SEQUENCE, 'the PBMAC1 MAC algorithm'), 'the PBMAC1 MAC algorithm');
    params.end();
    if (kdf.oid !== OID.pbkdf2) throw unsupportedError(`PBMAC1 with the key derivation ${kdf.oid}`);
    const p = readPbkdf2Params(kdf.params, 'MAC');
    const hash = hashByHmacOid(scheme.oid);
    if (!hash) throw unsupportedError(`PBMAC1 with the MAC ${scheme.oid}`);
    if (p.keyLength === undefined) throw new Asn1Error('invalid-encoding', 'its PBMAC1 key length is missing');
    if (p.keyLength < PBMAC1_KEY_BYTES.min || p.keyLength > PBMAC1_KEY_BYTES.max) {
      throw new Asn1Error('invalid-encoding', `its PBMAC1 key length (${p.keyLength}) is out of the range ${PBMAC1_KEY_BYTES.min}–${PBMAC1_KEY_BYTES.max}`);
    }
    if (p.salt.length === 0) throw new Asn1Error('invalid-encoding', 'its PBMAC1 salt is empty');
    return { kind: 'pbmac1', digest, hash, salt, iterations, pbkdf2: { prf: p.prf, salt: p.salt, iterations: p.iterations, keyLength: p.keyLength } };
  }
  const hash = hashByDigestOid(alg.oid);
  if (!hash) throw unsupportedError(`the MAC algorithm ${alg.oid}`);
  if (alg.params) readNull(alg.params, 'the parameters of the MAC algorithm');
  return { kind: 'mac', digest, hash, salt, iterations };
}

/** The work (budget.ts) of checking the MAC of an authenticated safe of `bytes` bytes with one password candidate. */
export function macWork(mac: MacInfo, password: string | null, bytes: number): number {
  const key = mac.pbkdf2
    ? pbkdf2Work(mac.pbkdf2.prf, utf8Password(password).length, mac.pbkdf2.salt.length, mac.pbkdf2.iterations, mac.pbkdf2.keyLength)
    : pkcs12KdfWork(mac.hash, mac.salt.length, bmpPassword(password).length, mac.iterations, mac.hash.outputLen);
  return key + hmacWork(mac.hash, bytes);
}

async function macKey(ctx: KdfContext, mac: MacInfo, password: string | null): Promise<Uint8Array> {
  if (!mac.pbkdf2) return derivePkcs12(ctx, mac.hash, password, mac.salt, 3, mac.iterations, mac.hash.outputLen);
  const k = mac.pbkdf2;
  return derivePbkdf2(ctx, k.prf, utf8Password(password), k.salt, k.iterations, k.keyLength);
}

/** Whether the MAC matches `authSafe` under this password candidate (constant-time comparison). */
export async function macMatches(ctx: KdfContext, mac: MacInfo, authSafe: Uint8Array, password: string | null): Promise<boolean> {
  const key = await macKey(ctx, mac, password);
  return equalBytes(hmacOf(mac.hash, key, authSafe), mac.digest);
}

/** MacData with the classic MAC (RFC 7292 §5.1) over `authSafe`; `key` is the KDF's output with ID 3. */
export function encodeMacData(hash: HashAlgorithm, key: Uint8Array, salt: Uint8Array, iterations: number, authSafe: Uint8Array): Uint8Array {
  return der.sequence(
    der.sequence(der.sequence(der.oid(hash.digestOid), der.nullValue()), der.octetString(hmacOf(hash, key, authSafe))),
    der.octetString(salt),
    der.integer(iterations),
  );
}
