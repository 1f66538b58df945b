/// <reference lib="webworker" />
/**
 * Decodes imported files off the main thread: parsing hostile or large input (RELIABILITY.md:
 * asn1js's OID parser is quadratic) must never freeze the page, and terminating this worker is
 * a real cancel. One request at a time; replies carry the request id.
 */
import { decodeInput } from '../core/pki/decode';
import { CertdeskError } from '../core/errors';
import type { DecodeReply, DecodeRequest } from './decode-protocol';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = async (event: MessageEvent<DecodeRequest>) => {
  const { id, bytes, password, importWorkSpent } = event.data;
  let reply: DecodeReply;
  try {
    const options: { password?: string | null; importWorkSpent?: number } = {};
    if (password !== undefined) options.password = password;
    if (importWorkSpent !== undefined) options.importWorkSpent = importWorkSpent;
    reply = { id, ok: true, value: await decodeInput(bytes, options) };
  } catch (error) {
    reply = {
      id,
      ok: false,
      error:
        error instanceof CertdeskError
          ? { code: error.code, message: error.message }
          : { code: 'unreadable-file', message: 'This file could not be read as a certificate, chain, request or key.' },
    };
  }
  self.postMessage(reply);
};
