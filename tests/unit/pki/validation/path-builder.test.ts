import { describe, expect, it } from 'vitest';
import { Budget, BudgetExhausted } from '../../../../src/core/pki/validation/budget';
import { buildPath } from '../../../../src/core/pki/validation/path-builder';
import { CertificatePool } from '../../../../src/core/pki/validation/pool';
import { verifyCertificateSignature } from '../../../../src/core/pki/signatures';
import { MalformedCertificateError, nameToString, parseCertificate, parseSpki, type Certificate } from '../../../../src/core/pki/x509';
import { fixture } from '../../../support/fixtures';
import { limits } from '../../../../src/core/pki/limits';
import { bytes, der, makeCert, makeFamily, makeKeys } from '../chain-fixtures';

describe('parseCertificate for chains', () => {
  it.each(['rsa', 'ec'])('reads the openssl-set %s certificates', (family) => {
    const leaf = parseCertificate(fixture('openssl-set', family, 'server.der'));
    const ica = parseCertificate(fixture('openssl-set', family, 'ica.der'));
    const root = parseCertificate(fixture('openssl-set', family, 'root.der'));
    expect(nameToString(leaf.subject)).toBe('C=XX, O=Certdesk Appliance, CN=appliance.example.test');
    expect(leaf.issuerKey).toBe(ica.subjectKey);
    expect(ica.issuerKey).toBe(root.subjectKey);
    expect(root.selfIssued).toBe(true);
    expect(leaf.selfIssued).toBe(false);
    expect(leaf.version).toBe(3);
    expect(new Date(leaf.notAfter.seconds * 1000).toISOString()).toBe('2027-06-01T00:00:00.000Z');
    expect(leaf.extensionsByOid.get('2.5.29.19')?.critical).toBe(true);
  });

  it.each([
    ['empty input', new Uint8Array(0)],
    ['a bare SEQUENCE', bytes(0x30, 0x00)],
    ['trailing bytes after a certificate', new Uint8Array([...fixture('openssl-set', 'ec', 'root.der'), 0])],
    ['a truncated certificate', fixture('openssl-set', 'ec', 'root.der').subarray(0, 300)],
    ['a public key', fixture('openssl-set', 'ec', 'server.pkcs8.der')],
  ])('refuses %s', (_name, input) => {
    expect(() => parseCertificate(input)).toThrow(MalformedCertificateError);
  });

  it('compares names case- and space-insensitively (RFC 5280 §7.1)', async () => {
    const a = parseCertificate((await makeCert({ subject: 'CN=Example  CA, O=Test' })).der);
    const b = parseCertificate((await makeCert({ subject: 'CN=example ca, O=TEST' })).der);
    const c = parseCertificate((await makeCert({ subject: 'CN=example cb, O=TEST' })).der);
    expect(a.subjectKey).toBe(b.subjectKey);
    expect(a.subjectKey).not.toBe(c.subjectKey);
  });

  it('records a repeated extension', async () => {
    const x509 = await import('@peculiar/x509');
    const made = await makeCert({ subject: 'CN=dup', san: ['dns:dup.example'], extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature)] });
    expect(parseCertificate(made.der).duplicateExtensions).toEqual(['2.5.29.15']);
  });
});

describe('verifyCertificateSignature', () => {
  it.each(['rsa', 'ec'])('verifies the openssl-set %s chain links', async (family) => {
    const [leaf, ica, root] = ['server', 'ica', 'root'].map((n) => parseCertificate(fixture('openssl-set', family, `${n}.der`))) as [Certificate, Certificate, Certificate];
    expect(await verifyCertificateSignature(leaf, ica)).toEqual({ ok: true });
    expect(await verifyCertificateSignature(ica, root)).toEqual({ ok: true });
    expect(await verifyCertificateSignature(root, root)).toEqual({ ok: true });
    expect(await verifyCertificateSignature(leaf, root)).toMatchObject({ ok: false, code: 'bad-signature' });
  });

  it('fails a tampered signature', async () => {
    const f = await makeFamily();
    const der = f.leaf.der.slice();
    der[der.length - 5] = der[der.length - 5]! ^ 1;
    expect(await verifyCertificateSignature(parseCertificate(der), parseCertificate(f.ica.der))).toMatchObject({ ok: false });
  });

  it('refuses an RSA signature checked with an EC key', async () => {
    const rsa = await makeFamily('rsa2048');
    const ec = await makeFamily();
    expect(await verifyCertificateSignature(parseCertificate(rsa.leaf.der), parseCertificate(ec.ica.der))).toMatchObject({ ok: false, code: 'bad-signature' });
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
    const leaf = parseCertificate(f.leaf.der);
    const issuer = parseSpki(spki);
    const start = performance.now();
    expect(await verifyCertificateSignature(leaf, issuer)).toMatchObject({ ok: false, code: 'unsupported-key' });
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
    const issuer = parseSpki(der(0x30, algorithm, der(0x03, new Uint8Array([0, ...rsaKey]))));
    expect(await verifyCertificateSignature(parseCertificate(f.leaf.der), issuer)).toMatchObject({ ok: false, code: 'bad-signature' });
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
    const { buildAndValidate } = await import('../../../../src/core/pki/validation/path-validation');
    const result = await buildAndValidate(leaf.der, { intermediates: [genuine.der, forged], roots: [root.der] }, { time: new Date('2026-06-01T00:00:00Z') });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.code)).toContain('expired');
  });


  const accept = { checkIntermediate: () => ({ ok: true, problems: [] }), checkAnchor: () => ({ ok: true, problems: [] }), checkLink: () => ({ ok: true, problems: [] }), checkPath: () => ({ ok: true, problems: [] }) };

  it('never repeats a (subject, key) pair, even through a same-subject same-key loop', async () => {
    const keys = await makeKeys();
    const a = await makeCert({ subject: 'CN=Same', keys });
    const b = await makeCert({ subject: 'CN=Same', keys, issuer: a });
    const leaf = await makeCert({ subject: 'CN=leaf.example', issuer: b, san: ['dns:leaf.example'] });
    const outcome = await buildPath(parseCertificate(leaf.der), new CertificatePool(), new CertificatePool([a, b].map((c) => parseCertificate(c.der))), accept, { maxIntermediates: 6 });
    expect(outcome.path).toBeUndefined();
    expect(outcome.longest).toHaveLength(2);
    expect(outcome.budgetExhausted).toBeUndefined();
  });

  it('dedupes identical certificates in a pool', () => {
    const der = fixture('openssl-set', 'ec', 'ica.der');
    const pool = new CertificatePool([parseCertificate(der)]);
    expect(pool.add(parseCertificate(der.slice()))).toBe(false);
    expect(pool.all()).toHaveLength(1);
  });
});
