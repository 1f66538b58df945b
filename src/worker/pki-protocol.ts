/**
 * What the page and the PKI worker say to each other. One request carries one job; the worker
 * answers 'started' when it begins on it (it has loaded and the job left the queue), then
 * 'done' with the job's result or 'failed' with the CertdeskError's code and message. Every
 * message carries the request's id. Cancelling is not a message: the page terminates the worker.
 */
import type { DecodedInput } from '../core/pki/decode';
import type { CertificateFacts } from '../core/appliance/certificate-facts';
import type { CertdeskKey, KeyAlgorithmName } from '../core/pki/keys';
import type { KeyGuardReport } from '../core/pki/key-guard';
import type { Pkcs12Preset } from '../core/pki/pkcs12';
import type { SelfSignedInput } from '../core/pki/certificate';
import type { CreateCsrInput } from '../core/pki/csr';

/** The slow PKI work the page hands the worker. */
export type PkiJob =
  /** Any input by content (src/core/pki/decode.ts); null: never try a password. */
  | { kind: 'decode'; bytes: Uint8Array; password?: string | null; /** Work earlier files of the same import spent (limits.maxWorkPerImport). */ importWorkSpent?: number }
  /**
   * The files of one import (or a batch of them), each read by content with its certificates'
   * facts; a file that cannot be read is an answer of its own. The files share the import's
   * key-derivation budget, of which earlier batches spent `importWorkSpent`.
   */
  | { kind: 'decode-files'; files: { bytes: Uint8Array; password?: string | null }[]; importWorkSpent: number }
  /** A PKCS#12 file (src/core/pki/pkcs12.ts); the key is unwrapped inside the worker. */
  | { kind: 'pkcs12'; key?: CertdeskKey; certificates: Uint8Array[]; friendlyName?: string; password: string; preset: Pkcs12Preset }
  /** The key as PEM "ENCRYPTED PRIVATE KEY" (src/core/pki/export.ts). */
  | { kind: 'encrypted-pkcs8'; key: CertdeskKey; password: string }
  /** Every private key in a file, however written or packed (src/core/pki/key-guard). */
  | { kind: 'find-private-keys'; name: string; bytes: Uint8Array }
  /**
   * A self-signed certificate for a key (src/core/pki/certificate.ts), and a certificate request
   * (src/core/pki/csr.ts): the certificate writer loads and runs here, never on the page's thread
   * (a key's CryptoKeys travel to the worker and sign there).
   */
  | ({ kind: 'self-signed-certificate' } & SelfSignedInput)
  | ({ kind: 'csr' } & CreateCsrInput)
  /**
   * A key pair (src/core/pki/keys): the key code loads here, not on the page (a first start makes
   * the default appliance's key before its first paint). The CryptoKeys travel back by structured
   * clone, non-extractable ones too (WebCrypto §CryptoKey: [Serializable]).
   */
  | { kind: 'generate-key'; algorithm: KeyAlgorithmName; exportable: boolean }
  /** A certificate's facts (src/core/appliance/certificate-facts.ts), read with the certificate model here. */
  | { kind: 'certificate-facts'; der: Uint8Array };

/** One file of an import as the worker read it: its certificates with their facts, its keys; or why not. */
export type DecodedImportFile =
  | {
      ok: true;
      certificates: { der: Uint8Array; facts: CertificateFacts; friendlyName?: string }[];
      privateKeys: DecodedInput['privateKeys'];
      workSpent: number;
    }
  /** `message` is absent when the failure was not one the decoder names (the store says which file). */
  | { ok: false; code: string; message?: string };

/** What each kind of job answers. */
export interface PkiJobResults {
  decode: DecodedInput;
  'decode-files': DecodedImportFile[];
  'self-signed-certificate': Uint8Array;
  csr: { der: Uint8Array; pem: string };
  pkcs12: Uint8Array;
  'encrypted-pkcs8': string;
  'find-private-keys': KeyGuardReport;
  'generate-key': CertdeskKey;
  'certificate-facts': CertificateFacts;
}

export type PkiJobKind = PkiJob['kind'];
export type PkiJobResult<J extends PkiJob> = PkiJobResults[J['kind']];

/** Page → worker. */
export interface PkiRequest {
  id: number;
  job: PkiJob;
}

/** Worker → page. */
export type PkiReply =
  | { id: number; type: 'started' }
  | { id: number; type: 'done'; value: PkiJobResults[PkiJobKind] }
  | { id: number; type: 'failed'; error: { code: string; message: string } };

/** Runs one job, in the worker or (in Node and tests) in-process: the same function either way. */
export type RunPkiJob = <J extends PkiJob>(job: J, options?: { signal?: AbortSignal; onStarted?: () => void }) => Promise<PkiJobResult<J>>;
