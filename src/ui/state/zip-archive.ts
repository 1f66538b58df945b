/**
 * A .zip of certificate files (many CAs send their reply that way) opened into the files it
 * holds, so that each one is imported like any other file. Recognised by content (the local file
 * header signature, APPNOTE.TXT §4.3.7), never by name; every other file passes through as it is.
 *
 * A hostile archive must not exhaust memory: the declared sizes in a zip can lie, so every entry
 * is inflated as a stream and stopped as soon as the archive's total passes the limit.
 */
import { CertdeskError, throwIfAborted } from '../../core/errors';
import { limits } from '../../core/pki/limits';
import type { ChosenFile } from './files';

/** Files in one archive: a CA's reply holds a handful (certificate, intermediates, root). */
export const MAX_ZIP_ENTRIES = 100;

/** "PK\x03\x04" (local file header) or "PK\x05\x06" (end of central directory of an empty archive). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** JSZip's entry stream, which its type declarations leave out (lib/zipObject.js). */
interface EntryStream {
  on(event: 'data', callback: (chunk: Uint8Array) => void): EntryStream;
  on(event: 'end', callback: () => void): EntryStream;
  on(event: 'error', callback: (error: unknown) => void): EntryStream;
  resume(): EntryStream;
  pause(): EntryStream;
}

/**
 * Every file, with each .zip replaced by the files inside it, named "archive.zip/inner.crt", as
 * the files come.
 * Folders, macOS resource forks and hidden files inside an archive are left out.
 * @throws CertdeskError `zip-unreadable`, `zip-empty`, `zip-too-many-files`, `zip-too-large`
 */
export async function* expandZipArchives(files: Iterable<ChosenFile> | AsyncIterable<ChosenFile>, signal?: AbortSignal): AsyncGenerator<ChosenFile> {
  for await (const file of files) {
    // An archive over the file limit goes on as it is, and decoding says it is too large.
    if (isZip(file.bytes) && file.bytes.length <= limits.maxFileBytes) yield* await openZip(file, signal);
    else yield file;
  }
}

async function openZip(file: ChosenFile, signal: AbortSignal | undefined): Promise<ChosenFile[]> {
  // jszip is 28 KB gzipped and only needed for archives: loaded on first use.
  const { default: JSZip } = await import('jszip');
  let zip: InstanceType<typeof JSZip>;
  try {
    // Reads the central directory only; checkCRC32 would inflate every entry up front, unbounded.
    zip = await JSZip.loadAsync(file.bytes);
  } catch (error) {
    throw new CertdeskError(
      'zip-unreadable',
      `${file.name} looks like a .zip archive but could not be opened (${error instanceof Error ? error.message : 'damaged'}). Unzip it yourself and import the certificate files in it.`,
      { cause: error },
    );
  }
  const entries = Object.values(zip.files).filter((entry) => !entry.dir && !isClutter(entry.name));
  if (entries.length === 0) {
    throw new CertdeskError('zip-empty', `${file.name} is a .zip archive with no files in it. Choose the certificate files your CA sent.`);
  }
  if (entries.length > MAX_ZIP_ENTRIES) {
    throw new CertdeskError(
      'zip-too-many-files',
      `${file.name} holds ${entries.length} files; Certdesk opens archives of up to ${MAX_ZIP_ENTRIES}. Unzip it and import the certificate files themselves.`,
    );
  }
  const out: ChosenFile[] = [];
  let budget = limits.maxFileBytes;
  for (const entry of entries) {
    throwIfAborted(signal);
    const stream = (entry as unknown as { internalStream(type: 'uint8array'): EntryStream }).internalStream('uint8array');
    const bytes = await readBounded(stream, budget, file.name);
    budget -= bytes.length;
    out.push({ name: `${file.name}/${entry.name}`, bytes });
  }
  return out;
}

/** Entries no CA puts in on purpose: folders' metadata from macOS and hidden files. */
function isClutter(path: string): boolean {
  return path.startsWith('__MACOSX/') || (path.split('/').pop() ?? '').startsWith('.');
}

function readBounded(stream: EntryStream, budget: number, archiveName: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    stream
      .on('data', (chunk) => {
        size += chunk.length;
        if (size > budget) {
          stream.pause();
          reject(
            new CertdeskError(
              'zip-too-large',
              `${archiveName} unpacks to more than ${limits.maxFileBytes / 1024 / 1024} MB (limits.maxFileBytes). Certificate files are a few kilobytes: check that this is the right archive.`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      })
      .on('error', (error) =>
        reject(
          new CertdeskError('zip-unreadable', `${archiveName} is damaged and could not be unpacked. Download it again, or unzip it yourself.`, {
            cause: error,
          }),
        ),
      )
      .on('end', () => {
        const out = new Uint8Array(size);
        let at = 0;
        for (const chunk of chunks) {
          out.set(chunk, at);
          at += chunk.length;
        }
        resolve(out);
      })
      .resume();
  });
}
