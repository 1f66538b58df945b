/**
 * Test chains root → intermediate(s) → leaf that are valid by every rule of the validation table
 * (src/core/pki/validation/rules.ts) by default, and that can break exactly one thing at a time:
 * any field of any certificate, any extension (omitted, criticality flipped, value replaced,
 * duplicated, unknown ones added), keys, names, times, algorithm identifiers.
 *
 * Independent of the code under test: DER is written with the asn1 `der` writer only (no reader,
 * no certificate code) and every signature is made by Node's `crypto` (OpenSSL), not by Certdesk's
 * signer. Keys are generated once per test file (module cache) so hundreds of chains build fast.
 */
import { createHash, generateKeyPairSync, randomBytes, sign as nodeSign, constants, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { der, OID, TAG } from '../../src/core/pki/asn1';

// ---------------------------------------------------------------------------------------------
// Keys

/** `rsa1024` and `rsa2052` exist to break the key-size rules (too small; not a whole number of bytes). */
export type KeyKind = 'rsa1024' | 'rsa2052' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'p256' | 'p384' | 'p521' | 'ed25519';

export interface KeyPair {
  kind: KeyKind;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The subjectPublicKey BIT STRING contents: RSAPublicKey DER, the EC point, or the Ed25519 key. */
  rawPublicKey: Uint8Array;
}

const keyCache = new Map<string, KeyPair>();

function base64url(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/**
 * The key pair of `kind` for `slot` (e.g. "root", "intermediate-0", "leaf"), generated on first
 * use and then reused for the rest of the test file.
 */
export function keyPair(kind: KeyKind, slot = 'default'): KeyPair {
  const id = `${kind}/${slot}`;
  const cached = keyCache.get(id);
  if (cached) return cached;
  const pair =
    kind === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : kind.startsWith('rsa')
        ? generateKeyPairSync('rsa', { modulusLength: Number(kind.slice(3)), publicExponent: 65537 })
        : generateKeyPairSync('ec', { namedCurve: { p256: 'prime256v1', p384: 'secp384r1', p521: 'secp521r1' }[kind as 'p256']! });
  let rawPublicKey: Uint8Array;
  if (kind.startsWith('rsa')) rawPublicKey = new Uint8Array(pair.publicKey.export({ type: 'pkcs1', format: 'der' }));
  else {
    const jwk = pair.publicKey.export({ format: 'jwk' });
    rawPublicKey = kind === 'ed25519' ? base64url(jwk.x!) : Uint8Array.from([4, ...base64url(jwk.x!), ...base64url(jwk.y!)]);
  }
  const made: KeyPair = { kind, privateKey: pair.privateKey, publicKey: pair.publicKey, rawPublicKey };
  keyCache.set(id, made);
  return made;
}

const curveOid = { p256: OID.secp256r1, p384: OID.secp384r1, p521: OID.secp521r1 } as const;

/** The AlgorithmIdentifier of a key in its SubjectPublicKeyInfo, as BR §7.1.3.1 encodes it. */
export function keyAlgorithmIdentifier(kind: KeyKind): Uint8Array {
  if (kind.startsWith('rsa')) return der.sequence(der.oid(OID.rsaEncryption), der.nullValue());
  if (kind === 'ed25519') return der.sequence(der.oid(OID.ed25519));
  return der.sequence(der.oid(OID.ecPublicKey), der.oid(curveOid[kind as keyof typeof curveOid]));
}

/** A SubjectPublicKeyInfo for `key`, with its standard AlgorithmIdentifier or the one given. */
export function subjectPublicKeyInfo(key: KeyPair, algorithm: Uint8Array = keyAlgorithmIdentifier(key.kind)): Uint8Array {
  return der.sequence(algorithm, der.bitString(key.rawPublicKey));
}

/** The explicit (SpecifiedECDomain) parameters of P-256, from the OpenSSL CLI. */
export function explicitP256Parameters(): Uint8Array {
  const result = spawnSync('openssl', ['ecparam', '-name', 'prime256v1', '-param_enc', 'explicit', '-outform', 'DER']);
  if (result.status !== 0) throw new Error(`openssl ecparam failed: ${result.stderr.toString()}`);
  return new Uint8Array(result.stdout);
}

/** Key identifier method (1) of RFC 5280 §4.2.1.2: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(key: KeyPair): Uint8Array {
  return new Uint8Array(createHash('sha1').update(key.rawPublicKey).digest());
}

// ---------------------------------------------------------------------------------------------
// Signatures

export type Hash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** How an issuer signs: the scheme, the hash, and (PSS) the salt length. */
export interface Signing {
  scheme: 'pkcs1' | 'pss' | 'ecdsa' | 'eddsa';
  hash: Hash | null;
  saltLength?: number;
}

/** The signing BR §7.1.3.2 prescribes for a key: SHA-256 for RSA and P-256, SHA-384, SHA-512. */
export function defaultSigning(kind: KeyKind): Signing {
  if (kind.startsWith('rsa')) return { scheme: 'pkcs1', hash: 'sha256' };
  if (kind === 'ed25519') return { scheme: 'eddsa', hash: null };
  return { scheme: 'ecdsa', hash: ({ p256: 'sha256', p384: 'sha384', p521: 'sha512' } as const)[kind as 'p256'] };
}

const hashOid: Record<Hash, string> = { sha1: OID.sha1, sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512 };
const rsaOid: Record<Hash, string> = { sha1: OID.sha1WithRSAEncryption, sha256: OID.sha256WithRSAEncryption, sha384: OID.sha384WithRSAEncryption, sha512: OID.sha512WithRSAEncryption };
const ecdsaOid: Record<Hash, string> = { sha1: OID.ecdsaWithSHA1, sha256: OID.ecdsaWithSHA256, sha384: OID.ecdsaWithSHA384, sha512: OID.ecdsaWithSHA512 };

/** The AlgorithmIdentifier of a signing, byte for byte as BR §7.1.3.2 lists it. */
export function signatureAlgorithmIdentifier(signing: Signing): Uint8Array {
  switch (signing.scheme) {
    case 'pkcs1':
      return der.sequence(der.oid(rsaOid[signing.hash!]), der.nullValue());
    case 'ecdsa':
      return der.sequence(der.oid(ecdsaOid[signing.hash!]));
    case 'eddsa':
      return der.sequence(der.oid(OID.ed25519));
    case 'pss': {
      const hash = der.sequence(der.oid(hashOid[signing.hash!]), der.nullValue());
      const salt = signing.saltLength ?? { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[signing.hash!];
      return der.sequence(der.oid(OID.rsassaPss), der.sequence(der.explicit(0, hash), der.explicit(1, der.sequence(der.oid(OID.mgf1), hash)), der.explicit(2, der.integer(salt))));
    }
  }
}

function signBytes(data: Uint8Array, key: KeyPair, signing: Signing): Uint8Array {
  if (signing.scheme === 'pss') {
    const salt = signing.saltLength ?? { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[signing.hash!];
    return new Uint8Array(nodeSign(signing.hash, data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: salt }));
  }
  return new Uint8Array(nodeSign(signing.hash, data, signing.scheme === 'ecdsa' ? { key: key.privateKey, dsaEncoding: 'der' } : key.privateKey));
}

// ---------------------------------------------------------------------------------------------
// Names

/** One attribute; `value` is text (UTF-8 encoded) or the raw content octets; `tag` the string type. */
export interface Attribute {
  oid: string;
  value: string | Uint8Array;
  tag?: number;
}

/** A Name: one entry per RDN; an array entry is a multi-valued RDN. */
export type NameSpec = readonly (Attribute | readonly Attribute[])[];

const utf8 = new TextEncoder();

function attributeDer(a: Attribute): Uint8Array {
  const tag = a.tag ?? (a.oid === OID.countryName || a.oid === OID.serialNumber ? TAG.PRINTABLE_STRING : a.oid === OID.emailAddress || a.oid === OID.domainComponent ? TAG.IA5_STRING : TAG.UTF8_STRING);
  return der.sequence(der.oid(a.oid), der.tlv(tag, typeof a.value === 'string' ? utf8.encode(a.value) : a.value));
}

/** A DER Name. RDN SETs are written as given (a test may want an unsorted multi-valued RDN). */
export function name(spec: NameSpec): Uint8Array {
  return der.sequence(...spec.map((rdn) => der.tlv(TAG.SET, ...(Array.isArray(rdn) ? (rdn as readonly Attribute[]) : [rdn as Attribute]).map(attributeDer))));
}

export const attr = {
  cn: (value: string | Uint8Array, tag?: number): Attribute => ({ oid: OID.commonName, value, ...(tag !== undefined ? { tag } : {}) }),
  c: (value: string, tag?: number): Attribute => ({ oid: OID.countryName, value, ...(tag !== undefined ? { tag } : {}) }),
  o: (value: string, tag?: number): Attribute => ({ oid: OID.organizationName, value, ...(tag !== undefined ? { tag } : {}) }),
  ou: (value: string): Attribute => ({ oid: OID.organizationalUnitName, value }),
  email: (value: string): Attribute => ({ oid: OID.emailAddress, value }),
};

// ---------------------------------------------------------------------------------------------
// General names (RFC 5280 §4.2.1.6)

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

/** IPv4 dotted quad or IPv6 text (with `::`) to 4 or 16 bytes. */
export function ipBytes(text: string): Uint8Array {
  if (!text.includes(':')) return Uint8Array.from(text.split('.').map(Number));
  const [head = '', tail] = text.split('::');
  const words = (s: string) => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16)));
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return Uint8Array.from(all.flatMap((w) => [w >> 8, w & 0xff]));
}

