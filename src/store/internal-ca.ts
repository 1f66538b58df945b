/**
 * The small internal CA the guide allows ("an internal CA server if your organization uses
 * one"): a local root and optionally an intermediate, kept as certificates with their keys on the
 * appliance, and signing of pending requests. The PKI services make the keys and certificates;
 * what they make is written like an import (src/store/certificates.ts `writeImport`), so keys
 * link to their certificates and a signed request shows as fulfilled, in one transaction.
 */
import { CertdeskError, throwIfAborted } from '../core/errors';
import type { SubjectInput } from '../core/appliance/certificate-entry';
import { readCertificateFacts } from '../core/appliance/certificate-facts';
import type { ImportSummary, IncomingFile } from '../core/appliance/import-plan';
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { KeyAlgorithmName } from '../core/pki/keys';
import { writeImport } from './certificates';
import type { WorkspaceContext } from './context';
import { read } from './database';
import { certificateMaterial } from './read-model';
import { STORE } from './schema';

export interface InternalCaInput {
  name: string;
  organization?: string;
  withIntermediate: boolean;
  signal?: AbortSignal;
}

/** The internal CA's keys: exportable, so the CA can be backed up and moved with its keys. */
const CA_KEY: KeyAlgorithmName = 'ECDSA-P384';

async function incomingCertificate(der: Uint8Array) {
  return { der, facts: await readCertificateFacts(der) };
}

/** Creates the CA keys and certificates, then stores them (linked to their keys) in one step. */
export async function createInternalCa<K extends KeyMaterial>(ctx: WorkspaceContext<K>, applianceId: string, input: InternalCaInput): Promise<ImportSummary> {
  const name = input.name.trim();
  if (name === '') throw new CertdeskError('invalid-ca-name', 'Give the internal CA a name, e.g. "Example Corp Root CA".');
  const organization = input.organization?.trim() || undefined;
  const subject = (commonName: string): SubjectInput => ({ CN: commonName, ...(organization ? { O: organization } : {}) });
  return ctx.action('createInternalCa', () => [applianceId], async () => {
    const rootKey = await ctx.pki.generateKey(CA_KEY, { exportable: true, ...(input.signal ? { signal: input.signal } : {}) });
    const root = await ctx.pki.createLocalRoot({ key: rootKey, subject: subject(name) });
    const made: IncomingFile<K> = { file: `Internal CA "${name}"`, certificates: [await incomingCertificate(root)], keys: [{ key: rootKey }] };
    if (input.withIntermediate) {
      throwIfAborted(input.signal);
      const key = await ctx.pki.generateKey(CA_KEY, { exportable: true });
      const intermediate = await ctx.pki.createLocalIntermediate({ key, subject: subject(`${name} Intermediate`), issuer: { certificate: root, key: rootKey } });
      made.certificates.push(await incomingCertificate(intermediate));
      made.keys.push({ key });
    }
    throwIfAborted(input.signal);
    return writeImport(ctx, applianceId, [made], input.signal);
  });
}

/**
 * Signs a pending request with an internal CA certificate whose key is here, then stores the
 * issued certificate with the CA's chain, linked to the request's key, in one step.
 */
export async function signRequest<K extends KeyMaterial>(
  ctx: WorkspaceContext<K>,
  requestId: string,
  input: { caCertificateId: string; validityDays: number },
): Promise<ImportSummary> {
  ctx.assertOpen();
  const request = await read(ctx.db, [STORE.requests], (t) => t.objectStore(STORE.requests).get(requestId));
  if (!request) {
    throw new CertdeskError('unknown-request', 'That certificate request is no longer in the workspace; another tab may have deleted it. The list is refreshed.');
  }
  return ctx.action('signRequest', () => [request.applianceId], async () => {
    const material = await certificateMaterial(ctx, input.caCertificateId);
    if (!material.key) {
      throw new CertdeskError('ca-key-unavailable', `The private key of "${material.certificate.friendlyName}" is not here, so it cannot sign.`);
    }
    const issued = await ctx.pki.signCsr({
      csrDer: request.der,
      issuer: { certificate: material.certificate.der, key: material.key.key },
      chain: material.chain.map((entry) => entry.der),
      validityDays: input.validityDays,
    });
    const certificates = await Promise.all([issued.certificate, ...issued.chain].map(incomingCertificate));
    return writeImport(ctx, request.applianceId, [{ file: `Signed by "${material.certificate.friendlyName}"`, certificates, keys: [] }]);
  });
}
