/**
 * The independent implementations the campaign compares with: OpenSSL in-process through Node's
 * crypto (X509Certificate is d2i_X509; createPrivateKey is d2i_PrivateKey/PKCS#8) and the OpenSSL
 * CLI for PKCS#12 and requests, which is spawned for a sample of executions only.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether OpenSSL (d2i_X509 through Node) reads `der` as a certificate, and its DER if so. */
export function nodeCertificate(der: Uint8Array): Uint8Array | undefined {
  try {
    return new Uint8Array(new X509Certificate(Buffer.from(der.buffer, der.byteOffset, der.byteLength)).raw);
  } catch {
    return undefined;
  }
}

/** Whether OpenSSL reads PEM `text` as a certificate, and the DER it found. */
export function nodePemCertificate(text: string): Uint8Array | undefined {
  try {
    return new Uint8Array(new X509Certificate(text).raw);
  } catch {
    return undefined;
  }
}

/** The key OpenSSL reads from DER `bytes` as PKCS#8, PKCS#1 or SEC1, if any. */
export function nodePrivateKey(bytes: Uint8Array): KeyObject | undefined {
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key, format: 'der', type });
    } catch {
      // not this form
    }
  }
  return undefined;
}

/**
 * Whether OpenSSL reads PKCS#8 `pkcs8` and derives the public key `spki` from it: compared as
 * numbers (JWK n/e, x/y), since OpenSSL keeps a key's point form (compressed, hybrid) where
 * Certdesk writes the uncompressed point certificates carry. Undefined when OpenSSL refuses the key.
 */
export function nodeDerivesSamePublicKey(pkcs8: Uint8Array, spki: Uint8Array): boolean | undefined {
  let theirs: string;
  try {
    const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    theirs = JSON.stringify(createPublicKey(key).export({ format: 'jwk' }));
  } catch {
    return undefined;
  }
  try {
    return JSON.stringify(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' })) === theirs;
  } catch {
    return false;
  }
}

let scratch: string | undefined;
function scratchFile(name: string, bytes: Uint8Array): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'certdesk-fuzz-'));
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

/** Removes the oracle's scratch directory (end of a worker). */
export function cleanOracleFiles(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/**
 * `openssl pkcs12 -legacy -nodes -out /dev/null`: the MAC checked, every bag decrypted and every
 * key and certificate read (as PKCS12_parse would); if not, OpenSSL's error (opensslError).
 */
export function opensslPkcs12(bytes: Uint8Array, password: string | null): { ok: boolean; error: string } {
  const file = scratchFile('input.p12', bytes);
  const result = spawnSync('openssl', ['pkcs12', '-legacy', '-nodes', '-in', file, '-passin', `pass:${password ?? ''}`, '-out', '/dev/null'], { timeout: 20_000 });
  return { ok: result.status === 0, error: opensslError(result.stderr?.toString() ?? '', result.status) };
}

/**
 * What OpenSSL refused: its first message that is not a warning ("Warning: MAC is absent!" comes
 * before whatever failed next), then the reasons on its error stack with the field they name
 * (`…:asn1_check_tlen:wrong tag:tasn_dec.c:1215:Field=version, Type=PKCS7_ENVELOPE`), so that a
 * disagreement says which structure OpenSSL could not read.
 */
export function opensslError(stderr: string, status: number | null): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  // An error stack line: thread:error:code:library:function:reason:file:line:data
  const stack = lines.map((l) => l.split(':')).filter((f) => f[1] === 'error' && f.length >= 8);
  const head = lines.find((l) => !/^Warning:/.test(l) && !/^[0-9A-F]+:error:/.test(l)) ?? `exit ${status}`;
  const noise = /^(nested asn1 error|mac absent)$/;
  const reasons = new Set(stack.map((f) => [noise.test(f[5]!) ? '' : f[5], f.slice(8).join(':')].filter(Boolean).join(' ')).filter(Boolean));
  return reasons.size ? `${head} (${[...reasons].join('; ')})` : head;
}

/**
 * `openssl req -verify`: whether OpenSSL parses the request, and whether its self-signature
 * verifies. When verification errors out (a key it cannot decode, DSA arithmetic failing),
 * a second run without -verify tells whether the request itself was read.
 */
export function opensslRequest(bytes: Uint8Array, pem: boolean): { parsed: boolean; verified: boolean; error: string } {
  const file = scratchFile(pem ? 'input.csr.pem' : 'input.csr.der', bytes);
  const run = (verify: boolean) => {
    const result = spawnSync('openssl', ['req', '-in', file, '-inform', pem ? 'PEM' : 'DER', '-noout', ...(verify ? ['-verify'] : [])], { timeout: 20_000 });
    return { status: result.status, out: `${result.stdout?.toString() ?? ''}${result.stderr?.toString() ?? ''}` };
  };
  const first = run(true);
  const error = first.out.split('\n').find((l) => l.trim()) ?? `exit ${first.status}`;
  const verified = /verify OK/.test(first.out);
  if (verified || /verify failure/.test(first.out)) return { parsed: true, verified, error };
  return { parsed: run(false).status === 0, verified: false, error };
}

/** Whether DER-looking `bytes` use a BER-only form somewhere: a constructed string or an indefinite length (X.690 §10.1, §10.2). */
export function usesBerOnlyForms(bytes: Uint8Array, start = 0, end = bytes.length, depth = 0): boolean {
  let pos = start;
  while (pos + 2 <= end && depth < 64) {
    const tag = bytes[pos]!;
    let length = bytes[pos + 1]!;
    let at = pos + 2;
    if (length === 0x80) return true;
    if (length > 0x80) {
      const n = length & 0x7f;
      if (n > 4) return false;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + (bytes[at + i] ?? 0);
      at += n;
    }
    if (at + length > end) return false;
    // Universal constructed forms of the string types (BIT, OCTET, the character strings, times).
    if ((tag & 0xe0) === 0x20 && [3, 4, 12, 18, 19, 20, 22, 23, 24, 26, 28, 30].includes(tag & 0x1f)) return true;
    if (tag & 0x20 && usesBerOnlyForms(bytes, at, at + length, depth + 1)) return true;
    pos = at + length;
  }
  return false;
}