export const generalName = {
  dns: (value: string): Uint8Array => der.tlv(0x82, ascii(value)),
  email: (value: string): Uint8Array => der.tlv(0x81, ascii(value)),
  uri: (value: string): Uint8Array => der.tlv(0x86, ascii(value)),
  /** An address as text, or raw octets (any length, for malformed entries and constraints). */
  ip: (value: string | Uint8Array): Uint8Array => der.tlv(0x87, typeof value === 'string' ? ipBytes(value) : value),
  directory: (nameDer: Uint8Array): Uint8Array => der.tlv(0xa4, nameDer),
  other: (typeId: string, value: Uint8Array): Uint8Array => der.tlv(0xa0, der.oid(typeId), der.explicit(0, value)),
  registeredId: (oid: string): Uint8Array => der.implicit(8, der.oid(oid)),
};

// ---------------------------------------------------------------------------------------------
// Extensions (RFC 5280 §4.2)

/** One extension; `value` is the extnValue contents (the DER the OCTET STRING wraps). */
export interface Extension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
  /** Writes `critical FALSE` explicitly, which DER forbids (X.690 §11.5). */
  explicitFalse?: boolean;
}

export const keyUsageBit = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, dataEncipherment: 3, keyAgreement: 4, keyCertSign: 5, cRLSign: 6, encipherOnly: 7, decipherOnly: 8 } as const;
export type KeyUsageName = keyof typeof keyUsageBit;

