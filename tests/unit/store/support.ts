/**
 * Shared test setup for the store: a fresh fake-indexeddb factory per test, the real PKI
 * (src/core/pki), and a file decoder for PEM/DER certificates and PKCS#8 keys (standing in for
 * src/core/pki/decode.ts until it lands: real parsing, the formats these tests use).
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { CertdeskError } from '../../../src/core/errors';
import { parsePem, looksLikePem } from '../../../src/core/pki/pem';
import { publicKeyFromPrivateKey, sha256Hex } from '../../../src/core/pki/keys';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { pkiServices } from '../../../src/store/pki';
import type { DecodedFile, PkiServices } from '../../../src/store/pki-services';
import { Workspace } from '../../../src/store/workspace';
import type { WorkspaceOptions } from '../../../src/store/workspace';

async function decodeForTests(bytes: Uint8Array): Promise<DecodedFile> {
  const out: DecodedFile = { certificates: [], privateKeys: [] };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const blocks = looksLikePem(text) ? parsePem(text) : [{ label: bytes[0] === 0x30 ? 'CERTIFICATE' : 'UNKNOWN', headers: {}, der: bytes }];
  for (const block of blocks) {
    if (block.label === 'CERTIFICATE') out.certificates.push({ der: block.der });
    else if (block.label === 'PRIVATE KEY') {
      out.privateKeys.push({ pkcs8: block.der, publicKeySha256: await sha256Hex(await publicKeyFromPrivateKey(block.der)) });
    } else throw new CertdeskError('unsupported-file', 'This file is neither a certificate nor a private key.');
  }
  return out;
}

export const pki: PkiServices<CertdeskKey> = pkiServices((bytes) => decodeForTests(bytes));

let counter = 0;

/** A workspace on its own fresh in-memory IndexedDB. */
export async function freshWorkspace(
  overrides: Partial<WorkspaceOptions<CertdeskKey>> = {},
): Promise<{ ws: Workspace<CertdeskKey>; factory: IDBFactory; name: string }> {
  const factory = overrides.factory ?? new IDBFactory();
  const name = overrides.name ?? `certdesk-test-${++counter}`;
  const ws = await Workspace.open<CertdeskKey>({ pki, factory, name, channelName: `test:${name}`, ...overrides });
  return { ws, factory, name };
}

/** Every record of every store, for "nothing changed" comparisons. */
export async function snapshot(ws: Workspace<CertdeskKey>): Promise<Record<string, unknown[]>> {
  const db = ws.database;
  const out: Record<string, unknown[]> = {};
  for (const store of db.objectStoreNames) out[store] = await db.getAll(store as never);
  return out;
}

export const pem = (der: Uint8Array, label = 'CERTIFICATE') =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;

export const utf8 = (text: string) => new TextEncoder().encode(text);
