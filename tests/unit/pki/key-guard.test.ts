/**
 * The key guard (src/core/pki/key-guard): one row per way a private key can hide in a file that
 * goes into the support package, each with real key bytes (OpenSSL CLI, Node's crypto,
 * ssh-keygen, gpg; .ppk and JKS written from their specifications), and the rows that must pass.
 * Then the limits, each at the limit and just past it.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { crc32, deflateSync, gzipSync } from 'node:zlib';
import JSZip from 'jszip';
import { findPrivateKeys, privateKeyRefusal, type KeyFindingKind, type KeyGuardReport } from '../../../src/core/pki/key-guard';
import { limits } from '../../../src/core/pki/limits';
import { CertdeskError } from '../../../src/core/errors';
import { keyMaterial } from '../../support/hidden-keys';
import { makeZip } from '../../support/zip';
import { seededRandom } from '../../support/seeded-bytes';
import { fixture } from '../../support/fixtures';

const k = keyMaterial();
const text = (s: string) => new TextEncoder().encode(s);
const join = (...parts: (Uint8Array | string)[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))));
const utf16 = (s: string, order: 'le' | 'be', bom: boolean) => {
  const le = Buffer.from((bom ? '\uFEFF' : '') + s, 'utf16le');
  if (order === 'le') return new Uint8Array(le);
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
  return new Uint8Array(be);
};
const utf32le = (s: string) => {
  const out = Buffer.alloc(4 * ([...s].length + 1));
  out.writeUInt32LE(0xfeff, 0);
  [...s].forEach((c, i) => out.writeUInt32LE(c.codePointAt(0)!, 4 * (i + 1)));
  return new Uint8Array(out);
};
/** The PEM's armour lines with another label (the body stays the real key's). */
const relabel = (pem: string, label: string) => pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, (_, which: string) => `-----${which} ${label}-----`);
const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').trim();
/** `xxd -p` style hex: 60 digits a line. */
const hexLines = (bytes: Uint8Array) => (Buffer.from(bytes).toString('hex').match(/.{1,60}/g) ?? []).join('\n');
/** A PNG (the 1×1 test picture) with a zTXt chunk added before IEND (PNG §11.3.4.4). */
const pngWithZtxt = (keyword: string, content: string) => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0]), deflateSync(Buffer.from(content))]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('zTXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return new Uint8Array(Buffer.concat([png.subarray(0, png.length - 12), chunk, png.subarray(png.length - 12)]));
};
const xz = (bytes: Uint8Array | string) => {
  const result = spawnSync('xz', ['-c'], { input: bytes });
  if (result.status !== 0) throw new Error(`xz failed: ${result.stderr.toString()}`);
  return new Uint8Array(result.stdout);
};
/** A .zip as the app writes them, with data descriptors after each entry (streamFiles). */
const streamedZip = await new JSZip().file('k.pem', k.ecSec1Pem).generateAsync({ type: 'uint8array', compression: 'DEFLATE', streamFiles: true });
const kinds = (report: KeyGuardReport) => [...new Set(report.findings.map((f) => f.kind))];

interface Row {
  name: string;
  file: () => { name: string; bytes: Uint8Array };
  /** A finding of this kind must be among those reported. */
  kind: KeyFindingKind;
  /** And the report's text must say this. */
  says?: string | RegExp;
}

