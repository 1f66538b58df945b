/**
 * Password-based encryption schemes: PBES2 (RFC 8018 §6.2, PBKDF2 with any HMAC PRF, AES-CBC
 * or DES-EDE3-CBC) and the PKCS#12 PBE schemes (RFC 7292 appendix C: 3-key and 2-key triple
 * DES, 40- and 128-bit RC2 over the appendix B KDF) — reading their AlgorithmIdentifier,
 * writing it, and encrypting and decrypting with it. Every parameter is bounded before any
 * derivation runs: iterations (1 … limits.maxKdfIterations), salt (limits.maxSaltBytes), IV
 * (the cipher's block), key length (the cipher's key), and the work (budget.ts).
 */
import { Asn1Error, OID, TAG, der, fieldsOf, isNegative, readAlgorithm, readInteger, readNull, readOctetString, readSmallInteger, type Tlv } from '../asn1';
import { checkIterations, checkSalt, pbkdf2Work, pkcs12KdfWork } from './budget';
import { CIPHERS, cbcDecrypt, cbcEncrypt, type CipherName } from './ciphers';
import { unsupportedError } from './errors';
import { hashByHmacOid, hashByName, type HashAlgorithm } from './hashes';
import { derivePbkdf2, derivePkcs12, type KdfContext } from './kdf';
import { bmpPassword, utf8Password } from './passwords';

/** Export presets: "modern" for current systems, "legacy" for old Windows, Java and appliances. */
export type Pkcs12Preset = 'modern' | 'legacy';

/** Default iteration counts per preset: see exportPkcs12 for why. */
export const presetIterations: Record<Pkcs12Preset, number> = { modern: 100_000, legacy: 2048 };

/** A parsed (or chosen) password-based encryption scheme with all its parameters. */
export type PbeScheme =
  | { kind: 'pbes2'; prf: HashAlgorithm; salt: Uint8Array; iterations: number; cipher: CipherName; iv: Uint8Array }
  | { kind: 'pkcs12'; oid: string; cipher: CipherName; salt: Uint8Array; iterations: number };

/** The PKCS#12 PBE schemes by OID (RFC 7292 appendix C). RC4 is refused (unsupported). */
const PKCS12_PBE: Record<string, CipherName> = {
  [OID.pbeWithSHAAnd3KeyTripleDESCBC]: 'DES-EDE3-CBC',
  [OID.pbeWithSHAAnd2KeyTripleDESCBC]: 'DES-EDE-CBC',
  [OID.pbeWithSHAAnd128BitRC2CBC]: 'RC2-128-CBC',
  [OID.pbeWithSHAAnd40BitRC2CBC]: 'RC2-40-CBC',
};

/** The PBES2 ciphers by OID (RFC 8018 appendix B.2, RFC 3565 §4.1). */
const PBES2_CIPHERS: Record<string, CipherName> = {
  [OID.aes128Cbc]: 'AES-128-CBC',
  [OID.aes192Cbc]: 'AES-192-CBC',
  [OID.aes256Cbc]: 'AES-256-CBC',
  [OID.desEde3Cbc]: 'DES-EDE3-CBC',
};
const PBES2_CIPHER_OIDS = Object.fromEntries(Object.entries(PBES2_CIPHERS).map(([oid, name]) => [name, oid])) as Partial<Record<CipherName, string>>;

/**
 * An iteration count: a non-negative INTEGER, checked against 1 … limits.maxKdfIterations.
 * Values too large for a number count as Infinity, so the limit (not a wrap-around) refuses them.
 */
export function readIterationCount(tlv: Tlv | undefined, what: string): number {
  const content = readInteger(tlv, what);
  if (isNegative(content)) throw new Asn1Error('invalid-encoding', `the ${what} is negative`);
  const iterations = content.length > 7 ? Infinity : readSmallInteger(tlv, what);
  checkIterations(iterations, what);
  return iterations;
}

/** A salt, checked against limits.maxSaltBytes. */
function readSalt(tlv: Tlv | undefined, what: string): Uint8Array {
  const salt = readOctetString(tlv, what);
  checkSalt(salt, what);
  return salt;
}

