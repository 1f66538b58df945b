/**
 * The certificate actions of Security > Certificates: the guide's two Create buttons (a new key
 * with a self-signed certificate, or with a certificate request), Import, and delete.
 */
import { CertdeskError, isAbortError } from '../core/errors';
import type { Appliance } from '../core/appliance/appliance';
import type { CertificateEntry, RequestEntry, SubjectInput } from '../core/appliance/certificate-entry';
import { certificateId } from '../core/appliance/certificate-entry';
import { subjectInputOf } from '../core/appliance/renewal';
import { readCertificateFacts } from '../core/appliance/certificate-facts';
import type { EventKind } from '../core/appliance/event-log';
import type { ImportSummary, IncomingFile } from '../core/appliance/import-plan';
import { planImport } from '../core/appliance/import-plan';
import type { KeyEntry, KeyMaterial } from '../core/appliance/key-entry';
import type { KeyAlgorithmName } from '../core/pki/keys';
import type { WorkspaceContext } from './context';
import { certificatesOf, getAppliance, unknownCertificate } from './context';
import type { WriteTx } from './database';
import { read, tx, writeAll } from './database';
import type { DecodedImportFile } from './pki-services';
import { STORE } from './schema';
import { recordBytes } from './room';
import { addCertificateRecord, deleteCertificateRecord, putCertificateRecord } from './certificate-index';

export interface CreateCertificateInput {
  friendlyName: string;
  /** For a request: the certificate it re-keys (same appliance); its reply then renews that certificate. */
  rekeyOf?: string;
  algorithm: KeyAlgorithmName;
  /** An exportable key can go into a .p12 (failover/Atlas); a non-exportable one never leaves. */
  exportable: boolean;
  subject: SubjectInput;
  subjectAltNames: string[];
  validityDays?: number;
  signal?: AbortSignal;
}

export interface ImportFileInput {
  name: string;
  bytes: Uint8Array;
  password?: string;
}

/**
 * The files of an import: all of them in memory, or their count and the files as they are read
 * (the UI reads the admin's files while the first ones are decoded). The count sizes progress;
 * more may come (an archive's files), then progress counts those as well.
 */
export type ImportFiles = readonly ImportFileInput[] | { count: number; files: AsyncIterable<ImportFileInput> };

export interface ImportOptions {
  signal?: AbortSignal;
  /** Keys read from files (a .p12 from another server) stay exportable unless false. */
  keysExportable?: boolean;
  /** Called after each batch of files is decoded (certificates.ts DecodeBatches): (files done, files in all). */
  onProgress?: (done: number, total: number) => void;
}

type CreateTx = WriteTx<('appliances' | 'keys' | 'certificates' | 'requests' | 'events')[]>;

/** What one Create button makes with the new key, and how it is written and logged. */
interface Made<T> {
  record: T;
  write(t: CreateTx): Promise<unknown>;
  event: { kind: EventKind; message: string };
}

/**
 * The part both Create buttons share: check the friendly name, generate the key, let `make` do
 * its crypto with it, then write the key, what was made and its event in one transaction.
 */
async function createWithNewKey<K extends KeyMaterial, T>(
  ctx: WorkspaceContext<K>,
  applianceId: string,
  input: Omit<CreateCertificateInput, 'validityDays'>,
  make: (made: { key: K; appliance: Appliance; keyId: string; friendlyName: string; now: number }) => Promise<Made<T>>,
): Promise<T> {
  const friendlyName = checkedFriendlyName(input.friendlyName);
  // Unknown appliance: refuse before spending a key generation.
  const appliance = await read(ctx.db, [STORE.appliances], (t) => getAppliance(t, applianceId));
  const key = await ctx.pki.generateKey(input.algorithm, { exportable: input.exportable, ...signalOf(input) });
  const now = ctx.clock();
  const keyId = ctx.newId();
  const made = await make({ key, appliance, keyId, friendlyName, now });
  await tx(
    ctx.db,
    [STORE.appliances, STORE.keys, STORE.certificates, STORE.requests, STORE.events],
    async (t) => {
      await getAppliance(t, applianceId);
      await t.objectStore(STORE.keys).add({ id: keyId, applianceId, friendlyName: `${friendlyName} key`, createdAt: now, key });
      await made.write(t);
      await t.objectStore(STORE.events).add(ctx.event(made.event.kind, made.event.message, applianceId));
    },
    input.signal,
  );
  return made.record;
}

