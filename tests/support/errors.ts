import { CertdeskError } from '../../src/core/errors';

/**
 * What a promise ends in, as one comparable string: the CertdeskError's code, a DOMException's
 * name, "resolved", or "raw …" for any other error (which a test should never see).
 */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CertdeskError) return error.code;
    if (error instanceof DOMException) return error.name;
    return `raw ${String(error)}`;
  }
  return 'resolved';
}
