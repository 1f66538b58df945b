import { describe, expect, it } from 'vitest';
import { X509CrlGenerator } from '@peculiar/x509';
import { decodeInput, matchKeysToCertificates, type DecodedInput } from '../../../src/core/pki/decode';
import { exportCertificates } from '../../../src/core/pki/export';
import { encodePem, parsePem } from '../../../src/core/pki/pem';
import { toHex } from '../../../src/core/pki/asn1/bytes';
import { sha256Hex } from '../../../src/core/pki/keys';
import { limits } from '../../../src/core/pki/limits';
import { CertdeskError } from '../../../src/core/errors';
import { fixture, fixturePath, fixtureText, openssl, tempDir, writeTemp } from '../../support/fixtures';
import { readFileSync } from 'node:fs';

const enc = (s: string) => new TextEncoder().encode(s);

async function expectCode(promise: Promise<unknown>, code: string): Promise<CertdeskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CertdeskError);
  expect((error as CertdeskError).code).toBe(code);
  return error as CertdeskError;
}

/** DER of every certificate openssl finds in a PEM text. */
function pemCertificates(text: string): string[] {
  return parsePem(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => toHex(b.der));
}

// ---------------------------------------------------------------------------------------------
// openssl-set: every file, by content, with the password MANIFEST.tsv gives.

const manifest = fixtureText('openssl-set', 'MANIFEST.tsv')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file, , , password, structure] = line.split('\t');
    return { file: file!, password: password!, structure: structure ?? '' };
  })
  .filter((row) => row.file.includes('/'));

function passwordOf(row: { password: string }): string | null | undefined {
  if (row.password === '-') return undefined;
  if (row.password === '(empty string)') return '';
  if (row.password.startsWith('(none')) return null;
  return row.password;
}

interface Expectation {
  certificates?: string[];
  keys?: number;
  requests?: number;
  error?: string;
  container: DecodedInput['container'];
}

function expectationFor(file: string, structure: string): Expectation {
  const path = file.split('/');
  const text = () => readFileSync(fixturePath('openssl-set', ...path), 'latin1');
  if (file.endsWith('.pub.pem')) return { error: 'public-key-not-certificate', container: 'pem' };
  if (file.endsWith('.csr')) return { requests: 1, container: 'pem' };
  if (file.endsWith('.csr.der')) return { requests: 1, container: 'der' };
  if (/\.(pkcs8|pkcs8-enc|trad)\.pem$/.test(file)) return { keys: 1, container: 'pem' };
  if (file.endsWith('.pkcs8.der')) return { keys: 1, container: 'der' };
  if (file.endsWith('.p12')) {
    return { keys: (structure.match(/Key ?bag/gi) ?? []).length, certificates: undefined, container: 'pkcs12' };
  }
  if (file.endsWith('.p12.dump.pem')) return { certificates: pemCertificates(text()), keys: (text().match(/BEGIN PRIVATE KEY/g) ?? []).length, container: 'pem' };
  if (file.endsWith('.p7b') || file.endsWith('.p7c')) {
    const isPem = text().startsWith('-----BEGIN');
    const out = openssl(['pkcs7', '-inform', isPem ? 'PEM' : 'DER', '-in', fixturePath('openssl-set', ...path), '-print_certs']);
    return { certificates: pemCertificates(out.stdout), container: isPem ? 'pem' : 'pkcs7' };
  }
  if (file.endsWith('.pem')) return { certificates: pemCertificates(text()), container: 'pem' };
  if (file.endsWith('.der')) return { certificates: [toHex(fixture('openssl-set', ...path))], container: 'der' };
  throw new Error(`no expectation for ${file}`);
}

