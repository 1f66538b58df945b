/**
 * The hostile-class table (issue 12's closing note): every class of RELIABILITY.md's "Hostile
 * inputs every import path must survive", issue 12's findings and the fuzz campaign's, each run
 * through the path it attacks (tests/support/hostile-inputs.ts), with its outcome, whether that is
 * the outcome the specification asks for, and the median time on this machine (inputs are built
 * before timing). Then the CLI on a file at the 10,000-certificate limit as a whole process,
 * beside `openssl storeutl` reading the same file. `npm run bench -- hostile`.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bulkCertificates, pemBundle } from '../support/bulk-certificates';
import { projectRoot } from '../support/fixtures';
import { hostileClasses } from '../support/hostile-inputs';
import { median, printTable, type BenchRow } from './table';

async function timeClass(run: () => Promise<string>): Promise<{ outcome: string; ms: number }> {
  const times: number[] = [];
  let outcome = '';
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    outcome = await run();
    times.push(performance.now() - start);
    if (times[0]! > 1000 && i >= 2) break;
  }
  return { outcome, ms: median(times) };
}

/** Median wall time of a whole process, runs of `a` and `b` alternated (the machine is shared). */
function timeProcesses(runs: number, a: string[], b: string[]): { a: number; b: number; outA: string; outB: string } {
  const ta: number[] = [];
  const tb: number[] = [];
  let outA = '';
  let outB = '';
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    const ra = spawnSync(a[0]!, a.slice(1), { cwd: projectRoot, maxBuffer: 256 * 1024 * 1024 });
    ta.push(performance.now() - start);
    outA = ra.stdout.toString().slice(0, 80);
    start = performance.now();
    const rb = spawnSync(b[0]!, b.slice(1), { cwd: projectRoot, maxBuffer: 256 * 1024 * 1024 });
    tb.push(performance.now() - start);
    outB = rb.stdout.toString().trim().split('\n').pop() ?? '';
  }
  return { a: median(ta), b: median(tb), outA, outB };
}

export async function run(): Promise<void> {
  const lines = ['\n## Hostile classes (RELIABILITY.md, issue 12, fuzz campaign): outcome and median time', '| class | source | outcome | as specified | ms |', '|---|---|---|---|---:|'];
  let mismatches = 0;
  for (const c of hostileClasses) {
    c.file?.();
    c.prepare?.();
    const { outcome, ms } = await timeClass(c.run);
    const ok = outcome === c.want;
    if (!ok) mismatches++;
    lines.push(`| ${c.name} | ${c.source} | ${outcome} | ${ok ? 'yes' : `no (want ${c.want})`} | ${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} |`);
  }
  console.log(lines.join('\n'));
  console.log(`\n${hostileClasses.length} classes, ${mismatches} with an outcome other than specified.`);

  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
  try {
    const { root, leaves } = bulkCertificates(9_999);
    const file = join(dir, 'bundle-10000.pem');
    writeFileSync(file, pemBundle([root, ...leaves]));
    const t = timeProcesses(5, [process.execPath, '--import', 'tsx', 'src/cli/certdesk.ts', 'inspect', file], ['openssl', 'storeutl', '-noout', '-certs', file]);
    const rows: BenchRow[] = [
      {
        name: `certdesk inspect of a PEM at the 10,000-certificate limit, whole process (decode, describe, JSON) vs openssl storeutl -noout -certs (${t.outB}); issue 12: 17–23 s`,
        oursMs: t.a,
        opensslMs: t.b,
        goalMs: 5_000,
      },
    ];
    printTable('CLI at the certificate limit', rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('hostile.bench.ts')) await run();