/** Builders for every extension the table has rules about, each with its usual criticality. */
export const ext = {
  raw: (oid: string, value: Uint8Array, critical = false): Extension => ({ oid, critical, value }),
  basicConstraints: (ca: boolean, pathLen?: number, critical = true): Extension =>
    ext.raw(OID.basicConstraints, der.sequence(...(ca ? [der.boolean(true)] : []), ...(pathLen !== undefined ? [der.integer(pathLen)] : [])), critical),
  keyUsage: (usages: readonly KeyUsageName[], critical = true): Extension => ext.raw(OID.keyUsage, der.namedBits(usages.map((u) => keyUsageBit[u])), critical),
  extKeyUsage: (oids: readonly string[], critical = false): Extension => ext.raw(OID.extKeyUsage, der.sequence(...oids.map((o) => der.oid(o))), critical),
  subjectAltName: (names: readonly Uint8Array[], critical = false): Extension => ext.raw(OID.subjectAltName, der.sequence(...names), critical),
  subjectKeyIdentifier: (id: Uint8Array): Extension => ext.raw(OID.subjectKeyIdentifier, der.octetString(id)),
  authorityKeyIdentifier: (fields: { keyId?: Uint8Array; issuer?: readonly Uint8Array[]; serial?: Uint8Array }): Extension =>
    ext.raw(
      OID.authorityKeyIdentifier,
      der.sequence(
        ...(fields.keyId ? [der.tlv(0x80, fields.keyId)] : []),
        ...(fields.issuer ? [der.tlv(0xa1, ...fields.issuer)] : []),
        ...(fields.serial ? [der.implicit(2, der.integer(fields.serial))] : []),
      ),
    ),
  /** Subtrees are GeneralName DERs; `minimum`/`maximum` are written into every subtree when given. */
  nameConstraints: (c: { permitted?: readonly Uint8Array[]; excluded?: readonly Uint8Array[]; minimum?: number; maximum?: number }, critical = true): Extension => {
    const subtree = (base: Uint8Array) =>
      der.sequence(base, ...(c.minimum !== undefined ? [der.implicit(0, der.integer(c.minimum))] : []), ...(c.maximum !== undefined ? [der.implicit(1, der.integer(c.maximum))] : []));
    return ext.raw(
      OID.nameConstraints,
      der.sequence(...(c.permitted ? [der.tlv(0xa0, ...c.permitted.map(subtree))] : []), ...(c.excluded ? [der.tlv(0xa1, ...c.excluded.map(subtree))] : [])),
      critical,
    );
  },
  /** Policies as OIDs, or with raw PolicyQualifierInfo DERs. */
  certificatePolicies: (policies: readonly (string | { oid: string; qualifiers: readonly Uint8Array[] })[], critical = false): Extension =>
    ext.raw(
      OID.certificatePolicies,
      der.sequence(...policies.map((p) => (typeof p === 'string' ? der.sequence(der.oid(p)) : der.sequence(der.oid(p.oid), der.sequence(...p.qualifiers))))),
      critical,
    ),
  policyMappings: (pairs: readonly (readonly [string, string])[], critical = true): Extension =>
    ext.raw(OID.policyMappings, der.sequence(...pairs.map(([from, to]) => der.sequence(der.oid(from), der.oid(to)))), critical),
  policyConstraints: (c: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number }, critical = true): Extension =>
    ext.raw(
      OID.policyConstraints,
      der.sequence(
        ...(c.requireExplicitPolicy !== undefined ? [der.implicit(0, der.integer(c.requireExplicitPolicy))] : []),
        ...(c.inhibitPolicyMapping !== undefined ? [der.implicit(1, der.integer(c.inhibitPolicyMapping))] : []),
      ),
      critical,
    ),
  inhibitAnyPolicy: (skipCerts: number, critical = true): Extension => ext.raw(OID.inhibitAnyPolicy, der.integer(skipCerts), critical),
  crlDistributionPoints: (urls: readonly string[]): Extension =>
    ext.raw(OID.cRLDistributionPoints, der.sequence(der.sequence(der.explicit(0, der.tlv(0xa0, ...urls.map(generalName.uri)))))),
  authorityInfoAccess: (a: { ocsp?: readonly string[]; caIssuers?: readonly string[] }): Extension =>
    ext.raw(
      OID.authorityInfoAccess,
      der.sequence(
        ...(a.ocsp ?? []).map((u) => der.sequence(der.oid(OID.ocsp), generalName.uri(u))),
        ...(a.caIssuers ?? []).map((u) => der.sequence(der.oid(OID.caIssuers), generalName.uri(u))),
      ),
    ),
};

