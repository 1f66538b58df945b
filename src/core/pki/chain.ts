/**
 * Certificates as links in a chain: a strict DER reading of exactly the fields path building and
 * validation need (RFC 5280 §4.1), signature checks over WebCrypto, and a path builder that
 * tries alternatives within the work budgets strict TLS clients use.
 *
 * This module parses certificates itself (a small DER reader) instead of going through
 * @peculiar/x509: it must see the exact encoded bytes (the TBS that was signed, the raw names,
 * duplicate extensions, both signature AlgorithmIdentifiers) and must stay fast on the
 * thousands of certificates of a conformance run.
 */
import { limits } from './limits';
import { throwIfAborted } from '../errors';
import type { GeneralName } from './names/general-name';

// ---------------------------------------------------------------------------------------------
// DER

/** One DER element inside a byte array. */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the element. */
  end: number;
}

/** Thrown for bytes that are not the strict DER a certificate must be (RFC 5280 §4.1). */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** Reads one element with a single-byte tag and a minimal definite length (X.690 §10.1). */
export function readTlv(bytes: Uint8Array, pos: number, end: number = bytes.length): Tlv {
  if (pos + 2 > end) throw new DerError('truncated element');
  const tag = bytes[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used in certificates');
  let length = bytes[pos + 1]!;
  let contentStart = pos + 2;
  if (length === 0x80) throw new DerError('indefinite length is not DER');
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw new DerError('length too large');
    if (contentStart + count > end) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    if (bytes[contentStart] === 0 || length < 0x80) throw new DerError('non-minimal length');
    contentStart += count;
  }
  const elementEnd = contentStart + length;
  if (elementEnd > end) throw new DerError('length runs past the end');
  return { tag, start: pos, contentStart, end: elementEnd };
}

/** The elements inside a constructed element. */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.end) {
    const child = readTlv(bytes, pos, parent.end);
    out.push(child);
    pos = child.end;
  }
  return out;
}

function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv || tlv.tag !== tag) throw new DerError(`${what} missing or of the wrong type`);
  return tlv;
}

function content(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

/** Dotted form of an OBJECT IDENTIFIER's content octets. */
export function oidToString(c: Uint8Array): string {
  if (c.length === 0 || c.length > 64) throw new DerError('bad OID');
  const parts: number[] = [];
  let value = 0;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (value === 0 && b === 0x80) throw new DerError('non-minimal OID');
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) {
        const first = value < 40 ? 0 : value < 80 ? 1 : 2;
        parts.push(first, value - first * 40);
      } else parts.push(value);
      value = 0;
    }
  }
  if (c[c.length - 1]! & 0x80) throw new DerError('truncated OID');
  return parts.join('.');
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Names

