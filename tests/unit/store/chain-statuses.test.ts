/**
 * Chain statuses kept with the data: computed once per change and only where the change reaches
 * (a new issuer: its subjects and theirs), recomputed when a date in a chain passes or the rules
 * change, kept across a restart, and always what chainStatus says over the same certificates.
 */
import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { sha256Hex } from '../../../src/core/pki/asn1';
import { chainStatus } from '../../../src/core/pki/validation/chain-status';
import { parseCertificate } from '../../../src/core/pki/x509';
import { inProcessBackgroundWork } from '../../../src/store/background-work';
import { listedStatus } from '../../../src/store/chain-status-keeper';
import { packStatuses, statusBucketId, unpackStatuses, type KeptChainStatus } from '../../../src/store/chain-statuses';
import type { CertdeskDatabase } from '../../../src/store/schema';
import { fixture } from '../../support/fixtures';
import { bulkCertificates, pemBundle } from '../../support/bulk-certificates';
import { freshWorkspace, utf8 } from './support';

const ec = (name: string) => fixture('openssl-set', 'ec', `${name}.der`);
const file = (name: string, der: Uint8Array) => ({ name: `${name}.der`, bytes: der });
/** Inside every openssl-set certificate's validity (2025-06-01 … 2027-06-01). */
const START = Date.parse('2026-01-01T00:00:00Z');

async function workspaceAt(options: { rules?: string; builtInRoots?: Uint8Array[]; factory?: IDBFactory; name?: string } = {}) {
  let now = START;
  const background = (db: CertdeskDatabase) => inProcessBackgroundWork(db, { rules: options.rules ?? 'rules-1', builtInRoots: async () => options.builtInRoots ?? [] });
  const opened = await freshWorkspace({ clock: () => now, background, ...(options.factory ? { factory: options.factory } : {}), ...(options.name ? { name: options.name } : {}) });
  const applianceId = (await opened.ws.ensureWorkspace()).appliances[0]!.appliance.id;
  return { ...opened, applianceId, setNow: (ms: number) => (now = ms) };
}

const idOf = async (applianceId: string, der: Uint8Array) => `${applianceId}:${await sha256Hex(der)}`;

