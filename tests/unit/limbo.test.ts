import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OID } from '../../src/core/pki/asn1';
import { optionsFor, readLimbo, run, runAll, runCase, summarize, unsupportedFeatures, type LimboCase, type LimboResult } from '../../src/cli/limbo';
import { buildChain, ext, generalName, toPem, validationTime, withExtension } from '../support/chain-factory';
import { fixturePath, tempDir, writeTemp } from '../support/fixtures';

/**
 * x509-limbo's public set through the same buildAndValidate the app uses. What is asserted is
 * the goal, not the numbers the code produced: nothing accepted that should be rejected, every
 * BetterTLS case passed, at least 100 of the 104 core cases passed, and every skip names a
 * feature Certdesk lacks. The time is measured here and asserted generously; the exact numbers
 * are a row of tests/bench/chain.bench.ts.
 */
describe('x509-limbo public set (../shared/fixtures/limbo/public.json.gz)', () => {
  const cases = readLimbo(fixturePath('limbo', 'public.json.gz'));

  it('accepts nothing it should reject, passes every BetterTLS case and at least 100 core cases, within a minute', { timeout: 180_000 }, async () => {
    const start = performance.now();
    const { results, slowest } = await runAll(cases);
    const seconds = (performance.now() - start) / 1000;
    const summary = summarize(cases, results);
    expect(summary.core.cases).toBe(104);
    expect(summary.bettertls.cases).toBe(4769);
    expect({ core: summary.core.acceptedShouldReject, bettertls: summary.bettertls.acceptedShouldReject }).toEqual({ core: 0, bettertls: 0 });
    expect(summary.bettertls.passed).toBe(summary.bettertls.cases);
    expect(summary.core.passed).toBeGreaterThanOrEqual(100);
    // Skips only for features Certdesk lacks, each named with its reason.
    for (const r of results.filter((result) => result.actual_result === 'SKIPPED')) {
      const feature = r.context.split(':')[0]!;
      expect({ id: r.id, reason: r.context }).toEqual({ id: r.id, reason: `${feature}: ${unsupportedFeatures[feature]}` });
    }
    expect(seconds).toBeLessThan(60);
    expect(slowest.ms).toBeLessThan(1000);
  });

  it('fails the RFC 5280 side of a conflicting pair, never the strict side', async () => {
    const byId = new Map(cases.map((c) => [c.id, c]));
    for (const c of cases.filter((testcase) => testcase.conflicts_with?.length)) {
      const result = await runCase(c);
      // Where RFC 5280 and the Web PKI disagree, the one strict verdict can only refuse.
      if (result.actual_result !== c.expected_result) expect({ id: c.id, expected: c.expected_result, other: c.conflicts_with!.map((id) => byId.get(id)?.expected_result) }).toMatchObject({ expected: 'SUCCESS' });
    }
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

describe('every field of a testcase constrains the validation', () => {
  const chain = buildChain({ leafNames: [generalName.dns('appliance.example.com'), generalName.email('admin@example.com'), generalName.ip('192.0.2.7')], leaf: withExtension(ext.extKeyUsage([OID.serverAuth, OID.clientAuth])) });
  const base: LimboCase = {
    id: 'certdesk::fields',
    validation_kind: 'SERVER',
    trusted_certs: [toPem(chain.root.der)],
    untrusted_intermediates: chain.intermediates.map((c) => toPem(c.der)),
    peer_certificate: toPem(chain.leaf.der),
    validation_time: validationTime.toISOString(),
    expected_result: 'SUCCESS',
  };
  const codes = (r: LimboResult) => [...new Set(r.context.split(' | ').map((p) => p.split(':')[0]))];

  it.each<[string, Partial<LimboCase>, 'SUCCESS' | string[]]>([
    ['nothing asked', {}, 'SUCCESS'],
    ['a DNS peer name covered', { expected_peer_name: { kind: 'DNS', value: 'appliance.example.com' } }, 'SUCCESS'],
    ['a DNS peer name not covered', { expected_peer_name: { kind: 'DNS', value: 'other.example.com' } }, ['hostname-mismatch']],
    ['an IP peer name covered', { expected_peer_name: { kind: 'IP', value: '192.0.2.7' } }, 'SUCCESS'],
    ['an IP peer name not covered', { expected_peer_name: { kind: 'IP', value: '192.0.2.8' } }, ['hostname-mismatch']],
    ['an RFC 822 peer name covered', { expected_peer_name: { kind: 'RFC822', value: 'admin@EXAMPLE.com' } }, 'SUCCESS'],
    ['an RFC 822 peer name in another case', { expected_peer_name: { kind: 'RFC822', value: 'Admin@example.com' } }, ['email-address-mismatch']],
    ['client peer names, one not covered', { validation_kind: 'CLIENT', expected_peer_names: [{ kind: 'RFC822', value: 'admin@example.com' }, { kind: 'DNS', value: 'x.example.com' }] }, ['hostname-mismatch']],
    ['a client validation', { validation_kind: 'CLIENT' }, 'SUCCESS'],
    ['an extended key usage the leaf lacks', { extended_key_usage: ['codeSigning'] }, ['intermediate-extended-key-usage', 'wrong-extended-key-usage']],
    ['a key usage the leaf allows', { key_usage: ['digitalSignature'] }, 'SUCCESS'],
    ['a key usage the leaf lacks', { key_usage: ['keyEncipherment'] }, ['wrong-key-usage']],
    ['contentCommitment (X.509’s nonRepudiation)', { key_usage: ['contentCommitment'] }, ['wrong-key-usage']],
    ['the signature algorithm used', { signature_algorithms: ['ECDSA_WITH_SHA256'] }, 'SUCCESS'],
    ['only another signature algorithm', { signature_algorithms: ['ECDSA_WITH_SHA384', 'RSA_WITH_SHA256'] }, ['unsupported-signature-algorithm']],
    ['no intermediate allowed', { max_chain_depth: 0 }, ['no-trusted-root', 'too-many-intermediates']],
    ['a CRL given', { crls: ['-----BEGIN X509 CRL-----\n-----END X509 CRL-----\n'] }, ['skipped']],
  ])('%s', async (_name, fields, want) => {
    const result = await runCase({ ...base, ...fields });
    if (want === 'SUCCESS') expect(result).toMatchObject({ actual_result: 'SUCCESS' });
    else if (want[0] === 'skipped') expect(result).toMatchObject({ actual_result: 'SKIPPED', context: expect.stringMatching(/^has-crl: /) });
    else expect(codes(result).sort()).toEqual(want);
  });

  it('maps limbo’s names to the validation options', () => {
    expect(
      optionsFor({
        ...base,
        validation_kind: 'CLIENT',
        extended_key_usage: ['clientAuth', 'OCSPSigning'],
        key_usage: ['keyAgreement'],
        signature_algorithms: ['RSASSA_PSS', 'ED25519'],
        expected_peer_names: [{ kind: 'RFC822', value: 'a@b.example' }],
        max_chain_depth: 2,
      }),
    ).toEqual({
      extendedKeyUsages: [OID.clientAuth, OID.ocspSigning],
      keyUsages: ['keyAgreement'],
      signatureAlgorithms: [OID.rsassaPss, OID.ed25519],
      time: validationTime,
      peerNames: [{ kind: 'email', value: 'a@b.example' }],
      maxIntermediates: 2,
    });
  });

  it('refuses names it does not know rather than ignoring them', () => {
    expect(() => optionsFor({ ...base, key_usage: ['everything'] })).toThrow(/unknown key usage/);
    expect(() => optionsFor({ ...base, signature_algorithms: ['ROT13'] })).toThrow(/unknown signature algorithm/);
  });
});
