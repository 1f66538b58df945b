/**
 * The PKI operations the store's actions need, passed in (as @peculiar/x509 takes its crypto
 * provider) so the store decides nothing about keys and certificates itself and its tests can
 * run on the real src/core/pki modules. `src/store/pki.ts` wires the real ones; the app runs the
 * slow ones (decoding, PKCS#12 and encrypted PKCS#8 export) in a worker (src/worker/).
 *
 * The data types of these answers are re-exported here, so the UI names them through the store.
 */
import type { Problem } from '../core/errors';
import type { SubjectInput } from '../core/appliance/certificate-entry';
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { KeyAlgorithmName } from '../core/pki/keys';
import type { Pkcs12Preset } from '../core/pki/pkcs12';
import type { CertificateDescription } from '../core/pki/describe';
import type { ChainStatus } from '../core/pki/validation/chain-status';
import type { ValidationProblem } from '../core/pki/validation/problem';
import type { PresentedNames } from '../core/pki/names/match';
import type { PublicSuffixCheck } from '../core/pki/names/hostname';
import type { DecodedImportFile } from '../worker/pki-protocol';
import type { KeyGuardReport } from '../core/pki/key-guard';
import type { CertificateFacts } from '../core/appliance/certificate-facts';

export type { KeyAlgorithmName } from '../core/pki/keys';
export type { Pkcs12Preset } from '../core/pki/pkcs12';
export type { CertificateDescription, DescribedExtension } from '../core/pki/describe';
export type { DescribedGeneralName } from '../core/pki/names/general-name';
export type { ChainStatus } from '../core/pki/validation/chain-status';
export type { ValidationProblem } from '../core/pki/validation/path-validation';
export type { KeyFinding, KeyGuardReport, UncheckedPart } from '../core/pki/key-guard';

/** What decodeInput found in one file (src/core/pki/decode.ts). */
export interface DecodedFile {
  certificates: { der: Uint8Array; friendlyName?: string }[];
  privateKeys: { pkcs8: Uint8Array; publicKeySha256: string; friendlyName?: string }[];
  requests?: { der: Uint8Array }[];
  /** Hash compressions the file's key derivations took; the files of one import share a budget. */
  workSpent?: number;
  /** How the file was packed; 'pkcs12' is a .p12/.pfx whatever its name. */
  container?: 'der' | 'pem' | 'base64' | 'pkcs7' | 'pkcs12';
}

export type { DecodedImportFile } from '../worker/pki-protocol';

/** Outcome of building and validating a path now (src/core/pki path validation). */
export type PathResult = { ok: true; /** leaf first, trust anchor last */ path: Uint8Array[] } | { ok: false; problems: Problem[] };

/** How certificates alone are written: PEM, DER (exactly one) or PKCS#7 (.p7b). */
export type CertificateExportFormat = 'pem' | 'der' | 'pkcs7';

/** Options of slow work: cancellation, and a call once the work has begun where it runs. */
export interface SlowWorkOptions {
  signal?: AbortSignal;
  /** In the app: the worker has loaded and started on this job (queued work has not). */
  onStarted?: () => void;
}

/** A PKCS#12 file to write (RFC 7292): the key, if any, and the certificates, leaf first. */
export interface Pkcs12Request<K> {
  key?: K;
  certificates: Uint8Array[];
  /** Put on the key bag and the leaf's certificate bag. */
  friendlyName?: string;
  password: string;
  preset: Pkcs12Preset;
}

