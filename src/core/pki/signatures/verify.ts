/**
 * The one signature verifier (as rustls-webpki's signed_data.rs and Go's CheckSignature):
 * RSA PKCS#1 v1.5 and RSASSA-PSS, ECDSA on P-256/384/521 and Ed25519 over WebCrypto; SHA-1
 * only when the caller allows it, and MD2/MD4/MD5, SHA-224 and DSA recognised and reported
 * (`weak-signature-algorithm`), checked in legacy.ts only when the caller asks to recognise a
 * legacy self-signature. Never throws for bad input: every failure is a result with a code.
 */
import { Asn1Error, bufferSource, contentOf, der, fieldsOf, isNegative, OID, readDer, readNull, readOid, readSmallInteger, TAG, unsignedMagnitude } from '../asn1';
import { limits } from '../limits';
import type { AlgorithmIdentifier } from '../x509/algorithm';
import type { Certificate } from '../x509/certificate';
import { isUsableRsaExponent, type SubjectPublicKeyInfo } from '../x509/public-key';
import { HASH_BY_OID, SIGNATURE_ALGORITHMS, WEBCRYPTO_CURVES, type HashName } from './algorithms';
import { hasLegacyHash, verifyDsa, verifyRsaPkcs1Legacy } from './legacy';

export type SignatureProblemCode = 'bad-signature' | 'weak-signature-algorithm' | 'unsupported-signature-algorithm' | 'unsupported-key';

export type SignatureCheck = { ok: true } | { ok: false; code: SignatureProblemCode; reason: string };

export interface VerifyOptions {
  /**
   * Accept SHA-1: only for the self-signature of a trust anchor, which protects nothing
   * (RFC 5280 §6.1.1 (d) takes the anchor's key as given); many roots still in use are
   * self-signed with SHA-1.
   */
  allowSha1?: boolean;
  /** Also check MD5, SHA-224 and DSA signatures (to recognise old self-signed roots and requests). */
  allowLegacy?: boolean;
  subtle?: SubtleCrypto;
}

const fail = (code: SignatureProblemCode, reason: string): SignatureCheck => ({ ok: false, code, reason });

/** RSASSA-PSS-params (RFC 4055 §3.1), defaults SHA-1 / MGF1-SHA-1 / 20 / trailer 1. */
function pssParameters(parameters: Uint8Array | undefined): { hash: HashName; saltLength: number } | string {
  if (!parameters) return { hash: 'SHA-1', saltLength: 20 };
  try {
    const f = fieldsOf(readDer(parameters), 'RSASSA-PSS parameters');
    const hashAlgorithm = (tlv: ReturnType<typeof f.next>): HashName | undefined => {
      const a = fieldsOf(tlv, 'a hash algorithm');
      const hash = HASH_BY_OID[readOid(a.next(TAG.OID, 'the hash'), 'a hash')];
      if (!a.done) readNull(a.next(undefined, 'the parameters'), 'hash parameters');
      a.end();
      return hash;
    };
    const explicit = (tag: number) => {
      const t = f.optional(tag);
      if (!t) return undefined;
      const e = fieldsOf(t, 'a PSS parameter', tag);
      const inner = e.next(undefined, 'the value');
      e.end();
      return inner;
    };
    const h = explicit(0xa0);
    const hash = h ? hashAlgorithm(h) : 'SHA-1';
    const m = explicit(0xa1);
    let mgfHash: HashName | undefined = 'SHA-1';
    if (m) {
      const g = fieldsOf(m, 'the mask generation function');
      if (readOid(g.next(TAG.OID, 'the MGF'), 'the MGF') !== OID.mgf1) return 'it uses a mask generation function other than MGF1';
      mgfHash = hashAlgorithm(g.next(TAG.SEQUENCE, 'the MGF1 hash'));
      g.end();
    }
    const s = explicit(0xa2);
    const saltLength = s ? readSmallInteger(s, 'the salt length', 1024) : 20;
    const t = explicit(0xa3);
    if (t && readSmallInteger(t, 'the trailer field', 255) !== 1) return 'its RSASSA-PSS trailer field is not 1 (RFC 4055 §3.1)';
    f.end();
    if (!hash) return 'its RSASSA-PSS hash is not one WebCrypto has';
    if (mgfHash !== hash) return 'its RSASSA-PSS mask hash differs from its message hash';
    return { hash, saltLength };
  } catch (error) {
    if (error instanceof Asn1Error) return `its RSASSA-PSS parameters are malformed (${error.detail})`;
    throw error;
  }
}