function extensionDer(e: Extension): Uint8Array {
  return der.sequence(der.oid(e.oid), ...(e.critical ? [der.boolean(true)] : e.explicitFalse ? [der.boolean(false)] : []), der.octetString(e.value));
}

/** The content octets of a short or long form OCTET STRING (an SKI's key identifier). */
function octetStringContent(value: Uint8Array): Uint8Array {
  const first = value[1]!;
  return first < 0x80 ? value.subarray(2) : value.subarray(2 + (first & 0x7f));
}

// ---------------------------------------------------------------------------------------------
// Times

/** A Time: UTCTime or GeneralizedTime as RFC 5280 §4.1.2.5 picks by year, or the encoding given. */
export function time(date: Date, encoding?: 'utc' | 'generalized'): Uint8Array {
  if (encoding === undefined) return der.time(date);
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '') + 'Z';
  return encoding === 'utc' ? der.tlv(TAG.UTC_TIME, ascii(digits.slice(2))) : der.tlv(TAG.GENERALIZED_TIME, ascii(digits));
}

// ---------------------------------------------------------------------------------------------
// Certificates

/**
 * Every field of a certificate, as DER pieces, so a test can set any of them to anything:
 * `serial` is the INTEGER's raw content octets (empty, negative, 21 bytes …), names and times
 * are whole DER elements, `extensions: null` leaves the [3] field out.
 */
