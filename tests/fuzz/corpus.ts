/**
 * Seed inputs of the campaign: the project's own small corpus (tests/fuzz/corpus/, made by
 * make.sh with the OpenSSL CLI and make-backup.ts with Certdesk's backup writer) and the
 * third-party fixtures, read in place from ../shared/fixtures (never copied).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturesDir } from '../support/fixtures';

/** How an entry is mutated: DER-aware, PEM-aware, JSON-aware, or as plain bytes. */
export type Format = 'der' | 'pem' | 'json' | 'bytes';

export interface CorpusEntry {
  /** Where it came from: `corpus/p12-modern.p12`, `fixtures/pkcs12/…`. */
  name: string;
  bytes: Uint8Array;
  format: Format;
  /** The password that opens it, when it is encrypted (null: the PKCS#12 NULL password). */
  password?: string | null;
}

export const corpusDir = resolve(dirname(fileURLToPath(import.meta.url)), 'corpus');

/** The passphrase of tests/fuzz/corpus/backup.certdesk (make-backup.ts). */
export const BACKUP_PASSPHRASE = 'fuzz backup passphrase';

/** The password of every encrypted file in tests/fuzz/corpus (make.sh). */
export const CORPUS_PASSWORD = 'fuzz';

function formatOf(file: string, bytes: Uint8Array): Format {
  if (/\.(json|certdesk)$/.test(file)) return 'json';
  if (/\.b64$/.test(file)) return 'bytes';
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return head.includes('-----BEGIN ') ? 'pem' : 'der';
}

function entry(name: string, path: string, password?: string | null): CorpusEntry {
  const bytes = new Uint8Array(readFileSync(path));
  const out: CorpusEntry = { name, bytes, format: formatOf(path, bytes) };
  if (password !== undefined) out.password = password;
  return out;
}

/** The project's corpus files whose name matches `pattern`. */
export function ownCorpus(pattern: RegExp): CorpusEntry[] {
  return readdirSync(corpusDir)
    .filter((f) => pattern.test(f) && !/\.(sh|ts|md)$/.test(f))
    .sort()
    .map((f) => entry(`corpus/${f}`, join(corpusDir, f), /^p12-|\.enc-|encrypted|cert-and-encrypted/.test(f) ? CORPUS_PASSWORD : undefined));
}

function listFixtures(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(fixturesDir, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Third-party certificates: the OpenSSL set (DER and PEM), pyca's odd ones, 24 Mozilla roots. */
export function fixtureCertificates(): CorpusEntry[] {
  const set = ['rsa', 'ec'].flatMap((family) => ['server', 'client', 'ica', 'root', 'selfsigned'].flatMap((n) => [`openssl-set/${family}/${n}.der`, `openssl-set/${family}/${n}.pem`]));
  const misc = listFixtures('x509-misc', /\.(pem|der)$/);
  const roots = readFileSync(join(fixturesDir, 'mozilla-roots.pem'), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g) ?? [];
  return [
    ...[...set, ...misc].map((f) => entry(`fixtures/${f}`, join(fixturesDir, f))),
    ...roots.filter((_, i) => i % 6 === 0).map((pem, i) => ({ name: `fixtures/mozilla-roots.pem#${i * 6}`, bytes: new TextEncoder().encode(pem), format: 'pem' as const })),
  ];
}

/** Third-party requests (pyca and OpenSSL test vectors, the OpenSSL set). */
export function fixtureRequests(): CorpusEntry[] {
  return [...listFixtures('csr', /\.(pem|der|csr)$/), ...['rsa', 'ec'].flatMap((f) => [`openssl-set/${f}/server.csr`, `openssl-set/${f}/server.csr.der`])].map((f) =>
    entry(`fixtures/${f}`, join(fixturesDir, f)),
  );
}

/** Passwords of the third-party PKCS#12 files, from their manifests ("(none)": NULL). */
function pkcs12Passwords(): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const read = (dir: string) => {
    for (const line of readFileSync(join(fixturesDir, dir, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1)) {
      const [file, , , password] = line.split('\t');
      if (!file || password === undefined || password === '-') continue;
      out.set(`${dir}/${file}`, password.startsWith('(none') ? null : password.startsWith('(empty') ? '' : password);
    }
  };
  read('pkcs12');
  read('openssl-set');
  return out;
}

/**
 * Third-party PKCS#12 files with their passwords; the 600,000-iteration ones are left out (each
 * execution would take a second: the work budget is fuzzed by mutating iteration counts instead).
 */
export function fixturePkcs12(): CorpusEntry[] {
  const passwords = pkcs12Passwords();
  return [...passwords.entries()]
    .filter(([file]) => /\.(p12|pfx)$/.test(file) && !file.includes('iter600k'))
    .map(([file, password]) => entry(`fixtures/${file}`, join(fixturesDir, file), password));
}

/** Third-party PKCS#7 bundles (BER, base64 without a header, OpenSSL's with trailing data). */
export function fixturePkcs7(): CorpusEntry[] {
  return [...listFixtures('pkcs7', /\.(p7b|p7c|pem|der|b64)$/i), ...['rsa', 'ec'].flatMap((f) => [`openssl-set/${f}/server-fullchain.p7b`, `openssl-set/${f}/ca-bundle.p7c`])].map((f) =>
    entry(`fixtures/${f}`, join(fixturesDir, f)),
  );
}

/** Third-party keys: PKCS#8, traditional and encrypted PKCS#8 (password changeit). */
export function fixtureKeys(): CorpusEntry[] {
  return ['rsa', 'ec'].flatMap((family) =>
    ['server', 'root'].flatMap((n) => [
      entry(`fixtures/openssl-set/${family}/${n}.pkcs8.der`, join(fixturesDir, 'openssl-set', family, `${n}.pkcs8.der`)),
      entry(`fixtures/openssl-set/${family}/${n}.trad.pem`, join(fixturesDir, 'openssl-set', family, `${n}.trad.pem`)),
      entry(`fixtures/openssl-set/${family}/${n}.pkcs8-enc.pem`, join(fixturesDir, 'openssl-set', family, `${n}.pkcs8-enc.pem`), 'changeit'),
    ]),
  );
}
