/**
 * The lifecycle actions on fake-indexeddb with the real PKI: Replace in one transaction (and
 * nothing stored when it fails), Re-key, lead times, the guided root change recorded by the
 * support package and the software updates, the event log's pages, the appliance's warnings,
 * the suggested certificate and the certification path.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { fixture, openssl, tempDir, writeTemp } from '../../support/fixtures';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import type { Workspace } from '../../../src/store/workspace';
import { freshWorkspace, pem, snapshot, utf8 } from './support';
import { makeCa, type TestCa } from './ca';

const HOUR = 3_600_000;
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
afterEach(() => vi.restoreAllMocks());

const request = { friendlyName: 'Support 2026', algorithm: 'ECDSA-P256' as const, exportable: true, subject: { CN: 'Support', O: 'Example' }, subjectAltNames: ['support.example.com'] };

/** An appliance with a CA certificate serving 192.0.2.10 and .11, its root built in long ago. */
async function inService(): Promise<{ ws: Workspace<CertdeskKey>; applianceId: string; ca: TestCa; oldId: string; csr: Uint8Array }> {
  const { ws } = await freshWorkspace();
  const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
  await ws.addIpAddress(applianceId, { ip: '192.0.2.10', dnsName: 'support.example.com' });
  await ws.addIpAddress(applianceId, { ip: '192.0.2.11', dnsName: 'support.example.com' });
  const ca = await makeCa();
  const req = await ws.createRequest(applianceId, request);
  await ws.importFiles(applianceId, [{ name: 'reply.pem', bytes: utf8(pem(await ca.sign(req.der, { validityDays: 200 })) + pem(ca.ica) + pem(ca.root)) }]);
  const oldId = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => c.friendlyName === 'Support 2026')!.id;
  await ws.recordSoftwareUpdate(applianceId, { installedAt: Date.now() - 72 * HOUR, certificateIds: [oldId] });
  await ws.assignIps(oldId, ['192.0.2.10', '192.0.2.11']);
  return { ws, applianceId, ca, oldId, csr: req.der };
}

async function certs(ws: Workspace<CertdeskKey>) {
  return (await ws.listWorkspace()).appliances[0]!.certificates;
}

