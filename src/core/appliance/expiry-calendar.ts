/**
 * The expiry calendar: one VEVENT per certificate at its expiry, with an alarm at its act-by
 * date (expiry-plan.ts) and one at expiry, in an iCalendar file (RFC 5545) that calendar apps
 * import. UIDs are stable — the appliance and the certificate's SHA-256 — so importing a newer
 * export updates the events instead of adding copies; SEQUENCE grows with the export time, so
 * clients that compare it (RFC 5546 §2.1.4) take the newer file as the newer revision.
 */
import type { CalendarComponent, CalendarProperty } from '../formats/icalendar';
import { escapeText, formatDate, formatDateTime, writeCalendar } from '../formats/icalendar';
import type { ExpiryPlan } from './expiry-plan';

/** One certificate of one appliance, as the calendar needs it. */
export interface ExpiryEntry {
  applianceId: string;
  applianceName: string;
  sha256: string;
  friendlyName: string;
  issuer: string;
  notAfter: number;
  plan: Pick<ExpiryPlan, 'actBy' | 'leadDays' | 'rootChanges'>;
  ips: readonly string[];
}

/** PRODID (§3.7.3): who wrote the file. */
export const CALENDAR_PRODUCT_ID = '-//Certdesk//Certificate expiry calendar//EN';

/** The stable UID (§3.8.4.7) of a certificate's event: the same certificate on the same appliance, the same UID. */
export function expiryEventUid(entry: Pick<ExpiryEntry, 'applianceId' | 'sha256'>): string {
  return `${entry.sha256}.${entry.applianceId}@certdesk.invalid`;
}

/**
 * Seconds since 2020-01-01 UTC: a SEQUENCE (§3.8.7.4, an INTEGER: 32-bit signed by §3.3.8) that
 * grows with every export and fits until 2088.
 */
function sequenceAt(now: number): number {
  return Math.max(0, Math.floor((now - Date.UTC(2020, 0, 1)) / 1000));
}

function eventOf(entry: ExpiryEntry, now: number): CalendarComponent {
  const actByDate = formatDate(entry.plan.actBy);
  const isoDay = `${actByDate.slice(0, 4)}-${actByDate.slice(4, 6)}-${actByDate.slice(6)}`;
  const description = [
    `Act by ${isoDay}: start renewing "${entry.friendlyName}" on ${entry.applianceName}.`,
    `Lead time ${entry.plan.leadDays} days: CA turnaround${entry.plan.rootChanges ? ', client-software build (the root changes)' : ''}, the 24–48 h wait after the update, and a margin.`,
    `Issued by ${entry.issuer}.`,
    entry.ips.length ? `Serves ${entry.ips.join(', ')}.` : 'Not assigned to an IP address.',
  ].join('\n');
  const text = (name: string, value: string): CalendarProperty => ({ name, value: escapeText(value) });
  return {
    name: 'VEVENT',
    properties: [
      { name: 'UID', value: expiryEventUid(entry) },
      { name: 'DTSTAMP', value: formatDateTime(now) },
      { name: 'LAST-MODIFIED', value: formatDateTime(now) },
      { name: 'SEQUENCE', value: String(sequenceAt(now)) },
      // §3.6.1: a DATE-TIME DTSTART without DTEND ends when it starts: the moment of expiry.
      { name: 'DTSTART', value: formatDateTime(entry.notAfter) },
      text('SUMMARY', `Certificate expires: ${entry.friendlyName} (${entry.applianceName})`),
      text('DESCRIPTION', description),
      { name: 'TRANSP', value: 'TRANSPARENT' },
      { name: 'STATUS', value: 'CONFIRMED' },
    ],
    components: [
      {
        name: 'VALARM',
        properties: [
          { name: 'ACTION', value: 'DISPLAY' },
          text('DESCRIPTION', `Act by today: start renewing ${entry.friendlyName} (${entry.applianceName})`),
          { name: 'TRIGGER', params: { VALUE: 'DATE-TIME' }, value: formatDateTime(entry.plan.actBy) },
        ],
      },
      {
        name: 'VALARM',
        properties: [
          { name: 'ACTION', value: 'DISPLAY' },
          text('DESCRIPTION', `${entry.friendlyName} (${entry.applianceName}) expires now`),
          { name: 'TRIGGER', params: { RELATED: 'START' }, value: 'PT0S' },
        ],
      },
    ],
  };
}

/** The iCalendar file of every entry, stamped `now`. */
export function expiryCalendar(entries: readonly ExpiryEntry[], now: number): string {
  return writeCalendar({
    name: 'VCALENDAR',
    properties: [
      { name: 'VERSION', value: '2.0' },
      { name: 'PRODID', value: CALENDAR_PRODUCT_ID },
      { name: 'CALSCALE', value: 'GREGORIAN' },
      { name: 'METHOD', value: 'PUBLISH' },
      { name: 'X-WR-CALNAME', value: escapeText('Certificate expiry (Certdesk)') },
    ],
    components: entries.map((entry) => eventOf(entry, now)),
  });
}
