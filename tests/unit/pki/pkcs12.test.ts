import { describe, expect, it } from 'vitest';
import { CertdeskError } from '../../../src/core/errors';
import { limits } from '../../../src/core/pki/limits';
import { importPkcs12, isPkcs12, type Pkcs12Contents } from '../../../src/core/pki/pkcs12';
import { hmacWork, pkcs12KdfWork } from '../../../src/core/pki/pkcs12/budget';
import { hashByName } from '../../../src/core/pki/pkcs12/hashes';
import { children, der, encodingOf, readAlgorithm, readDer, readOid, type Tlv } from '../../../src/core/pki/asn1';
import { fixture, fixtureText } from '../../support/fixtures';
import { codeOf } from '../../support/errors';

/** Length of the authenticated safe's content octets (what the MAC covers). */
function authSafeLength(pfx: Uint8Array): number {
  const octets = children(children(children(readDer(pfx, 'ber'))[1]!)[1]!)[0]!;
  return octets.contentEnd - octets.contentStart;
}

const readSingle = (bytes: Uint8Array, _what: string): Tlv => readDer(bytes, 'ber');
const expectSequence = (tlv: Tlv | undefined, _what: string): Tlv[] => children(tlv!);
const childrenOf = (tlv: Tlv): Tlv[] => children(tlv);
const oidOf = (tlv: Tlv | undefined, what: string): string => readOid(tlv, what);

// ---------------------------------------------------------------------------------------------
// Helpers: PEM, public keys of PKCS#8 keys and certificates (WebCrypto), hand-built PKCS#12.

function pemBlocks(text: string): Uint8Array[] {
  return [...text.matchAll(/-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/g)].map(
    (m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')),
  );
}

const curves: Record<string, string> = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384', '1.3.132.0.35': 'P-521' };

/** The SubjectPublicKeyInfo of a PKCS#8 private key, derived by WebCrypto. */
async function publicKeyOf(pkcs8: Uint8Array): Promise<Uint8Array> {
  const parts = expectSequence(readSingle(pkcs8, 'key'), 'key');
  const alg = readAlgorithm(parts[1], 'key algorithm');
  let params: RsaHashedImportParams | EcKeyImportParams;
  if (alg.oid === '1.2.840.113549.1.1.1') params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  else if (alg.oid === '1.2.840.10045.2.1') params = { name: 'ECDSA', namedCurve: curves[oidOf(alg.params, 'curve')]! };
  else throw new Error(`unexpected key algorithm ${alg.oid}`);
  const priv = await crypto.subtle.importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, params, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', priv);
  for (const f of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) delete jwk[f];
  jwk.key_ops = ['verify'];
  const pub = await crypto.subtle.importKey('jwk', jwk, params, true, ['verify']);
  return new Uint8Array(await crypto.subtle.exportKey('spki', pub));
}

/** The SubjectPublicKeyInfo inside a DER certificate (RFC 5280 §4.1). */
function certificatePublicKey(der: Uint8Array): Uint8Array {
  const tbs = expectSequence(expectSequence(readSingle(der, 'cert'), 'cert')[0], 'tbs');
  const offset = tbs[0]!.tag === 0xa0 ? 1 : 0;
  return encodingOf(tbs[offset + 5]!).slice();
}

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');

/** Every key must match a certificate: the given one, or (without one) some certificate of the file. */
async function expectKeysMatch(contents: Pkcs12Contents, expectedCert?: Uint8Array): Promise<void> {
  const certKeys = (expectedCert ? [expectedCert] : contents.certificates.map((c) => c.value)).map((c) =>
    hex(certificatePublicKey(c)),
  );
  for (const key of contents.keys) {
    const publicKey = hex(await publicKeyOf(key.value)); // a usable key in any case
    if (certKeys.length) expect(certKeys).toContain(publicKey);
  }
}

const P12 = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  certBag: '1.2.840.113549.1.12.10.1.3',
  secretBag: '1.2.840.113549.1.12.10.1.5',
  x509: '1.2.840.113549.1.9.22.1',
};

const dataInfo = (content: Uint8Array) => der.sequence(der.oid(P12.data), der.tlv(0xa0, der.octetString(content)));
const certBag = (cert: Uint8Array) =>
  der.sequence(der.oid(P12.certBag), der.tlv(0xa0, der.sequence(der.oid(P12.x509), der.tlv(0xa0, der.octetString(cert)))));
const keyBag = (pkcs8: Uint8Array) => der.sequence(der.oid(P12.keyBag), der.tlv(0xa0, pkcs8));

