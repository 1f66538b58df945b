import { describe, expect, it } from 'vitest';
import { encodePem, parsePem } from '../../../src/core/pki/pem';
import fc from 'fast-check';
import { base64ToBytes, bytesToBase64, isBase64, readBase64, toHex } from '../../../src/core/pki/asn1/bytes';
import { CertdeskError } from '../../../src/core/errors';
import { fixture, fixtureText } from '../../support/fixtures';

const rootPem = fixtureText('openssl-set', 'rsa', 'root.pem');
const rootDer = fixture('openssl-set', 'rsa', 'root.der');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CertdeskError ? error.code : `not a CertdeskError: ${String(error)}`;
  }
  return undefined;
}

describe('parsePem', () => {
  const ok: { name: string; text: string; labels: string[] }[] = [
    { name: 'LF endings', text: rootPem, labels: ['CERTIFICATE'] },
    { name: 'CRLF endings', text: rootPem.replace(/\n/g, '\r\n'), labels: ['CERTIFICATE'] },
    { name: 'CR endings', text: rootPem.replace(/\n/g, '\r'), labels: ['CERTIFICATE'] },
    { name: 'text around the block (openssl Bag Attributes)', text: `Bag Attributes\n    localKeyID: 01 02\nsubject=CN = x\n${rootPem}trailing words\n`, labels: ['CERTIFICATE'] },
    { name: 'indented base64 lines and blank lines', text: rootPem.replace(/\n(?!-)/g, '\n   \n  '), labels: ['CERTIFICATE'] },
    { name: 'several blocks', text: fixtureText('openssl-set', 'rsa', 'server-fullchain.pem'), labels: ['CERTIFICATE', 'CERTIFICATE', 'CERTIFICATE'] },
    { name: 'no blocks', text: 'hello', labels: [] },
  ];
  for (const c of ok) {
    it(`reads ${c.name}`, () => {
      const blocks = parsePem(c.text);
      expect(blocks.map((b) => b.label)).toEqual(c.labels);
      if (c.labels.length === 1) expect(toHex(blocks[0]!.der)).toBe(toHex(rootDer));
    });
  }

  const body = rootPem.split('\n').slice(1, -2).join('\n');
  const bad: { name: string; text: string; code: string }[] = [
    { name: 'mismatched labels', text: `-----BEGIN CERTIFICATE-----\n${body}\n-----END PRIVATE KEY-----\n`, code: 'pem-label-mismatch' },
    { name: 'no END line', text: `-----BEGIN CERTIFICATE-----\n${body}\n`, code: 'pem-unterminated' },
    { name: 'a BEGIN before the END', text: `-----BEGIN CERTIFICATE-----\n${body}\n${rootPem}`, code: 'pem-unterminated' },
    { name: 'junk inside the base64', text: `-----BEGIN CERTIFICATE-----\n${body.slice(0, 100)}!*${body.slice(100)}\n-----END CERTIFICATE-----\n`, code: 'pem-invalid-base64' },
    { name: 'en dashes in the armour', text: rootPem.replace(/-----/g, '–––––'), code: 'pem-lookalike-dashes' },
    { name: 'em dashes in the armour', text: rootPem.replace(/-----/g, '—————'), code: 'pem-lookalike-dashes' },
    {
      name: 'legacy encrypted PEM headers',
      text: `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n${body}\n-----END RSA PRIVATE KEY-----\n`,
      code: 'pem-encrypted-legacy',
    },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}`, () => {
      expect(codeOf(() => parsePem(c.text))).toBe(c.code);
    });
  }
});

describe('base64 and PEM writing', () => {
  it('round-trips every length 0…40', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(toHex(base64ToBytes(text))).toBe(toHex(bytes));
    }
  });

  it('writes 64-character lines that parse back byte-exact', () => {
    const pem = encodePem('CERTIFICATE', rootDer);
    const lines = pem.trimEnd().split('\n');
    expect(lines.slice(1, -2).every((l) => l.length === 64)).toBe(true);
    expect(pem).toBe(rootPem);
  });

  it('tells base64 from other text', () => {
    expect(isBase64('TWFu')).toBe(true);
    expect(isBase64('TWE=')).toBe(true);
    expect(isBase64('TWFuT')).toBe(false);
    expect(isBase64('<html>')).toBe(false);
    expect(isBase64('')).toBe(false);
  });

  // The definition, written the obvious way (the alphabet, at most two "=" at the end, never 4n + 1
  // digits), and the bytes as Node's Buffer decodes them.
  function reference(text: string): string | undefined {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
    return Buffer.from(text, 'base64').toString('hex');
  }
  const base64ish = fc.string({ unit: fc.constantFrom(...'AQgw+/9z=  \t\r\n-é'.split('')), maxLength: 80 });

  it('reads base64 exactly as its definition says, on random text (10,000 cases)', () => {
    fc.assert(
      fc.property(base64ish, (text) => {
        const read = readBase64(text);
        expect(read === undefined ? undefined : toHex(read)).toBe(reference(text));
        const skipping = readBase64(text, { skipWhitespace: true });
        expect(skipping === undefined ? undefined : toHex(skipping)).toBe(reference(text.replace(/[ \t\r\n]/g, '')));
      }),
      { numRuns: 10_000, seed: 1130 },
    );
  });

  it('reads real base64 of every length 1…200 bytes, with PEM line breaks anywhere', () => {
    for (let n = 1; n <= 200; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff);
      const text = Buffer.from(bytes).toString('base64');
      const broken = text.replace(/(.{1,64})/g, (line, _m, at: number) => (at % 3 ? line + '\r\n' : line + ' \t\n'));
      expect(toHex(readBase64(broken, { skipWhitespace: true })!)).toBe(toHex(bytes));
      expect(readBase64(broken)).toBeUndefined();
    }
  });

  it('answers alike where the platform decoder and the definition part ways', () => {
    // A form feed is no PEM whitespace (RFC 7468 §3 names spaces, tabs and line ends); atob skips it.
    expect(readBase64('QUJD\fRA==', { skipWhitespace: true })).toBeUndefined();
    // Padding short of a whole group: allowed by the definition, refused by atob.
    expect(toHex(readBase64('QQ=')!)).toBe('41');
    expect(toHex(readBase64('QUJD=')!)).toBe('414243');
    // Whitespace where none may be, and nothing at all.
    expect(readBase64('QUJD\nRA==')).toBeUndefined();
    expect(readBase64(' \n', { skipWhitespace: true })).toBeUndefined();
  });
});
