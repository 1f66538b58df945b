import { describe, expect, it } from 'vitest';
import {
  Budget,
  BudgetExhausted,
  buildPath,
  CertificatePool,
  DerError,
  nameToString,
  oidToString,
  parseChainCertificate,
  readTlv,
  verifySignature,
  type ChainCertificate,
} from '../../../src/core/pki/chain';
import { fixture } from '../../support/fixtures';
import { limits } from '../../../src/core/pki/limits';
import { bytes, der, makeCert, makeFamily, makeKeys } from './chain-fixtures';

describe('readTlv accepts only DER', () => {
  it.each([
    ['indefinite length', bytes(0x30, 0x80, 0, 0)],
    ['non-minimal long length', bytes(0x04, 0x81, 0x05, 1, 2, 3, 4, 5)],
    ['length with a leading zero byte', bytes(0x04, 0x82, 0x00, 0x80, ...new Array(128).fill(0))],
    ['length past the end', bytes(0x04, 0x05, 1, 2)],
    ['truncated header', bytes(0x30)],
    ['multi-byte tag', bytes(0x1f, 0x81, 0x01, 0x00)],
    ['5-byte length', bytes(0x04, 0x85, 1, 0, 0, 0, 0)],
  ])('%s is refused', (_name, input) => {
    expect(() => readTlv(input, 0)).toThrow(DerError);
  });

  it('reads a long-form length', () => {
    const input = bytes(0x04, 0x81, 0x80, ...new Array(128).fill(7));
    expect(readTlv(input, 0)).toEqual({ tag: 4, start: 0, contentStart: 3, end: 131 });
  });

  it.each([
    [bytes(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b), '1.2.840.113549.1.1.11'],
    [bytes(0x55, 0x1d, 0x13), '2.5.29.19'],
    [bytes(0x88, 0x37), '2.999'],
  ])('oidToString %#', (input, want) => expect(oidToString(input)).toBe(want));

  it('refuses a non-minimal OID arc', () => expect(() => oidToString(bytes(0x55, 0x80, 0x1d))).toThrow(DerError));
});

describe('parseChainCertificate', () => {
  it.each(['rsa', 'ec'])('reads the openssl-set %s certificates', (family) => {
    const leaf = parseChainCertificate(fixture('openssl-set', family, 'server.der'));
    const ica = parseChainCertificate(fixture('openssl-set', family, 'ica.der'));
    const root = parseChainCertificate(fixture('openssl-set', family, 'root.der'));
    expect(nameToString(leaf.subject)).toBe('C=XX, O=Certdesk Appliance, CN=appliance.example.test');
    expect(leaf.issuerKey).toBe(ica.subjectKey);
    expect(ica.issuerKey).toBe(root.subjectKey);
    expect(root.selfIssued).toBe(true);
    expect(leaf.selfIssued).toBe(false);
    expect(leaf.version).toBe(3);
    expect(new Date(leaf.notAfter * 1000).toISOString()).toBe('2027-06-01T00:00:00.000Z');
    expect(leaf.extensions.get('2.5.29.19')?.critical).toBe(true);
  });

  it.each([
    ['empty input', new Uint8Array(0)],
    ['a bare SEQUENCE', bytes(0x30, 0x00)],
    ['trailing bytes after a certificate', new Uint8Array([...fixture('openssl-set', 'ec', 'root.der'), 0])],
    ['a truncated certificate', fixture('openssl-set', 'ec', 'root.der').subarray(0, 300)],
    ['a public key', fixture('openssl-set', 'ec', 'server.pkcs8.der')],
  ])('refuses %s', (_name, input) => {
    expect(() => parseChainCertificate(input)).toThrow(DerError);
  });

  it('compares names case- and space-insensitively (RFC 5280 §7.1)', async () => {
    const a = parseChainCertificate((await makeCert({ subject: 'CN=Example  CA, O=Test' })).der);
    const b = parseChainCertificate((await makeCert({ subject: 'CN=example ca, O=TEST' })).der);
    const c = parseChainCertificate((await makeCert({ subject: 'CN=example cb, O=TEST' })).der);
    expect(a.subjectKey).toBe(b.subjectKey);
    expect(a.subjectKey).not.toBe(c.subjectKey);
  });

  it('records a repeated extension', async () => {
    const x509 = await import('@peculiar/x509');
    const made = await makeCert({ subject: 'CN=dup', san: ['dns:dup.example'], extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature)] });
    expect(parseChainCertificate(made.der).duplicateExtensions).toEqual(['2.5.29.15']);
  });
});

describe('verifySignature', () => {
  it.each(['rsa', 'ec'])('verifies the openssl-set %s chain links', async (family) => {
    const [leaf, ica, root] = ['server', 'ica', 'root'].map((n) => parseChainCertificate(fixture('openssl-set', family, `${n}.der`))) as [ChainCertificate, ChainCertificate, ChainCertificate];
    expect(await verifySignature(leaf, ica)).toEqual({ ok: true });
    expect(await verifySignature(ica, root)).toEqual({ ok: true });
    expect(await verifySignature(root, root)).toEqual({ ok: true });
    expect(await verifySignature(leaf, root)).toMatchObject({ ok: false, code: 'bad-signature' });
  });

  it('fails a tampered signature', async () => {
    const f = await makeFamily();
    const der = f.leaf.der.slice();
    der[der.length - 5] = der[der.length - 5]! ^ 1;
    expect(await verifySignature(parseChainCertificate(der), parseChainCertificate(f.ica.der))).toMatchObject({ ok: false });
  });

  it('refuses an RSA signature checked with an EC key', async () => {
    const rsa = await makeFamily('rsa2048');
    const ec = await makeFamily();
    expect(await verifySignature(parseChainCertificate(rsa.leaf.der), parseChainCertificate(ec.ica.der))).toMatchObject({ ok: false, code: 'bad-signature' });
  });
});

