/// <reference lib="webworker" />
/**
 * The PKI worker: decoding imported files and writing PKCS#12 and encrypted keys off the main
 * thread. Parsing hostile or large input (RELIABILITY.md: asn1js's OID parser is quadratic)
 * and 100,000-iteration key derivations must never freeze the page, and terminating this worker
 * is a real cancel. The page sends one job at a time (src/worker/pki-bridge.ts); the protocol is
 * src/worker/pki-protocol.ts.
 */
import { answerPkiRequest } from './pki-jobs';
import type { PkiRequest } from './pki-protocol';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<PkiRequest>) => answerPkiRequest(event.data, (reply) => self.postMessage(reply));
