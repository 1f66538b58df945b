import { describe, expect, it } from 'vitest';
import { asciiLowerCase, invalidALabel, isValidALabel, toALabels } from '../../../../src/core/pki/names/idn';

describe('toALabels: UTS #46 ToASCII (non-transitional)', () => {
  it.each([
    // Known A-labels (RFC 3492 §7.1 style vectors and IANA's IDN test domains).
    ['bücher.example', 'xn--bcher-kva.example'],
    ['münchen.example', 'xn--mnchen-3ya.example'],
    ['日本語.jp', 'xn--wgv71a119e.jp'],
    ['москва.рф', 'xn--80adxhks.xn--p1ai'],
    ['παράδειγμα.δοκιμή', 'xn--hxajbheg2az3al.xn--jxalpdlp'],
    // Mapping: case folding (before encoding: Ü and ü must give one A-label).
    ['BÜCHER.example', 'xn--bcher-kva.example'],
    ['МОСКВА.РФ', 'xn--80adxhks.xn--p1ai'],
    // Mapping: width and compatibility forms.
    ['Ｅｘａｍｐｌｅ.com', 'example.com'],
    ['ﬁx.example', 'fix.example'],
    ['Ⅻ.example', 'xii.example'],
    ['bücher。example', 'xn--bcher-kva.example'],
    // Mapping: capital sharp s folds to "ss"; small sharp s is a deviation kept as is.
    ['ẞ.example', 'ss.example'],
    ['ß.example', 'xn--zca.example'],
    ['faß.de', 'xn--fa-hia.de'],
    // Ignored: the soft hyphen disappears.
    ['ex\u00adample.com', 'example.com'],
    // ASCII is only lower-cased, valid or not (hostname.ts judges the labels).
    ['XN--BCHER-KVA.Example', 'xn--bcher-kva.example'],
    ['xn--a.example', 'xn--a.example'],
  ])('%s → %s', (name, want) => expect(toALabels(name)).toBe(want));

  it.each([
    ['a\u200db.example', 'a joiner out of context (CheckJoiners)'],
    ['aשלום.example', 'both directions in one label (CheckBidi)'],
    ['bü cher.example', 'a space'],
    ['bü%63her.example', 'a percent sign the URL parser would decode'],
    ['bü/cher.example', 'URL syntax'],
    ['bü\tcher.example', 'a tab the URL parser would drop'],
    ['bücher.123', 'a number at the end (an IPv4 address to the URL parser)'],
    ['bü\u3000cher.example', 'an ideographic space'],
    ['example.com/', 'ASCII URL syntax'],
  ])('%s is refused: %s', (name) => expect(toALabels(name)).toBeUndefined());
});

describe('isValidALabel (RFC 5891 §5.4, RFC 5890 §2.3.2.1)', () => {
  it.each(['xn--bcher-kva', 'xn--mnchen-3ya', 'xn--zca', 'xn--80adxhks', 'xn--wgv71a119e'])('%s is valid', (label) => expect(isValidALabel(label)).toBe(true));
  it.each([
    ['xn--a', 'does not decode'],
    ['xn--zz9999', 'does not decode'],
    ['xn--', 'empty'],
    ['xn---', 'decodes to nothing'],
    ['xn--abc-', 'decodes to ASCII'],
    ['xn--bcher-KVA', 'not lower case (compare after asciiLowerCase)'],
    ['xn--ls8h', 'an emoji: not PVALID (RFC 5892)'],
    ['xn----7sb', 'a hyphen at the start of the U-label (RFC 5891 §4.2.3.1)'],
    ['bcher-kva', 'no xn-- prefix'],
  ])('%s is invalid: %s', (label) => expect(isValidALabel(label)).toBe(false));

  it('a whole name: the first invalid A-label, or undefined', () => {
    expect(invalidALabel('www.xn--bcher-kva.example')).toBeUndefined();
    expect(invalidALabel('www.example')).toBeUndefined();
    expect(invalidALabel('xn--bcher-kva.xn--a.example')).toBe('xn--a');
    expect(invalidALabel('xn--1ug.example')).toBe('xn--1ug'); // a lone joiner: UTS #46 refuses the name
    expect(invalidALabel('xn--bcher-2pa.example')).toBe('xn--bcher-2pa'); // "bÜcher": UTS #46 maps Ü to ü
  });
});

describe('asciiLowerCase (RFC 4343 §3)', () => {
  it('folds A–Z only', () => {
    expect(asciiLowerCase('WWW.Example.COM')).toBe('www.example.com');
    expect(asciiLowerCase('İSTANBUL.Ü')).toBe('İstanbul.Ü');
  });
});