const hidden: Row[] = [
  // The formats themselves.
  { name: 'PKCS#8 PEM (openssl genpkey)', file: () => ({ name: 'server.pem', bytes: text(k.rsaPkcs8Pem) }), kind: 'pkcs8', says: 'a PKCS#8 private key (RSA) in base64 text' },
  { name: 'PKCS#8 DER', file: () => ({ name: 'server.der', bytes: k.rsaPkcs8Der }), kind: 'pkcs8' },
  { name: 'PKCS#1 "RSA PRIVATE KEY" PEM', file: () => ({ name: 'server.txt', bytes: text(k.rsaPkcs1Pem) }), kind: 'pkcs1', says: '("RSA PRIVATE KEY")' },
  { name: 'PKCS#1 DER', file: () => ({ name: 'server.cer', bytes: k.rsaPkcs1Der }), kind: 'pkcs1' },
  { name: 'encrypted PKCS#8 PEM (PBES2, AES-256-CBC)', file: () => ({ name: 'server.pem', bytes: text(k.encryptedPem) }), kind: 'encrypted-pkcs8' },
  { name: 'encrypted PKCS#8 DER', file: () => ({ name: 'server.bin', bytes: k.encryptedDer }), kind: 'encrypted-pkcs8' },
  { name: 'SEC1 "EC PRIVATE KEY" PEM', file: () => ({ name: 'ec.pem', bytes: text(k.ecSec1Pem) }), kind: 'sec1' },
  { name: 'SEC1 DER', file: () => ({ name: 'ec.der', bytes: k.ecSec1Der }), kind: 'sec1' },
  { name: 'DSA private key DER (OpenSSL traditional)', file: () => ({ name: 'dsa.der', bytes: k.dsaDer }), kind: 'dsa' },
  { name: 'Ed25519 PKCS#8 DER, 48 bytes (Node crypto)', file: () => ({ name: 'ed.der', bytes: k.ed25519Der }), kind: 'pkcs8', says: '(Ed25519)' },
  { name: 'PKCS#12 renamed .crt (openssl pkcs12 -export)', file: () => ({ name: 'chain.crt', bytes: k.pkcs12 }), kind: 'pkcs12' },
  { name: 'PKCS#12 holding only certificates (fixture)', file: () => ({ name: 'bundle.bin', bytes: fixture('openssl-set', 'rsa', 'ca-bundle-nokeys.p12') }), kind: 'pkcs12' },
  { name: 'OpenSSH private key (ssh-keygen)', file: () => ({ name: 'id_ed25519.txt', bytes: text(k.opensshPrivate) }), kind: 'openssh' },
  { name: 'OpenSSH key body without its armour', file: () => ({ name: 'notes.txt', bytes: text(`key:\n${pemBody(k.opensshPrivate)}\n`) }), kind: 'openssh' },
  { name: 'PuTTY .ppk format 3 (from the spec)', file: () => ({ name: 'key.txt', bytes: text(k.ppk3) }), kind: 'putty', says: 'PuTTY private key (.ppk version 3, ssh-rsa)' },
  { name: 'PuTTY .ppk format 2', file: () => ({ name: 'key.txt', bytes: text(k.ppk2) }), kind: 'putty' },
  { name: 'OpenPGP "PGP PRIVATE KEY BLOCK" (gpg)', file: () => ({ name: 'key.asc', bytes: text(k.pgpArmoured) }), kind: 'pem-private-key', says: '("PGP PRIVATE KEY BLOCK")' },
  { name: 'OpenPGP secret key, binary (gpg)', file: () => ({ name: 'key.gpg', bytes: k.pgpBinary }), kind: 'openpgp' },
  { name: 'Microsoft PVK (openssl rsa -outform PVK)', file: () => ({ name: 'key.pvk.bin', bytes: k.pvk }), kind: 'microsoft-key-blob' },
  { name: 'Microsoft PRIVATEKEYBLOB (openssl rsa -outform MSBLOB)', file: () => ({ name: 'key.blob', bytes: k.msBlob }), kind: 'microsoft-key-blob' },
  { name: 'Java keystore with a private key entry (JKS spec)', file: () => ({ name: 'keystore.jks', bytes: k.jksWithKey }), kind: 'java-keystore' },
  // JSON Web Keys.
  { name: 'JWK with its private part (RSA, Node crypto)', file: () => ({ name: 'key.json', bytes: text(JSON.stringify(k.rsaJwk)) }), kind: 'jwk', says: 'a JSON Web Key with its private part' },
  { name: 'JWK EC, pretty-printed, "d" before "kty"', file: () => ({ name: 'key.json', bytes: text(JSON.stringify({ d: k.ecJwk.d, ...k.ecJwk }, null, 2)) }), kind: 'jwk' },
  { name: 'JWKS with one private key among public ones', file: () => ({ name: 'jwks.json', bytes: text(JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: k.ecJwk.x, y: k.ecJwk.y }, k.rsaJwk] })) }), kind: 'jwk' },
  { name: 'symmetric JWK ("kty": "oct", "k")', file: () => ({ name: 'secret.json', bytes: text(JSON.stringify({ kty: 'oct', k: Buffer.from(k.ed25519Der.subarray(16)).toString('base64url') })) }), kind: 'jwk' },
  { name: 'JWK as escaped JSON inside a JSON string', file: () => ({ name: 'config.json', bytes: text(JSON.stringify({ note: 'x', key: JSON.stringify(k.ecJwk) })) }), kind: 'jwk' },
  // Armour disguised.
  { name: 'lower-case armour', file: () => ({ name: 'chain.pem', bytes: text(k.rsaPkcs8Pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, (m) => m.toLowerCase())) }), kind: 'pem-private-key', says: 'lower-case PEM armour' },
  { name: 'armour with en dashes (a word processor)', file: () => ({ name: 'chain.pem', bytes: text(k.rsaPkcs8Pem.replace(/-----/g, '–––––')) }), kind: 'pem-private-key', says: 'look-alike dashes' },
  { name: 'armour in full-width letters', file: () => ({ name: 'chain.pem', bytes: text(k.rsaPkcs8Pem.replace(/PRIVATE KEY/g, 'ＰＲＩＶＡＴＥ ＫＥＹ')) }), kind: 'pem-private-key', says: 'full-width' },
  { name: '"ANY PRIVATE KEY" block after a certificate', file: () => ({ name: 'chain.pem', bytes: text(k.certificatePem + relabel(k.rsaPkcs8Pem, 'ANY PRIVATE KEY')) }), kind: 'pem-private-key', says: '("ANY PRIVATE KEY")' },
  { name: 'a key under a CERTIFICATE label', file: () => ({ name: 'chain.pem', bytes: text(k.certificatePem + relabel(k.rsaPkcs8Pem, 'CERTIFICATE')) }), kind: 'pkcs8' },
  // Text encodings.
  { name: 'UTF-16LE PEM with a byte order mark', file: () => ({ name: 'server.pem', bytes: utf16(k.rsaPkcs8Pem, 'le', true) }), kind: 'pkcs8', says: 'UTF-16LE' },
  { name: 'UTF-16BE PEM without a byte order mark', file: () => ({ name: 'server.pem', bytes: utf16(k.rsaPkcs1Pem, 'be', false) }), kind: 'pkcs1' },
  { name: 'UTF-32LE PEM with a byte order mark', file: () => ({ name: 'server.pem', bytes: utf32le(k.ecSec1Pem) }), kind: 'sec1', says: 'UTF-32LE' },
  { name: 'UTF-8 PEM with a byte order mark and CRLF', file: () => ({ name: 'server.pem', bytes: text(`\uFEFF${k.rsaPkcs8Pem.replace(/\n/g, '\r\n')}`) }), kind: 'pkcs8' },
  // Bare encodings in text.
  { name: 'bare base64 key text after a certificate', file: () => ({ name: 'chain.pem', bytes: text(`${k.certificatePem}\n${pemBody(k.rsaPkcs8Pem)}\n`) }), kind: 'pkcs8', says: 'in base64 text' },
  { name: 'base64 on one line inside prose', file: () => ({ name: 'notes.txt', bytes: text(`The key is ${Buffer.from(k.ecSec1Der).toString('base64')} (do not share).`) }), kind: 'sec1' },
  { name: 'base64url in a JSON string', file: () => ({ name: 'data.json', bytes: text(JSON.stringify({ blob: Buffer.from(k.rsaPkcs1Der).toString('base64url') })) }), kind: 'pkcs1' },
  { name: 'PEM body with \\n escapes in JSON', file: () => ({ name: 'data.json', bytes: text(JSON.stringify({ key: pemBody(k.encryptedPem) + '\n' })) }), kind: 'encrypted-pkcs8' },
  { name: 'hex dump of the DER (xxd -p)', file: () => ({ name: 'dump.txt', bytes: text(hexLines(k.ed25519Der)) }), kind: 'pkcs8', says: 'in hex text' },
  { name: 'colon hex of the DER', file: () => ({ name: 'dump.txt', bytes: text(Buffer.from(k.ecSec1Der).toString('hex').replace(/(..)(?!$)/g, '$1:')) }), kind: 'sec1' },
  // Binary positions.
  { name: 'DER key after one leading byte', file: () => ({ name: 'server.der', bytes: join(Uint8Array.of(0x00), k.rsaPkcs8Der) }), kind: 'pkcs8', says: 'at byte 1' },
  { name: 'DER key appended to a certificate', file: () => ({ name: 'server.der', bytes: join(k.certificateDer, k.ed25519Der) }), kind: 'pkcs8' },
  { name: 'PKCS#8 key cut off halfway', file: () => ({ name: 'cut.der', bytes: k.rsaPkcs8Der.slice(0, 600) }), kind: 'pkcs8', says: 'cut off' },
  { name: 'DER key inside a PNG text chunk, uncompressed', file: () => ({ name: 'status-basics.png', bytes: join(pngWithZtxt('x', ''), k.ecSec1Der) }), kind: 'sec1' },
  // Containers.
  { name: 'key inside a .zip (deflated)', file: () => ({ name: 'bundle.zip', bytes: makeZip([{ name: 'keys/server.key', bytes: text(k.rsaPkcs8Pem) }]) }), kind: 'pkcs8', says: /bundle\.zip\/keys\/server\.key/ },
  { name: 'key inside a .zip (stored)', file: () => ({ name: 'bundle.zip', bytes: makeZip([{ name: 'a.der', bytes: k.rsaPkcs1Der, deflate: false }]) }), kind: 'pkcs1' },
  { name: 'key inside a .zip with data descriptors (jszip streamFiles)', file: () => ({ name: 'bundle.zip', bytes: streamedZip }), kind: 'sec1' },
  { name: 'key inside .gz', file: () => ({ name: 'server.pem.gz', bytes: new Uint8Array(gzipSync(k.rsaPkcs8Pem)) }), kind: 'pkcs8', says: 'inside gzip data' },
  { name: 'key inside a zlib stream', file: () => ({ name: 'server.z', bytes: new Uint8Array(deflateSync(k.encryptedDer)) }), kind: 'encrypted-pkcs8', says: 'inside zlib data' },
  { name: 'key in .zip in .zip in .gz', file: () => ({ name: 'nested.gz', bytes: new Uint8Array(gzipSync(makeZip([{ name: 'inner.zip', bytes: makeZip([{ name: 'id', bytes: text(k.opensshPrivate) }]) }]))) }), kind: 'openssh', says: /nested\.gz\/inner\.zip\/id/ },
  { name: 'gzip member appended to a certificate', file: () => ({ name: 'server.crt', bytes: join(k.certificatePem, gzipSync(k.ed25519Der)) }), kind: 'pkcs8' },
  { name: 'base64 text of a gzipped key', file: () => ({ name: 'notes.txt', bytes: text(gzipSync(k.rsaPkcs1Der).toString('base64')) }), kind: 'pkcs1' },
  { name: 'key in a PNG compressed text chunk (zTXt)', file: () => ({ name: 'status-basics.png', bytes: pngWithZtxt('Comment', k.ecSec1Pem) }), kind: 'sec1', says: 'PNG' },
];

