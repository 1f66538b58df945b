/**
 * Store budgets (issue 5), on fake-indexeddb in Node — a browser's IndexedDB differs, so these
 * numbers show the cost of our own code plus an in-memory IndexedDB, not Chromium's disk.
 *   - open and list a workspace of 5,000 certificates across 20 appliances (goal < 100 ms)
 *   - one import of the 144 Mozilla roots: decode, read facts, one transaction (goal < 200 ms)
 */
import 'reflect-metadata';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, printTable, type BenchRow } from './table';
import { generateKey } from '../../src/core/pki/keys';
import { createSelfSignedCertificate } from '../../src/core/pki/certificate';
import { readCertificateFacts } from '../../src/core/appliance/certificate-facts';
import type { CertificateEntry } from '../../src/core/appliance/certificate-entry';
import { certificateId } from '../../src/core/appliance/certificate-entry';
import type { CertdeskKey } from '../../src/core/pki/keys';
import { Workspace } from '../../src/store/workspace';
import { pki } from '../unit/store/support';

const rootsPem = readFileSync(fileURLToPath(new URL('../../../shared/fixtures/mozilla-roots.pem', import.meta.url)));

export async function workspaceOf5000(factory: IDBFactory, name: string): Promise<void> {
  const ws = await Workspace.open<CertdeskKey>({ pki, factory, name, channelName: `bench:${name}` });
  const rootDers = (await pki.decodeInput(new Uint8Array(rootsPem), {})).certificates.map((c) => c.der);
  const rootFacts = await Promise.all(rootDers.map((der) => readCertificateFacts(der)));
  const key = await generateKey('ECDSA-P256', { exportable: false });
  const leaves: { der: Uint8Array; facts: Awaited<ReturnType<typeof readCertificateFacts>> }[] = [];
  for (let i = 0; i < 106; i++) {
    const der = await createSelfSignedCertificate({ key, subject: { CN: `leaf ${i}` }, subjectAltNames: [`leaf${i}.example.com`] });
    leaves.push({ der, facts: await readCertificateFacts(der) });
  }
  for (let a = 0; a < 20; a++) {
    const appliance = await ws.addAppliance({ name: `Appliance ${a}`, role: 'atlas-node', hostname: `node${a}.example.com`, siteHostname: 'support.example.com' });
    const t = ws.database.transaction('certificates', 'readwrite');
    const certs = [...rootDers.map((der, i) => ({ der, facts: rootFacts[i]! })), ...leaves].slice(0, a === 0 ? 249 : 249);
    for (const c of certs) {
      const entry: CertificateEntry = {
        id: certificateId(appliance.id, c.facts.sha256),
        applianceId: appliance.id,
        sha256: c.facts.sha256,
        friendlyName: c.facts.commonName ?? c.facts.subject,
        der: c.der,
        facts: c.facts,
        factoryDefault: false,
        source: 'imported',
        importedAt: 0,
      };
      void t.store.put(entry);
    }
    await t.done;
  }
  ws.close();
}

export async function run(): Promise<void> {
  const rows: BenchRow[] = [];
  const factory = new IDBFactory();
  await workspaceOf5000(factory, 'bench-5000');
  // Wall time, plus this process's CPU time: on a shared machine other processes inflate the
  // wall time, the CPU time shows what the work itself costs.
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  const times: number[] = [];
  const cpu: number[] = [];
  let count = 0;
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    const ws = await Workspace.open<CertdeskKey>({ pki, factory, name: 'bench-5000', channelName: 'bench-list' });
    const view = await ws.listWorkspace();
    times.push(performance.now() - start);
    cpu.push(cpuMs(startCpu));
    count = view.appliances.reduce((n, a) => n + a.certificates.length, 0);
    ws.close();
  }
  rows.push({ name: `open + list ${count} certificates, 20 appliances (CPU ${median(cpu.slice(1)).toFixed(0)} ms)`, oursMs: median(times.slice(1)), goalMs: 100 });

  const importTimes: number[] = [];
  const importCpu: number[] = [];
  for (let i = 0; i < 6; i++) {
    const ws = await Workspace.open<CertdeskKey>({ pki, factory: new IDBFactory(), name: `bench-import-${i}`, channelName: 'bench-import' });
    const id = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
    const start = performance.now();
    const startCpu = process.cpuUsage();
    const summary = await ws.importFiles(id, [{ name: 'mozilla-roots.pem', bytes: new Uint8Array(rootsPem) }]);
    importTimes.push(performance.now() - start);
    importCpu.push(cpuMs(startCpu));
    if (summary.added !== 144) throw new Error(`expected 144 roots, got ${summary.added}`);
    ws.close();
  }
  rows.push({
    name: `import 144 Mozilla roots: decode + facts + one transaction (CPU ${median(importCpu.slice(1)).toFixed(0)} ms)`,
    oursMs: median(importTimes.slice(1)),
    goalMs: 200,
  });
  printTable('Store (fake-indexeddb in Node, not a browser IndexedDB)', rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
