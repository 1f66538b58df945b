/**
 * An iCalendar writer (RFC 5545) for the few components Certdesk exports: a VCALENDAR of
 * VEVENTs with VALARMs. It does what importers (Thunderbird's ical.js, Outlook, Google Calendar)
 * rely on:
 * - every content line ends in CRLF (§3.1);
 * - lines longer than 75 octets are folded: CRLF followed by one space, never inside a UTF-8
 *   sequence (§3.1);
 * - TEXT values escape backslash, semicolon, comma and newline (§3.3.11);
 * - parameter values with ":", ";" or "," are quoted (§3.2);
 * - DATE-TIME values are written in UTC with the "Z" suffix (§3.3.5, form #2).
 */

/** A property: name, value as it goes on the line (already escaped or formatted), parameters. */
export interface CalendarProperty {
  name: string;
  value: string;
  params?: Readonly<Record<string, string>>;
}

/** A component with its properties in order and its sub-components. */
export interface CalendarComponent {
  name: string;
  properties: readonly CalendarProperty[];
  components?: readonly CalendarComponent[];
}

const encoder = new TextEncoder();

/** A TEXT value escaped per RFC 5545 §3.3.11 (CRLF, CR and LF all become "\n"). */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A UTC DATE-TIME value (§3.3.5 form #2), e.g. 20260115T120000Z; sub-second parts are dropped. */
export function formatDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A DATE value (§3.3.4), e.g. 20260115, of the UTC day of `ms`. */
export function formatDate(ms: number): string {
  return formatDateTime(ms).slice(0, 8);
}

function paramValue(value: string): string {
  // §3.1: param-value = paramtext / quoted-string; DQUOTE cannot appear at all.
  const clean = value.replace(/"/g, "'");
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

/** The unfolded content line of a property. */
export function contentLine(property: CalendarProperty): string {
  const params = Object.entries(property.params ?? {})
    .map(([name, value]) => `;${name}=${paramValue(value)}`)
    .join('');
  return `${property.name}${params}:${property.value}`;
}

/**
 * A content line folded at 75 octets (§3.1): the first line holds at most 75 octets, each
 * continuation line a space and at most 74 more. Splits only between code points.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** The iCalendar text of a component (a VCALENDAR), every line folded and ended by CRLF. */
export function writeCalendar(component: CalendarComponent): string {
  const lines: string[] = [];
  const walk = (c: CalendarComponent) => {
    lines.push(`BEGIN:${c.name}`);
    for (const property of c.properties) lines.push(foldLine(contentLine(property)));
    for (const child of c.components ?? []) walk(child);
    lines.push(`END:${c.name}`);
  };
  walk(component);
  return lines.map((line) => `${line}\r\n`).join('');
}

/** The media type of an iCalendar file (RFC 5545 §8.1). */
export const ICALENDAR_MEDIA_TYPE = 'text/calendar;charset=utf-8';
