/**
 * Host name syntax: the one check, for the four kinds of DNS name Certdesk meets.
 * - `presented`: a dNSName in a certificate, as it is (IA5String, compared ASCII
 *   case-insensitively). Letters, digits, hyphens (RFC 5280 §4.2.1.6 → RFC 1034 §3.5, relaxed by
 *   RFC 1123 §2.1 to allow a leading digit), and `*` only as the whole left-most label over at
 *   least two more labels (RFC 6125 §6.4.3, RFC 9525 §6.3, CA/B Forum BR §3.2.2.6). No trailing
 *   dot (BR §7.1.2.7.12: the root label MUST NOT be included).
 * - `domain`: a name-constraint base or e-mail domain (RFC 5280 §4.2.1.10): the same, no wildcard.
 * - `reference`: the name a client connects to, as the admin types it (an appliance hostname, the
 *   DNS name of an IP). Unicode is converted to A-labels (UTS #46, idn.ts), case is folded, one
 *   trailing dot is dropped (RFC 1034 §3.1: it only marks the name absolute). No wildcard. `xn--`
 *   labels must be valid A-labels (RFC 5891 §5.4), and the last label must not be a number: the
 *   WHATWG URL parser reads such a host as an IPv4 address ("ends in a number", §3.5), and
 *   RFC 1123 §2.1 keeps top-level domains alphabetic.
 * - `requested`: a subjectAltName the admin asks a CA for: a reference name, or a wildcard over
 *   one (the wildcard rules of `presented`).
 */
import { asciiLowerCase, invalidALabel, toALabels } from './idn';

/** Which kind of DNS name is checked; see the module comment. */
export type HostnameKind = 'presented' | 'domain' | 'reference' | 'requested';

/** What is wrong with a host name; `label` names the offending label where there is one. */
export interface HostnameProblem {
  code:
    | 'empty'
    | 'not-convertible'
    | 'too-long'
    | 'partial-wildcard'
    | 'wildcard-not-left-most'
    | 'wildcard-too-broad'
    | 'empty-label'
    | 'label-too-long'
    | 'invalid-character'
    | 'hyphen-at-label-edge'
    | 'invalid-a-label'
    | 'ends-in-number';
  label?: string;
}

export type HostnameParse = { ok: true; value: string } | { ok: false; problem: HostnameProblem };

const RULES: Record<HostnameKind, { wildcard: boolean; typed: boolean }> = {
  presented: { wildcard: true, typed: false },
  domain: { wildcard: false, typed: false },
  reference: { wildcard: false, typed: true },
  requested: { wildcard: true, typed: true },
};

const LDH = /^[a-z0-9-]+$/i;
/** The WHATWG URL Standard's "ends in a number": all digits, or 0x and hex digits. */
const NUMBER = /^([0-9]+|0x[0-9a-f]*)$/i;

/**
 * The first syntax problem of an ASCII host name (A-label form, no trailing dot) of the given
 * kind, or undefined when it is well formed. RFC 1035 §2.3.4 limits a name to 255 octets on the
 * wire, 253 characters as text; RFC 1034 §3.1 a label to 63.
 */
export function hostnameProblem(name: string, kind: HostnameKind): HostnameProblem | undefined {
  const rules = RULES[kind];
  if (name === '') return { code: 'empty' };
  if (name.length > 253) return { code: 'too-long' };
  const labels = name.split('.');
  for (const [index, label] of labels.entries()) {
    if (label.includes('*')) {
      if (!rules.wildcard || label !== '*') return { code: rules.wildcard ? 'partial-wildcard' : 'invalid-character', label };
      if (index !== 0) return { code: 'wildcard-not-left-most', label };
      // "*.com" would cover a whole top-level domain (BR §3.2.2.6).
      if (labels.length < 3) return { code: 'wildcard-too-broad', label };
      continue;
    }
    if (label === '') return { code: 'empty-label' };
    if (label.length > 63) return { code: 'label-too-long', label };
    if (!LDH.test(label)) return { code: 'invalid-character', label };
    if (label.startsWith('-') || label.endsWith('-')) return { code: 'hyphen-at-label-edge', label };
  }
  if (!rules.typed) return undefined;
  if (NUMBER.test(labels[labels.length - 1]!)) return { code: 'ends-in-number' };
  const bad = invalidALabel(asciiLowerCase(labels[0] === '*' ? labels.slice(1).join('.') : name));
  return bad === undefined ? undefined : { code: 'invalid-a-label', label: bad };
}

/** Whether `name` is a well-formed DNS name without wildcard (kind `domain`), in any case. */
export function isValidDnsName(name: string): boolean {
  return hostnameProblem(name, 'domain') === undefined;
}

/**
 * Tells whether a DNS name (A-label form, lower case) is a public suffix, such as `co.uk`.
 * public-suffix-list.ts builds the default one from the Public Suffix List.
 */
export type PublicSuffixCheck = (domain: string) => boolean;

/**
 * Whether a presented dNSName (from a certificate) is well formed (kind `presented`) and, when
 * `isPublicSuffix` is given, not a wildcard directly over a public suffix (CA/B Forum BR
 * §3.2.2.6; RFC 6125 §7.2).
 */
export function isValidPresentedDnsName(name: string, isPublicSuffix?: PublicSuffixCheck): boolean {
  if (hostnameProblem(name, 'presented') !== undefined) return false;
  return !(name.startsWith('*.') && isPublicSuffix?.(asciiLowerCase(name.slice(2))));
}

/** Separators UTS #46 maps to a full stop: ideographic, fullwidth and halfwidth ideographic. */
const ANY_DOT = /[.\u3002\uff0e\uff61]/;

/**
 * A name as the admin typed it (kind `reference`, or `requested` to allow a wildcard), in the
 * form certificates and comparisons use: A-labels, lower case, no trailing dot. Surrounding
 * whitespace is not removed: forms trim their fields.
 */
export function parseHostname(text: string, kind: 'reference' | 'requested' = 'reference'): HostnameParse {
  const fail = (problem: HostnameProblem): HostnameParse => ({ ok: false, problem });
  // Wildcards first, on the labels as typed: UTS #46 is not applied to "*".
  const typedLabels = text.split(ANY_DOT);
  const wildcard = kind === 'requested' && typedLabels[0] === '*' && typedLabels.length > 1;
  for (const [index, label] of typedLabels.entries()) {
    if (!label.includes('*') || (index === 0 && wildcard)) continue;
    if (kind === 'reference') return fail({ code: 'invalid-character', label });
    return fail({ code: label === '*' ? 'wildcard-not-left-most' : 'partial-wildcard', label });
  }
  const rest = wildcard ? text.slice(2) : text;
  if (rest === '' || rest === '.') return fail({ code: wildcard ? 'wildcard-too-broad' : 'empty' });
  // ASCII is only lower-cased (its other characters fail the label check below, in order).
  const mapped = /^[\x00-\x7f]*$/.test(rest) ? asciiLowerCase(rest) : toALabels(rest);
  if (mapped === undefined) {
    const asciiOutsideLdh = [...rest].some((c) => c < '\x80' && !/[a-z0-9.-]/i.test(c));
    return fail({ code: asciiOutsideLdh ? 'invalid-character' : 'not-convertible' });
  }
  const value = (wildcard ? '*.' : '') + (mapped.endsWith('.') ? mapped.slice(0, -1) : mapped);
  const problem = hostnameProblem(value, kind);
  return problem ? fail(problem) : { ok: true, value };
}
