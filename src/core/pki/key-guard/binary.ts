/**
 * Private keys in bytes, wherever they start: the DER structures of RFC 5208/5958 (PKCS#8
 * PrivateKeyInfo, EncryptedPrivateKeyInfo), RFC 8017 appendix A.1.2 (PKCS#1 RSAPrivateKey),
 * OpenSSL's DSA key, RFC 5915 (SEC1 ECPrivateKey) and RFC 7292 (PKCS#12 PFX), matched by shape
 * at every offset that holds a SEQUENCE; and the binary key formats recognised by their magic
 * numbers (OpenSSH, Microsoft PVK and PRIVATEKEYBLOB, Java keystores, OpenPGP).
 *
 * The matchers read headers leniently (any length form, a structure cut off by the end of the
 * bytes) because a key that is only partly there is still a leaked key: what matters is whether
 * the bytes carry private key material, not whether a library could load them. Each offset costs
 * a few header reads, so scanning is linear in the bytes.
 */
import { OID, decodeOid } from '../asn1/oid';

/** A private key (or key container) found in bytes. */
export interface KeyHit {
  kind: KeyFindingKind;
  /** "a PKCS#8 private key (RSA)". */
  what: string;
  /** Where it starts in the scanned bytes (binary hits), when that is worth saying. */
  offset?: number;
}

export type KeyFindingKind =
  | 'pem-private-key'
  | 'pkcs8'
  | 'encrypted-pkcs8'
  | 'pkcs1'
  | 'dsa'
  | 'sec1'
  | 'pkcs12'
  | 'openssh'
  | 'putty'
  | 'jwk'
  | 'openpgp'
  | 'java-keystore'
  | 'microsoft-key-blob';

/** One element header, read without requiring the contents to be present. */
interface Head {
  tag: number;
  contentStart: number;
  /** Just past the element; may lie beyond the bytes (cut off), Infinity for an indefinite length. */
  end: number;
}

function head(b: Uint8Array, pos: number): Head | undefined {
  if (pos + 2 > b.length) return undefined;
  const tag = b[pos]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  let p = pos + 1;
  const first = b[p++]!;
  if (first === 0x80) return (tag & 0x20) !== 0 ? { tag, contentStart: p, end: Infinity } : undefined;
  let length = first;
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4 || p + count > b.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + b[p++]!;
  }
  return { tag, contentStart: p, end: p + length };
}

/** The header at `pos` when it has `tag` and, if `whole`, its contents are all present within `limit`. */
function field(b: Uint8Array, pos: number, tag: number, limit: number, whole: boolean): Head | undefined {
  const h = head(b, pos);
  if (!h || h.tag !== tag || h.contentStart > Math.min(limit, b.length)) return undefined;
  if (whole && (h.end > b.length || h.end > limit)) return undefined;
  return h;
}

function smallInteger(b: Uint8Array, h: Head): number | undefined {
  return h.end - h.contentStart === 1 ? b[h.contentStart] : undefined;
}

function oidAt(b: Uint8Array, h: Head): string | undefined {
  try {
    return decodeOid(b.subarray(h.contentStart, h.end));
  } catch {
    return undefined;
  }
}

/** Key algorithms by OID (RFC 3279, RFC 5480, RFC 8410), for saying what kind of key was found. */
const KEY_ALGORITHMS: Record<string, string> = {
  [OID.rsaEncryption]: 'RSA',
  [OID.rsassaPss]: 'RSA-PSS',
  [OID.ecPublicKey]: 'EC',
  [OID.dsa]: 'DSA',
  [OID.ed25519]: 'Ed25519',
  [OID.ed448]: 'Ed448',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.840.113549.1.3.1': 'DH',
  '1.2.840.10046.2.1': 'DH',
};