/** The guide's "Create Self-Signed Certificate": a new key and a self-signed certificate. */
export function createSelfSigned<K extends KeyMaterial>(ctx: WorkspaceContext<K>, applianceId: string, input: CreateCertificateInput): Promise<CertificateEntry> {
  return ctx.action('createSelfSigned', () => [applianceId], () =>
    createWithNewKey(ctx, applianceId, input, async ({ key, keyId, friendlyName, now }) => {
      const options: Parameters<typeof ctx.pki.createSelfSignedCertificate>[0] = { key, subject: input.subject, subjectAltNames: input.subjectAltNames };
      if (input.validityDays !== undefined) options.validityDays = input.validityDays;
      const der = await ctx.pki.createSelfSignedCertificate(options);
      const facts = await readCertificateFacts(der);
      const cert: CertificateEntry = {
        id: certificateId(applianceId, facts.sha256),
        applianceId,
        sha256: facts.sha256,
        friendlyName,
        der,
        facts,
        keyId,
        factoryDefault: false,
        source: 'self-signed',
        importedAt: now,
      };
      return {
        record: cert,
        write: (t) => addCertificateRecord(t, cert),
        event: { kind: 'certificate-created', message: `Created self-signed certificate "${friendlyName}".` },
      };
    }),
  );
}

/** The guide's "Create Certificate Request": a new key and a CSR signed with it. */
export function createRequest<K extends KeyMaterial>(
  ctx: WorkspaceContext<K>,
  applianceId: string,
  input: Omit<CreateCertificateInput, 'validityDays'>,
): Promise<RequestEntry> {
  return ctx.action('createRequest', () => [applianceId], () =>
    createWithNewKey(ctx, applianceId, input, async ({ key, appliance, keyId, friendlyName, now }) => {
      const original = input.rekeyOf === undefined ? undefined : await rekeyedCertificate(ctx, applianceId, input.rekeyOf);
      const csr = await ctx.pki.createCsr({ key, subject: input.subject, subjectAltNames: input.subjectAltNames, siteHostname: appliance.siteHostname });
      const request: RequestEntry = {
        id: ctx.newId(),
        applianceId,
        keyId,
        friendlyName,
        subject: input.subject,
        subjectAltNames: input.subjectAltNames,
        der: csr.der,
        createdAt: now,
      };
      if (original) request.rekeyOf = original.id;
      return {
        record: request,
        write: (t) => t.objectStore(STORE.requests).add(request),
        event: {
          kind: 'request-created',
          message: original
            ? `Created certificate request "${friendlyName}" with a new key to re-key "${original.friendlyName}".`
            : `Created certificate request "${friendlyName}".`,
        },
      };
    }),
  );
}

/**
 * Imports files (certificates, chains, .p7b, .p12 with keys). Every file is decoded first (in
 * batches, in the PKI worker in the app); a file that cannot be read is reported as rejected with
 * the reason and the others still import. All accepted records are written in one transaction.
 */
