/**
 * Signature verification of X.509 structures (certificates, CSRs), moved here unchanged from
 * keys.ts: the one verifier (signatures.ts) replaces it, and until then it is left as it was.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { RSAPublicKey, id_rsaEncryption } from '@peculiar/asn1-rsa';
import { ECDSASigValue, ECParameters, id_ecPublicKey, id_secp256r1, id_secp384r1, id_secp521r1 } from '@peculiar/asn1-ecc';
import { md5, sha1 as noblesha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256 } from '@noble/hashes/sha2.js';
import { limits } from '../limits';
import { toArrayBuffer, toHex } from '../asn1';
import { bitLength } from './private-key';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

function parseAs<T>(der: ArrayBuffer | Uint8Array, type: new () => T): T {
  return AsnConvert.parse(der, type, { berOptions: { maxDepth: limits.maxAsn1Depth } });
}

const OID = {
  sha1WithRSA: '1.2.840.113549.1.1.5',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSHA1: '1.2.840.10045.4.1',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
} as const;

const RSA_HASHES: Record<string, string> = {
  [OID.sha1WithRSA]: 'SHA-1',
  [OID.sha256WithRSA]: 'SHA-256',
  [OID.sha384WithRSA]: 'SHA-384',
  [OID.sha512WithRSA]: 'SHA-512',
};
const ECDSA_HASHES: Record<string, string> = {
  [OID.ecdsaWithSHA1]: 'SHA-1',
  [OID.ecdsaWithSHA256]: 'SHA-256',
  [OID.ecdsaWithSHA384]: 'SHA-384',
  [OID.ecdsaWithSHA512]: 'SHA-512',
};

/** Converts a DER Ecdsa-Sig-Value into WebCrypto's fixed-width r‖s, or null if malformed. */
function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array | null {
  try {
    const seq = AsnConvert.parse(der, ECDSASigValue);
    const r = new Uint8Array(seq.r);
    const s = new Uint8Array(seq.s);
    const strip = (v: Uint8Array) => {
      let i = 0;
      while (i < v.length - 1 && v[i] === 0) i++;
      return v.subarray(i);
    };
    const rr = strip(r);
    const ss = strip(s);
    if (rr.length > size || ss.length > size) return null;
    const out = new Uint8Array(size * 2);
    out.set(rr, size - rr.length);
    out.set(ss, 2 * size - ss.length);
    return out;
  } catch {
    return null;
  }
}

/**
 * Verifies an X.509-style signature (certificate, CSR) with the signer's SPKI. Supported:
 * RSA PKCS#1 v1.5 and ECDSA with SHA-1/256/384/512 on P-256/P-384/P-521, through WebCrypto.
 * Anything else (MD2/MD4/MD5, DSA, unknown algorithms, damaged keys) returns false: Certdesk
 * cannot vouch for it, which is what the admin needs to know.
 */