describe('every way a key can hide is found', () => {
  test.each(hidden)('$name', ({ file, kind, says }) => {
    const made = file();
    const report = findPrivateKeys(made);
    expect(kinds(report)).toContain(kind);
    if (says) expect(report.findings.map((f) => `${f.where}: ${f.what}`).join('\n')).toMatch(says);
    const refusal = privateKeyRefusal(report);
    expect(refusal).toBeInstanceOf(CertdeskError);
    expect(refusal!.code).toBe('private-key-in-support-package');
    expect(refusal!.message).toContain(report.findings[0]!.where);
  });
});

const clean: { name: string; file: () => { name: string; bytes: Uint8Array } }[] = [
  { name: 'certificate PEM', file: () => ({ name: '01-server.crt', bytes: text(k.certificatePem) }) },
  { name: 'certificate DER', file: () => ({ name: 'server.cer', bytes: k.certificateDer }) },
  { name: 'full chain PEM (fixture)', file: () => ({ name: 'chain.pem', bytes: fixture('openssl-set', 'rsa', 'server-fullchain.pem') }) },
  { name: 'PKCS#7 DER (openssl crl2pkcs7)', file: () => ({ name: 'chain.p7b', bytes: k.pkcs7Der }) },
  { name: 'PKCS#7 PEM', file: () => ({ name: 'chain.p7b', bytes: text(k.pkcs7Pem) }) },
  { name: 'PKCS#7 from Windows (fixture, BER)', file: () => ({ name: 'chain.p7c', bytes: fixture('openssl-set', 'rsa', 'server-fullchain.p7c') }) },
  { name: 'Mozilla root store PEM, 150 roots (fixture)', file: () => ({ name: 'roots.pem', bytes: fixture('mozilla-roots.pem') }) },
  { name: 'public key PEM', file: () => ({ name: 'key.pub', bytes: text(k.publicKeyPem) }) },
  { name: 'public key DER', file: () => ({ name: 'key.pub.der', bytes: k.publicKeyDer }) },
  { name: 'CSR PEM', file: () => ({ name: 'request.csr', bytes: text(k.csrPem) }) },
  { name: 'CSR DER', file: () => ({ name: 'request.der', bytes: k.csrDer }) },
  { name: 'the test PNG with a text chunk', file: () => ({ name: 'status-basics.png', bytes: pngWithZtxt('Software', 'Certdesk') }) },
  { name: 'OpenSSH public key line', file: () => ({ name: 'id.pub', bytes: text(k.opensshPublic) }) },
  { name: 'OpenPGP public key block', file: () => ({ name: 'key.asc', bytes: text(k.pgpPublic) }) },
  { name: 'public JWK', file: () => ({ name: 'key.json', bytes: text(JSON.stringify({ kty: 'RSA', n: k.rsaJwk.n, e: k.rsaJwk.e })) }) },
  { name: 'Java keystore with only a trusted certificate', file: () => ({ name: 'trust.jks', bytes: k.jksTrustedOnly }) },
  { name: 'text about private keys', file: () => ({ name: 'readme.txt', bytes: text('Never send the private key. The BEGIN PRIVATE KEY line marks one; a PuTTY key file or "d" member does too.\n') }) },
  { name: 'certificates in a .zip and a .gz', file: () => ({ name: 'certs.zip', bytes: makeZip([{ name: 'a.crt', bytes: text(k.certificatePem) }, { name: 'b.cer.gz', bytes: gzipSync(k.certificateDer) }]) }) },
  { name: '1 MB of random bytes (seeded)', file: () => ({ name: 'random.bin', bytes: seededRandom(1 << 20, 12) }) },
  { name: 'an empty file', file: () => ({ name: 'empty.txt', bytes: new Uint8Array(0) }) },
];

