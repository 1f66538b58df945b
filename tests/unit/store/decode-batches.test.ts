import { describe, expect, test } from 'vitest';
import { BATCH_FILES, DecodeBatches, MAX_BATCH_FILES } from '../../../src/store/certificates';

const files = (count: number, size = 1) => Array.from({ length: count }, (_, i) => ({ name: `f${i}`, bytes: new Uint8Array(size) }));

async function sizes(batches: DecodeBatches<{ bytes: Uint8Array }>, took: number | ((batch: number) => number)): Promise<number[]> {
  const out: number[] = [];
  for (let batch = await batches.next(); batch.length > 0; batch = await batches.next()) {
    out.push(batch.length);
    batches.took(typeof took === 'number' ? took : took(out.length - 1));
  }
  return out;
}

describe('DecodeBatches: the files of an import in decoding jobs', () => {
  test('quick batches double up to the maximum: 5,000 small files in 9 jobs, not 100', async () => {
    const out = await sizes(new DecodeBatches(files(5000)), 10);
    expect(out).toEqual([BATCH_FILES, 100, 200, 400, 800, MAX_BATCH_FILES, MAX_BATCH_FILES, MAX_BATCH_FILES, 450]);
    expect(out.reduce((a, b) => a + b)).toBe(5000);
  });

  test('slow batches halve down to one file a job, so slow files still report progress', async () => {
    expect(await sizes(new DecodeBatches(files(120)), 500)).toEqual([50, 25, 12, 6, 3, ...Array<number>(24).fill(1)]);
  });

  test('a batch holds at most 4 MB; a larger file goes alone, and the file that did not fit opens the next batch', async () => {
    const mixed = [...files(3, 1024 * 1024), { name: 'big', bytes: new Uint8Array(5 * 1024 * 1024) }, ...files(2, 1024 * 1024)];
    const batches = new DecodeBatches(mixed);
    const out: string[][] = [];
    for (let batch = await batches.next(); batch.length > 0; batch = await batches.next()) out.push(batch.map((file) => file.name));
    expect(out).toEqual([['f0', 'f1', 'f2'], ['big'], ['f0', 'f1']]);
  });

  test('files that come as they are read are batched the same, in order', async () => {
    async function* read() {
      for (const file of files(130)) yield file;
    }
    const batches = new DecodeBatches(read());
    const names: string[] = [];
    for (let batch = await batches.next(); batch.length > 0; batch = await batches.next()) {
      names.push(...batch.map((file) => (file as { name: string }).name));
      batches.took(10);
    }
    expect(names).toEqual(files(130).map((file) => file.name));
  });
});
