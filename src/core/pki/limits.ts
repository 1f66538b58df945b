/**
 * Work limits for everything the core parses or validates. Each number names where it came
 * from (../shared/RELIABILITY.md has the table); each gets a test at the limit and just past it.
 */
export const limits = {
  /** Largest file accepted for decoding. cert-manager and browsers see ~10 MB bundles at most. */
  maxFileBytes: 10 * 1024 * 1024,
  /** Certificates in one bundle (PEM, PKCS#7). .NET Pkcs12LoaderLimits uses 200 per PKCS#12. */
  maxCertificatesPerBundle: 10_000,
  /** Certificates and keys in one PKCS#12 (.NET Pkcs12LoaderLimits: 200 each). */
  maxPkcs12Certificates: 200,
  maxPkcs12Keys: 200,
  /** KDF iterations accepted in one PKCS#12 derivation (BoringSSL, Botan, NSS: 1 … 100,000,000). */
  maxKdfIterations: 100_000_000,
  /** Iterations summed over one PKCS#12 file, so many small bags cannot add up to a hang. */
  maxKdfIterationsTotal: 200_000_000,
  /** ASN.1 nesting depth (OpenSSL tasn_dec.c: 30). */
  maxAsn1Depth: 30,
  /** ASN.1 elements in one certificate, key, request or PKCS#12 bag (asn1js maxNodes, PR #132). */
  maxAsn1Elements: 10_000,
  /**
   * Content bytes of one OBJECT IDENTIFIER. Real OIDs are under 40 bytes (pyca's "bigoid" vector:
   * 35; a UUID arc 2.25.N: 19); asn1js decodes OIDs in quadratic time (RELIABILITY.md).
   */
  maxOidBytes: 128,
  /** RSA modulus size (Go crypto/x509, CVE-2023-29409). */
  maxRsaBits: 8192,
  /** Signature checks while building one chain (Go maxChainSignatureChecks, rustls-webpki Budget). */
  maxChainSignatureChecks: 100,
  /** Path-building calls (rustls-webpki, from mozilla::pkix). */
  maxPathBuildCalls: 200_000,
  /** Name-constraint comparisons (Go, rustls-webpki). */
  maxNameConstraintChecks: 250_000,
  /** Intermediates in one path (rustls-webpki MAX_SUB_CA_COUNT). */
  maxIntermediates: 6,
} as const;

export type Limits = typeof limits;