/** Password-based encryption schemes of EncryptedPrivateKeyInfo: RFC 8018 (PBES1, PBES2) and RFC 7292 appendix C. */
const PBE_ALGORITHMS = new Set([
  OID.pbes2,
  '1.2.840.113549.1.5.1',
  '1.2.840.113549.1.5.3',
  '1.2.840.113549.1.5.4',
  '1.2.840.113549.1.5.6',
  '1.2.840.113549.1.5.10',
  '1.2.840.113549.1.5.11',
  OID.pbeWithSHAAnd128BitRC4,
  OID.pbeWithSHAAnd40BitRC4,
  OID.pbeWithSHAAnd3KeyTripleDESCBC,
  OID.pbeWithSHAAnd2KeyTripleDESCBC,
  OID.pbeWithSHAAnd128BitRC2CBC,
  OID.pbeWithSHAAnd40BitRC2CBC,
]);

const cutOff = (b: Uint8Array, end: number) => (end > b.length ? ', cut off' : '');

/**
 * PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5958 §2): SEQUENCE { INTEGER 0 or 1,
 * AlgorithmIdentifier { OID … }, OCTET STRING privateKey, … }. The key OCTET STRING may be cut off.
 */
function pkcs8(b: Uint8Array, outer: Head): KeyHit | undefined {
  const version = field(b, outer.contentStart, 0x02, outer.end, true);
  if (!version || (smallInteger(b, version) ?? 9) > 1) return undefined;
  const algorithm = field(b, version.end, 0x30, outer.end, true);
  if (!algorithm) return undefined;
  const oid = field(b, algorithm.contentStart, 0x06, algorithm.end, true);
  if (!oid || oid.end - oid.contentStart > 64) return undefined;
  const name = oidAt(b, oid);
  const key = name ? field(b, algorithm.end, 0x04, outer.end, false) : undefined;
  if (!key || key.end - key.contentStart < 8 || key.contentStart + 8 > b.length) return undefined;
  return { kind: 'pkcs8', what: `a PKCS#8 private key (${KEY_ALGORITHMS[name!] ?? name}${cutOff(b, key.end)})` };
}

/** EncryptedPrivateKeyInfo (RFC 5958 §3): SEQUENCE { AlgorithmIdentifier { PBE OID … }, OCTET STRING }. */
function encryptedPkcs8(b: Uint8Array, outer: Head): KeyHit | undefined {
  const algorithm = field(b, outer.contentStart, 0x30, outer.end, true);
  if (!algorithm) return undefined;
  const oid = field(b, algorithm.contentStart, 0x06, algorithm.end, true);
  if (!oid || oid.end - oid.contentStart > 16 || !PBE_ALGORITHMS.has(oidAt(b, oid) ?? '')) return undefined;
  const data = field(b, algorithm.end, 0x04, outer.end, false);
  if (!data || data.end - data.contentStart < 16) return undefined;
  return { kind: 'encrypted-pkcs8', what: `an encrypted PKCS#8 private key (password-protected${cutOff(b, data.end)})` };
}

/**
 * RSAPrivateKey (RFC 8017 A.1.2: version 0 or 1, n, e, d, p, q, dP, dQ, qInv) and OpenSSL's DSA
 * private key (version 0, p, q, g, y, x): a run of INTEGERs opening with a small version and a
 * modulus or prime of at least 512 bits. An RSA key cut off after d has begun is still reported.
 */
function integerKey(b: Uint8Array, outer: Head): KeyHit | undefined {
  const version = field(b, outer.contentStart, 0x02, outer.end, true);
  if (!version || (smallInteger(b, version) ?? 9) > 1) return undefined;
  const sizes: number[] = [];
  let pos = version.end;
  let cut = false;
  while (sizes.length < 8 && pos < Math.min(outer.end, b.length)) {
    const integer = field(b, pos, 0x02, outer.end, false);
    if (!integer) break;
    sizes.push(integer.end - integer.contentStart);
    if (integer.end > b.length) {
      cut = true;
      break;
    }
    pos = integer.end;
  }
  if ((sizes[0] ?? 0) < 64) return undefined;
  if (sizes.length === 8 || (cut && sizes.length >= 3 && (sizes[2] ?? 0) >= 16)) {
    return { kind: 'pkcs1', what: `a PKCS#1 RSA private key${cut ? ' (cut off)' : ''}` };
  }
  if (sizes.length === 5 && !cut && pos === outer.end && smallInteger(b, version) === 0) return { kind: 'dsa', what: 'a DSA private key' };
  return undefined;
}

