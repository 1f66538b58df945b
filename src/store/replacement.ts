/**
 * Replacing a certificate in use by its renewal or re-keyed successor (core/appliance/
 * replacement.ts decides): a preview of what changes, then one transaction that moves every IP
 * address of the old certificate to the new one, marks the old one replaced, optionally carries
 * its friendly name over, and logs the replacement (and any override) with before and after.
 */
import { CertdeskError } from '../core/errors';
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import { planAssignment } from '../core/appliance/ip-assignment';
import type { ReadinessProblem } from '../core/appliance/readiness';
import type { ReplacementPlan } from '../core/appliance/replacement';
import { planReplacement, replacementRecord } from '../core/appliance/replacement';
import type { AssignOptions } from './assignment';
import { acceptProblems, chainCheck, evaluateReadiness } from './assignment';
import type { WorkspaceContext } from './context';
import { getAppliance, unknownCertificate } from './context';
import { read, tx, writeAll } from './database';
import { STORE } from './schema';
import { putCertificateRecord } from './certificate-index';

export interface ReplaceOptions extends AssignOptions {
  /** The new certificate takes the old one's friendly name; the old one is renamed "NAME (replaced)". */
  carryFriendlyName?: boolean;
}

/** The preview: what the replacement changes, and every readiness problem of it now. */
export interface ReplacementPreview extends ReplacementPlan {
  oldName: string;
  newName: string;
  problems: ReadinessProblem[];
}

async function replacementState(ctx: WorkspaceContext, newId: string, oldId: string) {
  ctx.assertOpen();
  return read(ctx.db, [STORE.certificates, STORE.appliances, STORE.ipAssignments], async (t) => {
    const next = await t.objectStore(STORE.certificates).get(newId);
    const old = await t.objectStore(STORE.certificates).get(oldId);
    if (!next || !old) throw unknownCertificate();
    const appliance = await getAppliance(t, old.applianceId);
    const pool = await t.objectStore(STORE.certificates).index('byAppliance').getAll(appliance.id);
    const assignments = await t.objectStore(STORE.ipAssignments).index('byAppliance').getAll(appliance.id);
    return { next, old, appliance, pool, assignments };
  });
}

/** What replacing `oldId` by `newId` would change now; nothing is written. */
export async function replacePreview(ctx: WorkspaceContext, newId: string, oldId: string, options: AssignOptions = {}): Promise<ReplacementPreview> {
  return (await previewWithState(ctx, newId, oldId, options)).preview;
}

async function previewWithState(ctx: WorkspaceContext, newId: string, oldId: string, options: AssignOptions) {
  const now = options.now ?? ctx.clock();
  const state = await replacementState(ctx, newId, oldId);
  const plan = planReplacement({
    appliance: state.appliance,
    assignments: state.assignments,
    oldCertificate: state.old,
    newCertificate: state.next,
    oldChain: await chainCheck(ctx, state.old, state.pool, now),
    newChain: await chainCheck(ctx, state.next, state.pool, now),
    isPublicSuffix: await ctx.pki.publicSuffixCheckFor(state.old.facts, state.next.facts),
  });
  const { problems } = await evaluateReadiness(ctx, newId, plan.ips.map((row) => row.ip), { ...options, now });
  const preview: ReplacementPreview = { ...plan, oldName: state.old.friendlyName, newName: state.next.friendlyName, problems };
  return { preview, appliance: state.appliance };
}

/**
 * Replaces `oldId` by `newId`: the readiness of the new certificate on the old one's IP
 * addresses must pass (or be accepted or overridden as for Assign IP), then one transaction
 * moves the addresses, marks the old certificate replaced and logs before and after. Returns
 * the problems the admin accepted.
 */
export function replaceCertificate(ctx: WorkspaceContext, newId: string, oldId: string, options: ReplaceOptions = {}): Promise<ReadinessProblem[]> {
  let applianceId = '';
  return ctx.action('replaceCertificate', () => [applianceId], async () => {
    const { preview, appliance } = await previewWithState(ctx, newId, oldId, options);
    const now = ctx.clock();
    const overrides = acceptProblems(ctx, preview.problems, options, {
      appliance,
      after: `"${preview.oldName}" replaced by "${preview.newName}"`,
    });
    await tx(ctx.db, [STORE.certificates, STORE.appliances, STORE.ipAssignments, STORE.events], async (t) => {
      const next = await t.objectStore(STORE.certificates).get(newId);
      const old = await t.objectStore(STORE.certificates).get(oldId);
      if (!next || !old) throw unknownCertificate();
      applianceId = old.applianceId;
      const stored = await getAppliance(t, old.applianceId);
      const current = await t.objectStore(STORE.ipAssignments).index('byAppliance').getAll(stored.id);
      const ips = current.filter((a) => a.certificateId === old.id).map((a) => a.ip);
      // What was previewed must still hold: another tab may have moved addresses meanwhile.
      if (ips.join('\n') !== preview.ips.map((row) => row.ip).join('\n')) {
        throw new CertdeskError('replacement-changed', 'The IP addresses of the old certificate changed since the preview. Look at the preview again, then replace.');
      }
      const plan = ips.length ? planAssignment(stored, current, newId, ips) : { assignments: [], moves: [] };
      const oldAfter: CertificateEntry = { ...old, replacedBy: newId, replacedAt: now };
      const newAfter: CertificateEntry = { ...next };
      delete newAfter.replacedBy;
      delete newAfter.replacedAt;
      if (options.carryFriendlyName) {
        newAfter.friendlyName = old.friendlyName;
        oldAfter.friendlyName = `${old.friendlyName} (replaced)`;
      }
      const record = replacementRecord(preview, { old: old.friendlyName, new: next.friendlyName });
      await writeAll([
        ...plan.assignments.map((a) => () => t.objectStore(STORE.ipAssignments).put(a)),
        () => putCertificateRecord(t, oldAfter),
        () => putCertificateRecord(t, newAfter),
        () =>
          t.objectStore(STORE.events).add(
            ctx.event('certificate-replaced', record.message, stored.id, {
              before: record.before,
              after: record.after + (options.carryFriendlyName ? `; friendly name "${old.friendlyName}" carried over` : ''),
            }),
          ),
        ...overrides.map((event) => () => t.objectStore(STORE.events).add(event)),
      ]);
    });
    return preview.problems;
  });
}