/** xorshift32: the same bytes on every run. */
describe('what must pass', () => {
  test.each(clean)('$name', ({ file }) => {
    const report = findPrivateKeys(file());
    expect(report.findings).toEqual([]);
    expect(report.unchecked).toEqual([]);
    expect(privateKeyRefusal(report)).toBeUndefined();
  });
});

describe('what cannot be looked into is refused as unchecked', () => {
  const encryptedZip = () => {
    const zip = Buffer.from(makeZip([{ name: 'secret.txt', bytes: text('hello') }]));
    zip.writeUInt16LE(zip.readUInt16LE(6) | 1, 6); // general purpose flag bit 0: encrypted
    return new Uint8Array(zip);
  };
  test.each([
    { name: 'an encrypted .zip entry', file: { name: 'a.zip', bytes: encryptedZip() }, why: 'entry "secret.txt" is encrypted' },
    { name: 'an xz archive (xz -c)', file: { name: 'a.xz', bytes: xz(k.certificatePem) }, why: 'an xz archive' },
    { name: 'a zip entry in an unsupported method', file: { name: 'a.zip', bytes: withMethod(makeZip([{ name: 'b.bin', bytes: text('x') }]), 12) }, why: 'method 12' },
    { name: 'a .gz cut off halfway', file: { name: 'chain.pem.gz', bytes: cutHalf(gzipSync(k.certificatePem)) }, why: 'gzip data is damaged or cut off' },
    { name: 'a .zip entry cut off', file: { name: 'a.zip', bytes: cutHalf(makeZip([{ name: 'chain.pem', bytes: text(k.certificatePem.repeat(4)) }])) }, why: 'entry "chain.pem" is damaged or cut off' },
    { name: 'whole-file DER cut off (fixture certificate, 200 bytes)', file: { name: 'cut.der', bytes: fixture('openssl-set', 'rsa', 'server.der').slice(0, 200) }, why: 'cut off after 200 of its' },
  ])('$name', ({ file, why }) => {
    const report = findPrivateKeys(file);
    expect(report.findings).toEqual([]);
    expect(report.unchecked.map((u) => u.why).join('\n')).toContain(why);
    const refusal = privateKeyRefusal(report)!;
    expect(refusal.code).toBe('support-file-unreadable');
    expect(refusal.message).toContain(`"${file.name}"`);
  });
});