export async function verifySignature(
  spki: Uint8Array | ArrayBuffer,
  algorithm: AlgorithmIdentifier,
  data: ArrayBuffer,
  signature: ArrayBuffer,
): Promise<boolean> {
  try {
    const info = parseAs(spki, SubjectPublicKeyInfo);
    const keyOid = info.algorithm.algorithm;
    const rsaHash = RSA_HASHES[algorithm.algorithm];
    if (rsaHash && keyOid === id_rsaEncryption) {
      const rsa = parseAs(info.subjectPublicKey, RSAPublicKey);
      if (bitLength(new Uint8Array(rsa.modulus)) > limits.maxRsaBits) return false;
      const key = await subtle().importKey('spki', toArrayBuffer(new Uint8Array(spki)), { name: 'RSASSA-PKCS1-v1_5', hash: rsaHash }, false, ['verify']);
      return await subtle().verify({ name: 'RSASSA-PKCS1-v1_5' }, key, signature, data);
    }
    const ecHash = ECDSA_HASHES[algorithm.algorithm];
    if (ecHash && keyOid === id_ecPublicKey && info.algorithm.parameters) {
      const params = parseAs(info.algorithm.parameters, ECParameters);
      const curve = { [id_secp256r1]: 'P-256', [id_secp384r1]: 'P-384', [id_secp521r1]: 'P-521' }[params.namedCurve ?? ''];
      if (!curve) return false;
      const size = curve === 'P-256' ? 32 : curve === 'P-384' ? 48 : 66;
      const raw = ecdsaDerToRaw(new Uint8Array(signature), size);
      if (!raw) return false;
      const key = await subtle().importKey('spki', toArrayBuffer(new Uint8Array(spki)), { name: 'ECDSA', namedCurve: curve }, false, ['verify']);
      return await subtle().verify({ name: 'ECDSA', hash: ecHash }, key, toArrayBuffer(raw), data);
    }
    const legacyRsa = LEGACY_RSA[algorithm.algorithm];
    if (legacyRsa && keyOid === id_rsaEncryption) {
      return verifyRsaPkcs1Legacy(parseAs(info.subjectPublicKey, RSAPublicKey), legacyRsa, new Uint8Array(data), new Uint8Array(signature));
    }
    const dsaHash = DSA_HASHES[algorithm.algorithm];
    if (dsaHash && DSA_KEY_OIDS.has(keyOid)) {
      return verifyDsa(info, dsaHash, new Uint8Array(data), new Uint8Array(signature));
    }
    return false;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Signatures WebCrypto does not do, still found on old requests and roots (OpenSSL verifies
// them, so the admin should see the same answer): RSA PKCS#1 v1.5 with MD5 or SHA-224, and DSA.
// Verification only — Certdesk never signs with these.

/** DigestInfo prefixes, RFC 8017 §9.2 note 1. */
const LEGACY_RSA: Record<string, { hash: (m: Uint8Array) => Uint8Array; prefix: string }> = {
  '1.2.840.113549.1.1.4': { hash: md5, prefix: '3020300c06082a864886f70d020505000410' },
  '1.2.840.113549.1.1.14': { hash: sha224, prefix: '302d300d06096086480165030402040500041c' },
};

const DSA_KEY_OIDS = new Set(['1.2.840.10040.4.1', '1.3.14.3.2.12']);
const DSA_HASHES: Record<string, (m: Uint8Array) => Uint8Array> = {
  '1.2.840.10040.4.3': noblesha1,
  '1.3.14.3.2.27': noblesha1,
  '2.16.840.1.101.3.4.3.2': sha256,
};

function bigintOf(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
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

function verifyRsaPkcs1Legacy(key: RSAPublicKey, scheme: { hash: (m: Uint8Array) => Uint8Array; prefix: string }, data: Uint8Array, signature: Uint8Array): boolean {
  const modulus = new Uint8Array(key.modulus);
  const bits = bitLength(modulus);
  if (bits > limits.maxRsaBits || bits < 256) return false;
  const k = Math.ceil(bits / 8);
  const n = bigintOf(modulus);
  const s = bigintOf(signature);
  if (signature.length > k + 1 || s >= n) return false;
  const m = modPow(s, bigintOf(new Uint8Array(key.publicExponent)), n);
  const em = m.toString(16).padStart(k * 2, '0');
  const t = scheme.prefix + toHex(scheme.hash(data));
  const padding = k * 2 - t.length - 6;
  if (padding < 16) return false;
  return em === `0001${'ff'.repeat(padding / 2)}00${t}`;
}

/** Reads SEQUENCE { INTEGER… } or a lone INTEGER into bigints (DSA parameters, key and signature). */
function derIntegers(der: Uint8Array): bigint[] {
  const read = (offset: number): { tag: number; start: number; end: number } => {
    const tag = der[offset]!;
    let length = der[offset + 1]!;
    let start = offset + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count > 4) throw new RangeError('length');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
      start += count;
    }
    if (start + length > der.length) throw new RangeError('truncated');
    return { tag, start, end: start + length };
  };
  const outer = read(0);
  if (outer.tag === 0x02) return [bigintOf(der.subarray(outer.start, outer.end))];
  const out: bigint[] = [];
  for (let cursor = outer.start; cursor < outer.end; ) {
    const e = read(cursor);
    if (e.tag !== 0x02) throw new RangeError('not an integer');
    out.push(bigintOf(der.subarray(e.start, e.end)));
    cursor = e.end;
  }
  return out;
}

/** FIPS 186-4 §4.7 DSA signature verification. */
function verifyDsa(info: SubjectPublicKeyInfo, hash: (m: Uint8Array) => Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (!info.algorithm.parameters) return false;
  const [p, q, g] = derIntegers(new Uint8Array(info.algorithm.parameters));
  const [y] = derIntegers(new Uint8Array(info.subjectPublicKey));
  const [r, s] = derIntegers(signature);
  if (p === undefined || q === undefined || g === undefined || y === undefined || r === undefined || s === undefined) return false;
  if (p.toString(2).length > limits.maxRsaBits || q.toString(2).length > 512) return false;
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const qBits = q.toString(2).length;
  const digest = hash(data);
  let z = bigintOf(digest);
  if (digest.length * 8 > qBits) z >>= BigInt(digest.length * 8 - qBits);
  const w = modPow(s, q - 2n, q); // q is prime: s^(q-2) = s^-1 mod q
  const u1 = (z * w) % q;
  const u2 = (r * w) % q;
  const v = ((modPow(g, u1, p) * modPow(y, u2, p)) % p) % q;
  return v === r;
}
