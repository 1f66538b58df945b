/**
 * The event log in words: a label for each kind (the filter's options and the list's column) and
 * the CSV export (RFC 4180, spreadsheet-safe cells: core/formats/csv.ts).
 */
import { toCsv } from '../../core/formats/csv';
import type { EventEntry, EventKind } from '../../store/workspace';

export const eventKindLabel: Record<EventKind, string> = {
  'workspace-created': 'Workspace created',
  'appliance-added': 'Appliance added',
  'appliance-updated': 'Appliance changed',
  'ip-address-added': 'IP address added',
  'key-created': 'Key created',
  'certificate-created': 'Certificate created',
  'request-created': 'Request created',
  'certificate-imported': 'Certificate imported',
  'key-imported': 'Key imported',
  'certificate-linked': 'Certificate linked to its key',
  'request-fulfilled': 'Request fulfilled',
  'ips-assigned': 'IP addresses assigned',
  'certificate-replaced': 'Certificate replaced',
  override: 'Override',
  'certificate-deleted': 'Certificate deleted',
  'certificate-replicated': 'Certificate replicated',
  'support-package-built': 'Support package built',
  'software-update-recorded': 'Software update recorded',
  'lead-times-updated': 'Lead times changed',
  'backup-restored': 'Backup restored',
};

/** The events as CSV: time (ISO 8601 UTC), appliance, kind, message, before, after, reason. */
export function eventsCsv(events: readonly EventEntry[], applianceName: (id: string | undefined) => string): string {
  return toCsv(
    ['Time (UTC)', 'Appliance', 'Kind', 'What', 'Before', 'After', 'Reason'],
    events.map((e) => [new Date(e.at).toISOString(), applianceName(e.applianceId), eventKindLabel[e.kind], e.message, e.before, e.after, e.reason]),
  );
}
