/**
 * Keys, CSRs and decoding, beside the OpenSSL CLI doing the same work in the same run.
 * Ours runs in-process; OpenSSL's time includes starting the process, which is what an admin
 * scripting it pays too. Key generation is random work (prime search), hence more runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey, type KeyAlgorithmName } from '../../src/core/pki/keys';
import { createCsr } from '../../src/core/pki/csr';
import { decodeInput } from '../../src/core/pki/decode';
import { fixturePath, tempDir } from '../support/fixtures';
import { median, printTable, timeAsync, timeOpenssl, type BenchRow } from './table';

const GENPKEY: Record<KeyAlgorithmName, string[]> = {
  'RSA-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'RSA-3072': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
  'RSA-4096': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  'ECDSA-P256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ECDSA-P384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};
const RUNS: Record<KeyAlgorithmName, number> = { 'RSA-2048': 41, 'RSA-3072': 21, 'RSA-4096': 11, 'ECDSA-P256': 30, 'ECDSA-P384': 30 };

export async function run(): Promise<void> {
  const rows: BenchRow[] = [];
  const dir = tempDir('certdesk-bench-');

  // Key generation alternates ours and OpenSSL's run by run, so that load from other processes
  // on this shared machine falls on both sides alike.
  for (const algorithm of Object.keys(GENPKEY) as KeyAlgorithmName[]) {
    const ours: number[] = [];
    const theirs: number[] = [];
    await generateKey(algorithm, { exportable: true });
    for (let i = 0; i < RUNS[algorithm]; i++) {
      const start = performance.now();
      await generateKey(algorithm, { exportable: true });
      ours.push(performance.now() - start);
      theirs.push(timeOpenssl(1, ['genpkey', ...GENPKEY[algorithm], '-out', join(dir, 'k.pem')]));
    }
    rows.push({ name: `generate ${algorithm} (exportable: wrapped PKCS#8)`, oursMs: median(ours), opensslMs: median(theirs) });
  }

  for (const algorithm of ['RSA-2048', 'ECDSA-P256'] as const) {
    const key = await generateKey(algorithm, { exportable: true });
    const keyFile = join(dir, `${algorithm}.pem`);
    timeOpenssl(1, ['genpkey', ...GENPKEY[algorithm], '-out', keyFile]);
    const input = { key, subject: { C: 'DE', O: 'Acme', CN: 'appliance.example.test' }, subjectAltNames: ['*.mgmt.example.test', '192.0.2.10', '2001:db8::10'] };
    rows.push({
      name: `CSR with 4 SANs, ${algorithm}`,
      oursMs: await timeAsync(30, () => createCsr(input)),
      opensslMs: timeOpenssl(30, [
        'req', '-new', '-key', keyFile, '-subj', '/C=DE/O=Acme/CN=appliance.example.test',
        '-addext', 'subjectAltName=DNS:appliance.example.test,DNS:*.mgmt.example.test,IP:192.0.2.10,IP:2001:db8::10',
        '-out', join(dir, 'r.csr'),
      ]),
    });
  }

  const roots = new Uint8Array(readFileSync(fixturePath('mozilla-roots.pem')));
  const ours = await timeAsync(30, () => decodeInput(roots));
  rows.push({
    name: 'decode mozilla-roots.pem (144 certs) vs crl2pkcs7 -nocrl -certfile',
    oursMs: ours,
    opensslMs: timeOpenssl(30, ['crl2pkcs7', '-nocrl', '-certfile', fixturePath('mozilla-roots.pem'), '-out', join(dir, 'roots.p7b')]),
  });
  rows.push({
    name: 'decode mozilla-roots.pem (144 certs) vs storeutl -noout -certs',
    oursMs: ours,
    opensslMs: timeOpenssl(30, ['storeutl', '-noout', '-certs', fixturePath('mozilla-roots.pem')]),
  });

  printTable('Keys, CSRs, decoding (median ms)', rows);
}

