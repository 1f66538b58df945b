import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { fixture } from '../../support/fixtures';
import { generateKey } from '../../../src/core/pki/keys';
import { readCertificateFacts } from '../../../src/core/appliance/certificate-facts';
import { SCHEMA_VERSION } from '../../../src/store/schema';
import { Workspace } from '../../../src/store/workspace';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { pki, snapshot } from './support';

const request = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/** The version-1 schema exactly as the first release created it, written out by hand. */
function createV1(db: IDBDatabase): void {
  db.createObjectStore('appliances', { keyPath: 'id' });
  const keys = db.createObjectStore('keys', { keyPath: 'id' });
  keys.createIndex('byAppliance', 'applianceId');
  keys.createIndex('byPublicKey', 'key.publicKeySha256');
  const requests = db.createObjectStore('requests', { keyPath: 'id' });
  requests.createIndex('byAppliance', 'applianceId');
  const certificates = db.createObjectStore('certificates', { keyPath: 'id' });
  certificates.createIndex('byAppliance', 'applianceId');
  certificates.createIndex('bySha256', 'sha256');
  const ips = db.createObjectStore('ipAssignments', { keyPath: ['applianceId', 'ip'] });
  ips.createIndex('byAppliance', 'applianceId');
  ips.createIndex('byCertificate', 'certificateId');
  const events = db.createObjectStore('events', { keyPath: 'id' });
  events.createIndex('byAt', 'at');
}

/** The schema as version `version` left it: version 1's, then each later step of `upgrade`, written out by hand. */
function createAt(version: number): (db: IDBDatabase, t: IDBTransaction) => void {
  return (db, t) => {
    createV1(db);
    if (version >= 2) t.objectStore('certificates').createIndex('byKey', 'keyId');
    if (version >= 3) t.objectStore('events').createIndex('byAppliance', ['applianceId', 'at']);
    if (version >= 4) db.createObjectStore('chainStatuses', { keyPath: 'id' }).createIndex('byAppliance', 'applianceId');
    if (version >= 5) db.createObjectStore('certificateIndex', { keyPath: 'id' });
  };
}

async function v1Records() {
  const key = await generateKey('ECDSA-P256', { exportable: true });
  const der = fixture('openssl-set', 'ec', 'selfsigned.der');
  const facts = await readCertificateFacts(der);
  const certId = `a1:${facts.sha256}`;
  return {
    appliances: [
      {
        id: 'a1',
        name: 'Primary',
        role: 'primary',
        hostname: 'selfsigned.example.test',
        siteHostname: 'selfsigned.example.test',
        ipAddresses: [{ ip: '192.0.2.20', dnsName: 'selfsigned.example.test' }],
        inProduction: true,
        clientSoftware: { roots: [facts.sha256], updateRequestedAt: 1, updateInstalledAt: 2 },
        createdAt: 1,
      },
    ],
    keys: [{ id: 'k1', applianceId: 'a1', friendlyName: 'Old key', createdAt: 1, key }],
    certificates: [
      { id: certId, applianceId: 'a1', sha256: facts.sha256, friendlyName: 'Old', der, facts, keyId: 'k1', factoryDefault: true, source: 'factory-default', importedAt: 1 },
    ],
    requests: [
      { id: 'r1', applianceId: 'a1', keyId: 'k1', friendlyName: 'Old request', subject: { CN: 'x' }, subjectAltNames: ['selfsigned.example.test'], der: new Uint8Array([0x30, 0]), createdAt: 1, fulfilledBy: certId },
    ],
    ipAssignments: [{ applianceId: 'a1', ip: '192.0.2.20', certificateId: certId }],
    events: [
      { id: 'e0', at: 0, kind: 'workspace-created', message: 'Workspace created.' },
      { id: 'e1', at: 1, kind: 'appliance-added', applianceId: 'a1', message: 'Added appliance Primary.' },
      { id: 'e2', at: 5, kind: 'ips-assigned', applianceId: 'a1', message: 'Assigned 192.0.2.20 to "Old".' },
    ],
  };
}

/** After an upgrade the chain statuses are empty (derived state, never carried over), and one sync computes the old certificate's. */
async function expectStatusesComputedOnce(ws: Workspace<CertdeskKey>, after: Record<string, unknown[]>, id: string): Promise<void> {
  expect(after.chainStatuses).toEqual([]);
  expect(await ws.chainStatuses()).toEqual(new Map());
  const [update] = await ws.syncChainStatuses();
  expect(update!.changed).toEqual(new Map([[id, expect.objectContaining({ kind: 'untrusted' })]]));
  expect([...(await ws.chainStatuses()).keys()]).toEqual([id]);
}

