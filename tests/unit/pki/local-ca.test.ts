import { describe, expect, it } from 'vitest';
import { createLocalIntermediate, createLocalRoot, signCsr } from '../../../src/core/pki/local-ca';
import { createCsr } from '../../../src/core/pki/csr';
import { describeCertificate } from '../../../src/core/pki/describe';
import { generateKey } from '../../../src/core/pki/keys';
import { fixture } from '../../support/fixtures';
import { decodeInput } from '../../../src/core/pki/decode';

async function localPki() {
  const rootKey = await generateKey('ECDSA-P384', { exportable: false });
  const root = await createLocalRoot({ key: rootKey, subject: { O: 'Acme', CN: 'Acme Local Root' }, notBefore: new Date('2026-01-01T00:00:00Z') });
  const intermediateKey = await generateKey('ECDSA-P256', { exportable: false });
  const intermediate = await createLocalIntermediate({
    key: intermediateKey,
    subject: { O: 'Acme', CN: 'Acme Local Intermediate' },
    issuer: { certificate: root, key: rootKey },
    notBefore: new Date('2026-01-01T00:00:00Z'),
  });
  return { rootKey, root, intermediateKey, intermediate };
}

describe('local CA', () => {
  it('creates a root and an intermediate with CA extensions, path lengths and linked key identifiers', async () => {
    const { root, intermediate } = await localPki();
    const r = await describeCertificate(root);
    const i = await describeCertificate(intermediate);
    expect(r).toMatchObject({ role: 'root', isCA: true, selfSigned: true, notAfter: '2035-12-30T00:00:00.000Z' });
    expect(i).toMatchObject({ role: 'intermediate', isCA: true, selfSigned: false, issuerText: r.subjectText, notAfter: '2030-12-31T00:00:00.000Z' });
    const ext = (d: typeof r, kind: string) => d.extensions.find((e) => e.kind === kind) as Record<string, unknown>;
    expect(ext(r, 'basicConstraints')).toMatchObject({ critical: true, ca: true, pathLength: 1 });
    expect(ext(i, 'basicConstraints')).toMatchObject({ critical: true, ca: true, pathLength: 0 });
    expect(ext(i, 'keyUsage')).toMatchObject({ critical: true, usages: ['digitalSignature', 'keyCertSign', 'cRLSign'] });
    expect(ext(i, 'authorityKeyIdentifier').keyIdentifier).toBe(ext(r, 'subjectKeyIdentifier').keyIdentifier);
  });

  it('signs a CSR: copies subject and SANs, server profile, chain issuer first', async () => {
    const { root, intermediate, intermediateKey } = await localPki();
    const leafKey = await generateKey('RSA-2048', { exportable: false });
    const csr = await createCsr({ key: leafKey, subject: { O: 'Acme', CN: 'appliance.example.test' }, subjectAltNames: ['*.mgmt.example.test', '192.0.2.10'] });
    const { certificate, chain } = await signCsr({ csrDer: csr.der, issuer: { certificate: intermediate, key: intermediateKey }, chain: [root], validityDays: 397 });
    expect(chain).toEqual([intermediate, root]);
    const d = await describeCertificate(certificate);
    const i = await describeCertificate(intermediate);
    expect(d).toMatchObject({ role: 'server', isCA: false, subjectText: 'CN=appliance.example.test, O=Acme', issuerText: i.subjectText });
    expect(d.publicKey.publicKeySha256).toBe(leafKey.publicKeySha256);
    expect(d.subjectAltNames).toEqual([
      { type: 'dns', value: 'appliance.example.test' },
      { type: 'dns', value: '*.mgmt.example.test' },
      { type: 'ip', value: '192.0.2.10' },
    ]);
    expect(d.extensions.find((e) => e.kind === 'keyUsage')).toMatchObject({ usages: ['digitalSignature', 'keyEncipherment'] });
    expect(d.extensions.find((e) => e.kind === 'authorityKeyIdentifier')).toMatchObject({
      keyIdentifier: (i.extensions.find((e) => e.kind === 'subjectKeyIdentifier') as { keyIdentifier: string }).keyIdentifier,
    });
  });

  it('never issues beyond the issuer’s own expiry', async () => {
    const { root, intermediate, intermediateKey } = await localPki();
    const leafKey = await generateKey('ECDSA-P256', { exportable: false });
    const csr = await createCsr({ key: leafKey, subject: { CN: 'appliance.example.test' }, subjectAltNames: [] });
    const { certificate } = await signCsr({ csrDer: csr.der, issuer: { certificate: intermediate, key: intermediateKey }, chain: [root], validityDays: 36_500 });
    expect((await describeCertificate(certificate)).notAfter).toBe((await describeCertificate(intermediate)).notAfter);
  });

  it('refuses a CSR whose signature does not verify (csr/invalid_signature.pem)', async () => {
    const { root, rootKey } = await localPki();
    const csr = (await decodeInput(fixture('csr', 'pyca-cryptography-vectors-38.0.4', 'invalid_signature.pem'))).requests[0]!.der;
    await expect(signCsr({ csrDer: csr, issuer: { certificate: root, key: rootKey }, chain: [], validityDays: 90 })).rejects.toMatchObject({ code: 'csr-signature-invalid' });
  });

  it('refuses a CSR without SANs (csr/rsa_sha256.pem)', async () => {
    const { root, rootKey } = await localPki();
    const csr = (await decodeInput(fixture('csr', 'pyca-cryptography-vectors-38.0.4', 'rsa_sha256.pem'))).requests[0]!.der;
    await expect(signCsr({ csrDer: csr, issuer: { certificate: root, key: rootKey }, chain: [], validityDays: 90 })).rejects.toMatchObject({ code: 'csr-no-subject-alt-names' });
  });

  it('refuses a non-CA issuer and a key that is not the issuer’s', async () => {
    const { root, intermediateKey, rootKey } = await localPki();
    const leafKey = await generateKey('ECDSA-P256', { exportable: false });
    const csr = await createCsr({ key: leafKey, subject: { CN: 'appliance.example.test' }, subjectAltNames: [] });
    const leaf = await signCsr({ csrDer: csr.der, issuer: { certificate: root, key: rootKey }, chain: [], validityDays: 90 });
    await expect(signCsr({ csrDer: csr.der, issuer: { certificate: leaf.certificate, key: leafKey }, chain: [], validityDays: 90 })).rejects.toMatchObject({ code: 'issuer-not-ca' });
    await expect(signCsr({ csrDer: csr.der, issuer: { certificate: root, key: intermediateKey }, chain: [], validityDays: 90 })).rejects.toMatchObject({ code: 'issuer-key-mismatch' });
  });
});
