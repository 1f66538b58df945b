/**
 * `npm run bench`: performance budgets, as medians of several runs, printed as tables.
 * Each suite module exports `run(): Promise<void>` and prints its own table.
 */
import 'reflect-metadata';

const suites = ['./pki.bench', './store.bench'];

for (const suite of suites) {
  try {
    const mod = (await import(suite)) as { run: () => Promise<void> };
    await mod.run();
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(suite.slice(2))) continue;
    throw error;
  }
}
