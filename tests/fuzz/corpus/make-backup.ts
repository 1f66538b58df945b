/**
 * The backup reader's seed corpus, made by Certdesk's own backup writer on an in-memory
 * workspace: one appliance with an IP address served by an exportable self-signed certificate,
 * a request, an imported chain, events. Writes backup.certdesk (passphrase BACKUP_PASSPHRASE,
 * the fewest iterations a backup may have) and backup-contents.json (its decrypted record set).
 * Run: npx tsx tests/fuzz/corpus/make-backup.ts
 */
import 'fake-indexeddb/auto';
import { createDecipheriv } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { MIN_BACKUP_ITERATIONS, deriveBackupSecrets } from '../../../src/store/backup';
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

const file = JSON.parse(new TextDecoder().decode(backup.bytes)) as { kdf: { salt: string; iterations: number }; cipher: { iv: string }; ciphertext: string; format: string; version: number; check: string };
const { aesKey } = await deriveBackupSecrets(BACKUP_PASSPHRASE, Buffer.from(file.kdf.salt, 'base64'), file.kdf.iterations);
const sealed = Buffer.from(file.ciphertext, 'base64');
const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(file.cipher.iv, 'base64'));
const { format, version, kdf, cipher, check } = file;
decipher.setAAD(Buffer.from(JSON.stringify({ format, version, kdf, cipher, check })));
decipher.setAuthTag(sealed.subarray(sealed.length - 16));
const plaintext = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
writeFileSync(join(corpusDir, 'backup-contents.json'), JSON.stringify(JSON.parse(plaintext.toString('utf8')), null, 1));
ws.close();