/** Opens a database at `version`, creating it by hand with `create`, and fills it with `records`. */
async function buildOld(factory: IDBFactory, name: string, version: number, create: (db: IDBDatabase, t: IDBTransaction) => void, records: Record<string, unknown[]>) {
  const open = factory.open(name, version);
  open.onupgradeneeded = () => create(open.result, open.transaction!);
  const db = await request(open);
  const t = db.transaction(Object.keys(records), 'readwrite');
  for (const [store, list] of Object.entries(records)) for (const r of list) t.objectStore(store).add(r);
  await new Promise((resolve, reject) => {
    t.oncomplete = resolve;
    t.onerror = reject;
  });
  db.close();
}

describe('migrations', () => {
  it('the current version is 6', () => expect(SCHEMA_VERSION).toBe(6));

  it('v2 → v6: every record survives and the events of each appliance read newest first from the new index', async () => {
    const factory = new IDBFactory();
    const records = await v1Records();
    await buildOld(factory, 'certdesk-v2', 2, createAt(2), records);
    const ws = await Workspace.open<CertdeskKey>({ pki, factory, name: 'certdesk-v2', channelName: 'm0' });
    expect(ws.database.version).toBe(6);
    const after = await snapshot(ws);
    for (const [store, list] of Object.entries(records)) expect(after[store], store).toEqual(list);
    // The new index holds the old events of the appliance (not the workspace's own), by time.
    expect((await ws.database.getAllFromIndex('events', 'byAppliance')).map((e) => e.id)).toEqual(['e1', 'e2']);
    expect((await ws.listEvents({ applianceId: 'a1' })).events.map((e) => e.id)).toEqual(['e2', 'e1']);
    expect((await ws.listEvents()).events.map((e) => e.id)).toEqual(['e2', 'e1', 'e0']);
    // Records written before lead times existed plan with the defaults.
    const view = await ws.listWorkspace();
    expect(view.appliances[0]!.leadTimes).toEqual({ caTurnaroundDays: 5, clientBuildDays: 10, marginDays: 7 });
    ws.close();
  });

  it('v1 → v6: every record survives, the new indexes cover old records, keys still sign', async () => {
    const factory = new IDBFactory();
    const records = await v1Records();
    await buildOld(factory, 'certdesk-v1', 1, createAt(1), records);

    const ws = await Workspace.open<CertdeskKey>({ pki, factory, name: 'certdesk-v1', channelName: 'm1' });
    expect(ws.database.version).toBe(6);
    const after = await snapshot(ws);
    for (const [store, list] of Object.entries(records)) expect(after[store], store).toEqual(list);
    // The v2 index finds the old certificate by its key.
    expect((await ws.database.getAllFromIndex('certificates', 'byKey', 'k1')).map((c) => c.id)).toEqual([records.certificates[0]!.id]);
    const stored = (await ws.database.get('keys', 'k1'))!;
    const data = new TextEncoder().encode('still signs');
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, stored.key.privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, stored.key.publicKey, sig, data)).toBe(true);
    const view = await ws.listWorkspace();
    expect(view.appliances[0]!.ips).toEqual([{ ip: '192.0.2.20', dnsName: 'selfsigned.example.test', certificateId: records.certificates[0]!.id, certificateName: 'Old' }]);
    ws.close();
  });

  it('v0 → v6 and v1 (empty) → v6 end with the same schema', async () => {
    const describeSchema = (db: IDBDatabase) => {
      const t = db.transaction([...db.objectStoreNames], 'readonly');
      return [...db.objectStoreNames].map((name) => {
        const s = t.objectStore(name);
        return { name, keyPath: s.keyPath, indexes: [...s.indexNames].map((i) => [i, s.index(i).keyPath, s.index(i).unique]) };
      });
    };
    const fresh = new IDBFactory();
    const a = await Workspace.open<CertdeskKey>({ pki, factory: fresh, name: 'n', channelName: 'm2' });
    const fromEmpty = describeSchema(a.database as unknown as IDBDatabase);
    a.close();

    const old = new IDBFactory();
    const open = old.open('n', 1);
    open.onupgradeneeded = () => createV1(open.result);
    (await request(open)).close();
    const b = await Workspace.open<CertdeskKey>({ pki, factory: old, name: 'n', channelName: 'm3' });
    expect(describeSchema(b.database as unknown as IDBDatabase)).toEqual(fromEmpty);
    expect(fromEmpty.find((s) => s.name === 'certificates')!.indexes).toContainEqual(['byKey', 'keyId', false]);
    expect(fromEmpty.find((s) => s.name === 'events')!.indexes).toContainEqual(['byAppliance', ['applianceId', 'at'], false]);
    expect(fromEmpty.find((s) => s.name === 'chainStatuses')).toEqual({ name: 'chainStatuses', keyPath: 'id', indexes: [['byAppliance', 'applianceId', false]] });
    expect(fromEmpty.find((s) => s.name === 'certificateIndex')).toEqual({ name: 'certificateIndex', keyPath: 'id', indexes: [] });
    b.close();
  });

  it('v3 → v6: every record survives, and the chain statuses start empty and are computed once', async () => {
    const factory = new IDBFactory();
    const records = await v1Records();
    await buildOld(factory, 'certdesk-v3', 3, createAt(3), records);
    const ws = await Workspace.open<CertdeskKey>({ pki, factory, name: 'certdesk-v3', channelName: 'm4' });
    expect(ws.database.version).toBe(6);
    const after = await snapshot(ws);
    for (const [store, list] of Object.entries(records)) expect(after[store], store).toEqual(list);
    await expectStatusesComputedOnce(ws, after, records.certificates[0]!.id);
    ws.close();
  });

  it('v4 → v6: every record survives, and the certificate index holds every certificate without its DER', async () => {
    const factory = new IDBFactory();
    const records = await v1Records();
    const second = fixture('openssl-set', 'rsa', 'selfsigned.der');
    const facts = await readCertificateFacts(second);
    records.certificates.push({ ...records.certificates[0]!, id: `a1:${facts.sha256}`, sha256: facts.sha256, friendlyName: 'Second', der: second, facts, factoryDefault: false, source: 'imported' });
    records.certificates.sort((a, b) => a.id.localeCompare(b.id));
    await buildOld(factory, 'certdesk-v4', 4, createAt(4), records);
    const ws = await Workspace.open<CertdeskKey>({ pki, factory, name: 'certdesk-v4', channelName: 'm5' });
    expect(ws.database.version).toBe(6);
    const after = await snapshot(ws);
    for (const [store, list] of Object.entries(records)) expect(after[store], store).toEqual(list);
    const rows = (after.certificateIndex as { id: string; applianceId: string; rows: string; count: number }[]).flatMap((bucket) => {
      expect(bucket.id).toBe(`a1:${(JSON.parse(bucket.rows) as { sha256: string }[])[0]!.sha256.charAt(0)}`);
      expect(bucket.count).toBe((JSON.parse(bucket.rows) as unknown[]).length);
      return JSON.parse(bucket.rows) as { id: unknown }[];
    });
    const byId = (a: { id: unknown }, b: { id: unknown }) => String(a.id).localeCompare(String(b.id));
    expect(rows.sort(byId)).toEqual(records.certificates.map(({ der: _der, ...row }) => row).sort(byId));
    const listed = (await ws.listWorkspace()).appliances[0]!.certificates;
    expect(listed.map((c) => c.friendlyName).sort()).toEqual(['Old', 'Second']);
    expect(listed.every((c) => !('der' in c))).toBe(true);
    expect(await ws.certificateDers(records.certificates.map((c) => c.id))).toEqual(records.certificates.map((c) => c.der));
    ws.close();
  });

  it('v5 → v6: every record survives, and the chain statuses kept one per record are cleared and computed again into buckets', async () => {
    const factory = new IDBFactory();
    const records = await v1Records();
    await buildOld(factory, 'certdesk-v5', 5, createAt(5), {
      ...records,
      certificateIndex: [{ id: `a1:${records.certificates[0]!.sha256.charAt(0)}`, applianceId: 'a1', rows: JSON.stringify(records.certificates.map(({ der: _der, ...row }) => row)), count: 1 }],
      chainStatuses: [{ id: records.certificates[0]!.id, applianceId: 'a1', status: { kind: 'complete' }, inputs: [], validFrom: 0, validUntil: 8.64e15, rules: 'old' }],
    });
    const ws = await Workspace.open<CertdeskKey>({ pki, factory, name: 'certdesk-v5', channelName: 'm6' });
    expect(ws.database.version).toBe(6);
    const after = await snapshot(ws);
    for (const [store, list] of Object.entries(records)) expect(after[store], store).toEqual(list);
    await expectStatusesComputedOnce(ws, after, records.certificates[0]!.id);
    expect((await ws.database.getAll('chainStatuses')).map((bucket) => [bucket.applianceId, bucket.count])).toEqual([['a1', 1]]);
    ws.close();
  });
});