export function importFiles<K extends KeyMaterial>(
  ctx: WorkspaceContext<K>,
  applianceId: string,
  files: ImportFiles,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return ctx.action('importFiles', () => [applianceId], async () => {
    const incoming: IncomingFile<K>[] = [];
    let spent = 0; // the import's shared key-derivation budget (limits.maxWorkPerImport)
    const { count, source } = 'count' in files ? { count: files.count, source: files.files } : { count: files.length, source: files };
    const batches = new DecodeBatches(source);
    for (let batch = await batches.next(); batch.length > 0; batch = await batches.next()) {
      const started = performance.now();
      const decoded = await ctx.pki.decodeFiles(
        batch.map((file) => (file.password !== undefined ? { bytes: file.bytes, password: file.password } : { bytes: file.bytes })),
        { importWorkSpent: spent, ...signalOf(options) },
      );
      batches.took(performance.now() - started);
      for (const [i, outcome] of decoded.entries()) {
        if (outcome.ok) spent += outcome.workSpent;
        incoming.push(await incomingFile(ctx, batch[i]!.name, outcome, options));
      }
      options.onProgress?.(incoming.length, Math.max(count, incoming.length));
    }
    await ctx.ensureRoom(recordBytes(incoming.flatMap((file) => file.certificates)));
    return writeImport(ctx, applianceId, incoming, options.signal);
  });
}

/**
 * The files of an import in decoding jobs: one message to the worker per batch, not per file (an
 * import may be thousands of files). The first batch is BATCH_FILES files; each batch that
 * decoded within QUICK_BATCH_MS is followed by one twice its size (up to MAX_BATCH_FILES), a
 * slower one by one half its size. Thousands of small PEM files take a few jobs instead of a
 * hundred, while files that are slow to decode (PKCS#12 with costly key derivations) still
 * report progress every few of them. A batch holds at most BATCH_BYTES, or one larger file.
 * Files that are still being read are waited for only when a batch needs them.
 */
export class DecodeBatches<T extends { bytes: Uint8Array }> {
  #files: Iterator<T> | AsyncIterator<T>;
  #held: T | undefined;
  #size = BATCH_FILES;

  constructor(files: Iterable<T> | AsyncIterable<T>) {
    this.#files = Symbol.asyncIterator in files ? files[Symbol.asyncIterator]() : files[Symbol.iterator]();
  }

  /** The next batch (empty when all files were handed out). */
  async next(): Promise<T[]> {
    const batch: T[] = [];
    let bytes = 0;
    while (batch.length < this.#size) {
      let file = this.#held;
      this.#held = undefined;
      if (!file) {
        const result = await this.#files.next();
        if (result.done) break;
        file = result.value;
      }
      if (batch.length > 0 && bytes + file.bytes.length > BATCH_BYTES) {
        this.#held = file;
        break;
      }
      batch.push(file);
      bytes += file.bytes.length;
    }
    return batch;
  }

  /** How long the last batch took to decode: sizes the next. */
  took(ms: number): void {
    this.#size = ms < QUICK_BATCH_MS ? Math.min(MAX_BATCH_FILES, this.#size * 2) : Math.max(1, Math.floor(this.#size / 2));
  }
}

/** Files in the first decoding job and at most in one, and bytes at most in one (DecodeBatches). */
export const BATCH_FILES = 50;
export const MAX_BATCH_FILES = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;
/** A decoding job within this is quick enough to double the next one. */
const QUICK_BATCH_MS = 100;

/**
 * Plans an import of what was read or made (linking keys, certificates and requests, see
 * core/appliance/import-plan.ts) and writes it in one transaction. Callers hold the action lock.
 * The appliance's certificates are read in chunks (chunks.ts): thousands never block the page.
 */
