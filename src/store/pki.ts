/**
 * The real PKI for the workspace, from src/core/pki: the one place where the store and the UI
 * reach the core's PKI modules (every other store module names only their types). Each module
 * loads on first use (the service worker has them precached), so the first page carries none of
 * the certificate writer, key handling or path validation.
 */
import type { CertdeskKey } from '../core/pki/keys';
import { encodePem } from '../core/pki/pem';
import type { RunPkiJob } from '../worker/pki-protocol';
import type { PkiServices } from './pki-services';

const load = {
  keys: () => import('../core/pki/keys'),
  localCa: () => import('../core/pki/local-ca'),
  pathValidation: () => import('../core/pki/validation/path-validation'),
  chainStatus: () => import('../core/pki/validation/chain-status'),
  lint: () => import('../core/pki/validation/lint'),
  rootStore: () => import('../core/pki/validation/root-store'),
  publicSuffix: () => import('../core/pki/names/public-suffix'),
  describe: () => import('../core/pki/describe'),
  export: () => import('../core/pki/export'),
  keyGuardReport: () => import('../core/pki/key-guard/report'),
};

/**
 * The workspace's PKI: what `Workspace.open({ pki: pkiServices({ runJob }) })` takes. `runJob`
 * runs the slow jobs (decoding, PKCS#12 and encrypted PKCS#8 export): the app passes
 * `createPkiWorker()` (src/worker/pki-bridge.ts), Node and the tests `runPkiJob`
 * (src/worker/pki-jobs.ts), which runs the same jobs in-process. (Asking for it rather than
 * importing the in-process runner keeps the worker's code out of the page's chunks.)
 */
export function pkiServices({ runJob }: { runJob: RunPkiJob }): PkiServices<CertdeskKey> {
  return {
    // Key generation and reading a new certificate's facts run in the PKI worker too: a first
    // start makes the default appliance's key and certificate with no PKI code on the page.
    generateKey: (algorithm, { exportable, signal }) => runJob({ kind: 'generate-key', algorithm, exportable }, signal ? { signal } : {}),
    importPrivateKey: async (pkcs8, options) => (await load.keys()).importPrivateKey(pkcs8, options),
    exportPrivateKey: async (key) => (await load.keys()).exportPrivateKey(key),
    // The certificate writer runs in the PKI worker: its code never loads on the page's thread.
    createSelfSignedCertificate: (input) => runJob({ kind: 'self-signed-certificate', ...input }),
    createCsr: (input) => runJob({ kind: 'csr', ...input }),
    certificateFacts: (der) => runJob({ kind: 'certificate-facts', der }),
    decodeInput: (bytes, { password, signal, importWorkSpent }) =>
      runJob(
        { kind: 'decode', bytes, ...(password !== undefined ? { password } : {}), ...(importWorkSpent !== undefined ? { importWorkSpent } : {}) },
        signal ? { signal } : {},
      ),
    decodeFiles: (files, { signal, importWorkSpent }) => runJob({ kind: 'decode-files', files: [...files], importWorkSpent: importWorkSpent ?? 0 }, signal ? { signal } : {}),
    validatePath: async (leaf, pool, { time }) => (await load.pathValidation()).buildAndValidate(leaf, pool, { time }),
    chainStatus: async (certificate, pool, { builtInRoots }) => (await load.chainStatus()).chainStatus(certificate, pool, builtInRoots ? { builtInRoots } : {}),
    lintCertificate: async (certificate, options) => (await load.lint()).lintCertificate(certificate, options),
    lintRequest: async (request, options) => (await load.lint()).lintRequest(request, options),
    // No names, no wildcard to check: the module is not loaded for nothing (an appliance card with no certificate serving).
    publicSuffixCheckFor: async (...names) => (names.length === 0 ? undefined : (await load.publicSuffix()).publicSuffixCheckFor(...names)),
    builtInRoots: async () => (await (await load.rootStore()).loadBuiltInRoots()).roots,
    describeCertificate: async (der) => (await load.describe()).describeCertificate(der),
    encodePem,
    exportCertificates: async (ders, format) => {
      const { exportCertificates, CERTIFICATE_EXPORT_TYPES } = await load.export();
      const type = CERTIFICATE_EXPORT_TYPES[format];
      return { bytes: exportCertificates(ders, format), extension: type.extension, mediaType: type.mediaType };
    },
    exportPkcs12: ({ key, certificates, friendlyName, password, preset }, slow = {}) =>
      runJob(
        { kind: 'pkcs12', certificates, password, preset, ...(key ? { key } : {}), ...(friendlyName !== undefined ? { friendlyName } : {}) },
        slow,
      ),
    exportEncryptedPrivateKey: (key, password, slow = {}) => runJob({ kind: 'encrypted-pkcs8', key, password }, slow),
    assertNoPrivateKey: async ({ name, bytes }, slow = {}) => {
      const report = await runJob({ kind: 'find-private-keys', name, bytes }, slow);
      const refusal = (await load.keyGuardReport()).privateKeyRefusal(report);
      if (refusal) throw refusal;
      return report;
    },
    createLocalRoot: async (input) => (await load.localCa()).createLocalRoot(input),
    createLocalIntermediate: async (input) => (await load.localCa()).createLocalIntermediate(input),
    signCsr: async (input) => (await load.localCa()).signCsr(input),
  };
}

export type { CertdeskKey } from '../core/pki/keys';
export { displayName } from '../core/pki/names/display';
export type { DisplayName, NameWarning } from '../core/pki/names/display';