export interface CertificateSpec {
  /** The version INTEGER (2 = v3), or null to omit the field (v1 by default). */
  version: number | null;
  serial: Uint8Array;
  /** The AlgorithmIdentifier in the TBSCertificate. */
  signatureAlgorithm: Uint8Array;
  /** Certificate.signatureAlgorithm; the same as `signatureAlgorithm` unless set. */
  outerSignatureAlgorithm?: Uint8Array;
  issuer: Uint8Array;
  notBefore: Uint8Array;
  notAfter: Uint8Array;
  subject: Uint8Array;
  spki: Uint8Array;
  /** UniqueIdentifier bits (whole bytes). */
  issuerUniqueId?: Uint8Array;
  subjectUniqueId?: Uint8Array;
  extensions: Extension[] | null;
  /** How the issuer signs (default: BR §7.1.3.2 for the issuer's key). */
  signing?: Signing;
  /** Flips a bit of the signature after signing. */
  corruptSignature?: boolean;
}

/** The DER TBSCertificate of a spec. */
export function tbsCertificate(spec: CertificateSpec): Uint8Array {
  return der.sequence(
    ...(spec.version === null ? [] : [der.explicit(0, der.integer(spec.version))]),
    der.tlv(TAG.INTEGER, spec.serial),
    spec.signatureAlgorithm,
    spec.issuer,
    der.sequence(spec.notBefore, spec.notAfter),
    spec.subject,
    spec.spki,
    ...(spec.issuerUniqueId ? [der.implicit(1, der.bitString(spec.issuerUniqueId))] : []),
    ...(spec.subjectUniqueId ? [der.implicit(2, der.bitString(spec.subjectUniqueId))] : []),
    ...(spec.extensions === null ? [] : [der.explicit(3, der.sequence(...spec.extensions.map(extensionDer)))]),
  );
}

/** Signs a spec with the issuer's key (Node's crypto) and returns the certificate DER. */
export function signCertificate(spec: CertificateSpec, issuerKey: KeyPair): Uint8Array {
  const tbs = tbsCertificate(spec);
  const signature = signBytes(tbs, issuerKey, spec.signing ?? defaultSigning(issuerKey.kind));
  if (spec.corruptSignature) signature[signature.length - 1]! ^= 0x01;
  return der.sequence(tbs, spec.outerSignatureAlgorithm ?? spec.signatureAlgorithm, der.bitString(signature));
}

/** A positive serial of `length` random bytes without a leading zero byte. */
export function randomSerial(length = 16): Uint8Array {
  const bytes = new Uint8Array(randomBytes(length));
  bytes[0] = (bytes[0]! % 0x7f) + 1;
  return bytes;
}

