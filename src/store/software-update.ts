/**
 * Client-software updates (the guide's "Update the Bomgar Appliance"): the admin asks the vendor
 * for a build with the new root, then installs it. Certdesk records both, so readiness can check
 * that the root is in the installed build and that the 24–48 h wait has passed.
 */
import { CertdeskError } from '../core/errors';
import type { Appliance, SoftwareUpdate } from '../core/appliance/appliance';
import { withSoftwareUpdate } from '../core/appliance/appliance';
import { chainShape, indexBySubject } from '../core/appliance/certificate-entry';
import type { RootChange } from '../core/appliance/root-change';
import { rootChange } from '../core/appliance/root-change';
import { chainCheck, readinessState } from './assignment';
import type { WorkspaceContext } from './context';
import { getAppliance, unknownCertificate } from './context';
import { tx } from './database';
import { STORE } from './schema';

export interface SoftwareUpdateInput {
  requestedAt?: number;
  installedAt?: number;
  /** The certificates sent to the vendor; once the build is installed, their roots are in it. */
  certificateIds?: string[];
}

/**
 * Records a client-software update. `certificateIds`: the certificates sent to the vendor; once
 * the build is installed, the roots of their chains are in the client software.
 */
export function recordSoftwareUpdate(ctx: WorkspaceContext, applianceId: string, update: SoftwareUpdateInput): Promise<Appliance> {
  return ctx.action('recordSoftwareUpdate', () => [applianceId], () =>
    tx(ctx.db, [STORE.appliances, STORE.certificates, STORE.events], async (t) => {
      const appliance = await getAppliance(t, applianceId);
      const pool = await t.objectStore(STORE.certificates).index('byAppliance').getAll(applianceId);
      const index = indexBySubject(pool.map((c) => c.facts));
      const roots: string[] = [];
      for (const id of update.certificateIds ?? []) {
        const cert = pool.find((c) => c.id === id);
        if (!cert) throw unknownCertificate();
        const shape = chainShape(cert.facts, index);
        if (shape.shape !== 'complete') {
          throw new CertdeskError(
            'chain-incomplete',
            `The chain of "${cert.friendlyName}" lacks its ${shape.shape === 'missing-root' ? 'root' : 'intermediate'} certificate; the vendor builds the root into the client software, so import it first.`,
          );
        }
        roots.push(shape.path.at(-1)!);
      }
      const change: SoftwareUpdate = {};
      if (update.requestedAt !== undefined) change.requestedAt = update.requestedAt;
      if (update.installedAt !== undefined) change.installedAt = update.installedAt;
      if (roots.length) change.roots = roots;
      const next = withSoftwareUpdate(appliance, change);
      await t.objectStore(STORE.appliances).put(next);
      await t.objectStore(STORE.events).add(
        ctx.event(
          'software-update-recorded',
          update.installedAt !== undefined
            ? `Client-software update installed on ${appliance.name}${next.clientSoftware.roots.length > appliance.clientSoftware.roots.length ? `, with ${next.clientSoftware.roots.length - appliance.clientSoftware.roots.length} new root${next.clientSoftware.roots.length - appliance.clientSoftware.roots.length === 1 ? '' : 's'}` : ''}.`
            : `Client-software update requested for ${appliance.name}.`,
          applianceId,
        ),
      );
      return next;
    }),
  );
}

/**
 * Where bringing the root of `certId`'s chain into the client software stands (the guided
 * sequence of core/appliance/root-change.ts), or undefined while the chain is not complete and
 * valid (its problems come first).
 */
export async function clientSoftwareSteps(ctx: WorkspaceContext, certId: string, now = ctx.clock()): Promise<RootChange | undefined> {
  const state = await readinessState(ctx, certId);
  const chain = await chainCheck(ctx, state.certificate, state.pool, now);
  return chain.ok ? rootChange(state.appliance.clientSoftware, chain.rootSha256, now) : undefined;
}
