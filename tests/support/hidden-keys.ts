/**
 * Real private keys in every shape the support package's key guard must see through, made by
 * independent tools: the OpenSSL CLI (genpkey, pkey, pkcs8, pkcs12, rsa -outform PVK/MSBLOB),
 * Node's crypto (DER, JWK), ssh-keygen (OpenSSH), gpg (OpenPGP); the .ppk and Java keystore
 * are written here from their format specifications (PuTTY manual appendix C; OpenJDK's
 * JavaKeyStore engineStore). Made once per test file.
 */
import { createHash, createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir, writeTemp } from './fixtures';
import { makeZip } from './zip';

function run(command: string, args: string[], options: { input?: Uint8Array | string; env?: NodeJS.ProcessEnv } = {}): Buffer {
  const result = spawnSync(command, args, { input: options.input, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return result.stdout;
}

function sslBytes(args: string[], input?: Uint8Array | string): Uint8Array {
  return new Uint8Array(run('openssl', args, input !== undefined ? { input } : {}));
}

export interface KeyMaterial {
  /** RSA 2048 from `openssl genpkey`: PKCS#8 PEM and DER, PKCS#1 PEM and DER. */
  rsaPkcs8Pem: string;
  rsaPkcs8Der: Uint8Array;
  rsaPkcs1Pem: string;
  rsaPkcs1Der: Uint8Array;
  /** `openssl pkcs8 -topk8 -v2 aes-256-cbc`. */
  encryptedPem: string;
  encryptedDer: Uint8Array;
  /** P-256 from `openssl genpkey`: SEC1 ("EC PRIVATE KEY") PEM and DER. */
  ecSec1Pem: string;
  ecSec1Der: Uint8Array;
  /** DSA 2048, OpenSSL's traditional form, DER. */
  dsaDer: Uint8Array;
  /** Ed25519 from Node's crypto, PKCS#8 DER (48 bytes: the smallest key there is). */
  ed25519Der: Uint8Array;
  /** A self-signed certificate (PEM, DER), its CSR and public key, for the rows that must pass. */
  certificatePem: string;
  certificateDer: Uint8Array;
  csrPem: string;
  csrDer: Uint8Array;
  publicKeyPem: string;
  publicKeyDer: Uint8Array;
  /** `openssl crl2pkcs7 -nocrl`: certificates only, DER and PEM. */
  pkcs7Der: Uint8Array;
  pkcs7Pem: string;
  /** `openssl pkcs12 -export` with password "secret", and a certificates-only one. */
  pkcs12: Uint8Array;
  /** `openssl rsa -outform PVK -pvk-none` and `-outform MSBLOB`. */
  pvk: Uint8Array;
  msBlob: Uint8Array;
  /** Node's crypto JWK exports. */
  rsaJwk: JsonWebKey;
  ecJwk: JsonWebKey;
  /** `ssh-keygen -t ed25519`: the private key file and the public key line. */
  opensshPrivate: string;
  opensshPublic: string;
  /** `gpg --export-secret-keys`, armoured and binary, and the armoured public key. */
  pgpArmoured: string;
  pgpBinary: Uint8Array;
  pgpPublic: string;
  /** A PuTTY .ppk, format 3 and 2, unencrypted, of the RSA key. */
  ppk3: string;
  ppk2: string;
  /** A JKS keystore with one private key entry and one with only a trusted certificate. */
  jksWithKey: Uint8Array;
  jksTrustedOnly: Uint8Array;
}

let made: KeyMaterial | undefined;

/** The key material, made on first use. */
export function keyMaterial(): KeyMaterial {
  made ??= make();
  return made;
}

function make(): KeyMaterial {
  const dir = tempDir('certdesk-keys-');
  const rsaPkcs8Pem = run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']).toString();
  const rsaFile = writeTemp(dir, 'rsa.pem', rsaPkcs8Pem);
  const ecPem = run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']).toString();
  const ecFile = writeTemp(dir, 'ec.pem', ecPem);
  const dsaParams = writeTemp(dir, 'dsa-params.pem', run('openssl', ['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048']));
  const dsaPem = run('openssl', ['genpkey', '-paramfile', dsaParams]);
  const certificatePem = run('openssl', ['req', '-x509', '-new', '-key', rsaFile, '-subj', '/CN=support.example.test', '-days', '30']).toString();
  const certFile = writeTemp(dir, 'cert.pem', certificatePem);
  const csrPem = run('openssl', ['req', '-new', '-key', rsaFile, '-subj', '/CN=support.example.test']).toString();
  const ed25519 = generateKeyPairSync('ed25519');
  const rsaKey = (generateKeyPairSync('rsa', { modulusLength: 2048 }) as { privateKey: KeyObject }).privateKey;
  const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const material: KeyMaterial = {
    rsaPkcs8Pem,
    // `openssl pkey -outform DER` writes PKCS#1 for RSA; pkcs8 -topk8 writes PrivateKeyInfo.
    rsaPkcs8Der: sslBytes(['pkcs8', '-topk8', '-nocrypt', '-in', rsaFile, '-outform', 'DER']),
    rsaPkcs1Pem: run('openssl', ['pkey', '-in', rsaFile, '-traditional']).toString(),
    rsaPkcs1Der: sslBytes(['rsa', '-in', rsaFile, '-outform', 'DER', '-traditional']),
    encryptedPem: run('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', rsaFile, '-passout', 'pass:secret']).toString(),
    encryptedDer: sslBytes(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', rsaFile, '-passout', 'pass:secret', '-outform', 'DER']),
    ecSec1Pem: run('openssl', ['ec', '-in', ecFile]).toString(),
    ecSec1Der: sslBytes(['ec', '-in', ecFile, '-outform', 'DER']),
    dsaDer: sslBytes(['dsa', '-outform', 'DER'], dsaPem),
    ed25519Der: new Uint8Array(ed25519.privateKey.export({ type: 'pkcs8', format: 'der' })),
    certificatePem,
    certificateDer: sslBytes(['x509', '-in', certFile, '-outform', 'DER']),
    csrPem,
    csrDer: sslBytes(['req', '-outform', 'DER'], csrPem),
    publicKeyPem: run('openssl', ['pkey', '-in', rsaFile, '-pubout']).toString(),
    publicKeyDer: sslBytes(['pkey', '-in', rsaFile, '-pubout', '-outform', 'DER']),
    pkcs7Der: sslBytes(['crl2pkcs7', '-nocrl', '-certfile', certFile, '-outform', 'DER']),
    pkcs7Pem: run('openssl', ['crl2pkcs7', '-nocrl', '-certfile', certFile]).toString(),
    pkcs12: sslBytes(['pkcs12', '-export', '-inkey', rsaFile, '-in', certFile, '-passout', 'pass:secret']),
    pvk: sslBytes(['rsa', '-in', rsaFile, '-outform', 'PVK', '-pvk-none']),
    msBlob: sslBytes(['rsa', '-in', rsaFile, '-outform', 'MSBLOB']),
    rsaJwk: rsaKey.export({ format: 'jwk' }),
    ecJwk: ecKey.export({ format: 'jwk' }),
    ...openSsh(),
    ...openPgp(),
    ...puttyKeys(rsaKey),
    jksWithKey: javaKeystore([{ tag: 1, alias: 'server', body: sslBytes(['pkcs8', '-topk8', '-nocrypt', '-in', rsaFile, '-outform', 'DER']).map((b) => b ^ 0x5a) }]),
    jksTrustedOnly: javaKeystore([{ tag: 2, alias: 'root', body: sslBytes(['x509', '-in', certFile, '-outform', 'DER']) }]),
  };
  rmSync(dir, { recursive: true, force: true });
  return material;
}

function openSsh(): Pick<KeyMaterial, 'opensshPrivate' | 'opensshPublic'> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-ssh-'));
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin@appliance', '-f', join(dir, 'id')]);
  const out = { opensshPrivate: readFileSync(join(dir, 'id'), 'utf8'), opensshPublic: readFileSync(join(dir, 'id.pub'), 'utf8') };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

function openPgp(): Pick<KeyMaterial, 'pgpArmoured' | 'pgpBinary' | 'pgpPublic'> {
  const home = mkdtempSync(join(tmpdir(), 'certdesk-gpg-'));
  const env = { ...process.env, GNUPGHOME: home };
  const gpg = (...args: string[]) => run('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { env });
  gpg('--quick-gen-key', 'Appliance Admin <admin@example.test>', 'ed25519', 'sign', 'never');
  const out = {
    pgpArmoured: gpg('--armor', '--export-secret-keys').toString(),
    pgpBinary: new Uint8Array(gpg('--export-secret-keys')),
    pgpPublic: gpg('--armor', '--export').toString(),
  };
  run('gpgconf', ['--kill', 'all'], { env });
  rmSync(home, { recursive: true, force: true });
  return out;
}

// --- PuTTY .ppk (PuTTY manual appendix C; RFC 4251 §5 data types) --------------------------------

const sshString = (bytes: Uint8Array | string) => {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
};
/** mpint (RFC 4251 §5): big-endian two's complement, a leading zero when the top bit is set. */
const mpint = (base64url: string) => {
  let bytes = Buffer.from(base64url, 'base64url');
  while (bytes.length > 1 && bytes[0] === 0 && !(bytes[1]! & 0x80)) bytes = bytes.subarray(1);
  return sshString(bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
};
const lines = (data: Buffer) => (data.toString('base64').match(/.{1,64}/g) ?? []);

function puttyKeys(key: KeyObject): Pick<KeyMaterial, 'ppk3' | 'ppk2'> {
  const jwk = key.export({ format: 'jwk' });
  // C.3.1 ssh-rsa: public blob string "ssh-rsa", mpint e, mpint n; private blob mpint d, p, q, iqmp.
  const publicBlob = Buffer.concat([sshString('ssh-rsa'), mpint(jwk.e!), mpint(jwk.n!)]);
  const privateBlob = Buffer.concat([mpint(jwk.d!), mpint(jwk.p!), mpint(jwk.q!), mpint(jwk.qi!)]);
  const comment = 'rsa-key-appliance';
  // C.5: the MAC covers algorithm, encryption, comment, public and private blob as SSH strings;
  // unencrypted, format 3 uses HMAC-SHA-256 with an empty key, format 2 HMAC-SHA-1 keyed by
  // SHA-1("putty-private-key-file-mac-key").
  const macInput = Buffer.concat([sshString('ssh-rsa'), sshString('none'), sshString(comment), sshString(publicBlob), sshString(privateBlob)]);
  const mac3 = createHmac('sha256', Buffer.alloc(0)).update(macInput).digest('hex');
  const mac2 = createHmac('sha1', createHash('sha1').update('putty-private-key-file-mac-key').digest()).update(macInput).digest('hex');
  const body = (version: number, mac: string) =>
    [
      `PuTTY-User-Key-File-${version}: ssh-rsa`,
      'Encryption: none',
      `Comment: ${comment}`,
      `Public-Lines: ${lines(publicBlob).length}`,
      ...lines(publicBlob),
      `Private-Lines: ${lines(privateBlob).length}`,
      ...lines(privateBlob),
      `Private-MAC: ${mac}`,
      '',
    ].join('\n');
  return { ppk3: body(3, mac3), ppk2: body(2, mac2) };
}

// --- Java keystore (OpenJDK sun.security.provider.JavaKeyStore.engineStore) -----------------------

/**
 * A JKS file: magic 0xFEEDFEED, version 2, entry count; each entry a tag (1 private key, 2 trusted
 * certificate), a modified-UTF-8 alias, a timestamp, then for tag 1 the protected key and an empty
 * chain, for tag 2 the certificate type and DER; a SHA-1 integrity hash at the end (zeros here:
 * the guard reads entries, not the hash).
 */
function javaKeystore(entries: { tag: 1 | 2; alias: string; body: Uint8Array }[]): Uint8Array {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const utf = (s: string) => {
    const data = Buffer.from(s, 'utf8');
    const b = Buffer.alloc(2);
    b.writeUInt16BE(data.length);
    return Buffer.concat([b, data]);
  };
  parts.push(u32(0xfeedfeed), u32(2), u32(entries.length));
  for (const entry of entries) {
    parts.push(u32(entry.tag), utf(entry.alias), Buffer.alloc(8));
    if (entry.tag === 1) parts.push(u32(entry.body.length), Buffer.from(entry.body), u32(0));
    else parts.push(utf('X.509'), u32(entry.body.length), Buffer.from(entry.body));
  }
  parts.push(Buffer.alloc(20));
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * The files issue 12 found the support package's key guard letting through ("Display and
 * leaks"), one per finding, named after it: the regression test and the hostile-class table
 * (tests/support/hostile-inputs.ts) both feed these to inspectSupportFile.
 */
export const issue12HiddenKeys: readonly { name: string; file: (k: KeyMaterial) => { name: string; bytes: Uint8Array } }[] = (() => {
  const text = (s: string) => new TextEncoder().encode(s);
  const body = (pem: string) => pem.replace(/-----[^-]+-----/g, '').trim();
  return [
    { name: 'a UTF-16 PEM key', file: (k: KeyMaterial) => ({ name: 'server.pem', bytes: new Uint8Array(Buffer.from(`\uFEFF${k.rsaPkcs8Pem}`, 'utf16le')) }) },
    { name: 'a key inside .zip', file: (k: KeyMaterial) => ({ name: 'bundle.zip', bytes: new Uint8Array(makeZip([{ name: 'server.pem', bytes: text(k.rsaPkcs8Pem) }])) }) },
    { name: 'a key inside .gz', file: (k: KeyMaterial) => ({ name: 'server.pem.gz', bytes: new Uint8Array(gzipSync(k.rsaPkcs8Pem)) }) },
    { name: 'a JWK with its private part', file: (k: KeyMaterial) => ({ name: 'key.json', bytes: text(JSON.stringify(k.rsaJwk)) }) },
    { name: 'a PuTTY .ppk', file: (k: KeyMaterial) => ({ name: 'notes.txt', bytes: text(k.ppk3) }) },
    { name: 'lower-case armour', file: (k: KeyMaterial) => ({ name: 'chain.pem', bytes: text(k.rsaPkcs8Pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, (m) => m.toLowerCase())) }) },
    { name: 'a DER key after one leading byte', file: (k: KeyMaterial) => ({ name: 'server.der', bytes: new Uint8Array(Buffer.concat([Uint8Array.of(0x0a), k.rsaPkcs8Der])) }) },
    { name: 'a certificate followed by an "ANY PRIVATE KEY" block', file: (k: KeyMaterial) => ({ name: 'chain.pem', bytes: text(k.certificatePem + k.rsaPkcs8Pem.replace(/PRIVATE KEY/g, 'ANY PRIVATE KEY')) }) },
    { name: 'a certificate followed by bare base64 key text', file: (k: KeyMaterial) => ({ name: 'chain.pem', bytes: text(`${k.certificatePem}${body(k.rsaPkcs8Pem)}\n`) }) },
  ];
})();
