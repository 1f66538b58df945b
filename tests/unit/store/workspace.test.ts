import { describe, expect, it } from 'vitest';
import { openssl, tempDir, writeTemp } from '../../support/fixtures';
import { fixture } from '../../support/fixtures';
import { exportPrivateKey } from '../../../src/core/pki/keys';
import { Workspace } from '../../../src/store/workspace';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { derOf, freshWorkspace, pem, pki, snapshot, utf8 } from './support';
import { makeCa } from './ca';

const HOUR = 3_600_000;

async function setup() {
  const { ws, factory, name } = await freshWorkspace();
  const view = await ws.ensureWorkspace();
  const applianceId = view.appliances[0]!.appliance.id;
  await ws.addIpAddress(applianceId, { ip: '192.0.2.10', dnsName: 'support.example.com' });
  return { ws, factory, name, applianceId };
}

const request = { friendlyName: 'Support 2026', algorithm: 'ECDSA-P256' as const, exportable: true, subject: { CN: 'Support', O: 'Example' }, subjectAltNames: ['support.example.com', 'appliance.example.com'] };

async function caSigned(ws: Workspace<CertdeskKey>, applianceId: string) {
  const ca = await makeCa();
  const req = await ws.createRequest(applianceId, request);
  const leaf = await ca.sign(req.der);
  return { ca, req, leaf };
}

describe('ensureWorkspace', () => {
  it('creates one default appliance with its factory default certificate, once', async () => {
    const { ws } = await freshWorkspace();
    const view = await ws.ensureWorkspace();
    expect(view.appliances).toHaveLength(1);
    const [a] = view.appliances;
    expect(a!.certificates).toHaveLength(1);
    expect(a!.certificates[0]).toMatchObject({ factoryDefault: true, friendlyName: 'Factory default', privateKey: 'available', kind: 'server', keyExportable: false });
    expect(a!.appliance.clientSoftware.roots).toEqual([a!.certificates[0]!.sha256]);
    const before = await snapshot(ws);
    await ws.ensureWorkspace();
    expect(await snapshot(ws)).toEqual(before);
    expect((await ws.listEvents()).events.map((e) => e.kind).sort()).toEqual(['appliance-added', 'workspace-created']);
    ws.close();
  });

  it('two tabs starting at once still make one default appliance', async () => {
    const first = await freshWorkspace();
    const second = await Workspace.open<CertdeskKey>({ pki, factory: first.factory, name: first.name, channelName: 'x' });
    await Promise.all([first.ws.ensureWorkspace(), second.ensureWorkspace()]);
    expect((await first.ws.listWorkspace()).appliances).toHaveLength(1);
    first.ws.close();
    second.close();
  });
});

