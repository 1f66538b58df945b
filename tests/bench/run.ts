/**
 * `npm run bench`: performance budgets as medians of several runs, each suite printing its own
 * table beside the OpenSSL CLI where OpenSSL does the same work. Budgets live here, not in
 * timed unit tests. `npm run bench -- NAME…` runs only the named suites; `chromium` (the browser
 * paths against the production build in dist/, so `npm run build` first) takes minutes.
 */
import 'reflect-metadata';
import * as keys from './keys.bench';
import * as pkcs12 from './pkcs12.bench';
import * as chain from './chain.bench';
import * as store from './store.bench';
import * as hostile from './hostile.bench';
import * as keyGuard from './key-guard.bench';
import * as timeline from './timeline.bench';
import * as chromium from './chromium.bench';

const suites: Record<string, { run: () => Promise<void> }> = { keys, pkcs12, chain, store, hostile, 'key-guard': keyGuard, timeline, chromium };

const wanted = process.argv.slice(2);
for (const [name, suite] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await suite.run();
}
