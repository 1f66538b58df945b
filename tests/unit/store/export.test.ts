/**
 * The Export action on a real workspace: every file it writes is read back by the OpenSSL CLI,
 * progress is reported by stage, a refused choice or a cancelled export leaves the workspace as
 * it was — also when the slow part runs in the PKI worker and Cancel terminates it.
 */
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../support/errors';
import { fixture, fixturePath, openssl, tempDir, writeTemp } from '../../support/fixtures';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { pkiServices } from '../../../src/store/pki';
import type { ExportChoice, ExportProgress, Workspace } from '../../../src/store/workspace';
import { createPkiWorker } from '../../../src/worker/pki-bridge';
import { spawner } from '../worker/in-process-worker';
import { freshWorkspace, snapshot } from './support';

const PASS = 'correct horse battery';
const fixturePublicKey = openssl(['pkey', '-in', fixturePath('openssl-set/rsa/server.pkcs8.pem'), '-pubout']).stdout;
const fingerprint = (args: string[], input?: Uint8Array) => openssl(['x509', ...args, '-noout', '-fingerprint', '-sha256'], input).stdout;
const chainFingerprints = ['server', 'ica', 'root'].map((name) => fingerprint(['-in', fixturePath(`openssl-set/rsa/${name}.pem`)]));

const choice = (over: Partial<ExportChoice> = {}): ExportChoice => ({
  includeCertificate: true,
  includePrivateKey: false,
  includeChain: false,
  format: 'pem',
  preset: 'modern',
  passphrase: '',
  ...over,
});

/** A workspace holding openssl-set's RSA server certificate with its key and chain (from its .p12). */
async function withServer(overrides: Parameters<typeof freshWorkspace>[0] = {}) {
  const { ws } = await freshWorkspace(overrides);
  const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
  await ws.importFiles(applianceId, [{ name: 'server-default.p12', bytes: fixture('openssl-set', 'rsa', 'server-default.p12'), password: 'changeit' }]);
  const certificates = (await ws.listWorkspace()).appliances[0]!.certificates;
  const leaf = certificates.find((c) => c.kind === 'server' && !c.factoryDefault)!;
  const factory = certificates.find((c) => c.factoryDefault)!;
  return { ws, leaf, factory };
}

/** Runs the export and records its progress reports. */
async function exported(ws: Workspace<CertdeskKey>, ids: string[], c: ExportChoice) {
  const progress: ExportProgress[] = [];
  const file = await ws.exportCertificates(ids, c, { onProgress: (p) => progress.push(p) });
  return { file, path: writeTemp(tempDir(), file.name, file.bytes), stages: progress.map((p) => `${p.stage} ${p.done}/${p.total}`) };
}

/** The certificates in a PEM text, as SHA-256 fingerprints in order. */
function pemFingerprints(text: string): string[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g)].map((m) => fingerprint([], new TextEncoder().encode(m[0])));
}

