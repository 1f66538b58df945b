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
  /**
   * Private keys in one PEM bundle: as many as one PKCS#12 may hold (maxPkcs12Keys). Each key
   * costs a public-key derivation; a PEM of 10,001 copies of one P-384 key took over 10 s (fuzz
   * campaign). Real files hold one.
   */
  maxPrivateKeysPerBundle: 200,
  /**
   * Certificate requests in one PEM bundle. A PKCS#10 file holds one request (RFC 2986 §4); a
   * fleet's batch, dozens. Each is parsed and its self-signature checked when shown (~0.5 ms):
   * a 10 MB PEM of ~10,000 requests took ~7 s in `certdesk inspect`; 1,000 stay well under 1 s.
   */
  maxRequestsPerBundle: 1_000,
  /** KDF iterations accepted in one PKCS#12 derivation (BoringSSL, Botan, NSS: 1 … 100,000,000). */
  maxKdfIterations: 100_000_000,
  /**
   * Bags of any kind in one PKCS#12 file (keys, certificates, and the CRL, secret and unknown
   * bags that are skipped): 200 keys + 200 certificates (.NET Pkcs12LoaderLimits) with room to spare.
   */
  maxPkcs12Bags: 1_000,
  /**
   * Work one file may ask for, in hash compressions: one compression of a 64-byte block
   * (SHA-1, SHA-224, SHA-256) is 1, of a 128-byte block (SHA-384, SHA-512, SHA-512/224,
   * SHA-512/256) 2, as it costs about twice as much. Every KDF and MAC of a PKCS#12 file,
   * encrypted PKCS#8 or PEM counts, each password candidate tried included (pkcs12/budget.ts).
   * Calibrated on the development machine (tests/bench/pkcs12.bench.ts "work budget" rows):
   * the slowest path, PBKDF2-HMAC-SHA512/224 in JavaScript, does ~0.8 million per second, so
   * 4 million stay under ~5 s on it; the unrolled SHA-1/SHA-256 KDF does 8–13 million, WebCrypto's
   * PBKDF2 4–10 million per second. Real files ask for far less: OpenSSL's default .p12 (2,048
   * iterations) ~10,000; Certdesk's modern preset (100,000) ~500,000; .NET's loader refuses more
   * than 1,000,000 iterations in total (Pkcs12LoaderLimits).
   */
  maxWorkPerFile: 4_000_000,
  /** Work one import of several files may ask for in total: two files at the per-file ceiling. */
  maxWorkPerImport: 8_000_000,
  /**
   * Hash compressions per second on the slowest path (see maxWorkPerFile): turns work into the
   * time a refusal names, so that a refused file always "asks for" more than the ceiling's seconds.
   */
  workPerSecond: 800_000,
  /**
   * Salt of a PBKDF2, PKCS#12 PBE or MAC derivation. RFC 8018 §4.1 asks for at least 8 bytes;
   * OpenSSL, Windows, Java and NSS write 8–20. A 9 MB salt cost 15 s and 1 GB (issue 12).
   */
  maxSaltBytes: 1024,
  /** ASN.1 nesting depth (OpenSSL tasn_dec.c: 30). */
  maxAsn1Depth: 30,
  /** ASN.1 elements in one certificate, key, request or PKCS#12 bag (asn1js maxNodes, PR #132). */
  maxAsn1Elements: 10_000,
  /**
   * Content bytes of one OBJECT IDENTIFIER. Real OIDs are under 40 bytes (pyca's "bigoid" vector:
   * 35; a UUID arc 2.25.N: 19); asn1js decodes OIDs in quadratic time (RELIABILITY.md).
   */
  maxOidBytes: 128,
  /** Encoding of one distinguished name (OpenSSL X509_NAME_MAX, crypto/x509/x_name.c: d2i refuses larger ones). */
  maxNameBytes: 1024 * 1024,
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
  /**
   * The support package's key guard (key-guard/): the work one file may cause, decoded and
   * decompressed parts included. Content scanners bound the same things (ClamAV: MaxRecursion,
   * MaxFiles 10,000, MaxScanSize), but pass a file that exceeds them unless told otherwise
   * (AlertExceedsMax); the guard refuses such a file instead, as what it did not read it cannot clear.
   * Real support files are a few PEM certificates and one PNG: a few hundred kilobytes, nesting 1–2 deep.
   */
  keyGuard: {
    /** Containers and encodings inside one another (a key in base64 in a .gz in a .zip is 3). */
    maxDepth: 8,
    /** Archive entries and compressed streams opened in one file (ClamAV MaxFiles). */
    maxEntries: 10_000,
    /** Bytes decompressed from one file: a zip bomb stops here. */
    maxInflatedBytes: 32 * 1024 * 1024,
    /** Bytes scanned for one file, each decoded or decompressed part counted again. */
    maxScannedBytes: 128 * 1024 * 1024,
    /** Findings to collect before stopping: one is enough to refuse. */
    maxFindings: 20,
  },
} as const;

export type Limits = typeof limits;
