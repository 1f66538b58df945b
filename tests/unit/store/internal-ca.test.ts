/**
 * The internal CA as store actions: the root and intermediate are stored with their keys in one
 * step, a pending request signed by it is linked and fulfilled, and OpenSSL verifies the chain.
 */
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../support/errors';
import { openssl, tempDir, writeTemp } from '../../support/fixtures';
import { derOf, freshWorkspace, snapshot } from './support';

async function setup() {
  const { ws } = await freshWorkspace();
  const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
  return { ws, applianceId };
}

const pemOf = (der: Uint8Array) => openssl(['x509', '-inform', 'DER'], der).stdout;

describe('createInternalCa and signRequest', () => {
  it('stores root and intermediate with their exportable keys, then signs a pending request that OpenSSL verifies', async () => {
    const { ws, applianceId } = await setup();
    const made = await ws.createInternalCa(applianceId, { name: '  Example Corp Root CA ', organization: 'Example Corp', withIntermediate: true });
    expect(made.files).toHaveLength(1);
    expect(made.files[0]!.file).toBe('Internal CA "Example Corp Root CA"');
    expect([made.linked, made.added, made.rejected]).toEqual([2, 0, 0]);
    let appliance = (await ws.listWorkspace()).appliances[0]!;
    const root = appliance.certificates.find((c) => c.kind === 'root')!;
    const intermediate = appliance.certificates.find((c) => c.kind === 'intermediate')!;
    expect([root.privateKey, root.keyExportable, intermediate.privateKey, intermediate.keyExportable]).toEqual(['available', true, 'available', true]);
    expect(openssl(['x509', '-noout', '-subject'], pemOf(await derOf(ws, root))).stdout).toMatch(/CN ?= ?Example Corp Root CA/);
    expect(openssl(['x509', '-noout', '-subject'], pemOf(await derOf(ws, intermediate))).stdout).toMatch(/CN ?= ?Example Corp Root CA Intermediate/);

    const request = await ws.createRequest(applianceId, {
      friendlyName: 'Support 2026',
      algorithm: 'ECDSA-P256',
      exportable: false,
      subject: { CN: 'support.example.com' },
      subjectAltNames: ['support.example.com'],
    });
    const signed = await ws.signRequest(request.id, { caCertificateId: intermediate.id, validityDays: 90 });
    expect(signed.files[0]!.file).toBe('Signed by "Example Corp Root CA Intermediate"');
    expect(signed.linked).toBe(1);
    appliance = (await ws.listWorkspace()).appliances[0]!;
    expect(appliance.requests.find((r) => r.id === request.id)!.fulfilled).toBe(true);
    const leaf = appliance.certificates.find((c) => c.kind === 'server' && !c.factoryDefault)!;
    expect([leaf.privateKey, leaf.chain]).toEqual(['available', 'complete']);
    const dir = tempDir();
    const verify = openssl([
      'verify',
      '-CAfile', writeTemp(dir, 'root.pem', pemOf(await derOf(ws, root))),
      '-untrusted', writeTemp(dir, 'ica.pem', pemOf(await derOf(ws, intermediate))),
      writeTemp(dir, 'leaf.pem', pemOf(await derOf(ws, leaf))),
    ]);
    expect(verify.stdout, verify.stderr).toMatch(/leaf\.pem: OK/);
    ws.close();
  });

  it('refuses a CA without a name, a request that is gone, and a signer that is no CA', async () => {
    const { ws, applianceId } = await setup();
    const before = await snapshot(ws);
    expect(await codeOf(ws.createInternalCa(applianceId, { name: '  ', withIntermediate: false }))).toBe('invalid-ca-name');
    expect(await codeOf(ws.signRequest('no-such-request', { caCertificateId: 'x', validityDays: 90 }))).toBe('unknown-request');
    expect(await snapshot(ws)).toEqual(before);
    await ws.createInternalCa(applianceId, { name: 'Only Root', withIntermediate: false });
    const request = await ws.createRequest(applianceId, { friendlyName: 'R', algorithm: 'ECDSA-P256', exportable: false, subject: { CN: 'r.example.com' }, subjectAltNames: ['r.example.com'] });
    const factory = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => c.factoryDefault)!;
    // The factory default has its key, but it is no CA: the core refuses to sign with it.
    expect(await codeOf(ws.signRequest(request.id, { caCertificateId: factory.id, validityDays: 90 }))).toBe('issuer-not-ca');
    ws.close();
  });

  it('a cancelled CA creation stores nothing', async () => {
    const { ws, applianceId } = await setup();
    const before = await snapshot(ws);
    expect(await codeOf(ws.createInternalCa(applianceId, { name: 'Cancelled CA', withIntermediate: true, signal: AbortSignal.abort() }))).toBe('AbortError');
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });
});