/** An unencrypted PFX without MAC, holding these bags in one SafeContents, plus optional MacData. */
function plainPfx(bags: Uint8Array[], macData?: Uint8Array, extraInfos: Uint8Array[] = []): Uint8Array {
  const authSafe = der.sequence(dataInfo(der.sequence(...bags)), ...extraInfos);
  return der.sequence(der.integer(3), dataInfo(authSafe), ...(macData ? [macData] : []));
}

/** MacData with a SHA-1 MAC (value not checked by the tests that use it) and this iteration encoding. */
function macData(iterations: Uint8Array, digestOid = '1.3.14.3.2.26'): Uint8Array {
  return der.sequence(
    der.sequence(der.sequence(der.oid(digestOid), der.nullValue()), der.octetString(new Uint8Array(20))),
    der.octetString(new Uint8Array(8)),
    iterations,
  );
}

/** An EncryptedData ContentInfo under pbeWithSHAAnd3-KeyTripleDES-CBC (content irrelevant). */
function encryptedInfo(iterations: number, algOid = '1.2.840.113549.1.12.1.3'): Uint8Array {
  const alg = der.sequence(der.oid(algOid), der.sequence(der.octetString(new Uint8Array(8)), der.integer(iterations)));
  return der.sequence(
    der.oid(P12.encryptedData),
    der.tlv(0xa0, der.sequence(der.integer(0), der.sequence(der.oid(P12.data), alg, der.tlv(0x80, new Uint8Array(16))))),
  );
}

const serverPem = fixtureText('openssl-set', 'rsa', 'server.pem');
const serverCert = pemBlocks(serverPem)[0]!;
const serverKey = pemBlocks(fixtureText('openssl-set', 'rsa', 'server.pkcs8.pem'))[0]!;

// ---------------------------------------------------------------------------------------------
// The third-party corpus: ../shared/fixtures/pkcs12/README.md gives password and outcome per file.

interface LoadCase {
  file: string;
  password: string | null;
  keys: number;
  certs: number;
  integrity: Pkcs12Contents['integrity'];
  /** PEM file the keys must match (else: some certificate of the file). */
  keyCert?: string;
  keyNames?: (string | undefined)[];
  certNames?: (string | undefined)[];
}

const pyca = 'pkcs12/pyca-cryptography-vectors-38.0.4';
const pycaCa = `${pyca}/expected/ca.pem`;
const pycaRaw: LoadCase[] = [
  { file: 'cert-aes256cbc-no-key.p12', password: 'cryptography', keys: 0, certs: 1, integrity: 'mac' },
  { file: 'cert-key-aes256cbc.p12', password: 'cryptography', keys: 1, certs: 1, integrity: 'mac', keyCert: pycaCa },
  { file: 'cert-none-key-none.p12', password: 'cryptography', keys: 1, certs: 1, integrity: 'mac', keyCert: pycaCa },
  { file: 'cert-rc2-key-3des.p12', password: 'cryptography', keys: 1, certs: 1, integrity: 'mac', keyCert: pycaCa },
  { file: 'no-cert-key-aes256cbc.p12', password: 'cryptography', keys: 1, certs: 0, integrity: 'mac', keyCert: pycaCa },
  { file: 'no-password.p12', password: null, keys: 1, certs: 1, integrity: 'mac', keyCert: pycaCa, certNames: ['cryptography CA'] },
  ...['1', '2', '2-3', '3', 'all', 'unicode'].flatMap((n): LoadCase[] =>
    (['no-pwd', 'pwd'] as const).map((p) => ({
      file: `name-${n}-${p}.p12`,
      password: p === 'pwd' ? 'password' : null,
      keys: 1,
      certs: 3,
      integrity: 'mac',
      keyCert: pycaCa,
      ...(n === 'unicode' ? { keyNames: ['☺'], certNames: ['☺', 'ä', 'ç'] } : {}),
      ...(n === 'all' ? { keyNames: ['name'], certNames: ['name', 'name2', 'name3'] } : {}),
    })),
  ),
  ...['2', '3', 'all', 'unicode'].flatMap((n): LoadCase[] =>
    (['no-pwd', 'pwd'] as const).map((p) => ({
      file: `no-cert-name-${n}-${p}.p12`,
      password: p === 'pwd' ? 'password' : null,
      keys: 0,
      certs: 2,
      integrity: 'mac',
      ...(n === 'unicode' ? { certNames: ['☹', 'ï'] } : {}),
    })),
  ),
  { file: 'no-cert-no-name-no-pwd.p12', password: null, keys: 0, certs: 2, integrity: 'mac' },
  { file: 'no-cert-no-name-pwd.p12', password: 'password', keys: 0, certs: 2, integrity: 'mac' },
  { file: 'no-name-no-pwd.p12', password: null, keys: 1, certs: 3, integrity: 'mac', keyCert: pycaCa },
  { file: 'no-name-pwd.p12', password: 'password', keys: 1, certs: 3, integrity: 'mac', keyCert: pycaCa },
];
const pycaCases: LoadCase[] = pycaRaw.map((c) => ({ ...c, file: `${pyca}/${c.file}` }));

