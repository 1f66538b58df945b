/**
 * Chains: building and validating beside `openssl verify` doing the same work, chain status over
 * a whole appliance (the Mozilla roots imported), and the x509-limbo set. Run with
 * `npx tsx tests/bench/chain.bench.ts` (or add './chain.bench' to run.ts's suites).
 */
import { buildAndValidate } from '../../src/core/pki/validation/path-validation';
import { chainStatus } from '../../src/core/pki/validation/chain-status';
import { loadBuiltInRoots } from '../../src/core/pki/validation/root-store';
import { readLimbo, runAll, runCase, summarize } from '../../src/cli/limbo';
import { fixture, fixturePath } from '../support/fixtures';
import { printTable, timeAsync, timeOpenssl, type BenchRow } from './table';

export async function run(): Promise<void> {
  const rows: BenchRow[] = [];
  const time = new Date('2026-01-01T00:00:00Z');
  for (const family of ['rsa', 'ec']) {
    const [leaf, ica, root] = ['server', 'ica', 'root'].map((n) => fixture('openssl-set', family, `${n}.der`)) as [Uint8Array, Uint8Array, Uint8Array];
    rows.push({
      name: `build + validate openssl-set ${family} chain for a host name`,
      oursMs: await timeAsync(30, () => buildAndValidate(leaf, { intermediates: [ica], roots: [root] }, { time, hostname: 'appliance.example.test' })),
      opensslMs: timeOpenssl(10, ['verify', '-attime', String(time.getTime() / 1000), '-verify_hostname', 'appliance.example.test', '-CAfile', fixturePath('openssl-set', family, 'root.pem'), '-untrusted', fixturePath('openssl-set', family, 'ica.pem'), fixturePath('openssl-set', family, 'server.pem')]),
    });
  }
  const { roots } = await loadBuiltInRoots();
  const pool = [...roots.map((r) => r.slice()), ...['rsa', 'ec'].flatMap((f) => ['server', 'ica', 'root'].map((n) => fixture('openssl-set', f, `${n}.der`)))];
  rows.push({
    name: `chain status of all ${pool.length} certificates of an appliance holding the Mozilla roots`,
    oursMs: await timeAsync(3, async () => {
      const fresh = pool.map((d) => d.slice());
      for (const c of fresh) await chainStatus(c, fresh, { time, builtInRoots: roots });
    }),
    goalMs: 1000,
  });
  const cases = readLimbo(fixturePath('limbo', 'public.json.gz'));
  const worst = cases.find((c) => c.id === 'pathological::pathological-chain-same-subject-distinct-key')!;
  rows.push({ name: 'limbo worst pathological case (100 same-subject CAs)', oursMs: await timeAsync(5, () => runCase(worst)), goalMs: 1000 });
  const start = performance.now();
  const { results, slowest } = await runAll(cases);
  const ms = performance.now() - start;
  const { core, bettertls } = summarize(cases, results);
  const counts = (g: typeof core) => `${g.passed}/${g.cases} passed, ${g.acceptedShouldReject} accepted-should-reject, ${g.rejectedShouldAccept} rejected-should-accept, ${g.skipped} skipped`;
  rows.push({ name: `limbo public set, all ${cases.length} cases — core ${counts(core)}; BetterTLS ${counts(bettertls)} (slowest: ${slowest.id} ${slowest.ms.toFixed(0)} ms)`, oursMs: ms, goalMs: 60_000 });
  printTable('Chains', rows);
}

if (process.argv[1]?.endsWith('chain.bench.ts')) await run();