describe('decodeInput on every openssl-set file (by content)', () => {
  const publicKeys = new Map<string, string>();
  for (const family of ['rsa', 'ec']) {
    for (const name of ['server', 'client', 'root', 'ica', 'selfsigned']) {
      publicKeys.set(`${family}/${name}`, toHex(parsePem(fixtureText('openssl-set', family, `${name}.pub.pem`))[0]!.der));
    }
  }

  for (const row of manifest) {
    const want = expectationFor(row.file, row.structure);
    it(`${row.file}${want.error ? ` → ${want.error}` : ''}`, async () => {
      const bytes = fixture('openssl-set', ...row.file.split('/'));
      const password = passwordOf(row);
      const run = decodeInput(bytes, password === undefined ? {} : { password });
      if (want.error) {
        await expectCode(run, want.error);
        return;
      }
      const got = await run;
      expect(got.container).toBe(want.container);
      if (want.certificates) expect(got.certificates.map((c) => toHex(c.der))).toEqual(want.certificates);
      if (want.certificates === undefined && row.file.endsWith('.p12')) {
        expect(got.certificates).toHaveLength((row.structure.match(/Certificate bag/g) ?? []).length);
        expect(got.integrity).toBe(row.file.includes('nopw') ? 'none' : 'mac');
      }
      expect(got.privateKeys).toHaveLength(want.keys ?? 0);
      expect(got.requests).toHaveLength(want.requests ?? 0);
      // Every key is the public key OpenSSL wrote beside it, found by content.
      const [family, base] = row.file.split('/') as [string, string];
      for (const key of got.privateKeys) {
        const owner = base.split(/[.-]/)[0]!;
        expect(toHex(key.spki)).toBe(publicKeys.get(`${family}/${owner === 'ca' ? 'root' : owner}`));
        expect(key.publicKeySha256).toBe(await sha256Hex(key.spki));
      }
      // Keys link to exactly the certificate they belong to, never by position.
      if (got.privateKeys.length && got.certificates.length) {
        const matched = await matchKeysToCertificates(got.certificates, got.privateKeys);
        expect(matched.filter((m) => m.key)).toHaveLength(got.privateKeys.length);
      }
    });
  }
});

describe('one file holding key, certificate and chain, in any order', () => {
  it('links the key to its certificate by public key even when the key comes last and the chain is reversed', async () => {
    const chain = parsePem(fixtureText('openssl-set', 'rsa', 'server-fullchain.pem')).reverse();
    const text = `${chain.map((b) => `Bag Attributes\n    friendlyName: x\n${encodePem(b.label, b.der)}`).join('\r\n')}${fixtureText('openssl-set', 'rsa', 'server.trad.pem')}`;
    const got = await decodeInput(enc(text));
    expect(got.certificates).toHaveLength(3);
    expect(got.privateKeys).toHaveLength(1);
    const matched = await matchKeysToCertificates(got.certificates, got.privateKeys);
    expect(matched.map((m) => m.key !== undefined)).toEqual([false, false, true]);
    expect(toHex(matched[2]!.certificate.der)).toBe(toHex(fixture('openssl-set', 'rsa', 'server.der')));
  });
});

describe('matching and idempotence', () => {
  it('a key that matches no certificate links to none; a certificate without its key stays unlinked', async () => {
    const text = fixtureText('openssl-set', 'rsa', 'server-fullchain.pem') + fixtureText('openssl-set', 'ec', 'server.pkcs8.pem');
    const got = await decodeInput(enc(text));
    expect(got.privateKeys).toHaveLength(1);
    expect((await matchKeysToCertificates(got.certificates, got.privateKeys)).every((m) => m.key === undefined)).toBe(true);
  });
  it('decoding the same bytes twice gives the same result', async () => {
    const bytes = fixture('openssl-set', 'ec', 'server-default.p12');
    const first = await decodeInput(bytes, { password: 'changeit' });
    const second = await decodeInput(bytes, { password: 'changeit' });
    expect(second).toEqual(first);
  });
});

