/**
 * What the fuzz campaign found in the backup reader (tests/fuzz/targets/backup.ts), one
 * regression test per finding, named after it: a decrypted record set is read field by field
 * and restoring one costs seconds at most, whatever the file holds.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_BACKUP_KEYS, MIN_BACKUP_ITERATIONS, deriveBackupSecrets } from '../../../src/store/backup';
import type { WorkspaceContents } from '../../../src/store/contents';
import type { PkiServices } from '../../../src/store/pki-services';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { freshWorkspace, pki, snapshot } from './support';

const PASS = 'correct horse battery staple';

/** The record set of a backup, as the file holds it after decryption. */
async function contentsOf(bytes: Uint8Array): Promise<{ file: Record<string, unknown>; contents: WorkspaceContents }> {
  const file = JSON.parse(new TextDecoder().decode(bytes)) as { kdf: { salt: string; iterations: number }; cipher: { iv: string }; ciphertext: string; format: string; version: number; check: string };
  const { aesKey } = await deriveBackupSecrets(PASS, Buffer.from(file.kdf.salt, 'base64'), file.kdf.iterations);
  const sealed = Buffer.from(file.ciphertext, 'base64');
  const d = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(file.cipher.iv, 'base64'));
  const { format, version, kdf, cipher, check } = file;
  d.setAAD(Buffer.from(JSON.stringify({ format, version, kdf, cipher, check })));
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  const plain = Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  return { file, contents: JSON.parse(plain.toString('utf8')) as WorkspaceContents };
}

/** The backup file again, with `contents` encrypted under the same passphrase, salt and IV. */
async function sealed(file: Record<string, unknown>, contents: WorkspaceContents): Promise<Uint8Array> {
  const f = file as { kdf: { salt: string; iterations: number }; cipher: { iv: string }; format: string; version: number; check: string };
  const { aesKey } = await deriveBackupSecrets(PASS, Buffer.from(f.kdf.salt, 'base64'), f.kdf.iterations);
  const e = createCipheriv('aes-256-gcm', aesKey, Buffer.from(f.cipher.iv, 'base64'));
  const { format, version, kdf, cipher, check } = f;
  e.setAAD(Buffer.from(JSON.stringify({ format, version, kdf, cipher, check })));
  const body = Buffer.concat([e.update(JSON.stringify(contents), 'utf8'), e.final(), e.getAuthTag()]);
  return new TextEncoder().encode(JSON.stringify({ ...file, ciphertext: body.toString('base64') }));
}

/** A workspace with one exportable key, backed up with the fewest iterations a backup may have. */
async function backupWithOneKey() {
  const { ws } = await freshWorkspace();
  const appliance = (await ws.ensureWorkspace()).appliances[0]!.appliance;
  await ws.createSelfSigned(appliance.id, { friendlyName: 'Exportable', algorithm: 'ECDSA-P256', exportable: true, subject: { CN: 'a.example.com' }, subjectAltNames: ['a.example.com'] });
  const backup = await ws.exportBackup(PASS, { iterations: MIN_BACKUP_ITERATIONS });
  ws.close();
  return contentsOf(backup.bytes);
}

/** A fresh workspace whose PKI counts key imports. */
async function countingWorkspace() {
  const counter = { imports: 0 };
  const counting: PkiServices<CertdeskKey> = {
    ...pki,
    importPrivateKey: (pkcs8, options) => {
      counter.imports++;
      return pki.importPrivateKey(pkcs8, options);
    },
  };
  const { ws } = await freshWorkspace({ pki: counting });
  await ws.ensureWorkspace();
  return { ws, counter };
}

describe('fuzz campaign findings in the backup reader', () => {
  it('a backup whose record set repeats one key 10,000 times restores in seconds: the key is imported once (it hung for over 10 s)', async () => {
    const { file, contents } = await backupWithOneKey();
    const key = contents.keys[0]!;
    contents.keys = Array.from({ length: 10_000 }, (_, i) => ({ ...key, id: i === 0 ? key.id : `${key.id}-copy-${i}` }));
    const { ws, counter } = await countingWorkspace();
    const summary = await ws.restoreBackup(await sealed(file, contents), PASS);
    expect(counter.imports).toBe(1);
    expect(summary.keysAdded).toBe(1);
    ws.close();
  });

  it(`a backup holding more than ${MAX_BACKUP_KEYS.toLocaleString('en')} keys is refused before any key is imported, and nothing changes (backup-too-many-keys)`, async () => {
    const { file, contents } = await backupWithOneKey();
    const key = contents.keys[0]!;
    contents.keys = Array.from({ length: MAX_BACKUP_KEYS + 1 }, (_, i) => ({ ...key, id: `k${i}`, pkcs8: Buffer.from(`key number ${i}`).toString('base64') }));
    const { ws, counter } = await countingWorkspace();
    const before = await snapshot(ws);
    await expect(ws.restoreBackup(await sealed(file, contents), PASS)).rejects.toMatchObject({ code: 'backup-too-many-keys' });
    expect(counter.imports).toBe(0);
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });

  it(`a workspace with more than ${MAX_BACKUP_KEYS.toLocaleString('en')} exportable keys is not written into a backup that restore would refuse`, async () => {
    const { ws } = await freshWorkspace();
    const appliance = (await ws.ensureWorkspace()).appliances[0]!.appliance;
    await ws.createSelfSigned(appliance.id, { friendlyName: 'Exportable', algorithm: 'ECDSA-P256', exportable: true, subject: { CN: 'a.example.com' }, subjectAltNames: ['a.example.com'] });
    const keys = await ws.database.getAll('keys');
    const exportable = keys.find((k) => k.key.exportable)!;
    const t = ws.database.transaction('keys', 'readwrite');
    for (let i = 0; i < MAX_BACKUP_KEYS; i++) await t.store.add({ ...exportable, id: `copy-${i}` });
    await t.done;
    await expect(ws.exportBackup(PASS, { iterations: MIN_BACKUP_ITERATIONS })).rejects.toMatchObject({ code: 'backup-too-many-keys' });
    ws.close();
  });
});