/** A certificate with what went into it. */
export interface Issued {
  der: Uint8Array;
  spec: CertificateSpec;
  key: KeyPair;
  /** The key identifier children put into their AKI: this certificate's SKI, else its key's. */
  keyId: Uint8Array;
}

function issued(spec: CertificateSpec, key: KeyPair, issuerKey: KeyPair): Issued {
  const ski = spec.extensions?.find((e) => e.oid === OID.subjectKeyIdentifier);
  return { der: signCertificate(spec, issuerKey), spec, key, keyId: ski ? octetStringContent(ski.value) : keyIdentifier(key) };
}

// ---------------------------------------------------------------------------------------------
// Chains

/** The moment every default chain is valid at (validity windows are laid around it). */
export const validationTime = new Date('2026-06-01T12:00:00Z');
/** The host name the default leaf is issued for. */
export const defaultHostname = 'appliance.example.com';

const day = 24 * 3600 * 1000;
const at = (days: number) => new Date(validationTime.getTime() + days * day);

export type Role = 'root' | 'intermediate' | 'leaf';

export interface TweakContext {
  role: Role;
  /** Position among the intermediates (0 = issued by the root); 0 for root and leaf. */
  index: number;
  key: KeyPair;
  /** The certificate that issues this one (undefined for the root). */
  issuer?: Issued;
}

/** Changes a certificate's spec before it is signed; see withoutExtension etc. below. */
export type Tweak = (spec: CertificateSpec, context: TweakContext) => CertificateSpec;

export interface ChainOptions {
  /** Key types (default P-256 everywhere). */
  keys?: { root?: KeyKind; intermediate?: KeyKind; leaf?: KeyKind };
  /** How many intermediates (default 1). */
  intermediates?: number;
  /** The leaf's subjectAltName entries (default: dNSName appliance.example.com). */
  leafNames?: readonly Uint8Array[];
  root?: Tweak;
  /** Applied to every intermediate. */
  intermediate?: Tweak;
  leaf?: Tweak;
}

export interface Chain {
  root: Issued;
  /** Issued by the root first; the last one issued the leaf. */
  intermediates: Issued[];
  leaf: Issued;
  /** The pool buildAndValidate takes. */
  pool: { intermediates: Uint8Array[]; roots: Uint8Array[] };
}

const caSubject = (cn: string): Uint8Array => name([attr.c('DE'), attr.o('Certdesk Test'), attr.cn(cn)]);

/** The default spec of a role: valid by every rule in the table. */
export function defaultSpec(context: TweakContext, leafNames: readonly Uint8Array[]): CertificateSpec {
  const { role, index, key, issuer } = context;
  const issuerKey = issuer?.key ?? key;
  const base = {
    version: 2,
    serial: randomSerial(),
    signatureAlgorithm: signatureAlgorithmIdentifier(defaultSigning(issuerKey.kind)),
    spki: subjectPublicKeyInfo(key),
  };
  const aki = issuer ? [ext.authorityKeyIdentifier({ keyId: issuer.keyId })] : [];
  const ski = ext.subjectKeyIdentifier(keyIdentifier(key));
  if (role === 'root') {
    const subject = caSubject('Certdesk Test Root');
    return {
      ...base,
      issuer: subject,
      subject,
      notBefore: time(at(-730)),
      notAfter: time(at(365 * 13)),
      extensions: [ext.basicConstraints(true), ext.keyUsage(['keyCertSign', 'cRLSign']), ski, ext.authorityKeyIdentifier({ keyId: keyIdentifier(key) })],
    };
  }
  if (role === 'intermediate')
    return {
      ...base,
      issuer: issuer!.spec.subject,
      subject: caSubject(`Certdesk Test Intermediate ${index + 1}`),
      notBefore: time(at(-365)),
      notAfter: time(at(365 * 5)),
      extensions: [
        ...aki,
        ext.basicConstraints(true),
        ext.keyUsage(['keyCertSign', 'cRLSign']),
        ski,
        ext.extKeyUsage([OID.serverAuth, OID.clientAuth]),
        ext.certificatePolicies(['2.23.140.1.2.1']),
        ext.crlDistributionPoints([`http://crl.example.com/intermediate-${index + 1}.crl`]),
        ext.authorityInfoAccess({ ocsp: ['http://ocsp.example.com'], caIssuers: ['http://ca.example.com/issuer.cer'] }),
      ],
    };
  return {
    ...base,
    issuer: issuer!.spec.subject,
    subject: name([attr.cn(defaultHostname)]),
    notBefore: time(at(-31)),
    notAfter: time(at(61)),
    extensions: [
      ...aki,
      ext.keyUsage(['digitalSignature']),
      ext.extKeyUsage([OID.serverAuth]),
      ext.subjectAltName(leafNames),
      ext.certificatePolicies(['2.23.140.1.2.1']),
      ext.authorityInfoAccess({ ocsp: ['http://ocsp.example.com'], caIssuers: ['http://ca.example.com/intermediate.cer'] }),
    ],
  };
}

