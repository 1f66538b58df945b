import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureText } from '../../support/fixtures';
import { CertdeskError } from '../../../src/core/errors';
import { Workspace } from '../../../src/store/workspace';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { inRealmLock } from '../../../src/store/locks';
import type { LockManagerLike } from '../../../src/store/locks';
import type { StorageManagerLike } from '../../../src/store/storage';
import { freshWorkspace, pki, snapshot, utf8 } from './support';

const roots = utf8(fixtureText('mozilla-roots.pem'));
const run = crypto.randomUUID();

afterEach(() => vi.restoreAllMocks());

describe('one action = one transaction: a failure mid-action leaves no partial record', () => {
  it('a quota error on the 50th of 144 root certificates saves none of them', async () => {
    const { ws } = await freshWorkspace();
    const view = await ws.ensureWorkspace();
    const id = view.appliances[0]!.appliance.id;
    const before = await snapshot(ws);
    let calls = 0;
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'certificates' && ++calls === 50) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const error = await ws.importFiles(id, [{ name: 'roots.pem', bytes: roots }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertdeskError);
    expect(error).toMatchObject({ code: 'not-saved', message: expect.stringMatching(/^Nothing was saved: the browser has no storage space left/) });
    expect(calls).toBe(50);
    expect(await snapshot(ws)).toEqual(before);
    vi.restoreAllMocks();
    const summary = await ws.importFiles(id, [{ name: 'roots.pem', bytes: roots }]);
    expect(summary.added).toBe(144);
    ws.close();
  });

  it('a request failing inside IndexedDB (duplicate key → abort) saves nothing', async () => {
    let n = 0;
    let duplicateAfter = Infinity;
    const { ws } = await freshWorkspace({ newId: () => (++n > duplicateAfter ? 'same-id' : `id-${n}`) });
    const id = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    const before = await snapshot(ws);
    duplicateAfter = n; // every id from now on collides: the second event add fails with ConstraintError
    await expect(
      ws.importFiles(id, [
        { name: 'a.pem', bytes: utf8(fixtureText('openssl-set', 'ec', 'root.pem')) },
        { name: 'b.pem', bytes: utf8(fixtureText('openssl-set', 'ec', 'ica.pem')) },
      ]),
    ).rejects.toMatchObject({ code: 'not-saved', message: expect.stringMatching(/^Nothing was saved/) });
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });

  it('cancelling while the import is written aborts it with an AbortError and saves nothing', async () => {
    const { ws } = await freshWorkspace();
    const id = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    const before = await snapshot(ws);
    const controller = new AbortController();
    let calls = 0;
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++calls === 100) controller.abort();
      return put.apply(this, args);
    });
    const error = await ws.importFiles(id, [{ name: 'roots.pem', bytes: roots }], { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });

  it('a rule failing after reads (unknown appliance) writes nothing and says why', async () => {
    const { ws } = await freshWorkspace();
    await ws.ensureWorkspace();
    const before = await snapshot(ws);
    await expect(ws.importFiles('no-such-appliance', [{ name: 'roots.pem', bytes: roots }])).rejects.toMatchObject({ code: 'unknown-appliance' });
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });
});

