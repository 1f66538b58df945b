/**
 * What a fuzz target is: its seed corpus, how one execution's input is made from (seed, index),
 * what one execution runs, and — where an independent implementation exists — the differential
 * oracle that compares Certdesk's answer with it.
 */
import { CertdeskError, isAbortError } from '../../src/core/errors';
import type { CorpusEntry } from './corpus';
import { mutateBytes } from './mutate/bytes';
import { mutateDer } from './mutate/der';
import { mutateJson } from './mutate/json';
import { mutatePem } from './mutate/pem';
import type { Rng } from './rng';

/** One execution's input. */
export interface Input {
  entry: CorpusEntry;
  bytes: Uint8Array;
  /** The password the execution uses (the right one, a wrong one, or null). */
  password?: string | null;
  /** Which variant of the target's work runs (e.g. "right password"), for reports. */
  variant?: string;
}

/** What an execution ended in, when it did not throw a raw exception. */
export type Outcome = { verdict: 'accepted'; result: unknown } | { verdict: 'refused'; code: string; message: string };

/**
 * How the independent implementation's answer compares: `agree`, a deliberate and cited
 * difference (`finding: false`), or one nobody has explained (`finding: true`: written down with
 * a reproducer, and the campaign reports it).
 */
export interface Comparison {
  class: string;
  finding: boolean;
}

export interface Target {
  name: string;
  /** One line: what runs and what it is compared with. */
  description: string;
  /** An execution longer than this is a hang (the work budget keeps every file under ~5 s). */
  timeoutMs: number;
  /** Loaded once per worker. */
  corpus(): Promise<CorpusEntry[]> | CorpusEntry[];
  /** One-time setup in the worker (a database, a key). */
  setup?(corpus: CorpusEntry[]): Promise<void>;
  /** The input of execution `index`: a pure function of (seed, index, corpus). */
  input(rng: Rng, corpus: CorpusEntry[], index: number): Input;
  /** Runs one execution; resolves with what was read (for the oracle), throws on refusal. */
  run(input: Input, index: number): Promise<unknown>;
  /** The differential oracle, when one exists; `index` lets it sample (CLI oracles are slow). */
  compare?(input: Input, outcome: Outcome, index: number): Comparison | undefined | Promise<Comparison | undefined>;
}

/** Whether an error is an answer (typed refusal or cancellation) rather than a raw exception. */
export function isAnswer(error: unknown): boolean {
  return error instanceof CertdeskError || isAbortError(error);
}

export function outcomeOf(error: unknown): Outcome {
  if (error instanceof CertdeskError) return { verdict: 'refused', code: error.code, message: error.message };
  return { verdict: 'refused', code: 'AbortError', message: String(error) };
}

/** A mutated input from a random corpus entry, mutated the way its format asks for (3%: unmutated). */
export function mutatedInput(rng: Rng, corpus: readonly CorpusEntry[], pick: (rng: Rng) => CorpusEntry = (r) => r.pick(corpus)): Input {
  const entry = pick(rng);
  if (rng.chance(0.03)) return { entry, bytes: entry.bytes };
  const sameFormat = corpus.filter((e) => e.format === entry.format);
  const donor = () => (sameFormat.length ? rng.pick(sameFormat).bytes : undefined);
  let bytes: Uint8Array;
  switch (entry.format) {
    case 'der':
      bytes = mutateDer(rng, entry.bytes, donor);
      break;
    case 'pem':
      bytes = mutatePem(rng, entry.bytes, donor);
      break;
    case 'json':
      bytes = mutateJson(rng, entry.bytes);
      break;
    default:
      bytes = mutateBytes(rng, entry.bytes);
  }
  const input: Input = { entry, bytes };
  if (entry.password !== undefined) input.password = entry.password;
  return input;
}

/** A corpus entry's DER: PEM entries are unwrapped (first block), DER ones kept. */
export function toDer(entry: CorpusEntry): CorpusEntry {
  if (entry.format !== 'pem') return entry;
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(new TextDecoder().decode(entry.bytes));
  return { ...entry, name: `${entry.name} (DER)`, format: 'der', bytes: new Uint8Array(Buffer.from(m?.[1]?.replace(/\s/g, '') ?? '', 'base64')) };
}