/** ECPrivateKey (RFC 5915 §3): SEQUENCE { INTEGER 1, OCTET STRING (a curve-sized secret), [0] …, [1] … }. */
function sec1(b: Uint8Array, outer: Head): KeyHit | undefined {
  const version = field(b, outer.contentStart, 0x02, outer.end, true);
  if (!version || smallInteger(b, version) !== 1) return undefined;
  const key = field(b, version.end, 0x04, outer.end, true);
  if (!key || key.end - key.contentStart < 14 || key.end - key.contentStart > 72) return undefined;
  if (key.end !== outer.end && b[key.end] !== 0xa0 && b[key.end] !== 0xa1) return undefined;
  return { kind: 'sec1', what: 'an EC private key (SEC1)' };
}

/** PFX (RFC 7292 §4): SEQUENCE { INTEGER 3, ContentInfo { data or signedData … }, MacData? }, DER or BER. */
function pfx(b: Uint8Array, outer: Head): KeyHit | undefined {
  const version = field(b, outer.contentStart, 0x02, outer.end, true);
  if (!version || smallInteger(b, version) !== 3) return undefined;
  const authSafe = field(b, version.end, 0x30, outer.end, false);
  const oid = authSafe ? field(b, authSafe.contentStart, 0x06, authSafe.end, true) : undefined;
  const type = oid ? oidAt(b, oid) : undefined;
  if (type !== OID.data && type !== OID.signedData) return undefined;
  return { kind: 'pkcs12', what: 'a PKCS#12 archive (.p12/.pfx), the file format of private keys' };
}

/** Every private-key DER structure in `b`, at any offset; a match's contents are not searched again. */
export function derKeys(b: Uint8Array, maxHits: number): KeyHit[] {
  const hits: KeyHit[] = [];
  for (let pos = 0; pos + 8 <= b.length && hits.length < maxHits; pos++) {
    if (b[pos] !== 0x30) continue;
    const outer = head(b, pos);
    if (!outer || outer.end - outer.contentStart < 6) continue;
    const hit = pfx(b, outer) ?? pkcs8(b, outer) ?? encryptedPkcs8(b, outer) ?? sec1(b, outer) ?? integerKey(b, outer);
    if (!hit) continue;
    hits.push({ ...hit, offset: pos });
    pos = Math.max(pos, Math.min(outer.end, b.length) - 1);
  }
  return hits;
}

/**
 * A whole file that is DER cut short (a SEQUENCE whose length runs past the end): what it was
 * cannot be told, so it cannot be cleared. Returns the declared and the present size.
 */
