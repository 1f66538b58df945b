import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureText } from '../../support/fixtures';
import { CertdeskError } from '../../../src/core/errors';
import { ensureRoom, ROOM_CHECK_FROM_BYTES, ROOM_MARGIN_BYTES, WRITE_AMPLIFICATION } from '../../../src/store/room';
import { buildSafetyCopy, readMarker, readSafetyCopy, SAFETY_COPY_PART_CHARS, writeSafetyCopy, type KeyValueStore } from '../../../src/store/safety-copy';
import { readRecords } from '../../../src/store/contents';
import { freshWorkspace, snapshot, utf8 } from './support';

afterEach(() => vi.restoreAllMocks());

/** localStorage as the browser has it: strings in, strings out, a size limit. */
function memoryStore(limitChars = Infinity): KeyValueStore & { map: Map<string, string>; limitChars: number } {
  const map = new Map<string, string>();
  return {
    map,
    limitChars,
    getItem: (k) => map.get(k) ?? null,
    setItem(k, v) {
      const used = [...map].reduce((n, [key, value]) => n + (key === k ? 0 : key.length + value.length), 0);
      if (used + k.length + v.length > this.limitChars) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k),
  };
}

const ecChain = ['root.pem', 'ica.pem', 'server.pem'].map((f) => ({ name: f, bytes: utf8(fixtureText('openssl-set', 'ec', f)) }));

async function populated(kv = memoryStore()) {
  const { ws, factory, name } = await freshWorkspace({ keyValueStore: kv, safetyCopyDelayMs: 0 });
  const view = await ws.ensureWorkspace();
  const applianceId = view.appliances[0]!.appliance.id;
  await ws.importFiles(applianceId, ecChain);
  await ws.createRequest(applianceId, { friendlyName: 'Renewal 2027', algorithm: 'ECDSA-P256', exportable: true, subject: { CN: 'support.example.com' }, subjectAltNames: ['support.example.com'] });
  await ws.flushSafetyCopy();
  return { ws, factory, name, kv, applianceId };
}

describe('the marker: what the workspace held, outside IndexedDB', () => {
  it('is rewritten after every change with the counts of every store', async () => {
    const { ws, name, kv } = await populated();
    expect(readMarker(kv, name)?.counts).toEqual({ appliances: 1, certificates: 4, keys: 2, requests: 1, ipAssignments: 0 });
    ws.close();
  });

  it('records when the last backup was made', async () => {
    const { ws, name, kv } = await populated();
    expect(readMarker(kv, name)?.lastBackupAt).toBeUndefined();
    await ws.exportBackup('correct horse battery', { iterations: 100_000 });
    expect(readMarker(kv, name)?.lastBackupAt).toEqual(expect.any(Number));
    ws.close();
  });
});

