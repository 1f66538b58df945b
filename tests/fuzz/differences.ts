/**
 * Where Certdesk answers differently from OpenSSL (in-process through Node's crypto, or the CLI)
 * on purpose: each difference with its reason and source. The differential tests and the fuzz
 * campaign classify every disagreement with these tables; one that matches none is a finding.
 */

export interface Deliberate {
  why: string;
  /** Matched against Certdesk's error message (which carries the reader's detail). */
  message: RegExp;
}

/** Certdesk refuses a certificate that Node's X509Certificate (d2i_X509) reads. */
export const CERTIFICATE_STRICTER: readonly Deliberate[] = [
  { why: 'DER lengths must be minimal (X.690 §10.1); OpenSSL skips leading zero length octets. Go and rustls-webpki refuse them too.', message: /length field is not minimal/ },
  { why: 'DER: one element, nothing after it (Go: "x509: trailing data"); d2i_X509 stops reading after the certificate.', message: /extra bytes after its end/ },
  { why: 'RFC 5280 §4.1.2.1 knows versions 1–3 only; OpenSSL reads any INTEGER. Go refuses too.', message: /the version is (\d+; X\.509 has only versions|negative|too large)/ },
  { why: 'RFC 5280 §4.1.2.5: times must be real dates in the exact Z form; OpenSSL reads any string here and fails only on use (X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD).', message: /not a real date and time|is a UTCTime not in|is a GeneralizedTime not in/ },
  { why: 'DER BOOLEAN is 0x00 or 0xFF (X.690 §11.1); OpenSSL reads any non-zero octet as true. Go and rustls-webpki refuse it.', message: /is not a DER BOOLEAN/ },
  { why: 'DER BIT STRING padding bits are zero and an empty one has no unused bits (X.690 §11.2.1, §8.6.2.3); OpenSSL masks them. Go refuses too.', message: /non-zero padding bits|invalid unused-bits count/ },
  { why: 'IA5String is 7-bit (X.680 §41.4); OpenSSL reads it as Latin-1. Go refuses too.', message: /non-ASCII byte in an ASCII-only string|non-ASCII byte in an IA5String/ },
  { why: 'SET OF and SEQUENCE OF are constructed in BER and DER alike (X.690 §8.10.1, §8.12.1); OpenSSL\'s template decoder does not check the constructed bit of a SET OF (tasn_dec.c asn1_template_noexp_d2i).', message: /uses the primitive form where DER requires the constructed one/ },
  { why: 'DER strings and primitive types are primitive (X.690 §10.2); OpenSSL also reads BER constructed strings.', message: /constructed encoding|SEQUENCE or SET in primitive form|form where DER requires|constructed form of a string/ },
  { why: 'Tags above 30 never occur in X.509; the reader refuses multi-byte tags (RELIABILITY.md).', message: /multi-byte ASN\.1 tag/ },
  { why: 'OIDs are capped (limits.maxOidBytes, RELIABILITY.md: asn1js is quadratic); OpenSSL has no cap.', message: /object identifier longer than|is longer than \d+ bytes/ },
  { why: 'DER forbids the reserved length octet 0xFF (X.690 §8.1.3.5) and lengths over 4 octets.', message: /reserved value 0xFF|larger than any file Certdesk reads/ },
  { why: 'DER forbids indefinite lengths (X.690 §10.1); d2i_X509 reads BER.', message: /indefinite length/ },
  {
    why: 'Every nested structure is walked, also inside values d2i_X509 keeps opaque until they are used (ANY-typed algorithm parameters and attribute values): a length past its container there is refused at once (RELIABILITY.md "Learned since"); OpenSSL fails only when it decodes them.',
    message: /length field points past the end|ends in the middle of (an element|a length field)|indefinite-length element is not terminated/,
  },
  { why: 'Files over limits.maxFileBytes (10 MB) are refused before reading; d2i_X509 has no size limit.', message: /Certdesk reads files up to/ },
  { why: 'Work limits of the one bounded reader (limits.maxAsn1Depth from OpenSSL tasn_dec.c, limits.maxAsn1Elements from asn1js): OpenSSL has no element cap and counts depth differently.', message: /nests ASN\.1 more than|more than [\d,]+ ASN\.1 elements/ },
  { why: 'A structure that is a key, a CRL or a request, not a certificate, is named as such (decode-by-content); d2i_X509 may still read its fields.', message: /only a public key|revocation list|Expected a certificate but found/ },
];

