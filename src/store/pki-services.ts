/**
 * The PKI operations the store's actions need, passed in (as @peculiar/x509 takes its crypto
 * provider) so the store decides nothing about keys and certificates itself and its tests can
 * run on the real src/core/pki modules. `src/store/pki.ts` wires the real ones.
 */
import type { Problem } from '../core/errors';
import type { SubjectInput } from '../core/appliance/certificate-entry';
import type { KeyAlgorithmName, KeyMaterial } from '../core/appliance/key-entry';

/** What decodeInput found in one file (src/core/pki/decode.ts). */
export interface DecodedFile {
  certificates: { der: Uint8Array; friendlyName?: string }[];
  privateKeys: { pkcs8: Uint8Array; publicKeySha256: string; friendlyName?: string }[];
  requests?: { der: Uint8Array }[];
  /** Hash compressions the file's key derivations took; the files of one import share a budget. */
  workSpent?: number;
}

/** Outcome of building and validating a path now (src/core/pki path validation). */
export type PathResult = { ok: true; /** leaf first, trust anchor last */ path: Uint8Array[] } | { ok: false; problems: Problem[] };

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
  decodeInput(bytes: Uint8Array, options: { password?: string; signal?: AbortSignal; importWorkSpent?: number }): Promise<DecodedFile>;
  /** Builds and validates a path for `leaf` at `time` from the given intermediates and anchors. */
  validatePath(leaf: Uint8Array, pool: { intermediates: Uint8Array[]; roots: Uint8Array[] }, options: { time: Date }): Promise<PathResult>;
}
