/**
 * What survives when the browser deletes Certdesk's database, and how the loss is noticed.
 *
 * Measured in Chromium 156 with the profile on a nearly full disk (a 9 MB tmpfs): when an
 * IndexedDB write hits "no space", Chromium deletes the origin's whole storage bucket — every
 * IndexedDB database, Cache Storage (the service worker's precache too) and the origin private
 * file system — and only localStorage is left. So the two things kept outside IndexedDB live in
 * localStorage:
 *
 * - the MARKER (a few hundred bytes): that a workspace exists, how many records it holds, when
 *   it last changed and when the last backup was made. A database with fewer records than its
 *   marker (or none) on the next start is a loss Certdesk tells the admin about, instead of
 *   silently starting a fresh workspace.
 * - the SAFETY COPY (bounded, `SAFETY_COPY_MAX_CHARS`): the workspace's record set without any
 *   key material — appliances, IP assignments, requests, certificates (the most needed first
 *   when they do not all fit) and recent events. Private keys cannot be in it: a non-extractable
 *   key exists only inside IndexedDB, and the key that wraps exportable ones lives there too, so
 *   a copy encrypted under it would die with it. Keys come back from the admin's own encrypted
 *   backup; the copy lists which keys it lacks, and restoring says so.
 */
import type { CertificateEntry, RequestEntry } from '../core/appliance/certificate-entry';
import type { KeyEntry } from '../core/appliance/key-entry';
import { bytesToBase64 } from '../core/pki/asn1/bytes';
import type { WorkspaceContents } from './contents';
import type { CertdeskDatabase } from './schema';
import { STORE } from './schema';

/** The part of localStorage used here (injected: Node tests have none). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function defaultKeyValueStore(): KeyValueStore | undefined {
  try {
    return (globalThis as { localStorage?: KeyValueStore }).localStorage ?? undefined;
  } catch {
    return undefined; // localStorage access throws where site data is blocked
  }
}

export interface RecordCounts {
  appliances: number;
  certificates: number;
  keys: number;
  requests: number;
  ipAssignments: number;
}

/** The stores the marker counts. */
export const COUNTED = ['appliances', 'certificates', 'keys', 'requests', 'ipAssignments'] as const;

/** How many records each store holds, in one read. */
export async function countRecords(db: CertdeskDatabase): Promise<RecordCounts> {
  const t = db.transaction(COUNTED.map((name) => STORE[name]), 'readonly');
  const counts = await Promise.all(COUNTED.map((name) => t.objectStore(STORE[name]).count()));
  await t.done;
  return Object.fromEntries(COUNTED.map((name, i) => [name, counts[i]!])) as unknown as RecordCounts;
}