describe('request → CA → import', () => {
  it('links the private key, fulfils the request, completes the chain; OpenSSL agrees', async () => {
    const { ws, applianceId } = await setup();
    const { ca, req, leaf } = await caSigned(ws, applianceId);
    let view = await ws.listWorkspace();
    expect(view.appliances[0]!.requests).toEqual([expect.objectContaining({ id: req.id, fulfilled: false })]);

    const progress: [number, number][] = [];
    const summary = await ws.importFiles(
      applianceId,
      [
        { name: 'support.crt', bytes: utf8(pem(leaf)) },
        { name: 'chain.pem', bytes: utf8(pem(ca.ica) + pem(ca.root)) },
      ],
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    // Both files are decoded in one batch (certificates.ts DecodeBatches).
    expect(progress).toEqual([[2, 2]]);
    expect(summary).toMatchObject({ added: 2, linked: 1, alreadyPresent: 0, rejected: 0 });
    view = await ws.listWorkspace();
    const a = view.appliances[0]!;
    const cert = a.certificates.find((c) => c.kind === 'server' && !c.factoryDefault)!;
    expect(cert).toMatchObject({ privateKey: 'available', chain: 'complete', validity: 'valid', keyExportable: true, friendlyName: 'Support 2026' });
    expect(a.requests[0]).toMatchObject({ fulfilled: true, fulfilledBy: cert.id });
    expect(a.certificates.map((c) => c.kind).sort()).toEqual(['intermediate', 'root', 'server', 'server']);
    expect((await ws.listEvents()).events.map((e) => e.kind)).toEqual(expect.arrayContaining(['request-created', 'request-fulfilled', 'certificate-imported']));

    // The stored bytes are what OpenSSL verifies: the CSR's signature and the chain.
    const dir = tempDir();
    const csrPath = writeTemp(dir, 'req.der', a.requests[0]!.der);
    expect(openssl(['req', '-inform', 'DER', '-in', csrPath, '-verify', '-noout']).status).toBe(0);
    const root = writeTemp(dir, 'root.pem', pem(await derOf(ws, a.certificates.find((c) => c.kind === 'root')!)));
    const ica = writeTemp(dir, 'ica.pem', pem(await derOf(ws, a.certificates.find((c) => c.kind === 'intermediate')!)));
    const leafPath = writeTemp(dir, 'leaf.pem', pem(await derOf(ws, cert)));
    const verify = openssl(['verify', '-CAfile', root, '-untrusted', ica, '-verify_hostname', 'support.example.com', leafPath]);
    expect(verify.stdout).toContain('OK');
    ws.close();
  });

  it('importing the same files again changes nothing and says "already present"', async () => {
    const { ws, applianceId } = await setup();
    const { ca, leaf } = await caSigned(ws, applianceId);
    const files = [{ name: 'all.pem', bytes: utf8(pem(leaf) + pem(ca.ica) + pem(ca.root)) }];
    await ws.importFiles(applianceId, files);
    const before = await snapshot(ws);
    const again = await ws.importFiles(applianceId, files);
    expect(again).toMatchObject({ added: 0, linked: 0, alreadyPresent: 3, rejected: 0 });
    expect(again.files[0]!.alreadyPresent).toHaveLength(3);
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });

  it('a renewal (same key, later expiry) links the same way; the request stays fulfilled by the first', async () => {
    const { ws, applianceId } = await setup();
    const { ca, req, leaf } = await caSigned(ws, applianceId);
    await ws.importFiles(applianceId, [{ name: 'first.pem', bytes: utf8(pem(leaf)) }]);
    const renewed = await ca.sign(req.der, { validityDays: 730 });
    const summary = await ws.importFiles(applianceId, [{ name: 'renewed.pem', bytes: utf8(pem(renewed)) }]);
    expect(summary).toMatchObject({ linked: 1, added: 0 });
    const a = (await ws.listWorkspace()).appliances[0]!;
    const linked = a.certificates.filter((c) => c.keyId === a.requests[0]!.keyId);
    expect(linked).toHaveLength(2);
    expect(linked[1]!.facts.notAfter).toBeGreaterThan(linked[0]!.facts.notAfter);
    expect(a.requests[0]!.fulfilledBy).toBe(linked[0]!.id);
    expect(linked[1]!.renews).toBe(linked[0]!.id);
    expect(linked[0]!.renews).toBeUndefined();
    expect(a.keys.find((k) => k.id === a.requests[0]!.keyId)!.certificateIds).toHaveLength(2);
    ws.close();
  });

  it('a key imported after its certificate links the stored certificate (key transferred from another server)', async () => {
    const { ws, applianceId } = await setup();
    const s1 = await ws.importFiles(applianceId, [{ name: 'server.pem', bytes: fixture('openssl-set', 'ec', 'server.pem') }]);
    expect(s1).toMatchObject({ added: 1, linked: 0 });
    let cert = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => !c.factoryDefault)!;
    expect(cert.privateKey).toBe('missing');
    const s2 = await ws.importFiles(applianceId, [{ name: 'server.key', bytes: fixture('openssl-set', 'ec', 'server.pkcs8.pem') }]);
    expect(s2.linked).toBe(1);
    expect(s2.files[0]!.keysAdded).toHaveLength(1);
    cert = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => !c.factoryDefault)!;
    expect(cert.privateKey).toBe('available');
    ws.close();
  });

  it('a file that cannot be read is rejected with its reason; the other files still import', async () => {
    const { ws, applianceId } = await setup();
    const summary = await ws.importFiles(applianceId, [
      { name: 'notes.crt', bytes: utf8('<html>not a certificate</html>') },
      { name: 'broken.der', bytes: fixture('openssl-set', 'ec', 'server.der').slice(0, 200) },
      { name: 'root.der', bytes: fixture('openssl-set', 'ec', 'root.der') },
    ]);
    expect(summary).toMatchObject({ added: 1, rejected: 2 });
    expect(summary.files[0]!.rejected).toEqual({ code: 'html-not-certificate', message: expect.stringContaining('web page') });
    expect(summary.files[1]!.rejected).toEqual({ code: expect.stringMatching(/^[a-z0-9-]+$/), message: expect.any(String) });
    expect(summary.files[2]!.added).toHaveLength(1);
    ws.close();
  });

  it('files given as they are read import like a list, with progress over their count; a source that fails stores nothing', async () => {
    const { ws, applianceId } = await setup();
    const files = [
      { name: 'root.der', bytes: fixture('openssl-set', 'ec', 'root.der') },
      { name: 'ca-bundle.pem', bytes: fixture('openssl-set', 'ec', 'ca-bundle.pem') },
    ];
    const before = await snapshot(ws);
    async function* failing() {
      yield files[0]!;
      throw new Error('The file could not be read.');
    }
    await expect(ws.importFiles(applianceId, { count: 2, files: failing() })).rejects.toThrow('could not be read');
    expect(await snapshot(ws)).toEqual(before);

    async function* read() {
      yield* files;
    }
    const progress: [number, number][] = [];
    const summary = await ws.importFiles(applianceId, { count: 1, files: read() }, { onProgress: (done, total) => progress.push([done, total]) });
    // The count was one short (an archive's files come in addition): progress never passes 100 %.
    expect(progress).toEqual([[2, 2]]);
    expect(summary.files.map((file) => file.file)).toEqual(['root.der', 'ca-bundle.pem']);
    expect(summary).toMatchObject({ added: 2, alreadyPresent: 1, rejected: 0 });
    ws.close();
  });

  it('a .p12 with key and chain links in one import; a wrong or missing password rejects just that file', async () => {
    const { ws, applianceId } = await setup();
    const p12 = fixture('openssl-set', 'ec', 'server-default.p12');
    const refused = await ws.importFiles(applianceId, [
      { name: 'server.p12', bytes: p12, password: 'wrong' },
      { name: 'nopass.p12', bytes: p12 },
    ]);
    expect(refused.rejected).toBe(2);
    expect(refused.files.map((f) => f.rejected?.code)).toEqual([expect.stringContaining('password'), expect.stringContaining('password')]);
    const summary = await ws.importFiles(applianceId, [{ name: 'server.p12', bytes: p12, password: 'changeit' }]);
    expect(summary).toMatchObject({ linked: 1, added: 2, rejected: 0 });
    expect(summary.files[0]!.keysAdded).toHaveLength(1);
    const a = (await ws.listWorkspace()).appliances[0]!;
    const server = a.certificates.find((c) => c.facts.commonName === 'appliance.example.test')!;
    expect(server).toMatchObject({ privateKey: 'available', chain: 'complete', keyExportable: true });
    ws.close();
  });
});