describe('a start of an unchanged workspace leaves the safety copy alone', () => {
  /** The localStorage keys read and written from now on. */
  function watch(kv: ReturnType<typeof memoryStore>) {
    const seen = { read: [] as string[], written: [] as string[] };
    const { getItem, setItem } = kv;
    kv.getItem = (k) => (seen.read.push(k), getItem(k));
    kv.setItem = function (k, v) {
      seen.written.push(k);
      setItem.call(this, k, v);
    };
    return seen;
  }
  const copyKeys = (keys: string[]) => keys.filter((k) => k.includes('safety-copy'));

  it('reads the marker on start, not the copy, and takes no new copy', async () => {
    const { ws, factory, name, kv } = await populated();
    ws.close();
    const before = readSafetyCopy(kv, name)!;
    const seen = watch(kv);
    const { ws: again } = await freshWorkspace({ factory, name, keyValueStore: kv, safetyCopyDelayMs: 0 });
    expect((await again.ensureWorkspace()).appliances).toHaveLength(1);
    expect(seen.read).toEqual([]); // nothing of localStorage before the workspace is shown
    expect(await again.checkStorageLoss()).toBeUndefined();
    await again.flushSafetyCopy();
    expect(seen.read).toContain(`certdesk:marker:${name}`);
    expect(copyKeys(seen.read)).toEqual([]);
    expect(seen.written).toEqual([]);
    expect(readSafetyCopy(kv, name)?.takenAt).toBe(before.takenAt);
    again.close();
  });

  it('takes a copy on start when a change came after the last copy', async () => {
    const { ws, factory, name, kv } = await populated();
    ws.close();
    // What a change leaves when the tab closes before its copy is taken: a marker with no copy after it.
    const { copyTakenAt, ...marker } = readMarker(kv, name)!;
    expect(copyTakenAt).toBeGreaterThanOrEqual(marker.updatedAt);
    kv.setItem(`certdesk:marker:${name}`, JSON.stringify(marker));
    const before = readSafetyCopy(kv, name)!;
    const seen = watch(kv);
    const { ws: again } = await freshWorkspace({ factory, name, keyValueStore: kv, safetyCopyDelayMs: 0, clock: () => before.takenAt + 60_000 });
    await again.ensureWorkspace();
    await again.checkStorageLoss();
    await again.flushSafetyCopy();
    expect(copyKeys(seen.written)).toContain(`certdesk:safety-copy:${name}`);
    expect(readSafetyCopy(kv, name)?.takenAt).toBe(before.takenAt + 60_000);
    expect(readMarker(kv, name)?.copyTakenAt).toBe(before.takenAt + 60_000);
    again.close();
  });

  it('takes a copy on start when the database holds other records than the marker says', async () => {
    const { ws, factory, name, kv } = await populated();
    ws.close();
    const marker = readMarker(kv, name)!;
    // Records written without a marker update (an older version of Certdesk, another program).
    kv.setItem(`certdesk:marker:${name}`, JSON.stringify({ ...marker, counts: { ...marker.counts, certificates: marker.counts.certificates - 1 } }));
    const { ws: again } = await freshWorkspace({ factory, name, keyValueStore: kv, safetyCopyDelayMs: 0, clock: () => marker.updatedAt + 60_000 });
    await again.ensureWorkspace();
    await again.checkStorageLoss();
    await again.flushSafetyCopy();
    expect(readMarker(kv, name)?.counts.certificates).toBe(marker.counts.certificates);
    expect(readSafetyCopy(kv, name)?.takenAt).toBe(marker.updatedAt + 60_000);
    again.close();
  });
});

