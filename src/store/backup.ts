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
import { DEFAULT_APPLIANCE, type Appliance } from '../core/appliance/appliance';
import type { CertificateEntry, RequestEntry } from '../core/appliance/certificate-entry';
import { readCertificateFacts } from '../core/appliance/certificate-facts';
import type { EventEntry } from '../core/appliance/event-log';
import { logEvent } from '../core/appliance/event-log';
import type { IpAssignment } from '../core/appliance/ip-assignment';
import type { KeyEntry, KeyMaterial } from '../core/appliance/key-entry';
import { read, tx, type WriteTx } from './database';
import { ALL_STORES, STORE, type StoreName } from './schema';
import type { WorkspaceContext } from './context';
import { base64ToBytes, bytesToBase64, isBase64 } from '../core/pki/asn1/bytes';

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

type Serialised<T, F extends keyof T> = Omit<T, F> & { [P in F]: string };

interface BackupKey {
  id: string;
  applianceId: string;
  friendlyName: string;
  createdAt: number;
  algorithm: string;
  publicKeySha256: string;
  pkcs8: string;
}

/** A key the backup could not include. */
export interface KeyNotIncluded {
  id: string;
  applianceId: string;
  friendlyName: string;
  publicKeySha256: string;
}

interface BackupContents {
  createdAt: number;
  appliances: Appliance[];
  certificates: Serialised<Omit<CertificateEntry, 'facts'>, 'der'>[];
  keys: BackupKey[];
  keysNotIncluded: KeyNotIncluded[];
  requests: Serialised<RequestEntry, 'der'>[];
  ipAssignments: IpAssignment[];
  events: EventEntry[];
}

export interface BackupResult {
  /** The file to save. */
  bytes: Uint8Array;
  fileName: string;
  keysIncluded: number;
  /** Non-exportable keys: the UI lists them as not in the backup. */
  keysNotIncluded: KeyNotIncluded[];
}

export interface RestoreSummary {
  appliancesAdded: number;
  certificatesAdded: number;
  keysAdded: number;
  requestsAdded: number;
  ipAssignmentsAdded: number;
  /** Records that were already in the workspace (by fingerprint or id). */
  alreadyPresent: number;
  keysNotIncluded: KeyNotIncluded[];
  /**
   * The untouched starter appliance of a fresh workspace that the backup replaced (restoring on a
   * new laptop should not leave an extra "My appliance" beside the restored ones).
   */
  replacedStarterAppliance?: string;
}

const b64 = bytesToBase64;
/** Strict base64 (a lenient atob would let damage through unnoticed). */
const unb64 = (text: string): Uint8Array => {
  if (text !== '' && !isBase64(text)) throw damaged('encoding');
  return base64ToBytes(text);
};
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
  const data = await read(ctx.db, ALL_STORES, async (t) => ({
    appliances: await t.objectStore(STORE.appliances).getAll(),
    certificates: await t.objectStore(STORE.certificates).getAll(),
    keys: await t.objectStore(STORE.keys).getAll(),
    requests: await t.objectStore(STORE.requests).getAll(),
    ipAssignments: await t.objectStore(STORE.ipAssignments).getAll(),
    events: await t.objectStore(STORE.events).getAll(),
  }));
  const keys: BackupKey[] = [];
  const keysNotIncluded: KeyNotIncluded[] = [];
  for (const entry of data.keys as KeyEntry<K>[]) {
    throwIfAborted(options.signal);
    const meta = { id: entry.id, applianceId: entry.applianceId, friendlyName: entry.friendlyName, publicKeySha256: entry.key.publicKeySha256 };
    if (!entry.key.exportable) {
      keysNotIncluded.push(meta);
      continue;
    }
    const pkcs8 = await ctx.pki.exportPrivateKey(entry.key);
    keys.push({ ...meta, createdAt: entry.createdAt, algorithm: entry.key.algorithm, pkcs8: b64(pkcs8) });
    pkcs8.fill(0);
  }
  const now = ctx.clock();
  const contents: BackupContents = {
    createdAt: now,
    appliances: data.appliances,
    certificates: data.certificates.map(({ facts: _facts, ...c }) => ({ ...c, der: b64(c.der) })),
    keys,
    keysNotIncluded,
    requests: data.requests.map((r) => ({ ...r, der: b64(r.der) })),
    ipAssignments: data.ipAssignments,
    events: data.events,
  };
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
    keysIncluded: keys.length,
    keysNotIncluded,
  };
}

