import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hostnameProblem, isValidDnsName, isValidPresentedDnsName, parseHostname, type HostnameKind } from '../../../../src/core/pki/names/hostname';
import { isPublicSuffix } from '../../../../src/core/pki/names/public-suffix-list';

const kinds: HostnameKind[] = ['presented', 'domain', 'reference', 'requested'];
const long = (n: number) => 'a'.repeat(n);

/**
 * One rule per row, with the answer for each kind: presented (a dNSName in a certificate),
 * domain (a name-constraint base), reference (what a client connects to), requested (a SAN
 * the admin asks for). `undefined` = well formed.
 */
const table: { rule: string; name: string; want: Record<HostnameKind, string | undefined> }[] = [
  { rule: 'letters, digits, hyphens (RFC 1123 §2.1)', name: 'a-1.example.com', want: { presented: undefined, domain: undefined, reference: undefined, requested: undefined } },
  { rule: 'a single label', name: 'appliance', want: { presented: undefined, domain: undefined, reference: undefined, requested: undefined } },
  { rule: 'a leading digit (RFC 1123 §2.1)', name: '3com.example', want: { presented: undefined, domain: undefined, reference: undefined, requested: undefined } },
  { rule: 'upper case is the same name (RFC 4343)', name: 'WWW.Example.COM', want: { presented: undefined, domain: undefined, reference: undefined, requested: undefined } },
  { rule: 'nothing', name: '', want: { presented: 'empty', domain: 'empty', reference: 'empty', requested: 'empty' } },
  { rule: 'an empty label', name: 'a..example', want: { presented: 'empty-label', domain: 'empty-label', reference: 'empty-label', requested: 'empty-label' } },
  { rule: 'a leading dot', name: '.example.com', want: { presented: 'empty-label', domain: 'empty-label', reference: 'empty-label', requested: 'empty-label' } },
  { rule: 'a trailing dot (BR §7.1.2.7.12)', name: 'example.com.', want: { presented: 'empty-label', domain: 'empty-label', reference: 'empty-label', requested: 'empty-label' } },
  { rule: 'a 63-character label (RFC 1034 §3.1)', name: `${long(63)}.example`, want: { presented: undefined, domain: undefined, reference: undefined, requested: undefined } },
  { rule: 'a 64-character label', name: `${long(64)}.example`, want: { presented: 'label-too-long', domain: 'label-too-long', reference: 'label-too-long', requested: 'label-too-long' } },
  { rule: '253 characters (RFC 1035 §2.3.4)', name: `${long(63)}.${long(63)}.${long(63)}.${long(61)}`, want: { presented: undefined, domain: undefined, reference: undefined, requested: undefined } },
  { rule: '254 characters', name: `${long(63)}.${long(63)}.${long(63)}.${long(62)}`, want: { presented: 'too-long', domain: 'too-long', reference: 'too-long', requested: 'too-long' } },
  { rule: 'an underscore', name: 'foo_bar.example.com', want: { presented: 'invalid-character', domain: 'invalid-character', reference: 'invalid-character', requested: 'invalid-character' } },
  { rule: 'a space', name: 'exa mple.com', want: { presented: 'invalid-character', domain: 'invalid-character', reference: 'invalid-character', requested: 'invalid-character' } },
  { rule: 'a leading hyphen', name: '-a.example', want: { presented: 'hyphen-at-label-edge', domain: 'hyphen-at-label-edge', reference: 'hyphen-at-label-edge', requested: 'hyphen-at-label-edge' } },
  { rule: 'a trailing hyphen', name: 'a-.example', want: { presented: 'hyphen-at-label-edge', domain: 'hyphen-at-label-edge', reference: 'hyphen-at-label-edge', requested: 'hyphen-at-label-edge' } },
  { rule: 'a whole left-most wildcard (RFC 6125 §6.4.3)', name: '*.example.com', want: { presented: undefined, domain: 'invalid-character', reference: 'invalid-character', requested: undefined } },
  { rule: 'a wildcard over one label (BR §3.2.2.6)', name: '*.com', want: { presented: 'wildcard-too-broad', domain: 'invalid-character', reference: 'invalid-character', requested: 'wildcard-too-broad' } },
  { rule: 'a wildcard alone', name: '*', want: { presented: 'wildcard-too-broad', domain: 'invalid-character', reference: 'invalid-character', requested: 'wildcard-too-broad' } },
  { rule: 'a partial-label wildcard (RFC 9525 §6.3)', name: 'f*.example.com', want: { presented: 'partial-wildcard', domain: 'invalid-character', reference: 'invalid-character', requested: 'partial-wildcard' } },
  { rule: 'a wildcard after the first label', name: 'www.*.example.com', want: { presented: 'wildcard-not-left-most', domain: 'invalid-character', reference: 'invalid-character', requested: 'wildcard-not-left-most' } },
  { rule: 'two wildcards', name: '*.*.example.com', want: { presented: 'wildcard-not-left-most', domain: 'invalid-character', reference: 'invalid-character', requested: 'wildcard-not-left-most' } },
  { rule: 'a wildcard inside an A-label', name: 'xn--*-1b3c148a.example.com', want: { presented: 'partial-wildcard', domain: 'invalid-character', reference: 'invalid-character', requested: 'partial-wildcard' } },
  { rule: 'a valid A-label (RFC 5891 §5.4)', name: 'xn--bcher-kva.example', want: { presented: undefined, domain: undefined, reference: undefined, requested: undefined } },
  { rule: 'an xn-- label that is not Punycode', name: 'xn--a.example', want: { presented: undefined, domain: undefined, reference: 'invalid-a-label', requested: 'invalid-a-label' } },
  { rule: 'an xn-- label of plain ASCII (RFC 5890 §2.3.2.1)', name: 'xn--abc-.example', want: { presented: 'hyphen-at-label-edge', domain: 'hyphen-at-label-edge', reference: 'hyphen-at-label-edge', requested: 'hyphen-at-label-edge' } },
  { rule: 'an A-label of a character UTS #46 maps (Ü)', name: 'xn--bcher-2pa.example', want: { presented: undefined, domain: undefined, reference: 'invalid-a-label', requested: 'invalid-a-label' } },
  { rule: 'an A-label of an emoji (not PVALID, RFC 5892)', name: 'xn--ls8h.example', want: { presented: undefined, domain: undefined, reference: 'invalid-a-label', requested: 'invalid-a-label' } },
  { rule: 'an A-label of a lone joiner (CheckJoiners)', name: 'xn--1ug.example', want: { presented: undefined, domain: undefined, reference: 'invalid-a-label', requested: 'invalid-a-label' } },
  { rule: 'a reserved LDH label that is not xn-- (RFC 5890 §2.3.1)', name: 'r3---sn-abc.example.com', want: { presented: undefined, domain: undefined, reference: undefined, requested: undefined } },
  { rule: 'a numeric last label (WHATWG "ends in a number")', name: 'host.123', want: { presented: undefined, domain: undefined, reference: 'ends-in-number', requested: 'ends-in-number' } },
  { rule: 'a hex last label', name: 'host.0x1f', want: { presented: undefined, domain: undefined, reference: 'ends-in-number', requested: 'ends-in-number' } },
  { rule: 'a dotted quad', name: '192.0.2.1', want: { presented: undefined, domain: undefined, reference: 'ends-in-number', requested: 'ends-in-number' } },
  { rule: 'a last label with a digit and letters', name: 'host.123a', want: { presented: undefined, domain: undefined, reference: undefined, requested: undefined } },
];

