/**
 * The page's side of the PKI worker: jobs answer what the same jobs answer in-process, errors
 * keep their codes, Cancel terminates a running job's worker and drops a queued job, an idle
 * worker is stopped, and a worker that dies is reported.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeOf } from '../../support/errors';
import { fixture, openssl, tempDir, writeTemp } from '../../support/fixtures';
import { generateKey } from '../../../src/core/pki/keys';
import { createPkiWorker, IDLE_MS } from '../../../src/worker/pki-bridge';
import { runPkiJob } from '../../../src/worker/pki-jobs';
import type { PkiJob } from '../../../src/worker/pki-protocol';
import { BusyWorker, spawner } from './in-process-worker';

const rsa = (name: string) => fixture('openssl-set', 'rsa', name);

afterEach(() => {
  vi.useRealTimers();
});

describe('createPkiWorker', () => {
  it('decodes as the in-process job does, and reports that the job started', async () => {
    const { spawn, workers } = spawner();
    const run = createPkiWorker(spawn);
    const onStarted = vi.fn();
    const job = { kind: 'decode', bytes: rsa('server-default.p12'), password: 'changeit' } as const;
    const viaWorker = await run(job, { onStarted });
    expect(viaWorker).toEqual(await runPkiJob(job));
    expect(viaWorker.certificates).toHaveLength(3);
    expect(onStarted).toHaveBeenCalledTimes(1);
    expect(workers).toHaveLength(1);
  });

  it('writes a PKCS#12 in the worker (the key crosses as a CryptoKey) that openssl pkcs12 reads', async () => {
    const run = createPkiWorker(spawner().spawn);
    const key = await generateKey('ECDSA-P256', { exportable: true });
    const certificates = [rsa('root.der')];
    const p12 = await run({ kind: 'pkcs12', key, certificates, friendlyName: 'Worker test', password: 'pässword 1', preset: 'modern' });
    const path = writeTemp(tempDir(), 'out.p12', p12);
    const info = openssl(['pkcs12', '-info', '-in', path, '-passin', 'pass:pässword 1', '-noout']);
    expect(info.status, info.stderr).toBe(0);
    const keyPem = openssl(['pkcs12', '-in', path, '-passin', 'pass:pässword 1', '-nocerts', '-nodes']);
    expect(keyPem.status, keyPem.stderr).toBe(0);
    expect(openssl(['pkey', '-pubout'], keyPem.stdout).stdout).toBe(openssl(['pkey', '-pubin', '-inform', 'DER', '-pubout'], key.spki).stdout);
  });

  it('makes a key in the worker (its CryptoKeys cross back) that signs a certificate openssl verifies, and reads its facts there', async () => {
    const run = createPkiWorker(spawner().spawn);
    const key = await run({ kind: 'generate-key', algorithm: 'ECDSA-P256', exportable: false });
    expect(key.privateKey.extractable).toBe(false);
    expect(key.exportable).toBe(false);
    const der = await run({ kind: 'self-signed-certificate', key, subject: { CN: 'Certdesk Appliance', O: 'Worker test' }, subjectAltNames: ['appliance.example.com'], validityDays: 30 });
    const dir = tempDir();
    const path = writeTemp(dir, 'factory.der', der);
    const pemPath = writeTemp(dir, 'factory.pem', openssl(['x509', '-inform', 'DER', '-in', path]).stdout);
    // Self-signed: its own signature verifies under its own key (X509_V_FLAG_CHECK_SS_SIGNATURE).
    const verified = openssl(['verify', '-check_ss_sig', '-CAfile', pemPath, pemPath]);
    expect(verified.status, verified.stderr + verified.stdout).toBe(0);
    const text = openssl(['x509', '-inform', 'DER', '-in', path, '-noout', '-subject', '-ext', 'subjectAltName', '-fingerprint', '-sha256']).stdout;
    expect(text).toContain('O = Worker test');
    expect(text).toContain('DNS:appliance.example.com');
    const facts = await run({ kind: 'certificate-facts', der });
    expect(facts).toEqual(await runPkiJob({ kind: 'certificate-facts', der }));
    expect(text.replace(/:/g, '').toLowerCase()).toContain(facts.sha256);
    expect(facts.publicKeySha256).toBe(key.publicKeySha256);
  });

  it('refuses a key type Certdesk does not create, in the worker as in-process', async () => {
    const run = createPkiWorker(spawner().spawn);
    const job = { kind: 'generate-key', algorithm: 'RSA-1024' as 'RSA-2048', exportable: false } as const;
    expect(await codeOf(run(job))).toBe('unsupported-key-algorithm');
    expect(await codeOf(runPkiJob(job))).toBe('unsupported-key-algorithm');
  });

  it('keeps the CertdeskError code of a failed job', async () => {
    const run = createPkiWorker(spawner().spawn);
    expect(await codeOf(run({ kind: 'decode', bytes: rsa('server-default.p12'), password: 'wrong' }))).toBe('wrong-password');
    expect(await codeOf(run({ kind: 'decode', bytes: new Uint8Array(0) }))).toBe('empty-file');
  });

  it('Cancel while the job runs terminates the worker; the next job gets a fresh one', async () => {
    const { spawn, workers } = spawner();
    const run = createPkiWorker(spawn);
    const controller = new AbortController();
    const key = await generateKey('ECDSA-P256', { exportable: true });
    const job: PkiJob = { kind: 'pkcs12', key, certificates: [rsa('root.der')], password: 'long enough', preset: 'modern' };
    const outcome = codeOf(run(job, { signal: controller.signal, onStarted: () => controller.abort() }));
    expect(await outcome).toBe('AbortError');
    expect(workers[0]!.terminated).toBe(true);
    expect(await codeOf(run({ kind: 'decode', bytes: rsa('root.der') }))).toBe('resolved');
    expect(workers).toHaveLength(2);
    expect(workers[1]!.terminated).toBe(false);
  });

  it('Cancel of a queued job drops it at once and leaves the running job alone', async () => {
    const { spawn, workers } = spawner();
    const run = createPkiWorker(spawn);
    const controller = new AbortController();
    const first = run({ kind: 'decode', bytes: rsa('server-fullchain.pem') });
    const second = run({ kind: 'decode', bytes: rsa('root.der') }, { signal: controller.signal });
    controller.abort();
    expect(await codeOf(second)).toBe('AbortError');
    expect((await first).certificates).toHaveLength(3);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(false);
    // The dropped job never reached the worker.
    expect(workers[0]!.requests.map((r) => r.job.kind)).toEqual(['decode']);
  });

  it('a job whose signal is already aborted never starts a worker', async () => {
    const { spawn, workers } = spawner();
    const run = createPkiWorker(spawn);
    expect(await codeOf(run({ kind: 'decode', bytes: rsa('root.der') }, { signal: AbortSignal.abort() }))).toBe('AbortError');
    expect(workers).toHaveLength(0);
  });

  it(`stops a worker idle for ${IDLE_MS / 1000} s, and reuses one that is not`, async () => {
    const { spawn, workers } = spawner();
    const run = createPkiWorker(spawn);
    await run({ kind: 'decode', bytes: rsa('root.der') });
    await run({ kind: 'decode', bytes: rsa('ica.der') });
    expect(workers).toHaveLength(1);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await run({ kind: 'decode', bytes: rsa('root.der') });
    expect(workers).toHaveLength(1);
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(workers[0]!.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('a worker that dies is reported in the words of the job that was running', async () => {
    const workers: BusyWorker[] = [];
    const run = createPkiWorker(() => {
      workers.push(new BusyWorker());
      return workers.at(-1)!;
    });
    const decoding = run({ kind: 'decode', bytes: rsa('root.der') });
    await vi.waitFor(() => expect(workers).toHaveLength(1));
    workers[0]!.dispatchEvent(new Event('error'));
    expect(await codeOf(decoding)).toBe('decoder-failed');
    expect(workers[0]!.terminated).toBe(true);
    const key = await generateKey('ECDSA-P256', { exportable: true });
    const exporting = run({ kind: 'encrypted-pkcs8', key, password: 'long enough' });
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    workers[1]!.dispatchEvent(new Event('error'));
    expect(await codeOf(exporting)).toBe('export-failed');
  });
});