describe('exportCertificates', () => {
  it.each([
    { preset: 'modern' as const, legacy: [], scheme: /AES-256-CBC/ },
    { preset: 'legacy' as const, legacy: ['-legacy'], scheme: /3DES|TripleDES|pbeWithSHA1And3-KeyTripleDES-CBC/i },
  ])('PKCS#12 $preset with key and chain: openssl pkcs12 -info reads it, the key is the server key', async ({ preset, legacy, scheme }) => {
    const { ws, leaf } = await withServer();
    const { file, path, stages } = await exported(ws, [leaf.id], choice({ includePrivateKey: true, includeChain: true, format: 'pkcs12', preset, passphrase: PASS }));
    // The friendly name from the .p12, made a plain file name.
    expect([leaf.friendlyName, file.name]).toEqual(['appliance server (rsa)', 'appliance_server_rsa.p12']);
    expect(file.type).toBe('application/x-pkcs12');
    expect(stages).toEqual(['reading 0/2', 'encrypting 1/2']);
    const info = openssl(['pkcs12', ...legacy, '-info', '-in', path, '-passin', `pass:${PASS}`, '-noout']);
    expect(info.status, info.stderr).toBe(0);
    expect(info.stderr).toMatch(scheme);
    const key = openssl(['pkcs12', ...legacy, '-in', path, '-passin', `pass:${PASS}`, '-nocerts', '-nodes']);
    expect(openssl(['pkey', '-pubout'], key.stdout).stdout).toBe(fixturePublicKey);
    const certs = openssl(['pkcs12', ...legacy, '-in', path, '-passin', `pass:${PASS}`, '-nokeys']);
    expect(pemFingerprints(certs.stdout)).toEqual(chainFingerprints);
    expect(certs.stdout).toContain(`friendlyName: ${leaf.friendlyName}`);
    expect(openssl(['pkcs12', ...legacy, '-in', path, '-passin', 'pass:wrong', '-noout']).status).not.toBe(0);
    ws.close();
  });

  it('PEM with the key: the encrypted PKCS#8 block that openssl pkey opens, then the chain', async () => {
    const { ws, leaf } = await withServer();
    const { file, path, stages } = await exported(ws, [leaf.id], choice({ includePrivateKey: true, includeChain: true, format: 'pem', passphrase: PASS }));
    expect(file.type).toBe('application/x-pem-file');
    expect(stages).toEqual(['reading 0/2', 'encrypting 1/2']);
    const text = new TextDecoder().decode(file.bytes);
    expect(text).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(openssl(['pkey', '-in', path, '-passin', `pass:${PASS}`, '-pubout']).stdout).toBe(fixturePublicKey);
    expect(openssl(['pkey', '-in', path, '-passin', 'pass:wrong', '-noout']).status).not.toBe(0);
    expect(pemFingerprints(text)).toEqual(chainFingerprints);
    ws.close();
  });

  it('certificates only, as PEM, DER and PKCS#7, named and typed for their format, with nothing encrypted', async () => {
    const { ws, leaf } = await withServer();
    const pem = await exported(ws, [leaf.id], choice({ includeChain: true }));
    expect([pem.file.type, pem.file.name.endsWith('.pem'), pem.stages]).toEqual(['application/pem-certificate-chain', true, ['reading 0/2', 'writing 1/2']]);
    expect(pemFingerprints(new TextDecoder().decode(pem.file.bytes))).toEqual(chainFingerprints);
    const der = await exported(ws, [leaf.id], choice({ format: 'der' }));
    expect([der.file.type, der.file.name.endsWith('.cer')]).toEqual(['application/pkix-cert', true]);
    expect(fingerprint(['-inform', 'DER', '-in', der.path])).toBe(chainFingerprints[0]);
    const p7 = await exported(ws, [leaf.id], choice({ includeChain: true, format: 'pkcs7' }));
    expect([p7.file.type, p7.file.name.endsWith('.p7b')]).toEqual(['application/pkcs7-mime', true]);
    const printed = openssl(['pkcs7', '-inform', 'DER', '-in', p7.path, '-print_certs']);
    expect(printed.status, printed.stderr).toBe(0);
    expect(pemFingerprints(printed.stdout)).toEqual(chainFingerprints);
    ws.close();
  });

  it('several certificates go into one file named "certificates", each certificate once', async () => {
    const { ws, leaf, factory } = await withServer();
    const { file } = await exported(ws, [leaf.id, factory.id], choice({ includeChain: true }));
    expect(file.name).toBe('certificates.pem');
    const fingerprints = pemFingerprints(new TextDecoder().decode(file.bytes));
    expect(fingerprints).toEqual([...chainFingerprints, fingerprint(['-inform', 'DER'], (await ws.certificateDers([factory.id]))[0]!)]);
    ws.close();
  });

  it.each([
    { name: 'no certificate chosen', ids: () => [], c: choice(), code: 'nothing-to-export' },
    { name: 'a certificate that is gone', ids: () => ['no-such-certificate'], c: choice(), code: 'unknown-certificate' },
    { name: 'a non-exportable key', ids: (s: { factory: { id: string } }) => [s.factory.id], c: choice({ includePrivateKey: true, format: 'pkcs12', passphrase: PASS }), code: 'export-invalid' },
    { name: 'a chain as DER', ids: (s: { leaf: { id: string } }) => [s.leaf.id], c: choice({ includeChain: true, format: 'der' }), code: 'export-invalid' },
    { name: 'a short passphrase', ids: (s: { leaf: { id: string } }) => [s.leaf.id], c: choice({ format: 'pkcs12', passphrase: 'short' }), code: 'export-invalid' },
  ])('refuses $name and changes nothing', async ({ ids, c, code }) => {
    const setup = await withServer();
    const before = await snapshot(setup.ws);
    expect(await codeOf(setup.ws.exportCertificates(ids(setup), c))).toBe(code);
    expect(await snapshot(setup.ws)).toEqual(before);
    setup.ws.close();
  });

  it('says why in the words of the Export page', async () => {
    const { ws, factory } = await withServer();
    await expect(ws.exportCertificates([factory.id], choice({ includePrivateKey: true, format: 'pkcs12', passphrase: PASS }))).rejects.toThrow(
      /created non-exportable: it can never leave this browser/,
    );
    ws.close();
  });

  it('Cancel during the key derivation ends in an AbortError and leaves nothing behind', async () => {
    const { ws, leaf } = await withServer();
    const before = await snapshot(ws);
    const controller = new AbortController();
    const stages: string[] = [];
    const outcome = ws.exportCertificates([leaf.id], choice({ includePrivateKey: true, includeChain: true, format: 'pkcs12', passphrase: PASS }), {
      signal: controller.signal,
      onProgress: (p) => {
        stages.push(p.stage);
        if (p.stage === 'encrypting') controller.abort();
      },
    });
    expect(await codeOf(outcome)).toBe('AbortError');
    expect(stages).toEqual(['reading', 'encrypting']);
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });

  it('in the PKI worker: Cancel terminates the worker mid-export, nothing is stored, and the next export works', async () => {
    const { spawn, workers } = spawner();
    const { ws, leaf } = await withServer({ pki: pkiServices({ runJob: createPkiWorker(spawn) }) });
    const before = await snapshot(ws);
    const workersBefore = workers.length;
    const controller = new AbortController();
    const p12 = choice({ includePrivateKey: true, includeChain: true, format: 'pkcs12', passphrase: PASS });
    const outcome = ws.exportCertificates([leaf.id], p12, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'encrypting') controller.abort();
      },
    });
    expect(await codeOf(outcome)).toBe('AbortError');
    const exportWorker = workers.at(-1)!;
    expect(exportWorker.requests.at(-1)!.job.kind).toBe('pkcs12');
    expect(exportWorker.terminated).toBe(true);
    expect(await snapshot(ws)).toEqual(before);
    // Whatever the terminated worker still computed goes nowhere, and the next export gets a new worker.
    await Promise.all(exportWorker.answered);
    const again = await exported(ws, [leaf.id], p12);
    expect(workers.length).toBe(Math.max(workersBefore, 1) + 1);
    expect(openssl(['pkcs12', '-info', '-in', again.path, '-passin', `pass:${PASS}`, '-noout']).status).toBe(0);
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });
});
