/**
 * Name constraints (RFC 5280 §4.2.1.10, processed as in §6.1.3 (b)–(c) and §6.1.4 (g)):
 * DNS names, IP addresses, e-mail addresses, directory names and URIs; any other constrained
 * name form cannot be checked and so fails closed.
 */
import { decodeExtensionValue, type Certificate, type DistinguishedName, type ExtensionOf } from '../x509';
import type { Budget } from '../validation/budget';
import type { GeneralName } from './general-name';
import { isValidDnsName } from './hostname';
import { describeIpBytes } from './ip';

/** One constraint: a GeneralName base, IP bases as address + mask. */
export type Subtree =
  | { kind: 'dns'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'uri'; value: string }
  | { kind: 'ip'; address: Uint8Array; mask: Uint8Array }
  | { kind: 'dn'; name: DistinguishedName }
  | { kind: 'other'; tag: number };

export interface NameConstraints {
  permitted: Subtree[];
  excluded: Subtree[];
}

/** A constraint that is malformed is an error, not an empty constraint (fail closed). */
export class NameConstraintsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NameConstraintsError';
  }
}

function isContiguousMask(mask: Uint8Array): boolean {
  let seenZero = false;
  for (const byte of mask)
    for (let bit = 7; bit >= 0; bit--) {
      const set = (byte >> bit) & 1;
      if (set && seenZero) return false;
      if (!set) seenZero = true;
    }
  return true;
}

function isValidEmailConstraint(value: string): boolean {
  const at = value.split('@');
  if (at.length > 2) return false;
  const host = at.length === 2 ? at[1]! : value.startsWith('.') ? value.slice(1) : value;
  if (at.length === 2 && at[0] === '') return false;
  return isValidDnsName(host);
}

function toSubtree(name: GeneralName): Subtree {
  switch (name.kind) {
    case 'ip': {
      const n = name.bytes.length;
      if (n !== 8 && n !== 32) throw new NameConstraintsError('an IP constraint must be an address and a mask');
      const address = name.bytes.subarray(0, n / 2);
      const mask = name.bytes.subarray(n / 2);
      if (!isContiguousMask(mask)) throw new NameConstraintsError('an IP constraint has a non-contiguous mask');
      return { kind: 'ip', address, mask };
    }
    case 'dns': {
      const v = name.value.toLowerCase();
      const bare = v.startsWith('.') ? v.slice(1) : v;
      if (v !== '' && !isValidDnsName(bare)) throw new NameConstraintsError(`the DNS constraint “${name.value}” is malformed`);
      return { kind: 'dns', value: v };
    }
    case 'email':
      if (!isValidEmailConstraint(name.value))
        throw new NameConstraintsError(`the e-mail constraint “${name.value}” is malformed`);
      return { kind: 'email', value: name.value };
    case 'uri':
      return { kind: 'uri', value: name.value.toLowerCase() };
    case 'dn':
      return { kind: 'dn', name: name.name };
    case 'other':
      return { kind: 'other', tag: name.tag };
  }
}

/**
 * Checks a decoded NameConstraints extension and turns it into constraints. Throws
 * NameConstraintsError when it is empty (RFC 5280 §4.2.1.10: "MUST NOT … an empty sequence"),
 * uses minimum/maximum, or holds a malformed base.
 */
export function nameConstraintsFrom(value: ExtensionOf<'nameConstraints'>): NameConstraints {
  if (!value.permitted && !value.excluded) throw new NameConstraintsError('name constraints with neither permitted nor excluded names');
  const subtrees = (list: ExtensionOf<'nameConstraints'>['permitted']): Subtree[] =>
    (list ?? []).map((st) => {
      // minimum MUST be zero (so absent in DER) and maximum MUST be absent (RFC 5280 §4.2.1.10).
      if (st.minimum !== undefined || st.maximum !== undefined) throw new NameConstraintsError('a name constraint with minimum or maximum');
      return toSubtree(st.base);
    });
  return { permitted: subtrees(value.permitted), excluded: subtrees(value.excluded) };
}

