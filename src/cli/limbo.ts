/**
 * `certdesk limbo FILE [--out RESULTS.json]`: runs an x509-limbo test file (C2SP; JSON or
 * .json.gz) through the same buildAndValidate the app uses and prints, per group (core /
 * bettertls): passed, accepted-but-should-reject, rejected-but-should-accept, skipped.
 * Cases are skipped only for features Certdesk does not implement (CRLs, certificate policies).
 * Public suffixes come from the same default as the app's (tldts's Public Suffix List,
 * src/core/pki/names/public-suffix-list.ts), so no system file is read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { buildAndValidate, type ValidationOptions } from '../core/pki/validation/path-validation';

/** The fields of a limbo testcase the harness reads (schema: limbo-schema.json). */
export interface LimboCase {
  id: string;
  features?: string[];
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time?: string | null;
  extended_key_usage?: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name?: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  max_chain_depth?: number | null;
}

export interface LimboResult {
  id: string;
  actual_result: 'SUCCESS' | 'FAILURE' | 'SKIPPED';
  context: string;
}

export interface GroupSummary {
  cases: number;
  passed: number;
  acceptedShouldReject: number;
  rejectedShouldAccept: number;
  skipped: number;
}

/** Features outside Certdesk's validator; a case needing one is SKIPPED with this reason. */
const unsupportedFeatures: Record<string, string> = {
  'has-crl': 'Certdesk does not check CRLs (an offline tool has no revocation data)',
  'has-cert-policies': 'Certdesk does not process certificate policies',
  'has-policy-constraints': 'Certdesk does not process certificate policies',
  'no-cert-policies': 'Certdesk does not process certificate policies',
};

function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/** Runs one case. */
export async function runCase(c: LimboCase): Promise<LimboResult> {
  const missing = (c.features ?? []).find((f) => unsupportedFeatures[f]);
  if (missing) return { id: c.id, actual_result: 'SKIPPED', context: `${missing}: ${unsupportedFeatures[missing]}` };
  const eku = c.extended_key_usage ?? [];
  const purpose = eku.includes('clientAuth') || (c.validation_kind === 'CLIENT' && !eku.includes('serverAuth')) ? 'clientAuth' : 'serverAuth';
  const options: ValidationOptions = { purpose };
  if (c.validation_time) options.time = new Date(c.validation_time);
  if (c.expected_peer_name && c.expected_peer_name.kind !== 'RFC822') options.hostname = c.expected_peer_name.value;
  if (c.max_chain_depth !== null && c.max_chain_depth !== undefined) options.maxIntermediates = c.max_chain_depth;
  const result = await buildAndValidate(
    pemToDer(c.peer_certificate),
    { roots: c.trusted_certs.map(pemToDer), intermediates: c.untrusted_intermediates.map(pemToDer) },
    options,
  );
  if (result.ok) return { id: c.id, actual_result: 'SUCCESS', context: `path of ${result.path.length} certificates` };
  return { id: c.id, actual_result: 'FAILURE', context: result.problems.map((p) => `${p.code}: ${p.message}`).join(' | ') };
}

export function groupOf(id: string): 'core' | 'bettertls' {
  return id.startsWith('bettertls::') ? 'bettertls' : 'core';
}

/** Tallies results per group against the expected outcomes. */
export function summarize(cases: readonly LimboCase[], results: readonly LimboResult[]): Record<'core' | 'bettertls', GroupSummary> {
  const empty = (): GroupSummary => ({ cases: 0, passed: 0, acceptedShouldReject: 0, rejectedShouldAccept: 0, skipped: 0 });
  const out = { core: empty(), bettertls: empty() };
  cases.forEach((c, i) => {
    const r = results[i]!;
    const g = out[groupOf(c.id)];
    g.cases++;
    if (r.actual_result === 'SKIPPED') g.skipped++;
    else if (r.actual_result === c.expected_result) g.passed++;
    else if (r.actual_result === 'SUCCESS') g.acceptedShouldReject++;
    else g.rejectedShouldAccept++;
  });
  return out;
}

/** Reads a limbo file (JSON, or gzip-compressed JSON). */
export function readLimbo(path: string): LimboCase[] {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const doc = JSON.parse(new TextDecoder().decode(bytes)) as { version: number; testcases: LimboCase[] };
  if (doc.version !== 1 || !Array.isArray(doc.testcases)) throw new Error(`${path} is not an x509-limbo file (version 1)`);
  return doc.testcases;
}

/** Runs every case; returns results in order and the slowest case. */
export async function runAll(cases: readonly LimboCase[]): Promise<{ results: LimboResult[]; slowest: { id: string; ms: number } }> {
  const results: LimboResult[] = [];
  const slowest = { id: '', ms: 0 };
  for (const c of cases) {
    const start = performance.now();
    results.push(await runCase(c));
    const ms = performance.now() - start;
    if (ms > slowest.ms) Object.assign(slowest, { id: c.id, ms });
  }
  return { results, slowest };
}

export async function run(args: string[]): Promise<number> {
  const file = args[0];
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (!file || file.startsWith('--') || (outIndex >= 0 && !out)) {
    process.stderr.write('usage: certdesk limbo FILE [--out RESULTS.json]\n');
    return 2;
  }
  const cases = readLimbo(file);
  const start = performance.now();
  const { results, slowest } = await runAll(cases);
  const seconds = (performance.now() - start) / 1000;
  if (out) writeFileSync(out, JSON.stringify({ version: 1, harness: 'certdesk', results }, null, 1) + '\n');
  const summary = summarize(cases, results);
  const rows = [['group', 'cases', 'passed', 'accepted, should reject', 'rejected, should accept', 'skipped']];
  for (const [group, s] of Object.entries(summary))
    rows.push([group, s.cases, s.passed, s.acceptedShouldReject, s.rejectedShouldAccept, s.skipped].map(String));
  for (const row of rows) process.stdout.write(row.map((cell, i) => (i === 0 ? cell.padEnd(10) : cell.padStart(i === 3 || i === 4 ? 24 : 8))).join(' ') + '\n');
  process.stdout.write(`${cases.length} cases in ${seconds.toFixed(1)} s; slowest ${slowest.id} ${slowest.ms.toFixed(0)} ms\n`);
  return summary.core.acceptedShouldReject + summary.bettertls.acceptedShouldReject > 0 ? 1 : 0;
}