/** Certdesk refuses a request that `openssl req -verify` reads. */
export const CSR_STRICTER: readonly Deliberate[] = [
  {
    why: 'The requested extensions (PKCS#9 extensionRequest, RFC 2985 §5.4.2) are decoded as a certificate\'s; a malformed one refuses the request. OpenSSL keeps attribute values opaque and X509_REQ_get_extensions silently returns none, so a CA signing it would drop the requested names.',
    message: /an extension|extensions|Extensions|attribute|extension of this certificate request is damaged/,
  },
];

/** Certdesk's verifier refuses a self-signature that `openssl req -verify` accepts (matched on the verifier's reason). */
export const CSR_SIGNATURE_STRICTER: readonly Deliberate[] = [
  { why: 'RFC 8410 §3: the parameters of an Ed25519 AlgorithmIdentifier MUST be absent; OpenSSL 3.0 verifies such a request anyway.', message: /RFC 8410 §3/ },
  { why: 'RSASSA-PSS parameters are read strictly (RFC 4055 §3.1: DER, trailer field 1, MGF1 over the message hash).', message: /RSASSA-PSS|mask generation function/ },
];

/** Certdesk refuses a private key that Node's createPrivateKey reads (by Certdesk's code). */
export const KEY_STRICTER: Readonly<Record<string, string>> = {
  'unsupported-key-type': 'Appliances use RSA and ECDSA keys only (the vendor guide); Ed25519, DSA, X25519 … are read by OpenSSL.',
  'unsupported-curve': 'ECDSA on P-256 and P-384 only (the curves the appliance and WebCrypto everywhere support).',
  'explicit-ec-parameters': 'RFC 5480 §2.1.1: specifiedCurve MUST NOT be used; explicit parameters hide curve substitution (CVE-2020-0601).',
  'rsa-exponent-invalid': 'An RSA public exponent must be odd and at least 3; OpenSSL reads e = 1 or even ones.',
  'rsa-key-too-large': 'RSA moduli over 8192 bits are refused (Go crypto/x509, CVE-2023-29409).',
  'asn1-oid-too-long': 'OIDs are capped before any library sees them (limits.maxOidBytes).',
  'asn1-too-many-elements': 'Element budget of the one bounded reader (limits.maxAsn1Elements).',
  'asn1-too-deep': 'Depth limit of the one bounded reader (limits.maxAsn1Depth).',
  'trailing-bytes': 'DER is one element with nothing after it; d2i stops reading after the key.',
};

/** The same strictness, matched on the detail of a refused key (`invalid-private-key` and DER errors). */
export const KEY_STRICTER_DETAIL: readonly Deliberate[] = [
  ...CERTIFICATE_STRICTER.filter((d) => !/decode-by-content/.test(d.why)),
  // Before the version entry: this message names the version too.
  { why: 'RFC 8017 A.1.2: otherPrimeInfos "SHALL be omitted if version is 0"; OpenSSL reads a two-prime key with it and ignores it.', message: /otherPrimeInfos although its version is 0/ },
  { why: 'The version of PKCS#8 (RFC 5958 §2) is 0 or 1, of an RSA key (RFC 8017 A.1.2) 0 or 1 and of an EC key (RFC 5915 §3) 1; OpenSSL reads others.', message: /version/ },
  { why: 'RSA numbers are positive INTEGERs (RFC 8017 A.1.2); OpenSSL reads negative ones.', message: /is negative/ },
  { why: 'DER INTEGERs are minimal and not empty (X.690 §8.3.2); OpenSSL reads key numbers as BIGNUMs without that check.', message: /superfluous leading bytes|empty INTEGER/ },
  { why: 'A key is read as the browser\'s WebCrypto reads it, which checks an EC private key on import (SEC1 §3.2.1: 1 ≤ d < n; a given public point must match); OpenSSL\'s decoder reads any scalar.', message: /not a point on its curve/ },
];

