/**
 * The certificate index (src/store/certificate-index.ts) is kept in step with the certificates
 * by every action that writes them — import, create, delete, replace, restore from a backup,
 * two tabs at once — in the same transaction, so a failed action leaves neither; and a start
 * that finds it out of step rebuilds it. "In step": the index holds exactly the stored
 * certificates, each as stored without its DER, in the bucket its SHA-256 names.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixture } from '../../support/fixtures';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import type { CertificateIndexBucket } from '../../../src/store/certificate-index';
import { Workspace } from '../../../src/store/workspace';
import { makeCa } from './ca';
import { freshWorkspace, pem, pki, snapshot, utf8 } from './support';

afterEach(() => vi.restoreAllMocks());

const request = { friendlyName: 'Support 2026', algorithm: 'ECDSA-P256' as const, exportable: true, subject: { CN: 'Support', O: 'Example' }, subjectAltNames: ['support.example.com'] };

/** Asserts the index holds exactly the stored certificates, each without its DER, in its bucket; returns how many. */
async function expectInStep(ws: Workspace<CertdeskKey>): Promise<number> {
  const certificates = await ws.database.getAll('certificates');
  const buckets = (await ws.database.getAll('certificateIndex')) as CertificateIndexBucket[];
  const rows = buckets.flatMap((bucket) => {
    const list = JSON.parse(bucket.rows) as { id: string; applianceId: string; sha256: string }[];
    expect(bucket.count).toBe(list.length);
    expect(list.length).toBeGreaterThan(0);
    for (const row of list) expect(bucket.id).toBe(`${row.applianceId}:${row.sha256.charAt(0)}`);
    return list;
  });
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const expected = certificates.map(({ der: _der, ...row }) => row);
  // Through JSON: what the index can hold (absent optional fields stay absent).
  expect(rows.sort(byId)).toEqual(JSON.parse(JSON.stringify(expected.sort(byId))));
  return certificates.length;
}

async function started() {
  const { ws, factory, name } = await freshWorkspace();
  const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
  return { ws, factory, name, applianceId };
}

