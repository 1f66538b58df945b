/**
 * OBJECT IDENTIFIERs: the one decoder and encoder (X.690 §8.19), and the one table of the OIDs
 * Certdesk reads and writes, named as their specifications name them.
 */
import { limits } from '../limits';
import { Asn1Error } from './errors';

/**
 * Checks an OID's content octets (X.690 §8.19): refuses empty, truncated, non-minimal (a 0x80
 * leading septet) and over-long (limits.maxOidBytes) encodings. The model checks the attribute
 * types of names with it when it reads a certificate, and writes their text only when asked.
 * @param start, end the content octets' range in `content`, when it holds more than them.
 */
export function checkOidEncoding(content: Uint8Array, what = 'an object identifier', start = 0, end = content.length): void {
  if (end === start) throw new Asn1Error('invalid-encoding', `${what} is empty`);
  if (end - start > limits.maxOidBytes)
    throw new Asn1Error('asn1-oid-too-long', `${what} is longer than ${limits.maxOidBytes} bytes`);
  if (content[end - 1]! & 0x80) throw new Asn1Error('invalid-encoding', `${what} is truncated`);
  // A subidentifier starts at the first octet and after each octet without the continuation bit.
  let first = true;
  for (let i = start; i < end; i++) {
    const b = content[i]!;
    if (first && b === 0x80) throw new Asn1Error('invalid-encoding', `${what} is not minimally encoded`);
    first = (b & 0x80) === 0;
  }
}

/**
 * Dotted text of an OID's content octets, refusing what `checkOidEncoding` refuses. Arcs beyond
 * 2^53 are exact (BigInt): UUID arcs (2.25.N, X.667) are 128-bit numbers.
 * @param start, end the content octets' range in `content`, when it holds more than them.
 */
export function decodeOid(content: Uint8Array, what = 'an object identifier', start = 0, end = content.length): string {
  checkOidEncoding(content, what, start, end);
  let text = '';
  let value = 0n;
  let small = 0;
  let septets = 0;
  for (let i = start; i < end; i++) {
    const b = content[i]!;
    septets++;
    // Plain numbers for up to 6 septets (42 bits, exact), BigInt beyond.
    if (septets < 7) small = small * 128 + (b & 0x7f);
    else {
      if (septets === 7) value = BigInt(small);
      value = value * 128n + BigInt(b & 0x7f);
    }
    if (b & 0x80) continue;
    if (text !== '') text += septets < 7 ? '.' + small : '.' + value.toString();
    else if (septets < 7) {
      // X.690 §8.19.4: the first subidentifier is 40 × arc1 + arc2, arc1 ∈ {0, 1, 2}.
      const first = small < 40 ? 0 : small < 80 ? 1 : 2;
      text = first + '.' + (small - first * 40);
    } else text = '2.' + (value - 80n).toString();
    small = 0;
    septets = 0;
  }
  return text;
}

/** The content octets of an OID from its dotted text. Throws RangeError for a malformed OID (a programming error). */
export function encodeOid(dotted: string): Uint8Array {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted)) throw new RangeError(`not an object identifier: ${dotted}`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  if (arcs[0]! < 2n && arcs[1]! >= 40n) throw new RangeError(`not an object identifier: ${dotted}`);
  const out: number[] = [];
  const push = (v: bigint) => {
    const septets = [Number(v & 0x7fn)];
    for (v >>= 7n; v > 0n; v >>= 7n) septets.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...septets);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return Uint8Array.from(out);
}

/** The OIDs Certdesk knows, by the names their RFCs give them. */
export const OID = {
  // X.520 attribute types (RFC 5280 appendix A.1) and PKCS#9 emailAddress
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  streetAddress: '2.5.4.9',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  title: '2.5.4.12',
  givenName: '2.5.4.42',
  domainComponent: '0.9.2342.19200300.100.1.25',
  emailAddress: '1.2.840.113549.1.9.1',

  // Certificate extensions (RFC 5280 §4.2)
  subjectDirectoryAttributes: '2.5.29.9',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  cRLDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  anyPolicy: '2.5.29.32.0',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  anyExtendedKeyUsage: '2.5.29.37.0',
  freshestCRL: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  cps: '1.3.6.1.5.5.7.2.1',
  userNotice: '1.3.6.1.5.5.7.2.2',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  tlsFeature: '1.3.6.1.5.5.7.1.24',
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  ctPrecertificateScts: '1.3.6.1.4.1.11129.2.4.2',
  ctPrecertificatePoison: '1.3.6.1.4.1.11129.2.4.3',

  // Extended key usages (RFC 5280 §4.2.1.12)
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',

  // Public keys (RFC 3279, RFC 5480, RFC 8410)
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  dsa: '1.2.840.10040.4.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  secp256r1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  secp521r1: '1.3.132.0.35',

  // Signature algorithms (RFC 3279, RFC 4055, RFC 5758)
  md2WithRSAEncryption: '1.2.840.113549.1.1.2',
  md4WithRSAEncryption: '1.2.840.113549.1.1.3',
  md5WithRSAEncryption: '1.2.840.113549.1.1.4',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  sha224WithRSAEncryption: '1.2.840.113549.1.1.14',
  ecdsaWithSHA1: '1.2.840.10045.4.1',
  ecdsaWithSHA224: '1.2.840.10045.4.3.1',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
  dsaWithSHA1: '1.2.840.10040.4.3',
  dsaWithSHA224: '2.16.840.1.101.3.4.3.1',
  dsaWithSHA256: '2.16.840.1.101.3.4.3.2',
  /** OIW's older DSA identifiers, still on some 1990s roots. */
  dsaOiw: '1.3.14.3.2.12',
  dsaWithSHA1Oiw: '1.3.14.3.2.27',

  // Hashes and HMACs (RFC 8017 appendix B.1, RFC 8018 appendix B.1)
  md2: '1.2.840.113549.2.2',
  md5: '1.2.840.113549.2.5',
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  sha512_224: '2.16.840.1.101.3.4.2.5',
  sha512_256: '2.16.840.1.101.3.4.2.6',
  hmacWithSHA1: '1.2.840.113549.2.7',
  hmacWithSHA224: '1.2.840.113549.2.8',
  hmacWithSHA256: '1.2.840.113549.2.9',
  hmacWithSHA384: '1.2.840.113549.2.10',
  hmacWithSHA512: '1.2.840.113549.2.11',
  hmacWithSHA512_224: '1.2.840.113549.2.12',
  hmacWithSHA512_256: '1.2.840.113549.2.13',

  // Password-based encryption (RFC 8018, RFC 9579) and ciphers
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
  desEde3Cbc: '1.2.840.113549.3.7',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeWithSHAAnd128BitRC4: '1.2.840.113549.1.12.1.1',
  pbeWithSHAAnd40BitRC4: '1.2.840.113549.1.12.1.2',
  pbeWithSHAAnd3KeyTripleDESCBC: '1.2.840.113549.1.12.1.3',
  pbeWithSHAAnd2KeyTripleDESCBC: '1.2.840.113549.1.12.1.4',
  pbeWithSHAAnd128BitRC2CBC: '1.2.840.113549.1.12.1.5',
  pbeWithSHAAnd40BitRC2CBC: '1.2.840.113549.1.12.1.6',

  // PKCS#7 / CMS content types (RFC 5652) and PKCS#12 bags (RFC 7292 §4.2)
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  crlBag: '1.2.840.113549.1.12.10.1.4',
  secretBag: '1.2.840.113549.1.12.10.1.5',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  extensionRequest: '1.2.840.113549.1.9.14',
  challengePassword: '1.2.840.113549.1.9.7',
} as const;