export function cutOffDer(b: Uint8Array): { declared: number; present: number } | undefined {
  if (b[0] !== 0x30 || (b[1] ?? 0) < 0x81 || (b[1] ?? 0) > 0x84) return undefined;
  const outer = head(b, 0);
  return outer && outer.end > b.length ? { declared: outer.end, present: b.length } : undefined;
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** "openssh-key-v1\0" (OpenSSH PROTOCOL.key). */
const OPENSSH_MAGIC = ascii('openssh-key-v1\0');
/** "RSA2": the RSAPUBKEY magic of a PRIVATEKEYBLOB (Microsoft CryptoAPI). */
const RSA2_MAGIC = ascii('RSA2');

function indexOf(b: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  for (let i = b.indexOf(first, from); i >= 0 && i + needle.length <= b.length; i = b.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && b[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/**
 * Binary key formats by their magic: anywhere for OpenSSH (its cipher name must follow as an SSH
 * string) and PRIVATEKEYBLOB; at the start for formats whose magic is short.
 */
export function magicKeys(b: Uint8Array): KeyHit[] {
  const hits: KeyHit[] = [];
  const openssh = indexOf(b, OPENSSH_MAGIC);
  if (openssh >= 0) {
    const at = openssh + OPENSSH_MAGIC.length;
    const length = at + 4 <= b.length ? u32(b, at) : 0;
    const cipher = new TextDecoder().decode(b.subarray(at + 4, at + 4 + Math.min(length, 64)));
    if (length > 0 && length <= 64 && /^[\w@.-]+$/.test(cipher)) {
      hits.push({ kind: 'openssh', what: `an OpenSSH private key${cipher === 'none' ? '' : ` (encrypted with ${cipher})`}`, offset: openssh });
    }
  }
  // Microsoft PVK: magic 0xB0B5F11E, little-endian (MS-PVK file header).
  if (b.length >= 24 && b[0] === 0x1e && b[1] === 0xf1 && b[2] === 0xb5 && b[3] === 0xb0) hits.push({ kind: 'microsoft-key-blob', what: 'a Microsoft PVK private key file' });
  // PRIVATEKEYBLOB: BLOBHEADER { bType 7, bVersion 2, reserved 0, aiKeyAlg } then "RSA2".
  for (let at = indexOf(b, RSA2_MAGIC); at >= 0; at = indexOf(b, RSA2_MAGIC, at + 1)) {
    if (at >= 8 && b[at - 8] === 0x07 && b[at - 7] === 0x02 && b[at - 6] === 0 && b[at - 5] === 0) {
      hits.push({ kind: 'microsoft-key-blob', what: 'a Microsoft CryptoAPI private key blob (PRIVATEKEYBLOB)', offset: at - 8 });
      break;
    }
  }
  const keystore = javaKeystore(b);
  if (keystore) hits.push({ kind: 'java-keystore', what: keystore });
  const pgp = openPgpSecretKey(b);
  if (pgp) hits.push({ kind: 'openpgp', what: pgp });
  return hits;
}

/**
 * A Java keystore (JKS magic 0xFEEDFEED, JCEKS 0xCECECECE, versions 1–2) whose entries include a
 * private key (tag 1) or a secret key (tag 3, JCEKS). Only trusted certificates (tag 2) pass;
 * an entry list that cannot be walked counts as holding a key.
 */
function javaKeystore(b: Uint8Array): string | undefined {
  if (b.length < 12) return undefined;
  const magic = u32(b, 0);
  if ((magic !== 0xfeedfeed && magic !== 0xcececece) || u32(b, 4) < 1 || u32(b, 4) > 2) return undefined;
  const count = u32(b, 8);
  let pos = 12;
  for (let i = 0; i < Math.min(count, 10_000); i++) {
    if (pos + 4 > b.length) return undefined; // cut off before any key entry: nothing secret here
    const tag = u32(b, pos);
    if (tag !== 2) return tag === 1 || tag === 3 ? 'a Java keystore holding a private or secret key' : 'a Java keystore Certdesk cannot read through';
    pos += 4;
    const skipUtf = () => {
      if (pos + 2 > b.length) return false;
      pos += 2 + ((b[pos]! << 8) | b[pos + 1]!);
      return true;
    };
    if (!skipUtf()) return undefined;
    pos += 8; // timestamp
    if (u32(b, 4) === 2 && !skipUtf()) return undefined; // certificate type
    if (pos + 4 > b.length) return undefined;
    pos += 4 + u32(b, pos);
  }
  return undefined;
}

/**
 * An OpenPGP Secret-Key or Secret-Subkey packet at the start (RFC 9580 §5.5.3: tag 5 or 7, old or
 * new packet format), version 3–6, then a creation time and a public-key algorithm id.
 */
function openPgpSecretKey(b: Uint8Array): string | undefined {
  const first = b[0] ?? 0;
  let tag: number;
  let at: number;
  if ((first & 0xc0) === 0xc0) {
    tag = first & 0x3f;
    const l = b[1] ?? 0;
    at = l < 192 ? 2 : l < 224 ? 3 : l === 255 ? 6 : -1;
  } else if ((first & 0xc0) === 0x80) {
    tag = (first >> 2) & 0x0f;
    at = [2, 3, 5, -1][first & 3]!;
  } else return undefined;
  if ((tag !== 5 && tag !== 7) || at < 0) return undefined;
  const version = b[at] ?? 0;
  const algorithm = b[at + (version === 3 ? 7 : 5)] ?? 0;
  if (version < 3 || version > 6 || ![1, 2, 3, 16, 17, 18, 19, 20, 22, 25, 26, 27, 28].includes(algorithm)) return undefined;
  return 'an OpenPGP secret key (binary)';
}
