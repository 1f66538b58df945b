/**
 * The one validation policy and the lint of requests and certificates, as a table of rules
 * (docs/validation.md is the same table with the reasoning; a test keeps the two equal). Path
 * building, RFC 5280 §6.1 processing and lint apply these rules; each problem they report carries
 * a rule's code, and the rule says where it comes from and which clients enforce it.
 */
import type { Rule, Target } from './rule';
import { extensionRules } from './rules-extensions';
import { fieldRules } from './rules-fields';
import { lintRules } from './rules-lint';
import { pathRules } from './rules-path';
import { webPkiRules } from './rules-web-pki';

export type { Client, ClientFamily, Enforcement, LintObject, Rule, RuleContext, Source, SourceDocument, Target, Verdict } from './rule';

/** Every rule, grouped by the section of RFC 5280 or the Baseline Requirements it comes from. */
export const rules: readonly Rule[] = [...fieldRules, ...extensionRules, ...pathRules, ...webPkiRules, ...lintRules];

/** The rules by code. */
export const rulesByCode: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.code, r]));

/** The rule with this code; throws RangeError for an unknown code (a programming error). */
export function ruleFor(code: string): Rule {
  const rule = rulesByCode.get(code);
  if (!rule) throw new RangeError(`no validation rule has the code ${code}`);
  return rule;
}

/** The rules that decide whether a chain is accepted, for certificates in the role `target`. */
export function validationRules(target: Exclude<Target, 'request'>): Rule[] {
  return rules.filter((r) => r.appliesTo.includes(target) && !r.lint?.includes('certificate'));
}

/** The lint rules for requests, or for certificates (shown in the viewer, never changing the verdict). */
export function lintRulesFor(object: 'request' | 'certificate'): Rule[] {
  return rules.filter((r) => r.lint?.includes(object));
}
