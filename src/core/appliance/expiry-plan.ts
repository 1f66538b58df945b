/**
 * Expiry planning: by when the admin must start a renewal so that the new certificate serves
 * before the old one expires. The guide's renewal and re-key sections imply the lead time:
 * the CA signs ("Contact the certificate authority … to request a renewal"), the vendor builds
 * the new root into the client software when the root changes ("please be proactive in
 * contacting Bomgar Technical Support before your SSL certificate expires"), then "wait 24-48
 * hours" so Jump Clients update, and a production appliance needs scheduled downtime.
 *
 *   act by = expiry − (CA turnaround + client-software build when the root changes + 48 h + margin)
 */
import { CertdeskError } from '../errors';
import { SOFTWARE_UPDATE_WAIT_HOURS } from './appliance';

/** The lead times of one appliance, in whole days; editable per appliance. */
export interface LeadTimes {
  /** From asking the CA to holding the signed certificate. */
  caTurnaroundDays: number;
  /** From sending the support package to the vendor to the new client build installed; only when the root changes. */
  clientBuildDays: number;
  /** Slack for downtime scheduling, holidays and a reply that needs a second round. */
  marginDays: number;
}

/**
 * Defaults (docs/expiry-planning.md says why): OV/EV validation takes 1–3 business days, so 5
 * calendar days cover a weekend; a custom client build is a support ticket answered and a build
 * installed, about two working weeks; a week of margin covers a production downtime window.
 */
export const DEFAULT_LEAD_TIMES: Readonly<LeadTimes> = { caTurnaroundDays: 5, clientBuildDays: 10, marginDays: 7 };

/** The guide's advised wait after a client-software update, in days (48 h). */
export const UPDATE_WAIT_DAYS = SOFTWARE_UPDATE_WAIT_HOURS.advised / 24;

const DAY = 86_400_000;
const MAX_LEAD_DAYS = 365;

/** Lead times as the admin typed them, checked: whole days from 0 to 365. */
export function checkedLeadTimes(input: LeadTimes): LeadTimes {
  const fields: [keyof LeadTimes, string][] = [
    ['caTurnaroundDays', 'CA turnaround'],
    ['clientBuildDays', 'Client-software build'],
    ['marginDays', 'Margin'],
  ];
  for (const [field, label] of fields) {
    const value = input[field];
    if (!Number.isInteger(value) || value < 0 || value > MAX_LEAD_DAYS) {
      throw new CertdeskError('invalid-lead-time', `${label} must be a whole number of days from 0 to ${MAX_LEAD_DAYS}.`);
    }
  }
  return { caTurnaroundDays: input.caTurnaroundDays, clientBuildDays: input.clientBuildDays, marginDays: input.marginDays };
}

/**
 * Where a certificate stands against its plan at `now`:
 * - `planned`: before the act-by date (green);
 * - `act-now`: the act-by date has come: start the renewal now (amber);
 * - `late`: the margin is used up — even with no delay the steps end after expiry (red);
 * - `expired` / `not-yet-valid` (red).
 */
export type ExpiryStage = 'planned' | 'act-now' | 'late' | 'expired' | 'not-yet-valid';

export interface ExpiryPlan {
  /** The act-by moment (ms since the epoch). */
  actBy: number;
  /** Total lead time in days, margin included. */
  leadDays: number;
  /** Whether the renewal needs a client-software build (the root will change). */
  rootChanges: boolean;
  stage: ExpiryStage;
}

/** Total lead time in days for `lead`, with the client build only when the root changes. */
export function leadDays(lead: LeadTimes, rootChanges: boolean): number {
  return lead.caTurnaroundDays + (rootChanges ? lead.clientBuildDays : 0) + UPDATE_WAIT_DAYS + lead.marginDays;
}

/**
 * The plan of a certificate valid from `notBefore` to `notAfter`. Boundaries: at `notAfter`
 * itself the certificate is still valid (RFC 5280 §4.1.2.5: the validity period includes both
 * ends); at the act-by moment the stage is already `act-now`.
 */
export function planExpiry(validity: { notBefore: number; notAfter: number }, lead: LeadTimes, rootChanges: boolean, now: number): ExpiryPlan {
  const total = leadDays(lead, rootChanges);
  const actBy = validity.notAfter - total * DAY;
  const latestStart = validity.notAfter - (total - lead.marginDays) * DAY;
  let stage: ExpiryStage;
  if (now < validity.notBefore) stage = 'not-yet-valid';
  else if (now > validity.notAfter) stage = 'expired';
  else if (now >= latestStart) stage = 'late';
  else if (now >= actBy) stage = 'act-now';
  else stage = 'planned';
  return { actBy, leadDays: total, rootChanges, stage };
}

/**
 * Whether renewing needs a new root in the client software: when the certificate is self-signed
 * (its successor is signed by a CA, or is another self-signed root), when its chain does not
 * reach a root, or when that root is not built into the appliance's client software.
 */
export function renewalChangesRoot(input: { selfIssued: boolean; rootSha256: string | undefined; clientSoftwareRoots: readonly string[] }): boolean {
  if (input.selfIssued) return true;
  return input.rootSha256 === undefined || !input.clientSoftwareRoots.includes(input.rootSha256);
}
