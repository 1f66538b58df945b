import { describe, expect, test } from 'vitest';
import JSZip from 'jszip';
import { CertdeskError } from '../../../src/core/errors';
import { buildSupportPackage, chainFiles, inspectSupportFile, supportPackageName, type SupportFile } from '../../../src/store/support-package';
import { fixture, openssl } from '../../support/fixtures';
import { issue12HiddenKeys, keyMaterial } from '../../support/hidden-keys';
import { freshWorkspace, pki, snapshot } from './support';

const rsa = (name: string) => fixture('openssl-set', 'rsa', name);
const ec = (name: string) => fixture('openssl-set', 'ec', name);
const text = (s: string) => new TextEncoder().encode(s);
const join = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
/** A real (1×1) PNG, as the Basics picture is. */
const png = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);

const refused: { name: string; file: SupportFile; code: string }[] = [
  { name: 'PKCS#8 key, DER', file: { name: 'server.der', bytes: rsa('server.pkcs8.der') }, code: 'private-key-in-support-package' },
  { name: 'PKCS#8 key, PEM', file: { name: 'server.pem', bytes: rsa('server.pkcs8.pem') }, code: 'private-key-in-support-package' },
  { name: 'encrypted PKCS#8 key', file: { name: 'server.pem', bytes: rsa('server.pkcs8-enc.pem') }, code: 'private-key-in-support-package' },
  { name: 'PKCS#1 (traditional) RSA key', file: { name: 'server.txt', bytes: rsa('server.trad.pem') }, code: 'private-key-in-support-package' },
  { name: 'SEC1 EC key', file: { name: 'server.txt', bytes: ec('server.trad.pem') }, code: 'private-key-in-support-package' },
  { name: '.p12 from openssl-set/rsa (password-protected)', file: { name: 'server-default.p12', bytes: rsa('server-default.p12') }, code: 'private-key-in-support-package' },
  { name: 'PKCS#12 renamed to .crt', file: { name: 'server.crt', bytes: rsa('server-default.p12') }, code: 'private-key-in-support-package' },
  { name: 'PKCS#12 without password, renamed', file: { name: 'bundle.bin', bytes: rsa('server-nopw.p12') }, code: 'private-key-in-support-package' },
  { name: 'PKCS#12 holding only certificates is still a .p12', file: { name: 'bundle.crt', bytes: rsa('ca-bundle-nokeys.p12') }, code: 'private-key-in-support-package' },
  { name: 'certificate PEM followed by its key', file: { name: 'combined.pem', bytes: join(rsa('server.pem'), rsa('server.pkcs8.pem')) }, code: 'private-key-in-support-package' },
  { name: 'a certificate named .key', file: { name: 'server.KEY', bytes: rsa('server.pem') }, code: 'private-key-in-support-package' },
  { name: 'a certificate named .pfx', file: { name: 'server.pfx', bytes: rsa('server.der') }, code: 'private-key-in-support-package' },
  { name: 'a key PEM block hidden in notes', file: { name: 'notes.txt', bytes: text('see below\n-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n') }, code: 'private-key-in-support-package' },
  { name: 'damaged DER cannot be checked', file: { name: 'cut.der', bytes: rsa('server.der').slice(0, 200) }, code: 'support-file-unreadable' },
];

describe('inspectSupportFile', () => {
  test.each(refused)('refuses $name', async ({ file, code }) => {
    await expect(inspectSupportFile(pki, file)).rejects.toSatisfy((e: unknown) => e instanceof CertdeskError && e.code === code);
  });

  test('refusal messages quote the guide and name the file', async () => {
    await expect(inspectSupportFile(pki, { name: 'server-default.p12', bytes: rsa('server-default.p12') })).rejects.toThrow(
      /"server-default\.p12".*Do NOT send your private key file/,
    );
  });

  const allowed: { name: string; file: SupportFile }[] = [
    { name: 'a PEM certificate', file: { name: 'server.crt', bytes: rsa('server.pem') } },
    { name: 'a DER certificate', file: { name: 'root.cer', bytes: rsa('root.der') } },
    { name: 'a PEM chain', file: { name: 'chain.pem', bytes: rsa('server-fullchain.pem') } },
    { name: 'a PKCS#7 bundle', file: { name: 'chain.p7b', bytes: rsa('server-fullchain.p7b') } },
    { name: 'the Basics picture (PNG)', file: { name: 'basics.png', bytes: png } },
    { name: 'plain text', file: { name: 'readme.txt', bytes: text('Appliance support1, serial 1234') } },
  ];
  test.each(allowed)('lets $name through', async ({ file }) => {
    await expect(inspectSupportFile(pki, file)).resolves.toBeUndefined();
  });
});

