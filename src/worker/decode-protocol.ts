import type { DecodedInput } from '../core/pki/decode';

/** What the page sends the decode worker. */
export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  password?: string | null;
  /** Work the files before this one in the same import spent (decodeInput's importWorkSpent). */
  importWorkSpent?: number;
}

/** What the decode worker answers: the decoded input, or the CertdeskError's code and message. */
export type DecodeReply =
  | { id: number; ok: true; value: DecodedInput }
  | { id: number; ok: false; error: { code: string; message: string } };
