/**
 * The real PKI for the workspace, from src/core/pki: the one place where the store and the UI
 * reach the core's PKI modules (every other store module names only their types). Modules the
 * first page does not need load on first use, so the first load stays small.
 *
 * The Create form checks names as the admin types with the very rules the core applies when it
 * signs; they are re-exported at the end, so the UI gets them through the store too.
 */
import type { CertdeskKey } from '../core/pki/keys';
import { exportPrivateKey, generateKey, importPrivateKey } from '../core/pki/keys';
import { createSelfSignedCertificate } from '../core/pki/certificate';
import { createCsr } from '../core/pki/csr';
import { buildAndValidate } from '../core/pki/validation/path-validation';
import { chainStatus } from '../core/pki/validation/chain-status';
import { loadBuiltInRoots } from '../core/pki/validation/root-store';
import { publicSuffixCheckFor } from '../core/pki/names/public-suffix';
import { encodePem } from '../core/pki/pem';
import { createLocalIntermediate, createLocalRoot, signCsr } from '../core/pki/local-ca';
import { privateKeyRefusal } from '../core/pki/key-guard/report';
import type { RunPkiJob } from '../worker/pki-protocol';
import type { PkiServices } from './pki-services';

/**
 * The workspace's PKI: what `Workspace.open({ pki: pkiServices({ runJob }) })` takes. `runJob`
 * runs the slow jobs (decoding, PKCS#12 and encrypted PKCS#8 export): the app passes
 * `createPkiWorker()` (src/worker/pki-bridge.ts), Node and the tests `runPkiJob`
 * (src/worker/pki-jobs.ts), which runs the same jobs in-process. (Asking for it rather than
 * importing the in-process runner keeps the worker's code out of the page's chunks: 3 KB gz.)
 */
export function pkiServices({ runJob }: { runJob: RunPkiJob }): PkiServices<CertdeskKey> {
  return {
    generateKey,
    importPrivateKey,
    exportPrivateKey,
    createSelfSignedCertificate: (input) => createSelfSignedCertificate(input),
    createCsr: (input) => createCsr(input),
    decodeInput: (bytes, { password, signal, importWorkSpent }) =>
      runJob(
        { kind: 'decode', bytes, ...(password !== undefined ? { password } : {}), ...(importWorkSpent !== undefined ? { importWorkSpent } : {}) },
        signal ? { signal } : {},
      ),
    validatePath: (leaf, pool, { time }) => buildAndValidate(leaf, pool, { time }),
    chainStatus: (certificate, pool, { builtInRoots }) => chainStatus(certificate, pool, builtInRoots ? { builtInRoots } : {}),
    lintCertificate: async (certificate, options) => (await import('../core/pki/validation/lint')).lintCertificate(certificate, options),
    lintRequest: async (request, options) => (await import('../core/pki/validation/lint')).lintRequest(request, options),
    publicSuffixCheckFor,
    builtInRoots: async () => (await loadBuiltInRoots()).roots,
    describeCertificate: async (der) => (await import('../core/pki/describe')).describeCertificate(der),
    encodePem,
    exportCertificates: async (ders, format) => {
      const { exportCertificates, CERTIFICATE_EXPORT_TYPES } = await import('../core/pki/export');
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
      const refusal = privateKeyRefusal(report);
      if (refusal) throw refusal;
      return report;
    },
    createLocalRoot: (input) => createLocalRoot(input),
    createLocalIntermediate: (input) => createLocalIntermediate(input),
    signCsr: (input) => signCsr(input),
  };
}

export type { CertdeskKey } from '../core/pki/keys';
export { SUBJECT_FIELDS, validateSubject, validateSubjectAltName } from '../core/pki/names/subject-input';
export type { SubjectField } from '../core/pki/names/subject-input';
export { displayName } from '../core/pki/names/display';
export type { DisplayName, NameWarning } from '../core/pki/names/display';
