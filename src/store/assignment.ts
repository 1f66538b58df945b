/**
 * Assigning a certificate to IP addresses, after the guide's readiness checks: chain complete and
 * valid now, names covered, root in the installed client software, update wait passed, downtime
 * confirmed in production (src/core/appliance/readiness.ts decides; this module gathers the facts).
 */
import { CertdeskError } from '../core/errors';
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import { indexBySubject, possibleIssuers, validityAt } from '../core/appliance/certificate-entry';
import { verifySelfSigned } from '../core/appliance/certificate-facts';
import { sha256Hex } from '../core/pki/asn1';
import type { Appliance } from '../core/appliance/appliance';
import type { EventEntry } from '../core/appliance/event-log';
import { planAssignment } from '../core/appliance/ip-assignment';
import type { ChainCheck, ReadinessProblem } from '../core/appliance/readiness';
import { CLIENT_SOFTWARE_GATE, HARD_BLOCKS, assertAssignable, readiness } from '../core/appliance/readiness';
import type { WorkspaceContext } from './context';
import { certificatesOf, getAppliance, unknownCertificate } from './context';
import { read, tx, writeAll } from './database';
import { STORE } from './schema';
import { putCertificateRecord } from './certificate-index';

/**
 * The deliberate override of the client-software gate (the root is not in the installed build,
 * or the build is under 24 h old): the admin types the appliance's name and gives a reason, and
 * both go into the event log.
 */
export interface ClientSoftwareOverride {
  applianceName: string;
  reason: string;
}

export interface AssignOptions {
  /** The production-downtime question, answered on its own: nothing else stands in for it. */
  downtimeConfirmed?: boolean;
  /** The admin accepted the non-blocking problems. */
  warningsAccepted?: boolean;
  /**
   * The admin explicitly accepted blocking problems of the chain or the names (never the hard
   * blocks: a missing private key, an unknown IP, unconfirmed downtime; never the client-software gate).
   */
  blockingAccepted?: boolean;
  /** Overrides the client-software gate; checked against the appliance's name. */
  clientSoftwareOverride?: ClientSoftwareOverride;
  now?: number;
}

/**
 * Checks the override the admin typed: the appliance's exact name and a reason. Throws
 * 'override-name-mismatch' or 'override-reason-missing'.
 */
export function checkOverride(override: ClientSoftwareOverride, appliance: Pick<Appliance, 'name'>): void {
  if (override.applianceName.trim() !== appliance.name) {
    throw new CertdeskError('override-name-mismatch', `To override, type the appliance's name exactly: ${appliance.name}.`);
  }
  if (override.reason.trim().length < 3) {
    throw new CertdeskError('override-reason-missing', 'Give the reason for the override; it is kept in the event log.');
  }
}

/**
 * Decides whether the problems let the action go on, checking the override when it is needed,
 * and returns the event-log entries of every override used (with before, after and reason).
 * Throws like assertAssignable.
 */
export function acceptProblems(
  ctx: WorkspaceContext,
  problems: readonly ReadinessProblem[],
  options: AssignOptions,
  context: { appliance: Appliance; after: string },
): EventEntry[] {
  const gate = problems.filter((p) => CLIENT_SOFTWARE_GATE.has(p.code));
  const override = options.clientSoftwareOverride;
  if (gate.length > 0 && override) checkOverride(override, context.appliance);
  const acceptance = {
    warningsAccepted: options.warningsAccepted ?? false,
    blockingAccepted: options.blockingAccepted ?? false,
    clientSoftwareOverridden: gate.length > 0 && override !== undefined,
  };
  assertAssignable(problems, acceptance);
  const events: EventEntry[] = [];
  const list = (ps: readonly ReadinessProblem[]) => ps.map((p) => p.message).join(' ');
  if (gate.length > 0 && override) {
    events.push(
      ctx.event('override', `Overrode the client-software check on ${context.appliance.name}.`, context.appliance.id, {
        before: list(gate),
        after: context.after,
        reason: override.reason.trim(),
      }),
    );
  }
  const accepted = problems.filter((p) => p.blocking && !HARD_BLOCKS.has(p.code) && !CLIENT_SOFTWARE_GATE.has(p.code));
  if (accepted.length > 0) {
    events.push(
      ctx.event('override', `Accepted blocking problems on ${context.appliance.name}.`, context.appliance.id, {
        before: list(accepted),
        after: context.after,
        reason: 'Accepted with "I understand that clients may lose their connection".',
      }),
    );
  }
  return events;
}

