import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixtureText, openssl, tempDir, writeTemp } from '../../support/fixtures';
import { exportPrivateKey } from '../../../src/core/pki/keys';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import type { KeyEntry } from '../../../src/core/appliance/key-entry';
import { BACKUP_ITERATIONS, MAX_BACKUP_BYTES, MAX_BACKUP_ITERATIONS, MIN_BACKUP_ITERATIONS, deriveBackupSecrets } from '../../../src/store/backup';
import type { Workspace } from '../../../src/store/workspace';
import { freshWorkspace, snapshot, utf8 } from './support';

const PASS = 'correct horse battery staple';

/** A workspace built by the real actions from a generated description. */
async function build(spec: { appliances: { ips: number; selfSigned: number; requests: number; roots: number; assign: boolean }[] }) {
  const { ws } = await freshWorkspace();
  const roots = fixtureText('mozilla-roots.pem').split(/(?<=-----END CERTIFICATE-----\n)/);
  for (const [i, a] of spec.appliances.entries()) {
    const appliance = await ws.addAppliance({
      name: `Appliance ${i}`,
      role: i === 0 ? 'primary' : 'backup',
      hostname: `node${i}.example.com`,
      siteHostname: 'support.example.com',
      ipAddresses: Array.from({ length: a.ips }, (_, n) => ({ ip: `192.0.2.${i * 10 + n + 1}`, dnsName: `ip${n}.example.com` })),
    });
    const created = [];
    for (let n = 0; n < a.selfSigned; n++) {
      created.push(
        await ws.createSelfSigned(appliance.id, { friendlyName: `Cert ${i}.${n}`, algorithm: 'ECDSA-P256', exportable: true, subject: { CN: `c${n}` }, subjectAltNames: [`ip${n}.example.com`] }),
      );
    }
    for (let n = 0; n < a.requests; n++) {
      await ws.createRequest(appliance.id, { friendlyName: `Request ${i}.${n}`, algorithm: 'ECDSA-P256', exportable: true, subject: { CN: `r${n}` }, subjectAltNames: [`r${n}.example.com`] });
    }
    if (a.roots) await ws.importFiles(appliance.id, [{ name: 'roots.pem', bytes: utf8(roots.slice(i, i + a.roots).join('')) }]);
    if (a.assign && created.length && a.ips) {
      await ws.recordSoftwareUpdate(appliance.id, { installedAt: 0, certificateIds: [created[0]!.id] });
      await ws.assignIps(created[0]!.id, [`192.0.2.${i * 10 + 1}`], { warningsAccepted: true });
    }
  }
  return ws;
}

