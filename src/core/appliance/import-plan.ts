/**
 * What an import changes, decided before anything is written. The guide: "Installing the new
 * certificate automatically links the private key to the new certificate"; a renewal (same key,
 * later expiry) links the same way; the request the certificate answers is shown as fulfilled.
 * Importing what is already there changes nothing and says so.
 */
import type { Problem } from '../errors';
import type { CertificateEntry, CertificateSource, RequestEntry } from './certificate-entry';
import { certificateId, certificateKind } from './certificate-entry';
import type { CertificateFacts } from './certificate-facts';
import type { EventEntry } from './event-log';
import { logEvent } from './event-log';
import type { KeyEntry, KeyMaterial } from './key-entry';
import { ipAddressSanProblem } from './warnings';

/** A certificate read from a file (parsing and hashing already done). */
export interface IncomingCertificate {
  der: Uint8Array;
  facts: CertificateFacts;
  friendlyName?: string;
}

/** A private key read from a file (already imported as a non-extractable CryptoKey). */
export interface IncomingKey<K extends KeyMaterial = KeyMaterial> {
  key: K;
  friendlyName?: string;
}

/** One file of an import, after decoding; `rejected` when it could not be read at all. */
export interface IncomingFile<K extends KeyMaterial = KeyMaterial> {
  file: string;
  certificates: IncomingCertificate[];
  keys: IncomingKey<K>[];
  rejected?: Problem;
  /** Where the certificates come from; 'imported' unless said (e.g. the built-in root store). */
  source?: Extract<CertificateSource, 'imported' | 'built-in-store'>;
}

/** What happened to one file. Certificate ids in each list. */
export interface FileOutcome {
  file: string;
  /** New certificates without a key here. */
  added: string[];
  /** New certificates linked to a key, and stored certificates that a new key now links. */
  linked: string[];
  alreadyPresent: string[];
  keysAdded: string[];
  keysAlreadyPresent: string[];
  rejected?: Problem;
  /** The guide's warnings about what was imported (IP addresses in SANs). */
  warnings: Problem[];
}

export interface ImportSummary {
  files: FileOutcome[];
  added: number;
  linked: number;
  alreadyPresent: number;
  rejected: number;
  /**
   * Root certificates added that the appliance's client software does not have yet: the guide
   * asks for a support package "any time you import a new root certificate".
   */
  newRoots: string[];
}

/** The appliance's current records, read inside the import's transaction. */
export interface ImportContext<K extends KeyMaterial = KeyMaterial> {
  applianceId: string;
  now: number;
  certificates: readonly CertificateEntry[];
  keys: readonly KeyEntry<K>[];
  requests: readonly RequestEntry[];
  newId: () => string;
  /** SHA-256 of the roots built into the appliance's client software. */
  clientSoftwareRoots?: readonly string[];
}

export interface ImportPlan<K extends KeyMaterial = KeyMaterial> {
  /** Records to put (new, or stored ones that gained a key). */
  certificates: CertificateEntry[];
  keys: KeyEntry<K>[];
  requests: RequestEntry[];
  events: EventEntry[];
  summary: ImportSummary;
}

/**
 * Files whose imported certificates are logged one event each, at most: an import of thousands of
 * one-certificate files logged thousands of events (each a record written, in the same
 * transaction), which made it cost more than one bundle of the same certificates. Past this, one
 * event counts them and names the first FILES_NAMED files.
 */
export const FILES_LOGGED_ONE_BY_ONE = 10;
const FILES_NAMED = 3;

