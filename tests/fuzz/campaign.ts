/**
 * The campaign: runs a target's executions in one worker thread (worker.ts) under a watchdog.
 * An execution that overruns the target's time bound is a hang: the worker is terminated, the
 * input is made again from (seed, index) and written down, and a new worker goes on with the
 * next index. A worker that dies (an unhandled rejection, out of memory) is a crash, handled the
 * same way. Any exception that is not a CertdeskError or an AbortError is a raw exception.
 * Findings go to tests/fuzz/findings/ as NAME.bin (the input) and NAME.json (what happened and
 * how to run it again).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Rng } from './rng';
import type { Input } from './target';
import { targets } from './targets';

const here = dirname(fileURLToPath(import.meta.url));
export const defaultFindingsDir = join(here, 'findings');
const projectRoot = resolve(here, '../..');

/** Layout of the memory the worker and the watchdog share. */
export const SHARED = {
  ints: 10,
  running: 0,
  index: 1,
  executions: 2,
  accepted: 3,
  refused: 4,
  raw: 5,
  disagreements: 6,
  slow: 7,
  slowestIndex: 8,
  floatOffset: 48,
  floats: 2,
  started: 0,
  slowest: 1,
  bytes: 64,
} as const;

export interface WorkerData {
  target: string;
  seed: number;
  from: number;
  to: number;
  deadline?: number;
  shared: SharedArrayBuffer;
  findingsDir: string;
}

export interface WorkerProgress {
  codes: Record<string, number>;
  classes: Record<string, number>;
  variants: Record<string, number>;
  findings: string[];
}

export interface CampaignOptions {
  runs?: number;
  seconds?: number;
  seed: number;
  /** The first execution index (to run one execution again: --from I --runs 1). */
  from?: number;
  findingsDir?: string;
  /** The time bound of one execution, instead of the target's own. */
  timeoutMs?: number;
  /** Called with a line of progress every `progressSeconds`. */
  onProgress?: (line: string) => void;
  progressSeconds?: number;
}

export interface CampaignSummary {
  target: string;
  seed: number;
  executions: number;
  seconds: number;
  perSecond: number;
  accepted: number;
  refused: number;
  raw: number;
  hangs: number;
  crashes: number;
  disagreements: number;
  slowestMs: number;
  /** The index of the slowest execution (run it again with --from INDEX --runs 1). */
  slowestIndex: number;
  overOneSecond: number;
  codes: Record<string, number>;
  classes: Record<string, number>;
  variants: Record<string, number>;
  findings: string[];
}

interface Finding {
  kind: 'raw' | 'disagreement' | 'hang' | 'crash';
  index: number;
  input: Input;
  signature: string;
  detail: string;
}

/** A raw exception's identity: its type and message (numbers blanked) and where in src/ it was thrown. */
export function rawSignature(error: unknown): string {
  const head = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const frame = error instanceof Error ? (error.stack ?? '').split('\n').find((l) => l.includes('/src/')) : undefined;
  const where = frame ? /\/(src\/[^:)]+:\d+)/.exec(frame)?.[1] : undefined;
  return `${head.replace(/\d+/g, 'N').slice(0, 160)}${where ? ` @ ${where}` : ''}`;
}

/**
 * Writes a finding once per signature: NAME.bin and NAME.json. Returns the file written, or
 * undefined when this signature was already written down.
 */
export function writeFinding(data: Pick<WorkerData, 'target' | 'seed' | 'findingsDir'>, finding: Finding): string | undefined {
  const id = createHash('sha256').update(`${data.target}\n${finding.kind}\n${finding.signature}`).digest('hex').slice(0, 12);
  const base = join(data.findingsDir, `${data.target}-${finding.kind}-${id}`);
  if (existsSync(`${base}.json`)) return undefined;
  mkdirSync(data.findingsDir, { recursive: true });
  writeFileSync(`${base}.bin`, finding.input.bytes);
  const rel = relative(projectRoot, `${base}.bin`);
  writeFileSync(
    `${base}.json`,
    JSON.stringify(
      {
        target: data.target,
        kind: finding.kind,
        signature: finding.signature,
        seed: data.seed,
        index: finding.index,
        corpusEntry: finding.input.entry.name,
        password: finding.input.password,
        variant: finding.input.variant,
        bytes: finding.input.bytes.length,
        detail: finding.detail,
        reproduce: `npm run fuzz -- ${data.target} --reproduce ${rel}`,
        again: `npm run fuzz -- ${data.target} --seed ${data.seed} --from ${finding.index} --runs 1`,
      },
      null,
      2,
    ) + '\n',
  );
  return rel;
}

const tsxApi = import.meta.resolve('tsx/esm/api');
const workerModule = new URL('./worker.ts', import.meta.url).href;