/** The PBKDF2-params of RFC 8018 appendix A.2. `keyLength` is bounded by 1,024 bytes here; callers check it exactly. */
export function readPbkdf2Params(params: Tlv | undefined, what: string): { salt: Uint8Array; iterations: number; keyLength?: number; prf: HashAlgorithm } {
  const f = fieldsOf(params, `the PBKDF2 parameters of the ${what}`);
  if (f.peek() === TAG.SEQUENCE) throw unsupportedError('a PBKDF2 salt from another source (otherSource)');
  const salt = readSalt(f.next(undefined, 'the salt'), `PBKDF2 salt of the ${what}`);
  const iterations = readIterationCount(f.next(undefined, 'the iteration count'), `PBKDF2 iteration count of the ${what}`);
  const keyLengthTlv = f.optional(TAG.INTEGER);
  const keyLength = keyLengthTlv ? readSmallInteger(keyLengthTlv, `the PBKDF2 key length of the ${what}`, 1024) : undefined;
  let prf = hashByName('SHA-1'); // DEFAULT algid-hmacWithSHA1
  if (!f.done) {
    const alg = readAlgorithm(f.next(TAG.SEQUENCE, 'the PRF'), `the PBKDF2 PRF of the ${what}`);
    const found = hashByHmacOid(alg.oid);
    if (!found) throw unsupportedError(`the PBKDF2 pseudo-random function ${alg.oid}`);
    if (alg.params) readNull(alg.params, `the parameters of the PBKDF2 PRF of the ${what}`);
    prf = found;
  }
  f.end();
  return keyLength === undefined ? { salt, iterations, prf } : { salt, iterations, keyLength, prf };
}

/** Reads the encryption AlgorithmIdentifier of an EncryptedPrivateKeyInfo or EncryptedContentInfo. */
export function readPbeScheme(tlv: Tlv | undefined, what: string): PbeScheme {
  const { oid, params } = readAlgorithm(tlv, `the encryption algorithm of the ${what}`);
  const legacy = PKCS12_PBE[oid];
  if (legacy) {
    // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (RFC 7292 appendix C)
    const f = fieldsOf(params, `the PBE parameters of the ${what}`);
    const salt = readSalt(f.next(undefined, 'the salt'), `PBE salt of the ${what}`);
    const iterations = readIterationCount(f.next(undefined, 'the iteration count'), `PBE iteration count of the ${what}`);
    f.end();
    return { kind: 'pkcs12', oid, cipher: legacy, salt, iterations };
  }
  if (oid === OID.pbeWithSHAAnd128BitRC4 || oid === OID.pbeWithSHAAnd40BitRC4) throw unsupportedError('RC4 (pbeWithSHAAndRC4)');
  if (oid !== OID.pbes2) throw unsupportedError(`the encryption algorithm ${oid}`);
  // PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme } (RFC 8018 appendix A.4)
  const f = fieldsOf(params, `the PBES2 parameters of the ${what}`);
  const kdf = readAlgorithm(f.next(TAG.SEQUENCE, 'the key derivation'), `the key derivation of the ${what}`);
  const enc = readAlgorithm(f.next(TAG.SEQUENCE, 'the cipher'), `the cipher of the ${what}`);
  f.end();
  if (kdf.oid !== OID.pbkdf2) throw unsupportedError(`the key derivation function ${kdf.oid}`);
  const { salt, iterations, keyLength, prf } = readPbkdf2Params(kdf.params, what);
  const cipher = PBES2_CIPHERS[enc.oid];
  if (!cipher) throw unsupportedError(`the cipher ${enc.oid}`);
  const iv = readOctetString(enc.params, `the IV of the ${what}`);
  if (iv.length !== CIPHERS[cipher].blockSize) throw new Asn1Error('invalid-encoding', `the IV of the ${what} is ${iv.length} bytes, not the ${CIPHERS[cipher].blockSize} of ${cipher}`);
  if (keyLength !== undefined && keyLength !== CIPHERS[cipher].keyLength) {
    throw new Asn1Error('invalid-encoding', `the PBKDF2 key length of the ${what} (${keyLength}) does not fit ${cipher}`);
  }
  return { kind: 'pbes2', prf, salt, iterations, cipher, iv };
}

