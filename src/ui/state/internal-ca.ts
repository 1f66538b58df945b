/**
 * The small internal CA the guide allows ("an internal CA server if your organization uses
 * one"): a local root and optionally an intermediate, kept as certificates with their keys on the
 * appliance, and signing of pending requests. The core does the crypto; the store writes each
 * step in one import transaction.
 */
import { generateKey, exportPrivateKey } from '../../core/pki/keys';
import { createLocalIntermediate, createLocalRoot, signCsr } from '../../core/pki/local-ca';
import { encodePem } from '../../core/pki/pem';
import { CertdeskError, throwIfAborted } from '../../core/errors';
import type { ImportSummary } from '../../core/appliance/import-plan';
import type { CertdeskKey } from '../../core/pki/keys';
import type { Workspace } from '../../store/workspace';

export interface InternalCaInput {
  name: string;
  organization?: string;
  withIntermediate: boolean;
  signal?: AbortSignal;
}

/** Creates the CA keys and certificates, then imports them (linked to their keys) in one step. */
export async function createInternalCa(
  store: Workspace<CertdeskKey>,
  applianceId: string,
  input: InternalCaInput,
): Promise<ImportSummary> {
  const name = input.name.trim();
  if (name === '') throw new CertdeskError('invalid-ca-name', 'Give the internal CA a name, e.g. "Example Corp Root CA".');
  const organization = input.organization?.trim() || undefined;
  const rootKey = await generateKey('ECDSA-P384', { exportable: true, ...(input.signal ? { signal: input.signal } : {}) });
  const root = await createLocalRoot({ key: rootKey, subject: { CN: name, ...(organization ? { O: organization } : {}) } });
  const pem = [encodePem('CERTIFICATE', root), encodePem('PRIVATE KEY', await exportPrivateKey(rootKey))];
  if (input.withIntermediate) {
    throwIfAborted(input.signal);
    const key = await generateKey('ECDSA-P384', { exportable: true });
    const intermediate = await createLocalIntermediate({
      key,
      subject: { CN: `${name} Intermediate`, ...(organization ? { O: organization } : {}) },
      issuer: { certificate: root, key: rootKey },
    });
    pem.push(encodePem('CERTIFICATE', intermediate), encodePem('PRIVATE KEY', await exportPrivateKey(key)));
  }
  throwIfAborted(input.signal);
  return store.importFiles(applianceId, [{ name: `Internal CA "${name}"`, bytes: new TextEncoder().encode(pem.join('')) }]);
}

/**
 * Signs a pending request with an internal CA certificate whose key is here, then imports the
 * issued certificate with the CA's chain, so it is linked to the request's key in one step.
 */
export async function signWithInternalCa(
  store: Workspace<CertdeskKey>,
  applianceId: string,
  input: { requestDer: Uint8Array; caCertificateId: string; validityDays: number },
): Promise<ImportSummary> {
  const material = await store.certificateMaterial(input.caCertificateId);
  if (!material.key) {
    throw new CertdeskError('ca-key-unavailable', `The private key of "${material.certificate.friendlyName}" is not here, so it cannot sign.`);
  }
  const { certificate, chain } = await signCsr({
    csrDer: input.requestDer,
    issuer: { certificate: material.certificate.der, key: material.key.key },
    chain: material.chain.map((entry) => entry.der),
    validityDays: input.validityDays,
  });
  const pem = [certificate, ...chain].map((der) => encodePem('CERTIFICATE', der)).join('');
  return store.importFiles(applianceId, [{ name: `Signed by "${material.certificate.friendlyName}"`, bytes: new TextEncoder().encode(pem) }]);
}
