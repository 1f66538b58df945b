import { spawnSync } from 'node:child_process';

/** One benchmark row: our median beside the OpenSSL CLI's median for the same work, if any. */
export interface BenchRow {
  name: string;
  oursMs: number;
  opensslMs?: number;
  goalMs?: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time of `runs` calls of an async function, after one warm-up call. */
/** Median milliseconds of `runs` calls of a synchronous `fn`, after one warm-up call. */
export function timeSync(runs: number, fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function timeAsync(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Median wall time of `runs` runs of the OpenSSL CLI with these arguments. */
export function timeOpenssl(runs: number, args: string[], input?: Uint8Array | string): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync('openssl', args, { input });
    times.push(performance.now() - start);
    if (result.status !== 0) {
      throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr.toString()}`);
    }
  }
  return median(times);
}

export function printTable(title: string, rows: BenchRow[]): void {
  const fmt = (ms: number | undefined) => (ms === undefined ? '—' : ms.toFixed(2));
  const lines = [
    `\n## ${title}`,
    '| operation | certdesk ms | openssl ms | ratio | goal ms |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.oursMs)} | ${fmt(r.opensslMs)} | ${
          r.opensslMs ? (r.oursMs / r.opensslMs).toFixed(2) + '×' : '—'
        } | ${fmt(r.goalMs)} |`,
    ),
  ];
  console.log(lines.join('\n'));
}
