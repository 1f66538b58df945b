/**
 * displayName: one table per rule (UAX #9 controls, invisible characters, UTS #39 §5.1 script
 * resolution, whole-script confusables as Chromium's idn_spoof_checker.cc lists them, A-labels),
 * and what must stay unflagged (ASCII, legitimate IDNs in one script).
 */
import { describe, expect, test } from 'vitest';
import { encode as punycodeEncode } from 'punycode';
import { displayName, type NameWarningCode } from '../../../../src/core/pki/names/display';

const codes = (value: string): NameWarningCode[] => displayName(value).warnings.map((w) => w.code);

describe('bidirectional controls are flagged and made visible', () => {
  test.each([
    ['\u202A', 'U+202A', 'left-to-right embedding'],
    ['\u202B', 'U+202B', 'right-to-left embedding'],
    ['\u202C', 'U+202C', 'pop directional formatting'],
    ['\u202D', 'U+202D', 'left-to-right override'],
    ['\u202E', 'U+202E', 'right-to-left override'],
    ['\u2066', 'U+2066', 'left-to-right isolate'],
    ['\u2067', 'U+2067', 'right-to-left isolate'],
    ['\u2068', 'U+2068', 'first strong isolate'],
    ['\u2069', 'U+2069', 'pop directional isolate'],
    ['\u200E', 'U+200E', 'left-to-right mark'],
    ['\u200F', 'U+200F', 'right-to-left mark'],
    ['\u061C', 'U+061C', 'Arabic letter mark'],
  ])('%j (%s, %s)', (char, code, name) => {
    const verdict = displayName(`appliance${char}.example.test`);
    expect(verdict.text).toBe(`appliance⟨${code}⟩.example.test`);
    expect(verdict.raw).toBe(`appliance\\u${code.slice(2)}.example.test`);
    expect(verdict.warnings).toEqual([{ code: 'bidi-control', message: expect.stringContaining(`${name}, ${code}`) }]);
  });
});

describe('invisible, control and odd characters are flagged and made visible', () => {
  test.each<[string, string, NameWarningCode, string]>([
    ['\u200B', 'U+200B', 'invisible-character', 'zero-width space'],
    ['\u200C', 'U+200C', 'invisible-character', 'zero-width non-joiner'],
    ['\u200D', 'U+200D', 'invisible-character', 'zero-width joiner'],
    ['\u2060', 'U+2060', 'invisible-character', 'word joiner'],
    ['\uFEFF', 'U+FEFF', 'invisible-character', 'zero-width no-break space'],
    ['\u00AD', 'U+00AD', 'invisible-character', 'soft hyphen'],
    ['\u034F', 'U+034F', 'invisible-character', 'combining grapheme joiner'],
    ['\uFE0F', 'U+FE0F', 'invisible-character', 'variation selector'],
    ['\u{E0100}', 'U+E0100', 'invisible-character', 'variation selector'],
    ['\u{E0041}', 'U+E0041', 'invisible-character', 'tag character'],
    ['\u0600', 'U+0600', 'invisible-character', 'format character'],
    ['\u0000', 'U+0000', 'control-character', 'Control character'],
    ['\u001B', 'U+001B', 'control-character', 'Control character'],
    ['\u0085', 'U+0085', 'control-character', 'Control character'],
    ['\u2028', 'U+2028', 'control-character', 'Control character'],
    ['\u2029', 'U+2029', 'control-character', 'Control character'],
    ['\u00A0', 'U+00A0', 'unusual-space', 'Unusual space'],
    ['\u3000', 'U+3000', 'unusual-space', 'Unusual space'],
    ['\uE000', 'U+E000', 'unassigned-character', 'private-use'],
    ['\u{50000}', 'U+50000', 'unassigned-character', 'Unassigned'],
    ['\uD800', 'U+D800', 'unassigned-character', 'broken'],
  ])('%j (%s) is %s', (char, code, want, words) => {
    const verdict = displayName(`support${char}1.example.test`);
    expect(verdict.text).toBe(`support⟨${code}⟩1.example.test`);
    expect(verdict.raw).toContain('\\u');
    expect(verdict.warnings.map((w) => w.code)).toEqual([want]);
    expect(verdict.warnings[0]!.message).toContain(words);
    expect(verdict.warnings[0]!.message).toContain(code);
  });
});

