/**
 * A backup file's record set read and written with node:crypto, independently of the backup code
 * (src/store/backup.ts): the key from the same PBKDF2 derivation (deriveBackupSecrets, itself
 * checked against `openssl kdf`), AES-256-GCM with the header as additional data.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { deriveBackupSecrets } from '../../src/store/backup';
import type { WorkspaceContents } from '../../src/store/contents';

interface BackupHeader {
  format: string;
  version: number;
  kdf: { salt: string; iterations: number };
  cipher: { iv: string };
  check: string;
}

const aad = ({ format, version, kdf, cipher, check }: BackupHeader) => Buffer.from(JSON.stringify({ format, version, kdf, cipher, check }));

async function keyOf(header: BackupHeader, passphrase: string): Promise<Uint8Array> {
  return (await deriveBackupSecrets(passphrase, Buffer.from(header.kdf.salt, 'base64'), header.kdf.iterations)).aesKey;
}

/** The header and the decrypted record set of a backup file. */
export async function openBackupFile(bytes: Uint8Array, passphrase: string): Promise<{ header: BackupHeader & Record<string, unknown>; contents: WorkspaceContents }> {
  const header = JSON.parse(new TextDecoder().decode(bytes)) as BackupHeader & { ciphertext: string } & Record<string, unknown>;
  const sealed = Buffer.from(header.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', await keyOf(header, passphrase), Buffer.from(header.cipher.iv, 'base64'));
  decipher.setAAD(aad(header));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const plaintext = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  return { header, contents: JSON.parse(plaintext.toString('utf8')) as WorkspaceContents };
}

/** The backup file with `contents` encrypted under the header's passphrase, salt and IV. */
export async function sealBackupFile(header: BackupHeader & Record<string, unknown>, contents: WorkspaceContents, passphrase: string): Promise<Uint8Array> {
  const cipher = createCipheriv('aes-256-gcm', await keyOf(header, passphrase), Buffer.from(header.cipher.iv, 'base64'));
  cipher.setAAD(aad(header));
  const body = Buffer.concat([cipher.update(JSON.stringify(contents), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return new TextEncoder().encode(JSON.stringify({ ...header, ciphertext: body.toString('base64') }));
}