export function writeImport<K extends KeyMaterial>(
  ctx: WorkspaceContext<K>,
  applianceId: string,
  incoming: IncomingFile<K>[],
  signal?: AbortSignal,
): Promise<ImportSummary> {
  return tx(
    ctx.db,
    [STORE.appliances, STORE.keys, STORE.certificates, STORE.requests, STORE.events],
    async (t) => {
      await getAppliance(t, applianceId);
      const plan = planImport(
        {
          applianceId,
          now: ctx.clock(),
          // Certificate ids start with their appliance's (core/appliance/certificate-entry.ts).
          certificates: await certificatesOf(t, applianceId),
          keys: (await t.objectStore(STORE.keys).index('byAppliance').getAll(applianceId)) as KeyEntry<K>[],
          requests: await t.objectStore(STORE.requests).index('byAppliance').getAll(applianceId),
          newId: () => ctx.newId(),
          clientSoftwareRoots: (await getAppliance(t, applianceId)).clientSoftware.roots,
        },
        incoming,
      );
      await writeAll([
        ...plan.keys.map((k) => () => t.objectStore(STORE.keys).add(k)),
        ...plan.certificates.map((c) => () => putCertificateRecord(t, c)),
        ...plan.requests.map((r) => () => t.objectStore(STORE.requests).put(r)),
        ...plan.events.map((e) => () => t.objectStore(STORE.events).add(e)),
      ]);
      return plan.summary;
    },
    signal,
  );
}

/** One decoded file as the import plan takes it: private keys imported (non-extractable unless exportable), or why it was rejected. */
async function incomingFile<K extends KeyMaterial>(
  ctx: WorkspaceContext<K>,
  name: string,
  decoded: DecodedImportFile,
  options: { keysExportable?: boolean },
): Promise<IncomingFile<K>> {
  const out: IncomingFile<K> = { file: name, certificates: [], keys: [] };
  if (!decoded.ok) {
    out.rejected = { code: decoded.code, message: decoded.message ?? `${name} could not be read as a certificate, chain or key file.` };
    return out;
  }
  try {
    out.certificates = decoded.certificates;
    for (const k of decoded.privateKeys) {
      const key = await ctx.pki.importPrivateKey(k.pkcs8, { exportable: options.keysExportable ?? true });
      out.keys.push(k.friendlyName ? { key, friendlyName: k.friendlyName } : { key });
    }
  } catch (error) {
    if (isAbortError(error)) throw error;
    out.certificates = [];
    out.keys = [];
    out.rejected =
      error instanceof CertdeskError ? { code: error.code, message: error.message } : { code: 'unreadable-file', message: `${name} could not be read as a certificate, chain or key file.` };
    return out;
  }
  if (out.certificates.length === 0 && out.keys.length === 0) {
    out.rejected = { code: 'nothing-to-import', message: `${name} holds no certificate and no private key. Choose the certificate files your CA sent.` };
  }
  return out;
}

/**
 * Deletes a certificate. Refused for the factory default and for a certificate still serving
 * an IP ("the old certificate may be removed" once its IPs moved). Its key stays: a renewal
 * may still arrive for it.
 */
export function deleteCertificate(ctx: WorkspaceContext, certId: string): Promise<void> {
  let applianceId = '';
  return ctx.action('deleteCertificate', () => [applianceId], () =>
    tx(ctx.db, [STORE.certificates, STORE.ipAssignments, STORE.requests, STORE.events], async (t) => {
      const cert = await t.objectStore(STORE.certificates).get(certId);
      if (!cert) throw unknownCertificate();
      applianceId = cert.applianceId;
      if (cert.factoryDefault) {
        throw new CertdeskError('factory-default', 'The factory default certificate ships with the appliance and cannot be deleted.');
      }
      const serving = await t.objectStore(STORE.ipAssignments).index('byCertificate').getAll(certId);
      if (serving.length > 0) {
        throw new CertdeskError(
          'certificate-in-use',
          `"${cert.friendlyName}" still serves ${serving.map((a) => a.ip).join(', ')}. Assign those addresses to another certificate first.`,
        );
      }
      await deleteCertificateRecord(t, certId);
      // A request fulfilled by this certificate points to another one with the same key, if any.
      const requests = await t.objectStore(STORE.requests).index('byAppliance').getAll(cert.applianceId);
      const sameKey = cert.keyId ? await t.objectStore(STORE.certificates).index('byKey').getAll(cert.keyId) : [];
      for (const req of requests.filter((r) => r.fulfilledBy === certId)) {
        const next: RequestEntry = { ...req };
        const other = sameKey.find((c) => c.id !== certId);
        if (other) next.fulfilledBy = other.id;
        else delete next.fulfilledBy;
        await t.objectStore(STORE.requests).put(next);
      }
      await t.objectStore(STORE.events).add(ctx.event('certificate-deleted', `Deleted certificate "${cert.friendlyName}".`, cert.applianceId));
    }),
  );
}