describe('several tabs', () => {
  it('a change in one tab is broadcast to the other, which re-reads it', async () => {
    const a = await freshWorkspace({ channelName: `tabs-1-${run}` });
    const b = await Workspace.open<CertdeskKey>({ pki, factory: a.factory, name: a.name, channelName: `tabs-1-${run}` });
    const id = (await a.ws.ensureWorkspace()).appliances[0]!.appliance.id;
    const heard: unknown[] = [];
    b.subscribe((n) => heard.push(n));
    await a.ws.addIpAddress(id, { ip: '192.0.2.50', dnsName: 'support.example.com' });
    await vi.waitFor(() => expect(heard).toEqual([{ type: 'changed', action: 'addIpAddress', applianceIds: [id], origin: a.ws.tabId }]));
    expect((await b.listWorkspace()).appliances[0]!.ips.map((i) => i.ip)).toEqual(['192.0.2.50']);
    a.ws.close();
    b.close();
  });

  it('two tabs assigning IPs at the same time: both changes survive', async () => {
    const a = await freshWorkspace({ channelName: `tabs-2-${run}` });
    const b = await Workspace.open<CertdeskKey>({ pki, factory: a.factory, name: a.name, channelName: `tabs-2-${run}` });
    const id = (await a.ws.ensureWorkspace()).appliances[0]!.appliance.id;
    await a.ws.addIpAddress(id, { ip: '192.0.2.1', dnsName: 'one.example.com' });
    await a.ws.addIpAddress(id, { ip: '192.0.2.2', dnsName: 'two.example.com' });
    const input = (n: string) => ({ friendlyName: n, algorithm: 'ECDSA-P256' as const, exportable: false, subject: { CN: n }, subjectAltNames: [`${n}.example.com`] });
    const one = await a.ws.createSelfSigned(id, input('one'));
    const two = await b.createSelfSigned(id, input('two'));
    await a.ws.recordSoftwareUpdate(id, { installedAt: 0, certificateIds: [one.id, two.id] });
    await Promise.all([
      a.ws.assignIps(one.id, ['192.0.2.1'], { warningsAccepted: true }),
      b.assignIps(two.id, ['192.0.2.2'], { warningsAccepted: true }),
    ]);
    const ips = (await b.listWorkspace()).appliances[0]!.ips.map((i) => [i.ip, i.certificateName]);
    expect(ips).toEqual([
      ['192.0.2.1', 'one'],
      ['192.0.2.2', 'two'],
    ]);
    a.ws.close();
    b.close();
  });

  it('read-modify-write runs under one exclusive Web Lock: two tabs never overlap', async () => {
    // A lock manager with Web Locks semantics (exclusive, FIFO per name), recording overlap.
    let active = 0;
    let maxActive = 0;
    const names: string[] = [];
    const queue = new Map<string, Promise<unknown>>();
    const locks: LockManagerLike = {
      request(name, options, callback) {
        names.push(`${name}/${options.mode}`);
        const run = (queue.get(name) ?? Promise.resolve()).then(async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          try {
            return await callback();
          } finally {
            active--;
          }
        });
        queue.set(name, run.catch(() => undefined));
        return run;
      },
    };
    const a = await freshWorkspace({ locks, channelName: `tabs-3-${run}` });
    const b = await Workspace.open<CertdeskKey>({ pki, factory: a.factory, name: a.name, locks, channelName: `tabs-3-${run}` });
    const id = (await a.ws.ensureWorkspace()).appliances[0]!.appliance.id;
    await Promise.all([
      a.ws.addIpAddress(id, { ip: '192.0.2.1', dnsName: 'one.example.com' }),
      b.addIpAddress(id, { ip: '192.0.2.2', dnsName: 'two.example.com' }),
      a.ws.addIpAddress(id, { ip: '192.0.2.3', dnsName: 'three.example.com' }),
    ]);
    expect(maxActive).toBe(1);
    expect(names).toContain(`certdesk-workspace:${a.name}/exclusive`);
    expect((await a.ws.listWorkspace()).appliances[0]!.ips).toHaveLength(3);
    a.ws.close();
    b.close();
  });

  it('without Web Locks, the in-realm queue serialises sections and survives a failing one', async () => {
    const log: string[] = [];
    const section = (name: string, fail = false) =>
      inRealmLock('q', async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`${name}-`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([section('a'), section('b', true), section('c')]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('a tab holding the old schema closes its connection when a newer one opens, and asks to reload', async () => {
    const { ws, factory, name } = await freshWorkspace();
    const id = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    const heard: unknown[] = [];
    ws.subscribe((n) => heard.push(n));
    const newer = factory.open(name, 99);
    let blocked = false;
    newer.onblocked = () => (blocked = true);
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      newer.onsuccess = () => resolve(newer.result);
      newer.onerror = () => reject(newer.error);
    });
    expect(blocked).toBe(false);
    expect(db.version).toBe(99);
    expect(heard).toEqual([{ type: 'reload-needed', reason: 'newer-version' }]);
    expect(ws.closed).toBe(true);
    await expect(ws.addIpAddress(id, { ip: '192.0.2.9', dnsName: 'x.example.com' })).rejects.toMatchObject({ code: 'reload-needed' });
    await expect(ws.listWorkspace()).rejects.toMatchObject({ code: 'reload-needed' });
    db.close();
    // This code opening a database a newer version already upgraded: a typed error, nothing touched.
    await expect(Workspace.open({ pki, factory, name })).rejects.toMatchObject({ code: 'newer-version-open' });
  });
});

describe('storage protection', () => {
  it('asks persist() once, after the first user action, and reports usage', async () => {
    const calls: string[] = [];
    let persisted = false;
    const storage: StorageManagerLike = {
      persist: async () => {
        calls.push('persist');
        persisted = true;
        return true;
      },
      persisted: async () => persisted,
      estimate: async () => ({ usage: 12_345, quota: 1_000_000 }),
    };
    const { ws } = await freshWorkspace({ storage });
    const id = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    await ws.listWorkspace();
    expect(calls).toEqual([]);
    expect(await ws.storageStatus()).toEqual({ persisted: false, usage: 12_345, quota: 1_000_000 });
    await ws.addIpAddress(id, { ip: '192.0.2.1', dnsName: 'one.example.com' });
    await ws.addIpAddress(id, { ip: '192.0.2.2', dnsName: 'two.example.com' });
    expect(calls).toEqual(['persist']);
    expect(await ws.storageStatus()).toEqual({ persisted: true, usage: 12_345, quota: 1_000_000 });
    ws.close();
  });

  it('where the browser has no StorageManager, the status is unknown, not an error', async () => {
    const { ws } = await freshWorkspace({ storage: {} });
    expect(await ws.storageStatus()).toEqual({ persisted: undefined });
    ws.close();
  });
});
