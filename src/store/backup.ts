/**
 * Encrypted backup and restore of the whole workspace in one file.
 *
 * File: UTF-8 JSON `{ format, version, kdf, cipher, check, ciphertext }`. The passphrase goes
 * through PBKDF2-HMAC-SHA256 with 600,000 iterations (OWASP Password Storage Cheat Sheet, 2023,
 * for PBKDF2-HMAC-SHA256) and a random 16-byte salt into 512 bits: the first 256 are the
 * AES-256-GCM key, the last 256 a check value stored in the file, so a wrong passphrase is told
 * apart from a damaged file. The header (everything but the ciphertext) is the GCM additional
 * data, so no field can be altered unnoticed.
 *
 * Contents: every record; exportable keys as PKCS#8 (via exportPrivateKey); non-exportable keys
 * are listed as not included (they can never leave the browser). Restore merges by fingerprint
 * (certificates by appliance and SHA-256, keys by appliance and public-key hash, everything else
 * by id), never duplicates, and writes in one transaction: a wrong passphrase or a damaged file
 * changes nothing.
 */
import { CertdeskError, throwIfAborted } from '../core/errors';
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { WorkspaceContext } from './context';
import { mergeContents, readContents, strictBase64, type KeyNotIncluded, type RestoreSummary, type WorkspaceContents } from './contents';
import { bytesToBase64 } from '../core/pki/asn1/bytes';

export const BACKUP_FORMAT = 'certdesk-backup';
export const BACKUP_VERSION = 1;
/** OWASP Password Storage Cheat Sheet (2023): PBKDF2-HMAC-SHA256, 600,000 iterations. */
export const BACKUP_ITERATIONS = 600_000;
/**
 * Fewest iterations a backup file may claim: OWASP's floor for PBKDF2-HMAC-SHA256 before 2023
 * (310,000) rounded down a step, so old or forged headers cannot make the KDF trivial.
 */
export const MIN_BACKUP_ITERATIONS = 100_000;
/** Most iterations a file may ask for: 10× our own, so a forged header cannot hang the tab. */
export const MAX_BACKUP_ITERATIONS = 6_000_000;
/**
 * Most private keys a backup holds. Restoring imports each one (measured in Node's WebCrypto:
 * ~7 ms for an exportable P-256 key), so 1,000 keys stay within seconds, while a crafted backup
 * of 64 MB of keys would take half an hour (issue 12: no file may cost more than a few seconds).
 * Real workspaces hold one or two exportable keys per appliance certificate.
 */
export const MAX_BACKUP_KEYS = 1_000;

function tooManyKeys(count: number): CertdeskError {
  return new CertdeskError(
    'backup-too-many-keys',
    `This backup holds ${count.toLocaleString('en')} private keys; Certdesk restores at most ${MAX_BACKUP_KEYS.toLocaleString('en')} from one backup (each takes time to import). Nothing was restored.`,
  );
}

/**
 * Largest backup accepted. 5,000 certificates (~1.5 kB DER each) with their keys are ~15 MB of
 * base64 JSON; 64 MiB leaves four times that and keeps a hostile file from exhausting memory.
 */
export const MAX_BACKUP_BYTES = 64 * 1024 * 1024;

interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string };
  check: string;
}

interface BackupFile extends BackupHeader {
  ciphertext: string;
}

export interface BackupResult {
  /** The file to save. */
  bytes: Uint8Array;
  fileName: string;
  keysIncluded: number;
  /** Non-exportable keys: the UI lists them as not in the backup. */
  keysNotIncluded: KeyNotIncluded[];
}

const b64 = bytesToBase64;
const unb64 = (text: string) => strictBase64(text, damaged);
const buf = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

/**
 * The 512 PBKDF2 bits of a backup: AES-256-GCM key bytes and the check value. Exported for the
 * interoperability test that derives the same bits with `openssl kdf`.
 */