describe('assigning IPs', () => {
  async function readyCert() {
    const ctx = await setup();
    const { ca, leaf } = await caSigned(ctx.ws, ctx.applianceId);
    await ctx.ws.importFiles(ctx.applianceId, [{ name: 'all.pem', bytes: utf8(pem(leaf) + pem(ca.ica) + pem(ca.root)) }]);
    const a = (await ctx.ws.listWorkspace()).appliances[0]!;
    const cert = a.certificates.find((c) => c.kind === 'server' && !c.factoryDefault)!;
    return { ...ctx, cert, factoryCert: a.certificates.find((c) => c.factoryDefault)! };
  }

  it('refuses until the root is in the installed client software, then moves the IP from the factory default', async () => {
    const { ws, applianceId, cert, factoryCert } = await readyCert();
    expect((await ws.listWorkspace()).appliances[0]!.ips[0]).toMatchObject({ ip: '192.0.2.10', certificateId: factoryCert.id });
    const before = await snapshot(ws);
    await expect(ws.assignIps(cert.id, ['192.0.2.10'])).rejects.toMatchObject({ code: 'not-ready', message: expect.stringContaining('client software') });
    expect(await snapshot(ws)).toEqual(before);

    await ws.recordSoftwareUpdate(applianceId, { requestedAt: Date.now() - 100 * HOUR, installedAt: Date.now() - 72 * HOUR, certificateIds: [cert.id] });
    expect(await ws.checkReadiness(cert.id, ['192.0.2.10'])).toEqual([]);
    await ws.assignIps(cert.id, ['192.0.2.10']);
    const a = (await ws.listWorkspace()).appliances[0]!;
    expect(a.ips[0]).toMatchObject({ ip: '192.0.2.10', certificateId: cert.id, certificateName: 'Support 2026' });
    expect(a.certificates.find((c) => c.id === cert.id)!.assignedIps).toEqual(['192.0.2.10']);
    expect(a.certificates.find((c) => c.factoryDefault)!.assignedIps).toEqual([]);
    ws.close();
  });

  it('asks to confirm warnings and downtime, and lists names the certificate does not cover', async () => {
    const { ws, applianceId, cert } = await readyCert();
    await ws.recordSoftwareUpdate(applianceId, { installedAt: Date.now() - 30 * HOUR, certificateIds: [cert.id] });
    await ws.updateAppliance(applianceId, { inProduction: true });
    await ws.addIpAddress(applianceId, { ip: '192.0.2.11', dnsName: 'other.example.net' });
    const problems = await ws.checkReadiness(cert.id, ['192.0.2.10', '192.0.2.11']);
    expect(problems.map((p) => [p.code, p.blocking])).toEqual([
      ['name-not-covered', true],
      ['software-update-wait', false],
      ['downtime-not-confirmed', true],
    ]);
    await expect(ws.assignIps(cert.id, ['192.0.2.10'])).rejects.toMatchObject({ code: 'not-ready' });
    await expect(ws.assignIps(cert.id, ['192.0.2.10'], { downtimeConfirmed: true })).rejects.toMatchObject({ code: 'confirmation-needed' });
    const accepted = await ws.assignIps(cert.id, ['192.0.2.10'], { downtimeConfirmed: true, warningsAccepted: true });
    expect(accepted.map((p) => p.code)).toEqual(['software-update-wait']);
    ws.close();
  });

  it('a chain that is incomplete now, or a certificate expired at the time asked, blocks', async () => {
    const { ws, applianceId } = await setup();
    const { ca, leaf } = await caSigned(ws, applianceId);
    await ws.importFiles(applianceId, [{ name: 'leaf.pem', bytes: utf8(pem(leaf)) }]);
    const cert = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => c.source === 'imported')!;
    expect(cert.chain).toBe('missing-intermediate');
    const missing = await ws.checkReadiness(cert.id, ['192.0.2.10']);
    expect(missing.filter((p) => p.blocking).map((p) => p.code)).toEqual(['chain-invalid']);
    await ws.importFiles(applianceId, [{ name: 'chain.pem', bytes: utf8(pem(ca.ica) + pem(ca.root)) }]);
    await ws.recordSoftwareUpdate(applianceId, { installedAt: 0, certificateIds: [cert.id] });
    expect(await ws.checkReadiness(cert.id, ['192.0.2.10'])).toEqual([]);
    const later = await ws.checkReadiness(cert.id, ['192.0.2.10'], { now: Date.now() + 2 * 365 * 24 * HOUR });
    expect(later).toEqual([expect.objectContaining({ code: 'chain-invalid', blocking: true, message: expect.stringContaining('expired') })]);
    ws.close();
  });

  it('the client-software gate passes only by the typed override, which is logged with its reason', async () => {
    const { ws, applianceId, cert } = await readyCert();
    await ws.updateAppliance(applianceId, { inProduction: true });
    const before = await snapshot(ws);
    // The "assign anyway" acceptance no longer passes the gate, nor the downtime question.
    await expect(ws.assignIps(cert.id, ['192.0.2.10'], { warningsAccepted: true, blockingAccepted: true })).rejects.toMatchObject({
      code: 'not-ready',
      message: expect.stringMatching(/client software[\s\S]*production/),
    });
    const override = { applianceName: 'My appliance', reason: 'CA change approved in ticket 4711' };
    await expect(ws.assignIps(cert.id, ['192.0.2.10'], { clientSoftwareOverride: override })).rejects.toMatchObject({ code: 'not-ready', message: expect.stringContaining('production') });
    await expect(ws.assignIps(cert.id, ['192.0.2.10'], { downtimeConfirmed: true, clientSoftwareOverride: { ...override, applianceName: 'My applianc' } })).rejects.toMatchObject({ code: 'override-name-mismatch' });
    await expect(ws.assignIps(cert.id, ['192.0.2.10'], { downtimeConfirmed: true, clientSoftwareOverride: { ...override, reason: ' ' } })).rejects.toMatchObject({ code: 'override-reason-missing' });
    expect(await snapshot(ws)).toEqual(before);

    const accepted = await ws.assignIps(cert.id, ['192.0.2.10'], { downtimeConfirmed: true, clientSoftwareOverride: override });
    expect(accepted.map((p) => p.code)).toEqual(['root-not-in-client-software']);
    expect((await ws.listWorkspace()).appliances[0]!.ips[0]!.certificateId).toBe(cert.id);
    const { events } = await ws.listEvents({ kinds: ['override'] });
    expect(events).toEqual([
      expect.objectContaining({ applianceId, reason: override.reason, before: expect.stringContaining('client software'), after: '192.0.2.10 assigned to "Support 2026"' }),
    ]);
    ws.close();
  });

  it('the gate stays closed for 24 h after the update that brought the root', async () => {
    const { ws, applianceId, cert } = await readyCert();
    await ws.recordSoftwareUpdate(applianceId, { installedAt: Date.now() - 2 * HOUR, certificateIds: [cert.id] });
    expect((await ws.checkReadiness(cert.id, ['192.0.2.10'])).map((p) => [p.code, p.blocking])).toEqual([['software-update-too-recent', true]]);
    expect((await ws.checkReadiness(cert.id, ['192.0.2.10'], { now: Date.now() + 21 * HOUR })).map((p) => p.code)).toEqual(['software-update-too-recent']);
    expect((await ws.checkReadiness(cert.id, ['192.0.2.10'], { now: Date.now() + 25 * HOUR })).map((p) => [p.code, p.blocking])).toEqual([['software-update-wait', false]]);
    ws.close();
  });

  it('a certificate without its private key cannot be assigned', async () => {
    const { ws, applianceId } = await setup();
    await ws.importFiles(applianceId, [{ name: 'server.pem', bytes: fixture('openssl-set', 'ec', 'server.pem') }]);
    const cert = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => !c.factoryDefault)!;
    await expect(ws.assignIps(cert.id, ['192.0.2.10'], { downtimeConfirmed: true, warningsAccepted: true, blockingAccepted: true })).rejects.toMatchObject({
      code: 'not-ready',
      message: expect.stringContaining('private key'),
    });
    ws.close();
  });

  it('a self-signed certificate is assignable once built in, with the iOS/Android/Linux warning accepted', async () => {
    const { ws, applianceId } = await setup();
    const cert = await ws.createSelfSigned(applianceId, { ...request, friendlyName: 'Temporary' });
    await ws.recordSoftwareUpdate(applianceId, { installedAt: Date.now() - 49 * HOUR, certificateIds: [cert.id] });
    const problems = await ws.checkReadiness(cert.id, ['192.0.2.10']);
    expect(problems.map((p) => p.code)).toEqual(['self-signed']);
    expect(problems[0]!.message).toMatch(/iOS, Android and Linux/);
    await expect(ws.assignIps(cert.id, ['192.0.2.10'])).rejects.toMatchObject({ code: 'confirmation-needed' });
    await ws.assignIps(cert.id, ['192.0.2.10'], { warningsAccepted: true });
    expect((await ws.listWorkspace()).appliances[0]!.ips[0]!.certificateId).toBe(cert.id);
    ws.close();
  });
});