/** Certdesk refuses a PKCS#12 file that `openssl pkcs12 -legacy -nodes` opens (by Certdesk's code). */
export const PKCS12_STRICTER: Readonly<Record<string, string>> = {
  'work-limit-exceeded': 'The work budget (limits.maxWorkPerFile, issue 12): OpenSSL derives keys for as long as a file asks.',
  'limit-exceeded': 'Iteration, salt, bag and certificate limits (limits.ts: BoringSSL, .NET Pkcs12LoaderLimits).',
  'asn1-oid-too-long': 'OIDs are capped before any library sees them (limits.maxOidBytes).',
  'asn1-too-many-elements': 'Element budget of the one bounded reader (limits.maxAsn1Elements).',
  'asn1-too-deep': 'Depth limit of the one bounded reader (limits.maxAsn1Depth; OpenSSL: 30 per structure, counted differently).',
  'unsupported-algorithm': 'Ciphers and MACs beyond what PKCS#12 writers use (RFC 7292, RFC 8018, RFC 9579) are refused by name.',
  'invalid-private-key': 'A key bag whose key Certdesk refuses (RSA/ECDSA P-256/P-384 only; see the key table); OpenSSL reads any key type and RSA exponent.',
  'unsupported-key-type': 'Appliances use RSA and ECDSA keys only; OpenSSL reads any key type.',
  'unsupported-curve': 'ECDSA on P-256 and P-384 only.',
  'explicit-ec-parameters': 'RFC 5480 §2.1.1: specifiedCurve MUST NOT be used.',
  'rsa-exponent-invalid': 'An RSA public exponent must be odd and at least 3.',
  'rsa-key-too-large': 'RSA moduli over 8192 bits are refused (CVE-2023-29409).',
  ...Object.fromEntries(
    ['malformed-certificate', 'invalid-encoding', 'not-der', 'trailing-bytes', 'empty-file', 'unexpected-content', 'public-key-not-certificate', 'crl-not-certificate'].map((code) => [
      code,
      'A certificate bag must hold a certificate the certificate model reads (x509 readCertificate, with its own cited differences); `openssl pkcs12` prints a bag\'s contents without reading them.',
    ]),
  ),
};

/** The same for `pkcs12-malformed`, matched on the detail. */
export const PKCS12_STRICTER_DETAIL: readonly Deliberate[] = [
  {
    why: 'Versions are checked (RFC 7292 §4: PFX v3; RFC 5652 §8: EncryptedData 0 or 2; RFC 5958 §2: PrivateKeyInfo 0 or 1; RFC 2315 §10.1–10.2 and RFC 5652 §6.1: EnvelopedData and RecipientInfo 0 to 4); OpenSSL reads any INTEGER there.',
    message: /version (is|of)|version is not|PKCS#12 version/,
  },
  {
    why: 'An AuthenticatedSafe content of a type Certdesk cannot read (RFC 7292 §4.1 lists data, encryptedData and envelopedData) refuses the file instead of silently dropping what it holds; OpenSSL skips it.',
    message: /content of unknown type/,
  },
  {
    why: 'An iteration count is a positive integer (RFC 8018 §4.2 and A.2: iterationCount INTEGER (1..MAX); RFC 7292 appendix B.2: A_i is the r-th hash of D||I); OpenSSL runs 0 or a negative count as 1 (PKCS12_key_gen_uni, PKCS12_gen_mac).',
    message: /iteration count (of the [\w ]+ )?is (0, and an iteration count is a whole number from 1|negative)/,
  },
  {
    why: 'The parameters of an HMAC PRF are NULL or absent (RFC 8018 B.1.1–B.1.2: "shall have type NULL"), as are those of a MAC digest (RFC 3370 §2.1: "If present, the parameters field MUST contain a NULL"; RFC 5754 §2); OpenSSL ignores them.',
    message: /the parameters of the (PBKDF2 PRF of the [\w ]+|MAC algorithm) (has the wrong type|is a NULL with content)/,
  },
  {
    why: 'A localKeyId is an OCTET STRING (RFC 2985 §5.5.2, PKCS #9: localKeyId ATTRIBUTE WITH SYNTAX OCTET STRING); OpenSSL keeps a bag attribute\'s value as any ASN1_TYPE.',
    message: /a localKeyId is not an OCTET STRING/,
  },
  {
    why: 'A friendlyName is a BMPString (RFC 2985 §5.5.1, PKCS #9: friendlyName ATTRIBUTE WITH SYNTAX BMPString; RFC 7292 §4.2); OpenSSL keeps a bag attribute\'s value as any ASN1_TYPE.',
    message: /a friendlyName has the wrong type/,
  },
  ...CERTIFICATE_STRICTER,
];

/** Certdesk reads a PKCS#12 file that OpenSSL 3.0 refuses, on purpose (matched on OpenSSL's error output). */
export const PKCS12_MORE_CAPABLE: readonly Deliberate[] = [
  { why: 'PBMAC1 (RFC 9579) arrived in OpenSSL 3.4; the CLI here is 3.0.', message: /PBMAC1|unsupported mac|mac verify error|pbmac1/i },
];