describe('kept chain statuses', () => {
  it('are what chainStatus says over the appliance’s certificates, and are read back as kept', async () => {
    const { ws, applianceId } = await workspaceAt();
    await ws.importFiles(applianceId, [file('server', ec('server')), file('ica', ec('ica')), file('root', ec('root')), file('self', ec('selfsigned'))]);
    const [update] = await ws.syncChainStatuses([applianceId]);
    const stored = (await ws.listWorkspace()).appliances[0]!.certificates;
    const ders = await ws.certificateDers(stored.map((c) => c.id));
    for (const [i, c] of stored.entries()) expect(update!.changed.get(c.id), c.friendlyName).toEqual(await listedStatus(await chainStatus(ders[i]!, ders, { time: new Date(START) })));
    expect([...update!.changed.keys()]).toHaveLength(5);
    expect(await ws.chainStatuses()).toEqual(update!.changed);
    ws.close();
  });

  it('a new issuer recomputes its subjects (and theirs), not the world', async () => {
    const { ws, applianceId } = await workspaceAt();
    const { root: bulkRoot, leaves } = bulkCertificates(20, new Date(START));
    await ws.importFiles(applianceId, [{ name: 'bulk.pem', bytes: utf8(pemBundle([bulkRoot, ...leaves])) }, file('server', ec('server'))]);
    const first = await ws.syncChainStatuses([applianceId]);
    expect([...first[0]!.changed.keys()]).toHaveLength(23);
    const server = await idOf(applianceId, ec('server'));
    expect(first[0]!.changed.get(server)?.kind).toBe('missing-intermediate');

    // Nothing changed: nothing is recomputed.
    expect([...(await ws.syncChainStatuses([applianceId]))[0]!.changed.keys()]).toEqual([]);

    await ws.importFiles(applianceId, [file('ica', ec('ica'))]);
    const second = (await ws.syncChainStatuses([applianceId]))[0]!;
    expect([...second.changed.keys()].sort()).toEqual([await idOf(applianceId, ec('ica')), server].sort());
    expect(second.changed.get(server)?.kind).toBe('missing-root');

    await ws.importFiles(applianceId, [file('root', ec('root'))]);
    const third = (await ws.syncChainStatuses([applianceId]))[0]!;
    expect([...third.changed.keys()].sort()).toEqual([await idOf(applianceId, ec('ica')), await idOf(applianceId, ec('root')), server].sort());
    expect([...third.changed.values()].map((s) => s.kind)).toEqual(['complete', 'complete', 'complete']);
    // Equal statuses are one object: a reply to the page carries each distinct status once.
    expect(new Set(third.changed.values()).size).toBe(1);

    // A certificate that leaves takes its status along; its subjects are recomputed.
    await ws.deleteCertificate(await idOf(applianceId, ec('ica')));
    const fourth = (await ws.syncChainStatuses([applianceId]))[0]!;
    expect(fourth.removed).toEqual([await idOf(applianceId, ec('ica'))]);
    expect([...fourth.changed.keys()]).toEqual([server]);
    expect(fourth.changed.get(server)?.kind).toBe('missing-intermediate');
    expect([...(await ws.chainStatuses()).keys()]).not.toContain(await idOf(applianceId, ec('ica')));
    ws.close();
  });

  it('a status is recomputed when a date in its chain passes, and only then', async () => {
    const { ws, applianceId, setNow } = await workspaceAt();
    await ws.importFiles(applianceId, [file('server', ec('server')), file('ica', ec('ica')), file('root', ec('root'))]);
    const [first] = await ws.syncChainStatuses([applianceId]);
    const expiry = (parseCertificate(ec('server')).notAfter.seconds + 1) * 1000;
    // The first date to pass in any chain of the appliance (the factory default's too).
    const edges = (await ws.listWorkspace()).appliances[0]!.certificates.flatMap((c) => [c.facts.notBefore, c.facts.notAfter + 1000]);
    expect(first!.nextChangeAt).toBe(Math.min(...edges.filter((edge) => edge > START)));
    expect(expiry).toBeGreaterThanOrEqual(first!.nextChangeAt);

    setNow(expiry - 1000);
    // (The factory default, made today, may have become valid meanwhile: only its status changes.)
    expect([...(await ws.syncChainStatuses([applianceId]))[0]!.changed.keys()]).not.toContain(await idOf(applianceId, ec('server')));
    expect((await ws.chainStatuses()).get(await idOf(applianceId, ec('server')))?.kind).toBe('complete');

    setNow(expiry);
    // Until recomputed, a status whose span has passed is not shown.
    expect((await ws.chainStatuses()).get(await idOf(applianceId, ec('server')))).toBeUndefined();
    const [after] = await ws.syncChainStatuses([applianceId]);
    expect(after!.changed.get(await idOf(applianceId, ec('server')))).toMatchObject({ kind: 'expired' });
    ws.close();
  });

  it('are kept across a restart, and statuses from other rules are recomputed', async () => {
    const factory = new IDBFactory();
    const name = `kept-${crypto.randomUUID()}`;
    const a = await workspaceAt({ factory, name });
    await a.ws.importFiles(a.applianceId, [file('server', ec('server')), file('ica', ec('ica'))]);
    const [computed] = await a.ws.syncChainStatuses();
    a.ws.close();

    const b = await workspaceAt({ factory, name });
    expect(await b.ws.chainStatuses()).toEqual(computed!.changed);
    expect((await b.ws.syncChainStatuses())[0]!.changed.size).toBe(0);
    b.ws.close();

    const c = await workspaceAt({ factory, name, rules: 'rules-2' });
    expect(await c.ws.chainStatuses()).toEqual(new Map());
    expect((await c.ws.syncChainStatuses())[0]!.changed).toEqual(computed!.changed);
    c.ws.close();
  });

  it('name the built-in root a chain lacks by its SHA-256, and the workspace hands it over', async () => {
    const root = ec('root');
    const { ws, applianceId } = await workspaceAt({ builtInRoots: [root] });
    await ws.importFiles(applianceId, [file('server', ec('server')), file('ica', ec('ica'))]);
    const [update] = await ws.syncChainStatuses([applianceId]);
    expect(update!.changed.get(await idOf(applianceId, ec('server')))).toEqual({
      kind: 'missing-root',
      issuer: 'C=XX, O=Certdesk Test PKI (ec), CN=Certdesk Test Root CA ec',
      builtInRootSha256: await sha256Hex(root),
    });
    ws.close();
  });

  it('an appliance whose certificates are gone keeps no status', async () => {
    const { ws, applianceId } = await workspaceAt();
    await ws.importFiles(applianceId, [file('ica', ec('ica'))]);
    await ws.syncChainStatuses();
    const [gone] = await ws.syncChainStatuses(['no-such-appliance']);
    expect(gone).toEqual({ applianceId: 'no-such-appliance', changed: new Map(), removed: [], nextChangeAt: Infinity });
    await ws.deleteCertificate(await idOf(applianceId, ec('ica')));
    expect((await ws.syncChainStatuses([applianceId]))[0]!.removed).toEqual([await idOf(applianceId, ec('ica'))]);
    const buckets = await ws.database.getAll('chainStatuses');
    expect(buckets.flatMap(unpackStatuses).map((k) => k.id)).toEqual([(await ws.listWorkspace()).appliances[0]!.certificates[0]!.id]);
    ws.close();
  });
});

