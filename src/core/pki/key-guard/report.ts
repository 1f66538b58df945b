/**
 * What the key guard reports, and the refusal it makes of a file it did not clear. Kept apart
 * from the scanner so that the page can name and throw it without loading the scanner.
 */
import { CertdeskError } from '../../errors';
import type { KeyFindingKind } from './binary';

export type { KeyFindingKind } from './binary';

/** A private key found in a file. */
export interface KeyFinding {
  kind: KeyFindingKind;
  /** The file, and the archive entry inside it: "support.zip/keys/server.pem". */
  where: string;
  /** What was found and how it was written or packed: "a private key in lower-case PEM armour". */
  what: string;
}

/** A part of a file the guard could not look into, and why. */
export interface UncheckedPart {
  where: string;
  why: string;
}

export interface KeyGuardReport {
  findings: KeyFinding[];
  unchecked: UncheckedPart[];
  /** Bytes scanned, every decoded or decompressed part and every text reading counted. */
  scannedBytes: number;
  inflatedBytes: number;
}

/**
 * The refusal for a file the guard did not clear, or undefined when it holds no key and every
 * part of it was read: CertdeskError 'private-key-in-support-package' (a key was found) or
 * 'support-file-unreadable' (a part could not be checked). Both name the file and say what to do.
 */
export function privateKeyRefusal(report: KeyGuardReport): CertdeskError | undefined {
  if (report.findings.length > 0) {
    const listed = report.findings.slice(0, 3).map((f) => `${f.where}: ${f.what}`);
    const more = report.findings.length > 3 ? `, and ${report.findings.length - 3} more` : '';
    return new CertdeskError(
      'private-key-in-support-package',
      `Found ${listed.join('; ')}${more}. A private key must never be sent to technical support (the guide: "Do NOT send your private key file"); the support package was not created. Leave that file out: the package needs only the certificates and the picture of Status > Basics.`,
    );
  }
  const first = report.unchecked[0];
  if (!first) return undefined;
  return new CertdeskError(
    'support-file-unreadable',
    `"${first.where}" cannot be checked for private keys: ${first.why}. Leave it out of the support package; add certificates as PEM files and the picture of Status > Basics instead.`,
  );
}
