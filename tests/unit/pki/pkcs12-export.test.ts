import { describe, expect, it } from 'vitest';
import { sha1 } from '@noble/hashes/legacy.js';
import { limits } from '../../../src/core/pki/limits';
import { exportPkcs12, importPkcs12, type Pkcs12Preset } from '../../../src/core/pki/pkcs12';
import { children, readAlgorithm, readDer, readOctetString, readOid, readSmallInteger, type Tlv } from '../../../src/core/pki/asn1';
import { readPbeScheme } from '../../../src/core/pki/pkcs12/pbes';

const readSingle = (bytes: Uint8Array, _what: string): Tlv => readDer(bytes, 'ber');
const expectSequence = (tlv: Tlv | undefined, _what: string): Tlv[] => children(tlv!);
const childrenOf = (tlv: Tlv): Tlv[] => children(tlv);
const oidOf = (tlv: Tlv | undefined, what: string): string => readOid(tlv, what);
const octetStringOf = (tlv: Tlv | undefined, what: string): Uint8Array => readOctetString(tlv, what);
const integerOf = (tlv: Tlv | undefined, what: string): number => readSmallInteger(tlv, what);
import { fixtureText } from '../../support/fixtures';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const pemBlocks = (text: string): Uint8Array[] =>
  [...text.matchAll(/-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/g)].map(
    (m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')),
  );
const pem = (family: string, name: string) => pemBlocks(fixtureText('openssl-set', family, name))[0]!;

const chains = {
  rsa: { key: pem('rsa', 'server.pkcs8.pem'), certs: [pem('rsa', 'server.pem'), pem('rsa', 'ica.pem'), pem('rsa', 'root.pem')] },
  ec: { key: pem('ec', 'server.pkcs8.pem'), certs: [pem('ec', 'server.pem'), pem('ec', 'ica.pem'), pem('ec', 'root.pem')] },
};

/** What the file says about its protection: MAC digest OID and iterations, and each content's scheme. */
function describeFile(pfx: Uint8Array) {
  const top = expectSequence(readSingle(pfx, 'pfx'), 'pfx');
  const authSafe = octetStringOf(childrenOf(expectSequence(top[1], 'a')[1]!)[0], 'a');
  const mac = expectSequence(top[2], 'mac');
  const contents = expectSequence(readSingle(authSafe, 'a'), 'a').map((ci) => {
    const parts = expectSequence(ci, 'ci');
    const type = oidOf(parts[0], 't');
    const inner = childrenOf(parts[1]!)[0]!;
    if (type === '1.2.840.113549.1.7.6') {
      const eci = expectSequence(expectSequence(inner, 'ed')[1], 'eci');
      return { type: 'encrypted', scheme: readPbeScheme(eci[1], 'certs') };
    }
    const bags = expectSequence(readSingle(octetStringOf(inner, 'x'), 'sc'), 'sc');
    const epki = expectSequence(childrenOf(expectSequence(bags[0], 'bag')[1]!)[0], 'epki');
    return { type: 'data', scheme: readPbeScheme(epki[0], 'key') };
  });
  return {
    macDigest: readAlgorithm(expectSequence(mac[0], 'di')[0], 'alg').oid,
    macSaltLength: octetStringOf(mac[1], 'salt').length,
    macIterations: integerOf(mac[2], 'iter'),
    contents,
  };
}

describe('exportPkcs12: presets', () => {
  const presets: { preset: Pkcs12Preset; macDigest: string; iterations: number }[] = [
    { preset: 'modern', macDigest: '2.16.840.1.101.3.4.2.1', iterations: 100_000 },
    { preset: 'legacy', macDigest: '1.3.14.3.2.26', iterations: 2048 },
  ];
  it.each(presets)('$preset writes what it promises', async ({ preset, macDigest, iterations }) => {
    const { key, certs } = chains.rsa;
    const pfx = await exportPkcs12({ privateKey: key, certificates: certs, friendlyName: 'appliance', password: 'changeit', preset });
    const d = describeFile(pfx);
    expect(d.macDigest).toBe(macDigest);
    expect(d.macIterations).toBe(iterations);
    expect(d.contents.map((c) => c.type)).toEqual(['encrypted', 'data']);
    for (const { scheme } of d.contents) {
      expect(scheme.iterations).toBe(iterations);
      if (preset === 'modern') {
        expect(scheme).toMatchObject({ kind: 'pbes2', cipher: 'AES-256-CBC' });
        if (scheme.kind === 'pbes2') expect(scheme.prf.name).toBe('SHA-256');
      } else {
        expect(scheme).toMatchObject({ kind: 'pkcs12', cipher: 'DES-EDE3-CBC' });
      }
    }
  });

  const combos = (['rsa', 'ec'] as const).flatMap((family) =>
    (['modern', 'legacy'] as const).map((preset) => ({ family, preset })),
  );
  it.each(combos)('$family/$preset: reads back key, chain, friendlyName and localKeyId', async ({ family, preset }) => {
    const { key, certs } = chains[family];
    const pfx = await exportPkcs12({ privateKey: key, certificates: certs, friendlyName: 'Appliance ☺ 2026', password: 'changeit', preset, iterations: 1000 });
    const back = await importPkcs12(pfx, 'changeit');
    expect(back.integrity).toBe('mac');
    expect(back.keys.map((k) => hex(k.value))).toEqual([hex(key)]);
    expect(back.certificates.map((c) => hex(c.value))).toEqual(certs.map(hex));
    const keyId = hex(sha1(certs[0]!));
    expect(back.keys[0]).toMatchObject({ friendlyName: 'Appliance ☺ 2026' });
    expect(hex(back.keys[0]!.localKeyId!)).toBe(keyId);
    expect(back.certificates[0]!.friendlyName).toBe('Appliance ☺ 2026');
    expect(hex(back.certificates[0]!.localKeyId!)).toBe(keyId);
    expect(back.certificates.slice(1).map((c) => [c.friendlyName, c.localKeyId])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });
});

describe('exportPkcs12: shapes and passwords', () => {
  const { key, certs } = chains.ec;
  const cases = [
    { name: 'key only', input: { privateKey: key, certificates: [] }, keys: 1, certs: 0 },
    { name: 'certificates only', input: { certificates: certs }, keys: 0, certs: 3 },
    { name: 'leaf only, no friendlyName', input: { privateKey: key, certificates: [certs[0]!] }, keys: 1, certs: 1 },
  ];
  it.each(cases)('$name', async ({ input, keys, certs: n }) => {
    for (const preset of ['modern', 'legacy'] as const) {
      const pfx = await exportPkcs12({ ...input, password: 'pw', preset, iterations: 10 });
      const back = await importPkcs12(pfx, 'pw');
      expect(back.keys).toHaveLength(keys);
      expect(back.certificates).toHaveLength(n);
      if (!input.privateKey) expect(back.certificates[0]!.localKeyId).toBeUndefined();
    }
  });

  it.each(['', 'pässwörd€', '密码 🔑', 'x'.repeat(200)])('password %j round-trips; a wrong one is refused', async (password) => {
    for (const preset of ['modern', 'legacy'] as const) {
      const pfx = await exportPkcs12({ privateKey: key, certificates: certs, password, preset, iterations: 10 });
      expect((await importPkcs12(pfx, password)).keys).toHaveLength(1);
      await expect(importPkcs12(pfx, password + '!')).rejects.toMatchObject({ code: 'wrong-password' });
    }
  });

  it('an empty-password file also opens with no password (null), as OpenSSL allows', async () => {
    const pfx = await exportPkcs12({ privateKey: key, certificates: certs, password: '', preset: 'legacy', iterations: 10 });
    expect((await importPkcs12(pfx, null)).keys).toHaveLength(1);
  });

  it('opens a file whose PKCS#12 password was encoded the pre-1.1.0 OpenSSL way (UTF-8 bytes as Latin-1)', async () => {
    const password = 'pässwörd';
    const broken = String.fromCharCode(...new TextEncoder().encode(password));
    const pfx = await exportPkcs12({ privateKey: key, certificates: certs, password: broken, preset: 'legacy', iterations: 10 });
    expect((await importPkcs12(pfx, password)).keys.map((k) => hex(k.value))).toEqual([hex(key)]);
  });

  it('uses fresh salts: two exports differ', async () => {
    const a = await exportPkcs12({ privateKey: key, certificates: certs, password: 'x', preset: 'modern', iterations: 1 });
    const b = await exportPkcs12({ privateKey: key, certificates: certs, password: 'x', preset: 'modern', iterations: 1 });
    expect(hex(a)).not.toBe(hex(b));
  });

  it(`exports limits.maxPkcs12Certificates certificates and refuses one more`, async () => {
    const many = Array.from({ length: limits.maxPkcs12Certificates }, () => certs[2]!);
    const pfx = await exportPkcs12({ certificates: many, password: 'x', preset: 'legacy', iterations: 1 });
    expect((await importPkcs12(pfx, 'x')).certificates).toHaveLength(limits.maxPkcs12Certificates);
    await expect(
      exportPkcs12({ certificates: [...many, certs[2]!], password: 'x', preset: 'legacy', iterations: 1 }),
    ).rejects.toMatchObject({ code: 'limit-exceeded', message: expect.stringContaining('limits.maxPkcs12Certificates') });
  });
});

describe('exportPkcs12: refuses bad input', () => {
  const { key, certs } = chains.rsa;
  const trad = pemBlocks(fixtureText('openssl-set', 'rsa', 'server.trad.pem'))[0]!;
  const cases = [
    { name: 'nothing to export', input: { certificates: [] }, code: 'invalid-input' },
    { name: 'iterations 0', input: { privateKey: key, certificates: certs, iterations: 0 }, code: 'invalid-input' },
    { name: 'iterations 2.5', input: { privateKey: key, certificates: certs, iterations: 2.5 }, code: 'invalid-input' },
    { name: 'iterations past limits.maxKdfIterations', input: { privateKey: key, certificates: certs, iterations: limits.maxKdfIterations + 1 }, code: 'invalid-input' },
    { name: 'a PKCS#1 key', input: { privateKey: trad, certificates: certs }, code: 'invalid-input' },
    { name: 'PEM text as a certificate', input: { privateKey: key, certificates: [new TextEncoder().encode('-----BEGIN')] }, code: 'invalid-input' },
    { name: 'a certificate with trailing bytes', input: { privateKey: key, certificates: [Uint8Array.from([...certs[0]!, 0])] }, code: 'invalid-input' },
    { name: 'an unknown preset', input: { privateKey: key, certificates: certs, preset: 'fips' as Pkcs12Preset }, code: 'invalid-input' },
  ];
  it.each(cases)('$name → $code', async ({ input, code }) => {
    await expect(exportPkcs12({ password: 'x', preset: 'legacy', ...input })).rejects.toMatchObject({ code });
  });

  it('translates a failure inside the work into export-failed, never a raw error', async () => {
    const hostileName = { length: 1, charCodeAt: () => { throw new TypeError('boom'); } } as unknown as string;
    const promise = exportPkcs12({ privateKey: key, certificates: certs, friendlyName: hostileName, password: 'x', preset: 'legacy', iterations: 1 });
    await expect(promise).rejects.toMatchObject({ code: 'export-failed', name: 'CertdeskError' });
  });

  it.each([
    // Reading back costs per iteration about 5 compressions (modern: the MAC's KDF, two PBKDF2
    // at 2 each) or 7 (legacy: the MAC's KDF, two parts of key (2 blocks) and IV (1 block)).
    ['modern', Math.ceil(limits.maxWorkPerFile / 5) + 1000],
    ['legacy', Math.ceil(limits.maxWorkPerFile / 7) + 1000],
  ] as const)('%s with %d iterations cannot be read back within limits.maxWorkPerFile → refused before any work', async (preset, iterations) => {
    const started = performance.now();
    await expect(exportPkcs12({ privateKey: key, certificates: certs, password: 'x', preset, iterations })).rejects.toMatchObject({
      code: 'work-limit-exceeded',
      message: expect.stringContaining('limits.maxWorkPerFile'),
    });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('honours an aborted signal', async () => {
    const c = new AbortController();
    c.abort();
    await expect(exportPkcs12({ privateKey: key, certificates: certs, password: 'x', preset: 'modern', signal: c.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
