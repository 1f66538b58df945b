/**
 * `npm run fuzz -- TARGET|all [--runs N | --seconds S] [--seed N] [--from I] [--timeout MS] [--findings DIR] [--json]`
 * `npm run fuzz -- TARGET --reproduce FINDING.bin`   runs one saved input in this process
 * `npm run fuzz -- --list`
 *
 * Runs the fuzz campaign of a target (targets/) in one worker thread under a watchdog
 * (campaign.ts) and prints executions per second, accepted / refused (by code) / raw exceptions
 * / hangs / crashes, and for differential targets the disagreement classes. Exits 1 when any raw
 * exception, hang, crash or unexplained disagreement was found (written to tests/fuzz/findings/).
 */
import { readFileSync } from 'node:fs';
import { runCampaign, type CampaignSummary } from './campaign';
import { isAnswer, outcomeOf, type Input, type Outcome } from './target';
import { targets } from './targets';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function printSummary(s: CampaignSummary): void {
  const n = (x: number) => x.toLocaleString('en');
  const top = (map: Record<string, number>, limit = 12) =>
    Object.entries(map)
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, v]) => `    ${n(v).padStart(9)}  ${k}`)
      .join('\n');
  console.log(
    [
      `\n## ${s.target} (seed ${s.seed})`,
      `  ${n(s.executions)} executions in ${s.seconds.toFixed(0)} s: ${n(Math.round(s.perSecond))} exec/s`,
      `  accepted ${n(s.accepted)}, refused ${n(s.refused)}, raw exceptions ${n(s.raw)}, hangs ${s.hangs}, crashes ${s.crashes}, unexplained disagreements ${n(s.disagreements)}`,
      `  slowest execution ${s.slowestMs.toFixed(0)} ms (index ${s.slowestIndex}); ${n(s.overOneSecond)} over 1 s`,
      `  refusals by code:\n${top(s.codes)}`,
      Object.keys(s.variants).length ? `  by variant:\n${top(s.variants)}` : '',
      Object.keys(s.classes).length ? `  differential classes:\n${top(s.classes, 40)}` : '',
      s.findings.length ? `  findings written:\n${s.findings.map((f) => `    ${f}`).join('\n')}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

async function reproduce(name: string, file: string): Promise<number> {
  const target = targets[name]!;
  const meta = JSON.parse(readFileSync(file.replace(/\.bin$/, '.json'), 'utf8')) as { password?: string | null; variant?: string; index?: number; corpusEntry?: string };
  const corpus = await target.corpus();
  await target.setup?.(corpus);
  const entry = corpus.find((e) => e.name === meta.corpusEntry) ?? corpus[0]!;
  const input: Input = { entry, bytes: new Uint8Array(readFileSync(file)) };
  if (meta.password !== undefined) input.password = meta.password;
  if (meta.variant !== undefined) input.variant = meta.variant;
  const index = meta.index ?? 0;
  const start = performance.now();
  let outcome: Outcome;
  try {
    outcome = { verdict: 'accepted', result: await target.run(input, index) };
  } catch (error) {
    if (!isAnswer(error)) {
      console.log(`raw exception after ${(performance.now() - start).toFixed(0)} ms:`, error);
      return 1;
    }
    outcome = outcomeOf(error);
  }
  console.log(`${outcome.verdict === 'accepted' ? 'accepted' : `refused: ${outcome.code}: ${outcome.message}`} (${(performance.now() - start).toFixed(0)} ms)`);
  const comparison = await target.compare?.(input, outcome, 0);
  if (comparison) console.log(`differential: ${comparison.finding ? 'FINDING ' : ''}${comparison.class}`);
  return comparison?.finding ? 1 : 0;
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--list') || args.length === 0) {
    for (const t of Object.values(targets)) console.log(`${t.name.padEnd(12)} ${t.description}`);
    return args.length === 0 ? 2 : 0;
  }
  const name = args[0]!;
  const names = name === 'all' ? Object.keys(targets) : [name];
  if (!names.every((t) => targets[t])) {
    console.error(`unknown target "${name}"; targets: ${Object.keys(targets).join(', ')}, all`);
    return 2;
  }
  const file = option(args, '--reproduce');
  if (file) return reproduce(name, file);
  const json = args.includes('--json');
  const runs = option(args, '--runs');
  const seconds = option(args, '--seconds');
  const findingsDir = option(args, '--findings');
  const from = option(args, '--from');
  const timeout = option(args, '--timeout');
  const seed = Number(option(args, '--seed') ?? Date.now() % 1_000_000_007);
  let failed = false;
  for (const t of names) {
    const summary = await runCampaign(t, {
      seed,
      ...(runs !== undefined ? { runs: Number(runs) } : {}),
      ...(seconds !== undefined ? { seconds: Number(seconds) } : {}),
      ...(runs === undefined && seconds === undefined ? { runs: 10_000 } : {}),
      ...(from !== undefined ? { from: Number(from) } : {}),
      ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
      ...(findingsDir !== undefined ? { findingsDir } : {}),
      ...(json ? {} : { onProgress: (line: string) => console.log(line) }),
    });
    if (json) console.log(JSON.stringify(summary));
    else printSummary(summary);
    if (summary.raw || summary.hangs || summary.crashes || summary.disagreements) failed = true;
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