function startWorker(data: WorkerData): Worker {
  // Worker threads do not inherit tsx's loader: register it, then load the TypeScript worker.
  const source = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(workerModule)});`;
  return new Worker(source, { eval: true, workerData: data, resourceLimits: { maxOldGenerationSizeMb: 3072 } });
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** Runs one target's campaign to the end and sums it up. */
export async function runCampaign(name: string, options: CampaignOptions): Promise<CampaignSummary> {
  const target = targets[name];
  if (!target) throw new Error(`unknown target ${name}; targets: ${Object.keys(targets).join(', ')}`);
  const findingsDir = options.findingsDir ?? defaultFindingsDir;
  const timeoutMs = options.timeoutMs ?? target.timeoutMs;
  const shared = new SharedArrayBuffer(SHARED.bytes);
  const ints = new Int32Array(shared, 0, SHARED.ints);
  const floats = new Float64Array(shared, SHARED.floatOffset, SHARED.floats);
  const started = performance.now();
  const deadline = options.seconds !== undefined ? performance.timeOrigin + started + options.seconds * 1000 : undefined;
  const first = options.from ?? 0;
  const to = first + (options.runs ?? Number.MAX_SAFE_INTEGER);
  const totals = { codes: {} as Record<string, number>, classes: {} as Record<string, number>, variants: {} as Record<string, number> };
  const findings: string[] = [];
  let hangs = 0;
  let crashes = 0;
  let from = first;
  let corpus: Awaited<ReturnType<typeof target.corpus>> | undefined;

  const record = async (kind: 'hang' | 'crash', index: number, detail: string) => {
    corpus ??= await target.corpus();
    let input: Input;
    try {
      input = target.input(Rng.forExecution(options.seed, index), corpus, index);
    } catch {
      // The mutator itself threw (what crashed the worker): there are no bytes to write down,
      // only the execution to make again (`again` in the finding).
      input = { entry: { ...corpus[0]!, name: 'input generation' }, bytes: new Uint8Array(0) };
    }
    const file = writeFinding({ target: name, seed: options.seed, findingsDir }, { kind, index, input, signature: `${kind} in ${input.entry.name}${input.variant ? ` (${input.variant})` : ''}: ${detail.split('\n')[0]}`, detail });
    if (file) findings.push(file);
  };

  while (from < to && (deadline === undefined || performance.timeOrigin + performance.now() < deadline)) {
    const workerData: WorkerData = { target: name, seed: options.seed, from, to, shared, findingsDir };
    if (deadline !== undefined) workerData.deadline = deadline;
    const worker = startWorker(workerData);
    let latest: WorkerProgress = { codes: {}, classes: {}, variants: {}, findings: [] };
    const ended = await new Promise<{ kind: 'done' } | { kind: 'hang' | 'crash'; index: number; detail: string }>((resolveEnd) => {
      let settled = false;
      const finish = (value: { kind: 'done' } | { kind: 'hang' | 'crash'; index: number; detail: string }) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        clearInterval(reporter);
        resolveEnd(value);
      };
      const watchdog = setInterval(() => {
        if (Atomics.load(ints, SHARED.running) !== 1) return;
        const ms = performance.timeOrigin + performance.now() - floats[SHARED.started]!;
        if (ms > timeoutMs) {
          const index = ints[SHARED.index]!;
          void worker.terminate();
          finish({ kind: 'hang', index, detail: `execution ${index} ran longer than ${timeoutMs} ms` });
        }
      }, 50);
      const reporter = setInterval(() => {
        const n = ints[SHARED.executions]!;
        const s = (performance.now() - started) / 1000;
        options.onProgress?.(`${name}: ${n.toLocaleString('en')} executions, ${Math.round(n / s).toLocaleString('en')}/s, raw ${ints[SHARED.raw]}, hangs ${hangs}, crashes ${crashes}, unexplained disagreements ${ints[SHARED.disagreements]}`);
      }, (options.progressSeconds ?? 30) * 1000);
      worker.on('message', (message: { type: string; progress?: WorkerProgress }) => {
        if (message.type === 'progress' && message.progress) {
          latest = message.progress;
          findings.push(...message.progress.findings);
        }
        if (message.type === 'done') finish({ kind: 'done' });
      });
      worker.on('error', (error) => {
        const index = ints[SHARED.index]!;
        finish({ kind: 'crash', index, detail: error.stack ?? String(error) });
      });
      worker.on('exit', (code) => finish(code === 0 ? { kind: 'done' } : { kind: 'crash', index: ints[SHARED.index]!, detail: `the worker exited with code ${code}` }));
    });
    await worker.terminate();
    add(totals.codes, latest.codes);
    add(totals.classes, latest.classes);
    add(totals.variants, latest.variants);
    if (ended.kind === 'done') break;
    if (ended.kind === 'hang') hangs++;
    else crashes++;
    Atomics.store(ints, SHARED.running, 0);
    await record(ended.kind, ended.index, ended.detail);
    // The execution that hung or crashed counts once; the next worker goes on after it.
    ints[SHARED.executions]!++;
    from = ended.index + 1;
  }
  const seconds = (performance.now() - started) / 1000;
  const executions = ints[SHARED.executions]!;
  return {
    target: name,
    seed: options.seed,
    executions,
    seconds,
    perSecond: executions / seconds,
    accepted: ints[SHARED.accepted]!,
    refused: ints[SHARED.refused]!,
    raw: ints[SHARED.raw]!,
    hangs,
    crashes,
    disagreements: ints[SHARED.disagreements]!,
    slowestMs: floats[SHARED.slowest]!,
    slowestIndex: ints[SHARED.slowestIndex]!,
    overOneSecond: ints[SHARED.slow]!,
    ...totals,
    findings,
  };
}