describe('kept chain statuses are packed in buckets', () => {
  const kept = (id: string, validFrom: number, validUntil: number): KeptChainStatus => ({
    id,
    applianceId: 'a1',
    status: { kind: 'expired', notBefore: '2025-06-01T00:00:00Z', notAfter: '2027-06-01T00:00:00Z' },
    inputs: ['a1:00', 'a1:ff'],
    validFrom,
    validUntil,
    rules: 'rules-1',
  });

  it('round-trip through JSON, open spans (±Infinity) included', () => {
    const statuses = [kept('a1:1', -Infinity, Infinity), kept('a1:2', 0, Infinity), kept('a1:3', -Infinity, 5), kept('a1:4', 1.5, 2e12)];
    const packed = packStatuses(statuses);
    expect(unpackStatuses({ id: 'a1:0', applianceId: 'a1', statuses: packed, count: 4 })).toEqual(statuses);
  });

  it('a certificate’s bucket is one of 16 of its appliance, the same for the same id', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `a1:${i.toString(16).padStart(64, '0')}`);
    const buckets = new Set(ids.map((id) => statusBucketId('a1', id)));
    expect(buckets.size).toBe(16);
    for (const bucket of buckets) expect(bucket).toMatch(/^a1:[0-9a-f]$/);
    expect(statusBucketId('a1', ids[7]!)).toBe(statusBucketId('a1', ids[7]!));
    expect(statusBucketId('other', ids[7]!).slice('other:'.length)).toBe(statusBucketId('a1', ids[7]!).slice('a1:'.length));
  });

  it('one sync of many certificates writes each appliance’s statuses in at most 16 records', async () => {
    const { ws, applianceId } = await workspaceAt();
    const { root, leaves } = bulkCertificates(60, new Date(START));
    await ws.importFiles(applianceId, [{ name: 'bulk.pem', bytes: utf8(pemBundle([root, ...leaves])) }]);
    const [update] = await ws.syncChainStatuses([applianceId]);
    const buckets = await ws.database.getAll('chainStatuses');
    expect(buckets.length).toBeLessThanOrEqual(16);
    for (const bucket of buckets) {
      expect(bucket.applianceId).toBe(applianceId);
      expect(bucket.count).toBe(unpackStatuses(bucket).length);
      for (const k of unpackStatuses(bucket)) expect(statusBucketId(applianceId, k.id)).toBe(bucket.id);
    }
    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(update!.changed.size);
    expect(await ws.chainStatuses()).toEqual(update!.changed);
    ws.close();
  });
});
