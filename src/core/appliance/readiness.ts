/**
 * The check the guide only warns about, done before any IP is assigned. Every problem is listed
 * (not just the first), each marked blocking (the assignment is refused) or not (the admin must
 * accept it explicitly).
 */
import type { Problem } from '../errors';
import { CertdeskError } from '../errors';
import type { Appliance } from './appliance';
import { SOFTWARE_UPDATE_WAIT_HOURS } from './appliance';
import type { CertificateEntry } from './certificate-entry';
import type { PublicSuffixCheck } from '../pki/names/hostname';
import { canonicalIpAddress } from '../pki/names/ip';
import { coversName } from '../pki/names/match';
import { rootChange } from './root-change';
import { siteHostnameProblem } from './warnings';

/** A readiness problem; blocking ones refuse the assignment. */
export interface ReadinessProblem extends Problem {
  blocking: boolean;
}

/** Outcome of building and validating the certificate's chain now (src/core/pki path validation). */
export type ChainCheck =
  | { ok: true; /** SHA-256 of the trust anchor the path ends in. */ rootSha256: string }
  | { ok: false; problems: Problem[] };

export interface ReadinessInput {
  appliance: Appliance;
  certificate: CertificateEntry;
  privateKeyAvailable: boolean;
  /** The IPs the admin wants this certificate to serve. */
  ips: readonly string[];
  chain: ChainCheck;
  now: number;
  /** The admin confirmed that downtime is scheduled (only matters in production). */
  downtimeConfirmed: boolean;
  /**
   * Tells public suffixes, for wildcard SANs (names/public-suffix.ts publicSuffixCheckFor);
   * without it a wildcard covers nothing.
   */
  isPublicSuffix?: PublicSuffixCheck;
}

const HOUR = 3_600_000;

/** Every problem with assigning `ips` to the certificate now. An empty list means ready. */
export function readiness(input: ReadinessInput): ReadinessProblem[] {
  const { appliance, certificate, chain, now } = input;
  const problems: ReadinessProblem[] = [];
  const name = certificate.friendlyName;

  if (!input.privateKeyAvailable) {
    problems.push({
      code: 'private-key-unavailable',
      blocking: true,
      message: `The private key of "${name}" is not available on ${appliance.name}. Import the key (e.g. the .p12 from the server that holds it) or ask your CA to re-key the certificate.`,
    });
  }

  if (!chain.ok) {
    for (const p of chain.problems) {
      problems.push({
        code: 'chain-invalid',
        blocking: true,
        message: `The chain of "${name}" is not complete and valid now: ${p.message}`,
      });
    }
  } else {
    const change = rootChange(appliance.clientSoftware, chain.rootSha256, now);
    if (!change.installed) {
      // The guide's re-key warning: clients that do not trust the new CA lose connectivity for good.
      problems.push({
        code: 'root-not-in-client-software',
        blocking: true,
        message: `The root of "${name}" is not built into ${appliance.name}'s installed client software, so clients would permanently lose their connection. Build the support package, send it to the vendor for a software update, record the request and the installation, wait 24–48 hours, then assign.`,
      });
    } else if (!change.complete) {
      const wait = change.steps.find((step) => step.id === 'wait')!;
      const left = Math.max(1, Math.ceil(((wait.minimumUntil ?? now) - now) / HOUR));
      problems.push({
        code: 'software-update-too-recent',
        blocking: true,
        message: `The client-software update that brought the root of "${name}" was installed less than 24 hours ago. Wait about ${left} h more so clients (especially Jump Clients) pick up the new certificate.`,
      });
    }
  }

  for (const ip of input.ips) {
    // Stored addresses are canonical; the one asked about may be spelled otherwise (2001:DB8::A).
    const entry = appliance.ipAddresses.find((e) => e.ip === (canonicalIpAddress(ip) ?? ip));
    if (!entry) {
      problems.push({
        code: 'unknown-ip-address',
        blocking: true,
        message: `${appliance.name} has no IP address ${ip}.`,
      });
    } else if (!coversName(certificate.facts, entry.dnsName, input.isPublicSuffix)) {
      problems.push({
        code: 'name-not-covered',
        blocking: true,
        message: `"${name}" does not cover ${entry.dnsName}, the DNS name of ${ip}: browsers and clients would report a name mismatch. Use a certificate whose Subject Alternative Names include it.`,
      });
    }
  }

  const build = appliance.clientSoftware;
  if (build.updateRequestedAt !== undefined && (build.updateInstalledAt ?? -Infinity) < build.updateRequestedAt) {
    problems.push({
      code: 'software-update-pending',
      blocking: false,
      message: `A client-software update for ${appliance.name} was requested but is not recorded as installed. Install it before assigning.`,
    });
  }
  const settling = problems.some((p) => p.code === 'software-update-too-recent');
  if (build.updateInstalledAt !== undefined && !settling) {
    const waited = (now - build.updateInstalledAt) / HOUR;
    if (waited < SOFTWARE_UPDATE_WAIT_HOURS.advised) {
      const left = Math.ceil(SOFTWARE_UPDATE_WAIT_HOURS.advised - waited);
      problems.push({
        code: 'software-update-wait',
        blocking: false,
        message: `The client software was updated ${Math.max(0, Math.floor(waited))} h ago. The guide advises waiting 24–48 hours so clients (especially Jump Clients) pick up the new certificate; about ${left} h to go.`,
      });
    }
  }

  const site = siteHostnameProblem(certificate, appliance, input.isPublicSuffix);
  if (site) problems.push({ ...site, blocking: false });

  if (appliance.inProduction && !input.downtimeConfirmed) {
    problems.push({
      code: 'downtime-not-confirmed',
      blocking: true,
      message: `${appliance.name} is in production. Schedule downtime for changing and testing IP assignments, then confirm it.`,
    });
  }

  if (certificate.facts.selfIssued && !certificate.facts.isCa) {
    problems.push({
      code: 'self-signed',
      blocking: false,
      message: `"${name}" is ${certificate.factoryDefault ? 'the factory default certificate' : 'self-signed'}: browsers warn, and iOS, Android and Linux clients refuse to connect. Use a CA-signed certificate for production.`,
    });
  }
  return problems;
}

