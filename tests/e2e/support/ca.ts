/**
 * The CA side of the browser tests, done with the OpenSSL CLI: the openssl-set test CAs (RSA and
 * EC, each root → intermediate) sign what Certdesk's requests ask for, as a real CA would, and
 * downloads are saved where OpenSSL can read them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download } from 'playwright-core';
import { expect } from 'vitest';
import { fixturePath, openssl, tempDir, writeTemp } from '../../support/fixtures';

export type TestCa = 'rsa' | 'ec';

const SERVER_EXTENSIONS =
  'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n';

let serial = Date.now();

/**
 * Signs a PEM CSR with the openssl-set intermediate of `ca`, valid from now for `days` (the SANs
 * the request asks for are copied); returns the DER leaf.
 */
export function signCsr(csrPem: string, options: { ca?: TestCa; days?: number } = {}): Buffer {
  const ca = options.ca ?? 'rsa';
  const dir = tempDir();
  const csr = writeTemp(dir, 'request.csr', csrPem);
  const out = join(dir, 'leaf.der');
  const result = openssl([
    'x509', '-req', '-in', csr,
    '-CA', fixturePath(`openssl-set/${ca}/ica.pem`),
    '-CAkey', fixturePath(`openssl-set/${ca}/ica.pkcs8.pem`),
    '-set_serial', '0x' + (serial++).toString(16),
    '-days', String(options.days ?? 90),
    '-sha256', '-copy_extensions', 'copy',
    '-extfile', writeTemp(dir, 'ext.cnf', SERVER_EXTENSIONS),
    '-outform', 'DER', '-out', out,
  ]);
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(out);
}

/** A fresh key and CSR made by OpenSSL (not Certdesk), for certificates whose key stays outside. */
export function opensslCsr(subject: string, sans: string): string {
  const result = openssl([
    'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(tempDir(), 'key.pem'),
    '-subj', subject, '-addext', `subjectAltName=${sans}`,
  ]);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** Saves a download where the OpenSSL CLI can read it. */
export async function saveDownload(download: Download): Promise<{ path: string; name: string; bytes: Buffer }> {
  const dir = tempDir('certdesk-download-');
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return { path, name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/** Splits PEM text into its certificate blocks, each as PEM. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
}

/** `openssl verify` of a leaf against a root with the intermediates between: the exit status and output. */
export function verifyChain(leafPem: string, intermediatesPem: string[], rootPem: string) {
  const dir = tempDir();
  const args = ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', writeTemp(dir, 'root.pem', rootPem)];
  if (intermediatesPem.length) args.push('-untrusted', writeTemp(dir, 'ica.pem', intermediatesPem.join('')));
  args.push(writeTemp(dir, 'leaf.pem', leafPem));
  return openssl(args);
}
