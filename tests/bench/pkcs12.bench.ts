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
import { cbc } from '@noble/ciphers/aes.js';
import { der as asn1, OID } from '../../src/core/pki/asn1';
import { limits } from '../../src/core/pki/limits';
import { exportPkcs12, importPkcs12, type Pkcs12Preset } from '../../src/core/pki/pkcs12';
import { hashByName, type HashName } from '../../src/core/pki/pkcs12/hashes';
import { pbkdf2, pkcs12Kdf } from '../../src/core/pki/pkcs12/kdf';
import { bmpPassword } from '../../src/core/pki/pkcs12/passwords';
import { median, printTable, timeAsync, timeOpenssl, type BenchRow } from './table';

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
  // Refusals: a hostile file is refused before any derivation, whatever it asks for.
  const hostile = asn1.sequence(
    asn1.integer(3),
    asn1.sequence(asn1.oid(OID.data), asn1.explicit(0, asn1.octetString(asn1.sequence()))),
    asn1.sequence(asn1.sequence(asn1.sequence(asn1.oid(OID.sha1), asn1.nullValue()), asn1.octetString(new Uint8Array(20))), asn1.octetString(new Uint8Array(8)), asn1.integer(100_000_000)),
  );
  rows.push({
    name: 'refuse a 1e8-iteration file (SHA-1 MAC, NULL and empty password: 2e8 compressions asked)',
    oursMs: await timeAsync(runs, () => importPkcs12(hostile, null).then(() => { throw new Error('accepted'); }, (e: { code?: string }) => { if (e.code !== 'work-limit-exceeded') throw e; })),
  });
  printTable('PKCS#12 (openssl-set RSA server key + 3-certificate chain)', rows);
  await calibration();
}

/**
 * The work budget's calibration (limits.maxWorkPerFile): hash compressions per second of each
 * derivation path, and how long a file at the ceiling takes on it. A 128-byte-block compression
 * counts 2, as the budget counts it.
 */
async function calibration(): Promise<void> {
  const pw = bmpPassword('changeit');
  const salt = new Uint8Array(8);
  const paths: { name: string; hash: HashName; units: number; run: () => Promise<unknown> }[] = [];
  const kdf = (hash: HashName, iterations: number) => ({
    name: `PKCS#12 KDF ${hash} (${hash === 'SHA-1' || hash === 'SHA-256' ? 'unrolled sha-iterate' : '@noble/hashes'})`,
    hash,
    units: iterations * (hashByName(hash).blockLen / 64),
    run: () => pkcs12Kdf(hashByName(hash), pw, salt, 3, iterations, hashByName(hash).outputLen),
  });
  const pb = (hash: HashName, iterations: number) => ({
    name: `PBKDF2-HMAC-${hash} (${hashByName(hash).webCrypto ? 'WebCrypto' : '@noble/hashes'})`,
    hash,
    units: 2 * iterations * (hashByName(hash).blockLen / 64),
    run: () => pbkdf2(hashByName(hash), new TextEncoder().encode('changeit'), salt, iterations, hashByName(hash).outputLen),
  });
  paths.push(kdf('SHA-1', 2_000_000), kdf('SHA-256', 1_000_000), kdf('SHA-512', 200_000));
  paths.push(pb('SHA-1', 500_000), pb('SHA-256', 500_000), pb('SHA-512', 500_000), pb('SHA-512/224', 100_000));
  console.log('\n## Work budget calibration (limits.maxWorkPerFile = %s compressions, workPerSecond = %s)', limits.maxWorkPerFile.toLocaleString('en-US'), limits.workPerSecond.toLocaleString('en-US'));
  console.log('| path | million compressions/s | seconds at the ceiling |');
  console.log('|---|---:|---:|');
  for (const p of paths) {
    const ms = await timeAsync(3, p.run);
    const perSecond = (p.units / ms) * 1000;
    console.log(`| ${p.name} | ${(perSecond / 1e6).toFixed(2)} | ${(limits.maxWorkPerFile / perSecond).toFixed(2)} |`);
  }
  // AES-CBC of a 4 KB bag: @noble/ciphers (synchronous) against a WebCrypto round trip.
  const key = new Uint8Array(32);
  const iv = new Uint8Array(16);
  const data = cbc(key, iv).encrypt(new Uint8Array(4096));
  const noble = await timeAsync(200, async () => cbc(key, iv).decrypt(data));
  const webKey = await crypto.subtle.importKey('raw', key, 'AES-CBC', false, ['decrypt']);
  const web = await timeAsync(200, () => crypto.subtle.decrypt({ name: 'AES-CBC', iv }, webKey, data));
  printTable('AES-256-CBC decryption of a 4 KB bag', [
    { name: '@noble/ciphers', oursMs: noble },
    { name: 'WebCrypto (importKey done once)', oursMs: web },
  ]);
}