function signalOf(input: { signal?: AbortSignal }): { signal?: AbortSignal } {
  return input.signal ? { signal: input.signal } : {};
}

function checkedFriendlyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') {
    throw new CertdeskError('invalid-friendly-name', 'Give the certificate a friendly name, e.g. your DNS name or the month and year.');
  }
  return trimmed;
}

/** The certificate a re-key request is made from; it must be a certificate of the same appliance. */
async function rekeyedCertificate(ctx: WorkspaceContext, applianceId: string, certId: string): Promise<CertificateEntry> {
  const cert = await read(ctx.db, [STORE.certificates], (t) => t.objectStore(STORE.certificates).get(certId));
  if (!cert) throw unknownCertificate();
  if (cert.applianceId !== applianceId) {
    throw new CertdeskError('invalid-rekey', 'Re-key a certificate on the appliance that will use the new key.');
  }
  return cert;
}

/** What the Re-key form starts from: the certificate's subject and names, its key's type. */
export interface RekeyDraft {
  certificateId: string;
  friendlyName: string;
  algorithm: KeyAlgorithmName;
  exportable: boolean;
  subject: SubjectInput;
  subjectAltNames: string[];
}

const FORM_ALGORITHMS: readonly string[] = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256', 'ECDSA-P384'];

/**
 * A request prefilled from a certificate, for the guide's re-key: the same subject and Subject
 * Alternative Names (the Create form adds the site hostname as it always does), a new key of
 * the same type when the form offers it (else RSA 2048, which every CA takes).
 */
export async function rekeyDraft(ctx: WorkspaceContext, certId: string): Promise<RekeyDraft> {
  ctx.assertOpen();
  const { cert, key } = await read(ctx.db, [STORE.certificates, STORE.keys], async (t) => {
    const cert = await t.objectStore(STORE.certificates).get(certId);
    if (!cert) throw unknownCertificate();
    return { cert, key: cert.keyId ? await t.objectStore(STORE.keys).get(cert.keyId) : undefined };
  });
  const description = await ctx.pki.describeCertificate(cert.der);
  const algorithm = key && FORM_ALGORITHMS.includes(key.key.algorithm) ? (key.key.algorithm as KeyAlgorithmName) : 'RSA-2048';
  return {
    certificateId: cert.id,
    friendlyName: `${cert.friendlyName} (re-key)`,
    algorithm,
    exportable: key?.key.exportable ?? true,
    subject: subjectInputOf(description.subject),
    subjectAltNames: [...cert.facts.dnsNames, ...cert.facts.ipAddresses],
  };
}

/**
 * Adds a root from the built-in store (the Mozilla roots Certdesk ships) to the appliance,
 * recorded as coming from there. Refused for bytes that are not one of those roots.
 */
export function addBuiltInRoot<K extends KeyMaterial>(ctx: WorkspaceContext<K>, applianceId: string, der: Uint8Array): Promise<ImportSummary> {
  return ctx.action('addBuiltInRoot', () => [applianceId], async () => {
    const roots = await ctx.pki.builtInRoots();
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (!roots.some((root) => same(root, der))) {
      throw new CertdeskError('not-a-built-in-root', 'That certificate is not in the built-in root store. Import it from your CA instead.');
    }
    const facts = await readCertificateFacts(der);
    return writeImport(ctx, applianceId, [{ file: 'Built-in root store', certificates: [{ der, facts }], keys: [], source: 'built-in-store' }]);
  });
}