describe('PKCS#7 fixtures', () => {
  const table: { file: string[]; count: number }[] = [
    { file: ['pkcs7', 'openssl-3.5.7-tests', 'pkcs7-1.pem'], count: 1 },
    { file: ['pkcs7', 'openssl-3.5.7-tests', 'pkcs7.pem'], count: 2 },
    { file: ['pkcs7', 'openssl-3.5.7-tests', 'testp7.pem'], count: 2 },
    { file: ['pkcs7', 'pyca-cryptography-vectors-38.0.4', 'amazon-roots.der'], count: 2 },
    { file: ['pkcs7', 'pyca-cryptography-vectors-38.0.4', 'amazon-roots.p7b'], count: 2 },
    { file: ['pkcs7', 'pyca-cryptography-vectors-38.0.4', 'isrg.pem'], count: 1 },
  ];
  for (const c of table) {
    it(`${c.file.slice(1).join('/')}: the ${c.count} certificates openssl pkcs7 -print_certs finds`, async () => {
      const bytes = fixture(...c.file);
      const got = await decodeInput(bytes);
      expect(got.certificates).toHaveLength(c.count);
      // openssl wants DER or PEM; pkcs7.pem is base64 without armour (BER, indefinite lengths).
      const text = new TextDecoder().decode(bytes);
      const der = text.includes('-----BEGIN') ? undefined : bytes[0] === 0x30 ? bytes : Buffer.from(text.replace(/\s+/g, ''), 'base64');
      const out = der ? openssl(['pkcs7', '-inform', 'DER', '-print_certs'], der) : openssl(['pkcs7', '-in', fixturePath(...c.file), '-print_certs']);
      expect(out.status, out.stderr).toBe(0);
      expect(got.certificates.map((x) => toHex(x.der))).toEqual(pemCertificates(out.stdout));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Hostile inputs (RELIABILITY.md): each ends in a typed error.

const certDer = fixture('openssl-set', 'ec', 'root.der');
const certPem = fixtureText('openssl-set', 'ec', 'root.pem');

function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Uint8Array.from([tag, ...len, ...content]);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const OID_DATA = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01);
const OID_SIGNED_DATA = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02);

describe('hostile inputs end in typed errors', () => {
  const nested = (() => {
    let inner: Uint8Array = Uint8Array.of(0x05, 0x00);
    for (let i = 0; i < 3000; i++) inner = tlv(0x30, inner);
    return inner;
  })();
  const legacyEncrypted = (() => {
    const dir = tempDir();
    const out = openssl(['pkey', '-in', fixturePath('openssl-set', 'rsa', 'server.pkcs8.pem'), '-traditional', '-aes128', '-passout', 'pass:changeit']);
    writeTemp(dir, 'x', out.stdout);
    return out.stdout;
  })();

  const table: { name: string; input: () => Uint8Array; code: string; password?: string }[] = [
    { name: 'an empty file', input: () => new Uint8Array(0), code: 'empty-file' },
    { name: 'a truncated header', input: () => certDer.subarray(0, 3), code: 'invalid-encoding' },
    { name: 'a DER cut in the middle', input: () => certDer.subarray(0, 200), code: 'invalid-encoding' },
    { name: 'a DER missing its last byte', input: () => certDer.subarray(0, certDer.length - 1), code: 'invalid-encoding' },
    { name: 'a length field larger than the file', input: () => Uint8Array.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, ...certDer.subarray(4)]), code: 'invalid-encoding' },
    { name: 'indefinite-length BER for a certificate', input: () => concat(Uint8Array.of(0x30, 0x80), certDer.subarray(4), Uint8Array.of(0, 0)), code: 'not-der' },
    { name: 'trailing bytes after a certificate', input: () => concat(certDer, Uint8Array.of(0x00)), code: 'trailing-bytes' },
    { name: 'a certificate followed by another DER certificate', input: () => concat(certDer, certDer), code: 'trailing-bytes' },
    { name: 'nesting 3,000 deep', input: () => nested, code: 'asn1-too-deep' },
    { name: 'a hundred thousand empty elements', input: () => tlv(0x30, new Uint8Array(200_000).map((_, i) => (i % 2 ? 0 : 5))), code: 'asn1-too-many-elements' },
    { name: 'a 300 KB OID', input: () => tlv(0x30, tlv(0x30, tlv(0x06, new Uint8Array(300_000).fill(0x81).map((v, i, a) => (i === a.length - 1 ? 1 : v))))), code: 'asn1-oid-too-long' },
    { name: 'a long-form tag with 1,000 continuation bytes', input: () => tlv(0x30, Uint8Array.from([0x1f, ...new Array<number>(999).fill(0x81), 0x01, 0x00])), code: 'invalid-encoding' },
    { name: 'a PEM public key given as a certificate', input: () => fixture('openssl-set', 'rsa', 'server.pub.pem'), code: 'public-key-not-certificate' },
    { name: 'a DER public key given as a certificate', input: () => parsePem(fixtureText('openssl-set', 'ec', 'server.pub.pem'))[0]!.der, code: 'public-key-not-certificate' },
    { name: 'a public key inside a CERTIFICATE label', input: () => enc(encodePem('CERTIFICATE', parsePem(fixtureText('openssl-set', 'ec', 'server.pub.pem'))[0]!.der)), code: 'pem-content-mismatch' },
    { name: 'mismatched PEM labels', input: () => enc(certPem.replace('END CERTIFICATE', 'END X509 CRL')), code: 'pem-label-mismatch' },
    { name: 'junk inside PEM', input: () => enc(certPem.replace(/\n(M)/, '\n$$$1')), code: 'pem-invalid-base64' },
    { name: 'Unicode look-alike dashes', input: () => enc(certPem.replace(/-----/g, '\u2013\u2013\u2013\u2013\u2013')), code: 'pem-lookalike-dashes' },
    { name: 'an encrypted legacy PEM key', input: () => enc(legacyEncrypted), code: 'pem-encrypted-legacy' },
    { name: 'HTML named .crt', input: () => enc('<!DOCTYPE html><html><body>404 Not Found</body></html>'), code: 'html-not-certificate' },
    { name: 'JSON named .crt', input: () => enc('{"certificate": "MIIB..."}'), code: 'json-not-certificate' },
    { name: 'random text', input: () => enc('this is not a certificate'), code: 'unrecognised-content' },
    { name: 'non-UTF-8 bytes', input: () => Uint8Array.of(0xff, 0xfe, 0x00, 0x81, 0x92), code: 'unrecognised-content' },
    { name: 'a PKCS#7 bundle with no certificates', input: () => tlv(0x30, concat(OID_SIGNED_DATA, tlv(0xa0, tlv(0x30, concat(Uint8Array.of(2, 1, 1, 0x31, 0), tlv(0x30, OID_DATA), Uint8Array.of(0x31, 0)))))), code: 'pkcs7-no-certificates' },
    { name: 'a PKCS#7 with an odd content type', input: () => tlv(0x30, concat(OID_DATA, tlv(0xa0, tlv(0x04, enc('hello'))))), code: 'pkcs7-unsupported-content' },
    { name: 'a PKCS#12 without its password', input: () => fixture('openssl-set', 'rsa', 'server-default.p12'), code: 'password-required' },
    { name: 'a PKCS#12 with the wrong password', input: () => fixture('openssl-set', 'rsa', 'server-default.p12'), code: 'wrong-password', password: 'wrong' },
    { name: 'an encrypted key without its password', input: () => fixture('openssl-set', 'ec', 'server.pkcs8-enc.pem'), code: 'password-required' },
    { name: 'an encrypted key with the wrong password', input: () => fixture('openssl-set', 'ec', 'server.pkcs8-enc.pem'), code: 'wrong-password', password: 'wrong' },
    { name: 'a DSA private key', input: () => enc('-----BEGIN DSA PRIVATE KEY-----\nMAA=\n-----END DSA PRIVATE KEY-----\n'), code: 'unsupported-key-type' },
  ];
  for (const c of table) {
    it(`${c.name} → ${c.code}`, async () => {
      const start = performance.now();
      await expectCode(decodeInput(c.input(), c.password === undefined ? {} : { password: c.password }), c.code);
      expect(performance.now() - start).toBeLessThan(2000);
    });
  }

  it('says exactly what a PKCS#12 needs', async () => {
    const error = await expectCode(decodeInput(fixture('openssl-set', 'ec', 'server-default.p12')), 'password-required');
    expect(error.message).toBe('This file is a PKCS#12 archive and needs its password.');
  });

  it('a CRL given as a certificate, in PEM and DER', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const crl = await X509CrlGenerator.create({ issuer: 'CN=Test CA', thisUpdate: new Date(), signingKey: keys.privateKey, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } });
    const der = new Uint8Array(crl.rawData);
    await expectCode(decodeInput(der), 'crl-not-certificate');
    await expectCode(decodeInput(enc(encodePem('X509 CRL', der))), 'crl-not-certificate');
  });

  it('cancellation is an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(decodeInput(certDer, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('limits: at the limit passes, just past it is a typed error', () => {
  it(`a file of exactly limits.maxFileBytes (${limits.maxFileBytes}) decodes; one byte more is file-too-large`, async () => {
    const padded = certPem + ' '.repeat(limits.maxFileBytes - certPem.length);
    expect(enc(padded).length).toBe(limits.maxFileBytes);
    expect((await decodeInput(enc(padded))).certificates).toHaveLength(1);
    await expectCode(decodeInput(enc(padded + ' ')), 'file-too-large');
  });

  it(`${limits.maxCertificatesPerBundle} certificates in one PEM decode; one more is too-many-certificates`, async () => {
    const small = fixtureText('openssl-set', 'ec', 'root.pem');
    const atLimit = enc(small.repeat(limits.maxCertificatesPerBundle));
    expect(atLimit.length).toBeLessThanOrEqual(limits.maxFileBytes);
    expect((await decodeInput(atLimit)).certificates).toHaveLength(limits.maxCertificatesPerBundle);
    await expectCode(decodeInput(enc(small.repeat(limits.maxCertificatesPerBundle + 1))), 'too-many-certificates');
  });

  it(`${limits.maxCertificatesPerBundle} certificates in one PKCS#7 decode; one more is too-many-certificates`, async () => {
    const many = (n: number) => exportCertificates(new Array<Uint8Array>(n).fill(certDer), 'pkcs7');
    expect((await decodeInput(many(limits.maxCertificatesPerBundle))).certificates).toHaveLength(limits.maxCertificatesPerBundle);
    await expectCode(decodeInput(many(limits.maxCertificatesPerBundle + 1)), 'too-many-certificates');
  });

  it('nesting exactly limits.maxAsn1Depth decodes as far as the shape allows; one deeper is asn1-too-deep', async () => {
    const nest = (depth: number) => {
      let inner: Uint8Array = Uint8Array.of(0x05, 0x00);
      for (let i = 0; i < depth; i++) inner = tlv(0x30, inner);
      return inner;
    };
    // Depth counts levels below the outermost element: nest(n) puts a NULL at depth n.
    await expectCode(decodeInput(nest(limits.maxAsn1Depth)), 'invalid-encoding');
    await expectCode(decodeInput(nest(limits.maxAsn1Depth + 1)), 'asn1-too-deep');
  });
});

