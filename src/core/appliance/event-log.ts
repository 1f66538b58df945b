/** The admin's own record of every change: what, which appliance, when — and for overrides and replacements, what was before, what is after, and why. */

/** Every kind of event, in the order the event log's filter lists them. */
export const EVENT_KINDS = [
  'workspace-created',
  'appliance-added',
  'appliance-updated',
  'ip-address-added',
  'key-created',
  'certificate-created',
  'request-created',
  'certificate-imported',
  'key-imported',
  'certificate-linked',
  'request-fulfilled',
  'ips-assigned',
  'certificate-replaced',
  'override',
  'certificate-deleted',
  'certificate-replicated',
  'support-package-built',
  'software-update-recorded',
  'lead-times-updated',
  'backup-restored',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventEntry {
  id: string;
  /** Milliseconds since the epoch. */
  at: number;
  kind: EventKind;
  applianceId?: string;
  /** One sentence for the admin, e.g. "Assigned 192.0.2.10 to Support 2026". */
  message: string;
  /** For overrides and replacements: the state before the change, in words. */
  before?: string;
  /** … and after it. */
  after?: string;
  /** For overrides: the reason the admin gave. */
  reason?: string;
}

/** What an event may carry besides its sentence. */
export type EventDetails = Pick<EventEntry, 'before' | 'after' | 'reason'>;

/** A new event entry. */
export function logEvent(
  id: string,
  at: number,
  kind: EventKind,
  message: string,
  applianceId?: string,
  details: EventDetails = {},
): EventEntry {
  const entry: EventEntry = { id, at, kind, message };
  if (applianceId !== undefined) entry.applianceId = applianceId;
  if (details.before !== undefined) entry.before = details.before;
  if (details.after !== undefined) entry.after = details.after;
  if (details.reason !== undefined) entry.reason = details.reason;
  return entry;
}