describe('the certificate index', () => {
  it('follows import, create, delete and replace; the list reads it and the DER on demand', async () => {
    const { ws, applianceId } = await started();
    expect(await expectInStep(ws)).toBe(1);
    const ca = await makeCa();
    await ws.addIpAddress(applianceId, { ip: '192.0.2.10', dnsName: 'support.example.com' });
    const req = await ws.createRequest(applianceId, request);
    await ws.importFiles(applianceId, [{ name: 'reply.pem', bytes: utf8(pem(await ca.sign(req.der, { validityDays: 200 })) + pem(ca.ica) + pem(ca.root)) }]);
    expect(await expectInStep(ws)).toBe(4);
    const old = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => c.friendlyName === 'Support 2026')!;
    // The key arrived before the reply: the index row says the key is linked, as the record does.
    expect(old.keyId).toBeDefined();
    // Its root built into the client software long ago: assigning and replacing are not refused.
    await ws.recordSoftwareUpdate(applianceId, { installedAt: Date.now() - 72 * 3_600_000, certificateIds: [old.id] });
    await ws.assignIps(old.id, ['192.0.2.10']);

    await ws.importFiles(applianceId, [{ name: 'renewed.pem', bytes: utf8(pem(await ca.sign(req.der, { validityDays: 400 }))) }]);
    const renewed = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => c.renews === old.id)!;
    await ws.replaceCertificate(renewed.id, old.id, { carryFriendlyName: true });
    expect(await expectInStep(ws)).toBe(5);
    const listed = (await ws.listWorkspace()).appliances[0]!.certificates;
    expect(listed.find((c) => c.id === old.id)).toMatchObject({ replacedBy: renewed.id, friendlyName: 'Support 2026 (replaced)' });

    const created = await ws.createSelfSigned(applianceId, { ...request, friendlyName: 'Self' });
    expect(await expectInStep(ws)).toBe(6);
    await ws.deleteCertificate(created.id);
    expect(await expectInStep(ws)).toBe(5);
    expect((await ws.listWorkspace()).appliances[0]!.certificates.map((c) => c.id)).not.toContain(created.id);
    // The list holds no DER; the store reads it when asked.
    const [der] = await ws.certificateDers([renewed.id]);
    expect(der).toEqual((await ws.database.get('certificates', renewed.id))!.der);
    await expect(ws.certificateDers([created.id])).rejects.toMatchObject({ code: 'unknown-certificate' });
    ws.close();
  });

  it('a failed import leaves neither the certificates nor the index changed', async () => {
    const { ws, applianceId } = await started();
    const before = await snapshot(ws);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      // The index is written last, after every certificate: failing there must undo them too.
      if (this.name === 'certificateIndex') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const bundle = fixture('openssl-set', 'rsa', 'ca-bundle.pem');
    await expect(ws.importFiles(applianceId, [{ name: 'bundle.pem', bytes: bundle }])).rejects.toMatchObject({ code: 'not-saved' });
    vi.restoreAllMocks();
    expect(await snapshot(ws)).toEqual(before);
    await ws.importFiles(applianceId, [{ name: 'bundle.pem', bytes: bundle }]);
    expect(await expectInStep(ws)).toBeGreaterThan(1);
    ws.close();
  });

  it('follows a restore from a backup, into a fresh workspace and into one that holds some of it', async () => {
    const { ws: source, applianceId } = await started();
    await source.importFiles(applianceId, [{ name: 'bundle.pem', bytes: fixture('openssl-set', 'rsa', 'ca-bundle.pem') }]);
    await source.createSelfSigned(applianceId, request);
    const backup = await source.exportBackup('correct horse battery', { iterations: 100_000 });

    const { ws: fresh } = await freshWorkspace();
    await fresh.ensureWorkspace();
    await fresh.restoreBackup(backup.bytes, 'correct horse battery');
    expect(await expectInStep(fresh)).toBe(await expectInStep(source));

    // Restoring into the source itself: everything is already there, nothing is doubled.
    await source.restoreBackup(backup.bytes, 'correct horse battery');
    expect(await expectInStep(source)).toBe(await fresh.database.count('certificates'));
    source.close();
    fresh.close();
  });

  it('stays in step when two tabs write at once, and each tab lists what the other wrote', async () => {
    const a = await started();
    const b = await Workspace.open<CertdeskKey>({ pki, factory: a.factory, name: a.name, channelName: `index-two-tabs-${a.name}` });
    const ca = await makeCa();
    await Promise.all([
      a.ws.importFiles(a.applianceId, [{ name: 'chain.pem', bytes: utf8(pem(ca.ica) + pem(ca.root)) }]),
      b.createSelfSigned(a.applianceId, { ...request, friendlyName: 'From B' }),
      a.ws.createSelfSigned(a.applianceId, { ...request, friendlyName: 'From A' }),
    ]);
    expect(await expectInStep(a.ws)).toBe(5);
    const names = (ws: Workspace<CertdeskKey>) => ws.listWorkspace().then((view) => view.appliances[0]!.certificates.map((c) => c.friendlyName).sort());
    expect(await names(b)).toEqual(await names(a.ws));
    expect(await names(b)).toEqual(expect.arrayContaining(['From A', 'From B']));
    a.ws.close();
    b.close();
  });

  it('is rebuilt on start when a certificate was written without it', async () => {
    const { ws, applianceId } = await started();
    const [factory] = await ws.database.getAll('certificates');
    const created = await ws.createSelfSigned(applianceId, request);
    const record = (await ws.database.get('certificates', created.id))!;
    // As a write that bypassed the index would leave it: one certificate more, one gone. The two
    // new ids differ from the created one in their first hex digit (so neither overwrites it).
    const [one, two] = [...'0123456789abcdef'].filter((digit) => digit !== record.sha256[0]);
    await ws.database.put('certificates', { ...record, id: `${applianceId}:${one}${record.sha256.slice(1)}`, sha256: `${one}${record.sha256.slice(1)}`, friendlyName: 'Bypassed' });
    await ws.database.delete('certificates', factory!.id);
    await ws.database.put('certificates', { ...record, id: `${applianceId}:${two}${record.sha256.slice(1)}`, sha256: `${two}${record.sha256.slice(1)}`, friendlyName: 'Bypassed too' });
    const listed = (await ws.listWorkspace()).appliances[0]!.certificates.map((c) => c.friendlyName).sort();
    expect(listed).toEqual(['Bypassed', 'Bypassed too', 'Support 2026']);
    expect(await expectInStep(ws)).toBe(3);
    ws.close();
  });

  it("is compared after the start's list, and rebuilt then when a certificate was written without it", async () => {
    const { ws, factory, name, applianceId } = await started();
    const created = await ws.createSelfSigned(applianceId, request);
    const record = (await ws.database.get('certificates', created.id))!;
    const other = [...'0123456789abcdef'].find((digit) => digit !== record.sha256[0])!;
    await ws.database.put('certificates', { ...record, id: `${applianceId}:${other}${record.sha256.slice(1)}`, sha256: `${other}${record.sha256.slice(1)}`, friendlyName: 'Bypassed' });
    ws.close();

    const again = await Workspace.open({ pki, factory, name });
    const names = async () => (await again.listWorkspace()).appliances[0]!.certificates.map((c) => c.friendlyName).sort();
    // The start's read lists the index as it is, without counting the certificates.
    expect(await names()).toEqual(['Factory default', 'Support 2026']);
    expect(await again.certificateIndexInStep()).toBe(false);
    expect(await expectInStep(again)).toBe(3);
    expect(await names()).toEqual(['Bypassed', 'Factory default', 'Support 2026']);
    expect(await again.certificateIndexInStep()).toBe(true);
    again.close();
  });
});