/** The chain of `cert` built and validated now from its appliance's certificates. */
export async function chainCheck(ctx: WorkspaceContext, cert: CertificateEntry, pool: readonly CertificateEntry[], now: number): Promise<ChainCheck> {
  const validity = validityAt(cert.facts, now);
  if (validity !== 'valid') {
    return {
      ok: false,
      problems: [{ code: validity, message: validity === 'expired' ? 'the certificate has expired.' : 'the certificate is not valid yet.' }],
    };
  }
  // A self-signed server certificate is its own trust anchor; whether clients trust it is the
  // client-software check. Its signature must still verify.
  if (cert.facts.selfIssued && !cert.facts.isCa) {
    if (await verifySelfSigned(cert.der)) return { ok: true, rootSha256: cert.sha256 };
    return { ok: false, problems: [{ code: 'bad-signature', message: 'its self-signature does not verify; the certificate is damaged.' }] };
  }
  // Only what may issue it (by name) can be in its path: parsing the whole appliance is not needed.
  const reachable = new Set(possibleIssuers(cert.facts, indexBySubject(pool.map((c) => c.facts))).map((f) => f.sha256));
  const others = pool.filter((c) => c.id !== cert.id && reachable.has(c.sha256));
  const result = await ctx.pki.validatePath(
    cert.der,
    {
      intermediates: others.filter((c) => !c.facts.selfIssued).map((c) => c.der),
      roots: others.filter((c) => c.facts.selfIssued).map((c) => c.der),
    },
    { time: new Date(now) },
  );
  if (!result.ok) return result;
  const root = result.path.at(-1)!;
  return { ok: true, rootSha256: await sha256Hex(root) };
}

/** The certificate, its appliance and pool, and whether its key is here, read in one transaction. */
export async function readinessState(ctx: WorkspaceContext, certId: string) {
  ctx.assertOpen();
  return read(ctx.db, [STORE.certificates, STORE.appliances, STORE.keys], async (t) => {
    const certificate = await t.objectStore(STORE.certificates).get(certId);
    if (!certificate) throw unknownCertificate();
    const appliance = await getAppliance(t, certificate.applianceId);
    const pool = await certificatesOf(t, certificate.applianceId);
    const key = certificate.keyId ? await t.objectStore(STORE.keys).get(certificate.keyId) : undefined;
    return { certificate, appliance, pool, keyAvailable: key !== undefined && key.applianceId === appliance.id };
  });
}

/** The readiness of assigning `ips` now, with the state it was judged on (nothing is written). */
export async function evaluateReadiness(ctx: WorkspaceContext, certId: string, ips: readonly string[], options: AssignOptions = {}) {
  const now = options.now ?? ctx.clock();
  const state = await readinessState(ctx, certId);
  const chain = await chainCheck(ctx, state.certificate, state.pool, now);
  const problems = readiness({
    appliance: state.appliance,
    certificate: state.certificate,
    privateKeyAvailable: state.keyAvailable,
    ips,
    chain,
    now,
    downtimeConfirmed: options.downtimeConfirmed ?? false,
    isPublicSuffix: await ctx.pki.publicSuffixCheckFor(state.certificate.facts),
  });
  return { ...state, chain, problems };
}

/** Every problem with assigning `ips` to the certificate now (nothing is written). */
export async function checkReadiness(ctx: WorkspaceContext, certId: string, ips: readonly string[], options: AssignOptions = {}): Promise<ReadinessProblem[]> {
  return (await evaluateReadiness(ctx, certId, ips, options)).problems;
}

/**
 * Assigns IPs to a certificate after the readiness check: blocking problems refuse ('not-ready'),
 * warnings need `warningsAccepted` ('confirmation-needed'). Each IP moves from its old
 * certificate. Returns the problems the admin accepted.
 */
export function assignIps(ctx: WorkspaceContext, certId: string, ips: readonly string[], options: AssignOptions = {}): Promise<ReadinessProblem[]> {
  let applianceId = '';
  return ctx.action('assignIps', () => [applianceId], async () => {
    // Read, validate (crypto), then write: the lock keeps another tab from changing what we read.
    const { problems, appliance, certificate } = await evaluateReadiness(ctx, certId, ips, options);
    const overrides = acceptProblems(ctx, problems, options, { appliance, after: `${[...ips].join(', ')} assigned to "${certificate.friendlyName}"` });
    await tx(ctx.db, [STORE.certificates, STORE.appliances, STORE.keys, STORE.ipAssignments, STORE.events], async (t) => {
      const cert = await t.objectStore(STORE.certificates).get(certId);
      if (!cert) throw unknownCertificate();
      applianceId = cert.applianceId;
      const stored = await getAppliance(t, cert.applianceId);
      if (!cert.keyId || !(await t.objectStore(STORE.keys).get(cert.keyId))) {
        throw new CertdeskError('private-key-unavailable', `The private key of "${cert.friendlyName}" is not available.`);
      }
      const current = await t.objectStore(STORE.ipAssignments).index('byAppliance').getAll(stored.id);
      const plan = planAssignment(stored, current, certId, ips);
      await writeAll(plan.assignments.map((a) => () => t.objectStore(STORE.ipAssignments).put(a)));
      // Serving again: a certificate given addresses back is no longer "Replaced".
      if (cert.replacedBy !== undefined && plan.moves.length > 0) {
        const back = { ...cert };
        delete back.replacedBy;
        delete back.replacedAt;
        await putCertificateRecord(t, back);
      }
      if (plan.moves.length > 0) {
        await t.objectStore(STORE.events).add(
          ctx.event('ips-assigned', `Assigned ${plan.moves.map((m) => m.ip).join(', ')} to "${cert.friendlyName}".`, stored.id),
        );
        await writeAll(overrides.map((event) => () => t.objectStore(STORE.events).add(event)));
      }
    });
    return problems;
  });
}