const stringTags = new Set([0x0c, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e]);
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeString(tag: number, c: Uint8Array): string {
  if (tag === 0x0c) return utf8.decode(c);
  if (tag === 0x1e) {
    // BMPString: UCS-2 big-endian (X.680 §41).
    if (c.length % 2) throw new DerError('odd-length BMPString');
    let s = '';
    for (let i = 0; i < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
    return s;
  }
  if (tag === 0x1c) {
    if (c.length % 4) throw new DerError('bad UniversalString');
    let s = '';
    for (let i = 0; i < c.length; i += 4)
      s += String.fromCodePoint(((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0);
    return s;
  }
  return latin1.decode(c);
}

/** One attribute of a distinguished name, with its value compared the RFC 5280 §7.1 way. */
export interface NameAttribute {
  oid: string;
  /** The decoded value when it is a string type. */
  text?: string;
  /** Case-folded, whitespace-collapsed value (RFC 4518 in its common simplified form). */
  normalized: string;
}

export type DistinguishedName = NameAttribute[][];

/** Reads a Name (SEQUENCE OF RDN) from its TLV. */
export function parseName(bytes: Uint8Array, tlv: Tlv): DistinguishedName {
  expectTag(tlv, 0x30, 'name');
  return children(bytes, tlv).map((rdn) => {
    expectTag(rdn, 0x31, 'relative distinguished name');
    const attrs = children(bytes, rdn).map((atv) => {
      const [type, value] = children(bytes, expectTag(atv, 0x30, 'attribute'));
      const oid = oidToString(content(bytes, expectTag(type, 0x06, 'attribute type')));
      if (!value) throw new DerError('attribute value missing');
      if (stringTags.has(value.tag)) {
        const text = decodeString(value.tag, content(bytes, value));
        return { oid, text, normalized: text.trim().replace(/\s+/g, ' ').toLowerCase() };
      }
      return { oid, normalized: '#' + toHex(bytes.subarray(value.start, value.end)) };
    });
    if (attrs.length === 0) throw new DerError('empty relative distinguished name');
    return attrs;
  });
}

/** A key under which two names compare equal exactly when RFC 5280 §7.1 says they match. */
export function nameKey(name: DistinguishedName): string {
  return name
    .map((rdn) =>
      rdn
        .map((a) => `${a.oid}=${a.normalized}`)
        .sort()
        .join('+'),
    )
    .join(',');
}

const attributeNames: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** A one-line display form, most specific attribute first ("CN=…, O=…, C=…"). */
export function nameToString(name: DistinguishedName): string {
  if (name.length === 0) return '(empty name)';
  return [...name]
    .reverse()
    .map((rdn) =>
      rdn.map((a) => `${attributeNames[a.oid] ?? a.oid}=${a.text ?? a.normalized}`).join(' + '),
    )
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// General names (RFC 5280 §4.2.1.6)

// The type lives in names/general-name.ts; re-exported here for the code that reads it from chain.
export type { GeneralName } from './names/general-name';

function ia5(c: Uint8Array): string {
  for (const b of c) if (b > 0x7f) throw new DerError('non-ASCII byte in an IA5String');
  return latin1.decode(c);
}

export function parseGeneralName(bytes: Uint8Array, tlv: Tlv): GeneralName {
  switch (tlv.tag) {
    case 0x81:
      return { kind: 'email', value: ia5(content(bytes, tlv)) };
    case 0x82:
      return { kind: 'dns', value: ia5(content(bytes, tlv)) };
    case 0x86:
      return { kind: 'uri', value: ia5(content(bytes, tlv)) };
    case 0x87:
      return { kind: 'ip', bytes: content(bytes, tlv) };
    case 0xa4: {
      const inner = children(bytes, tlv);
      if (inner.length !== 1) throw new DerError('bad directoryName');
      return { kind: 'dn', name: parseName(bytes, inner[0]!) };
    }
    case 0xa0:
    case 0xa3:
    case 0xa5:
    case 0x88:
      return { kind: 'other', tag: tlv.tag };
    default:
      throw new DerError('unknown GeneralName choice');
  }
}

// ---------------------------------------------------------------------------------------------
// Certificates

export const oids = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  certificatePolicies: '2.5.29.32',
  policyConstraints: '2.5.29.36',
  policyMappings: '2.5.29.33',
  inhibitAnyPolicy: '2.5.29.54',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  anyExtendedKeyUsage: '2.5.29.37.0',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  emailAddress: '1.2.840.113549.1.9.1',
  commonName: '2.5.4.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

/** keyUsage bits (RFC 5280 §4.2.1.3), bit 0 = digitalSignature. */
export const keyUsageBits = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

export interface Extension {
  critical: boolean;
  value: Uint8Array;
}

/**
 * A certificate read for path building and validation. Extensions are decoded on first use
 * (see `extensions()` in path-validation.ts) so that an unused pool certificate with odd
 * extensions costs nothing and breaks nothing (limbo: unknown-critical-extension-unrelated-*).
 */
export interface ChainCertificate {
  der: Uint8Array;
  tbs: Uint8Array;
  /** The outer signatureAlgorithm and the one inside the TBS, as encoded (must be identical). */
  signatureAlgorithm: Uint8Array;
  tbsSignatureAlgorithm: Uint8Array;
  signatureAlgorithmOid: string;
  signature: Uint8Array;
  version: number;
  serial: Uint8Array;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  issuerKey: string;
  subjectKey: string;
  /** Seconds since the epoch (RFC 5280 §4.1.2.5 times have second granularity). */
  notBefore: number;
  notAfter: number;
  spki: Uint8Array;
  /** Identifies the key (hex of the SPKI). */
  spkiKey: string;
  keyAlgorithmOid: string;
  /** Raw parameters of the key algorithm (curve OID for EC). */
  keyParameters?: Uint8Array;
  /** Extensions by OID; a repeated OID is recorded in `duplicateExtensions`. */
  extensions: Map<string, Extension>;
  duplicateExtensions: string[];
  selfIssued: boolean;
  /** Decoded lazily by path-validation.ts. */
  decoded?: unknown;
}

function parseTime(bytes: Uint8Array, tlv: Tlv): number {
  const s = latin1.decode(content(bytes, tlv));
  let m: RegExpExecArray | null;
  let year: number;
  let rest: string;
  if (tlv.tag === 0x17) {
    m = /^(\d{2})(\d{10})Z$/.exec(s);
    if (!m) throw new DerError('bad UTCTime');
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 §4.1.2.5.1
    rest = m[2]!;
  } else if (tlv.tag === 0x18) {
    m = /^(\d{4})(\d{10})Z$/.exec(s);
    if (!m) throw new DerError('bad GeneralizedTime');
    year = Number(m[1]);
    rest = m[2]!;
  } else throw new DerError('bad time');
  const [mo, d, h, mi, se] = [0, 2, 4, 6, 8].map((i) => Number(rest.slice(i, i + 2))) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
    throw new DerError('bad time');
  return Date.UTC(year, mo - 1, d, h, mi, se) / 1000;
}

/**
 * Reads a DER certificate (RFC 5280 §4.1). Throws DerError when the structure is not a
 * certificate; extension contents are checked later, only for certificates a path uses.
 */
export function parseChainCertificate(der: Uint8Array): ChainCertificate {
  const outer = readTlv(der, 0);
  if (outer.tag !== 0x30 || outer.end !== der.length) throw new DerError('not a certificate');
  const [tbsTlv, algTlv, sigTlv, ...extra] = children(der, outer);
  if (extra.length) throw new DerError('extra fields after the signature');
  expectTag(tbsTlv, 0x30, 'tbsCertificate');
  expectTag(algTlv, 0x30, 'signatureAlgorithm');
  expectTag(sigTlv, 0x03, 'signature');
  const fields = children(der, tbsTlv!);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) {
    const [v] = children(der, fields[0]);
    const vc = content(der, expectTag(v, 0x02, 'version'));
    if (vc.length !== 1 || vc[0]! > 2) throw new DerError('bad version');
    version = vc[0]! + 1;
    i++;
  }
  const serial = content(der, expectTag(fields[i++], 0x02, 'serialNumber'));
  const tbsAlg = expectTag(fields[i++], 0x30, 'signature');
  const issuerTlv = expectTag(fields[i++], 0x30, 'issuer');
  const validity = children(der, expectTag(fields[i++], 0x30, 'validity'));
  const subjectTlv = expectTag(fields[i++], 0x30, 'subject');
  const spkiTlv = expectTag(fields[i++], 0x30, 'subjectPublicKeyInfo');
  if (validity.length !== 2) throw new DerError('bad validity');
  const extensions = new Map<string, Extension>();
  const duplicateExtensions: string[] = [];
  for (; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.tag === 0x81 || f.tag === 0x82) continue; // issuer/subject unique IDs
    if (f.tag !== 0xa3 || version !== 3) throw new DerError('unexpected field in tbsCertificate');
    const [seq] = children(der, f);
    for (const ext of children(der, expectTag(seq, 0x30, 'extensions'))) {
      const parts = children(der, expectTag(ext, 0x30, 'extension'));
      const oid = oidToString(content(der, expectTag(parts[0], 0x06, 'extnID')));
      let critical = false;
      let k = 1;
      if (parts[k]?.tag === 0x01) {
        const b = content(der, parts[k]!);
        if (b.length !== 1 || (b[0] !== 0 && b[0] !== 0xff)) throw new DerError('bad BOOLEAN');
        critical = b[0] === 0xff;
        k++;
      }
      const value = content(der, expectTag(parts[k], 0x04, 'extnValue'));
      if (parts.length !== k + 1) throw new DerError('bad extension');
      if (extensions.has(oid)) duplicateExtensions.push(oid);
      else extensions.set(oid, { critical, value });
    }
  }
  const [keyAlg] = children(der, spkiTlv);
  const keyAlgParts = children(der, expectTag(keyAlg, 0x30, 'key algorithm'));
  const keyAlgorithmOid = oidToString(content(der, expectTag(keyAlgParts[0], 0x06, 'key OID')));
  const issuer = parseName(der, issuerTlv);
  const subject = parseName(der, subjectTlv);
  const issuerKey = nameKey(issuer);
  const subjectKey = nameKey(subject);
  const sigBits = content(der, sigTlv!);
  if (sigBits[0] !== 0) throw new DerError('signature has unused bits');
  const algParts = children(der, algTlv!);
  const spki = der.subarray(spkiTlv.start, spkiTlv.end);
  const kp = keyAlgParts[1];
  return {
    der,
    tbs: der.subarray(tbsTlv!.start, tbsTlv!.end),
    signatureAlgorithm: der.subarray(algTlv!.start, algTlv!.end),
    tbsSignatureAlgorithm: der.subarray(tbsAlg.start, tbsAlg.end),
    signatureAlgorithmOid: oidToString(content(der, expectTag(algParts[0], 0x06, 'algorithm'))),
    signature: sigBits.subarray(1),
    version,
    serial,
    issuer,
    subject,
    issuerKey,
    subjectKey,
    notBefore: parseTime(der, validity[0]!),
    notAfter: parseTime(der, validity[1]!),
    spki,
    spkiKey: toHex(spki),
    keyAlgorithmOid,
    ...(kp ? { keyParameters: der.subarray(kp.start, kp.end) } : {}),
    extensions,
    duplicateExtensions,
    selfIssued: issuerKey === subjectKey,
  };
}

// ---------------------------------------------------------------------------------------------
// Signatures

const hashByRsaOid: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
const hashByEcdsaOid: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
const hashByOid: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
/** Algorithms strict clients refuse outright: collisions are practical (SHAttered, Flame). */
const weakAlgorithms: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'MD5 with RSA',
  '1.2.840.113549.1.1.2': 'MD2 with RSA',
  '1.2.840.113549.1.1.5': 'SHA-1 with RSA',
  '1.2.840.10045.4.1': 'ECDSA with SHA-1',
  '1.2.840.10040.4.3': 'DSA with SHA-1',
};

/**
 * SHA-1 signatures that may be checked when only recognising a self-signed root: the
 * self-signature of a trust anchor protects nothing (RFC 5280 §6.1.1 (d) takes the anchor's key
 * as given), and many roots still in the Mozilla store are self-signed with SHA-1.
 */
const sha1Algorithms: Record<string, 'rsa' | 'ecdsa'> = {
  '1.2.840.113549.1.1.5': 'rsa',
  '1.2.840.10045.4.1': 'ecdsa',
};

/** Curves the CA/Browser Forum Baseline Requirements §6.1.5 allow. */
export const curveByOid: Record<string, { name: string; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
};

export type SignatureCheck = { ok: true } | { ok: false; code: string; reason: string };

/** The curve OID inside an id-ecPublicKey SPKI, or undefined. */
export function ecCurveOid(cert: ChainCertificate): string | undefined {
  const p = cert.keyParameters;
  if (!p || p[0] !== 0x06) return undefined;
  try {
    return oidToString(content(p, readTlv(p, 0)));
  } catch {
    return undefined;
  }
}

/** RSA modulus size in bits and whether the public exponent is odd and at least 3 (RFC 8017 §A.1.1). */
export function rsaKeyShape(cert: ChainCertificate): { bits: number; exponentOk: boolean } | undefined {
  try {
    const spki = readTlv(cert.spki, 0);
    const [, bitString] = children(cert.spki, spki);
    if (bitString?.tag !== 0x03) return undefined;
    const key = cert.spki.subarray(bitString.contentStart + 1, bitString.end);
    const seq = readTlv(key, 0);
    const [n, e] = children(key, seq);
    if (n?.tag !== 0x02 || e?.tag !== 0x02) return undefined;
    let mod = key.subarray(n.contentStart, n.end);
    while (mod.length > 1 && mod[0] === 0) mod = mod.subarray(1);
    const bits = (mod.length - 1) * 8 + (32 - Math.clz32(mod[0]!));
    const exp = key.subarray(e.contentStart, e.end);
    const exponentOk = exp.length > 0 && exp.length <= 8 && !(exp[0]! & 0x80) && (exp[exp.length - 1]! & 1) === 1 && !(exp.length === 1 && exp[0]! < 3);
    return { bits, exponentOk };
  } catch {
    return undefined;
  }
}

/** ECDSA-Sig-Value (RFC 3279 §2.2.3) to WebCrypto's fixed-size r||s. */
function ecdsaDerToRaw(sig: Uint8Array, size: number): Uint8Array | undefined {
  try {
    const seq = readTlv(sig, 0);
    if (seq.tag !== 0x30 || seq.end !== sig.length) return undefined;
    const parts = children(sig, seq);
    if (parts.length !== 2) return undefined;
    const out = new Uint8Array(size * 2);
    for (let k = 0; k < 2; k++) {
      const p = parts[k]!;
      if (p.tag !== 0x02) return undefined;
      let v = content(sig, p);
      if (v.length === 0 || v[0]! & 0x80) return undefined;
      if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) return undefined; // non-minimal
      while (v.length > 1 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) return undefined;
      out.set(v, k * size + size - v.length);
    }
    return out;
  } catch {
    return undefined;
  }
}