describe('appliances, deletion, replication', () => {
  it('a new IP address is served by the factory default certificate', async () => {
    const { ws, applianceId } = await setup();
    await ws.addIpAddress(applianceId, { ip: '2001:db8::5', dnsName: 'v6.example.com' });
    const a = (await ws.listWorkspace()).appliances[0]!;
    const factory = a.certificates.find((c) => c.factoryDefault)!;
    expect(a.ips.map((i) => [i.ip, i.certificateId])).toEqual([
      ['192.0.2.10', factory.id],
      ['2001:db8::5', factory.id],
    ]);
    await expect(ws.addIpAddress(applianceId, { ip: '2001:DB8:0::5', dnsName: 'x.example.com' })).rejects.toMatchObject({ code: 'ip-already-present' });
    ws.close();
  });

  it('every new appliance gets its own factory default certificate serving its IPs', async () => {
    const { ws } = await setup();
    const b = await ws.addAppliance({ name: 'Backup', role: 'backup', hostname: 'backup.example.com', siteHostname: 'support.example.com', ipAddresses: [{ ip: '192.0.2.20', dnsName: 'support.example.com' }] });
    const view = await ws.listWorkspace();
    const bv = view.appliances.find((x) => x.appliance.id === b.id)!;
    expect(bv.certificates).toEqual([expect.objectContaining({ factoryDefault: true, assignedIps: ['192.0.2.20'] })]);
    expect(bv.certificates[0]!.sha256).not.toBe(view.appliances[0]!.certificates[0]!.sha256);
    expect(bv.certificates[0]!.facts.dnsNames).toEqual(['backup.example.com']);
    await expect(ws.addAppliance({ name: 'x', role: 'primary', hostname: 'not a host', siteHostname: 'a.example' })).rejects.toMatchObject({ code: 'invalid-hostname' });
    ws.close();
  });

  it('deleting: not the factory default, not a certificate serving an IP; the request forgets it', async () => {
    const { ws, applianceId } = await setup();
    const { leaf } = await caSigned(ws, applianceId);
    await ws.importFiles(applianceId, [{ name: 'leaf.pem', bytes: utf8(pem(leaf)) }]);
    const selfSigned = await ws.createSelfSigned(applianceId, { ...request, friendlyName: 'Temp' });
    await ws.recordSoftwareUpdate(applianceId, { installedAt: 0, certificateIds: [selfSigned.id] });
    await ws.assignIps(selfSigned.id, ['192.0.2.10'], { warningsAccepted: true });
    let a = (await ws.listWorkspace()).appliances[0]!;
    const factory = a.certificates.find((c) => c.factoryDefault)!;
    const leafView = a.certificates.find((c) => c.source === 'imported')!;
    await expect(ws.deleteCertificate(factory.id)).rejects.toMatchObject({ code: 'factory-default' });
    await expect(ws.deleteCertificate(selfSigned.id)).rejects.toMatchObject({ code: 'certificate-in-use' });
    await ws.deleteCertificate(leafView.id);
    a = (await ws.listWorkspace()).appliances[0]!;
    expect(a.certificates.some((c) => c.id === leafView.id)).toBe(false);
    expect(a.requests[0]!.fulfilled).toBe(false);
    expect(a.keys.find((k) => k.id === a.requests[0]!.keyId)).toBeDefined();
    await expect(ws.deleteCertificate(leafView.id)).rejects.toMatchObject({ code: 'unknown-certificate' });
    ws.close();
  });

  it('replicates certificate, key and chain to the backup; failover check names differences until identical', async () => {
    const { ws, applianceId } = await setup();
    const { ca, leaf } = await caSigned(ws, applianceId);
    await ws.importFiles(applianceId, [{ name: 'all.pem', bytes: utf8(pem(leaf) + pem(ca.ica) + pem(ca.root)) }]);
    await ws.updateAppliance(applianceId, { hostname: 'appliance.example.com' });
    const backup = await ws.addAppliance({ name: 'Backup', role: 'backup', hostname: 'appliance.example.com', siteHostname: 'support.example.com', ipAddresses: [{ ip: '192.0.2.20', dnsName: 'support.example.com' }] });
    const cert = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => c.source === 'imported' && c.kind === 'server')!;
    await ws.recordSoftwareUpdate(applianceId, { installedAt: 0, certificateIds: [cert.id] });
    await ws.assignIps(cert.id, ['192.0.2.10']);

    expect((await ws.failoverCheck(applianceId, backup.id)).map((p) => p.code)).toEqual(['factory-default-served', 'missing-on-backup']);
    const copy = await ws.replicate(cert.id, backup.id);
    expect(copy.copied).toHaveLength(3);
    const again = await ws.replicate(cert.id, backup.id);
    expect(again).toEqual({ copied: [], alreadyPresent: copy.copied });
    const bv = (await ws.listWorkspace()).appliances.find((x) => x.appliance.id === backup.id)!;
    const copied = bv.certificates.find((c) => c.sha256 === cert.sha256)!;
    expect(copied).toMatchObject({ privateKey: 'available', chain: 'complete', source: 'replicated' });
    expect(bv.keys.filter((k) => k.publicKeySha256 === cert.facts.publicKeySha256)).toHaveLength(1);
    expect((await ws.failoverCheck(applianceId, backup.id)).map((p) => p.code)).toEqual(['factory-default-served', 'not-served-on-backup']);
    await ws.recordSoftwareUpdate(backup.id, { installedAt: 0, certificateIds: [copied.id] });
    await ws.assignIps(copied.id, ['192.0.2.20']);
    expect(await ws.failoverCheck(applianceId, backup.id)).toEqual([]);

    const atlas = await ws.atlasCheck(cert.id);
    expect(atlas.names.map((n) => [n.name, n.covered])).toEqual([
      ['support.example.com', true],
      ['appliance.example.com', true],
    ]);
    ws.close();
  });

  it('a non-exportable key cannot be replicated', async () => {
    const { ws, applianceId } = await setup();
    const backup = await ws.addAppliance({ name: 'Backup', role: 'backup', hostname: 'b.example.com', siteHostname: 'support.example.com' });
    const cert = await ws.createSelfSigned(applianceId, { ...request, exportable: false });
    await expect(ws.replicate(cert.id, backup.id)).rejects.toMatchObject({ code: 'key-not-exportable' });
    ws.close();
  });
});

