/**
 * Failover pairs and Atlas clusters: copying a certificate with its key and chain to another
 * appliance, and the checks that both sides serve the same certificates (failover) and that one
 * certificate covers the site and every node (Atlas).
 */
import type { Problem } from '../core/errors';
import { CertdeskError } from '../core/errors';
import type { AtlasCoverage } from '../core/appliance/atlas';
import { atlasCoverage } from '../core/appliance/atlas';
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import { certificateId } from '../core/appliance/certificate-entry';
import type { ServingState } from '../core/appliance/failover';
import { compareFailover } from '../core/appliance/failover';
import type { WorkspaceContext } from './context';
import { certificatesOf, chainOf, getAppliance, unknownCertificate } from './context';
import { read, tx } from './database';
import { STORE } from './schema';
import { addCertificateRecord, putCertificateRecord } from './certificate-index';

/**
 * Copies a certificate with its private key and chain to another appliance (the guide's
 * export with key and chain, import on the backup). Only exportable keys can be replicated.
 */
export function replicate(ctx: WorkspaceContext, certId: string, toApplianceId: string): Promise<{ copied: string[]; alreadyPresent: string[] }> {
  return ctx.action('replicate', () => [toApplianceId], () =>
    tx(ctx.db, [STORE.appliances, STORE.certificates, STORE.keys, STORE.events], async (t) => {
      const cert = await t.objectStore(STORE.certificates).get(certId);
      if (!cert) throw unknownCertificate();
      const target = await getAppliance(t, toApplianceId);
      if (target.id === cert.applianceId) {
        throw new CertdeskError('same-appliance', 'Choose another appliance to copy the certificate to.');
      }
      const key = cert.keyId ? await t.objectStore(STORE.keys).get(cert.keyId) : undefined;
      if (!key) {
        throw new CertdeskError('private-key-unavailable', `"${cert.friendlyName}" has no private key here, so it cannot serve another appliance.`);
      }
      if (!key.key.exportable) {
        throw new CertdeskError(
          'key-not-exportable',
          `The key of "${cert.friendlyName}" was created non-exportable and can never leave this browser. Create an exportable key and have the certificate re-issued for it.`,
        );
      }
      const sourcePool = await certificatesOf(t, cert.applianceId);
      const targetPool = await certificatesOf(t, target.id);
      const targetKeys = await t.objectStore(STORE.keys).index('byAppliance').getAll(target.id);
      const now = ctx.clock();
      let targetKey = targetKeys.find((k) => k.key.publicKeySha256 === key.key.publicKeySha256);
      if (!targetKey) {
        targetKey = { ...key, id: ctx.newId(), applianceId: target.id, createdAt: now };
        await t.objectStore(STORE.keys).add(targetKey);
      }
      const chain = chainOf(cert, sourcePool);
      const copied: string[] = [];
      const alreadyPresent: string[] = [];
      for (const c of chain) {
        const id = certificateId(target.id, c.sha256);
        const existing = targetPool.find((p) => p.id === id);
        if (existing) {
          alreadyPresent.push(id);
          if (c.sha256 === cert.sha256 && existing.keyId === undefined) {
            await putCertificateRecord(t, { ...existing, keyId: targetKey.id });
          }
          continue;
        }
        const copy: CertificateEntry = { ...c, id, applianceId: target.id, source: 'replicated', factoryDefault: false, importedAt: now };
        delete copy.keyId;
        if (c.sha256 === cert.sha256) copy.keyId = targetKey.id;
        await addCertificateRecord(t, copy);
        copied.push(id);
      }
      await t.objectStore(STORE.events).add(
        ctx.event('certificate-replicated', `Copied "${cert.friendlyName}" with its key and ${chain.length - 1} chain certificate(s) to ${target.name}.`, target.id),
      );
      return { copied, alreadyPresent };
    }),
  );
}

/** Differences that would break failover between the two appliances (empty: identical). */
export async function failoverCheck(ctx: WorkspaceContext, primaryId: string, backupId: string): Promise<Problem[]> {
  ctx.assertOpen();
  const [primary, backup] = await read(ctx.db, [STORE.appliances, STORE.certificates, STORE.keys, STORE.ipAssignments], async (t) => {
    const state = async (id: string): Promise<ServingState> => ({
      appliance: await getAppliance(t, id),
      certificates: await certificatesOf(t, id),
      assignments: await t.objectStore(STORE.ipAssignments).index('byAppliance').getAll(id),
      keyIds: new Set(await t.objectStore(STORE.keys).index('byAppliance').getAllKeys(id)),
    });
    return [await state(primaryId), await state(backupId)] as const;
  });
  const served = [...primary.certificates, ...backup.certificates].map((c) => c.facts);
  return compareFailover(primary, backup, await ctx.pki.publicSuffixCheckFor(...served));
}

/** Whether one certificate covers the site hostname and every Atlas node's names. */
export async function atlasCheck(ctx: WorkspaceContext, certId: string): Promise<AtlasCoverage> {
  ctx.assertOpen();
  const { cert, appliances } = await read(ctx.db, [STORE.appliances, STORE.certificates], async (t) => {
    const cert = await t.objectStore(STORE.certificates).get(certId);
    if (!cert) throw unknownCertificate();
    return { cert, appliances: await t.objectStore(STORE.appliances).getAll() };
  });
  const home = appliances.find((a) => a.id === cert.applianceId)!;
  const nodes = appliances.filter((a) => a.siteHostname === home.siteHostname);
  return atlasCoverage(cert.facts, home.siteHostname, nodes, await ctx.pki.publicSuffixCheckFor(cert.facts));
}