describe('a database the browser deleted is noticed, and the safety copy restores it', () => {
  it('reports the loss on the next start instead of starting a fresh workspace', async () => {
    const { ws, factory, name, kv } = await populated();
    ws.close();
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase(name); // what Chromium does to a store it cannot write
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    const { ws: again } = await freshWorkspace({ factory, name, keyValueStore: kv, safetyCopyDelayMs: 0 });
    expect(again.storageLoss).toMatchObject({
      expected: { appliances: 1, certificates: 4, keys: 2, requests: 1 },
      found: { appliances: 0, certificates: 0, keys: 0, requests: 0, ipAssignments: 0 },
      safetyCopy: { counts: { certificates: 4 }, certificatesLeftOut: 0 },
    });
    const view = await again.ensureWorkspace();
    expect(view.appliances).toEqual([]); // nothing made up while the loss is open

    const summary = await again.restoreSafetyCopy();
    expect(summary).toMatchObject({ appliancesAdded: 1, certificatesAdded: 4, requestsAdded: 1, keysAdded: 0 });
    expect(summary.keysNotIncluded.map((k) => k.friendlyName).sort()).toEqual(['Factory default key', 'Renewal 2027 key']);
    expect(again.storageLoss).toBeUndefined();
    const restored = (await again.listWorkspace()).appliances[0]!;
    expect(restored.certificates.map((c) => c.friendlyName).sort()).toEqual(['Certdesk Test Intermediate CA ec', 'Certdesk Test Root CA ec', 'Factory default', 'appliance.example.test']);
    expect(restored.certificates.every((c) => c.privateKey === 'missing')).toBe(true);
    expect(restored.requests.map((r) => r.friendlyName)).toEqual(['Renewal 2027']);
    again.close();
  });

  it('reports records lost from a database that still has appliances once the workspace is shown', async () => {
    const { ws, factory, name, kv } = await populated();
    const request = (await ws.listWorkspace()).appliances[0]!.requests[0]!;
    await ws.database.delete('requests', request.id); // what a partial loss leaves
    ws.close();
    const { ws: again } = await freshWorkspace({ factory, name, keyValueStore: kv, safetyCopyDelayMs: 0 });
    expect((await again.ensureWorkspace()).appliances).toHaveLength(1);
    expect(again.storageLoss).toBeUndefined(); // not looked at yet: the marker is read after the first paint
    expect(await again.checkStorageLoss()).toMatchObject({ expected: { requests: 1 }, found: { requests: 0 }, safetyCopy: { counts: { requests: 1 } } });
    expect(again.storageLoss).toBeDefined();
    again.close();
  });

  it('an action before the loss check still finds the loss (the marker is not overwritten first)', async () => {
    const { ws, factory, name, kv } = await populated();
    const applianceId = (await ws.listWorkspace()).appliances[0]!.appliance.id;
    const request = (await ws.listWorkspace()).appliances[0]!.requests[0]!;
    await ws.database.delete('requests', request.id);
    ws.close();
    const { ws: again } = await freshWorkspace({ factory, name, keyValueStore: kv, safetyCopyDelayMs: 0 });
    await again.ensureWorkspace();
    await again.importFiles(applianceId, ecChain.slice(0, 1));
    expect(again.storageLoss).toMatchObject({ expected: { requests: 1 }, found: { requests: 0 } });
    expect(await again.checkStorageLoss()).toMatchObject({ expected: { requests: 1 }, found: { requests: 0 } });
    again.close();
  });

  it('lets the admin go on without restoring: a fresh workspace starts', async () => {
    const { ws, factory, name, kv } = await populated();
    ws.close();
    await new Promise((resolve) => (factory.deleteDatabase(name).onsuccess = resolve));
    const { ws: again } = await freshWorkspace({ factory, name, keyValueStore: kv });
    expect(again.storageLoss).toBeDefined();
    const view = await again.dismissStorageLoss();
    expect(view.appliances).toHaveLength(1);
    expect(again.storageLoss).toBeUndefined();
    expect(readMarker(kv, name)?.counts.appliances).toBe(1);
    again.close();
  });

  it('without a marker (first start, or site data cleared on purpose) nothing is reported', async () => {
    const { ws } = await freshWorkspace({ keyValueStore: memoryStore() });
    expect(ws.storageLoss).toBeUndefined();
    expect((await ws.ensureWorkspace()).appliances).toHaveLength(1);
    ws.close();
  });

  it('a restore with no safety copy says where the data can come from', async () => {
    const { ws } = await freshWorkspace({ keyValueStore: memoryStore() });
    await expect(ws.restoreSafetyCopy()).rejects.toMatchObject({ code: 'no-safety-copy' });
    ws.close();
  });
});

describe('the safety copy is bounded', () => {
  it('keeps what serves an IP and the factory default first, leaves out the least needed, and records how many', async () => {
    const { ws, applianceId } = await populated();
    await ws.addIpAddress(applianceId, { ip: '192.0.2.10', dnsName: 'support.example.com' });
    const records = await readRecords(ws.database);
    const full = buildSafetyCopy(records, { appliances: 1, certificates: 4, keys: 2, requests: 1, ipAssignments: 1 }, 0)!;
    const withoutCertificates = JSON.stringify({ ...full.copy, contents: { ...full.copy.contents, certificates: [] } }).length;
    const sizes = full.copy.contents.certificates.map((c) => JSON.stringify(c).length + 1);
    // Room for the factory default and one more: the CA certificates come before the server certificate.
    const bounded = buildSafetyCopy(records, full.copy.counts, 0, withoutCertificates + sizes[0]! + sizes[1]!)!;
    expect(bounded.text.length).toBeLessThanOrEqual(withoutCertificates + sizes[0]! + sizes[1]!);
    expect(bounded.copy.certificatesLeftOut).toBe(2);
    expect(bounded.copy.contents.certificates.map((c) => c.friendlyName)).toEqual([full.copy.contents.certificates[0]!.friendlyName, full.copy.contents.certificates[1]!.friendlyName]);
    expect(bounded.copy.contents.certificates[0]!.factoryDefault).toBe(true);
    // No room even for the certificate serving the IP: no copy rather than one whose assignments dangle.
    expect(buildSafetyCopy(records, full.copy.counts, 0, withoutCertificates + 10)).toBeUndefined();
    ws.close();
  });

  it('keeps the previous copy when localStorage is full', async () => {
    const kv = memoryStore();
    const { ws, name, applianceId } = await populated(kv);
    const before = readSafetyCopy(kv, name)!;
    kv.limitChars = [...kv.map].reduce((n, [k, v]) => n + k.length + v.length, 0) + 50;
    await ws.importFiles(applianceId, [{ name: 'roots.pem', bytes: utf8(fixtureText('mozilla-roots.pem')) }]);
    await ws.flushSafetyCopy();
    expect(readSafetyCopy(kv, name)).toEqual(before);
    expect(readMarker(kv, name)?.counts.certificates).toBe(4 + 144);
    ws.close();
  });
});