describe('hostnameProblem: one row per rule, each kind', () => {
  for (const row of table)
    for (const kind of kinds)
      it(`${row.rule}: ${kind} → ${row.want[kind] ?? 'valid'}`, () => {
        expect(hostnameProblem(row.name, kind)?.code).toBe(row.want[kind]);
      });

  it('isValidDnsName is the domain kind', () => {
    for (const row of table) expect(isValidDnsName(row.name)).toBe(row.want.domain === undefined);
  });
});

describe('isValidPresentedDnsName with the Public Suffix List (CABF BR §3.2.2.6)', () => {
  it.each([
    ['*.co.uk', false],
    ['*.CO.UK', false],
    ['*.s3.amazonaws.com', false],
    ['*.example.co.uk', true],
    ['*.foo.ck', false], // under the list's wildcard rule *.ck
    ['*.www.ck', true], // its exception !www.ck
    ['*.example.test', true],
    ['co.uk', true], // only wildcards are concerned
  ])('%s: %s', (name, want) => expect(isValidPresentedDnsName(name, isPublicSuffix)).toBe(want));
});

describe('parseHostname: a name as the admin typed it', () => {
  it.each([
    ['appliance.example.com', 'appliance.example.com'],
    ['WWW.Example.COM.', 'www.example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['BÜCHER.example.', 'xn--bcher-kva.example'],
    ['bücher。example', 'xn--bcher-kva.example'],
    ['XN--BCHER-KVA.example', 'xn--bcher-kva.example'],
  ])('reference %j → %j', (text, want) => expect(parseHostname(text)).toEqual({ ok: true, value: want }));

  it.each([
    ['*.bücher.example', '*.xn--bcher-kva.example'],
    ['*.Example.COM.', '*.example.com'],
  ])('requested %j → %j', (text, want) => expect(parseHostname(text, 'requested')).toEqual({ ok: true, value: want }));

  it.each([
    ['', 'empty'],
    ['.', 'empty'],
    ['example.com..', 'empty-label'],
    ['*.example.com', 'invalid-character'],
    [' example.com', 'invalid-character'],
    ['ex%61mple.com', 'invalid-character'], // the URL parser would percent-decode it
    ['exa\tmple.com', 'invalid-character'], // the URL parser would drop the tab
    ['bü%63her.example', 'invalid-character'],
    ['bü/cher.example', 'invalid-character'],
    ['bü\u3000cher.example', 'not-convertible'], // ideographic space maps to a space
    ['a\u200db.example', 'not-convertible'], // a joiner out of context (CheckJoiners)
    ['aשלום.example', 'not-convertible'], // left-to-right and right-to-left in one label (CheckBidi, RFC 5893)
    ['bücher.123', 'not-convertible'], // ends in a number: the URL parser takes it for IPv4
  ])('reference %j is refused: %s', (text, code) => {
    const result = parseHostname(text);
    expect(result.ok ? undefined : result.problem.code).toBe(code);
  });

  it('any LDH name parses to its lower-case form, trailing dot or not', () => {
    fc.assert(
      fc.property(fc.domain(), fc.boolean(), (host, dot) => {
        const result = parseHostname(host + (dot ? '.' : ''));
        if (/^[0-9]+$/.test(host.split('.').pop()!)) expect(result.ok).toBe(false);
        else expect(result).toEqual({ ok: true, value: host.toLowerCase() });
      }),
      { seed: 1123 },
    );
  });
});