describe('keys survive a reload', () => {
  it('a key created before closing signs after reopening; its exported PKCS#8 matches the certificate in OpenSSL', async () => {
    const { ws, factory, name, applianceId } = await setup();
    const cert = await ws.createSelfSigned(applianceId, request);
    ws.close();
    const reopened = await Workspace.open<CertdeskKey>({ pki, factory, name, channelName: 'reload' });
    const { key } = await reopened.certificateMaterial(cert.id);
    expect(key!.key.privateKey.extractable).toBe(false);
    const data = utf8('signed after reload');
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key!.key.privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key!.key.publicKey, signature, data)).toBe(true);
    const pkcs8 = await exportPrivateKey(key!.key);
    const dir = tempDir();
    const fromKey = openssl(['pkey', '-inform', 'DER', '-in', writeTemp(dir, 'k.der', pkcs8), '-pubout']);
    const fromCert = openssl(['x509', '-inform', 'DER', '-in', writeTemp(dir, 'c.der', await derOf(reopened, cert)), '-noout', '-pubkey']);
    expect(fromKey.status).toBe(0);
    expect(fromKey.stdout).toBe(fromCert.stdout);
    reopened.close();
  });
});

describe('refused actions change nothing', () => {
  it('each refusal is a typed error and leaves every record as it was', async () => {
    const { ws, applianceId } = await setup();
    await ws.importFiles(applianceId, [{ name: 'server.pem', bytes: fixture('openssl-set', 'ec', 'server.pem') }]);
    const server = (await ws.listWorkspace()).appliances[0]!.certificates.find((c) => !c.factoryDefault)!;
    const backup = await ws.addAppliance({ name: 'B', role: 'backup', hostname: 'b.example.com', siteHostname: 's.example.com' });
    const cancelled = new AbortController();
    cancelled.abort();
    const table: { name: string; run: () => Promise<unknown>; code?: string; abort?: true }[] = [
      { name: 'software update naming a certificate without its chain', run: () => ws.recordSoftwareUpdate(applianceId, { installedAt: 1, certificateIds: [server.id] }), code: 'chain-incomplete' },
      { name: 'software update naming an unknown certificate', run: () => ws.recordSoftwareUpdate(applianceId, { installedAt: 1, certificateIds: ['nope'] }), code: 'unknown-certificate' },
      { name: 'replicate to the same appliance', run: () => ws.replicate(server.id, applianceId), code: 'same-appliance' },
      { name: 'replicate a certificate without its key', run: () => ws.replicate(server.id, backup.id), code: 'private-key-unavailable' },
      { name: 'self-signed without a friendly name', run: () => ws.createSelfSigned(applianceId, { ...request, friendlyName: '  ' }), code: 'invalid-friendly-name' },
      { name: 'request on an unknown appliance', run: () => ws.createRequest('nope', request), code: 'unknown-appliance' },
      { name: 'self-signed with a bad SAN', run: () => ws.createSelfSigned(applianceId, { ...request, subjectAltNames: ['not a name'] }), code: 'invalid-subject-alt-name' },
      { name: 'cancelled request', run: () => ws.createRequest(applianceId, { ...request, signal: cancelled.signal }), abort: true },
      { name: 'IP that is not an address', run: () => ws.addIpAddress(applianceId, { ip: '192.0.2.300', dnsName: 'x.example.com' }), code: 'invalid-ip-address' },
      { name: 'assign to an unknown certificate', run: () => ws.assignIps('nope', ['192.0.2.10']), code: 'unknown-certificate' },
      { name: 'update with a bad hostname', run: () => ws.updateAppliance(applianceId, { hostname: 'bad host' }), code: 'invalid-hostname' },
    ];
    for (const row of table) {
      const before = await snapshot(ws);
      const error = await row.run().then(
        () => undefined,
        (e: unknown) => e,
      );
      if (row.abort) expect((error as DOMException).name, row.name).toBe('AbortError');
      else expect(error, row.name).toMatchObject({ code: row.code });
      expect(await snapshot(ws), row.name).toEqual(before);
    }
    ws.close();
  });
});