function damaged(detail: string, cause?: unknown): CertdeskError {
  return new CertdeskError(
    'backup-damaged',
    `This backup file is damaged or is not a Certdesk backup (${detail}). Nothing was restored. Use another copy of the backup.`,
    cause === undefined ? undefined : { cause },
  );
}

function parseFile(bytes: Uint8Array): BackupFile {
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

async function decryptContents(file: BackupFile, passphrase: string): Promise<BackupContents> {
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
  let plaintext: Uint8Array;
  try {
    const aes = await globalThis.crypto.subtle.importKey('raw', buf(secrets.aesKey), 'AES-GCM', false, ['decrypt']);
    plaintext = new Uint8Array(
      await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv: buf(iv), additionalData: buf(headerBytes(file)) }, aes, buf(ciphertext)),
    );
  } catch (cause) {
    throw damaged('contents do not authenticate', cause);
  } finally {
    secrets.aesKey.fill(0);
  }
  try {
    const contents = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as BackupContents;
    for (const list of ['appliances', 'certificates', 'keys', 'keysNotIncluded', 'requests', 'ipAssignments', 'events'] as const) {
      if (!Array.isArray(contents[list])) throw new Error(list);
    }
    return contents;
  } catch (cause) {
    throw damaged('contents', cause);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Restores a backup into the workspace, merging: what is already there stays as it is, what is
 * missing is added. Decryption, key import and certificate parsing happen first; then one
 * transaction writes everything or, on any failure, nothing.
 */
export async function restoreBackup<K extends KeyMaterial>(ctx: WorkspaceContext<K>, bytes: Uint8Array, passphrase: string): Promise<RestoreSummary> {
  const contents = await decryptContents(parseFile(bytes), passphrase);
  const newId = () => ctx.newId();
  // Crypto and parsing before the transaction opens.
  const keys: KeyEntry<K>[] = [];
  const certificates: CertificateEntry[] = [];
  const requests: RequestEntry[] = [];
  try {
    for (const k of contents.keys) {
      const key = await ctx.pki.importPrivateKey(unb64(k.pkcs8), { exportable: true });
      if (key.publicKeySha256 !== k.publicKeySha256) throw new Error('key does not match its fingerprint');
      keys.push({ id: k.id, applianceId: k.applianceId, friendlyName: k.friendlyName, createdAt: k.createdAt, key });
    }
    for (const c of contents.certificates) {
      const der = unb64(c.der);
      const facts = await readCertificateFacts(der);
      if (facts.sha256 !== c.sha256) throw new Error('certificate does not match its fingerprint');
      certificates.push({ ...c, der, facts });
    }
    for (const r of contents.requests) requests.push({ ...r, der: unb64(r.der) });
  } catch (cause) {
    if (cause instanceof CertdeskError && cause.code === 'backup-damaged') throw cause;
    throw damaged('records', cause);
  }
  const now = ctx.clock();
  const summary: RestoreSummary = {
    appliancesAdded: 0,
    certificatesAdded: 0,
    keysAdded: 0,
    requestsAdded: 0,
    ipAssignmentsAdded: 0,
    alreadyPresent: 0,
    keysNotIncluded: contents.keysNotIncluded,
  };
  await tx(ctx.db, ALL_STORES, async (t) => {
    const appliances = t.objectStore(STORE.appliances);
    const starter = await untouchedStarter(t, contents);
    if (starter) {
      for (const store of [STORE.certificates, STORE.keys, STORE.requests, STORE.ipAssignments] as const) {
        const index = t.objectStore(store).index('byAppliance');
        for (const key of await index.getAllKeys(starter.id)) await t.objectStore(store).delete(key);
      }
      await appliances.delete(starter.id);
      summary.replacedStarterAppliance = starter.name;
    }
    const applianceIds = new Set(await appliances.getAllKeys());
    for (const a of contents.appliances) {
      if (applianceIds.has(a.id)) {
        summary.alreadyPresent++;
        // Keep the local appliance; add only IP addresses it does not have yet.
        const local = (await appliances.get(a.id))!;
        const extra = a.ipAddresses.filter((e) => !local.ipAddresses.some((l) => l.ip === e.ip));
        if (extra.length) await appliances.put({ ...local, ipAddresses: [...local.ipAddresses, ...extra] });
        continue;
      }
      await appliances.add(a);
      applianceIds.add(a.id);
      summary.appliancesAdded++;
    }
    // Keys: by appliance and public key. A backup key id that is taken maps to the local one.
    const keyStore = t.objectStore(STORE.keys);
    const localKeys = await keyStore.getAll();
    const keyIdMap = new Map<string, string>();
    for (const local of localKeys) keyIdMap.set(local.id, local.id);
    const findLocalKey = (applianceId: string, spki: string) =>
      localKeys.find((l) => l.applianceId === applianceId && l.key.publicKeySha256 === spki);
    for (const k of keys) {
      const existing = findLocalKey(k.applianceId, k.key.publicKeySha256);
      if (existing) {
        keyIdMap.set(k.id, existing.id);
        summary.alreadyPresent++;
        continue;
      }
      const entry = keyIdMap.has(k.id) ? { ...k, id: newId() } : k;
      await keyStore.add(entry);
      localKeys.push(entry);
      keyIdMap.set(k.id, entry.id);
      summary.keysAdded++;
    }
    for (const missing of contents.keysNotIncluded) {
      const existing = findLocalKey(missing.applianceId, missing.publicKeySha256);
      if (existing) keyIdMap.set(missing.id, existing.id);
    }
    const certStore = t.objectStore(STORE.certificates);
    for (const c of certificates) {
      if (!applianceIds.has(c.applianceId)) throw damaged('a certificate of an unknown appliance');
      const mappedKey = c.keyId !== undefined ? keyIdMap.get(c.keyId) : undefined;
      const restored: CertificateEntry = { ...c };
      if (mappedKey) restored.keyId = mappedKey;
      else delete restored.keyId;
      const existing = await certStore.get(c.id);
      if (existing) {
        summary.alreadyPresent++;
        if (existing.keyId === undefined && mappedKey) await certStore.put({ ...existing, keyId: mappedKey });
        continue;
      }
      await certStore.add(restored);
      summary.certificatesAdded++;
    }
    const requestStore = t.objectStore(STORE.requests);
    for (const r of requests) {
      if (await requestStore.get(r.id)) {
        summary.alreadyPresent++;
        continue;
      }
      const keyId = keyIdMap.get(r.keyId);
      await requestStore.add(keyId ? { ...r, keyId } : r);
      summary.requestsAdded++;
    }
    const ipStore = t.objectStore(STORE.ipAssignments);
    for (const a of contents.ipAssignments) {
      if (await ipStore.get([a.applianceId, a.ip])) {
        summary.alreadyPresent++;
        continue;
      }
      if (!(await certStore.get(a.certificateId))) throw damaged('an IP assignment without its certificate');
      await ipStore.add(a);
      summary.ipAssignmentsAdded++;
    }
    const eventStore = t.objectStore(STORE.events);
    for (const e of contents.events) {
      if (!(await eventStore.get(e.id))) await eventStore.add(e);
    }
    await eventStore.add(
      logEvent(newId(), now, 'backup-restored', `Restored a backup from ${new Date(contents.createdAt).toISOString().slice(0, 10)}: ${summary.certificatesAdded} certificates, ${summary.keysAdded} keys added.`),
    );
  });
  return summary;
}

/**
 * The workspace's only appliance, when it is the starter a fresh workspace made and the admin
 * has not touched it (default names, no IP addresses, nothing but its factory default certificate
 * and key) and the backup does not hold it. Restoring replaces it.
 */
async function untouchedStarter(
  t: WriteTx<StoreName[]>,
  contents: BackupContents,
): Promise<Appliance | undefined> {
  const all = await t.objectStore(STORE.appliances).getAll();
  const only = all.length === 1 ? all[0]! : undefined;
  if (!only || contents.appliances.length === 0 || contents.appliances.some((a) => a.id === only.id)) return undefined;
  if (only.name !== DEFAULT_APPLIANCE.name || only.hostname !== DEFAULT_APPLIANCE.hostname || only.siteHostname !== DEFAULT_APPLIANCE.siteHostname) return undefined;
  if (only.ipAddresses.length > 0 || only.inProduction) return undefined;
  const certificates = await t.objectStore(STORE.certificates).index('byAppliance').getAll(only.id);
  const keys = await t.objectStore(STORE.keys).index('byAppliance').getAllKeys(only.id);
  const requests = await t.objectStore(STORE.requests).index('byAppliance').count(only.id);
  if (certificates.length !== 1 || !certificates[0]!.factoryDefault || keys.length !== 1 || requests > 0) return undefined;
  return only;
}
