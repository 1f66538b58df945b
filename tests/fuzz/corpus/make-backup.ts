/**
 * The backup reader's seed corpus, made by Certdesk's own backup writer on an in-memory
 * workspace: one appliance with an IP address served by an exportable self-signed certificate,
 * a request, an imported chain, events. Writes backup.certdesk (passphrase BACKUP_PASSPHRASE,
 * the fewest iterations a backup may have) and backup-contents.json (its decrypted record set).
 * Run: npx tsx tests/fuzz/corpus/make-backup.ts
 */
import 'fake-indexeddb/auto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { MIN_BACKUP_ITERATIONS } from '../../../src/store/backup';
import { openBackupFile } from '../../support/backup-file';
import { pkiServices } from '../../../src/store/pki';
import { Workspace } from '../../../src/store/workspace';
import { runPkiJob } from '../../../src/worker/pki-jobs';
import { BACKUP_PASSPHRASE, corpusDir } from '../corpus';

const ws = await Workspace.open({ pki: pkiServices({ runJob: runPkiJob }), factory: new IDBFactory(), name: 'fuzz-corpus', channelName: 'fuzz-corpus' });
const appliance = await ws.addAppliance({
  name: 'Fuzz appliance',
  role: 'primary',
  hostname: 'node.example.test',
  siteHostname: 'support.example.test',
  ipAddresses: [{ ip: '192.0.2.10', dnsName: 'support.example.test' }],
});
const cert = await ws.createSelfSigned(appliance.id, { friendlyName: 'Fuzz certificate', algorithm: 'ECDSA-P256', exportable: true, subject: { CN: 'support.example.test' }, subjectAltNames: ['support.example.test'] });
await ws.createRequest(appliance.id, { friendlyName: 'Fuzz request', algorithm: 'ECDSA-P256', exportable: true, subject: { CN: 'request.example.test' }, subjectAltNames: ['request.example.test'] });
await ws.importFiles(appliance.id, [{ name: 'chain.pem', bytes: new Uint8Array(readFileSync(join(corpusDir, 'chain.pem'))) }]);
await ws.recordSoftwareUpdate(appliance.id, { installedAt: 0, certificateIds: [cert.id] });
await ws.assignIps(cert.id, ['192.0.2.10'], { warningsAccepted: true });
const backup = await ws.exportBackup(BACKUP_PASSPHRASE, { iterations: MIN_BACKUP_ITERATIONS });
writeFileSync(join(corpusDir, 'backup.certdesk'), backup.bytes);

const { contents } = await openBackupFile(backup.bytes, BACKUP_PASSPHRASE);
writeFileSync(join(corpusDir, 'backup-contents.json'), JSON.stringify(contents, null, 1));
ws.close();