/** ECDSA-Sig-Value (RFC 3279 §2.2.3), strict DER, to WebCrypto's fixed-size r‖s. */
function ecdsaDerToRaw(signature: Uint8Array, size: number): Uint8Array | undefined {
  try {
    const f = fieldsOf(readDer(signature), 'the ECDSA signature');
    const out = new Uint8Array(size * 2);
    for (let k = 0; k < 2; k++) {
      const tlv = f.next(TAG.INTEGER, 'r or s');
      const c = contentOf(tlv);
      if (c.length === 0 || isNegative(c) || (c.length > 1 && c[0] === 0 && !(c[1]! & 0x80))) return undefined;
      const v = unsignedMagnitude(c);
      if (v.length > size) return undefined;
      out.set(v, k * size + size - v.length);
    }
    f.end();
    return out;
  } catch (error) {
    if (error instanceof Asn1Error) return undefined;
    throw error;
  }
}

/** An RSA SPKI WebCrypto imports: id-RSASSA-PSS keys are rewritten as rsaEncryption (BoringSSL takes only that). */
function rsaImportSpki(spki: SubjectPublicKeyInfo): Uint8Array {
  if (spki.algorithm.oid === OID.rsaEncryption) return spki.der;
  return der.sequence(der.sequence(der.oid(OID.rsaEncryption), der.nullValue()), der.bitString(spki.publicKey));
}

const keyCache = new WeakMap<SubjectPublicKeyInfo, Map<string, Promise<CryptoKey>>>();

/** Imports a verification key once per key and parameters (the same issuer checks many certificates). */
function importKey(subtle: SubtleCrypto, spki: SubjectPublicKeyInfo, bytes: Uint8Array, params: RsaHashedImportParams | EcKeyImportParams | Algorithm): Promise<CryptoKey> {
  const useCache = subtle === globalThis.crypto.subtle;
  const id = JSON.stringify(params);
  let perKey = useCache ? keyCache.get(spki) : undefined;
  const cached = perKey?.get(id);
  if (cached) return cached;
  const imported = subtle.importKey('spki', bufferSource(bytes), params, false, ['verify']);
  if (useCache) {
    if (!perKey) keyCache.set(spki, (perKey = new Map()));
    perKey.set(id, imported);
    imported.catch(() => perKey!.delete(id));
  }
  return imported;
}

/**
 * Checks `signature` over `signedBytes` made with `algorithm` by the holder of `issuerKey`.
 * RSA keys over limits.maxRsaBits or with an unusable exponent are refused before any
 * arithmetic (Go, CVE-2023-29409). Never throws.
 */
