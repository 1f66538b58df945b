/**
 * Every new appliance's factory default key and certificate, which serves all its IPs until
 * another certificate is assigned; and the first start's default appliance. The key, the
 * certificate and its facts are all made through the injected PKI (in the app: the PKI worker),
 * so a first start creates its workspace with no PKI code on the page: this module imports none.
 */
import type { Appliance } from '../core/appliance/appliance';
import { DEFAULT_APPLIANCE, createAppliance } from '../core/appliance/appliance';
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import { certificateId } from '../core/appliance/certificate-entry';
import type { CertificateFacts } from '../core/appliance/certificate-facts';
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { KeyAlgorithmName } from '../core/pki/keys';
import type { WorkspaceContext } from './context';
import type { WriteTx } from './database';
import { read, tx, writeAll } from './database';
import { STORE } from './schema';
import { addCertificateRecord } from './certificate-index';

/** What the factory default certificate of a new appliance is made with. */
const FACTORY_KEY: KeyAlgorithmName = 'ECDSA-P256';
const FACTORY_VALIDITY_DAYS = 3650;

/** A new appliance's factory default key, its self-signed certificate, and the certificate's facts. */
export interface FactoryMaterial<K> {
  key: K;
  der: Uint8Array;
  facts: CertificateFacts;
}

type ApplianceTx = WriteTx<('appliances' | 'keys' | 'certificates' | 'ipAssignments' | 'events')[]>;

/** Makes the factory default key and certificate for an appliance named `name` at `hostname`. */
export async function factoryMaterial<K extends KeyMaterial>(ctx: WorkspaceContext<K>, hostname: string, name: string): Promise<FactoryMaterial<K>> {
  const key = await ctx.pki.generateKey(FACTORY_KEY, { exportable: false });
  const der = await ctx.pki.createSelfSignedCertificate({
    key,
    subject: { CN: 'Certdesk Appliance', O: name },
    subjectAltNames: [hostname],
    validityDays: FACTORY_VALIDITY_DAYS,
  });
  return { key, der, facts: await ctx.pki.certificateFacts(der) };
}

/** The writes of a new appliance, its factory default key and certificate, and its IPs served by it. */
export function putAppliance<K extends KeyMaterial>(
  ctx: WorkspaceContext<K>,
  t: ApplianceTx,
  appliance: Appliance,
  factory: FactoryMaterial<K>,
): (() => Promise<unknown>)[] {
  const now = ctx.clock();
  const keyId = ctx.newId();
  const cert: CertificateEntry = {
    id: certificateId(appliance.id, factory.facts.sha256),
    applianceId: appliance.id,
    sha256: factory.facts.sha256,
    friendlyName: 'Factory default',
    der: factory.der,
    facts: factory.facts,
    keyId,
    factoryDefault: true,
    source: 'factory-default',
    importedAt: now,
  };
  return [
    () => t.objectStore(STORE.appliances).add(appliance),
    () => t.objectStore(STORE.keys).add({ id: keyId, applianceId: appliance.id, friendlyName: 'Factory default key', createdAt: now, key: factory.key }),
    () => addCertificateRecord(t, cert),
    ...appliance.ipAddresses.map((e) => () => t.objectStore(STORE.ipAssignments).put({ applianceId: appliance.id, ip: e.ip, certificateId: cert.id })),
    () => t.objectStore(STORE.events).add(ctx.event('appliance-added', `Added appliance ${appliance.name} with its factory default certificate.`, appliance.id)),
  ];
}

/** On first start, creates the default appliance (once, even with two tabs starting together). */
export async function ensureDefaultAppliance<K extends KeyMaterial>(ctx: WorkspaceContext<K>): Promise<void> {
  ctx.assertOpen();
  const count = await read(ctx.db, [STORE.appliances], (t) => t.objectStore(STORE.appliances).count());
  if (count > 0) return;
  await ctx.lock(async () => {
    const factory = await factoryMaterial(ctx, DEFAULT_APPLIANCE.hostname, DEFAULT_APPLIANCE.name);
    const appliance = createAppliance(DEFAULT_APPLIANCE, { id: ctx.newId(), now: ctx.clock(), factoryRootSha256: factory.facts.sha256 });
    await tx(ctx.db, [STORE.appliances, STORE.keys, STORE.certificates, STORE.ipAssignments, STORE.events], async (t) => {
      // Another tab may have created it while we generated the key.
      if ((await t.objectStore(STORE.appliances).count()) > 0) return;
      await writeAll([...putAppliance(ctx, t, appliance, factory), () => t.objectStore(STORE.events).add(ctx.event('workspace-created', 'Workspace created.'))]);
    });
  });
}