describe('mixed-script labels (UTS #39 §5.1 resolved script set is empty)', () => {
  test.each([
    ['Latin with one Cyrillic а', 'аppliance.example.test', 'Cyrillic and Latin'],
    ['Latin with Cyrillic е in the middle', 'appliance.\u0435xample.test', 'Cyrillic and Latin'],
    ['Latin with Greek ο', 'g\u03BFogle.example', 'Latin and Greek'],
    ['Latin with Armenian օ', 'g\u0585ogle.example', 'Latin and Armenian'],
    ['Latin with Cherokee Ꭺ', '\u13AAppliance.example', 'Cherokee and Latin'],
    ['Cyrillic with Greek', '\u0430\u03B2.example', 'Cyrillic and Greek'],
    ['Latin and Cyrillic joined by a hyphen in one label', 'bank-\u0441\u0431\u0435\u0440.example', 'Latin and Cyrillic'],
    ['a word of a distinguished name', 'CN=\u0430pple.com, O=Example', 'Cyrillic and Latin'],
    ['a friendly name with spaces', 'Server \u0441ertificate 2026', 'Cyrillic and Latin'],
  ])('%s: %s', (_, value, scripts) => {
    const verdict = displayName(value);
    expect(verdict.warnings.map((w) => w.code)).toEqual(['mixed-script']);
    expect(verdict.warnings[0]!.message).toContain(`mixes ${scripts} letters`);
    expect(verdict.text).toBe(value);
    expect(verdict.raw).toMatch(/\\u[0-9A-F]{4}/);
  });

  test.each([
    ['Japanese: Han, Hiragana, Katakana with Latin (Highly Restrictive)', '日本語のサイトabc.jp'],
    ['Korean: Hangul and Han with Latin', '한국漢字abc.kr'],
    ['Chinese: Han and Bopomofo with Latin', '中文ㄅabc.cn'],
    ['digits and hyphens fit any script (Common)', 'москва-2026.рф'],
  ])('allowed: %s', (_, value) => expect(codes(value)).toEqual([]));
});

describe('whole-script confusables with Latin (Chromium kWholeScriptConfusables)', () => {
  test.each([
    ['Cyrillic "аррӏе" (apple)', '\u0430\u0440\u0440\u04CF\u0435.com', 'Cyrillic'],
    ['Cyrillic "ѕсоре" (scope) under an ASCII TLD', '\u0455\u0441\u043E\u0440\u0435.example.test', 'Cyrillic'],
    ['Greek "οικο"', '\u03BF\u03B9\u03BA\u03BF.example', 'Greek'],
    ['Armenian "ցօօց"? no: "օօ" (oo)', '\u0585\u0585.example', 'Armenian'],
    ['Cherokee capitals "ᎪᎬ" (AE)', '\u13AA\u13AC.example', 'Cherokee'],
    ['Cherokee small letters fold to the same', '\uAB7A\uAB7C.example', 'Cherokee'],
    ['Georgian "ოყ"', '\u10DD\u10E7.example', 'Georgian'],
    ['a word of a friendly name', 'Сертификат \u0430\u0441\u0435', 'Cyrillic'],
  ])('%s', (_, value, script) => {
    const verdict = displayName(value);
    expect(verdict.warnings.map((w) => w.code)).toEqual(['whole-script-confusable']);
    expect(verdict.warnings[0]!.message).toContain(`only with ${script} letters`);
  });

  test.each([
    ['Greek with letters that do not look Latin', 'παράδειγμα.δοκιμή'],
    ['Cyrillic that does not look Latin', 'москва.рф'],
    ['Cyrillic look-alikes under a Cyrillic TLD (the TLD is in the script)', '\u0430\u0440\u0440\u04CF\u0435.рф'],
    ['Cyrillic look-alikes under .ru (a Cyrillic ccTLD)', '\u0441\u0430\u0445\u0430\u0440.ru'],
    ['Greek look-alikes under .gr', '\u03BF\u03B9\u03BA\u03BF.gr'],
    ['Greek look-alikes under the Greek IDN ccTLD as an A-label', '\u03BF\u03B9\u03BA\u03BF.xn--qxam'],
  ])('not flagged: %s', (_, value) => expect(codes(value)).toEqual([]));
});

