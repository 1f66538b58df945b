/**
 * The key guard's work at its limits, in Node (the app runs it in the PKI worker). Goal: any one
 * file under ~5 s, the same ceiling the PKCS#12 work budget keeps (limits.maxWorkPerFile).
 *   - a real support file: the chain PEM and a picture-sized PNG (milliseconds)
 *   - 10 MB of random bytes (limits.maxFileBytes), the 150 Mozilla roots as one PEM
 *   - a zip bomb: 200 MB of zeros deflated, stopped at limits.keyGuard.maxInflatedBytes
 *   - the deepest nesting read: a certificate PEM in maxDepth − 1 gzip layers
 * OpenSSL has no counterpart, so the rows have no OpenSSL column.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { findPrivateKeys } from '../../src/core/pki/key-guard';
import { limits } from '../../src/core/pki/limits';
import { makeZip } from '../support/zip';
import { printTable, timeSync, type BenchRow } from './table';
import { seededRandom } from '../support/seeded-bytes';

const fixture = (path: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../shared/fixtures/${path}`, import.meta.url))));

const seeded = (length: number) => seededRandom(length, 2463534242);

export async function run(): Promise<void> {
  const chain = fixture('openssl-set/rsa/server-fullchain.pem');
  const roots = fixture('mozilla-roots.pem');
  // A picture-sized PNG stand-in: 300 KB of compressed-looking bytes behind a PNG signature.
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...seeded(300 * 1024)]);
  const random = seeded(limits.maxFileBytes);
  const base64 = new TextEncoder().encode(
    Buffer.from(seeded((limits.maxFileBytes / 4) * 3))
      .toString('base64')
      .replace(/(.{64})/g, '$1\n'),
  ).subarray(0, limits.maxFileBytes);
  const bomb = makeZip([{ name: 'zeros', bytes: Buffer.alloc(200 * 1024 * 1024) }]);
  let nested: Uint8Array = chain;
  for (let i = 0; i < limits.keyGuard.maxDepth - 1; i++) nested = new Uint8Array(gzipSync(nested));
  const rows: BenchRow[] = [];
  const scan = (name: string, bytes: Uint8Array) => () => findPrivateKeys({ name, bytes });
  for (const [name, bytes, runs] of [
    ['chain PEM, 3 certificates (4 KB)', chain, 20],
    ['picture-sized PNG (300 KB)', png, 10],
    ['Mozilla roots PEM (150 certificates)', roots, 5],
    [`random bytes at limits.maxFileBytes (${limits.maxFileBytes / 1024 / 1024} MB)`, random, 3],
    [`base64 text of random bytes at limits.maxFileBytes`, base64, 3],
    ['zip bomb, 200 MB of zeros (stops at 32 MB)', bomb, 3],
    [`certificate PEM in ${limits.keyGuard.maxDepth - 1} gzip layers`, nested, 10],
  ] as const) {
    const report = findPrivateKeys({ name, bytes });
    const verdict = report.findings.length ? 'key found' : report.unchecked.length ? `unchecked: ${report.unchecked[0]!.why.split(' (')[0]}` : 'clean';
    rows.push({ name: `${name}: ${(report.scannedBytes / 1024 / 1024).toFixed(1)} MB scanned, ${verdict}`, oursMs: timeSync(runs, scan(name, bytes)), goalMs: 5000 });
  }
  printTable('Key guard (one file, Node, in-process)', rows);
}