/**
 * Builds root → intermediates → leaf, top down: each certificate's issuer name and AKI follow
 * from its issuer as finally built, so a tweak of a CA carries through to what it signs.
 */
export function buildChain(options: ChainOptions = {}): Chain {
  const leafNames = options.leafNames ?? [generalName.dns(defaultHostname)];
  const make = (role: Role, index: number, kind: KeyKind, issuer: Issued | undefined, tweak: Tweak | undefined): Issued => {
    const key = keyPair(kind, role === 'intermediate' ? `intermediate-${index}` : role);
    const context: TweakContext = { role, index, key, ...(issuer ? { issuer } : {}) };
    const spec = tweak ? tweak(defaultSpec(context, leafNames), context) : defaultSpec(context, leafNames);
    return issued(spec, key, issuer?.key ?? key);
  };
  const root = make('root', 0, options.keys?.root ?? 'p256', undefined, options.root);
  const intermediates: Issued[] = [];
  let issuer = root;
  for (let i = 0; i < (options.intermediates ?? 1); i++) {
    issuer = make('intermediate', i, options.keys?.intermediate ?? 'p256', issuer, options.intermediate);
    intermediates.push(issuer);
  }
  const leaf = make('leaf', 0, options.keys?.leaf ?? 'p256', issuer, options.leaf);
  return { root, intermediates, leaf, pool: { intermediates: intermediates.map((c) => c.der), roots: [root.der] } };
}

// ---------------------------------------------------------------------------------------------
// Tweaks that break one thing

/** Applies tweaks in order. */
export function compose(...tweaks: Tweak[]): Tweak {
  return (spec, context) => tweaks.reduce((s, t) => t(s, context), spec);
}

const extensionsOf = (spec: CertificateSpec): Extension[] => spec.extensions ?? [];

/** Leaves the extension out. */
export function withoutExtension(oid: string): Tweak {
  return (spec) => ({ ...spec, extensions: extensionsOf(spec).filter((e) => e.oid !== oid) });
}

/** Marks the extension critical or not. */
export function withCritical(oid: string, critical: boolean): Tweak {
  return (spec) => ({ ...spec, extensions: extensionsOf(spec).map((e) => (e.oid === oid ? { ...e, critical } : e)) });
}

/** Replaces the extension's value (the extnValue contents) with raw DER. */
export function withExtensionValue(oid: string, value: Uint8Array): Tweak {
  return (spec) => ({ ...spec, extensions: extensionsOf(spec).map((e) => (e.oid === oid ? { ...e, value } : e)) });
}

/** Puts in the extension, replacing one with the same OID. */
export function withExtension(extension: Extension): Tweak {
  return (spec) => {
    const list = extensionsOf(spec);
    return { ...spec, extensions: list.some((e) => e.oid === extension.oid) ? list.map((e) => (e.oid === extension.oid ? extension : e)) : [...list, extension] };
  };
}

