/**
 * Sending a file out through the system's share sheet (Web Share Level 2), where the browser
 * can share that kind of file: `navigator.canShare({ files })` decides, per file. Where it
 * cannot (desktop Linux, or a file type the browser does not share), the Download stays the way.
 */
import { alerts } from './alerts.svelte';

/** A file ready to share, or undefined when this browser cannot share it. */
export function shareableFile(name: string, bytes: Uint8Array | string, type: string): File | undefined {
  if (typeof navigator.canShare !== 'function' || typeof navigator.share !== 'function') return undefined;
  const file = new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type });
  try {
    return navigator.canShare({ files: [file] }) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Opens the share sheet; closing it is not an error, and a refusal is explained. */
export async function shareFile(file: File, title: string): Promise<void> {
  try {
    await navigator.share({ files: [file], title });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return;
    alerts.show(`The browser could not share ${file.name}. Use Download instead and attach the file yourself.`);
  }
}