describe('Replace', () => {
  it('a renewal (same request) is detected, previewed, and replaces in one transaction: IPs moved, old marked, name carried, logged', async () => {
    const { ws, ca, oldId, csr, applianceId } = await inService();
    await ws.importFiles(applianceId, [{ name: 'renewed.pem', bytes: utf8(pem(await ca.sign(csr, { validityDays: 400 }))) }]);
    const renewed = (await certs(ws)).find((c) => c.id !== oldId && c.kind === 'server' && !c.factoryDefault)!;
    expect(renewed.renews).toBe(oldId);

    const preview = await ws.replacePreview(renewed.id, oldId);
    expect(preview.ips.map((r) => [r.ip, r.before, r.after])).toEqual([
      ['192.0.2.10', true, true],
      ['192.0.2.11', true, true],
    ]);
    expect(preview.chain.after).toMatchObject({ valid: true, rootInClientSoftware: true });
    expect(preview.expiry.after).toBeGreaterThan(preview.expiry.before);
    expect(preview.problems).toEqual([]);

    let transactions = 0;
    const transaction = IDBDatabase.prototype.transaction;
    vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      if (args[1] === 'readwrite') transactions++;
      return transaction.apply(this, args);
    });
    await ws.replaceCertificate(renewed.id, oldId, { carryFriendlyName: true });
    expect(transactions).toBe(1);
    vi.restoreAllMocks();

    const after = await certs(ws);
    expect(after.find((c) => c.id === renewed.id)).toMatchObject({ friendlyName: 'Support 2026', assignedIps: ['192.0.2.10', '192.0.2.11'] });
    expect(after.find((c) => c.id === oldId)).toMatchObject({ friendlyName: 'Support 2026 (replaced)', assignedIps: [], replacedBy: renewed.id });
    const { events } = await ws.listEvents({ kinds: ['certificate-replaced'] });
    expect(events).toEqual([
      expect.objectContaining({
        applianceId,
        before: expect.stringMatching(/^192\.0\.2\.10, 192\.0\.2\.11 served by "Support 2026" \(expires /),
        after: expect.stringMatching(/served by "Support" \(expires .*\); friendly name "Support 2026" carried over$/),
      }),
    ]);
    // Assigning an address back to the old one makes it serve again: no longer Replaced.
    await ws.assignIps(oldId, ['192.0.2.11']);
    expect((await certs(ws)).find((c) => c.id === oldId)!.replacedBy).toBeUndefined();
    ws.close();
  });

  it('nothing is stored when the replacement fails: storage error mid-transaction, a changed preview, a wrong override', async () => {
    const { ws, oldId, applianceId } = await inService();
    const other = await makeCa('Other');
    const rekey = await ws.createRequest(applianceId, { ...request, friendlyName: 'Re-key', rekeyOf: oldId });
    await ws.importFiles(applianceId, [{ name: 'other.pem', bytes: utf8(pem(await other.sign(rekey.der)) + pem(other.ica) + pem(other.root)) }]);
    const next = (await certs(ws)).find((c) => c.friendlyName === 'Re-key')!;
    expect(next.renews).toBe(oldId);
    expect((await ws.replacePreview(next.id, oldId)).problems.map((p) => [p.code, p.blocking])).toEqual([['root-not-in-client-software', true]]);

    const before = await snapshot(ws);
    await expect(ws.replaceCertificate(next.id, oldId, { blockingAccepted: true, warningsAccepted: true })).rejects.toMatchObject({ code: 'not-ready' });
    await expect(ws.replaceCertificate(next.id, oldId, { clientSoftwareOverride: { applianceName: 'Other appliance', reason: 'test' } })).rejects.toMatchObject({ code: 'override-name-mismatch' });
    const override = { applianceName: 'My appliance', reason: 'clients pinned by MDM' };
    let puts = 0;
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'certificates' && ++puts === 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    await expect(ws.replaceCertificate(next.id, oldId, { clientSoftwareOverride: override })).rejects.toMatchObject({ code: 'not-saved' });
    vi.restoreAllMocks();
    expect(await snapshot(ws)).toEqual(before);

    await ws.replaceCertificate(next.id, oldId, { clientSoftwareOverride: override });
    const kinds = (await ws.listEvents({ limit: 2 })).events.map((e) => e.kind).sort();
    expect(kinds).toEqual(['certificate-replaced', 'override']);
    expect((await ws.listEvents({ kinds: ['override'] })).events[0]).toMatchObject({ reason: 'clients pinned by MDM', after: '"Support 2026" replaced by "Re-key"' });
    ws.close();
  });

  it('refuses what is not a replacement, and the factory default', async () => {
    const { ws, oldId } = await inService();
    const factory = (await certs(ws)).find((c) => c.factoryDefault)!;
    await expect(ws.replacePreview(oldId, oldId)).rejects.toMatchObject({ code: 'invalid-replacement' });
    await expect(ws.replacePreview(oldId, factory.id)).rejects.toMatchObject({ code: 'invalid-replacement' });
    ws.close();
  });
});