export async function deriveBackupSecrets(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<{ aesKey: Uint8Array; check: Uint8Array }> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: buf(salt), iterations }, base, 512));
  return { aesKey: bits.slice(0, 32), check: bits.slice(32) };
}

function headerBytes(header: BackupHeader): Uint8Array {
  const { format, version, kdf, cipher, check } = header;
  return new TextEncoder().encode(JSON.stringify({ format, version, kdf, cipher, check }));
}

function checkPassphrase(passphrase: string): void {
  if (passphrase.length < 8) {
    throw new CertdeskError('weak-passphrase', 'Use a passphrase of at least 8 characters; it protects your private keys.');
  }
}

/** Writes the whole workspace, encrypted under `passphrase`, to one file. */
export async function createBackup<K extends KeyMaterial>(
  ctx: WorkspaceContext<K>,
  passphrase: string,
  options: { iterations?: number; signal?: AbortSignal } = {},
): Promise<BackupResult> {
  ctx.assertOpen();
  checkPassphrase(passphrase);
  const contents = await readContents(ctx, { withKeys: true, ...(options.signal ? { signal: options.signal } : {}) });
  // Never write a file that restore would refuse.
  if (contents.keys.length > MAX_BACKUP_KEYS) throw tooManyKeys(contents.keys.length);
  const now = contents.createdAt;
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const iterations = options.iterations ?? BACKUP_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < MIN_BACKUP_ITERATIONS || iterations > MAX_BACKUP_ITERATIONS) {
    // Never write a file that restore would refuse.
    throw new CertdeskError('invalid-backup-iterations', `A backup needs ${MIN_BACKUP_ITERATIONS.toLocaleString('en')}–${MAX_BACKUP_ITERATIONS.toLocaleString('en')} PBKDF2 iterations; the default (${BACKUP_ITERATIONS.toLocaleString('en')}) is right for almost everyone.`);
  }
  const secrets = await deriveBackupSecrets(passphrase, salt, iterations);
  throwIfAborted(options.signal);
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: b64(salt) },
    cipher: { name: 'AES-GCM', iv: b64(iv) },
    check: b64(secrets.check),
  };
  const aes = await globalThis.crypto.subtle.importKey('raw', buf(secrets.aesKey), 'AES-GCM', false, ['encrypt']);
  secrets.aesKey.fill(0);
  const plaintext = new TextEncoder().encode(JSON.stringify(contents));
  const ciphertext = new Uint8Array(
    await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: buf(headerBytes(header)) }, aes, plaintext),
  );
  plaintext.fill(0);
  const file: BackupFile = { ...header, ciphertext: b64(ciphertext) };
  const day = new Date(now).toISOString().slice(0, 10);
  return {
    bytes: new TextEncoder().encode(JSON.stringify(file)),
    fileName: `certdesk-backup-${day}.certdesk`,
    keysIncluded: contents.keys.length,
    keysNotIncluded: contents.keysNotIncluded,
  };
}

