import { describe, expect, it } from 'vitest';
import { checkNameConstraints, NameConstraintsError, parseNameConstraints, type ConstrainedName } from '../../../../src/core/pki/names/constraints';
import { Budget, BudgetExhausted } from '../../../../src/core/pki/validation/budget';
import { parseName } from '../../../../src/core/pki/x509';
import { readDer } from '../../../../src/core/pki/asn1';
import { bytes, der, dnsName, emailName, ipName } from '../chain-fixtures';

/** The DER value of a NameConstraints extension. */
function nc(permitted: Uint8Array[], excluded: Uint8Array[] = []): Uint8Array {
  const subtrees = (tag: number, list: Uint8Array[]) => (list.length ? [der(tag, ...list.map((g) => der(0x30, g)))] : []);
  return der(0x30, ...subtrees(0xa0, permitted), ...subtrees(0xa1, excluded));
}

const cn = (value: string) => der(0x30, der(0x31, der(0x30, der(0x06, bytes(0x55, 0x04, 0x03)), der(0x0c, value))));
const dirName = (value: string) => der(0xa4, cn(value));
const dn = (value: string): ConstrainedName => {
  const name = cn(value);
  return { kind: 'dn', name: parseName(readDer(name)) };
};
const dns = (value: string): ConstrainedName => ({ kind: 'dns', value });
const email = (value: string): ConstrainedName => ({ kind: 'email', value });
const ip = (...b: number[]): ConstrainedName => ({ kind: 'ip', bytes: bytes(...b) });

describe('checkNameConstraints (RFC 5280 §4.2.1.10)', () => {
  it.each([
    { name: 'DNS inside a permitted domain', nc: nc([dnsName('example.com')]), names: [dns('foo.bar.example.com')], want: undefined },
    { name: 'DNS equal to the permitted domain', nc: nc([dnsName('example.com')]), names: [dns('example.com')], want: undefined },
    { name: 'DNS sharing only a suffix string', nc: nc([dnsName('example.com')]), names: [dns('notexample.com')], want: 'not-permitted' },
    { name: 'DNS outside', nc: nc([dnsName('example.com')]), names: [dns('example.org')], want: 'not-permitted' },
    { name: 'DNS in an excluded subtree', nc: nc([], [dnsName('bad.example.com')]), names: [dns('x.bad.example.com')], want: 'excluded' },
    { name: 'excluded wins over permitted', nc: nc([dnsName('example.com')], [dnsName('example.com')]), names: [dns('example.com')], want: 'excluded' },
    { name: 'wildcard that could match an excluded name (CVE-2025-61727)', nc: nc([], [dnsName('bar.example.com')]), names: [dns('*.example.com')], want: 'excluded' },
    { name: 'wildcard over an unrelated exclusion', nc: nc([], [dnsName('a.b.example.com')]), names: [dns('*.example.com')], want: undefined },
    { name: 'wildcard inside a permitted domain', nc: nc([dnsName('example.com')]), names: [dns('*.example.com')], want: undefined },
    { name: 'leading-dot constraint excludes the domain itself', nc: nc([dnsName('.example.com')]), names: [dns('example.com')], want: 'not-permitted' },
    { name: 'leading-dot constraint permits subdomains', nc: nc([dnsName('.example.com')]), names: [dns('a.example.com')], want: undefined },
    { name: 'IP in permitted range', nc: nc([ipName(192, 0, 2, 0, 255, 255, 255, 0)]), names: [ip(192, 0, 2, 1)], want: undefined },
    { name: 'IP outside permitted range', nc: nc([ipName(192, 0, 2, 0, 255, 255, 255, 0)]), names: [ip(198, 51, 100, 1)], want: 'not-permitted' },
    { name: 'IP in excluded range', nc: nc([], [ipName(192, 0, 2, 0, 255, 255, 255, 0)]), names: [ip(192, 0, 2, 77)], want: 'excluded' },
    { name: 'IPv6 name against an IPv4 range', nc: nc([ipName(192, 0, 2, 0, 255, 255, 255, 0)]), names: [ip(...new Array(16).fill(0))], want: 'not-permitted' },
    { name: 'a CIDR where an address belongs', nc: nc([ipName(192, 0, 2, 0, 255, 255, 255, 0)]), names: [ip(192, 0, 2, 0, 255, 255, 255, 0)], want: 'malformed-name' },
    { name: 'DNS name unaffected by IP-only constraints', nc: nc([ipName(192, 0, 2, 0, 255, 255, 255, 0)]), names: [dns('example.com')], want: undefined },
    { name: 'exact mailbox', nc: nc([emailName('foo@example.com')]), names: [email('foo@example.com')], want: undefined },
    { name: 'asterisk is literal', nc: nc([emailName('*@example.com')]), names: [email('foo@example.com')], want: 'not-permitted' },
    { name: 'literal asterisk matches itself', nc: nc([emailName('*@example.com')]), names: [email('*@example.com')], want: undefined },
    { name: 'mailbox host', nc: nc([emailName('example.com')]), names: [email('anyone@example.com')], want: undefined },
    { name: 'mailbox host excludes subdomains', nc: nc([emailName('example.com')]), names: [email('anyone@sub.example.com')], want: 'not-permitted' },
    { name: 'mailbox domain with leading dot', nc: nc([emailName('.example.com')]), names: [email('anyone@sub.example.com')], want: undefined },
    { name: 'directory name prefix', nc: nc([dirName('foo')]), names: [dn('foo')], want: undefined },
    { name: 'directory name mismatch', nc: nc([dirName('foo')]), names: [dn('not-foo')], want: 'not-permitted' },
    { name: 'directory names compare case-insensitively', nc: nc([dirName('Foo')]), names: [dn('FOO')], want: undefined },
  ])('$name', ({ nc: value, names, want }) => {
    expect(checkNameConstraints(parseNameConstraints(value), names)?.reason).toBe(want);
  });
});