describe('buildSupportPackage', () => {
  const chain = [
    { friendlyName: 'support.example.com 2026', der: rsa('server.der') },
    { friendlyName: 'Example Intermediate', der: rsa('ica.der') },
    { friendlyName: 'Example Root', der: rsa('root.der') },
  ];

  test('a chain and the picture are zipped; jszip reads them back and openssl x509 reads each certificate', async () => {
    const files = [...chainFiles(pki, chain), { name: 'status-basics.png', bytes: png }];
    expect(files.map((f) => f.name)).toEqual([
      '01-support.example.com_2026.crt',
      '02-Example_Intermediate.crt',
      '03-Example_Root.crt',
      'status-basics.png',
    ]);
    const zipBytes = await buildSupportPackage(pki, files, { date: new Date('2026-11-26T12:00:00Z') });
    expect([...zipBytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const zip = await JSZip.loadAsync(zipBytes);
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(files.map((f) => f.name).sort());
    for (const [index, certificate] of chain.entries()) {
      const entry = zip.file(files[index]!.name)!;
      const pem = await entry.async('uint8array');
      const der = openssl(['x509', '-outform', 'DER'], pem);
      expect(der.status, der.stderr).toBe(0);
      const fromFixture = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], certificate.der);
      const fromZip = openssl(['x509', '-noout', '-fingerprint', '-sha256'], pem);
      expect(fromZip.status, fromZip.stderr).toBe(0);
      expect(fromZip.stdout).toBe(fromFixture.stdout);
    }
    expect(await zip.file('status-basics.png')!.async('uint8array')).toEqual(png);
    // And no entry in the zip is a key, by content.
    for (const name of names) {
      await expect(inspectSupportFile(pki, { name, bytes: await zip.file(name)!.async('uint8array') })).resolves.toBeUndefined();
    }
  });

  test('one private key among good files stops the whole package', async () => {
    const files = [...chainFiles(pki, chain), { name: 'server.pem', bytes: rsa('server.pkcs8.pem') }];
    await expect(buildSupportPackage(pki, files)).rejects.toSatisfy(
      (e: unknown) => e instanceof CertdeskError && e.code === 'private-key-in-support-package' && e.message.includes('server.pem'),
    );
  });

  const badSets: { name: string; files: SupportFile[]; code: string }[] = [
    { name: 'nothing', files: [], code: 'empty-support-package' },
    { name: 'a folder in a name', files: [{ name: '../root.crt', bytes: rsa('root.pem') }], code: 'invalid-support-file-name' },
    {
      name: 'two files with one name',
      files: [
        { name: 'a.crt', bytes: rsa('root.pem') },
        { name: 'A.crt', bytes: rsa('ica.pem') },
      ],
      code: 'duplicate-support-file',
    },
  ];
  test.each(badSets)('refuses $name', async ({ files, code }) => {
    await expect(buildSupportPackage(pki, files)).rejects.toSatisfy((e: unknown) => e instanceof CertdeskError && e.code === code);
  });

  test('a cancelled build ends in an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(buildSupportPackage(pki, chainFiles(pki, chain), { signal: controller.signal })).rejects.toSatisfy(
      (e: unknown) => e instanceof DOMException && e.name === 'AbortError',
    );
  });

  test('the package name carries the appliance and the date', () => {
    expect(supportPackageName('Primary / Berlin', new Date('2026-11-26T10:00:00Z'))).toBe('certdesk-support-Primary_Berlin-2026-11-26.zip');
  });
});

describe('the supportPackage action', () => {
  test('zips the certificate with the chain found on its appliance and the picture, named after the appliance', async () => {
    const { ws } = await freshWorkspace();
    const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    await ws.importFiles(applianceId, [{ name: 'chain.pem', bytes: rsa('server-fullchain.pem') }]);
    const leaf = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => c.kind === 'server' && !c.factoryDefault)!;
    const before = await snapshot(ws);
    const made = await ws.supportPackage(leaf.id, { picture: png, now: Date.parse('2026-11-26T12:00:00Z') });
    expect(made.name).toBe('certdesk-support-My_appliance-2026-11-26.zip');
    expect(made.files).toHaveLength(4);
    expect(made.files.at(-1)).toBe('status-basics.png');
    const zip = await JSZip.loadAsync(made.bytes);
    expect(Object.keys(zip.files).sort()).toEqual([...made.files].sort());
    const fingerprints = [];
    for (const name of made.files.slice(0, 3)) {
      const out = openssl(['x509', '-noout', '-fingerprint', '-sha256'], await zip.file(name)!.async('uint8array'));
      expect(out.status, out.stderr).toBe(0);
      fingerprints.push(out.stdout);
    }
    const expected = ['server.der', 'ica.der', 'root.der'].map((f) => openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], rsa(f)).stdout);
    expect(fingerprints).toEqual(expected);
    expect(await zip.file('status-basics.png')!.async('uint8array')).toEqual(png);
    // Building it is the first step of the guided root change: the appliance records when, and
    // the root it carries; nothing else changes.
    const after = await snapshot(ws);
    for (const store of ['certificates', 'keys', 'requests', 'ipAssignments']) expect(after[store], store).toEqual(before[store]);
    const root = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => c.kind === 'root')!;
    expect((after.appliances![0] as { clientSoftware: object }).clientSoftware).toMatchObject({ packageBuiltAt: Date.parse('2026-11-26T12:00:00Z'), pendingRoots: [root.sha256] });
    expect(after.events!.length).toBe(before.events!.length + 1);
    ws.close();
  });

  test('a picture that is really a key stops the package', async () => {
    const { ws } = await freshWorkspace();
    const factory = (await ws.ensureWorkspace()).appliances[0]!.certificates[0]!;
    await expect(ws.supportPackage(factory.id, { picture: rsa('server.pkcs8.der') })).rejects.toSatisfy(
      (e: unknown) => e instanceof CertdeskError && e.code === 'private-key-in-support-package' && e.message.includes('status-basics.png'),
    );
    ws.close();
  });
});

describe('regressions (issue 12, Display and leaks): the key guard let these through', () => {
  const k = keyMaterial();
  const rows = issue12HiddenKeys.map(({ name, file }) => ({ name, file: file(k) }));
  test.each(rows)('$name is refused, naming the file', async ({ file }) => {
    await expect(inspectSupportFile(pki, file)).rejects.toSatisfy(
      (e: unknown) => e instanceof CertdeskError && e.code === 'private-key-in-support-package' && e.message.includes(file.name),
    );
  });
});
