/**
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) as the model keeps it: the raw encoding, the
 * algorithm, the key bits, and for RSA (RFC 8017 A.1.1) and EC (RFC 5480 §2.1.1) keys what
 * validation and the signature check need. A key that does not decode is no failure to read
 * the certificate (OpenSSL decodes keys lazily): it is recorded as `problem`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Asn1Error, encodingOf, fieldsOf, readBitString, readDer, readInteger, readOid, TAG, toHex, unsignedMagnitude, OID, isNegative, type BitString, type Tlv } from '../asn1';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithm';

export interface RsaPublicKey {
  /** The modulus without a sign byte. */
  modulus: Uint8Array;
  publicExponent: Uint8Array;
  modulusBits: number;
}

export interface SubjectPublicKeyInfo {
  der: Uint8Array;
  algorithm: AlgorithmIdentifier;
  /** The subjectPublicKey BIT STRING's octets (its unused-bits count in `unusedBits`). */
  publicKey: Uint8Array;
  unusedBits: number;
  /** rsaEncryption and id-RSASSA-PSS keys. */
  readonly rsa?: RsaPublicKey | undefined;
  /** id-ecPublicKey with a namedCurve: the curve's OID. */
  readonly namedCurve?: string | undefined;
  /** Why the key of a known algorithm could not be read. */
  readonly problem?: string | undefined;
  /** SHA-256 of `der`, lower-case hex: the key's identity (computed on first read). */
  readonly sha256: string;
}

/** Bit length of an unsigned big-endian number. */
export function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes[i] ? (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!)) : 0;
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, both positive. */
function parseRsaKey(bits: Uint8Array): RsaPublicKey {
  const f = fieldsOf(readDer(bits), 'the RSA public key');
  const n = readInteger(f.next(TAG.INTEGER, 'the modulus'), 'the RSA modulus');
  const e = readInteger(f.next(TAG.INTEGER, 'the public exponent'), 'the RSA public exponent');
  f.end();
  if (isNegative(n) || isNegative(e)) throw new Asn1Error('invalid-encoding', 'the RSA key has a negative number');
  const modulus = unsignedMagnitude(n);
  return { modulus, publicExponent: unsignedMagnitude(e), modulusBits: bitLength(modulus) };
}

/**
 * Whether an RSA public exponent is usable: odd, at least 3 (RFC 8017 §3.1), and at most 64 bits
 * (larger exponents only make checks slow; WebCrypto implementations refuse them too).
 */
export function isUsableRsaExponent(exponent: Uint8Array): boolean {
  const e = unsignedMagnitude(exponent);
  return e.length <= 8 && (e[e.length - 1]! & 1) === 1 && !(e.length === 1 && e[0]! < 3);
}

/** Reads a SubjectPublicKeyInfo from its element. */
export function parseSubjectPublicKeyInfo(tlv: Tlv | undefined): SubjectPublicKeyInfo {
  const f = fieldsOf(tlv, 'subjectPublicKeyInfo');
  const algorithm = parseAlgorithmIdentifier(f.next(TAG.SEQUENCE, 'the algorithm'), 'the public key algorithm');
  const bits = readBitString(f.next(TAG.BIT_STRING, 'subjectPublicKey'), 'the subjectPublicKey');
  f.end();
  return new ReadPublicKey(encodingOf(f.parent), algorithm, bits);
}

/** What the model reads out of the key bits: never a failure to read the certificate. */
interface KeyDetails {
  rsa?: RsaPublicKey;
  namedCurve?: string;
  problem?: string;
}

function keyDetails(algorithm: AlgorithmIdentifier, bits: BitString): KeyDetails {
  try {
    if (algorithm.oid === OID.rsaEncryption || algorithm.oid === OID.rsassaPss) {
      if (bits.unusedBits) throw new Asn1Error('invalid-encoding', 'the key bits are not whole octets');
      return { rsa: parseRsaKey(bits.bytes) };
    }
    if (algorithm.oid === OID.ecPublicKey && algorithm.parameters?.[0] === TAG.OID) return { namedCurve: readOid(readDer(algorithm.parameters), 'the named curve') };
  } catch (error) {
    if (!(error instanceof Asn1Error)) throw error;
    return { problem: error.detail };
  }
  return {};
}

