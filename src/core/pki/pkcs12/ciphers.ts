/**
 * The block ciphers of password-based encryption, in CBC mode with PKCS#5 padding (RFC 8018
 * §6.1.1 step 4, §B.2): AES-128/192/256 (PBES2), 3-key and 2-key triple DES (PBES2
 * DES-EDE3-CBC, PKCS#12 PBE) and RC2 (PKCS#12 PBE, RFC 7292 appendix C). All synchronous: the
 * data is a few kilobytes, and no call leaves the main thread long.
 * - AES: @noble/ciphers, which has AES-192 (Chromium's WebCrypto does not, crbug.com/533699).
 *   WebCrypto decrypts a 4 KB bag ~0.02 ms faster in Node (tests/bench "AES-256-CBC"), too
 *   little for a second, asynchronous code path.
 * - 3DES: des.js, because @noble/ciphers and WebCrypto have no DES and des.js is the small,
 *   long-stable implementation (no maintained alternative without a large dependency).
 * - RC2: rc2.ts, because no maintained npm package implements RC2 at all.
 */
import { cbc } from '@noble/ciphers/aes.js';
import * as des from 'des.js';
import { concatBytes } from '../asn1';
import { rc2CbcDecrypt, rc2CbcEncrypt, stripPkcs5Padding } from './rc2';

export type CipherName = 'AES-128-CBC' | 'AES-192-CBC' | 'AES-256-CBC' | 'DES-EDE3-CBC' | 'DES-EDE-CBC' | 'RC2-40-CBC' | 'RC2-128-CBC';

/** Key and block (= IV) sizes in bytes. */
export const CIPHERS: Record<CipherName, { keyLength: number; blockSize: number }> = {
  'AES-128-CBC': { keyLength: 16, blockSize: 16 },
  'AES-192-CBC': { keyLength: 24, blockSize: 16 },
  'AES-256-CBC': { keyLength: 32, blockSize: 16 },
  'DES-EDE3-CBC': { keyLength: 24, blockSize: 8 },
  'DES-EDE-CBC': { keyLength: 16, blockSize: 8 },
  'RC2-40-CBC': { keyLength: 5, blockSize: 8 },
  'RC2-128-CBC': { keyLength: 16, blockSize: 8 },
};

/** des.js builds a new CBC class on every instantiate(): build it once. */
let desEde3CbcMode: ReturnType<typeof des.CBC.instantiate> | undefined;

function desEde3Cbc(type: 'encrypt' | 'decrypt', key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  desEde3CbcMode ??= des.CBC.instantiate(des.EDE);
  // Two-key 3DES (RFC 7292 appendix C, pbeWithSHAAnd2-KeyTripleDES-CBC): K3 = K1.
  const fullKey = key.length === 16 ? concatBytes(key, key.subarray(0, 8)) : key;
  const cipher = desEde3CbcMode.create({ type, key: fullKey, iv, padding: false });
  return Uint8Array.from(cipher.update(data).concat(cipher.final()));
}

function checkSizes(name: CipherName, key: Uint8Array, iv: Uint8Array): void {
  const { keyLength, blockSize } = CIPHERS[name];
  if (key.length !== keyLength || iv.length !== blockSize) throw new RangeError(`${name} takes a ${keyLength}-byte key and a ${blockSize}-byte IV`);
}

/** CBC encryption with PKCS#5 padding. */
export function cbcEncrypt(name: CipherName, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkSizes(name, key, iv);
  if (name.startsWith('AES-')) return cbc(key, iv).encrypt(plaintext);
  if (name.startsWith('RC2-')) return rc2CbcEncrypt(key, key.length * 8, iv, plaintext);
  const pad = 8 - (plaintext.length % 8);
  const padded = new Uint8Array(plaintext.length + pad).fill(pad);
  padded.set(plaintext);
  return desEde3Cbc('encrypt', key, iv, padded);
}

/**
 * CBC decryption; checks and strips the PKCS#5 padding. Returns null when the padding is wrong,
 * which for a password-derived key means (with overwhelming probability) a wrong password.
 */
export function cbcDecrypt(name: CipherName, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  checkSizes(name, key, iv);
  const { blockSize } = CIPHERS[name];
  if (ciphertext.length === 0 || ciphertext.length % blockSize !== 0) return null;
  // RC2 effective key bits = key bits, as PKCS#12 uses it (RFC 7292 appendix C).
  if (name.startsWith('RC2-')) return rc2CbcDecrypt(key, key.length * 8, iv, ciphertext);
  const plain = name.startsWith('AES-') ? cbc(key, iv, { disablePadding: true }).decrypt(ciphertext) : desEde3Cbc('decrypt', key, iv, ciphertext);
  return stripPkcs5Padding(plain, blockSize);
}