const ossl = 'pkcs12/openssl-3.5.7-tests';
const opensslLoad: LoadCase[] = [
  { file: `${ossl}/nomac_parse.p12`, password: 'testpassword', keys: 0, certs: 0, integrity: 'none' },
  { file: `${ossl}/shibboleth.pfx`, password: 'σύνθημα γνώρισμα', keys: 1, certs: 1, integrity: 'mac' },
  { file: `${ossl}/v3-certs-RC2.p12`, password: 'v3-certs', keys: 0, certs: 2, integrity: 'mac' },
  { file: `${ossl}/v3-certs-TDES.p12`, password: 'v3-certs', keys: 0, certs: 2, integrity: 'mac' },
  ...[
    'pbmac1_256_256.good.p12',
    'pbmac1_256_256.good-shorter-key-len.p12',
    'pbmac1_512_256.good.p12',
    'pbmac1_512_512.good.p12',
    'pbmac1_sha1_hmac_and_prf.p12',
  ].map((f): LoadCase => ({ file: `${ossl}/${f}`, password: '1234', keys: 1, certs: 1, integrity: 'pbmac1' })),
];

const forge = 'pkcs12/node-forge-tests';
const go = 'pkcs12/go-pkcs12-tests';
const otherLoad: LoadCase[] = [
  { file: `${forge}/p12certonly.p12`, password: null, keys: 0, certs: 1, integrity: 'none' },
  { file: `${forge}/p12ecdsa.p12`, password: '123321', keys: 1, certs: 1, integrity: 'mac', keyNames: ['ECDSA certificate'] },
  { file: `${forge}/p12enckeyonly.p12`, password: 'nopass', keys: 1, certs: 0, integrity: 'none' },
  { file: `${forge}/p12encmixed.p12`, password: '123456', keys: 2, certs: 6, integrity: 'mac', keyNames: ['encryptionkey', 'signaturekey'] },
  { file: `${forge}/p12keyonly.p12`, password: null, keys: 1, certs: 0, integrity: 'none' },
  { file: `${go}/chain-pbes2-pw-password.p12`, password: 'password', keys: 1, certs: 1, integrity: 'mac' },
  { file: `${go}/testing-example-emptypw.p12`, password: '', keys: 1, certs: 1, integrity: 'mac' },
  { file: `${go}/testing-example-emptypw.p12`, password: null, keys: 1, certs: 1, integrity: 'mac' },
  // Windows writes a NUL-terminated friendlyName; the NUL is dropped.
  { file: `${go}/windows-azure-tools-nullpw.p12`, password: null, keys: 1, certs: 1, integrity: 'mac', certNames: ["Paul's Playground-10-2-2014-credentials"] },
  { file: `${go}/windows-azure-tools-nullpw.p12`, password: '', keys: 1, certs: 1, integrity: 'mac' },
];

async function checkLoad(c: LoadCase): Promise<void> {
  const contents = await importPkcs12(fixture(...c.file.split('/')), c.password);
  expect(contents.keys).toHaveLength(c.keys);
  expect(contents.certificates).toHaveLength(c.certs);
  expect(contents.integrity).toBe(c.integrity);
  for (const k of contents.keys) expect(k.value.length).toBeGreaterThan(30);
  await expectKeysMatch(contents, c.keyCert ? pemBlocks(fixtureText(...c.keyCert.split('/')))[0] : undefined);
  if (c.keyNames) expect(contents.keys.map((k) => k.friendlyName)).toEqual(c.keyNames);
  if (c.certNames) expect(contents.certificates.map((k) => k.friendlyName)).toEqual(c.certNames);
}

