/** The real PKI operations for the workspace, from src/core/pki. */
import type { CertdeskKey } from '../core/pki/keys';
import { exportPrivateKey, generateKey, importPrivateKey } from '../core/pki/keys';
import { createSelfSignedCertificate } from '../core/pki/certificate';
import { createCsr } from '../core/pki/csr';
import { buildAndValidate } from '../core/pki/validation/path-validation';
import type { PkiServices } from './pki-services';

/**
 * The workspace's PKI: what `Workspace.open({ pki: pkiServices() })` takes. The app passes a
 * `decodeInput` that runs in a worker (src/worker/decode-bridge.ts); Node tests use the core's.
 */
export function pkiServices(options: { decodeInput?: PkiServices<CertdeskKey>['decodeInput'] } = {}): PkiServices<CertdeskKey> {
  return {
    generateKey,
    importPrivateKey,
    exportPrivateKey,
    createSelfSignedCertificate: (options) => createSelfSignedCertificate(options),
    createCsr: (options) => createCsr(options),
    // The app decodes in a worker; here the decoder (with PKCS#12) loads only when first needed.
    decodeInput:
      options.decodeInput ?? (async (bytes, decodeOptions) => (await import('../core/pki/decode')).decodeInput(bytes, decodeOptions)),
    validatePath: (leaf, pool, options) => buildAndValidate(leaf, pool, { time: options.time }),
  };
}
