import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserClients, type Enforcement, type Rule, type Source } from '../../../../src/core/pki/validation/rule';
import { lintRulesFor, ruleFor, rules, rulesByCode, validationRules } from '../../../../src/core/pki/validation/rules';
import { projectRoot } from '../../../support/fixtures';
import { ruleBreaks } from '../../../support/rule-breaks';

/** Rules no chain of rule-breaks.ts breaks, and why. */
const withoutBreak: Record<string, string> = {
  'rsa-key-too-large': 'a key over 8192 bits takes minutes to generate',
  'rsa-bad-exponent': 'Node generates no RSA key with an even or tiny exponent',
  'self-signed': 'decided by chain status, not by path validation',
  'no-subject-alt-names': 'request only (lint.test.ts breaks it on a request)',
  'bad-request-signature': 'request only (lint.test.ts)',
  'wildcard-position': 'request only (lint.test.ts)',
  'wildcard-too-broad': 'request only (lint.test.ts)',
};

const onlyFamilies = new Set(['rfc5280-only', 'baseline-requirements-only']);
const words = (quote: string) => quote.split(/\s+/).filter((w) => w !== '...' && w !== '…' && w !== '|' && w !== '').length;

/** The Enforced by cell of docs/validation.md for an enforcement. */
function enforcementCell(e: Enforcement): string {
  if (e.clients.length === 0) return e.families.join('; ');
  const browsers = e.clients.filter((c) => browserClients.has(c));
  const libraries = e.clients.filter((c) => !browserClients.has(c));
  return [...(browsers.length ? [`browsers (${browsers.join(', ')})`] : []), ...(libraries.length ? [`strict-libraries (${libraries.join(', ')})`] : [])].join('; ');
}

/** How docs/validation.md cites a source: “RFC 5280 §4.2.1.9: …”, or “Safari (section): …” for a client's documentation. */
function sourceCell(s: Source): string {
  return /^(RFC|CABF)/.test(s.doc) ? `${s.doc} §${s.section}: “${s.text}”` : `${s.doc} (${s.section}): “${s.text}”`;
}

/** The Decision cell of docs/validation.md for a rule. */
function decisionCell(r: Rule): string {
  return `${r.verdict}${r.lint ? ` (lint: ${r.lint.join(', ')})` : ''}${r.exemptVettedRoots ? ' (vetted roots exempt)' : ''}`;
}

interface DocRow {
  code: string;
  reference: boolean;
  source: string;
  appliesTo: string;
  enforcedBy: string;
  decision: string;
}

function docRows(): DocRow[] {
  const text = readFileSync(join(projectRoot, 'docs/validation.md'), 'utf8');
  const rows: DocRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\| (→ )?`([a-z0-9-]+)` \| (.*) \|$/.exec(line);
    if (!m) continue;
    const cells = m[3]!.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
    if (cells.length !== 4) continue; // another table (families, conflicts, issue 10's list)
    rows.push({ code: m[2]!, reference: m[1] !== undefined, source: cells[0]!, appliesTo: cells[1]!, enforcedBy: cells[2]!, decision: cells[3]! });
  }
  return rows;
}