/**
 * A SubjectPublicKeyInfo as read. The key's details and its identity are worked out when first
 * asked for, once: decoding a file reads every certificate with the model, and most of them
 * never need their key's numbers or identity (a third of decoding 144 roots went to the hash).
 */
class ReadPublicKey implements SubjectPublicKeyInfo {
  readonly publicKey: Uint8Array;
  readonly unusedBits: number;
  #bits: BitString;
  #details: KeyDetails | undefined;
  #sha256: string | undefined;

  constructor(
    readonly der: Uint8Array,
    readonly algorithm: AlgorithmIdentifier,
    bits: BitString,
  ) {
    this.#bits = bits;
    this.publicKey = bits.bytes;
    this.unusedBits = bits.unusedBits;
  }

  get rsa(): RsaPublicKey | undefined {
    return (this.#details ??= keyDetails(this.algorithm, this.#bits)).rsa;
  }

  get namedCurve(): string | undefined {
    return (this.#details ??= keyDetails(this.algorithm, this.#bits)).namedCurve;
  }

  get problem(): string | undefined {
    return (this.#details ??= keyDetails(this.algorithm, this.#bits)).problem;
  }

  get sha256(): string {
    return (this.#sha256 ??= toHex(sha256(this.der)));
  }
}

/** Reads a SubjectPublicKeyInfo from DER bytes (a CertdeskKey's `spki`). */
export function parseSpki(der: Uint8Array): SubjectPublicKeyInfo {
  return parseSubjectPublicKeyInfo(readDer(der));
}

/** A public key as shown to the admin. Plain data. */
export interface PublicKeyDescription {
  /** 'RSA', 'ECDSA', or the algorithm's name/OID for others (DSA, Ed25519, …). */
  type: string;
  /** RSA modulus bits, or the curve's size for EC keys. */
  bits?: number;
  curve?: string;
  /** e.g. "RSA 2048", "ECDSA P-256". */
  label: string;
  spki: Uint8Array;
  publicKeySha256: string;
}

const KEY_TYPE_NAMES: Record<string, string> = {
  [OID.dsa]: 'DSA',
  [OID.dsaOiw]: 'DSA',
  [OID.ed25519]: 'Ed25519',
  [OID.ed448]: 'Ed448',
  [OID.rsassaPss]: 'RSASSA-PSS',
};

/** Curves by OID (RFC 5480 §2.1.1.1, SEC 2), with their size in bits. */
export const CURVES: Record<string, { name: string; bits: number }> = {
  [OID.secp256r1]: { name: 'P-256', bits: 256 },
  [OID.secp384r1]: { name: 'P-384', bits: 384 },
  [OID.secp521r1]: { name: 'P-521', bits: 521 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
};

/** Describes a public key; never throws. */
export function describePublicKey(spki: SubjectPublicKeyInfo): PublicKeyDescription {
  const base = { spki: spki.der, publicKeySha256: spki.sha256 };
  const oid = spki.algorithm.oid;
  if (oid === OID.rsaEncryption) {
    return spki.rsa ? { type: 'RSA', bits: spki.rsa.modulusBits, label: `RSA ${spki.rsa.modulusBits}`, ...base } : { type: 'RSA', label: 'RSA (damaged key)', ...base };
  }
  if (oid === OID.ecPublicKey) {
    const parameters = spki.algorithm.parameters;
    if (parameters?.[0] === TAG.SEQUENCE) return { type: 'ECDSA', curve: 'explicit parameters', label: 'ECDSA (explicit curve parameters)', ...base };
    if (!spki.namedCurve) return { type: 'ECDSA', label: 'ECDSA (unreadable curve)', ...base };
    const curve = CURVES[spki.namedCurve];
    if (curve) return { type: 'ECDSA', bits: curve.bits, curve: curve.name, label: `ECDSA ${curve.name}`, ...base };
    return { type: 'ECDSA', curve: spki.namedCurve, label: `ECDSA ${spki.namedCurve}`, ...base };
  }
  const type = KEY_TYPE_NAMES[oid] ?? oid;
  return { type, label: type, ...base };
}