describe('RSA keys are checked before any arithmetic', () => {
  /** An RSA SubjectPublicKeyInfo with a `bits`-bit modulus and the given exponent bytes. */
  function rsaSpki(bits: number, exponent: number[]): Uint8Array {
    const modulus = new Uint8Array(bits / 8).fill(0xab);
    modulus[0] = 0xc5;
    const rsaKey = der(0x30, der(0x02, new Uint8Array([0, ...modulus])), der(0x02, new Uint8Array(exponent)));
    const algorithm = der(0x30, der(0x06, bytes(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01)), der(0x05));
    return der(0x30, algorithm, der(0x03, new Uint8Array([0, ...rsaKey])));
  }

  it.each([
    ['a modulus over 8192 bits', rsaSpki(8200, [1, 0, 1])],
    ['exponent 1', rsaSpki(2048, [1])],
    ['an even exponent', rsaSpki(2048, [1, 0, 0])],
    ['a huge exponent', rsaSpki(2048, new Array(256).fill(0x7f))],
  ])('%s is refused as unsupported-key', async (_name, spki) => {
    const f = await makeFamily('rsa2048');
    const leaf = parseChainCertificate(f.leaf.der);
    const issuer = { ...parseChainCertificate(f.ica.der), spki };
    const start = performance.now();
    expect(await verifySignature(leaf, issuer)).toMatchObject({ ok: false, code: 'unsupported-key' });
    expect(performance.now() - start).toBeLessThan(50);
  });
});

describe('RSA key size limit', () => {
  it('an 8192-bit issuer key is checked (and here simply does not verify)', async () => {
    const f = await makeFamily('rsa2048');
    const modulus = new Uint8Array(1024).fill(0xab);
    modulus[0] = 0xc5;
    const rsaKey = der(0x30, der(0x02, new Uint8Array([0, ...modulus])), der(0x02, bytes(1, 0, 1)));
    const algorithm = der(0x30, der(0x06, bytes(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01)), der(0x05));
    const issuer = { ...parseChainCertificate(f.ica.der), spki: der(0x30, algorithm, der(0x03, new Uint8Array([0, ...rsaKey]))) };
    expect(await verifySignature(parseChainCertificate(f.leaf.der), issuer)).toMatchObject({ ok: false, code: 'bad-signature' });
  });
});

describe('Budget (limits.ts), at each limit and one past it', () => {
  it.each([
    ['signature checks', limits.maxChainSignatureChecks, (b: Budget) => b.spendSignatureCheck()],
    ['path-building calls', limits.maxPathBuildCalls, (b: Budget) => b.spendBuildCall()],
    ['name-constraint comparisons', limits.maxNameConstraintChecks, (b: Budget) => b.spendNameConstraintChecks(1)],
  ] as const)('%s: %i allowed', (_name, limit, spend) => {
    const budget = new Budget();
    for (let i = 0; i < limit; i++) spend(budget);
    expect(() => spend(budget)).toThrow(BudgetExhausted);
  });
});

describe('buildPath', () => {
  it('does not reuse a verification for another certificate with the same key and signature', async () => {
    const root = await makeCert({ subject: 'CN=Forgery Root' });
    const keys = await makeKeys();
    const genuine = await makeCert({ subject: 'CN=Forgery ICA', issuer: root, keys, notAfter: new Date('2026-05-01T00:00:00Z') });
    // The same certificate with its expiry moved a year on and the original signature kept.
    const text = Buffer.from(genuine.der).toString('latin1').replace('260501000000Z', '270501000000Z');
    const forged = new Uint8Array(Buffer.from(text, 'latin1'));
    expect(forged).not.toEqual(genuine.der);
    const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: genuine, san: ['dns:appliance.example.test'], notAfter: new Date('2027-01-01T00:00:00Z') });
    const { buildAndValidate } = await import('../../../src/core/pki/path-validation');
    const result = await buildAndValidate(leaf.der, { intermediates: [genuine.der, forged], roots: [root.der] }, { time: new Date('2026-06-01T00:00:00Z') });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.code)).toContain('expired');
  });


  const accept = { checkIntermediate: () => ({ ok: true, problems: [] }), checkAnchor: () => ({ ok: true, problems: [] }), checkPath: () => ({ ok: true, problems: [] }) };

  it('never repeats a (subject, key) pair, even through a same-subject same-key loop', async () => {
    const keys = await makeKeys();
    const a = await makeCert({ subject: 'CN=Same', keys });
    const b = await makeCert({ subject: 'CN=Same', keys, issuer: a });
    const leaf = await makeCert({ subject: 'CN=leaf.example', issuer: b, san: ['dns:leaf.example'] });
    const outcome = await buildPath(parseChainCertificate(leaf.der), new CertificatePool(), new CertificatePool([a, b].map((c) => parseChainCertificate(c.der))), accept, { maxIntermediates: 6 });
    expect(outcome.path).toBeUndefined();
    expect(outcome.longest).toHaveLength(2);
    expect(outcome.budgetExhausted).toBeUndefined();
  });

  it('dedupes identical certificates in a pool', () => {
    const der = fixture('openssl-set', 'ec', 'ica.der');
    const pool = new CertificatePool([parseChainCertificate(der)]);
    expect(pool.add(parseChainCertificate(der.slice()))).toBe(false);
    expect(pool.all()).toHaveLength(1);
  });
});
