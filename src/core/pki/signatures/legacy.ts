/**
 * Signatures WebCrypto cannot check, still found on old roots and requests (OpenSSL verifies
 * them, so the admin should see the same answer): RSA PKCS#1 v1.5 with MD5 or SHA-224
 * (RFC 8017 §8.2.2) and DSA (FIPS 186-4 §4.7), in BigInt arithmetic on the hashes of
 * @noble/hashes. Verification only, and only to recognise what a certificate is: Certdesk
 * never accepts these for TLS and never signs with them. Sizes are checked before any
 * arithmetic, so a hostile key costs milliseconds at most.
 */
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256 } from '@noble/hashes/sha2.js';
import { fieldsOf, readDer, readInteger, TAG, toHex, isNegative } from '../asn1';
import { limits } from '../limits';
import { isUsableRsaExponent, type SubjectPublicKeyInfo } from '../x509/public-key';
import type { HashName } from './algorithms';

const HASHES: Partial<Record<HashName, { hash: (m: Uint8Array) => Uint8Array; digestInfo?: string }>> = {
  // DigestInfo prefixes, RFC 8017 §9.2 note 1.
  MD5: { hash: md5, digestInfo: '3020300c06082a864886f70d020505000410' },
  'SHA-1': { hash: sha1 },
  'SHA-224': { hash: sha224, digestInfo: '302d300d06096086480165030402040500041c' },
  'SHA-256': { hash: sha256 },
};

/** Whether `hash` can be checked here at all (MD2 and MD4 cannot). */
export function hasLegacyHash(hash: HashName, scheme: 'rsa-pkcs1' | 'dsa'): boolean {
  const entry = HASHES[hash];
  return entry !== undefined && (scheme === 'dsa' || entry.digestInfo !== undefined);
}

function bigintOf(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + toHex(bytes));
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) with an encoded-message comparison. */
export function verifyRsaPkcs1Legacy(spki: SubjectPublicKeyInfo, hash: HashName, data: Uint8Array, signature: Uint8Array): boolean {
  const scheme = HASHES[hash];
  const rsa = spki.rsa;
  if (!scheme?.digestInfo || !rsa || !isUsableRsaExponent(rsa.publicExponent)) return false;
  if (rsa.modulusBits > limits.maxRsaBits || rsa.modulusBits < 512) return false;
  const k = Math.ceil(rsa.modulusBits / 8);
  const n = bigintOf(rsa.modulus);
  const s = bigintOf(signature);
  if (signature.length !== k || s >= n) return false;
  const em = modPow(s, bigintOf(rsa.publicExponent), n).toString(16).padStart(k * 2, '0');
  const t = scheme.digestInfo + toHex(scheme.hash(data));
  const padding = k * 2 - t.length - 6;
  if (padding < 16) return false;
  return em === `0001${'ff'.repeat(padding / 2)}00${t}`;
}

/** The positive INTEGERs of `SEQUENCE { INTEGER … }` or of a lone INTEGER. */
function integers(der: Uint8Array, count: number): bigint[] {
  const root = readDer(der);
  const elements = root.tag === TAG.INTEGER ? [root] : fieldsOf(root, 'DSA numbers').rest();
  if (elements.length !== count) throw new RangeError('wrong number of DSA numbers');
  return elements.map((e) => {
    const c = readInteger(e, 'a DSA number');
    if (isNegative(c)) throw new RangeError('negative DSA number');
    return bigintOf(c);
  });
}

/** FIPS 186-4 §4.7 DSA signature verification; parameters from the key's AlgorithmIdentifier. */
export function verifyDsa(spki: SubjectPublicKeyInfo, hash: HashName, data: Uint8Array, signature: Uint8Array): boolean {
  const digest = HASHES[hash]?.hash;
  if (!digest || !spki.algorithm.parameters) return false;
  let p: bigint, q: bigint, g: bigint, y: bigint, r: bigint, s: bigint;
  try {
    [p, q, g] = integers(spki.algorithm.parameters, 3) as [bigint, bigint, bigint];
    [y] = integers(spki.publicKey, 1) as [bigint];
    [r, s] = integers(signature, 2) as [bigint, bigint];
  } catch {
    return false;
  }
  // FIPS 186-4 §4.2: at most (L, N) = (3072, 256); §4.1, §4.7: 1 < g < p, 0 < y < p. A zero p
  // made the arithmetic throw (fuzz campaign: "RangeError: Division by zero").
  if (p.toString(2).length > 3072 || q.toString(2).length > 256 || q < 2n || p < 3n) return false;
  if (g < 2n || g >= p || y < 1n || y >= p) return false;
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const qBits = q.toString(2).length;
  const h = digest(data);
  let z = bigintOf(h);
  if (h.length * 8 > qBits) z >>= BigInt(h.length * 8 - qBits);
  const w = modPow(s, q - 2n, q); // q is prime: s^(q-2) = s^-1 mod q
  const v = ((modPow(g, (z * w) % q, p) * modPow(y, (r * w) % q, p)) % p) % q;
  return v === r;
}