/** Adds a second copy of the extension. */
export function withDuplicateExtension(oid: string): Tweak {
  return (spec) => {
    const found = extensionsOf(spec).find((e) => e.oid === oid);
    if (!found) throw new Error(`no extension ${oid} to duplicate`);
    return { ...spec, extensions: [...extensionsOf(spec), found] };
  };
}

/** Sets fields of the spec directly. */
export function withFields(fields: Partial<CertificateSpec> | ((context: TweakContext, spec: CertificateSpec) => Partial<CertificateSpec>)): Tweak {
  return (spec, context) => ({ ...spec, ...(typeof fields === 'function' ? fields(context, spec) : fields) });
}

// ---------------------------------------------------------------------------------------------
// Certificate requests (PKCS#10, RFC 2986)

export interface RequestSpec {
  /** The subject (default CN=appliance.example.com). */
  subject?: NameSpec;
  /** subjectAltName entries (GeneralName DERs), requested as an extension; null for none. */
  names?: readonly Uint8Array[] | null;
  key?: KeyKind;
  /** The key's AlgorithmIdentifier in the request (default the key's standard one). */
  keyAlgorithm?: Uint8Array;
  /** How the request is signed (default BR §7.1.3.2 for the key). */
  signing?: Signing;
  /** Flips a bit of the signature after signing. */
  corruptSignature?: boolean;
}

/**
 * A DER certificate request (RFC 2986 §4) written with the asn1 writer and signed by Node's crypto:
 * version 0, the subject, the key, and the SANs as a PKCS#9 extensionRequest (RFC 2985 §5.4.2).
 */
export function buildRequest(spec: RequestSpec = {}): Uint8Array {
  const key = keyPair(spec.key ?? 'p256', 'request');
  const names = spec.names === undefined ? [generalName.dns(defaultHostname)] : spec.names;
  const attributes = names ? [der.sequence(der.oid(OID.extensionRequest), der.tlv(TAG.SET, der.sequence(extensionDer(ext.subjectAltName(names)))))] : [];
  const info = der.sequence(
    der.integer(0),
    name(spec.subject ?? [attr.cn(defaultHostname)]),
    subjectPublicKeyInfo(key, spec.keyAlgorithm ?? keyAlgorithmIdentifier(key.kind)),
    der.tlv(0xa0, ...attributes),
  );
  const signing = spec.signing ?? defaultSigning(key.kind);
  const signature = signBytes(info, key, signing);
  if (spec.corruptSignature) signature[signature.length - 1]! ^= 0x01;
  return der.sequence(info, signatureAlgorithmIdentifier(signing), der.bitString(signature));
}

// ---------------------------------------------------------------------------------------------
// Files for the OpenSSL CLI

/** PEM text (RFC 7468) of a DER object. */
export function toPem(bytes: Uint8Array, label = 'CERTIFICATE'): string {
  const base64 = Buffer.from(bytes).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

export interface ChainFiles {
  dir: string;
  root: string;
  /** All intermediates, or undefined when the chain has none. */
  untrusted?: string;
  leaf: string;
}

/**
 * Writes root.pem (every root of the pool), untrusted.pem (its intermediates) and leaf.pem into
 * a fresh directory, for `openssl verify -CAfile root.pem -untrusted untrusted.pem leaf.pem`.
 */
export function writeChain(leaf: Uint8Array, pool: Chain['pool'], dir: string = mkdtempSync(join(tmpdir(), 'certdesk-chain-'))): ChainFiles {
  const write = (file: string, ders: readonly Uint8Array[]) => {
    const path = join(dir, file);
    writeFileSync(path, ders.map((d) => toPem(d)).join(''));
    return path;
  };
  return {
    dir,
    root: write('root.pem', pool.roots),
    ...(pool.intermediates.length ? { untrusted: write('untrusted.pem', pool.intermediates) } : {}),
    leaf: write('leaf.pem', [leaf]),
  };
}
