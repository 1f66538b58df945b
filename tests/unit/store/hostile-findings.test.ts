/**
 * What the fuzz campaign found in the backup reader (tests/fuzz/targets/backup.ts), one
 * regression test per finding, named after it: a decrypted record set is read field by field
 * and restoring one costs seconds at most, whatever the file holds.
 */
import { describe, expect, it } from 'vitest';
import { MAX_BACKUP_KEYS, MIN_BACKUP_ITERATIONS } from '../../../src/store/backup';
import type { PkiServices } from '../../../src/store/pki-services';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { openBackupFile, sealBackupFile } from '../../support/backup-file';
import { freshWorkspace, pki, snapshot } from './support';

const PASS = 'correct horse battery staple';

/** A workspace with one exportable key, backed up with the fewest iterations a backup may have. */
async function backupWithOneKey() {
  const { ws } = await freshWorkspace();
  const appliance = (await ws.ensureWorkspace()).appliances[0]!.appliance;
  await ws.createSelfSigned(appliance.id, { friendlyName: 'Exportable', algorithm: 'ECDSA-P256', exportable: true, subject: { CN: 'a.example.com' }, subjectAltNames: ['a.example.com'] });
  const backup = await ws.exportBackup(PASS, { iterations: MIN_BACKUP_ITERATIONS });
  ws.close();
  return openBackupFile(backup.bytes, PASS);
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
    const { header, contents } = await backupWithOneKey();
    const key = contents.keys[0]!;
    contents.keys = Array.from({ length: 10_000 }, (_, i) => ({ ...key, id: i === 0 ? key.id : `${key.id}-copy-${i}` }));
    const { ws, counter } = await countingWorkspace();
    const summary = await ws.restoreBackup(await sealBackupFile(header, contents, PASS), PASS);
    expect(counter.imports).toBe(1);
    expect(summary.keysAdded).toBe(1);
    ws.close();
  });

  it(`a backup holding more than ${MAX_BACKUP_KEYS.toLocaleString('en')} keys is refused before any key is imported, and nothing changes (backup-too-many-keys)`, async () => {
    const { header, contents } = await backupWithOneKey();
    const key = contents.keys[0]!;
    contents.keys = Array.from({ length: MAX_BACKUP_KEYS + 1 }, (_, i) => ({ ...key, id: `k${i}`, pkcs8: Buffer.from(`key number ${i}`).toString('base64') }));
    const { ws, counter } = await countingWorkspace();
    const before = await snapshot(ws);
    await expect(ws.restoreBackup(await sealBackupFile(header, contents, PASS), PASS)).rejects.toMatchObject({ code: 'backup-too-many-keys' });
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