describe('importPkcs12: third-party corpus (fixtures/pkcs12)', () => {
  it.each(pycaCases)('pyca $file loads', checkLoad);
  it.each(opensslLoad)('OpenSSL test $file loads', checkLoad);
  it.each(otherLoad)('$file ($password) loads', checkLoad);

  const mustReject: { file: string; password: string; code: string }[] = [
    // OpenSSL 80-test_pkcs12.t: malformed files
    { file: 'bad1.p12', password: '', code: 'pkcs12-malformed' },
    { file: 'bad2.p12', password: '', code: 'pkcs12-malformed' },
    { file: 'bad3.p12', password: '', code: 'pkcs12-malformed' },
    // PBMAC1 with bad parameters: altered values fail the MAC, broken ones are malformed.
    { file: 'pbmac1_256_256.bad-iter.p12', password: '1234', code: 'wrong-password' },
    { file: 'pbmac1_256_256.bad-salt.p12', password: '1234', code: 'wrong-password' },
    { file: 'pbmac1_256_256.bad-key-len.p12', password: '1234', code: 'pkcs12-malformed' },
    { file: 'pbmac1_256_256.bad-len.p12', password: '1234', code: 'pkcs12-malformed' },
    { file: 'pbmac1_256_256.bad-salt-type.p12', password: '1234', code: 'pkcs12-malformed' },
    { file: 'pbmac1_256_256.negative-len.p12', password: '1234', code: 'pkcs12-malformed' },
    { file: 'pbmac1_256_256.no-len.p12', password: '1234', code: 'pkcs12-malformed' },
    { file: 'pbmac1_256_256.no-salt.p12', password: '1234', code: 'pkcs12-malformed' },
    { file: 'pbmac1_256_256.very-big-len.p12', password: '1234', code: 'pkcs12-malformed' },
    { file: 'pbmac1_256_256.zero-len.p12', password: '1234', code: 'pkcs12-malformed' },
  ];
  it.each(mustReject)('OpenSSL test $file is rejected: $code', async ({ file, password, code }) => {
    expect(await codeOf(importPkcs12(fixture('pkcs12', 'openssl-3.5.7-tests', file), password))).toBe(code);
  });
});

// ---------------------------------------------------------------------------------------------
// The locally generated OpenSSL set: MANIFEST.tsv gives password and structure.

interface SetCase {
  file: string;
  password: string | null;
  keys: number;
  certs: number;
  integrity: Pkcs12Contents['integrity'];
  leaf?: string;
}

const setCases: SetCase[] = fixtureText('openssl-set', 'MANIFEST.tsv')
  .split('\n')
  .map((line) => line.split('\t'))
  .filter((cols) => cols[0]?.endsWith('.p12'))
  .map(([file, , , pw, structure]) => {
    const s = structure ?? '';
    const base = file!.split('/')[1]!;
    const leaf = base.startsWith('ca-bundle') ? undefined : base.split('-')[0];
    return {
      file: file!,
      password: pw === '(empty string)' ? '' : pw!.startsWith('(none') ? null : pw!,
      keys: (s.match(/Key ?bag/gi) ?? []).length,
      certs: (s.match(/Certificate bag/g) ?? []).length,
      integrity: s.includes('MAC:') ? 'mac' : 'none',
      leaf: leaf && `${file!.split('/')[0]}/${leaf}`,
    };
  });