describe('a violation names the address in canonical text', () => {
  // Regression: IPv6 addresses were printed as sixteen dotted decimals ("IP:32.1.13.184.0…").
  it.each([
    { name: ip(192, 0, 2, 77), want: 'IP:192.0.2.77' },
    { name: ip(0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1), want: 'IP:2001:db8::1' },
    { name: ip(192, 0, 2, 0, 255, 255, 255, 0), want: 'IP:192.0.2.0/255.255.255.0' },
  ])('$want', ({ name, want }) => {
    const excluded = parseNameConstraints(nc([], [ipName(192, 0, 2, 0, 255, 255, 255, 0), ipName(...new Array(32).fill(0))]));
    expect(checkNameConstraints(excluded, [name])?.name).toBe(want);
  });
});

describe('parseNameConstraints refuses malformed constraints', () => {
  it.each([
    ['an empty sequence', der(0x30)],
    ['an empty permitted list', der(0x30, der(0xa0))],
    ['a bad e-mail constraint', nc([emailName('invalid@invalid@example.com')])],
    ['an IP constraint of 4 bytes', nc([ipName(192, 0, 2, 0)])],
    ['a non-contiguous mask', nc([ipName(192, 0, 2, 0, 255, 0, 255, 0)])],
    ['a malformed DNS constraint', nc([dnsName('exa mple.com')])],
    ['a subtree with a maximum', der(0x30, der(0xa0, der(0x30, dnsName('example.com'), der(0x81, bytes(1)))))],
    ['NULL subtrees', der(0x30, der(0xa0, der(0x05)), der(0xa1, der(0x05)))],
    ['trailing bytes', new Uint8Array([...nc([dnsName('example.com')]), 0])],
  ])('%s', (_name, value) => {
    expect(() => parseNameConstraints(value)).toThrow(NameConstraintsError);
  });
});

describe('name-constraint budget', () => {
  it('charges every comparison up front and stops past the limit', () => {
    const constraints = parseNameConstraints(nc(Array.from({ length: 100 }, (_, i) => dnsName(`n${i}.test`))));
    const names = Array.from({ length: 100 }, (_, i) => dns(`n${i}.test`));
    const budget = new Budget();
    budget.nameConstraintChecks = 10_000;
    expect(checkNameConstraints(constraints, names, budget)).toBeUndefined();
    expect(budget.nameConstraintChecks).toBe(0);
    expect(() => checkNameConstraints(constraints, names.slice(0, 1), budget)).toThrow(BudgetExhausted);
  });
});