interface PssParameters {
  hash: string;
  saltLength: number;
}

function hashOfAlgorithmIdentifier(bytes: Uint8Array, tlv: Tlv): string | undefined {
  const [oid] = children(bytes, expectTag(tlv, 0x30, 'hash algorithm'));
  return hashByOid[oidToString(content(bytes, expectTag(oid, 0x06, 'hash OID')))];
}

/** RSASSA-PSS-params (RFC 4055 §3.1); SHA-1 defaults are refused. */
function parsePssParameters(alg: Uint8Array): PssParameters | string {
  try {
    const seq = readTlv(alg, 0);
    const [, params] = children(alg, seq);
    if (!params || params.tag !== 0x30) return 'RSASSA-PSS without parameters means SHA-1';
    let hash: string | undefined;
    let mgfHash: string | undefined;
    let saltLength = 20;
    for (const field of children(alg, params)) {
      const [inner] = children(alg, field);
      if (!inner) return 'malformed RSASSA-PSS parameters';
      if (field.tag === 0xa0) hash = hashOfAlgorithmIdentifier(alg, inner);
      else if (field.tag === 0xa1) {
        const [mgfOid, mgfParams] = children(alg, expectTag(inner, 0x30, 'MGF'));
        if (oidToString(content(alg, expectTag(mgfOid, 0x06, 'MGF OID'))) !== '1.2.840.113549.1.1.8')
          return 'unsupported PSS mask generation function';
        if (!mgfParams) return 'malformed MGF1 parameters';
        mgfHash = hashOfAlgorithmIdentifier(alg, mgfParams);
      } else if (field.tag === 0xa2) {
        const c = content(alg, expectTag(inner, 0x02, 'saltLength'));
        if (c.length > 2 || c[0]! & 0x80) return 'bad PSS salt length';
        saltLength = c.reduce((n, b) => n * 256 + b, 0);
      } else if (field.tag === 0xa3) {
        const c = content(alg, expectTag(inner, 0x02, 'trailerField'));
        if (c.length !== 1 || c[0] !== 1) return 'bad PSS trailer field';
      } else return 'malformed RSASSA-PSS parameters';
    }
    if (!hash) return 'RSASSA-PSS with SHA-1 (or an unknown hash)';
    if (mgfHash !== hash) return 'RSASSA-PSS whose mask hash differs from its message hash';
    return { hash, saltLength };
  } catch {
    return 'malformed RSASSA-PSS parameters';
  }
}

