/**
 * Public keys as shown to the admin: a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) read with the
 * one ASN.1 reader, and signature algorithms by the names OpenSSL gives them.
 */
import { CertdeskError } from '../../errors';
import { OID, TAG, checkStructure, fieldsOf, readAlgorithm, readBitString, readDer, readInteger, readOid, sha256Hex, unsignedMagnitude, type Tlv } from '../asn1';
import { bitLength } from './private-key';

/** A public key as shown to the admin. */
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
  [OID.ed25519]: 'Ed25519',
  [OID.ed448]: 'Ed448',
  [OID.rsassaPss]: 'RSASSA-PSS',
};
const CURVE_NAMES: Record<string, { name: string; bits: number }> = {
  [OID.secp256r1]: { name: 'P-256', bits: 256 },
  [OID.secp384r1]: { name: 'P-384', bits: 384 },
  [OID.secp521r1]: { name: 'P-521', bits: 521 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
};

/** Reads SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }. */
function readSpki(spki: Uint8Array): { oid: string; params?: Tlv; key: Uint8Array } {
  try {
    const top = readDer(spki);
    checkStructure(top);
    const f = fieldsOf(top, 'the public key');
    const algorithm = readAlgorithm(f.next(TAG.SEQUENCE, 'the algorithm'), 'the public key algorithm');
    const key = readBitString(f.next(TAG.BIT_STRING, 'the key'), 'the public key').bytes;
    f.end();
    return algorithm.params ? { oid: algorithm.oid, params: algorithm.params, key } : { oid: algorithm.oid, key };
  } catch (error) {
    throw new CertdeskError('invalid-public-key', 'This public key is damaged: its structure cannot be read.', { cause: error });
  }
}

function rsaBits(key: Uint8Array): number {
  // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 appendix A.1.1)
  const f = fieldsOf(readDer(key), 'the RSA public key');
  const modulus = readInteger(f.next(TAG.INTEGER, 'the modulus'), 'the modulus');
  readInteger(f.next(TAG.INTEGER, 'the exponent'), 'the exponent');
  f.end();
  return bitLength(unsignedMagnitude(modulus));
}

/** Describes a SubjectPublicKeyInfo; never throws on odd but well-formed keys. */
export async function describePublicKey(spki: Uint8Array): Promise<PublicKeyDescription> {
  const publicKeySha256 = await sha256Hex(spki);
  const info = readSpki(spki);
  if (info.oid === OID.rsaEncryption) {
    try {
      const bits = rsaBits(info.key);
      return { type: 'RSA', bits, label: `RSA ${bits}`, spki, publicKeySha256 };
    } catch {
      return { type: 'RSA', label: 'RSA (damaged key)', spki, publicKeySha256 };
    }
  }
  if (info.oid === OID.ecPublicKey) {
    // ECParameters ::= CHOICE { namedCurve OID, implicitCurve NULL, specifiedCurve SEQUENCE } (RFC 5480 §2.1.1)
    if (info.params?.tag === TAG.SEQUENCE) return { type: 'ECDSA', curve: 'explicit parameters', label: 'ECDSA (explicit curve parameters)', spki, publicKeySha256 };
    if (info.params?.tag !== TAG.OID) return { type: 'ECDSA', label: 'ECDSA unknown curve', spki, publicKeySha256 };
    let oid: string;
    try {
      oid = readOid(info.params, 'the curve');
    } catch {
      return { type: 'ECDSA', label: 'ECDSA (unreadable curve)', spki, publicKeySha256 };
    }
    const curve = CURVE_NAMES[oid];
    if (curve) return { type: 'ECDSA', bits: curve.bits, curve: curve.name, label: `ECDSA ${curve.name}`, spki, publicKeySha256 };
    return { type: 'ECDSA', curve: oid, label: `ECDSA ${oid}`, spki, publicKeySha256 };
  }
  const type = KEY_TYPE_NAMES[info.oid] ?? info.oid;
  return { type, label: type, spki, publicKeySha256 };
}

const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.3': 'md4WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.3.14.3.2.27': 'dsaWithSHA1-old',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** OpenSSL's name for a signature algorithm OID (what admins find in documentation), or the OID. */
export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_NAMES[oid] ?? oid;
}