/** Reads a NameConstraints extension value (DER) and checks it as nameConstraintsFrom does. */
export function parseNameConstraints(value: Uint8Array): NameConstraints {
  const decoded = decodeExtensionValue('2.5.29.30', value);
  if (decoded.decoded?.kind !== 'nameConstraints') throw new NameConstraintsError(decoded.problem ?? 'malformed name constraints');
  return nameConstraintsFrom(decoded.decoded);
}

/** RFC 5280 §4.2.1.10: a DNS name satisfies a constraint by adding zero or more labels on the left. */
function dnsWithin(name: string, constraint: string): boolean {
  const n = name.toLowerCase();
  if (constraint === '') return true;
  if (constraint.startsWith('.')) return n.endsWith(constraint);
  return n === constraint || n.endsWith('.' + constraint);
}

/**
 * Whether some name a wildcard `*.base` can match lies under an excluded DNS subtree: the
 * wildcard's own subtree is inside it, or the constraint is one label under `base`
 * (CVE-2025-61727: `*.example.com` must not slip past an exclusion of `bar.example.com`).
 */
function wildcardMeetsSubtree(name: string, constraint: string): boolean {
  if (dnsWithin(name, constraint)) return true;
  const base = name.slice(2).toLowerCase();
  const c = constraint.startsWith('.') ? constraint.slice(1) : constraint;
  if (c === '') return true;
  if (!c.endsWith('.' + base)) return false;
  return !c.slice(0, c.length - base.length - 1).includes('.');
}

function emailWithin(mailbox: string, constraint: string): boolean {
  const at = mailbox.lastIndexOf('@');
  const host = mailbox.slice(at + 1).toLowerCase();
  if (constraint.includes('@')) {
    const cat = constraint.lastIndexOf('@');
    // The local part is case-sensitive, the host is not (RFC 5280 §7.5).
    return mailbox.slice(0, at) === constraint.slice(0, cat) && host === constraint.slice(cat + 1).toLowerCase();
  }
  const c = constraint.toLowerCase();
  if (c.startsWith('.')) return host.endsWith(c);
  return host === c;
}

function uriHost(uri: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  return m?.[1] ? m[1].toLowerCase() : undefined;
}

function ipWithin(bytes: Uint8Array, st: { address: Uint8Array; mask: Uint8Array }): boolean {
  if (bytes.length !== st.address.length) return false;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i]! & st.mask[i]!) !== (st.address[i]! & st.mask[i]!)) return false;
  return true;
}

function rdnKey(rdn: DistinguishedName[number]): string {
  return rdn
    .map((a) => `${a.oid}=${a.normalized}`)
    .sort()
    .join('+');
}

function dnWithin(name: DistinguishedName, constraint: DistinguishedName): boolean {
  if (constraint.length > name.length) return false;
  return constraint.every((rdn, i) => rdnKey(rdn) === rdnKey(name[i]!));
}

/** A name a certificate claims, as name constraints see it. */
export type ConstrainedName = GeneralName;

/** `unprocessable`: same name form, but no client can evaluate it (RFC 5280 §4.2.1.10: reject). */
type Match = 'match' | 'no-match' | 'different-type' | 'unprocessable';

