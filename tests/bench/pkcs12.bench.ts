/**
 * PKCS#12 export and import per preset, with the openssl-set RSA server key, certificate and
 * chain, beside the same work by the `openssl` CLI with matching algorithms and iterations.
 * Ours includes the re-read every export does before it returns. Our run and OpenSSL's alternate
 * run by run, so that load from other processes on this shared machine falls on both alike.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportPkcs12, importPkcs12, type Pkcs12Preset } from '../../src/core/pki/pkcs12';
import { median, printTable, timeOpenssl, type BenchRow } from './table';

const set = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/openssl-set/rsa');

function der(name: string): Uint8Array {
  const text = readFileSync(join(set, name), 'utf8');
  const body = /-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(text)![1]!;
  return new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
}

const presets: { preset: Pkcs12Preset; iterations: number; opensslArgs: string[] }[] = [
  { preset: 'modern', iterations: 100_000, opensslArgs: ['-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC', '-macalg', 'sha256', '-iter', '100000'] },
  { preset: 'legacy', iterations: 2048, opensslArgs: ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1', '-iter', '2048'] },
];

/** Medians of `runs` alternating runs of ours and of the OpenSSL CLI, after one warm-up each. */
async function timeBoth(runs: number, ours: () => Promise<unknown>, opensslArgs: string[]): Promise<{ oursMs: number; opensslMs: number }> {
  await ours();
  timeOpenssl(1, opensslArgs);
  const oursMs: number[] = [];
  const opensslMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await ours();
    oursMs.push(performance.now() - start);
    opensslMs.push(timeOpenssl(1, opensslArgs));
  }
  return { oursMs: median(oursMs), opensslMs: median(opensslMs) };
}

export async function run(): Promise<void> {
  const runs = 15;
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
  const key = der('server.pkcs8.pem');
  const certificates = [der('server.pem'), der('ica.pem'), der('root.pem')];
  const password = 'changeit';
  const rows: BenchRow[] = [];
  for (const { preset, iterations, opensslArgs } of presets) {
    const out = join(dir, `openssl-${preset}.p12`);
    const exported = await timeBoth(runs, () => exportPkcs12({ privateKey: key, certificates, friendlyName: 'appliance', password, preset }), [
      'pkcs12', '-export', '-in', join(set, 'server.pem'), '-inkey', join(set, 'server.pkcs8.pem'),
      '-certfile', join(set, 'ca-bundle.pem'), '-name', 'appliance', '-passout', `pass:${password}`, '-out', out, ...opensslArgs,
    ]);
    rows.push({ name: `PKCS#12 export, ${preset} (${iterations.toLocaleString('en-US')} iterations, incl. re-read)`, ...exported });

    const file = await exportPkcs12({ privateKey: key, certificates, friendlyName: 'appliance', password, preset });
    const path = join(dir, `certdesk-${preset}.p12`);
    writeFileSync(path, file);
    const imported = await timeBoth(runs, () => importPkcs12(file, password), ['pkcs12', '-in', path, '-nodes', '-passin', `pass:${password}`, '-out', join(dir, 'dump.pem')]);
    rows.push({ name: `PKCS#12 import, ${preset}`, ...imported });
  }
  printTable('PKCS#12 (openssl-set RSA server key + 3-certificate chain)', rows);
}
