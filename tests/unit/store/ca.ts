/** A small CA made with src/core/pki/local-ca for the store tests: root → intermediate → server. */
import { generateKey } from '../../../src/core/pki/keys';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { createLocalIntermediate, createLocalRoot, signCsr } from '../../../src/core/pki/local-ca';

export interface TestCa {
  root: Uint8Array;
  ica: Uint8Array;
  icaKey: CertdeskKey;
  sign(csrDer: Uint8Array, options?: { validityDays?: number; notBefore?: Date }): Promise<Uint8Array>;
}

export async function makeCa(name = 'Test'): Promise<TestCa> {
  const rootKey = await generateKey('ECDSA-P256', { exportable: false });
  const root = await createLocalRoot({ key: rootKey, subject: { CN: `${name} Root CA`, O: 'Certdesk Tests' } });
  const icaKey = await generateKey('ECDSA-P256', { exportable: false });
  const ica = await createLocalIntermediate({ key: icaKey, subject: { CN: `${name} Issuing CA`, O: 'Certdesk Tests' }, issuer: { certificate: root, key: rootKey } });
  return {
    root,
    ica,
    icaKey,
    async sign(csrDer, options = {}) {
      const input: Parameters<typeof signCsr>[0] = { csrDer, issuer: { certificate: ica, key: icaKey }, chain: [ica, root], validityDays: options.validityDays ?? 365 };
      if (options.notBefore) input.notBefore = options.notBefore;
      return (await signCsr(input)).certificate;
    },
  };
}
