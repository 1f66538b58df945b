import { describe, expect, it } from 'vitest';
import { buildAndValidate } from '../../../../src/core/pki/validation/path-validation';
import { lintCertificate } from '../../../../src/core/pki/validation/lint';
import { ruleFor, rulesByCode } from '../../../../src/core/pki/validation/rules';
import type { ValidationProblem } from '../../../../src/core/pki/validation/problem';
import { buildChain, defaultHostname, validationTime, type Chain, type KeyKind } from '../../../support/chain-factory';
import { ruleBreaks, validationOptionsFor, type RuleBreak } from '../../../support/rule-breaks';

/**
 * For every rule of the table a chain breaks (tests/support/rule-breaks.ts): buildAndValidate
 * reports exactly the validation rules among the break's code and `also`, and lint of the chain's
 * certificates exactly the lint rules among them — the complete lists, compared with toEqual.
 * Every problem carries its rule's sources, enforcement and verdict.
 */

const isLint = (code: string) => rulesByCode.get(code)!.lint?.includes('certificate') === true;
const sorted = (codes: Iterable<string>) => [...new Set(codes)].sort();

/** The codes of the rules a break expects, split into the verdict and lint. */
function expected(b: RuleBreak): { validation: string[]; lint: string[] } {
  const all = [b.code, ...b.also].filter((code) => !rulesByCode.get(code)!.appliesTo.every((t) => t === 'request'));
  return { validation: sorted(all.filter((c) => !isLint(c))), lint: sorted(all.filter(isLint)) };
}

function expectRuleData(problems: readonly ValidationProblem[]): void {
  for (const p of problems) {
    const rule = ruleFor(p.code);
    expect({ code: p.code, sources: p.sources, enforcedBy: p.enforcedBy, verdict: p.verdict }).toEqual({ code: p.code, sources: rule.sources, enforcedBy: rule.enforcedBy, verdict: rule.verdict });
  }
}

/** Lint of every certificate of the chain, each against its issuer. */
async function lintChain(chain: Chain): Promise<ValidationProblem[]> {
  const certs = [
    { der: chain.root.der, role: 'root' as const, issuer: undefined },
    ...chain.intermediates.map((c, i) => ({ der: c.der, role: 'intermediate' as const, issuer: i === 0 ? chain.root.der : chain.intermediates[i - 1]!.der })),
    { der: chain.leaf.der, role: 'leaf' as const, issuer: chain.intermediates.at(-1)?.der ?? chain.root.der },
  ];
  const out: ValidationProblem[] = [];
  for (const c of certs) {
    try {
      out.push(...(await lintCertificate(c.der, { role: c.role, time: validationTime, ...(c.issuer ? { issuer: c.issuer } : {}) })));
    } catch (error) {
      if ((error as { code?: string }).code !== 'malformed-certificate') throw error;
    }
  }
  return out;
}

describe('default chains', () => {
  for (const kind of ['p256', 'p384', 'p521', 'rsa2048', 'rsa3072'] as const satisfies readonly KeyKind[])
    it(`a ${kind} chain validates with no problem and no lint finding`, async () => {
      const chain = buildChain({ keys: { root: kind, intermediate: kind, leaf: kind } });
      const result = await buildAndValidate(chain.leaf.der, chain.pool, { time: validationTime, hostname: defaultHostname });
      expect(result).toEqual({ ok: true, path: [chain.leaf.der, chain.intermediates[0]!.der, chain.root.der] });
      expect(await lintChain(chain)).toEqual([]);
    });

  it('a chain of three intermediates validates', async () => {
    const chain = buildChain({ intermediates: 3 });
    const result = await buildAndValidate(chain.leaf.der, chain.pool, { time: validationTime, hostname: defaultHostname });
    expect(result.ok).toBe(true);
  });
});

describe('each rule broken alone gives exactly its problems', () => {
  for (const b of ruleBreaks) {
    const want = expected(b);
    it(`${b.id} (${b.what}): ${want.validation.join(', ') || 'accepted'}${want.lint.length ? `; lint ${want.lint.join(', ')}` : ''}`, async () => {
      const { chain, pool, inputs } = b.build();
      const result = await buildAndValidate(chain.leaf.der, pool, validationOptionsFor(inputs));
      const problems = result.ok ? [] : result.problems;
      expect(sorted(problems.map((p) => p.code))).toEqual(want.validation);
      expect(problems.every((p) => p.verdict === 'reject')).toBe(true);
      expectRuleData(problems);
      const lint = await lintChain(chain);
      expect(sorted(lint.map((p) => p.code))).toEqual(want.lint);
      expectRuleData(lint);
    });
  }
});
