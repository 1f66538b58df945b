/**
 * The fuzz campaign in CI: a short seeded pass of every target through `npm run fuzz` itself (one
 * worker thread under the watchdog, tests/fuzz/campaign.ts). Each pass must end with no raw
 * exception, no hang, no crash and no disagreement with OpenSSL that is not a cited deliberate
 * difference. The seed is fixed so a failure here is reproducible with the command it prints;
 * the long campaign (≥ 1,000,000 executions per target) is `npm run fuzz -- TARGET --runs N`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CampaignSummary } from '../../fuzz/campaign';
import { Rng } from '../../fuzz/rng';
import { targets } from '../../fuzz/targets';
import { leniency } from '../../fuzz/targets/pem';
import { projectRoot } from '../../support/fixtures';

const SEED = 20261130;
/** Executions per target: a few thousand, sized so the whole pass stays well under a minute. */
const RUNS: Record<string, number> = { decoder: 1_500, certificate: 2_500, pkcs12: 1_200, pem: 1_500, csr: 2_000, backup: 1_200 };

const findings = mkdtempSync(join(tmpdir(), 'certdesk-fuzz-findings-'));
afterAll(() => rmSync(findings, { recursive: true, force: true }));

const passes = new Map<string, Promise<CampaignSummary>>();

/** The seeded pass of `target` (run once, however many tests look at it). */
function campaign(target: string): Promise<CampaignSummary> {
  let pass = passes.get(target);
  if (!pass) passes.set(target, (pass = run(target)));
  return pass;
}

function run(target: string, extra: string[] = ['--runs', String(RUNS[target]), '--seed', String(SEED)]): Promise<CampaignSummary> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', 'tests/fuzz/run.ts', target, ...extra, '--json', '--findings', findings];
    const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const line = out.trim().split('\n').find((l) => l.startsWith('{'));
      if (!line) reject(new Error(`npm run fuzz -- ${target} printed no summary:\n${out}\n${err}`));
      else resolve(JSON.parse(line) as CampaignSummary);
    });
  });
}

/** What a failing pass prints: the counts and where its findings are, with the command to see them again. */
const report = (s: CampaignSummary) =>
  `${s.target}: raw ${s.raw}, hangs ${s.hangs}, crashes ${s.crashes}, unexplained disagreements ${s.disagreements}; findings: ${s.findings.join(', ') || 'none'}; again: npm run fuzz -- ${s.target} --runs ${RUNS[s.target]} --seed ${SEED}`;

describe('fuzz campaign, seeded pass of every target', () => {
  it.each(Object.keys(RUNS))('"212 raw exceptions": %s throws none, never hangs, and disagrees with OpenSSL only where cited', { timeout: 180_000 }, async (target) => {
    const summary = await campaign(target);
    expect(summary.executions).toBe(RUNS[target]);
    expect({ raw: summary.raw, hangs: summary.hangs, crashes: summary.crashes, disagreements: summary.disagreements }, report(summary)).toEqual({ raw: 0, hangs: 0, crashes: 0, disagreements: 0 });
    // The pass reaches deep: most targets read a good share of their inputs and refuse the rest.
    expect(summary.accepted).toBeGreaterThan(RUNS[target]! / 20);
    expect(summary.refused).toBeGreaterThan(RUNS[target]! / 5);
  });

  it('the watchdog: an execution over the time bound is terminated and written down as a hang with its input, and the campaign goes on', { timeout: 60_000 }, async () => {
    // Execution 1252 of seed 14 is a PEM of 4.8 MB (a block repeated), far over 50 ms to read.
    const summary = await run('pem', ['--seed', '14', '--from', '1250', '--runs', '5', '--timeout', '50']);
    expect(summary.executions).toBe(5);
    expect(summary.hangs).toBeGreaterThanOrEqual(1);
    const hangs = summary.findings
      .filter((f) => f.includes('-hang-'))
      .map((f) => ({ bin: f, meta: JSON.parse(readFileSync(join(projectRoot, f.replace(/\.bin$/, '.json')), 'utf8')) as { index: number; bytes: number } }));
    const big = hangs.find((h) => h.meta.index === 1252)!;
    expect(big.meta.bytes).toBe(4_866_172);
    expect(readFileSync(join(projectRoot, big.bin)).length).toBe(4_866_172);
  });

  it('"19,933 mutated certificates accepted that Node rejects": the certificate model reads none that Node refuses', { timeout: 180_000 }, async () => {
    const summary = await campaign('certificate');
    expect(summary.classes['FINDING Node refuses, Certdesk reads']).toBeUndefined();
    expect(summary.classes['both read']).toBeGreaterThan(100);
    expect(summary.classes['both refuse']).toBeGreaterThan(100);
  });

  it('the PEM mutator stays within the string limit: decoder execution 56484 of seed 1130 repeated a megabyte block 100 times, threw "Invalid string length" and started worker after worker at the same execution', { timeout: 60_000 }, async () => {
    const corpus = await targets.decoder!.corpus();
    const input = targets.decoder!.input(Rng.forExecution(1130, 56484), corpus, 56484);
    // The duplication adds at most ~10.4 MB of copies to a text of any earlier size.
    expect(input.bytes.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(input.bytes.length).toBeLessThan(200 * 1024 * 1024);
    const summary = await run('decoder', ['--seed', '1130', '--from', '56484', '--runs', '2']);
    expect({ executions: summary.executions, raw: summary.raw, crashes: summary.crashes, hangs: summary.hangs }).toEqual({ executions: 2, raw: 0, crashes: 0, hangs: 0 });
  });

  it('the PEM oracle\'s leniency label runs in constant stack: pem executions 246613 and 555786 of seed 1130 (texts of 15 and 14 MB with one long line) overflowed it and counted as crashes', () => {
    const line = 'A'.repeat(14_000_000);
    expect(leniency(`-----BEGIN CERTIFICATE-----\n${line}\n-----END CERTIFICATE-----\n`)).toBe('base64 lines longer than 64 characters');
    expect(leniency(`-----BEGIN CERTIFICATE-----\n${line}!\n \n-----END CERTIFICATE-----\n`)).toBe('whitespace or blank lines inside the base64');
    expect(leniency(`-----BEGIN CERTIFICATE----- ${line}\nMIIB\n-----END CERTIFICATE-----\n`)).toBe('text on the BEGIN line');
    expect(leniency('-----BEGIN CERTIFICATE-----\nMIIB\r-----END CERTIFICATE-----\n')).toBe('CR line endings');
  });
});