/** DER AlgorithmIdentifier of a scheme (the inverse of readPbeScheme). */
export function encodePbeScheme(s: PbeScheme): Uint8Array {
  if (s.kind === 'pkcs12') return der.sequence(der.oid(s.oid), der.sequence(der.octetString(s.salt), der.integer(s.iterations)));
  // The PRF is left out when it is the DEFAULT hmacWithSHA1 (X.690 §11.5: DER omits defaults).
  const prf = s.prf.name === 'SHA-1' ? [] : [der.sequence(der.oid(s.prf.hmacOid), der.nullValue())];
  return der.sequence(
    der.oid(OID.pbes2),
    der.sequence(
      der.sequence(der.oid(OID.pbkdf2), der.sequence(der.octetString(s.salt), der.integer(s.iterations), ...prf)),
      der.sequence(der.oid(PBES2_CIPHER_OIDS[s.cipher]!), der.octetString(s.iv)),
    ),
  );
}

/** Fresh random bytes (salts, IVs). */
export function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** A fresh scheme for a preset: modern = PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, legacy = pbeWithSHAAnd3-KeyTripleDES-CBC. */
export function newPbeScheme(preset: Pkcs12Preset, iterations: number): PbeScheme {
  if (preset === 'legacy') return { kind: 'pkcs12', oid: OID.pbeWithSHAAnd3KeyTripleDESCBC, cipher: 'DES-EDE3-CBC', salt: randomBytes(8), iterations };
  return { kind: 'pbes2', prf: hashByName('SHA-256'), salt: randomBytes(16), iterations, cipher: 'AES-256-CBC', iv: randomBytes(16) };
}

/** The work (budget.ts) of deriving a scheme's key and IV for one password candidate. */
export function pbeWork(s: PbeScheme, password: string | null): number {
  const { keyLength, blockSize } = CIPHERS[s.cipher];
  if (s.kind === 'pbes2') return pbkdf2Work(s.prf, utf8Password(password).length, s.salt.length, s.iterations, keyLength);
  const sha1 = hashByName('SHA-1');
  const pw = bmpPassword(password).length;
  return pkcs12KdfWork(sha1, s.salt.length, pw, s.iterations, keyLength) + pkcs12KdfWork(sha1, s.salt.length, pw, s.iterations, blockSize);
}

async function schemeKeyAndIv(ctx: KdfContext, s: PbeScheme, password: string | null): Promise<{ key: Uint8Array; iv: Uint8Array }> {
  const { keyLength, blockSize } = CIPHERS[s.cipher];
  if (s.kind === 'pbes2') return { key: await derivePbkdf2(ctx, s.prf, utf8Password(password), s.salt, s.iterations, keyLength), iv: s.iv };
  // RFC 7292 appendix B.3: key (ID 1) and IV (ID 2) are two derivations over SHA-1; both are charged.
  const sha1 = hashByName('SHA-1');
  const [key, iv] = await Promise.all([
    derivePkcs12(ctx, sha1, password, s.salt, 1, s.iterations, keyLength),
    derivePkcs12(ctx, sha1, password, s.salt, 2, s.iterations, blockSize),
  ]);
  return { key, iv };
}

/**
 * Decrypts with a scheme. Returns null when the result is not properly padded, which for
 * password-derived keys means (with overwhelming probability) a wrong password.
 */
export async function pbeDecrypt(ctx: KdfContext, s: PbeScheme, password: string | null, ciphertext: Uint8Array, what: string): Promise<Uint8Array | null> {
  if (ciphertext.length === 0 || ciphertext.length % CIPHERS[s.cipher].blockSize !== 0) {
    throw new Asn1Error('invalid-encoding', `the encrypted ${what} is not a whole number of cipher blocks`);
  }
  const { key, iv } = await schemeKeyAndIv(ctx, s, password);
  return cbcDecrypt(s.cipher, key, iv, ciphertext);
}

/** Encrypts with a scheme (PKCS#5 padding). */
export async function pbeEncrypt(ctx: KdfContext, s: PbeScheme, password: string | null, plaintext: Uint8Array): Promise<Uint8Array> {
  const { key, iv } = await schemeKeyAndIv(ctx, s, password);
  return cbcEncrypt(s.cipher, key, iv, plaintext);
}
