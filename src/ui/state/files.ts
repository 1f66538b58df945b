/** One file the admin chose, dropped or pasted, read into memory. */
export interface ChosenFile {
  name: string;
  bytes: Uint8Array;
}

/** Offers bytes to the admin as a file download. */
export function download(name: string, bytes: Uint8Array | string, type: string): void {
  const blob = new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a friendly name: letters, digits, dots, dashes and underscores only. */
export function safeFileName(name: string, extension: string): string {
  const base = name.normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[._]+|[._]+$/g, '') || 'certificate';
  return `${base.slice(0, 80)}.${extension}`;
}
