/** The real PKI operations for the workspace, from src/core/pki. */
import type { CertdeskKey } from '../core/pki/keys';
import { exportPrivateKey, generateKey, importPrivateKey } from '../core/pki/keys';
import { createSelfSignedCertificate } from '../core/pki/certificate';
import { createCsr } from '../core/pki/csr';
import { buildAndValidate } from '../core/pki/path-validation';
import { decodeInput } from '../core/pki/decode';
import type { PkiServices } from './pki-services';

/** The workspace's PKI: what `Workspace.open({ pki: pkiServices() })` takes in the app. */
export function pkiServices(): PkiServices<CertdeskKey> {
  return {
    generateKey,
    importPrivateKey,
    exportPrivateKey,
    createSelfSignedCertificate: (options) => createSelfSignedCertificate(options),
    createCsr: (options) => createCsr(options),
    decodeInput: (bytes, options) => decodeInput(bytes, options),
    validatePath: (leaf, pool, options) => buildAndValidate(leaf, pool, { time: options.time }),
  };
}
