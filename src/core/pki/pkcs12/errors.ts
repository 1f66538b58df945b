/**
 * The errors of password-based cryptography at the core's boundary: structural problems
 * (Asn1Error from the reader) become the format's own code with the exact detail, a wrong
 * password says that a file made for another system looks the same, and write failures of the
 * platform become `export-failed`.
 */
import { CertdeskError, isAbortError } from '../../errors';
import { Asn1Error } from '../asn1';

/** Errors while reading: Asn1Error and library errors become CertdeskError(code); ours and AbortError pass. */
export function translateReadError(error: unknown, code: string, what: string): unknown {
  if (error instanceof Asn1Error) {
    return new CertdeskError(code, `This ${what} is damaged or not what it claims to be: ${error.detail}. Export it again from the system that made it.`, { cause: error });
  }
  if (error instanceof CertdeskError || isAbortError(error)) return error;
  return new CertdeskError(code, `This ${what} could not be read: its structure is not valid.`, { cause: error });
}

/** Errors while writing: ours pass through; anything else (a library or platform failure) is translated. */
export function translateWriteError(error: unknown, what: string): unknown {
  if (error instanceof CertdeskError || isAbortError(error)) return error;
  return new CertdeskError(
    'export-failed',
    `The ${what} could not be written: this browser's cryptography refused the work. Nothing was exported; ` +
      `try again, or use the legacy preset.`,
    { cause: error },
  );
}

/** CertdeskError 'wrong-password', with the hint that a file made for another system looks the same. */
export function wrongPasswordError(what: string): CertdeskError {
  return new CertdeskError(
    'wrong-password',
    `The password does not open this ${what}. Check it and try again. If the password is right, the file ` +
      `may have been made for another system in a way Certdesk cannot read; export it again from the source.`,
  );
}

/** CertdeskError 'unsupported-algorithm' for a scheme Certdesk does not read. */
export function unsupportedError(what: string): CertdeskError {
  return new CertdeskError(
    'unsupported-algorithm',
    `This file is protected with ${what}, which Certdesk cannot read. Export it again from the source system ` +
      `with AES-256 (or, for old systems, 3DES) and try once more.`,
  );
}