describe('the validation rule table (rules.ts)', () => {
  it('has unique kebab-case codes', () => {
    const codes = rules.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(rulesByCode.size).toBe(rules.length);
  });

  it('cites every rule with a clause of at most 15 words', () => {
    for (const r of rules) {
      expect(r.sources.length, r.code).toBeGreaterThan(0);
      for (const s of r.sources) expect({ code: r.code, words: words(s.text) <= 15, section: s.section !== '' }).toEqual({ code: r.code, words: true, section: true });
    }
  });

  it('derives client families from the named clients', () => {
    for (const r of rules) {
      const { families, clients } = r.enforcedBy;
      if (clients.length === 0) expect({ code: r.code, only: families.length > 0 && families.every((f) => onlyFamilies.has(f)) }).toEqual({ code: r.code, only: true });
      else {
        const expected = [...(clients.some((c) => browserClients.has(c)) ? ['browsers'] : []), ...(clients.some((c) => !browserClients.has(c)) ? ['strict-libraries'] : [])];
        expect({ code: r.code, families }).toEqual({ code: r.code, families: expected });
        expect(new Set(clients).size, r.code).toBe(clients.length);
      }
    }
  });

  it('keeps verdicts, targets and lint consistent', () => {
    for (const r of rules) {
      const facts = {
        code: r.code,
        // A rule that is not lint is part of the one verdict, so it rejects.
        validationRejects: r.lint !== undefined || r.verdict === 'reject',
        // Requests are only ever linted.
        requestLinted: r.appliesTo.includes('request') === (r.lint?.includes('request') ?? false),
        // Certificate lint needs a certificate target.
        certificateLintHasTarget: !r.lint?.includes('certificate') || r.appliesTo.some((t) => t === 'leaf' || t === 'intermediate' || t === 'root'),
        exemptionOnlyForRoots: !r.exemptVettedRoots || r.appliesTo.includes('root'),
      };
      expect(facts).toEqual({ code: r.code, validationRejects: true, requestLinted: true, certificateLintHasTarget: true, exemptionOnlyForRoots: true });
    }
  });

  it('writes every sentence with the certificate named, whatever the check reported', () => {
    const subject = '“CN=appliance.example.com”';
    for (const r of rules)
      for (const context of [{ subject }, { subject, found: 'FOUND', expected: 'EXPECTED' }]) {
        const sentence = r.message(context);
        const problems = [!sentence.includes(subject) && 'no subject', /undefined|“”|\s{2}|^\s|\s$/.test(sentence) && 'bad text', !/\.$/.test(sentence) && 'no full stop'].filter(Boolean);
        expect({ code: r.code, sentence, problems }).toEqual({ code: r.code, sentence, problems: [] });
      }
  });

  it('selects validation and lint rules by target', () => {
    const codes = (list: Rule[]) => list.map((r) => r.code);
    expect(codes(validationRules('leaf'))).toContain('leaf-without-extended-key-usage');
    expect(codes(validationRules('leaf'))).toContain('common-name-not-in-san');
    expect(codes(validationRules('leaf'))).not.toContain('validity-over-ca-maximum');
    expect(codes(validationRules('root'))).toContain('root-has-extended-key-usage');
    expect(codes(validationRules('root'))).not.toContain('leaf-is-ca');
    expect(codes(validationRules('path'))).toContain('no-valid-policy');
    expect(codes(lintRulesFor('request'))).toEqual(expect.arrayContaining(['rsa-key-too-small', 'no-subject-alt-names', 'common-name-not-in-san', 'validity-over-ca-maximum']));
    expect(codes(lintRulesFor('certificate'))).not.toContain('common-name-not-in-san');
    expect(ruleFor('expired').verdict).toBe('reject');
    expect(() => ruleFor('no-such-rule')).toThrow(RangeError);
  });
});

describe('docs/validation.md is the same table', () => {
  const rows = docRows();
  const defining = rows.filter((r) => !r.reference && /^(reject|warn)\b/.test(r.decision));
  const notChecked = rows.filter((r) => !r.reference && !/^(reject|warn)\b/.test(r.decision));

  it('defines every rule exactly once, with the same targets, enforcement, decision and sources', () => {
    expect(defining.map((r) => r.code).sort()).toEqual(rules.map((r) => r.code).sort());
    for (const row of defining) {
      const rule = ruleFor(row.code);
      expect({ code: row.code, appliesTo: row.appliesTo, enforcedBy: row.enforcedBy, decision: row.decision }).toEqual({
        code: row.code,
        appliesTo: rule.appliesTo.join(', '),
        enforcedBy: enforcementCell(rule.enforcedBy),
        decision: decisionCell(rule),
      });
      expect(row.source, row.code).toBe(rule.sources.map(sourceCell).join('; '));
    }
  });

  it('gives every clause Certdesk does not check a code of its own and a reason', () => {
    const codes = notChecked.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const row of notChecked) {
      expect({ code: row.code, inTable: rulesByCode.has(row.code) }).toEqual({ code: row.code, inTable: false });
      expect(row.decision).toMatch(/^(not checked|not a check|not a problem to report|not needed): \S|^covered by `/);
      for (const [, referenced] of row.decision.matchAll(/`([a-z0-9-]+)`/g)) expect(rulesByCode.has(referenced!), `${row.code} → ${referenced}`).toBe(true);
    }
  });

  it('quotes every clause in at most 15 words and points only at rules that exist', () => {
    for (const row of rows) {
      for (const [, quote] of row.source.matchAll(/“([^”]*)”/g)) expect({ code: row.code, words: words(quote!) <= 15 }).toEqual({ code: row.code, words: true });
      if (row.reference) expect(rulesByCode.has(row.code), row.code).toBe(true);
    }
  });
});

describe('tests/support/rule-breaks.ts breaks the rules of the table', () => {
  it('names only rules of the table, once per break', () => {
    const ids = ruleBreaks.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const b of ruleBreaks) {
      expect({ id: b.id, code: rulesByCode.has(b.code), also: b.also.filter((c) => !rulesByCode.has(c)) }).toEqual({ id: b.id, code: true, also: [] });
      expect(b.id === b.code || b.id.startsWith(`${b.code}/`), b.id).toBe(true);
    }
  });

  it('has a break for every rule except the ones listed, each with its reason', () => {
    const broken = new Set(ruleBreaks.map((b) => b.code));
    expect(rules.filter((r) => !broken.has(r.code)).map((r) => r.code).sort()).toEqual(Object.keys(withoutBreak).sort());
  });
});