/** "2 appliances, 14 certificates, 3 keys, 1 request and 4 IP assignments". */
export function describeCounts(counts: RecordCounts): string {
  const parts = [
    [counts.appliances, 'appliance'],
    [counts.certificates, 'certificate'],
    [counts.keys, 'key'],
    [counts.requests, 'request'],
    [counts.ipAssignments, 'IP assignment'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => `${(n as number).toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`);
  if (parts.length === 0) return 'nothing';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export interface WorkspaceMarker {
  format: 'certdesk-marker';
  version: 1;
  counts: RecordCounts;
  /** When the workspace last changed (ms since the epoch). */
  updatedAt: number;
  lastBackupAt?: number;
  /** When the safety copy last written was read from the database, if no change came after it. */
  copyTakenAt?: number;
}

const markerKey = (database: string) => `certdesk:marker:${database}`;
const copyKey = (database: string) => `certdesk:safety-copy:${database}`;

function parseText<T>(text: string | null | undefined, format: string): T | undefined {
  try {
    if (!text) return undefined;
    const value = JSON.parse(text) as { format?: unknown; version?: unknown };
    return value?.format === format && value.version === 1 ? (value as T) : undefined;
  } catch {
    return undefined; // unreadable: as if absent
  }
}

function parse<T>(kv: KeyValueStore | undefined, key: string, format: string): T | undefined {
  try {
    return parseText<T>(kv?.getItem(key), format);
  } catch {
    return undefined; // localStorage access throws where site data is blocked
  }
}

export function readMarker(kv: KeyValueStore | undefined, database: string): WorkspaceMarker | undefined {
  const marker = parse<WorkspaceMarker>(kv, markerKey(database), 'certdesk-marker');
  return marker && COUNTED.every((name) => Number.isInteger(marker.counts?.[name])) ? marker : undefined;
}

/** Writes the marker; a full localStorage leaves the old one (the next change tries again). */
export function writeMarker(kv: KeyValueStore | undefined, database: string, marker: WorkspaceMarker): void {
  try {
    kv?.setItem(markerKey(database), JSON.stringify(marker));
  } catch {
    // Best effort: the marker is a safety net, never a reason for an action to fail.
  }
}

/** What was lost, as found when Certdesk started or after a failed write. */
export interface StorageLoss {
  /** What the marker says the workspace held, and when it last changed. */
  expected: RecordCounts;
  changedAt: number;
  found: RecordCounts;
  lastBackupAt?: number;
  safetyCopy?: { takenAt: number; counts: RecordCounts; certificatesLeftOut: number };
}

/** A loss when the database holds fewer records of any kind than the marker recorded. */
export function lossOf(marker: WorkspaceMarker | undefined, found: RecordCounts, copy: SafetyCopy | undefined): StorageLoss | undefined {
  if (!marker || !COUNTED.some((name) => found[name] < marker.counts[name])) return undefined;
  const loss: StorageLoss = { expected: marker.counts, changedAt: marker.updatedAt, found };
  if (marker.lastBackupAt !== undefined) loss.lastBackupAt = marker.lastBackupAt;
  if (copy) loss.safetyCopy = { takenAt: copy.takenAt, counts: copy.counts, certificatesLeftOut: copy.certificatesLeftOut };
  return loss;
}

/**
 * Most characters the safety copy takes: Chromium gives an origin 10 MiB of localStorage counted
 * in UTF-16 (5 million characters); Firefox and Safari 5 MB. Two million leaves room for the rest.
 */
export const SAFETY_COPY_MAX_CHARS = 2_000_000;
/** Events kept in the copy (the log is the admin's record, not needed to work). */
export const SAFETY_COPY_EVENTS = 200;

export interface SafetyCopy {
  format: 'certdesk-safety-copy';
  version: 1;
  takenAt: number;
  counts: RecordCounts;
  /** Certificates that did not fit (the least needed: unassigned, unlinked, not CAs, oldest). */
  certificatesLeftOut: number;
  contents: WorkspaceContents;
}

/**
 * A large copy is written in parts, each its own localStorage item written in a task of its own:
 * one setItem of 2 million characters took 8–76 ms in Chromium 156 (a long task), one of 200,000
 * under 10. The copy's own item then holds a small header naming the parts. Parts alternate
 * between two generations, so the header always names a complete set and an interrupted write
 * leaves nothing the next one does not overwrite or remove.
 */
export const SAFETY_COPY_PART_CHARS = 200_000;
const MAX_PARTS = Math.ceil(SAFETY_COPY_MAX_CHARS / SAFETY_COPY_PART_CHARS) + 1;

interface PartsHeader {
  format: 'certdesk-safety-copy-parts';
  version: 1;
  parts: number;
  generation: 'a' | 'b';
}

const partKey = (database: string, generation: string, index: number) => `${copyKey(database)}:part:${generation}:${index}`;

function partsHeader(text: string | null | undefined): PartsHeader | undefined {
  const header = parseText<PartsHeader>(text, 'certdesk-safety-copy-parts');
  return header && Number.isInteger(header.parts) && header.parts <= MAX_PARTS && (header.generation === 'a' || header.generation === 'b') ? header : undefined;
}

/** The copy's text: its item, or the parts its header names, joined (undefined when one is missing). */
function copyText(kv: KeyValueStore, database: string): string | undefined {
  const text = kv.getItem(copyKey(database));
  const header = partsHeader(text);
  if (!header) return text ?? undefined;
  let joined = '';
  for (let i = 0; i < header.parts; i++) {
    const part = kv.getItem(partKey(database, header.generation, i));
    if (part === null) return undefined;
    joined += part;
  }
  return joined;
}

export function readSafetyCopy(kv: KeyValueStore | undefined, database: string): SafetyCopy | undefined {
  try {
    return kv ? parseText<SafetyCopy>(copyText(kv, database), 'certdesk-safety-copy') : undefined;
  } catch {
    return undefined; // localStorage access throws where site data is blocked
  }
}

/** The records the copy is made from (what contents.ts readRecords returns). */
export interface SafetyCopySource {
  appliances: WorkspaceContents['appliances'];
  certificates: CertificateEntry[];
  keys: KeyEntry[];
  requests: RequestEntry[];
  ipAssignments: WorkspaceContents['ipAssignments'];
  events: WorkspaceContents['events'];
}

/**
 * The certificates in the order the copy keeps them when not all fit: those serving an IP and
 * factory defaults, then those linked to a key, then CA certificates (the chains), then the
 * rest, newest first.
 */
function byNeed(source: SafetyCopySource): { ordered: CertificateEntry[]; required: number } {
  const assigned = new Set(source.ipAssignments.map((a) => a.certificateId));
  const rank = (c: CertificateEntry) => (assigned.has(c.id) || c.factoryDefault ? 0 : c.keyId !== undefined ? 1 : c.facts.isCa ? 2 : 3);
  const ordered = [...source.certificates].sort((a, b) => rank(a) - rank(b) || b.importedAt - a.importedAt);
  return { ordered, required: ordered.filter((c) => rank(c) === 0).length };
}

/**
 * The safety copy of `source` as text, at most `maxChars` long: every appliance, IP assignment,
 * request and key name, the newest events, and as many certificates as fit, by need.
 */
export function buildSafetyCopy(source: SafetyCopySource, counts: RecordCounts, takenAt: number, maxChars = SAFETY_COPY_MAX_CHARS): { text: string; copy: SafetyCopy } | undefined {
  const contents: WorkspaceContents = {
    createdAt: takenAt,
    appliances: source.appliances,
    certificates: [],
    keys: [],
    keysNotIncluded: source.keys.map((k) => ({ id: k.id, applianceId: k.applianceId, friendlyName: k.friendlyName, publicKeySha256: k.key.publicKeySha256 })),
    requests: source.requests.map((r) => ({ ...r, der: bytesToBase64(r.der) })),
    ipAssignments: source.ipAssignments,
    events: [...source.events].sort((a, b) => b.at - a.at).slice(0, SAFETY_COPY_EVENTS),
  };
  const copy: SafetyCopy = { format: 'certdesk-safety-copy', version: 1, takenAt, counts, certificatesLeftOut: 0, contents };
  let size = JSON.stringify(copy).length;
  const { ordered, required } = byNeed(source);
  for (const [i, { facts: _facts, ...c }] of ordered.entries()) {
    const entry = { ...c, der: bytesToBase64(c.der) };
    const cost = JSON.stringify(entry).length + 1;
    if (size + cost > maxChars) {
      // A certificate that serves an IP must be there, or the copy's assignments dangle.
      if (i < required) return undefined;
      copy.certificatesLeftOut = ordered.length - i;
      break;
    }
    contents.certificates.push(entry);
    size += cost;
  }
  return { text: JSON.stringify(copy), copy };
}

/**
 * Writes the copy (in parts when large, one per task: `pause` lets the event loop run between
 * them); when localStorage refuses it (full), the previous copy is kept: an older copy is better
 * than none. Returns whether the new one was written.
 */
export async function writeSafetyCopy(kv: KeyValueStore | undefined, database: string, text: string, pause: () => Promise<void>): Promise<boolean> {
  if (!kv) return false;
  let previous: PartsHeader | undefined;
  let generation: PartsHeader['generation'] = 'a';
  let parts = 0;
  const removeParts = (of: string, from: number) => {
    for (let i = from; i < MAX_PARTS; i++) kv.removeItem(partKey(database, of, i));
  };
  try {
    previous = partsHeader(kv.getItem(copyKey(database)));
    if (text.length <= SAFETY_COPY_PART_CHARS) {
      kv.setItem(copyKey(database), text);
    } else {
      generation = previous?.generation === 'a' ? 'b' : 'a';
      parts = Math.ceil(text.length / SAFETY_COPY_PART_CHARS);
      try {
        for (let i = 0; i < parts; i++) {
          kv.setItem(partKey(database, generation, i), text.slice(i * SAFETY_COPY_PART_CHARS, (i + 1) * SAFETY_COPY_PART_CHARS));
          await pause();
        }
        const header: PartsHeader = { format: 'certdesk-safety-copy-parts', version: 1, parts, generation };
        kv.setItem(copyKey(database), JSON.stringify(header));
      } catch (error) {
        removeParts(generation, 0);
        throw error;
      }
    }
  } catch {
    return false;
  }
  try {
    // What the copy no longer names: the other generation's parts, and any left over past ours.
    removeParts(generation === 'a' ? 'b' : 'a', 0);
    removeParts(generation, parts);
  } catch {
    // Best effort: the next write removes them.
  }
  return true;
}