function damaged(detail: string, cause?: unknown): CertdeskError {
  return new CertdeskError(
    'backup-damaged',
    `This backup file is damaged or is not a Certdesk backup (${detail}). Nothing was restored. Use another copy of the backup.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Reads a backup file's JSON and checks its header (format, version, KDF and cipher parameters
 * within their limits), before any key derivation.
 * @throws CertdeskError `backup-damaged` or `backup-newer-version`
 */
export function readBackupFile(bytes: Uint8Array): BackupFile {
  if (bytes.length > MAX_BACKUP_BYTES) throw damaged('too large');
  let file: Partial<BackupFile>;
  try {
    file = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<BackupFile>;
  } catch (cause) {
    throw damaged('not readable', cause);
  }
  if (typeof file !== 'object' || file === null || file.format !== BACKUP_FORMAT) throw damaged('unknown format');
  if (file.version !== BACKUP_VERSION) {
    throw new CertdeskError('backup-newer-version', 'This backup was written by a newer Certdesk. Update Certdesk (reload when online), then restore.');
  }
  const kdf = file.kdf;
  if (
    kdf?.name !== 'PBKDF2' ||
    kdf.hash !== 'SHA-256' ||
    !Number.isInteger(kdf.iterations) ||
    kdf.iterations < MIN_BACKUP_ITERATIONS ||
    kdf.iterations > MAX_BACKUP_ITERATIONS ||
    typeof kdf.salt !== 'string' ||
    file.cipher?.name !== 'AES-GCM' ||
    typeof file.cipher.iv !== 'string' ||
    typeof file.check !== 'string' ||
    typeof file.ciphertext !== 'string'
  ) {
    throw damaged('header');
  }
  return file as BackupFile;
}

/**
 * Derives the key from the passphrase and decrypts the contents; the caller zeroes the plaintext.
 * @throws CertdeskError `backup-wrong-passphrase` or `backup-damaged`
 */
async function decryptBackup(file: BackupFile, passphrase: string): Promise<Uint8Array> {
  let salt: Uint8Array, iv: Uint8Array, check: Uint8Array, ciphertext: Uint8Array;
  try {
    salt = unb64(file.kdf.salt);
    iv = unb64(file.cipher.iv);
    check = unb64(file.check);
    ciphertext = unb64(file.ciphertext);
  } catch (cause) {
    throw damaged('encoding', cause);
  }
  const secrets = await deriveBackupSecrets(passphrase, salt, file.kdf.iterations);
  if (check.length !== secrets.check.length || !secrets.check.every((b, i) => b === check[i])) {
    throw new CertdeskError('backup-wrong-passphrase', 'The passphrase does not open this backup. Nothing was restored. Check the passphrase (it is case-sensitive) and try again.');
  }
  try {
    const aes = await globalThis.crypto.subtle.importKey('raw', buf(secrets.aesKey), 'AES-GCM', false, ['decrypt']);
    return new Uint8Array(
      await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv: buf(iv), additionalData: buf(headerBytes(file)) }, aes, buf(ciphertext)),
    );
  } catch (cause) {
    throw damaged('contents do not authenticate', cause);
  } finally {
    secrets.aesKey.fill(0);
  }
}

/**
 * The record set of a decrypted backup (UTF-8 JSON).
 * @throws CertdeskError `backup-damaged` when it is not one
 */
export function readBackupContents(plaintext: Uint8Array): WorkspaceContents {
  try {
    const contents = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as WorkspaceContents;
    for (const list of ['appliances', 'certificates', 'keys', 'keysNotIncluded', 'requests', 'ipAssignments', 'events'] as const) {
      if (!Array.isArray(contents[list])) throw new Error(list);
    }
    const distinctKeys = new Set(contents.keys.map((k) => (k as { pkcs8?: unknown } | null)?.pkcs8)).size;
    if (distinctKeys > MAX_BACKUP_KEYS) throw tooManyKeys(distinctKeys);
    return contents;
  } catch (cause) {
    if (cause instanceof CertdeskError) throw cause;
    throw damaged('contents', cause);
  }
}

/**
 * Merges the decrypted contents of a backup into the workspace (contents.ts), zeroing the
 * plaintext once read: a damaged record set changes nothing.
 */
export function restoreDecryptedBackup<K extends KeyMaterial>(ctx: WorkspaceContext<K>, plaintext: Uint8Array): Promise<RestoreSummary> {
  let contents: WorkspaceContents;
  try {
    contents = readBackupContents(plaintext);
  } finally {
    plaintext.fill(0);
  }
  return mergeContents(ctx, contents, { label: 'a backup', damaged });
}

/**
 * Restores a backup into the workspace, merging (contents.ts): a wrong passphrase or a damaged
 * file changes nothing.
 */
export async function restoreBackup<K extends KeyMaterial>(ctx: WorkspaceContext<K>, bytes: Uint8Array, passphrase: string): Promise<RestoreSummary> {
  return restoreDecryptedBackup(ctx, await decryptBackup(readBackupFile(bytes), passphrase));
}