describe('after a failed write, what is left is counted before anything is said', () => {
  it('names what is still there when nothing was lost', async () => {
    const { ws, applianceId } = await populated();
    const before = await snapshot(ws);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'certificates') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const error = (await ws.importFiles(applianceId, [{ name: 'roots.pem', bytes: utf8(fixtureText('mozilla-roots.pem')) }]).catch((e: unknown) => e)) as CertdeskError;
    expect(error.code).toBe('not-saved');
    expect(error.message).toBe(
      'Nothing was saved: the browser has no storage space left for Certdesk. Certdesk checked its storage afterwards: 1 appliance, 4 certificates, 2 keys and 1 request — everything is still there. Free disk space or delete certificates you no longer need, then try again.',
    );
    vi.restoreAllMocks();
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });

  it('says the data is gone when the database vanished during the write', async () => {
    const { ws, factory, name, applianceId } = await populated();
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'certificates') {
        ws.database.close();
        factory.deleteDatabase(name);
        throw new DOMException('IO error: FILE_ERROR_NO_SPACE', 'UnknownError');
      }
      return put.apply(this, args);
    });
    const error = (await ws.importFiles(applianceId, [{ name: 'roots.pem', bytes: utf8(fixtureText('mozilla-roots.pem')) }]).catch((e: unknown) => e)) as CertdeskError;
    expect(error.code).toBe('storage-lost');
    // Gone, or (where the deletion is still under way) empty: either way the admin is told it is lost.
    expect(error.message).toMatch(/^The browser could not write the change \(the disk is probably full\) and deleted Certdesk's data in this browser \((the database is gone|it now holds nothing instead of 1 appliance, 4 certificates, 2 keys and 1 request)\)\. Free up disk space, then reload Certdesk: it will offer to restore its automatic safety copy and your latest backup file\.$/);
  });
});

describe('room on the disk before a large write', () => {
  const needed = (bytes: number) => bytes * WRITE_AMPLIFICATION + ROOM_MARGIN_BYTES;
  const probe = () => {
    const puts: number[] = [];
    const deleted: string[] = [];
    return {
      puts,
      deleted,
      caches: {
        open: async () => ({ put: async (_: string, response: Response) => void puts.push((await response.arrayBuffer()).byteLength) }) as unknown as Cache,
        delete: async (name: string) => (deleted.push(name), true),
      },
    };
  };

  it('does not check small writes', async () => {
    const p = probe();
    await ensureRoom(ROOM_CHECK_FROM_BYTES - 1, { caches: p.caches, storage: { estimate: async () => ({ usage: 0, quota: 0 }) } });
    expect(p.puts).toEqual([]);
  });

  it('probes with the bytes the write needs, and deletes the probe', async () => {
    const p = probe();
    await ensureRoom(ROOM_CHECK_FROM_BYTES, { caches: p.caches });
    expect(p.puts).toEqual([needed(ROOM_CHECK_FROM_BYTES)]);
    expect(p.deleted).toEqual(['certdesk-room-probe']);
  });

  it('refuses when the quota cannot hold it', async () => {
    await expect(ensureRoom(1_000_000, { storage: { estimate: async () => ({ usage: 1_000, quota: needed(1_000_000) }) } })).rejects.toMatchObject({
      code: 'storage-full',
      message: 'There is not enough free disk space for this (it needs about 4 MB free). Nothing was changed. Free up space on this device — or remove certificates you no longer need — then try again.',
    });
  });

  it('refuses when the disk cannot hold the probe, and still deletes it', async () => {
    const deleted: string[] = [];
    const caches = {
      open: async () => ({ put: async () => Promise.reject(new DOMException('Unexpected internal error.', 'UnknownError')) }) as unknown as Cache,
      delete: async (name: string) => (deleted.push(name), true),
    };
    await expect(ensureRoom(1_000_000, { caches })).rejects.toMatchObject({ code: 'storage-full' });
    expect(deleted).toEqual(['certdesk-room-probe']);
  });

  it('an import too large for the disk changes nothing', async () => {
    const full = { open: async () => ({ put: async () => Promise.reject(new DOMException('Quota exceeded.', 'QuotaExceededError')) }) as unknown as Cache, delete: async () => true };
    const { ws } = await freshWorkspace({ room: { caches: full } });
    const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    const before = await snapshot(ws);
    await expect(ws.importFiles(applianceId, [{ name: 'roots.pem', bytes: utf8(fixtureText('mozilla-roots.pem')) }])).rejects.toMatchObject({ code: 'storage-full' });
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });
});