export async function verifySignature(
  signedBytes: Uint8Array,
  algorithm: AlgorithmIdentifier,
  signature: Uint8Array,
  issuerKey: SubjectPublicKeyInfo,
  options: VerifyOptions = {},
): Promise<SignatureCheck> {
  const entry = SIGNATURE_ALGORITHMS[algorithm.oid];
  if (!entry) return fail('unsupported-signature-algorithm', `its signature algorithm (${algorithm.oid}) is not one browsers accept`);
  if ((entry.tier === 'sha1' && !options.allowSha1) || (entry.tier === 'legacy' && !options.allowLegacy && entry.hash !== 'SHA-224'))
    return fail('weak-signature-algorithm', `it is signed with ${entry.name}, which is broken and refused by browsers`);
  const keyOid = issuerKey.algorithm.oid;
  const rsaKey = keyOid === OID.rsaEncryption || keyOid === OID.rsassaPss;
  if (rsaKey) {
    const rsa = issuerKey.rsa;
    if (!rsa || !isUsableRsaExponent(rsa.publicExponent) || rsa.modulusBits > limits.maxRsaBits)
      return fail('unsupported-key', `the issuer’s RSA key is malformed, has an unusable exponent or exceeds ${limits.maxRsaBits} bits`);
  }
  const mismatch = () => fail('bad-signature', 'its signature algorithm does not fit the issuer’s key type');
  const subtle = options.subtle ?? globalThis.crypto.subtle;
  let keyBytes = issuerKey.der;
  let importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  let verifyParams: Algorithm | RsaPssParams | EcdsaParams;
  let raw = signature;

  if (entry.tier === 'legacy') {
    if (!options.allowLegacy || entry.scheme === 'ecdsa' || !entry.hash || !hasLegacyHash(entry.hash, entry.scheme as 'rsa-pkcs1' | 'dsa'))
      return fail('unsupported-signature-algorithm', `its signature algorithm (${entry.name}) cannot be checked`);
    if (entry.scheme === 'rsa-pkcs1') {
      if (keyOid !== OID.rsaEncryption) return mismatch();
      return verifyRsaPkcs1Legacy(issuerKey, entry.hash, signedBytes, signature) ? { ok: true } : fail('bad-signature', 'its signature does not verify with the issuer’s key');
    }
    if (keyOid !== OID.dsa && keyOid !== OID.dsaOiw) return mismatch();
    return verifyDsa(issuerKey, entry.hash, signedBytes, signature) ? { ok: true } : fail('bad-signature', 'its signature does not verify with the issuer’s key');
  }

  switch (entry.scheme) {
    case 'rsa-pkcs1':
      // RFC 4055 §1.2: a key restricted to RSASSA-PSS must not verify PKCS#1 v1.5 signatures.
      if (keyOid !== OID.rsaEncryption) return mismatch();
      importParams = { name: 'RSASSA-PKCS1-v1_5', hash: entry.hash! };
      verifyParams = { name: 'RSASSA-PKCS1-v1_5' };
      break;
    case 'rsa-pss': {
      if (!rsaKey) return mismatch();
      const pss = pssParameters(algorithm.parameters);
      if (typeof pss === 'string') return fail('unsupported-signature-algorithm', pss);
      if (pss.hash === 'SHA-1' && !options.allowSha1) return fail('weak-signature-algorithm', 'it is signed with RSASSA-PSS over SHA-1, which browsers refuse');
      keyBytes = rsaImportSpki(issuerKey);
      importParams = { name: 'RSA-PSS', hash: pss.hash };
      verifyParams = { name: 'RSA-PSS', saltLength: pss.saltLength };
      break;
    }
    case 'ecdsa': {
      const curve = keyOid === OID.ecPublicKey ? WEBCRYPTO_CURVES[issuerKey.namedCurve ?? ''] : undefined;
      if (!curve) return mismatch();
      const converted = ecdsaDerToRaw(signature, curve.size);
      if (!converted) return fail('bad-signature', 'its ECDSA signature is malformed');
      raw = converted;
      importParams = { name: 'ECDSA', namedCurve: curve.name };
      verifyParams = { name: 'ECDSA', hash: entry.hash! };
      break;
    }
    case 'ed25519':
      if (keyOid !== OID.ed25519) return mismatch();
      // RFC 8410 §3: the parameters MUST be absent.
      if (algorithm.parameters) return fail('unsupported-signature-algorithm', 'its Ed25519 algorithm identifier has parameters, which RFC 8410 §3 forbids');
      importParams = { name: 'Ed25519' };
      verifyParams = { name: 'Ed25519' };
      break;
    default:
      return fail('unsupported-signature-algorithm', `its signature algorithm (${entry.name}) is not one browsers accept`);
  }
  let key: CryptoKey;
  try {
    key = await importKey(subtle, issuerKey, keyBytes, importParams);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotSupportedError')
      return fail('unsupported-signature-algorithm', `this browser cannot check ${entry.name} signatures`);
    return fail('bad-signature', 'the issuer’s key cannot check its signature');
  }
  try {
    const ok = await subtle.verify(verifyParams, key, bufferSource(raw), bufferSource(signedBytes));
    return ok ? { ok: true } : fail('bad-signature', 'its signature does not verify with the issuer’s key');
  } catch {
    return fail('bad-signature', 'the issuer’s key cannot check its signature');
  }
}

/**
 * Checks `cert`'s signature with `issuer`'s public key (RFC 5280 §6.1.3 (a)(1)), by the algorithm
 * named inside the signed TBSCertificate: when the outer copy differs, that is its own rule
 * (`signature-algorithm-mismatch`, RFC 5280 §4.1.1.2), not a second, misleading bad signature.
 */
export function verifyCertificateSignature(cert: Certificate, issuer: Certificate | SubjectPublicKeyInfo, options: VerifyOptions = {}): Promise<SignatureCheck> {
  if (cert.signatureUnusedBits) return Promise.resolve(fail('bad-signature', 'its signature is not a whole number of octets'));
  return verifySignature(cert.tbs, cert.tbsSignatureAlgorithm, cert.signature, 'spki' in issuer ? issuer.spki : issuer, options);
}

const selfSigned = new WeakMap<Certificate, Promise<boolean>>();

/**
 * Whether a certificate is self-signed (RFC 5280 §3.2, §6.1): self-issued, and its signature
 * verifies with its own public key. SHA-1 and the legacy algorithms count, since an anchor's
 * self-signature protects nothing; a signature that cannot be checked at all (MD2, MD4) does
 * not. The one definition describe, certificate facts and chain status use; cached per model.
 */
export function isSelfSigned(cert: Certificate): Promise<boolean> {
  if (!cert.selfIssued) return Promise.resolve(false);
  let result = selfSigned.get(cert);
  if (!result) {
    result = verifyCertificateSignature(cert, cert, { allowSha1: true, allowLegacy: true }).then((check) => check.ok);
    selfSigned.set(cert, result);
  }
  return result;
}