function compare(name: ConstrainedName, st: Subtree, excluded: boolean): Match {
  switch (name.kind) {
    case 'dns':
      if (st.kind !== 'dns') return 'different-type';
      if (excluded && name.value.startsWith('*.')) return wildcardMeetsSubtree(name.value, st.value) ? 'match' : 'no-match';
      return dnsWithin(name.value, st.value) ? 'match' : 'no-match';
    case 'ip':
      if (st.kind !== 'ip') return 'different-type';
      return ipWithin(name.bytes, st) ? 'match' : 'no-match';
    case 'email':
      if (st.kind !== 'email') return 'different-type';
      return emailWithin(name.value, st.value) ? 'match' : 'no-match';
    case 'dn':
      if (st.kind !== 'dn') return 'different-type';
      return dnWithin(name.name, st.name) ? 'match' : 'no-match';
    case 'uri': {
      if (st.kind !== 'uri') return 'different-type';
      const host = uriHost(name.value);
      if (!host) return 'unprocessable'; // no authority: cannot be shown inside or outside
      return (st.value.startsWith('.') ? host.endsWith(st.value) : host === st.value) ? 'match' : 'no-match';
    }
    case 'other':
      if (st.kind !== 'other' || st.tag !== name.tag) return 'different-type';
      return 'unprocessable'; // otherName, x400Address, ediPartyName, registeredID: fail closed
  }
}

/** Why a name broke a constraint, for the admin. */
export interface NameConstraintViolation {
  name: string;
  reason: 'excluded' | 'not-permitted' | 'malformed-name' | 'unprocessable';
}

/** A constrained name as the admin reads it in a violation ("DNS:…", "IP:…"). */
function describeName(name: ConstrainedName): string {
  switch (name.kind) {
    case 'dns':
      return `DNS:${name.value}`;
    case 'email':
      return `email:${name.value}`;
    case 'uri':
      return `URI:${name.value}`;
    case 'ip':
      return `IP:${describeIpBytes(name.bytes)}`;
    case 'dn':
      return `DN:${name.name.map((r) => r.map((a) => a.text ?? a.normalized).join('+')).join(',')}`;
    case 'other':
      return `otherName`;
  }
}

/**
 * The names of a certificate that name constraints apply to: its subject (when not empty),
 * e-mail addresses in the subject (RFC 5280 §4.2.1.10 says they count as rfc822Names), and
 * every subjectAltName entry.
 */
export function constrainedNames(cert: Certificate, sans: readonly GeneralName[] | undefined): ConstrainedName[] {
  const names: ConstrainedName[] = [];
  if (cert.subject.length) names.push({ kind: 'dn', name: cert.subject });
  for (const a of cert.subject.flat())
    if (a.oid === '1.2.840.113549.1.9.1' && a.text !== undefined) names.push({ kind: 'email', value: a.text });
  if (sans) names.push(...sans);
  return names;
}

/**
 * Checks names against one certificate's constraints; returns the first violation or undefined.
 * Every (name, subtree) comparison is paid for from `budget` up front, so a constraint bomb
 * ends in BudgetExhausted rather than a long loop.
 */
export function checkNameConstraints(
  constraints: NameConstraints,
  names: readonly ConstrainedName[],
  budget?: Budget,
): NameConstraintViolation | undefined {
  budget?.spendNameConstraintChecks(names.length * (constraints.permitted.length + constraints.excluded.length));
  for (const name of names) {
    if (name.kind === 'email' && (name.value.split('@').length !== 2 || name.value.startsWith('@')))
      return { name: describeName(name), reason: 'malformed-name' };
    if (name.kind === 'ip' && name.bytes.length !== 4 && name.bytes.length !== 16)
      return { name: describeName(name), reason: 'malformed-name' };
    for (const st of constraints.excluded) {
      const m = compare(name, st, true);
      if (m === 'match' || m === 'unprocessable') return { name: describeName(name), reason: m === 'match' ? 'excluded' : 'unprocessable' };
    }
    let sameType = false;
    let permitted = false;
    for (const st of constraints.permitted) {
      const m = compare(name, st, false);
      if (m === 'different-type') continue;
      if (m === 'unprocessable') return { name: describeName(name), reason: 'unprocessable' };
      sameType = true;
      if (m === 'match') {
        permitted = true;
        break;
      }
    }
    if (sameType && !permitted) return { name: describeName(name), reason: 'not-permitted' };
  }
  return undefined;
}