describe('A-labels are judged by the U-label they stand for', () => {
  test.each<[string, string, NameWarningCode]>([
    ['mixed Cyrillic and Latin', 'xn--pple-43d.example.test', 'mixed-script'],
    ['whole-script Cyrillic look-alikes', 'xn--80ak6aa92e.com', 'whole-script-confusable'],
    ['not Punycode at all', 'xn--zz.example', 'invalid-a-label'],
    ['Punycode of ASCII only (RFC 5890 §2.3.2.1: an A-label stands for non-ASCII)', 'xn--example-.test', 'invalid-a-label'],
  ])('%s: %s', (_, value, code) => {
    const verdict = displayName(value);
    expect(verdict.text).toBe(value);
    expect(verdict.raw).toBe(value);
    expect(verdict.warnings.map((w) => w.code)).toContain(code);
  });

  test('an A-label of a right-to-left override is invalid, and says what it hides', () => {
    const aLabel = `xn--${punycodeEncode('\u202Eelgoog')}`;
    const verdict = displayName(`${aLabel}.example`);
    expect(verdict.warnings.map((w) => w.code)).toEqual(['invalid-a-label', 'bidi-control']);
    expect(verdict.warnings[0]!.message).toContain('\\u202Eelgoog');
    expect(verdict.warnings[1]!.message).toContain(`The A-label "${aLabel}" stands for`);
  });

  test('a valid A-label of a legitimate IDN is not flagged', () => {
    expect(codes('xn--bcher-kva.example')).toEqual([]);
    expect(codes('xn--hxajbheg2az3al.xn--jxalpdlp')).toEqual([]);
  });
});

describe('what is shown as it is', () => {
  test.each([
    ['plain ASCII host name', 'appliance.example.test'],
    ['a wildcard', '*.example.test'],
    ['a distinguished name', 'CN=support.example.com, O=Example Corp, C=DE'],
    ['a friendly name', 'support.example.com 2026 (renewed)'],
    ['Latin with diacritics (one script)', 'bücher.example'],
    ['a German organisation', 'O=Müller & Söhne GmbH'],
    ['all-Greek IDN', 'παράδειγμα.δοκιμή'],
    ['Japanese IDN', '日本語.jp'],
    ['Arabic organisation name (one script, right-to-left without controls)', 'شركة المثال'],
    ['an empty name', ''],
  ])('%s: %j', (_, value) => {
    const verdict = displayName(value);
    expect(verdict).toEqual({ text: value, raw: /^[\x20-\x7e]*$/.test(value) ? value : expect.stringMatching(/\\u/), warnings: [] });
  });

  test('raw escapes every character outside printable ASCII, and the backslash', () => {
    expect(displayName('a\\b\u00FC\u{1F600}').raw).toBe('a\\\\b\\u00FC\\u{1F600}');
  });
});

describe('regressions (issue 12, Display and leaks)', () => {
  test('a right-to-left-override CN no longer displays as "appliance.example.test"', () => {
    const cn = '\u202Etset.elpmaxe.ecnailppa';
    const verdict = displayName(cn);
    expect(verdict.text).toBe('⟨U+202E⟩tset.elpmaxe.ecnailppa');
    expect(verdict.raw).toBe('\\u202Etset.elpmaxe.ecnailppa');
    expect(verdict.warnings.map((w) => w.code)).toEqual(['bidi-control']);
  });

  test('a Cyrillic-homoglyph CN is flagged as mixing Cyrillic and Latin', () => {
    const verdict = displayName('\u0430ppliance.example.test');
    expect(verdict.text).toBe('\u0430ppliance.example.test');
    expect(verdict.raw).toBe('\\u0430ppliance.example.test');
    expect(verdict.warnings).toEqual([{ code: 'mixed-script', message: expect.stringContaining('mixes Cyrillic and Latin letters') }]);
  });
});