/**
 * Checks `cert`'s signature with `issuer`'s public key over WebCrypto. Never throws: a key or
 * algorithm WebCrypto cannot use is a failed check with a reason.
 */
export async function verifySignature(
  cert: ChainCertificate,
  issuer: ChainCertificate,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
  options: { allowSha1?: boolean } = {},
): Promise<SignatureCheck> {
  const oid = cert.signatureAlgorithmOid;
  const weak = weakAlgorithms[oid];
  const sha1 = options.allowSha1 ? sha1Algorithms[oid] : undefined;
  if (weak && !sha1)
    return { ok: false, code: 'weak-signature-algorithm', reason: `it is signed with ${weak}, which is broken and refused by browsers` };
  let algorithm: AlgorithmIdentifier | RsaPssParams | EcdsaParams;
  let importParams: RsaHashedImportParams | EcKeyImportParams;
  let signature: Uint8Array = cert.signature;
  const rsaHash = hashByRsaOid[oid] ?? (sha1 === 'rsa' ? 'SHA-1' : undefined);
  const ecdsaHash = hashByEcdsaOid[oid] ?? (sha1 === 'ecdsa' ? 'SHA-1' : undefined);
  if (issuer.keyAlgorithmOid === oids.rsaEncryption) {
    // Refuse before any arithmetic: a huge modulus or exponent makes one check take seconds
    // (Go CVE-2023-29409 caps RSA at 8192 bits).
    const shape = rsaKeyShape(issuer);
    if (!shape || !shape.exponentOk || shape.bits > limits.maxRsaBits)
      return { ok: false, code: 'unsupported-key', reason: `the issuer’s RSA key is malformed, has an unusable exponent or exceeds ${limits.maxRsaBits} bits` };
  }
  if (rsaHash) {
    if (issuer.keyAlgorithmOid !== oids.rsaEncryption) return keyMismatch();
    algorithm = { name: 'RSASSA-PKCS1-v1_5' };
    importParams = { name: 'RSASSA-PKCS1-v1_5', hash: rsaHash };
  } else if (oid === oids.rsassaPss) {
    if (issuer.keyAlgorithmOid !== oids.rsaEncryption) return keyMismatch();
    const pss = parsePssParameters(cert.signatureAlgorithm);
    if (typeof pss === 'string') return { ok: false, code: 'unsupported-signature-algorithm', reason: pss };
    algorithm = { name: 'RSA-PSS', saltLength: pss.saltLength };
    importParams = { name: 'RSA-PSS', hash: pss.hash };
  } else if (ecdsaHash) {
    const curve = issuer.keyAlgorithmOid === oids.ecPublicKey ? curveByOid[ecCurveOid(issuer) ?? ''] : undefined;
    if (!curve) return keyMismatch();
    const raw = ecdsaDerToRaw(cert.signature, curve.size);
    if (!raw) return { ok: false, code: 'bad-signature', reason: 'its ECDSA signature is malformed' };
    signature = raw;
    algorithm = { name: 'ECDSA', hash: ecdsaHash };
    importParams = { name: 'ECDSA', namedCurve: curve.name };
  } else {
    return { ok: false, code: 'unsupported-signature-algorithm', reason: `its signature algorithm (${oid}) is not one browsers accept` };
  }
  try {
    const key = await subtle.importKey('spki', issuer.spki as BufferSource, importParams, false, ['verify']);
    const ok = await subtle.verify(algorithm, key, signature as BufferSource, cert.tbs as BufferSource);
    return ok ? { ok: true } : { ok: false, code: 'bad-signature', reason: 'its signature does not verify with the issuer’s key' };
  } catch {
    return { ok: false, code: 'bad-signature', reason: 'the issuer’s key cannot check its signature' };
  }

  function keyMismatch(): SignatureCheck {
    return { ok: false, code: 'bad-signature', reason: 'its signature algorithm does not fit the issuer’s key type' };
  }
}

