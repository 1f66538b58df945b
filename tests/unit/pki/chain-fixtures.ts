/**
 * Certificates made for the chain tests with @peculiar/x509 and WebCrypto keys, plus a tiny DER
 * writer for extensions @peculiar/x509 has no class for (name constraints, odd encodings).
 */
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export type KeyKind = 'p256' | 'p384' | 'p521' | 'rsa2048' | 'rsa1024' | 'rsa2048-pss';

const keyParams: Record<KeyKind, RsaHashedKeyGenParams | EcKeyGenParams> = {
  p256: { name: 'ECDSA', namedCurve: 'P-256' },
  p384: { name: 'ECDSA', namedCurve: 'P-384' },
  p521: { name: 'ECDSA', namedCurve: 'P-521' },
  rsa2048: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  'rsa2048-pss': { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  rsa1024: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};

export interface Made {
  der: Uint8Array;
  keys: CryptoKeyPair;
  subject: string;
  kind: KeyKind;
}

export async function makeKeys(kind: KeyKind = 'p256'): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(keyParams[kind], true, ['sign', 'verify'])) as CryptoKeyPair;
}

export interface CertSpec {
  subject: string;
  /** The issuing certificate; absent = self-signed. */
  issuer?: Made;
  keys?: CryptoKeyPair;
  kind?: KeyKind;
  /** basicConstraints: undefined = CA:true for CAs; null = leave out. */
  ca?: boolean | null;
  pathLen?: number;
  /** keyUsage flags; null = leave out. */
  keyUsage?: number | null;
  eku?: string[] | null;
  /** dNSName / iPAddress / email SANs as `dns:x`, `ip:x`, `email:x`; null = leave out. */
  san?: string[] | null;
  sanCritical?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  serialNumber?: string;
  aki?: boolean;
  ski?: string | boolean;
  signingAlgorithm?: Algorithm | EcdsaParams | RsaPssParams;
  extensions?: x509.Extension[];
}

export const year = 365 * 24 * 3600 * 1000;
export const now = new Date('2026-06-01T00:00:00Z');

function signingAlgorithmFor(kind: KeyKind): Algorithm | EcdsaParams | RsaPssParams {
  switch (kind) {
    case 'p256':
      return { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams;
    case 'p384':
      return { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams;
    case 'p521':
      return { name: 'ECDSA', hash: 'SHA-512' } as EcdsaParams;
    case 'rsa2048-pss':
      return { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams;
    default:
      return { name: 'RSASSA-PKCS1-v1_5' };
  }
}

let serial = 1000;

/** Makes a certificate; CAs (no `san` given and `ca` not false) get CA extensions by default. */
export async function makeCert(spec: CertSpec): Promise<Made> {
  const kind = spec.kind ?? 'p256';
  const keys = spec.keys ?? (await makeKeys(kind));
  const isCaCert = spec.ca === undefined ? spec.san === undefined : spec.ca === true;
  const extensions: x509.Extension[] = [];
  if (spec.ca !== null && (spec.ca !== undefined || isCaCert || spec.san !== undefined))
    extensions.push(new x509.BasicConstraintsExtension(isCaCert, spec.pathLen, true));
  const ku = spec.keyUsage === undefined ? (isCaCert ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature) : spec.keyUsage;
  if (ku !== null) extensions.push(new x509.KeyUsagesExtension(ku, true));
  const eku = spec.eku === undefined ? (isCaCert ? null : ['1.3.6.1.5.5.7.3.1']) : spec.eku;
  if (eku) extensions.push(new x509.ExtendedKeyUsageExtension(eku, false));
  if (spec.san)
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        spec.san.map((s) => {
          const [type, ...rest] = s.split(':');
          return { type: type as 'dns' | 'ip' | 'email', value: rest.join(':') };
        }),
        spec.sanCritical ?? false,
      ),
    );
  if (spec.ski !== false)
    extensions.push(typeof spec.ski === 'string' ? new x509.SubjectKeyIdentifierExtension(spec.ski) : await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  const issuerKeys = spec.issuer?.keys ?? keys;
  if (spec.aki ?? Boolean(spec.issuer)) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKeys.publicKey));
  extensions.push(...(spec.extensions ?? []));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber ?? (serial++).toString(16).padStart(4, '0'),
    subject: spec.subject,
    issuer: spec.issuer?.subject ?? spec.subject,
    notBefore: spec.notBefore ?? new Date(now.getTime() - year),
    notAfter: spec.notAfter ?? new Date(now.getTime() + year),
    publicKey: keys.publicKey,
    signingKey: issuerKeys.privateKey,
    signingAlgorithm: spec.signingAlgorithm ?? signingAlgorithmFor(spec.issuer?.kind ?? kind),
    extensions,
  });
  return { der: new Uint8Array(cert.rawData), keys, subject: spec.subject, kind };
}

/** DER element with a one-byte tag. */
export function der(tag: number, ...parts: (Uint8Array | string)[]): Uint8Array {
  const body = concat(parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p)));
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concat([new Uint8Array([tag, ...len]), body]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
}

export const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

/** A NameConstraints extension from GeneralName DER pieces ([0x82 …] dNSName, [0x87 …] IP, …). */
export function nameConstraints(permitted: Uint8Array[], excluded: Uint8Array[] = [], critical = true): x509.Extension {
  const subtrees = (tag: number, list: Uint8Array[]) => (list.length ? [der(tag, ...list.map((g) => der(0x30, g)))] : []);
  return new x509.Extension('2.5.29.30', critical, der(0x30, ...subtrees(0xa0, permitted), ...subtrees(0xa1, excluded)) as BufferSource);
}

export const dnsName = (name: string): Uint8Array => der(0x82, name);
export const emailName = (name: string): Uint8Array => der(0x81, name);
export const ipName = (...b: number[]): Uint8Array => der(0x87, bytes(...b));

/** A standard root → intermediate → leaf family for tests. */
export async function makeFamily(kind: KeyKind = 'p256', leafSan = ['dns:appliance.example.test', 'ip:192.0.2.10']) {
  const root = await makeCert({ subject: `CN=Test Root ${kind}`, kind });
  const ica = await makeCert({ subject: `CN=Test Intermediate ${kind}`, issuer: root, kind });
  const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: leafSan, kind });
  return { root, ica, leaf };
}