function cutHalf(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.subarray(0, Math.floor(bytes.length / 2)));
}

function withMethod(zip: Uint8Array, method: number): Uint8Array {
  const out = Buffer.from(zip);
  out.writeUInt16LE(method, 8);
  return new Uint8Array(out);
}

describe('limits (limits.keyGuard), each at the limit and just past it', () => {
  const nest = (bytes: Uint8Array | string, times: number): Uint8Array => {
    let out = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
    for (let i = 0; i < times; i++) out = gzipSync(out);
    return new Uint8Array(out);
  };

  test(`nesting: a certificate PEM in ${limits.keyGuard.maxDepth - 1} gzip layers is read to its DER (depth ${limits.keyGuard.maxDepth}); one more layer is unchecked`, () => {
    const atLimit = findPrivateKeys({ name: 'deep.gz', bytes: nest(k.certificatePem, limits.keyGuard.maxDepth - 1) });
    expect(atLimit).toMatchObject({ findings: [], unchecked: [] });
    const past = findPrivateKeys({ name: 'deep.gz', bytes: nest(k.certificatePem, limits.keyGuard.maxDepth) });
    expect(past.unchecked).toEqual([{ where: 'deep.gz', why: expect.stringContaining(`more than ${limits.keyGuard.maxDepth} deep`) }]);
    expect(privateKeyRefusal(past)!.code).toBe('support-file-unreadable');
  });

  test('a key at the deepest level read is still found', () => {
    const report = findPrivateKeys({ name: 'deep.gz', bytes: nest(k.rsaPkcs8Pem, limits.keyGuard.maxDepth - 1) });
    expect(kinds(report)).toContain('pkcs8');
  });

  test(`decompressed bytes: exactly ${limits.keyGuard.maxInflatedBytes / 1024 / 1024} MB passes; one byte more is refused as a zip bomb`, () => {
    const atLimit = findPrivateKeys({ name: 'zeros.gz', bytes: new Uint8Array(gzipSync(Buffer.alloc(limits.keyGuard.maxInflatedBytes))) });
    expect(atLimit).toMatchObject({ findings: [], unchecked: [], inflatedBytes: limits.keyGuard.maxInflatedBytes });
    const past = findPrivateKeys({ name: 'bomb.zip', bytes: makeZip([{ name: 'zeros', bytes: Buffer.alloc(limits.keyGuard.maxInflatedBytes + 1) }]) });
    expect(past.unchecked).toEqual([{ where: 'bomb.zip', why: expect.stringContaining('zip bomb') }]);
    expect(past.inflatedBytes).toBeLessThanOrEqual(limits.keyGuard.maxInflatedBytes + 64 * 1024);
  });

  test(`archive entries: ${limits.keyGuard.maxEntries.toLocaleString('en')} pass, one more is refused`, () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}.txt`, bytes: text('ok'), deflate: false }));
    const atLimit = findPrivateKeys({ name: 'many.zip', bytes: makeZip(entries(limits.keyGuard.maxEntries)) });
    expect(atLimit).toMatchObject({ findings: [], unchecked: [] });
    const past = findPrivateKeys({ name: 'many.zip', bytes: makeZip(entries(limits.keyGuard.maxEntries + 1)) });
    expect(past.unchecked).toEqual([{ where: 'many.zip', why: expect.stringContaining('archive entries') }]);
  });

  test('scanned bytes: a file whose scan costs exactly the limit passes; one byte less of limit refuses it', () => {
    const file = { name: 'chain.pem', bytes: fixture('openssl-set', 'rsa', 'server-fullchain.pem') };
    const cost = findPrivateKeys(file).scannedBytes;
    expect(findPrivateKeys(file, { limits: { maxScannedBytes: cost } })).toMatchObject({ findings: [], unchecked: [] });
    const past = findPrivateKeys(file, { limits: { maxScannedBytes: cost - 1 } });
    expect(past.unchecked).toEqual([{ where: 'chain.pem', why: expect.stringContaining('limits.keyGuard.maxScannedBytes') }]);
  });

  test(`file size: ${limits.maxFileBytes / 1024 / 1024} MB is scanned; one byte more is refused unread`, () => {
    const atLimit = findPrivateKeys({ name: 'big.bin', bytes: seededRandom(limits.maxFileBytes, 7) });
    expect(atLimit).toMatchObject({ findings: [], unchecked: [] });
    const past = findPrivateKeys({ name: 'big.bin', bytes: new Uint8Array(limits.maxFileBytes + 1) });
    expect(past).toMatchObject({ findings: [], unchecked: [{ where: 'big.bin', why: expect.stringContaining('larger than') }], scannedBytes: 0 });
  });

  test(`a single base64 run of ${limits.maxFileBytes / 1024 / 1024} MB is scanned to its end (a regular expression overflowed the stack)`, () => {
    const base64 = Buffer.from(seededRandom((limits.maxFileBytes / 4) * 3, 3)).toString('base64').replace(/(.{64})/g, '$1\n');
    const key = `\n${pemBody(k.rsaPkcs1Pem)}\n`;
    const bytes = text(base64.slice(0, limits.maxFileBytes - key.length - 1) + key);
    const report = findPrivateKeys({ name: 'big.b64', bytes });
    expect(report.unchecked).toEqual([]);
    expect(kinds(report)).toContain('pkcs1');
  });

  test(`findings stop at ${limits.keyGuard.maxFindings}: one is enough to refuse`, () => {
    const many = Array.from({ length: 30 }, (_, i) => relabel(k.rsaPkcs8Pem, `KEY ${i} PRIVATE KEY`)).join('');
    expect(findPrivateKeys({ name: 'many.pem', bytes: text(many) }).findings).toHaveLength(limits.keyGuard.maxFindings);
  });

  test('a cancelled scan ends in an AbortError', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => findPrivateKeys({ name: 'a.pem', bytes: text(k.certificatePem) }, { signal: controller.signal })).toThrow(
      expect.objectContaining({ name: 'AbortError' }),
    );
  });
});

describe('the report names the file, the entry and the wrapping, with hidden characters shown', () => {
  test('an entry name with a right-to-left override is shown made visible', () => {
    const report = findPrivateKeys({ name: 'bundle.zip', bytes: makeZip([{ name: 'yek.\u202Etxt', bytes: k.ed25519Der, deflate: false }]) });
    expect(report.findings.map((f) => f.where)).toContain('bundle.zip/yek.⟨U+202E⟩txt');
  });

  test('the refusal lists at most three findings and says how many more', () => {
    const report = findPrivateKeys({ name: 'many.pem', bytes: text([k.rsaPkcs8Pem, k.rsaPkcs1Pem, k.ecSec1Pem].join('')) });
    expect(report.findings.length).toBeGreaterThan(3);
    expect(privateKeyRefusal(report)!.message).toMatch(/^Found many\.pem: .*; many\.pem: .*; many\.pem: .*, and \d+ more\. A private key must never be sent/);
  });
});

describe('independent check: what the guard calls a key, OpenSSL reads as one', () => {
  test.each([
    ['PKCS#8 DER', () => k.rsaPkcs8Der, ['pkcs8', '-inform', 'DER', '-nocrypt']],
    ['PKCS#1 DER', () => k.rsaPkcs1Der, ['rsa', '-inform', 'DER', '-noout']],
    ['SEC1 DER', () => k.ecSec1Der, ['ec', '-inform', 'DER', '-noout']],
    ['DSA DER', () => k.dsaDer, ['dsa', '-inform', 'DER', '-noout']],
    ['encrypted PKCS#8 DER', () => k.encryptedDer, ['pkcs8', '-inform', 'DER', '-passin', 'pass:secret']],
  ] as const)('%s', (_, bytes, args) => {
    const result = spawnSync('openssl', [...args], { input: bytes() });
    expect(result.status, result.stderr.toString()).toBe(0);
    expect(findPrivateKeys({ name: 'k', bytes: bytes() }).findings.length).toBeGreaterThan(0);
  });
});


describe('hostile bytes never throw', () => {
  const seeds = [text(k.rsaPkcs8Pem), k.rsaPkcs8Der, makeZip([{ name: 'k.pem', bytes: text(k.ecSec1Pem) }]), new Uint8Array(gzipSync(k.certificatePem)), k.pkcs12, k.pgpBinary, k.jksWithKey];
  test('mutated keys, archives and streams end in a report (fast-check, seeded)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 16 }), fc.nat(), (which, flips, cut) => {
        const bytes = seeds[which]!.slice(0, Math.max(1, seeds[which]!.length - (cut % 64)));
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        const report = findPrivateKeys({ name: 'fuzz', bytes });
        expect(Array.isArray(report.findings) && Array.isArray(report.unchecked)).toBe(true);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  test.each([
    ['10 MB of dashes (armour backtracking)', () => new Uint8Array(limits.maxFileBytes).fill(0x2d)],
    ['10,000 gzip headers back to back', () => Uint8Array.from({ length: 100_010 }, (_, i) => [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3][i % 10]!)],
    ['"-----BEGIN " a million times', () => text('-----BEGIN '.repeat(1_000_000))],
  ])('%s', (_, make) => {
    const report = findPrivateKeys({ name: 'hostile', bytes: make() });
    expect(report.findings).toEqual([]);
  });
});