export interface PkiServices<K extends KeyMaterial = KeyMaterial> {
  generateKey(algorithm: KeyAlgorithmName, options: { exportable: boolean; signal?: AbortSignal }): Promise<K>;
  importPrivateKey(pkcs8: Uint8Array, options: { exportable: boolean }): Promise<K>;
  /** PKCS#8 of an exportable key; throws for a non-exportable one. */
  exportPrivateKey(key: K): Promise<Uint8Array>;
  createSelfSignedCertificate(options: {
    key: K;
    subject: SubjectInput;
    subjectAltNames: string[];
    validityDays?: number;
    notBefore?: Date;
  }): Promise<Uint8Array>;
  createCsr(options: { key: K; subject: SubjectInput; subjectAltNames: string[]; siteHostname?: string }): Promise<{ der: Uint8Array; pem: string }>;
  /** What the workspace keeps about a certificate it stores (src/core/appliance/certificate-facts.ts), read where the certificate model is loaded. */
  certificateFacts(der: Uint8Array): Promise<CertificateFacts>;
  /** Any input by content; `password: null` never tries one (an encrypted key then fails). */
  decodeInput(bytes: Uint8Array, options: { password?: string | null; signal?: AbortSignal; importWorkSpent?: number }): Promise<DecodedFile>;
  /**
   * The files of one import (or a batch of them) read by content, each certificate with its
   * facts: one answer per file, in order, a file that cannot be read being an answer of its
   * own. The files share the import's key-derivation budget (earlier batches spent
   * `importWorkSpent`). Rejects only when cancelled or when the reader itself failed.
   */
  decodeFiles(files: readonly { bytes: Uint8Array; password?: string | null }[], options: { signal?: AbortSignal; importWorkSpent?: number }): Promise<DecodedImportFile[]>;
  /** Builds and validates a path for `leaf` at `time` from the given intermediates and anchors. */
  validatePath(leaf: Uint8Array, pool: { intermediates: Uint8Array[]; roots: Uint8Array[] }, options: { time: Date }): Promise<PathResult>;
  /** The chain status the list shows, offering `builtInRoots` when the root is missing. */
  chainStatus(certificate: Uint8Array, pool: readonly Uint8Array[], options: { builtInRoots?: readonly Uint8Array[] }): Promise<ChainStatus>;
  /** Lint of a certificate (what a public CA's issuance follows), against its issuer when known. */
  lintCertificate(certificate: Uint8Array, options: { issuer?: Uint8Array }): Promise<ValidationProblem[]>;
  /** Lint of a certificate request as a public CA judges it; `validityDays` is the validity asked for. */
  lintRequest(request: Uint8Array, options: { validityDays?: number }): Promise<ValidationProblem[]>;
  /**
   * The public-suffix check wildcard matching needs, loaded only when one of the certificates'
   * names is a wildcard (the list is a lazily loaded chunk of its own); undefined otherwise.
   */
  publicSuffixCheckFor(...names: PresentedNames[]): Promise<PublicSuffixCheck | undefined>;
  /** The built-in Mozilla roots (loaded once, on first use). */
  builtInRoots(): Promise<readonly Uint8Array[]>;
  /** Everything in a certificate, for the certificate details. */
  describeCertificate(der: Uint8Array): Promise<CertificateDescription>;
  /** A PEM block (RFC 7468) of `der` under `label`. */
  encodePem(label: string, der: Uint8Array): string;
  /** Certificates in `format`, with the file extension and media type that go with it. */
  exportCertificates(ders: readonly Uint8Array[], format: CertificateExportFormat): Promise<{ bytes: Uint8Array; extension: string; mediaType: string }>;
  /** A PKCS#12 file, read back and compared before it is returned. Slow: 100,000 iterations (modern). */
  exportPkcs12(request: Pkcs12Request<K>, options?: SlowWorkOptions): Promise<Uint8Array>;
  /** The key as PEM "ENCRYPTED PRIVATE KEY" (PBES2, RFC 8018). Slow: 100,000 iterations. */
  exportEncryptedPrivateKey(key: K, password: string, options?: SlowWorkOptions): Promise<string>;
  /** A self-signed CA certificate for the internal CA. */
  createLocalRoot(options: { key: K; subject: SubjectInput }): Promise<Uint8Array>;
  /**
   * The key guard (src/core/pki/key-guard): scans every byte of the file, decoded and unpacked, and
   * resolves with its report when it holds no private key and every part of it could be read;
   * otherwise rejects with CertdeskError 'private-key-in-support-package' or
   * 'support-file-unreadable', naming the file and what was found. Slow on large files: runs in the worker.
   */
  assertNoPrivateKey(file: { name: string; bytes: Uint8Array }, options?: SlowWorkOptions): Promise<KeyGuardReport>;
  /** An intermediate CA certificate signed by the internal CA's root. */
  createLocalIntermediate(options: { key: K; subject: SubjectInput; issuer: { certificate: Uint8Array; key: K } }): Promise<Uint8Array>;
  /** Signs a CSR as a server certificate; returns it with the issuer's chain. */
  signCsr(options: { csrDer: Uint8Array; issuer: { certificate: Uint8Array; key: K }; chain: Uint8Array[]; validityDays: number }): Promise<{ certificate: Uint8Array; chain: Uint8Array[] }>;
}
