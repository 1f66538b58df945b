/**
 * PKCS#12 and encrypted PKCS#8 both ways through the OpenSSL 3 CLI: what Certdesk writes,
 * OpenSSL reads (and the key in it matches the certificate); what OpenSSL writes with any of its
 * cipher, MAC and PRF options, Certdesk reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptPrivateKeyInfo, encryptPrivateKeyInfo, exportPkcs12, importPkcs12 } from '../../src/core/pki/pkcs12';
import { fixturePath, fixtureText, openssl, tempDir, writeTemp } from '../support/fixtures';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const pemBlocks = (text: string): Uint8Array[] =>
  [...text.matchAll(/-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/g)].map(
    (m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')),
  );
const pem = (family: string, name: string) => pemBlocks(fixtureText('openssl-set', family, name))[0]!;

function ok(args: string[], input?: string): string {
  const r = openssl(args, input);
  expect(r.status, `openssl ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout + r.stderr;
}

/** The public key OpenSSL sees in a certificate (PEM SubjectPublicKeyInfo). */
const certPublicKey = (family: string, name: string) => ok(['x509', '-in', fixturePath('openssl-set', family, `${name}.pem`), '-pubkey', '-noout']);

const families = ['rsa', 'ec'] as const;

describe('OpenSSL reads what Certdesk writes: PKCS#12', () => {
  const cases = families.flatMap((family) =>
    (['modern', 'legacy'] as const).flatMap((preset) =>
      ['changeit', 'pässwörd€', 'k🔑y', ''].map((password) => ({ family, preset, password })),
    ),
  );
  it.each(cases)('$family, $preset, password $password', async ({ family, preset, password }) => {
    const key = pem(family, 'server.pkcs8.pem');
    const certs = [pem(family, 'server.pem'), pem(family, 'ica.pem'), pem(family, 'root.pem')];
    const pfx = await exportPkcs12({ privateKey: key, certificates: certs, friendlyName: 'appliance', password, preset });
    const dir = tempDir();
    const file = writeTemp(dir, 'out.p12', pfx);
    const pass = `pass:${password}`;

    const info = ok(['pkcs12', '-info', '-noout', '-in', file, '-passin', pass]);
    if (preset === 'modern') {
      expect(info).toContain('MAC: sha256, Iteration 100000');
      expect(info).toContain('PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256');
      expect(info).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256');
    } else {
      expect(info).toContain('MAC: sha1, Iteration 2048');
      expect(info).toContain('PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
      expect(info).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
      ok(['pkcs12', '-legacy', '-info', '-noout', '-in', file, '-passin', pass]);
    }
    expect(info.match(/Certificate bag/g)).toHaveLength(3);

    // The key in the file matches the leaf certificate, and is the key we put in.
    const keyPem = join(dir, 'key.pem');
    ok(['pkcs12', '-in', file, '-passin', pass, '-nocerts', '-nodes', '-out', keyPem]);
    expect(ok(['pkey', '-in', keyPem, '-pubout'])).toBe(certPublicKey(family, 'server'));
    const keyDer = join(dir, 'key.der');
    ok(['pkcs8', '-topk8', '-nocrypt', '-in', keyPem, '-outform', 'DER', '-out', keyDer]);
    expect(hex(new Uint8Array(readFileSync(keyDer)))).toBe(hex(key));

    const certsOut = ok(['pkcs12', '-in', file, '-passin', pass, '-nokeys']);
    expect(pemBlocks(certsOut).map(hex)).toEqual(certs.map(hex));
    expect(certsOut).toContain('friendlyName: appliance');
    expect(certsOut).toMatch(/localKeyID: [0-9A-F ]+/);

    // A wrong password is refused by OpenSSL too.
    expect(openssl(['pkcs12', '-info', '-noout', '-in', file, '-passin', `pass:${password}x`]).status).not.toBe(0);
  });
});

describe('OpenSSL reads what Certdesk writes: encrypted PKCS#8', () => {
  const cases = families.flatMap((family) => (['modern', 'legacy'] as const).map((preset) => ({ family, preset })));
  it.each(cases)('$family, $preset', async ({ family, preset }) => {
    const key = pem(family, 'server.pkcs8.pem');
    const encrypted = await encryptPrivateKeyInfo(key, 'pässwörd', { preset });
    const dir = tempDir();
    const file = writeTemp(dir, 'key.der', encrypted);
    const plain = join(dir, 'plain.der');
    ok(['pkcs8', '-topk8', '-nocrypt', '-inform', 'DER', '-in', file, '-passin', 'pass:pässwörd', '-outform', 'DER', '-out', plain]);
    expect(hex(new Uint8Array(readFileSync(plain)))).toBe(hex(key));
    expect(ok(['pkey', '-inform', 'DER', '-in', file, '-passin', 'pass:pässwörd', '-pubout'])).toBe(certPublicKey(family, 'server'));
    expect(openssl(['pkey', '-inform', 'DER', '-in', file, '-passin', 'pass:wrong', '-noout']).status).not.toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('Certdesk reads what OpenSSL writes: every pkcs12 -export option that changes the format', () => {
  const variants: { name: string; args: string[]; integrity: 'mac' | 'none' }[] = [
    { name: 'defaults (PBES2 AES-256, SHA-256 MAC)', args: [], integrity: 'mac' },
    { name: '-legacy (RC2-40 certs, 3DES key, SHA-1 MAC)', args: ['-legacy'], integrity: 'mac' },
    { name: 'AES-128-CBC', args: ['-keypbe', 'AES-128-CBC', '-certpbe', 'AES-128-CBC'], integrity: 'mac' },
    { name: 'AES-192-CBC', args: ['-keypbe', 'AES-192-CBC', '-certpbe', 'AES-192-CBC'], integrity: 'mac' },
    { name: 'PBES2 DES-EDE3-CBC', args: ['-keypbe', 'DES-EDE3-CBC', '-certpbe', 'DES-EDE3-CBC'], integrity: 'mac' },
    { name: 'RC2-128', args: ['-legacy', '-keypbe', 'PBE-SHA1-RC2-128', '-certpbe', 'PBE-SHA1-RC2-128'], integrity: 'mac' },
    { name: '2-key 3DES', args: ['-legacy', '-keypbe', 'PBE-SHA1-2DES', '-certpbe', 'PBE-SHA1-2DES'], integrity: 'mac' },
    { name: '-descert', args: ['-descert'], integrity: 'mac' },
    { name: 'MAC SHA-1', args: ['-macalg', 'sha1'], integrity: 'mac' },
    { name: 'MAC SHA-224', args: ['-macalg', 'sha224'], integrity: 'mac' },
    { name: 'MAC SHA-384', args: ['-macalg', 'sha384'], integrity: 'mac' },
    { name: 'MAC SHA-512', args: ['-macalg', 'sha512'], integrity: 'mac' },
    { name: 'no MAC', args: ['-nomac'], integrity: 'none' },
    { name: '-noiter -nomaciter (iterations 1, MAC iterations left at DEFAULT)', args: ['-noiter', '-nomaciter'], integrity: 'mac' },
    { name: 'certificates not encrypted', args: ['-certpbe', 'NONE'], integrity: 'mac' },
    { name: 'key not encrypted', args: ['-keypbe', 'NONE'], integrity: 'mac' },
    { name: '-iter 300000', args: ['-iter', '300000'], integrity: 'mac' },
  ];
  const cases = families.flatMap((family) =>
    variants.flatMap((v) => ['changeit', 'pässwörd€', 'k🔑y', ''].map((password) => ({ ...v, family, password }))),
  );
  it.each(cases)('$family, $name, password $password', async ({ family, args, integrity, password }) => {
    const dir = tempDir();
    const file = join(dir, 'in.p12');
    const f = (n: string) => fixturePath('openssl-set', family, n);
    ok(['pkcs12', '-export', '-in', f('server.pem'), '-inkey', f('server.pkcs8.pem'), '-certfile', f('ca-bundle.pem'), '-name', 'srv', '-passout', `pass:${password}`, '-out', file, ...args]);
    const contents = await importPkcs12(new Uint8Array(readFileSync(file)), password);
    expect(contents.integrity).toBe(integrity);
    expect(contents.keys.map((k) => hex(k.value))).toEqual([hex(pem(family, 'server.pkcs8.pem'))]);
    expect(contents.keys[0]!.friendlyName).toBe('srv');
    expect(contents.certificates).toHaveLength(3);
    expect(hex(contents.certificates[0]!.value)).toBe(hex(pem(family, 'server.pem')));
    await expect(importPkcs12(new Uint8Array(readFileSync(file)), `${password}?`)).rejects.toMatchObject({ code: 'wrong-password' });
  });
});

describe('Certdesk reads what OpenSSL writes: encrypted PKCS#8 with every cipher and PRF', () => {
  const legacy = ['-provider', 'legacy', '-provider', 'default'];
  const variants: { name: string; args: string[] }[] = [
    ...['hmacWithSHA1', 'hmacWithSHA224', 'hmacWithSHA256', 'hmacWithSHA384', 'hmacWithSHA512'].flatMap((prf) =>
      ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'des3'].map((cipher) => ({ name: `PBES2 ${cipher} ${prf}`, args: ['-v2', cipher, '-v2prf', prf] })),
    ),
    { name: 'PBE-SHA1-3DES', args: ['-v1', 'PBE-SHA1-3DES'] },
    { name: 'PBE-SHA1-2DES', args: ['-v1', 'PBE-SHA1-2DES'] },
    { name: 'PBE-SHA1-RC2-40', args: ['-v1', 'PBE-SHA1-RC2-40', ...legacy] },
    { name: 'PBE-SHA1-RC2-128', args: ['-v1', 'PBE-SHA1-RC2-128', ...legacy] },
    { name: 'one iteration', args: ['-v2', 'aes-256-cbc', '-iter', '1'] },
  ];
  it.each(variants)('$name', async ({ args }) => {
    const dir = tempDir();
    const file = join(dir, 'key.der');
    ok(['pkcs8', '-topk8', '-in', fixturePath('openssl-set', 'rsa', 'server.pkcs8.pem'), '-outform', 'DER', '-passout', 'pass:pässwörd', '-out', file, ...args]);
    const encrypted = new Uint8Array(readFileSync(file));
    expect(hex(await decryptPrivateKeyInfo(encrypted, 'pässwörd'))).toBe(hex(pem('rsa', 'server.pkcs8.pem')));
    await expect(decryptPrivateKeyInfo(encrypted, 'passwörd')).rejects.toMatchObject({ code: 'wrong-password' });
  });

  it('PBES1 (PBE-MD5-DES) is refused as unsupported, with a typed error', async () => {
    const dir = tempDir();
    const file = join(dir, 'key.der');
    ok(['pkcs8', '-topk8', '-in', fixturePath('openssl-set', 'rsa', 'server.pkcs8.pem'), '-outform', 'DER', '-passout', 'pass:x', '-out', file, '-v1', 'PBE-MD5-DES', ...legacy]);
    await expect(decryptPrivateKeyInfo(new Uint8Array(readFileSync(file)), 'x')).rejects.toMatchObject({ code: 'unsupported-algorithm' });
  });
});