describe('text that starts like DER', () => {
  it('reads a PEM block below text beginning with "0" (the byte 0x30)', async () => {
    const got = await decodeInput(enc(`0:d=0  hl=4 l= 529 cons: SEQUENCE\n${certPem}`));
    expect(got.container).toBe('pem');
    expect(toHex(got.certificates[0]!.der)).toBe(toHex(certDer));
  });
});

describe('the walker\'s own limits, at and past the edge', () => {
  const oid = (bytes: number) => tlv(0x30, tlv(0x30, tlv(0x06, new Uint8Array(bytes).fill(0x81).map((v, i, a) => (i === a.length - 1 ? 1 : v)))));
  it(`an OID of limits.maxOidBytes (${limits.maxOidBytes}) bytes is walked (then refused for its shape); one more is asn1-oid-too-long`, async () => {
    await expectCode(decodeInput(oid(limits.maxOidBytes)), 'invalid-encoding');
    await expectCode(decodeInput(oid(limits.maxOidBytes + 1)), 'asn1-oid-too-long');
  });
  const nulls = (count: number) => tlv(0x30, new Uint8Array(count * 2).map((_, i) => (i % 2 ? 0 : 5)));
  it('10,000 elements in one object are walked; 10,001 is asn1-too-many-elements', async () => {
    await expectCode(decodeInput(nulls(9_999)), 'invalid-encoding');
    await expectCode(decodeInput(nulls(10_000)), 'asn1-too-many-elements');
  });
});

describe('base64 without armour', () => {
  it('decodes a .b64 certificate and a .b64 chain', async () => {
    const b64 = Buffer.from(certDer).toString('base64').replace(/(.{76})/g, '$1\n');
    const got = await decodeInput(enc(b64));
    expect(got.container).toBe('base64');
    expect(toHex(got.certificates[0]!.der)).toBe(toHex(certDer));
  });
});