/** Decides every record an import writes. Pure: same inputs, same plan. */
export function planImport<K extends KeyMaterial>(
  ctx: ImportContext<K>,
  files: readonly IncomingFile<K>[],
): ImportPlan<K> {
  const certs = new Map(ctx.certificates.map((c) => [c.sha256, c] as const));
  const keysBySpki = new Map(ctx.keys.map((k) => [k.key.publicKeySha256, k] as const));
  const requests = new Map(ctx.requests.map((r) => [r.id, r] as const));
  const changedCerts = new Map<string, CertificateEntry>();
  const newKeys: KeyEntry<K>[] = [];
  const changedRequests = new Map<string, RequestEntry>();
  const events: EventEntry[] = [];
  const outcomes: FileOutcome[] = [];
  const newRoots: string[] = [];
  // An import of more files than FILES_LOGGED_ONE_BY_ONE logs its certificates in one event.
  const imported = { certificates: 0, linked: 0, files: [] as string[] };
  const event = (kind: EventEntry['kind'], message: string) =>
    events.push(logEvent(ctx.newId(), ctx.now, kind, message, ctx.applianceId));

  const fulfil = (cert: CertificateEntry, keyId: string) => {
    for (const req of requests.values()) {
      if (req.keyId === keyId && req.fulfilledBy === undefined) {
        const done = { ...req, fulfilledBy: cert.id };
        requests.set(req.id, done);
        changedRequests.set(req.id, done);
        event('request-fulfilled', `Request "${req.friendlyName}" fulfilled by "${cert.friendlyName}".`);
      }
    }
  };

  for (const file of files) {
    const out: FileOutcome = { file: file.file, added: [], linked: [], alreadyPresent: [], keysAdded: [], keysAlreadyPresent: [], warnings: [] };
    outcomes.push(out);
    if (file.rejected) {
      out.rejected = file.rejected;
      continue;
    }
    // Keys first, so certificates in the same file (a .p12) link to them.
    for (const incoming of file.keys) {
      const spki = incoming.key.publicKeySha256;
      const existing = keysBySpki.get(spki);
      if (existing) {
        out.keysAlreadyPresent.push(existing.id);
        continue;
      }
      const entry: KeyEntry<K> = {
        id: ctx.newId(),
        applianceId: ctx.applianceId,
        friendlyName: incoming.friendlyName ?? `Key from ${file.file}`,
        createdAt: ctx.now,
        key: incoming.key,
      };
      keysBySpki.set(spki, entry);
      newKeys.push(entry);
      out.keysAdded.push(entry.id);
      event('key-imported', `Imported a private key from ${file.file}.`);
      // A key arriving for certificates already stored ("transfer the private key").
      for (const cert of certs.values()) {
        if (cert.keyId === undefined && cert.facts.publicKeySha256 === spki) {
          const linked = { ...cert, keyId: entry.id };
          certs.set(cert.sha256, linked);
          changedCerts.set(cert.sha256, linked);
          out.linked.push(cert.id);
          event('certificate-linked', `"${cert.friendlyName}" linked to its private key.`);
          fulfil(linked, entry.id);
        }
      }
    }
    let fresh = 0;
    for (const incoming of file.certificates) {
      const existing = certs.get(incoming.facts.sha256);
      if (existing) {
        out.alreadyPresent.push(existing.id);
        continue;
      }
      const key = keysBySpki.get(incoming.facts.publicKeySha256);
      // The CA's reply to a request carries no name of its own: it takes the request's, so the
      // admin finds under the same friendly name what they asked for.
      const answered = key ? [...requests.values()].find((r) => r.keyId === key.id && r.fulfilledBy === undefined) : undefined;
      const entry: CertificateEntry = {
        id: certificateId(ctx.applianceId, incoming.facts.sha256),
        applianceId: ctx.applianceId,
        sha256: incoming.facts.sha256,
        friendlyName: incoming.friendlyName ?? answered?.friendlyName ?? incoming.facts.commonName ?? incoming.facts.subject ?? file.file,
        der: incoming.der,
        facts: incoming.facts,
        factoryDefault: false,
        source: file.source ?? 'imported',
        importedAt: ctx.now,
      };
      if (key) entry.keyId = key.id;
      const ipSans = certificateKind(entry.facts) === 'server' ? ipAddressSanProblem(entry) : undefined;
      if (ipSans) out.warnings.push(ipSans);
      if (certificateKind(entry.facts) === 'root' && !(ctx.clientSoftwareRoots ?? []).includes(entry.sha256)) newRoots.push(entry.id);
      certs.set(entry.sha256, entry);
      changedCerts.set(entry.sha256, entry);
      fresh++;
      if (key) {
        out.linked.push(entry.id);
        fulfil(entry, key.id);
      } else {
        out.added.push(entry.id);
      }
    }
    if (fresh > 0 && files.length <= FILES_LOGGED_ONE_BY_ONE) {
      event(
        'certificate-imported',
        `Imported ${fresh} certificate${fresh === 1 ? '' : 's'} from ${file.file}` +
          (out.linked.length ? `, ${out.linked.length} linked to a private key.` : '.'),
      );
    } else if (fresh > 0) {
      imported.certificates += fresh;
      imported.linked += out.linked.length;
      imported.files.push(file.file);
    }
  }
  if (imported.files.length > 0) {
    const named = imported.files.slice(0, FILES_NAMED);
    const more = imported.files.length - named.length;
    event(
      'certificate-imported',
      `Imported ${imported.certificates} certificate${imported.certificates === 1 ? '' : 's'} from ${imported.files.length} files (${named.join(', ')}${more ? `, and ${more} more` : ''})` +
        (imported.linked ? `, ${imported.linked} linked to a private key.` : '.'),
    );
  }
  const sum = (f: (o: FileOutcome) => number) => outcomes.reduce((n, o) => n + f(o), 0);
  return {
    certificates: [...changedCerts.values()],
    keys: newKeys,
    requests: [...changedRequests.values()],
    events,
    summary: {
      files: outcomes,
      added: sum((o) => o.added.length),
      linked: sum((o) => o.linked.length),
      alreadyPresent: sum((o) => o.alreadyPresent.length),
      rejected: sum((o) => (o.rejected ? 1 : 0)),
      newRoots,
    },
  };
}