describe('backup → restore', () => {
  it('round-trips random workspaces byte-exact (keys by their PKCS#8), non-exportable keys listed as not included', async () => {
    const spec = fc.record({
      appliances: fc.array(
        fc.record({ ips: fc.integer({ min: 0, max: 2 }), selfSigned: fc.integer({ min: 0, max: 2 }), requests: fc.integer({ min: 0, max: 1 }), roots: fc.integer({ min: 0, max: 3 }), assign: fc.boolean() }),
        { minLength: 1, maxLength: 2 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const source = await build(s);
        const backup = await source.exportBackup(PASS);
        // Factory default keys are non-exportable: listed, not included.
        expect(backup.keysNotIncluded).toHaveLength(s.appliances.length);
        const factoryKeyIds = new Set(backup.keysNotIncluded.map((k) => k.id));
        const { ws: target } = await freshWorkspace();
        const summary = await target.restoreBackup(backup.bytes, PASS);
        expect(summary.keysNotIncluded.map((k) => k.id)).toEqual(backup.keysNotIncluded.map((k) => k.id));

        const src = await snapshot(source);
        const dst = await snapshot(target);
        const strip = (snap: Record<string, unknown[]>) => ({
          appliances: snap.appliances,
          certificates: (snap.certificates as { keyId?: string; der: Uint8Array }[]).map((c) => {
            const copy: Record<string, unknown> = { ...c, der: Buffer.from(c.der).toString('hex') };
            if (c.keyId && factoryKeyIds.has(c.keyId)) delete copy.keyId;
            return copy;
          }),
          requests: (snap.requests as { der: Uint8Array }[]).map((r) => ({ ...r, der: Buffer.from(r.der).toString('hex') })),
          ipAssignments: snap.ipAssignments,
        });
        expect(strip(dst)).toEqual(strip(src));
        expect(dst.events!.length).toBe(src.events!.length + 1);
        expect(dst.events).toEqual(expect.arrayContaining(src.events!));
        const keysOf = async (snap: Record<string, unknown[]>) =>
          Promise.all(
            (snap.keys as KeyEntry<CertdeskKey>[])
              .filter((k) => k.key.exportable)
              .map(async (k) => [k.id, k.applianceId, k.friendlyName, k.createdAt, k.key.algorithm, k.key.publicKeySha256, Buffer.from(await exportPrivateKey(k.key)).toString('hex')]),
          );
        expect(await keysOf(dst)).toEqual(await keysOf(src));
        expect((dst.keys as KeyEntry[]).length).toBe((src.keys as KeyEntry[]).length - backup.keysNotIncluded.length);
        source.close();
        target.close();
      }),
      { numRuns: 3 },
    );
  });

  it('restoring into the same workspace twice adds nothing; only the restore is logged', async () => {
    const ws = await build({ appliances: [{ ips: 1, selfSigned: 1, requests: 1, roots: 2, assign: true }] });
    const backup = await ws.exportBackup(PASS);
    const before = await snapshot(ws);
    const summary = await ws.restoreBackup(backup.bytes, PASS);
    expect(summary).toMatchObject({ appliancesAdded: 0, certificatesAdded: 0, keysAdded: 0, requestsAdded: 0, ipAssignmentsAdded: 0 });
    expect(summary.alreadyPresent).toBeGreaterThan(0);
    const after = await snapshot(ws);
    expect({ ...after, events: [] }).toEqual({ ...before, events: [] });
    expect(after.events!.length).toBe(before.events!.length + 1);
    ws.close();
  });

  it('restoring into another workspace merges: both appliances, keys still sign, no duplicates on a second restore', async () => {
    const source = await build({ appliances: [{ ips: 1, selfSigned: 1, requests: 1, roots: 1, assign: true }] });
    const backup = await source.exportBackup(PASS);
    const { ws: target } = await freshWorkspace();
    const local = (await target.ensureWorkspace()).appliances[0]!.appliance;
    // The admin has made the starter appliance their own: it stays beside the restored one.
    await target.addIpAddress(local.id, { ip: '198.51.100.7', dnsName: 'local.example.com' });
    const first = await target.restoreBackup(backup.bytes, PASS);
    expect(first).toMatchObject({ appliancesAdded: 1, certificatesAdded: 3, keysAdded: 2, requestsAdded: 1, ipAssignmentsAdded: 1 });
    expect(first.replacedStarterAppliance).toBeUndefined();
    const view = await target.listWorkspace();
    expect(view.appliances).toHaveLength(2);
    const restored = view.appliances.find((a) => a.appliance.name === 'Appliance 0')!;
    expect(restored.certificates.map((c) => [c.source, c.privateKey])).toEqual([
      ['factory-default', 'missing'],
      ['self-signed', 'available'],
      ['imported', 'missing'],
    ]);
    const { key } = await target.certificateMaterial(restored.certificates[1]!.id);
    const data = utf8('restored key signs');
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key!.key.privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key!.key.publicKey, sig, data)).toBe(true);
    const before = await snapshot(target);
    const second = await target.restoreBackup(backup.bytes, PASS);
    expect(second).toMatchObject({ appliancesAdded: 0, certificatesAdded: 0, keysAdded: 0, requestsAdded: 0, ipAssignmentsAdded: 0 });
    expect({ ...(await snapshot(target)), events: [] }).toEqual({ ...before, events: [] });
    source.close();
    target.close();
  });

  it('restoring into a fresh workspace replaces its untouched starter appliance, in the same transaction', async () => {
    const source = await build({ appliances: [{ ips: 1, selfSigned: 1, requests: 0, roots: 0, assign: false }] });
    const backup = await source.exportBackup(PASS);
    const { ws: target } = await freshWorkspace();
    const starter = (await target.ensureWorkspace()).appliances[0]!.appliance;
    const summary = await target.restoreBackup(backup.bytes, PASS);
    expect(summary.replacedStarterAppliance).toBe('My appliance');
    const view = await target.listWorkspace();
    expect(view.appliances.map((a) => a.appliance.name)).toEqual(['Appliance 0']);
    const left = await snapshot(target);
    for (const list of ['certificates', 'keys', 'requests', 'ipAssignments'] as const) {
      expect((left[list] as { applianceId: string }[]).filter((r) => r.applianceId === starter.id)).toEqual([]);
    }
    source.close();
    target.close();
  });

  it('a wrong passphrase or a damaged file changes nothing and says which', async () => {
    const ws = await build({ appliances: [{ ips: 1, selfSigned: 1, requests: 0, roots: 0, assign: false }] });
    const backup = await ws.exportBackup(PASS);
    const { ws: target } = await freshWorkspace();
    await target.ensureWorkspace();
    const before = await snapshot(target);
    const file = JSON.parse(new TextDecoder().decode(backup.bytes)) as Record<string, unknown> & { cipher: { iv: string }; ciphertext: string; kdf: { iterations: number } };
    const variant = (change: (f: typeof file) => void) => {
      const copy = structuredClone(file);
      change(copy);
      return utf8(JSON.stringify(copy));
    };
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[bytes.length >> 1]! ^= 1;
      return bytes.toString('base64');
    };
    const table = [
      { name: 'wrong passphrase', bytes: backup.bytes, pass: 'Correct horse battery staple', code: 'backup-wrong-passphrase' },
      { name: 'flipped ciphertext bit', bytes: variant((f) => (f.ciphertext = flip(f.ciphertext))), pass: PASS, code: 'backup-damaged' },
      { name: 'altered iv', bytes: variant((f) => (f.cipher.iv = flip(f.cipher.iv))), pass: PASS, code: 'backup-damaged' },
      { name: 'iterations lowered to 1', bytes: variant((f) => (f.kdf.iterations = 1)), pass: PASS, code: 'backup-damaged' },
      { name: 'iterations just under the minimum', bytes: variant((f) => (f.kdf.iterations = MIN_BACKUP_ITERATIONS - 1)), pass: PASS, code: 'backup-damaged' },
      { name: 'iterations just over the maximum', bytes: variant((f) => (f.kdf.iterations = MAX_BACKUP_ITERATIONS + 1)), pass: PASS, code: 'backup-damaged' },
      { name: 'iterations not an integer', bytes: variant((f) => (f.kdf.iterations = 600_000.5)), pass: PASS, code: 'backup-damaged' },
      { name: 'one byte over the size limit', bytes: new Uint8Array(MAX_BACKUP_BYTES + 1), pass: PASS, code: 'backup-damaged' },
      { name: 'truncated', bytes: backup.bytes.slice(0, backup.bytes.length - 40), pass: PASS, code: 'backup-damaged' },
      { name: 'empty', bytes: new Uint8Array(), pass: PASS, code: 'backup-damaged' },
      { name: 'a certificate, not a backup', bytes: utf8(fixtureText('openssl-set', 'ec', 'root.pem')), pass: PASS, code: 'backup-damaged' },
      { name: 'newer format version', bytes: variant((f) => (f.version = 2)), pass: PASS, code: 'backup-newer-version' },
    ];
    for (const row of table) {
      await expect(target.restoreBackup(row.bytes, row.pass), row.name).rejects.toMatchObject({ code: row.code });
    }
    expect(await snapshot(target)).toEqual(before);
    await expect(ws.exportBackup('short')).rejects.toMatchObject({ code: 'weak-passphrase' });
    ws.close();
    target.close();
  });

  it('iteration limits: a backup written at the minimum restores; exports outside the limits are refused', async () => {
    const ws = await build({ appliances: [{ ips: 0, selfSigned: 0, requests: 0, roots: 1, assign: false }] });
    const atMin = await ws.exportBackup(PASS, { iterations: MIN_BACKUP_ITERATIONS });
    const { ws: target } = await freshWorkspace();
    expect(await target.restoreBackup(atMin.bytes, PASS)).toMatchObject({ appliancesAdded: 1, certificatesAdded: 2 });
    await expect(ws.exportBackup(PASS, { iterations: MIN_BACKUP_ITERATIONS - 1 })).rejects.toMatchObject({ code: 'invalid-backup-iterations' });
    await expect(ws.exportBackup(PASS, { iterations: MAX_BACKUP_ITERATIONS + 1 })).rejects.toMatchObject({ code: 'invalid-backup-iterations' });
    ws.close();
    target.close();
  });

  it('OpenSSL derives the same PBKDF2-SHA256 600,000 secrets; AES-256-GCM opens with them; the keys inside are PKCS#8 OpenSSL reads', async () => {
    const ws = await build({ appliances: [{ ips: 0, selfSigned: 1, requests: 0, roots: 0, assign: false }] });
    const backup = await ws.exportBackup(PASS);
    const file = JSON.parse(new TextDecoder().decode(backup.bytes)) as {
      format: string; version: number; check: string; ciphertext: string;
      kdf: { name: string; hash: string; iterations: number; salt: string }; cipher: { name: string; iv: string };
    };
    expect(file.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: BACKUP_ITERATIONS });
    expect(BACKUP_ITERATIONS).toBe(600_000);
    const salt = Buffer.from(file.kdf.salt, 'base64');
    const kdf = openssl(['kdf', '-keylen', '64', '-kdfopt', 'digest:SHA256', '-kdfopt', `pass:${PASS}`, '-kdfopt', `hexsalt:${salt.toString('hex')}`, '-kdfopt', `iter:${file.kdf.iterations}`, 'PBKDF2']);
    expect(kdf.status).toBe(0);
    const bits = Buffer.from(kdf.stdout.trim().replace(/:/g, ''), 'hex');
    const ours = await deriveBackupSecrets(PASS, salt, file.kdf.iterations);
    expect(bits.subarray(32).toString('base64')).toBe(file.check);
    expect(Buffer.from(ours.aesKey).equals(bits.subarray(0, 32))).toBe(true);

    const sealed = Buffer.from(file.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', bits.subarray(0, 32), Buffer.from(file.cipher.iv, 'base64'));
    const { format, version, kdf: k, cipher, check } = file;
    decipher.setAAD(Buffer.from(JSON.stringify({ format, version, kdf: k, cipher, check })));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const contents = JSON.parse(Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8')) as {
      keys: { pkcs8: string }[];
      certificates: { der: string; keyId?: string }[];
    };
    expect(contents.keys).toHaveLength(1);
    const dir = tempDir();
    const pkcs8 = writeTemp(dir, 'key.der', Buffer.from(contents.keys[0]!.pkcs8, 'base64'));
    const pub = openssl(['pkey', '-inform', 'DER', '-in', pkcs8, '-pubout']);
    expect(pub.status).toBe(0);
    const cert = contents.certificates.find((c) => c.keyId && !backup.keysNotIncluded.some((n) => n.id === c.keyId))!;
    const certPub = openssl(['x509', '-inform', 'DER', '-in', writeTemp(dir, 'c.der', Buffer.from(cert.der, 'base64')), '-noout', '-pubkey']);
    expect(pub.stdout).toBe(certPub.stdout);
    ws.close();
  });
});
