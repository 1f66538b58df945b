/** The admin's own record of every change: what, which appliance, when. */

export type EventKind =
  | 'workspace-created'
  | 'appliance-added'
  | 'appliance-updated'
  | 'ip-address-added'
  | 'key-created'
  | 'certificate-created'
  | 'request-created'
  | 'certificate-imported'
  | 'key-imported'
  | 'certificate-linked'
  | 'request-fulfilled'
  | 'ips-assigned'
  | 'certificate-deleted'
  | 'certificate-replicated'
  | 'software-update-recorded'
  | 'backup-restored';

export interface EventEntry {
  id: string;
  /** Milliseconds since the epoch. */
  at: number;
  kind: EventKind;
  applianceId?: string;
  /** One sentence for the admin, e.g. "Assigned 192.0.2.10 to Support 2026". */
  message: string;
}

/** A new event entry. */
export function logEvent(
  id: string,
  at: number,
  kind: EventKind,
  message: string,
  applianceId?: string,
): EventEntry {
  const entry: EventEntry = { id, at, kind, message };
  if (applianceId !== undefined) entry.applianceId = applianceId;
  return entry;
}