// ---------------------------------------------------------------------------------------------
// Path building

/** A work budget ran out; the build stops with a typed problem instead of running on. */
export class BudgetExhausted extends Error {
  constructor(readonly budget: 'signature-checks' | 'path-build-calls' | 'name-constraint-checks') {
    super(`budget ${budget} exhausted`);
    this.name = 'BudgetExhausted';
  }
}

/** Work budgets for one build (numbers and sources in limits.ts). */
export class Budget {
  signatureChecks: number = limits.maxChainSignatureChecks;
  buildCalls: number = limits.maxPathBuildCalls;
  nameConstraintChecks: number = limits.maxNameConstraintChecks;

  spendSignatureCheck(): void {
    if (--this.signatureChecks < 0) throw new BudgetExhausted('signature-checks');
  }
  spendBuildCall(): void {
    if (--this.buildCalls < 0) throw new BudgetExhausted('path-build-calls');
  }
  spendNameConstraintChecks(n: number): void {
    this.nameConstraintChecks -= n;
    if (this.nameConstraintChecks < 0) throw new BudgetExhausted('name-constraint-checks');
  }
}

/** What the path builder reports back about a candidate issuer or a finished path. */
export interface CandidateVerdict<P> {
  ok: boolean;
  problems: P[];
}

export interface PathBuilderHooks<P> {
  /** Path-independent checks of a certificate used as an intermediate (cached by the caller). */
  checkIntermediate(cert: ChainCertificate): CandidateVerdict<P>;
  /** Path-independent checks of a trust anchor used to end a path. */
  checkAnchor(cert: ChainCertificate): CandidateVerdict<P>;
  /** Checks a whole candidate path leaf..anchor (path length, name constraints, names). */
  checkPath(path: ChainCertificate[]): CandidateVerdict<P>;
}

