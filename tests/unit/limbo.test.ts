import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLimbo, run, runAll, summarize, type LimboResult } from '../../src/cli/limbo';
import { fixturePath, tempDir, writeTemp } from '../support/fixtures';

/**
 * x509-limbo's public set through the same buildAndValidate the app uses. The numbers are
 * pinned: a change that loses a pass, or accepts a chain it should reject, fails here.
 * (Counts, not timings; the CLI prints the timings.)
 */
describe('x509-limbo public set (../shared/fixtures/limbo/public.json.gz)', () => {
  const cases = readLimbo(fixturePath('limbo', 'public.json.gz'));

  it('scores exactly the pinned numbers per group', { timeout: 180_000 }, async () => {
    const { results } = await runAll(cases);
    const summary = summarize(cases, results);
    expect(summary.core).toEqual({ cases: 104, passed: 101, acceptedShouldReject: 0, rejectedShouldAccept: 1, skipped: 2 });
    expect(summary.bettertls).toEqual({ cases: 4769, passed: 4769, acceptedShouldReject: 0, rejectedShouldAccept: 0, skipped: 0 });
    const byId = new Map(results.map((r) => [r.id, r]));
    // The one core case failed is the RFC 5280 side of a conflicting pair: Certdesk follows
    // the Web PKI (webpki::ca-as-leaf, passed) and refuses a CA certificate as the leaf.
    expect(byId.get('rfc5280::ca-as-leaf')).toMatchObject({ actual_result: 'FAILURE' });
    expect(byId.get('webpki::ca-as-leaf')).toMatchObject({ actual_result: 'FAILURE' });
    // Wildcards over public suffixes, ICANN (*.co.uk) and private (*.s3.amazonaws.com), are
    // refused with the Public Suffix List the app uses (tldts), not a system file.
    for (const id of ['webpki::san::public-suffix-multi-label-wildcard-san', 'webpki::san::public-suffix-private-namespace-wildcard-san'])
      expect(byId.get(id)).toMatchObject({ actual_result: 'FAILURE', context: expect.stringMatching(/^wildcard-over-public-suffix: /) });
    // Skips only for features Certdesk lacks, each named.
    const skipped = results.filter((r) => r.actual_result === 'SKIPPED');
    expect(skipped.map((r) => r.id).sort()).toEqual(['crl::certificate-not-on-crl', 'crl::certificate-serial-on-crl-different-issuer']);
    for (const r of skipped) expect(r.context).toMatch(/^has-crl: Certdesk does not check CRLs/);
    // Pathological cases end on a budget, not the clock.
    for (const id of ['pathological::nc-dos-1', 'pathological::pathological-chain-same-subject-distinct-key'])
      expect(byId.get(id)?.context).toMatch(/work-limit-reached/);
  });

  it('the CLI writes limbo’s result format and prints the table', async () => {
    const dir = tempDir();
    const subset = cases.filter((c) => ['rfc5280::validity::expired-leaf', 'pathlen::ee-with-intermediate-pathlen-0', 'crl::certificate-not-on-crl', 'bettertls::nameconstraints::tc6'].includes(c.id));
    const input = writeTemp(dir, 'subset.json', JSON.stringify({ version: 1, testcases: subset }));
    const out = join(dir, 'results.json');
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (printed.push(chunk), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await run([input, '--out', out]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { version: number; harness: string; results: LimboResult[] };
    expect(written.version).toBe(1);
    expect(written.harness).toBe('certdesk');
    expect(written.results.map((r) => [r.id, r.actual_result])).toEqual([
      ['crl::certificate-not-on-crl', 'SKIPPED'],
      ['pathlen::ee-with-intermediate-pathlen-0', 'SUCCESS'],
      ['rfc5280::validity::expired-leaf', 'FAILURE'],
      ['bettertls::nameconstraints::tc6', 'FAILURE'],
    ]);
    const table = printed.join('');
    expect(table).toMatch(/core\s+3\s+2\s+0\s+0\s+1/);
    expect(table).toMatch(/bettertls\s+1\s+1\s+0\s+0\s+0/);
  });

  it('the CLI refuses a missing file argument', async () => {
    const err = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await run([])).toBe(2);
      expect(await run(['x.json', '--out'])).toBe(2);
    } finally {
      process.stderr.write = err;
    }
  });
});
