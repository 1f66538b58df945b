/**
 * The backup reader: the file's header (`readBackupFile`, before any key derivation) on mutated
 * backup files, with one execution in BACKUP_FULL_RESTORE_EVERY running the whole restore (PBKDF2
 * with 100,000 iterations, AES-GCM, merge); and the record set after decryption
 * (`restoreDecryptedBackup`: the contents reader and the merge into an in-memory workspace) on
 * mutated contents, which is where a decrypted but hostile or damaged backup goes.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { logEvent } from '../../../src/core/appliance/event-log';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { readBackupFile, restoreBackup, restoreDecryptedBackup } from '../../../src/store/backup';
import type { WorkspaceContext } from '../../../src/store/context';
import { openDatabase } from '../../../src/store/database';
import { pkiServices } from '../../../src/store/pki';
import { runPkiJob } from '../../../src/worker/pki-jobs';
import { BACKUP_PASSPHRASE, ownCorpus } from '../corpus';
import { mutatedInput, type Target } from '../target';

/** One file execution in this many runs the whole restore (a 100,000-iteration PBKDF2, ~50 ms). */
export const BACKUP_FULL_RESTORE_EVERY = 997;
/** A new in-memory workspace this often, so merged records do not pile up. */
const RESET_EVERY = 2_000;

let ctx: WorkspaceContext<CertdeskKey> | undefined;
let sinceReset = 0;

async function context(): Promise<WorkspaceContext<CertdeskKey>> {
  if (ctx && ++sinceReset < RESET_EVERY) return ctx;
  sinceReset = 0;
  ctx?.db.close();
  const db = await openDatabase({ factory: new IDBFactory(), name: `fuzz-${Date.now()}` });
  let ids = 0;
  const newId = () => `fuzz-id-${++ids}`;
  ctx = {
    db,
    pki: pkiServices({ runJob: runPkiJob }),
    clock: Date.now,
    newId,
    assertOpen: () => undefined,
    lock: (work) => work(),
    action: (_name, _ids, work) => work(),
    ensureRoom: async () => undefined,
    event: (kind, message, applianceId) => logEvent(newId(), Date.now(), kind, message, applianceId),
  };
  return ctx;
}

export const backup: Target = {
  name: 'backup',
  description: `readBackupFile on mutated backup files (1 in ${BACKUP_FULL_RESTORE_EVERY}: the whole restoreBackup); restoreDecryptedBackup on mutated record sets`,
  timeoutMs: 10_000,
  corpus: () => ownCorpus(/^backup/),
  input(rng, corpus) {
    const input = mutatedInput(rng, corpus);
    input.variant = input.entry.name.endsWith('.certdesk') ? 'file' : 'contents';
    return input;
  },
  async run({ bytes, variant }, index) {
    const workspace = await context();
    if (variant === 'file') {
      const file = readBackupFile(bytes);
      if (index % BACKUP_FULL_RESTORE_EVERY === 0) return restoreBackup(workspace, bytes, BACKUP_PASSPHRASE);
      return file.kdf;
    }
    return restoreDecryptedBackup(workspace, bytes.slice());
  },
};