export interface PathBuildOutcome<P> {
  path?: ChainCertificate[];
  /** Problems of the first candidate path that reached a trust anchor but failed validation. */
  pathProblems?: P[];
  /** Problems of issuers that were found but could not be used. */
  candidateProblems: { cert: ChainCertificate; problems: P[] }[];
  /** Signature failures seen: the issuer was found by name but did not sign the certificate. */
  signatureFailures: { cert: ChainCertificate; issuer: ChainCertificate; check: SignatureCheck }[];
  /** The longest path of verified links that was found, leaf first. */
  longest: ChainCertificate[];
  /** Set when too many intermediates would have been needed. */
  depthExceeded: boolean;
  budgetExhausted?: BudgetExhausted['budget'];
}

/** An index of candidate issuers by subject name. */
export class CertificatePool {
  private readonly bySubject = new Map<string, ChainCertificate[]>();
  /** Buckets by a cheap fingerprint; membership is decided by comparing the whole DER. */
  private readonly seen = new Map<string, ChainCertificate[]>();

  constructor(certs: Iterable<ChainCertificate> = []) {
    for (const c of certs) this.add(c);
  }

  /** Adds a certificate unless the same DER is already present. Returns whether it was added. */
  add(cert: ChainCertificate): boolean {
    const id = toHex(cert.tbs.subarray(cert.tbs.length - 32)) + toHex(cert.signature.subarray(0, 32)) + cert.der.length;
    const bucket = this.seen.get(id);
    if (bucket?.some((c) => equalBytes(c.der, cert.der))) return false;
    if (bucket) bucket.push(cert);
    else this.seen.set(id, [cert]);
    const list = this.bySubject.get(cert.subjectKey);
    if (list) list.push(cert);
    else this.bySubject.set(cert.subjectKey, [cert]);
    return true;
  }

