/**
 * Assigning a certificate to IP addresses, after the guide's readiness checks: chain complete and
 * valid now, names covered, root in the installed client software, update wait passed, downtime
 * confirmed in production (src/core/appliance/readiness.ts decides; this module gathers the facts).
 */
import { CertdeskError } from '../core/errors';
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import { validityAt } from '../core/appliance/certificate-entry';
import { verifySelfSigned } from '../core/appliance/certificate-facts';
import { sha256Hex } from '../core/pki/asn1';
import { planAssignment } from '../core/appliance/ip-assignment';
import type { ChainCheck, ReadinessProblem } from '../core/appliance/readiness';
import { assertAssignable, readiness } from '../core/appliance/readiness';
import type { WorkspaceContext } from './context';
import { getAppliance, unknownCertificate } from './context';
import { read, tx, writeAll } from './database';
import { STORE } from './schema';

export interface AssignOptions {
  downtimeConfirmed?: boolean;
  /** The admin accepted the non-blocking problems. */
  warningsAccepted?: boolean;
  /**
   * The admin explicitly accepted blocking problems that would cut clients off (never the hard
   * blocks: a missing private key or an unknown IP).
   */
  blockingAccepted?: boolean;
  now?: number;
}

async function chainCheck(ctx: WorkspaceContext, cert: CertificateEntry, pool: readonly CertificateEntry[], now: number): Promise<ChainCheck> {
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
  const others = pool.filter((c) => c.id !== cert.id);
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

async function readinessState(ctx: WorkspaceContext, certId: string) {
  ctx.assertOpen();
  return read(ctx.db, [STORE.certificates, STORE.appliances, STORE.keys], async (t) => {
    const certificate = await t.objectStore(STORE.certificates).get(certId);
    if (!certificate) throw unknownCertificate();
    const appliance = await getAppliance(t, certificate.applianceId);
    const pool = await t.objectStore(STORE.certificates).index('byAppliance').getAll(certificate.applianceId);
    const key = certificate.keyId ? await t.objectStore(STORE.keys).get(certificate.keyId) : undefined;
    return { certificate, appliance, pool, keyAvailable: key !== undefined && key.applianceId === appliance.id };
  });
}

/** Every problem with assigning `ips` to the certificate now (nothing is written). */
export async function checkReadiness(ctx: WorkspaceContext, certId: string, ips: readonly string[], options: AssignOptions = {}): Promise<ReadinessProblem[]> {
  const now = options.now ?? ctx.clock();
  const state = await readinessState(ctx, certId);
  return readiness({
    appliance: state.appliance,
    certificate: state.certificate,
    privateKeyAvailable: state.keyAvailable,
    ips,
    chain: await chainCheck(ctx, state.certificate, state.pool, now),
    now,
    downtimeConfirmed: options.downtimeConfirmed ?? false,
    isPublicSuffix: await ctx.pki.publicSuffixCheckFor(state.certificate.facts),
  });
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
    const problems = await checkReadiness(ctx, certId, ips, options);
    assertAssignable(problems, options.warningsAccepted ?? false, options.blockingAccepted ?? false);
    await tx(ctx.db, [STORE.certificates, STORE.appliances, STORE.keys, STORE.ipAssignments, STORE.events], async (t) => {
      const cert = await t.objectStore(STORE.certificates).get(certId);
      if (!cert) throw unknownCertificate();
      applianceId = cert.applianceId;
      const appliance = await getAppliance(t, cert.applianceId);
      if (!cert.keyId || !(await t.objectStore(STORE.keys).get(cert.keyId))) {
        throw new CertdeskError('private-key-unavailable', `The private key of "${cert.friendlyName}" is not available.`);
      }
      const current = await t.objectStore(STORE.ipAssignments).index('byAppliance').getAll(appliance.id);
      const plan = planAssignment(appliance, current, certId, ips);
      await writeAll(plan.assignments.map((a) => () => t.objectStore(STORE.ipAssignments).put(a)));
      if (plan.moves.length > 0) {
        await t.objectStore(STORE.events).add(
          ctx.event('ips-assigned', `Assigned ${plan.moves.map((m) => m.ip).join(', ')} to "${cert.friendlyName}".`, appliance.id),
        );
      }
    });
    return problems;
  });
}
