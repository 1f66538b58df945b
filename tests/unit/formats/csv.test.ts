import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/core/formats/csv';
import { parseCsv } from '../../support/csv';

describe('CSV cells (RFC 4180 §2, OWASP CSV injection)', () => {
  it.each([
    { name: 'plain', input: 'support.example.com', want: 'support.example.com' },
    { name: 'comma is quoted', input: 'a, b', want: '"a, b"' },
    { name: 'quotes are doubled', input: 'say "hi"', want: '"say ""hi"""' },
    { name: 'line breaks are quoted', input: 'one\r\ntwo', want: '"one\r\ntwo"' },
    { name: '= starts a formula: prefixed', input: '=1+1', want: "'=1+1" },
    { name: '+ prefixed', input: '+49 30', want: "'+49 30" },
    { name: '- prefixed', input: '-2', want: "'-2" },
    { name: '@ prefixed', input: '@SUM(A1)', want: "'@SUM(A1)" },
    { name: 'tab prefixed', input: '\t=1', want: "'\t=1" },
    { name: 'prefixed and quoted', input: '=HYPERLINK("x","y")', want: '"\'=HYPERLINK(""x"",""y"")"' },
    { name: 'a formula character later is fine', input: 'a=b', want: 'a=b' },
    { name: 'number', input: 12, want: '12' },
    { name: 'empty', input: undefined, want: '' },
  ])('$name', ({ input, want }) => expect(csvField(input)).toBe(want));

  it('records end in CRLF and a strict reader gets back every cell', () => {
    const rows = [
      ['a, b', 'say "hi"', 'x\ny'],
      ['=cmd', undefined, 7],
    ];
    const text = toCsv(['one', 'two', 'three'], rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['one', 'two', 'three'],
      ['a, b', 'say "hi"', 'x\ny'],
      ["'=cmd", '', '7'],
    ]);
  });

  it('the strict reader refuses what RFC 4180 does not allow', () => {
    expect(() => parseCsv('a,b\n')).toThrow(/CRLF|LF/);
    expect(() => parseCsv('a,"b\r\n')).toThrow(/unclosed/);
    expect(() => parseCsv('a,b\r\nc\r\n')).toThrow(/fields/);
    expect(() => parseCsv('a,b"c\r\n')).toThrow(/quote/);
  });
});
