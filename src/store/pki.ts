/**
 * The real PKI operations for the workspace, from src/core/pki. `decodeInput` is passed in
 * until src/core/pki/decode.ts is wired here (it reads DER, PEM, PKCS#7 and PKCS#12).
 */
import type { CertdeskKey } from '../core/pki/keys';
import { exportPrivateKey, generateKey, importPrivateKey } from '../core/pki/keys';
import { createSelfSignedCertificate } from '../core/pki/certificate';
import { createCsr } from '../core/pki/csr';
import { buildAndValidate } from '../core/pki/path-validation';
import type { PkiServices } from './pki-services';

/** The workspace's PKI, with the given file decoder. */
export function pkiServices(decodeInput: PkiServices<CertdeskKey>['decodeInput']): PkiServices<CertdeskKey> {
  return {
    generateKey,
    importPrivateKey,
    exportPrivateKey,
    createSelfSignedCertificate: (options) => createSelfSignedCertificate(options),
    createCsr: (options) => createCsr(options),
    decodeInput,
    validatePath: (leaf, pool, options) => buildAndValidate(leaf, pool, { time: options.time }),
  };
}