describe('Re-key', () => {
  it('prefills the subject, SANs and key type; the request carries rekeyOf; OpenSSL verifies it', async () => {
    const { ws, oldId, applianceId } = await inService();
    const draft = await ws.rekeyDraft(oldId);
    expect(draft).toEqual({ certificateId: oldId, friendlyName: 'Support 2026 (re-key)', algorithm: 'ECDSA-P256', exportable: true, subject: { O: 'Example', CN: 'Support' }, subjectAltNames: ['support.example.com'] });
    const made = await ws.createRequest(applianceId, { ...draft, rekeyOf: oldId });
    expect(made.rekeyOf).toBe(oldId);
    const out = openssl(['req', '-in', writeTemp(tempDir(), 'r.csr', pem(made.der, 'CERTIFICATE REQUEST')), '-verify', '-noout', '-text']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('DNS:support.example.com');
    await expect(ws.createRequest('other', { ...draft, rekeyOf: oldId })).rejects.toMatchObject({ code: 'unknown-appliance' });
    ws.close();
  });
});

describe('the guided root change is recorded by the support package and the software updates', () => {
  it('package → request → installation → 24 h, then the certificate is assignable without override', async () => {
    const { ws } = await freshWorkspace();
    const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    await ws.addIpAddress(applianceId, { ip: '192.0.2.10', dnsName: 'support.example.com' });
    await ws.importFiles(applianceId, [{ name: 'chain.p12', bytes: fixture('openssl-set', 'rsa', 'server-default.p12'), password: 'changeit' }]);
    const cert = (await certs(ws)).find((c) => c.kind === 'server' && !c.factoryDefault)!;
    const steps = async () => (await ws.clientSoftwareSteps(cert.id))!.steps.map((s) => s.state);
    expect(await steps()).toEqual(['current', 'todo', 'todo', 'todo']);
    const made = await ws.supportPackage(cert.id, { picture: png });
    expect(made.warnings.map((w) => w.code)).toEqual(['site-hostname-not-covered']);
    expect(await ws.supportPackageChecks(cert.id)).toEqual(made.warnings);
    expect(await steps()).toEqual(['done', 'current', 'todo', 'todo']);
    await ws.recordSoftwareUpdate(applianceId, { requestedAt: Date.now() });
    await ws.recordSoftwareUpdate(applianceId, { installedAt: Date.now() });
    expect(await steps()).toEqual(['done', 'done', 'done', 'waiting']);
    const problems = await ws.checkReadiness(cert.id, ['192.0.2.10'], { now: Date.now() + 25 * HOUR });
    expect(problems.map((p) => p.code)).not.toContain('root-not-in-client-software');
    expect(problems.map((p) => p.code)).not.toContain('software-update-too-recent');
    ws.close();
  });
});

describe('lead times, warnings, suggestion, path, events', () => {
  it('lead times change every act-by date; bad ones are refused and nothing is stored', async () => {
    const { ws, oldId, applianceId } = await inService();
    const before = (await certs(ws)).find((c) => c.id === oldId)!.plan;
    expect(before.leadDays).toBe(5 + 2 + 7);
    const snap = await snapshot(ws);
    await expect(ws.setLeadTimes(applianceId, { caTurnaroundDays: -1, clientBuildDays: 0, marginDays: 0 })).rejects.toMatchObject({ code: 'invalid-lead-time' });
    expect(await snapshot(ws)).toEqual(snap);
    await ws.setLeadTimes(applianceId, { caTurnaroundDays: 20, clientBuildDays: 30, marginDays: 10 });
    const after = (await certs(ws)).find((c) => c.id === oldId)!.plan;
    expect(after.leadDays).toBe(20 + 2 + 10);
    expect(before.actBy - after.actBy).toBe(18 * 24 * HOUR);
    // Editing the appliance keeps them.
    await ws.updateAppliance(applianceId, { name: 'Renamed' });
    expect((await ws.listWorkspace()).appliances[0]!.leadTimes).toEqual({ caTurnaroundDays: 20, clientBuildDays: 30, marginDays: 10 });
    ws.close();
  });

  it('appliance checks: site hostname for the certificates it serves, Atlas rebuild for an uncovered node; a suggested certificate', async () => {
    const { ws, oldId, applianceId } = await inService();
    expect(await ws.applianceChecks(applianceId)).toEqual([]);
    await ws.updateAppliance(applianceId, { siteHostname: 'site.example.org' });
    expect((await ws.applianceChecks(applianceId)).map((p) => p.code)).toEqual(['site-hostname-not-covered']);
    const node = await ws.addAppliance({ name: 'Node 2', role: 'atlas-node', hostname: 'node2.example.org', siteHostname: 'site.example.org' });
    expect((await ws.applianceChecks(node.id)).map((p) => p.code)).toEqual(['atlas-rebuild-needed']);
    expect(await ws.suggestedCertificate(applianceId, 'support.example.com')).toBe(oldId);
    expect(await ws.suggestedCertificate(applianceId, 'elsewhere.example.com')).toBeUndefined();
    ws.close();
  });

  it('the certification path says where each certificate came from, the built-in store included', async () => {
    const { ws } = await freshWorkspace();
    const applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    await ws.importFiles(applianceId, [{ name: 'chain.pem', bytes: fixture('openssl-set', 'ec', 'server-fullchain.pem') }]);
    const leaf = (await certs(ws)).find((c) => c.kind === 'server' && !c.factoryDefault)!;
    const path = await ws.certificationPath(leaf.id);
    expect(path.links.map((l) => [l.kind, l.origin])).toEqual([
      ['server', 'imported'],
      ['intermediate', 'imported'],
      ['root', 'imported'],
    ]);
    // A root that is not among the built-in roots is refused as one.
    await expect(ws.addBuiltInRoot(applianceId, fixture('openssl-set', 'ec', 'root.der'))).rejects.toMatchObject({ code: 'not-a-built-in-root' });

    // A real intermediate (GTS WR2, x509-limbo's online cases) whose root the built-in store has.
    const limbo = JSON.parse(gunzipSync(fixture('limbo', 'public.json.gz')).toString()) as { testcases: { id: string; untrusted_intermediates: string[] }[] };
    await ws.importFiles(applianceId, [{ name: 'wr2.pem', bytes: utf8(limbo.testcases.find((c) => c.id === 'online::google.com')!.untrusted_intermediates[0]!) }]);
    const wr2 = (await certs(ws)).find((c) => c.facts.commonName === 'WR2')!;
    const missing = (await ws.certificationPath(wr2.id)).links.at(-1)!;
    expect(missing).toMatchObject({ origin: 'missing', kind: 'root', friendlyName: expect.stringContaining('GTS Root R1') });
    await ws.addBuiltInRoot(applianceId, missing.builtInRoot!);
    expect((await ws.certificationPath(wr2.id)).links.map((l) => [l.kind, l.origin])).toEqual([
      ['intermediate', 'imported'],
      ['root', 'built-in-store'],
    ]);
    ws.close();
  });

  it('the event log pages newest first, per appliance and by kind, without skipping or repeating', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const { ws } = await freshWorkspace({ clock: () => clock });
    const a = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    const b = (await ws.addAppliance({ name: 'B', role: 'backup', hostname: 'b.example.com', siteHostname: 'support.example.com' })).id;
    for (let i = 0; i < 7; i++) {
      if (i % 3 !== 0) clock += 1000; // several events share a moment
      await ws.addIpAddress(i % 2 ? a : b, { ip: `192.0.2.${20 + i}`, dnsName: `n${i}.example.com` });
    }
    const all = (await ws.listEvents({ limit: 100 })).events;
    const pages: string[] = [];
    let before;
    for (;;) {
      const page = await ws.listEvents({ limit: 3, ...(before ? { before } : {}) });
      pages.push(...page.events.map((e) => e.id));
      before = page.events.at(-1);
      if (!page.more) break;
    }
    expect(pages).toEqual(all.map((e) => e.id));
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort((x, y) => y - x));
    const ofA = (await ws.listEvents({ applianceId: a })).events;
    expect(ofA.every((e) => e.applianceId === a)).toBe(true);
    expect(ofA.filter((e) => e.kind === 'ip-address-added')).toHaveLength(3);
    expect((await ws.listEvents({ applianceId: b, kinds: ['ip-address-added'] })).events).toHaveLength(4);
    ws.close();
  });
});