describe('a large safety copy is written in parts, one per task', () => {
  const copyText = (events: number, tag: string) =>
    JSON.stringify({
      format: 'certdesk-safety-copy',
      version: 1,
      takenAt: 1,
      counts: { appliances: 0, certificates: 0, keys: 0, requests: 0, ipAssignments: 0 },
      certificatesLeftOut: 0,
      contents: { createdAt: 1, appliances: [], certificates: [], keys: [], keysNotIncluded: [], requests: [], ipAssignments: [], events: Array.from({ length: events }, (_, i) => ({ id: `${tag}-${i}`, at: i, kind: 'workspace-created', message: 'x'.repeat(500) })) },
    });
  const partKeys = (kv: ReturnType<typeof memoryStore>) => [...kv.map.keys()].filter((k) => k.includes(':part:')).sort();

  it('reads back whole, alternates between two sets of parts and leaves none behind', async () => {
    const kv = memoryStore();
    let pauses = 0;
    const pause = async () => void pauses++;
    const large = copyText(1500, 'a');
    expect(large.length).toBeGreaterThan(3 * SAFETY_COPY_PART_CHARS);
    expect(await writeSafetyCopy(kv, 'db', large, pause)).toBe(true);
    const parts = Math.ceil(large.length / SAFETY_COPY_PART_CHARS);
    expect(pauses).toBe(parts);
    expect(partKeys(kv)).toEqual(Array.from({ length: parts }, (_, i) => `certdesk:safety-copy:db:part:a:${i}`).sort());
    expect(readSafetyCopy(kv, 'db')).toEqual(JSON.parse(large));
    // Every part under the copy's limit: no single write is a long task.
    for (const key of partKeys(kv)) expect(kv.map.get(key)!.length).toBeLessThanOrEqual(SAFETY_COPY_PART_CHARS);

    const next = copyText(800, 'b');
    expect(await writeSafetyCopy(kv, 'db', next, pause)).toBe(true);
    expect(partKeys(kv).every((k) => k.includes(':part:b:'))).toBe(true);
    expect(readSafetyCopy(kv, 'db')).toEqual(JSON.parse(next));

    const small = copyText(1, 'c');
    expect(await writeSafetyCopy(kv, 'db', small, pause)).toBe(true);
    expect(partKeys(kv)).toEqual([]);
    expect(kv.map.get('certdesk:safety-copy:db')).toBe(small);
  });

  it('an interrupted or refused write keeps the previous copy', async () => {
    const kv = memoryStore();
    const pause = async () => undefined;
    const first = copyText(1500, 'a');
    await writeSafetyCopy(kv, 'db', first, pause);
    let calls = 0;
    const failing = async () => {
      if (++calls === 2) throw new Error('the page went away');
    };
    expect(await writeSafetyCopy(kv, 'db', copyText(1500, 'b'), failing)).toBe(false);
    expect(readSafetyCopy(kv, 'db')).toEqual(JSON.parse(first));
    expect(partKeys(kv).every((k) => k.includes(':part:a:'))).toBe(true);

    kv.limitChars = [...kv.map].reduce((n, [k, v]) => n + k.length + v.length, 0) + SAFETY_COPY_PART_CHARS;
    expect(await writeSafetyCopy(kv, 'db', copyText(1500, 'c'), pause)).toBe(false);
    expect(readSafetyCopy(kv, 'db')).toEqual(JSON.parse(first));
    // A part gone missing: no copy rather than a damaged one.
    kv.map.delete('certdesk:safety-copy:db:part:a:1');
    expect(readSafetyCopy(kv, 'db')).toBeUndefined();
  });
});