/**
 * Problems no confirmation can override: without the private key the appliance cannot serve the
 * certificate at all (the guide greys the IPs out), an unknown IP does not exist to assign, and
 * production downtime is its own question — answered by confirming the downtime, never by
 * accepting other problems.
 */
export const HARD_BLOCKS: ReadonlySet<string> = new Set(['private-key-unavailable', 'unknown-ip-address', 'downtime-not-confirmed']);

/**
 * The client-software gate (root-change.ts): the root is not in the installed build, or the
 * build that brought it is under 24 h old. Only a deliberate override (the appliance name typed,
 * a reason given, logged) passes it.
 */
export const CLIENT_SOFTWARE_GATE: ReadonlySet<string> = new Set(['root-not-in-client-software', 'software-update-too-recent']);

/** What the admin answered besides the downtime question. */
export interface Acceptance {
  /** The non-blocking problems were accepted. */
  warningsAccepted?: boolean;
  /** Blocking problems outside the gate and the hard blocks (chain, names) were accepted. */
  blockingAccepted?: boolean;
  /** The client-software gate was overridden deliberately (checked by the caller: name typed, reason given). */
  clientSoftwareOverridden?: boolean;
}

/** Whether `problem` is passed by `acceptance`. */
export function accepted(problem: ReadinessProblem, acceptance: Acceptance): boolean {
  if (!problem.blocking) return acceptance.warningsAccepted === true;
  if (HARD_BLOCKS.has(problem.code)) return false;
  if (CLIENT_SOFTWARE_GATE.has(problem.code)) return acceptance.clientSoftwareOverridden === true;
  return acceptance.blockingAccepted === true;
}

/**
 * Throws unless every problem is accepted. Blocking ones refuse ('not-ready'): hard blocks
 * always, the client-software gate without the override, the others without
 * `blockingAccepted`. Unaccepted warnings ask for confirmation ('confirmation-needed'). The
 * message lists every problem that stands.
 */
export function assertAssignable(problems: readonly ReadinessProblem[], acceptance: Acceptance = {}): void {
  const refusing = problems.filter((p) => p.blocking && !accepted(p, acceptance));
  if (refusing.length > 0) {
    throw new CertdeskError(
      'not-ready',
      `The IP addresses were not assigned:\n${refusing.map((p) => `• ${p.message}`).join('\n')}`,
    );
  }
  const unconfirmed = problems.filter((p) => !accepted(p, acceptance));
  if (unconfirmed.length > 0) {
    throw new CertdeskError(
      'confirmation-needed',
      `Confirm to assign anyway:\n${unconfirmed.map((p) => `• ${p.message}`).join('\n')}`,
    );
  }
}
