import { describe, expect, it } from 'vitest';
import { exportProblem, type ExportChoice, type ExportSource } from '../../../src/store/export';

const choice = (over: Partial<ExportChoice> = {}): ExportChoice => ({
  includeCertificate: true,
  includePrivateKey: false,
  includeChain: false,
  format: 'pem',
  preset: 'modern',
  passphrase: '',
  ...over,
});

function material(key?: { exportable: boolean }): ExportSource {
  const certificate = { sha256: 'a'.repeat(64), der: new Uint8Array([1]), friendlyName: 'Support' } as unknown as ExportSource['certificate'];
  return {
    certificate,
    privateKey: key ? (key.exportable ? 'exportable' : 'not-exportable') : 'missing',
    chain: [{ sha256: 'b'.repeat(64), der: new Uint8Array([2]) } as unknown as ExportSource['certificate']],
  };
}

describe('what the Export page refuses, and why', () => {
  it.each([
    { name: 'nothing included', c: choice({ includeCertificate: false }), m: [material()], want: /at least one/ },
    { name: 'a key that is not here', c: choice({ includePrivateKey: true, format: 'pkcs12', passphrase: 'long enough' }), m: [material()], want: /no private key/ },
    { name: 'a non-exportable key', c: choice({ includePrivateKey: true, format: 'pkcs12', passphrase: 'long enough' }), m: [material({ exportable: false })], want: /non-exportable/ },
    { name: 'a key in DER', c: choice({ includePrivateKey: true, format: 'der', passphrase: 'long enough' }), m: [material({ exportable: true })], want: /certificates only/ },
    { name: 'a short passphrase', c: choice({ includePrivateKey: true, format: 'pkcs12', passphrase: 'short' }), m: [material({ exportable: true })], want: /at least 8/ },
    { name: 'keys of two certificates', c: choice({ includePrivateKey: true, format: 'pkcs12', passphrase: 'long enough' }), m: [material({ exportable: true }), material({ exportable: true })], want: /one certificate at a time/ },
    { name: 'a chain as DER', c: choice({ includeChain: true, format: 'der' }), m: [material()], want: /exactly one certificate/ },
  ])('$name', ({ c, m, want }) => {
    expect(exportProblem(c, m, c.passphrase)).toMatch(want);
  });

  it('a passphrase that differs from its confirmation', () => {
    expect(exportProblem(choice({ format: 'pkcs12', passphrase: 'long enough' }), [material()], 'long enougH')).toMatch(/differ/);
  });

  it.each([
    choice(),
    choice({ includeChain: true, format: 'pkcs7' }),
    choice({ includePrivateKey: true, includeChain: true, format: 'pkcs12', passphrase: 'correct horse' }),
    choice({ includePrivateKey: true, format: 'pem', passphrase: 'correct horse' }),
  ])('accepts %o', (c) => {
    expect(exportProblem(c, [material({ exportable: true })], c.passphrase)).toBeUndefined();
  });
});
