/**
 * Checks of the subject public key (CABF BR §6.1.5–§6.1.6, §7.1.3.1), shared by certificates and
 * certificate requests: the key types and sizes TLS clients and public CAs accept, encoded the
 * one way the Baseline Requirements allow.
 */
import { OID, TAG } from '../asn1';
import { limits } from '../limits';
import { WEBCRYPTO_CURVES } from '../signatures';
import { describePublicKey, isUsableRsaExponent, type SubjectPublicKeyInfo } from '../x509';
import type { CheckResult, NamedKeyCheck } from './check';

const isRsa = (spki: SubjectPublicKeyInfo) => spki.algorithm.oid === OID.rsaEncryption || spki.algorithm.oid === OID.rsassaPss;
const rsaBits = (spki: SubjectPublicKeyInfo) => (isRsa(spki) ? spki.rsa?.modulusBits : undefined);
const NULL = [TAG.NULL, 0];

function unsupported(spki: SubjectPublicKeyInfo): CheckResult {
  const oid = spki.algorithm.oid;
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) return !spki.rsa && { found: 'malformed RSA' };
  if (oid !== OID.ecPublicKey) return { found: describePublicKey(spki).label };
  // Explicit or absent curve parameters are their own rule; a named curve must be P-256/384/521.
  return spki.namedCurve !== undefined && !WEBCRYPTO_CURVES[spki.namedCurve] && { found: describePublicKey(spki).label };
}

/** Checks keyed by rule code, on anything with a subject public key. */
export const keyChecks: Record<string, NamedKeyCheck> = {
  'unsupported-key': ({ spki }) => unsupported(spki),
  'rsa-key-too-small': ({ spki }) => {
    const bits = rsaBits(spki);
    return bits !== undefined && bits < 2048 && { found: String(bits) };
  },
  'rsa-key-too-large': ({ spki }) => {
    const bits = rsaBits(spki);
    return bits !== undefined && bits > limits.maxRsaBits && { found: String(bits) };
  },
  'rsa-modulus-not-multiple-of-8': ({ spki }) => {
    const bits = rsaBits(spki);
    return bits !== undefined && bits % 8 !== 0 && { found: String(bits) };
  },
  'rsa-bad-exponent': ({ spki }) => isRsa(spki) && spki.rsa !== undefined && !isUsableRsaExponent(spki.rsa.publicExponent) && { found: `0x${[...spki.rsa.publicExponent].map((b) => b.toString(16).padStart(2, '0')).join('')}` },
  // BR §7.1.3.1.1: rsaEncryption with an explicit NULL, byte for byte.
  'rsa-key-parameters-not-null': ({ spki }) => {
    const p = spki.algorithm.parameters;
    return spki.algorithm.oid === OID.rsaEncryption && !(p?.length === 2 && p[0] === NULL[0] && p[1] === NULL[1]);
  },
  'rsa-pss-key-identifier': ({ spki }) => spki.algorithm.oid === OID.rsassaPss,
  'ec-key-parameters-not-named-curve': ({ spki }) => spki.algorithm.oid === OID.ecPublicKey && spki.algorithm.parameters?.[0] !== TAG.OID,
};