  has(cert: ChainCertificate): boolean {
    return (this.bySubject.get(cert.subjectKey) ?? []).some((c) => equalBytes(c.der, cert.der));
  }

  issuersOf(cert: ChainCertificate): ChainCertificate[] {
    return this.bySubject.get(cert.issuerKey) ?? [];
  }

  all(): ChainCertificate[] {
    return [...this.bySubject.values()].flat();
  }
}

/** The keyIdentifier of an AKI extension, if it can be read (a hint only: RFC 5280 §4.2.1.1). */
export function authorityKeyId(cert: ChainCertificate): Uint8Array | undefined {
  const ext = cert.extensions.get(oids.authorityKeyIdentifier);
  if (!ext) return undefined;
  try {
    const seq = readTlv(ext.value, 0);
    for (const f of children(ext.value, seq)) if (f.tag === 0x80) return content(ext.value, f);
  } catch {
    /* a malformed AKI is reported by validation; as a hint it is just absent */
  }
  return undefined;
}

export function subjectKeyId(cert: ChainCertificate): Uint8Array | undefined {
  const ext = cert.extensions.get(oids.subjectKeyIdentifier);
  if (!ext) return undefined;
  try {
    const t = readTlv(ext.value, 0);
    if (t.tag === 0x04 && t.end === ext.value.length) return content(ext.value, t);
  } catch {
    /* reported by validation */
  }
  return undefined;
}

/**
 * Builds paths from `leaf` to a certificate of `anchors`, depth first, trying every candidate
 * issuer (by name; AKI/SKI only orders them) until one path passes `hooks.checkPath`
 * (RFC 4158 §2–3). A (subject, key) pair never repeats in a path (RFC 4158 §5.2), which also
 * ends cross-signing loops. Stops with `budgetExhausted` when a budget runs out.
 */
