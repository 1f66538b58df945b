import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Third-party test material lives beside the project and is never copied into it. */
export const fixturesDir = resolve(projectRoot, '../shared/fixtures');

export function fixturePath(...parts: string[]): string {
  return join(fixturesDir, ...parts);
}

export function fixture(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(...parts)));
}

export function fixtureText(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

export interface OpensslResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the OpenSSL CLI; `input` goes to its standard input. */
export function openssl(args: string[], input?: Uint8Array | string): OpensslResult {
  const result = spawnSync('openssl', args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return {
    status: result.status ?? -1,
    stdout: result.stdout.toString('utf8'),
    stderr: result.stderr.toString('utf8'),
  };
}

/** A fresh temporary directory for files handed to the OpenSSL CLI. */
export function tempDir(prefix = 'certdesk-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTemp(dir: string, name: string, data: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}