describe('importPkcs12: OpenSSL 3 set (fixtures/openssl-set)', () => {
  it('covers every .p12 of both families', () => {
    expect(setCases.length).toBe(28);
  });

  it.each(setCases)('$file loads with $keys key(s) and $certs certificate(s)', async (c) => {
    const contents = await importPkcs12(fixture('openssl-set', ...c.file.split('/')), c.password);
    expect(contents.keys).toHaveLength(c.keys);
    expect(contents.certificates).toHaveLength(c.certs);
    expect(contents.integrity).toBe(c.integrity);
    if (c.leaf && c.keys) {
      // The key is byte-for-byte the PKCS#8 OpenSSL wrote, and it matches the leaf certificate.
      const [family, name] = c.leaf.split('/') as [string, string];
      const pkcs8 = pemBlocks(fixtureText('openssl-set', family, `${name}.pkcs8.pem`))[0]!;
      expect(hex(contents.keys[0]!.value)).toBe(hex(pkcs8));
      const leaf = pemBlocks(fixtureText('openssl-set', family, `${name}.pem`))[0]!;
      await expectKeysMatch(contents, leaf);
      if (c.certs) expect(contents.certificates.map((x) => hex(x.value))).toContain(hex(leaf));
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('importPkcs12: wrong passwords', () => {
  const cases = [
    { name: 'PBES2/AES-256 + SHA-256 MAC', file: ['openssl-set', 'rsa', 'server-default.p12'], password: 'changeIt' },
    { name: 'RC2-40 + 3DES + SHA-1 MAC', file: ['openssl-set', 'ec', 'server-legacy-rc2-3des.p12'], password: 'wrong' },
    { name: 'no password given for a protected file', file: ['openssl-set', 'rsa', 'server-default.p12'], password: null },
    { name: 'empty password for a protected file', file: ['openssl-set', 'rsa', 'server-default.p12'], password: '' },
    { name: 'a password for a NULL-password file', file: ['pkcs12', 'go-pkcs12-tests', 'windows-azure-tools-nullpw.p12'], password: 'x' },
    { name: 'PBMAC1', file: ['pkcs12', 'openssl-3.5.7-tests', 'pbmac1_512_512.good.p12'], password: '12345' },
    { name: 'no MAC: detected by decryption', file: ['pkcs12', 'node-forge-tests', 'p12enckeyonly.p12'], password: 'nopass!' },
    { name: 'Unicode password, one letter off', file: ['openssl-set', 'rsa', 'server-unicode.p12'], password: 'passwörd€' },
  ];
  it.each(cases)('$name → wrong-password, nothing returned', async ({ file, password }) => {
    const promise = importPkcs12(fixture(...file), password);
    await expect(promise).rejects.toBeInstanceOf(CertdeskError);
    await expect(promise).rejects.toMatchObject({ code: 'wrong-password' });
    await expect(promise).rejects.toThrow(/password does not open.*another system/s);
  });
});

// ---------------------------------------------------------------------------------------------

describe('importPkcs12: limits (limits.ts) at the limit and just past it', () => {
  it(`accepts a file of exactly limits.maxFileBytes and refuses one byte more`, async () => {
    const build = (padding: number) =>
      // Padded with a SecretBag (RFC 7292 §4.2.5: SEQUENCE { secretTypeId, [0] EXPLICIT secretValue }).
      plainPfx([certBag(serverCert), der.sequence(der.oid(P12.secretBag), der.tlv(0xa0, der.sequence(der.oid('1.2.3'), der.tlv(0xa0, der.octetString(new Uint8Array(padding))))))]);
    let padding = limits.maxFileBytes - 4096;
    for (let i = 0; i < 5 && build(padding).length !== limits.maxFileBytes; i++) {
      padding += limits.maxFileBytes - build(padding).length;
    }
    const atLimit = build(padding);
    expect(atLimit.length).toBe(limits.maxFileBytes);
    const contents = await importPkcs12(atLimit, null);
    expect(contents.certificates).toHaveLength(1);
    const past = new Uint8Array(limits.maxFileBytes + 1);
    past.set(atLimit);
    await expect(importPkcs12(past, null)).rejects.toMatchObject({ code: 'limit-exceeded', message: expect.stringContaining('limits.maxFileBytes') });
  });

  it('accepts limits.maxPkcs12Certificates certificates and refuses one more', async () => {
    const at = plainPfx(Array.from({ length: limits.maxPkcs12Certificates }, () => certBag(serverCert)));
    expect((await importPkcs12(at, null)).certificates).toHaveLength(limits.maxPkcs12Certificates);
    const past = plainPfx(Array.from({ length: limits.maxPkcs12Certificates + 1 }, () => certBag(serverCert)));
    await expect(importPkcs12(past, null)).rejects.toMatchObject({
      code: 'limit-exceeded',
      message: expect.stringContaining('limits.maxPkcs12Certificates'),
    });
  });

  it('accepts limits.maxPkcs12Bags bags of any kind and refuses one more', async () => {
    const secret = der.sequence(der.oid(P12.secretBag), der.tlv(0xa0, der.sequence(der.oid('1.2.3'), der.tlv(0xa0, der.octetString(Uint8Array.of(2))))));
    const at = plainPfx([certBag(serverCert), ...Array.from({ length: limits.maxPkcs12Bags - 1 }, () => secret)]);
    expect((await importPkcs12(at, null)).certificates).toHaveLength(1);
    const past = plainPfx([certBag(serverCert), ...Array.from({ length: limits.maxPkcs12Bags }, () => secret)]);
    await expect(importPkcs12(past, null)).rejects.toMatchObject({ code: 'limit-exceeded', message: expect.stringContaining('limits.maxPkcs12Bags') });
  });

  it('accepts limits.maxPkcs12Keys keys and refuses one more', async () => {
    const at = plainPfx(Array.from({ length: limits.maxPkcs12Keys }, () => keyBag(serverKey)));
    expect((await importPkcs12(at, null)).keys).toHaveLength(limits.maxPkcs12Keys);
    const past = plainPfx(Array.from({ length: limits.maxPkcs12Keys + 1 }, () => keyBag(serverKey)));
    await expect(importPkcs12(past, null)).rejects.toMatchObject({ code: 'limit-exceeded', message: expect.stringContaining('limits.maxPkcs12Keys') });
  });

  // A SHA-1 MAC over the authenticated safe with password "x" (one candidate): the KDF for one
  // 20-byte block plus the HMAC. The work functions are checked on their own in pkcs12/budget.test.ts.
  const sha1 = hashByName('SHA-1');
  const macWorkOf = (file: Uint8Array, iterations: number) => pkcs12KdfWork(sha1, 8, 4, iterations, 20) + hmacWork(sha1, authSafeLength(file));
  const macIterationsFor = (work: number, extraInfos: Uint8Array[] = [], bagWork = 0) => {
    const probe = plainPfx([certBag(serverCert)], macData(der.integer(1)), extraInfos);
    return work - bagWork - macWorkOf(probe, 1) + 1;
  };

  it('starts the work for a MAC of exactly limits.maxWorkPerFile (then cancelled)', async () => {
    const iterations = macIterationsFor(limits.maxWorkPerFile);
    const file = plainPfx([certBag(serverCert)], macData(der.integer(iterations)));
    expect(macWorkOf(file, iterations)).toBe(limits.maxWorkPerFile);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await codeOf(importPkcs12(file, 'x', { signal: controller.signal }))).toBe('AbortError');
  });

  it('refuses a MAC one hash compression past limits.maxWorkPerFile before any work', async () => {
    const iterations = macIterationsFor(limits.maxWorkPerFile) + 1;
    const promise = importPkcs12(plainPfx([certBag(serverCert)], macData(der.integer(iterations))), 'x');
    await expect(promise).rejects.toMatchObject({ code: 'work-limit-exceeded', message: expect.stringContaining('limits.maxWorkPerFile') });
    await expect(promise).rejects.toThrow(/asks for about 5 seconds of key derivation.*Certdesk stops at 5 seconds/);
  });

  it.each([
    ['limits.maxKdfIterations + 1', limits.maxKdfIterations + 1],
    ['2^31 - 1', 2 ** 31 - 1],
    ['2^64', 2 ** 64],
  ])('refuses a MAC of %s iterations before any work', async (_name, iterations) => {
    const enc = iterations === 2 ** 64 ? der.tlv(0x02, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0)) : der.integer(iterations);
    const started = performance.now();
    await expect(importPkcs12(plainPfx([certBag(serverCert)], macData(enc)), 'x')).rejects.toMatchObject({
      code: 'limit-exceeded',
      message: expect.stringContaining('limits.maxKdfIterations'),
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses an encrypted bag of limits.maxKdfIterations + 1 iterations before any work', async () => {
    const file = plainPfx([certBag(serverCert)], undefined, [encryptedInfo(limits.maxKdfIterations + 1)]);
    await expect(importPkcs12(file, 'x')).rejects.toMatchObject({ code: 'limit-exceeded' });
  });

  // A 3DES bag costs its key (two 20-byte blocks) and IV (one): three KDF blocks of (iterations + 3).
  const bagIterations = 400_000;
  const bagWork = pkcs12KdfWork(sha1, 8, 4, bagIterations, 24) + pkcs12KdfWork(sha1, 8, 4, bagIterations, 8);

  it('starts the work when MAC and an encrypted bag add up to exactly limits.maxWorkPerFile (then cancelled)', async () => {
    const file = plainPfx([certBag(serverCert)], macData(der.integer(macIterationsFor(limits.maxWorkPerFile, [encryptedInfo(bagIterations)], bagWork))), [encryptedInfo(bagIterations)]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await codeOf(importPkcs12(file, 'x', { signal: controller.signal }))).toBe('AbortError');
  });

  it('refuses MAC and an encrypted bag one hash compression past limits.maxWorkPerFile before any work', async () => {
    const file = plainPfx([certBag(serverCert)], macData(der.integer(macIterationsFor(limits.maxWorkPerFile, [encryptedInfo(bagIterations)], bagWork) + 1)), [encryptedInfo(bagIterations)]);
    expect(await codeOf(importPkcs12(file, 'x'))).toBe('work-limit-exceeded');
  });

  it('reads safeContents bags nested 4 deep and refuses 5', async () => {
    const nest = (levels: number): Uint8Array => {
      let bags = [certBag(serverCert)];
      for (let i = 0; i < levels; i++) bags = [der.sequence(der.oid('1.2.840.113549.1.12.10.1.6'), der.tlv(0xa0, der.sequence(...bags)))];
      return plainPfx(bags);
    };
    expect((await importPkcs12(nest(4), null)).certificates).toHaveLength(1);
    await expect(importPkcs12(nest(5), null)).rejects.toMatchObject({ code: 'pkcs12-malformed' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('importPkcs12: hostile and malformed input → typed error, fast', () => {
  const good = fixture('openssl-set', 'rsa', 'server-default.p12');
  const deep = (n: number) => {
    const out = new Uint8Array(n * 2);
    for (let i = 0; i < n; i++) out.set([0x30, 0x80], i * 2);
    return out;
  };
  const hugeOid = der.sequence(der.integer(3), der.sequence(der.tlv(0x06, new Uint8Array(254_000).fill(0x81))));
  const emptyElements = der.sequence(
    der.integer(3),
    dataInfo(der.sequence(dataInfo(der.tlv(0x30, new Uint8Array(200_000).map((_, i) => (i % 2 ? 0 : 0x30)))))),
  );
  const cases: { name: string; bytes: Uint8Array; code: string }[] = [
    { name: 'empty file', bytes: new Uint8Array(0), code: 'pkcs12-malformed' },
    { name: 'one byte', bytes: Uint8Array.of(0x30), code: 'pkcs12-malformed' },
    { name: 'truncated in the header', bytes: good.slice(0, 3), code: 'pkcs12-malformed' },
    { name: 'truncated in the middle', bytes: good.slice(0, good.length >> 1), code: 'pkcs12-malformed' },
    { name: 'truncated in the last element', bytes: good.slice(0, good.length - 1), code: 'pkcs12-malformed' },
    { name: 'trailing bytes', bytes: Uint8Array.from([...good, 0]), code: 'pkcs12-malformed' },
    { name: 'length larger than the file', bytes: Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x03), code: 'pkcs12-malformed' },
    { name: 'length field of 9 bytes', bytes: Uint8Array.of(0x30, 0x89, 1, 0, 0, 0, 0, 0, 0, 0, 0), code: 'pkcs12-malformed' },
    { name: 'nesting 10,000 deep (indefinite)', bytes: deep(10_000), code: 'pkcs12-malformed' },
    { name: 'long-form tag with 1,000 continuation bytes', bytes: Uint8Array.from([0x1f, ...new Array(1000).fill(0x81), 0x01, 0x00]), code: 'pkcs12-malformed' },
    { name: 'a 254 KB OID', bytes: hugeOid, code: 'pkcs12-malformed' },
    { name: '100,000 empty elements as bags', bytes: emptyElements, code: 'pkcs12-malformed' },
    { name: 'junk', bytes: new Uint8Array(4096).map((_, i) => (i * 7919) & 0xff), code: 'pkcs12-malformed' },
    { name: 'a certificate instead', bytes: serverCert, code: 'pkcs12-malformed' },
    { name: 'PEM text', bytes: new TextEncoder().encode(serverPem), code: 'pkcs12-malformed' },
    { name: 'version 2', bytes: der.sequence(der.integer(2), dataInfo(der.sequence())), code: 'pkcs12-malformed' },
    { name: 'MAC iteration count 0', bytes: plainPfx([certBag(serverCert)], macData(der.integer(0))), code: 'pkcs12-malformed' },
    { name: 'negative MAC iteration count', bytes: plainPfx([certBag(serverCert)], macData(der.tlv(0x02, Uint8Array.of(0xff)))), code: 'pkcs12-malformed' },
    { name: 'bag iteration count 0', bytes: plainPfx([certBag(serverCert)], undefined, [encryptedInfo(0)]), code: 'pkcs12-malformed' },
    { name: 'unknown MAC digest', bytes: plainPfx([certBag(serverCert)], macData(der.integer(1), '1.2.3.4')), code: 'unsupported-algorithm' },
    { name: 'RC4-encrypted bag', bytes: plainPfx([certBag(serverCert)], undefined, [encryptedInfo(1, '1.2.840.113549.1.12.1.1')]), code: 'unsupported-algorithm' },
    {
      name: 'signed (public-key integrity) PFX',
      bytes: der.sequence(der.integer(3), der.sequence(der.oid(P12.signedData), der.tlv(0xa0, der.sequence()))),
      code: 'unsupported-algorithm',
    },
    { name: 'a key bag holding junk', bytes: plainPfx([keyBag(der.sequence(der.integer(5)))]), code: 'pkcs12-malformed' },
    { name: 'a certificate bag holding junk', bytes: plainPfx([certBag(Uint8Array.of(1, 2, 3))]), code: 'pkcs12-malformed' },
    {
      name: 'odd-length BMPString friendlyName',
      bytes: plainPfx([
        der.sequence(
          der.oid(P12.certBag),
          der.tlv(0xa0, der.sequence(der.oid(P12.x509), der.tlv(0xa0, der.octetString(serverCert)))),
          der.tlv(0x31, der.sequence(der.oid('1.2.840.113549.1.9.20'), der.tlv(0x31, der.tlv(0x1e, Uint8Array.of(0, 0x41, 0))))),
        ),
      ]),
      code: 'pkcs12-malformed',
    },
  ];
  it.each(cases)('$name → $code', async ({ bytes, code }) => {
    const started = performance.now();
    const promise = importPkcs12(bytes, 'changeit');
    await expect(promise).rejects.toBeInstanceOf(CertdeskError);
    await expect(promise).rejects.toMatchObject({ code });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reads BER: indefinite lengths outside and a segmented OCTET STRING (as Java and Windows write)', async () => {
    // Re-encode the outer PFX layers; the MAC covers the authSafe octets, not their encoding.
    const top = expectSequence(readSingle(good, 'pfx'), 'pfx');
    const info = expectSequence(top[1], 'authSafe');
    const authSafe = childrenOf(info[1]!);
    const octets = authSafe[0]!;
    const content = good.subarray(octets.contentStart, octets.contentEnd);
    const segments: number[] = [];
    for (let i = 0; i < content.length; i += 1000) segments.push(...der.octetString(content.subarray(i, i + 1000)));
    const indefinite = (tag: number, ...parts: Uint8Array[]) => Uint8Array.from([tag, 0x80, ...parts.flatMap((p) => [...p]), 0, 0]);
    const ber = indefinite(
      0x30,
      encodingOf(top[0]!),
      indefinite(0x30, encodingOf(info[0]!), indefinite(0xa0, indefinite(0x24, Uint8Array.from(segments)))),
      encodingOf(top[2]!),
    );
    expect(isPkcs12(ber)).toBe(true);
    const contents = await importPkcs12(ber, 'changeit');
    expect(contents.keys).toHaveLength(1);
    expect(contents.certificates).toHaveLength(3);
  });

  it('ignores CRL, secret and unknown bags without failing', async () => {
    const crlBag = der.sequence(der.oid('1.2.840.113549.1.12.10.1.4'), der.tlv(0xa0, der.sequence(der.oid('1.2.840.113549.1.9.23.1'), der.tlv(0xa0, der.octetString(Uint8Array.of(1))))));
    const secret = der.sequence(der.oid(P12.secretBag), der.tlv(0xa0, der.sequence(der.oid('1.2.3'), der.tlv(0xa0, der.octetString(Uint8Array.of(2))))));
    const unknown = der.sequence(der.oid('1.2.840.113549.1.12.10.1.99'), der.tlv(0xa0, der.nullValue()));
    const contents = await importPkcs12(plainPfx([crlBag, certBag(serverCert), secret, unknown, keyBag(serverKey)]), null);
    expect(contents.certificates.map((c) => hex(c.value))).toEqual([hex(serverCert)]);
    expect(contents.keys.map((k) => hex(k.value))).toEqual([hex(serverKey)]);
    expect(contents.integrity).toBe('none');
  });

  it('honours an already aborted signal with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await codeOf(importPkcs12(good, 'changeit', { signal: controller.signal }))).toBe('AbortError');
  });
});

describe('isPkcs12', () => {
  const files = [
    ...setCases.map((c) => ['openssl-set', ...c.file.split('/')]),
    ...[...pycaCases, ...opensslLoad, ...otherLoad].map((c) => c.file.split('/')),
  ];
  it.each(files.map((f) => [f.join('/'), f]))('%s is PKCS#12', (_name, parts) => {
    expect(isPkcs12(fixture(...(parts as string[])))).toBe(true);
  });
  it.each([
    ['a certificate', serverCert],
    ['a PKCS#8 key', serverKey],
    ['PEM text', new TextEncoder().encode(serverPem)],
    ['empty', new Uint8Array(0)],
    ['junk', Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x03)],
    ['a PKCS#7 bundle', fixture('openssl-set', 'rsa', 'server-fullchain.p7c')],
  ])('%s is not', (_name, bytes) => {
    expect(isPkcs12(bytes)).toBe(false);
  });
});
