/** File names Certdesk gives what it writes, from the admin's friendly names. */

/**
 * A plain file-name base from a friendly name: letters, digits, dots, dashes and underscores
 * only (no folders, nothing a file system or mail filter could trip on), at most `maxLength`.
 */
export function fileNameBase(name: string, maxLength: number): string {
  const base = name.normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[._]+|[._]+$/g, '') || 'certificate';
  return base.slice(0, maxLength);
}

/** A file name from a friendly name and an extension (without the dot). */
export function safeFileName(name: string, extension: string): string {
  return `${fileNameBase(name, 80)}.${extension}`;
}
