/**
 * One fuzz worker: runs executions `from`…`to` of one target in a worker thread that the
 * campaign (run.ts) terminates when an execution overruns the target's time bound. What it is
 * doing is published in shared memory before each execution (index, start time) and its exact
 * totals after each one, so a terminated worker loses nothing; counts by code and by
 * differential class come as messages twice a second.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { cleanOracleFiles } from './oracles';
import { Rng } from './rng';
import { isAnswer, outcomeOf, type Outcome } from './target';
import { targets } from './targets';
import { writeFinding, rawSignature, type WorkerData, type WorkerProgress, SHARED } from './campaign';

const data = workerData as WorkerData;
const target = targets[data.target]!;
const ints = new Int32Array(data.shared, 0, SHARED.ints);
const floats = new Float64Array(data.shared, SHARED.floatOffset, SHARED.floats);
const now = () => performance.timeOrigin + performance.now();

const progress: WorkerProgress = { codes: {}, classes: {}, variants: {}, findings: [] };
const count = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);

const corpus = await target.corpus();
await target.setup?.(corpus);
parentPort!.postMessage({ type: 'ready', corpus: corpus.length });

let lastPost = now();
const deadline = data.deadline ?? Infinity;
for (let index = data.from; index < data.to && now() < deadline; index++) {
  // Published before the input is made: a mutator that throws crashes the worker, and the
  // campaign must write down and skip this execution, not the one before it (again and again).
  ints[SHARED.index] = index;
  const input = target.input(Rng.forExecution(data.seed, index), corpus, index);
  floats[SHARED.started] = now();
  Atomics.store(ints, SHARED.running, 1);
  let outcome: Outcome | undefined;
  let raw: unknown;
  try {
    outcome = { verdict: 'accepted', result: await target.run(input, index) };
  } catch (error) {
    if (isAnswer(error)) outcome = outcomeOf(error);
    else raw = error ?? new Error(String(error));
  }
  Atomics.store(ints, SHARED.running, 0);
  const ms = now() - floats[SHARED.started]!;
  if (ms > floats[SHARED.slowest]!) {
    floats[SHARED.slowest] = ms;
    ints[SHARED.slowestIndex] = index;
  }
  if (ms > 1000) ints[SHARED.slow]!++;
  ints[SHARED.executions]!++;
  if (outcome) {
    if (outcome.verdict === 'accepted') ints[SHARED.accepted]!++;
    else {
      ints[SHARED.refused]!++;
      count(progress.codes, outcome.code);
    }
    if (input.variant) count(progress.variants, `${input.variant}: ${outcome.verdict}`);
    const comparison = await target.compare?.(input, outcome, index);
    if (comparison) {
      count(progress.classes, `${comparison.finding ? 'FINDING ' : ''}${comparison.class}`);
      if (comparison.finding) {
        ints[SHARED.disagreements]!++;
        const file = writeFinding(data, { kind: 'disagreement', index, input, signature: comparison.class, detail: outcome.verdict === 'refused' ? `${outcome.code}: ${outcome.message}` : 'accepted' });
        if (file) progress.findings.push(file);
      }
    }
  } else {
    ints[SHARED.raw]!++;
    const signature = rawSignature(raw);
    count(progress.codes, `RAW ${signature}`);
    const file = writeFinding(data, { kind: 'raw', index, input, signature, detail: raw instanceof Error ? (raw.stack ?? String(raw)) : String(raw) });
    if (file) progress.findings.push(file);
  }
  if (now() - lastPost > 500) {
    parentPort!.postMessage({ type: 'progress', progress });
    progress.findings = [];
    lastPost = now();
  }
}
cleanOracleFiles();
parentPort!.postMessage({ type: 'progress', progress });
parentPort!.postMessage({ type: 'done' });