export async function buildPath<P>(
  leaf: ChainCertificate,
  anchors: CertificatePool,
  intermediates: CertificatePool,
  hooks: PathBuilderHooks<P>,
  options: { maxIntermediates: number; budget?: Budget; subtle?: SubtleCrypto; signal?: AbortSignal },
): Promise<PathBuildOutcome<P>> {
  const budget = options.budget ?? new Budget();
  // Keyed by the certificate object and the issuer's key: never by bytes an attacker could
  // repeat in a different certificate.
  const signatureCache = new Map<ChainCertificate, Map<string, Promise<SignatureCheck>>>();
  const intermediateVerdicts = new Map<ChainCertificate, CandidateVerdict<P>>();
  const anchorVerdicts = new Map<ChainCertificate, CandidateVerdict<P>>();
  const outcome: PathBuildOutcome<P> = {
    candidateProblems: [],
    signatureFailures: [],
    longest: [leaf],
    depthExceeded: false,
  };
  const reportedCandidates = new Set<ChainCertificate>();

  const verified = (cert: ChainCertificate, issuer: ChainCertificate): Promise<SignatureCheck> => {
    // Cached per (issuer key, certificate) within this build.
    let perCert = signatureCache.get(cert);
    if (!perCert) signatureCache.set(cert, (perCert = new Map()));
    let p = perCert.get(issuer.spkiKey);
    if (!p) {
      budget.spendSignatureCheck();
      p = verifySignature(cert, issuer, options.subtle);
      perCert.set(issuer.spkiKey, p);
    }
    return p;
  };

  const order = (cert: ChainCertificate, list: ChainCertificate[]): ChainCertificate[] => {
    const aki = authorityKeyId(cert);
    if (!aki) return list;
    const score = (c: ChainCertificate): number => {
      const ski = subjectKeyId(c);
      return !ski ? 1 : equalBytes(ski, aki) ? 0 : 2;
    };
    return [...list].sort((a, b) => score(a) - score(b));
  };

  const identities = new Set<string>();
  const identity = (c: ChainCertificate): string => c.subjectKey + '|' + c.spkiKey;

  const noteCandidate = (cert: ChainCertificate, verdict: CandidateVerdict<P>): void => {
    if (!reportedCandidates.has(cert)) {
      reportedCandidates.add(cert);
      outcome.candidateProblems.push({ cert, problems: verdict.problems });
    }
  };

  const extend = async (path: ChainCertificate[]): Promise<boolean> => {
    budget.spendBuildCall();
    throwIfAborted(options.signal);
    const cert = path[path.length - 1]!;
    const anchorCandidates = order(cert, anchors.issuersOf(cert));
    for (const anchor of anchorCandidates) {
      // No (subject, key) twice in a path, the anchor included (RFC 4158 §5.2).
      if (identities.has(identity(anchor)) || identity(leaf) === identity(anchor)) continue;
      let verdict = anchorVerdicts.get(anchor);
      if (!verdict) anchorVerdicts.set(anchor, (verdict = hooks.checkAnchor(anchor)));
      const check = await verified(cert, anchor);
      if (!check.ok) {
        outcome.signatureFailures.push({ cert, issuer: anchor, check });
        continue;
      }
      if (!verdict.ok) {
        noteCandidate(anchor, verdict);
        continue;
      }
      const full = [...path, anchor];
      const result = hooks.checkPath(full);
      if (result.ok) {
        outcome.path = full;
        return true;
      }
      if (!outcome.pathProblems) outcome.pathProblems = result.problems;
    }
    for (const candidate of order(cert, intermediates.issuersOf(cert))) {
      if (anchors.has(candidate)) continue;
      const id = identity(candidate);
      if (identities.has(id) || identity(leaf) === id) continue;
      if (path.length - 1 >= options.maxIntermediates) {
        outcome.depthExceeded = true;
        continue;
      }
      const check = await verified(cert, candidate);
      if (!check.ok) {
        outcome.signatureFailures.push({ cert, issuer: candidate, check });
        continue;
      }
      let verdict = intermediateVerdicts.get(candidate);
      if (!verdict) intermediateVerdicts.set(candidate, (verdict = hooks.checkIntermediate(candidate)));
      const next = [...path, candidate];
      if (next.length > outcome.longest.length) outcome.longest = next;
      if (!verdict.ok) {
        noteCandidate(candidate, verdict);
        continue;
      }
      identities.add(id);
      const done = await extend(next);
      identities.delete(id);
      if (done) return true;
    }
    return false;
  };

  try {
    await extend([leaf]);
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    outcome.budgetExhausted = error.budget;
  }
  return outcome;
}
