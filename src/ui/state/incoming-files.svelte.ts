/**
 * Files that reach Certdesk from outside its Import form: opened from the operating system
 * (launch queue), shared to it (share target), pasted or dropped anywhere on the Certificates
 * page. Each arrival is queued here; the Certificates page imports the queue through the same
 * import action as the Import form (same worker decode, same summary, same errors).
 */
import { isBase64 } from '../../core/pki/asn1/bytes';
import { looksLikePem } from '../../core/pki/pem';
import type { ChosenFile } from './files';
import { alerts } from './alerts.svelte';

/** How files reached Certdesk; the import summary says it in words. */
export type IncomingSource = 'opened' | 'shared' | 'pasted' | 'dropped';

/** Files that arrived together (one launch, one share, one paste or drop), imported as one. */
export interface IncomingBatch {
  source: IncomingSource;
  files: ImportItem[];
}

/** One line above the import summary: where these files came from. */
export const sourceWords: Record<IncomingSource, string> = {
  opened: 'Opened with Certdesk from your files.',
  shared: 'Shared to Certdesk from another app.',
  pasted: 'Pasted onto the Certificates page.',
  dropped: 'Dropped onto the Certificates page.',
};

class IncomingFiles {
  /** Batches waiting for the Certificates page, oldest first. */
  pending = $state.raw<IncomingBatch[]>([]);

  deliver(batch: IncomingBatch): void {
    if (batch.files.length > 0) this.pending = [...this.pending, batch];
  }

  /** The oldest waiting batch, removed from the queue. */
  take(): IncomingBatch | undefined {
    const [first, ...rest] = this.pending;
    this.pending = rest;
    return first;
  }
}

export const incoming = new IncomingFiles();

/** A file to import: one in memory already (pasted text, a shared file), or a browser File, read when the import reaches it (readInOrder). */
export type ImportItem = ChosenFile | File;

/** Files read per Blob: one Blob of thousands of parts, or a read per file, is a long task. */
const FILES_PER_READ = 200;
/** Parts being read while the import works on the one before them. */
const PARTS_AHEAD = 2;

/**
 * Reads what is to be imported into memory, in order, as the import takes it: browser Files
 * (chosen, dropped or launched) a few hundred at a time as one Blob (5,000 files of one
 * certificate each: a read per file took 550 ms of one task, one Blob of all of them 215 ms),
 * the next parts read while the import decodes the files before them. Reading is part of the
 * import, so its progress and Cancel cover it (5,000 files read before the import began took
 * 230–400 ms with neither), and where the device has cores to spare the browser reads while the
 * worker decodes. A file that cannot be read (a dropped folder, a file deleted meanwhile) is
 * left out and explained.
 */
export async function* readInOrder(items: readonly ImportItem[]): AsyncGenerator<ChosenFile> {
  // Runs of Files, FILES_PER_READ at most, each read as one Blob; what is in memory stands alone.
  const parts: (File[] | ChosenFile)[] = [];
  for (const item of items) {
    const last = parts.at(-1);
    if (!(item instanceof File)) parts.push(item);
    else if (Array.isArray(last) && last.length < FILES_PER_READ) last.push(item);
    else parts.push([item]);
  }
  const reads: Promise<ChosenFile[]>[] = [];
  for (let i = 0; i < parts.length; i++) {
    while (reads.length < parts.length && reads.length <= i + PARTS_AHEAD) {
      const part = parts[reads.length]!;
      reads.push(Array.isArray(part) ? readPart(part) : Promise.resolve([part]));
    }
    yield* await reads[i]!;
  }
}

async function readPart(files: File[]): Promise<ChosenFile[]> {
  const bytes = await new Blob(files).arrayBuffer().then((buffer) => new Uint8Array(buffer), () => undefined);
  const out: ChosenFile[] = [];
  if (bytes) {
    let at = 0;
    for (const file of files) out.push({ name: file.name, bytes: bytes.slice(at, (at += file.size)) });
    return out;
  }
  // One of them cannot be read: each alone, to say which.
  for (const file of files) {
    try {
      out.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    } catch {
      alerts.show(`Certdesk could not read ${file.name}. If it is a folder, choose the files in it; otherwise use Import.`);
    }
  }
  return out;
}

/**
 * Whether pasted text is worth importing: PEM armour (RFC 7468), or bare base64 of a DER
 * SEQUENCE (0x30, which base64 writes as a leading "M"). Decoding decides the rest.
 */
export function looksLikeCertificateText(text: string): boolean {
  if (looksLikePem(text)) return true;
  const bare = text.replace(/\s+/g, '');
  return bare.length >= 64 && bare.startsWith('M') && isBase64(bare);
}

/**
 * What a paste or a drop carries, read while the event runs (a DataTransfer is emptied as soon
 * as its event is over): the files, or else the text.
 */
export function transferContent(data: DataTransfer | null): { files: File[] } | { text: string } | undefined {
  if (!data) return undefined;
  if (data.files.length > 0) return { files: Array.from(data.files) };
  const text = data.getData('text/plain');
  return text.trim() === '' ? undefined : { text };
}

/** True when the event's target is where typed or pasted text belongs. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type);
}

/** True when a drag carries files (not text or a link dragged within the page). */
export function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * Queues what was pasted or dropped onto the page. Text is imported only when it looks like a
 * certificate; other text is explained rather than silently ignored.
 */
export function receiveTransfer(source: 'pasted' | 'dropped', content: { files: File[] } | { text: string }): void {
  if ('files' in content) {
    incoming.deliver({ source, files: content.files });
  } else if (looksLikeCertificateText(content.text)) {
    incoming.deliver({ source, files: [{ name: 'Pasted text', bytes: new TextEncoder().encode(content.text) }] });
  } else {
    alerts.show(
      'The pasted text is not a certificate: paste PEM text (from -----BEGIN to -----END) or base64, or paste the files themselves.',
    );
  }
}
