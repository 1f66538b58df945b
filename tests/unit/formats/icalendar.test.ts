import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, formatDate, formatDateTime, writeCalendar } from '../../../src/core/formats/icalendar';
import { CALENDAR_PRODUCT_ID, expiryCalendar, expiryEventUid, type ExpiryEntry } from '../../../src/core/appliance/expiry-calendar';
import { checkICalendar } from '../../support/icalendar';

const octets = (s: string) => new TextEncoder().encode(s).length;

describe('RFC 5545 writing rules', () => {
  it.each([
    { name: 'backslash', input: 'a\\b', want: 'a\\\\b' },
    { name: 'semicolon and comma', input: 'a;b,c', want: 'a\\;b\\,c' },
    { name: 'CRLF, CR and LF become \\n', input: 'a\r\nb\rc\nd', want: 'a\\nb\\nc\\nd' },
    { name: 'colon needs no escape in TEXT', input: 'a:b', want: 'a:b' },
  ])('escapeText: $name', ({ input, want }) => expect(escapeText(input)).toBe(want));

  it('DATE-TIME in UTC with Z, DATE of the UTC day', () => {
    expect(formatDateTime(Date.UTC(2026, 0, 5, 7, 8, 9, 999))).toBe('20260105T070809Z');
    expect(formatDate(Date.UTC(2026, 11, 31, 23, 59))).toBe('20261231');
  });

  it.each([
    { name: 'exactly 75 octets: not folded', line: 'X'.repeat(75), lines: 1 },
    { name: '76 octets: folded once', line: 'X'.repeat(76), lines: 2 },
    { name: 'long ASCII', line: 'DESCRIPTION:' + 'a'.repeat(400), lines: 6 },
    { name: 'multi-byte characters are never split', line: 'SUMMARY:' + 'ä€😀'.repeat(40), lines: 6 },
  ])('foldLine: $name', ({ line, lines }) => {
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical).toHaveLength(lines);
    for (const [i, l] of physical.entries()) {
      expect(octets(l)).toBeLessThanOrEqual(75);
      if (i > 0) expect(l[0]).toBe(' ');
      expect(l).not.toContain('\uFFFD');
    }
    expect(physical.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
    // Every line but the last is filled to the limit (within one character's bytes).
    for (const l of physical.slice(0, -1)) expect(octets(l)).toBeGreaterThan(71);
  });

  it('a minimal calendar passes the strict reading', () => {
    const text = writeCalendar({
      name: 'VCALENDAR',
      properties: [
        { name: 'VERSION', value: '2.0' },
        { name: 'PRODID', value: '-//t//t//EN' },
      ],
      components: [
        { name: 'VEVENT', properties: [{ name: 'UID', value: 'u1' }, { name: 'DTSTAMP', value: '20260101T000000Z' }, { name: 'DTSTART', value: '20260102T000000Z' }, { name: 'SEQUENCE', value: '0' }] },
      ],
    });
    expect(checkICalendar(text).events.map((e) => e.uid)).toEqual(['u1']);
  });

  it('the strict reading refuses bare LF, long lines, unescaped commas and missing properties', () => {
    const ok = expiryCalendar([entry('a')], Date.UTC(2026, 0, 1));
    expect(() => checkICalendar(ok.replace(/\r\n/g, '\n'))).toThrow(/CRLF|bare/);
    expect(() => checkICalendar(ok.replace('VERSION:2.0\r\n', `VERSION:2.0\r\nX-LONG:${'x'.repeat(80)}\r\n`))).toThrow(/75 octets/);
    expect(() => checkICalendar(ok.replace(/SUMMARY:([^\r]*)/, 'SUMMARY:a,b'))).toThrow(/unescaped/);
    expect(() => checkICalendar(ok.replace(/DTSTAMP:[^\r]*\r\n/, ''))).toThrow(/DTSTAMP/);
    expect(() => checkICalendar(ok.replace(/TRIGGER;VALUE=DATE-TIME:[^\r]*/, 'TRIGGER;VALUE=DATE-TIME:20260101'))).toThrow(/DATE-TIME/);
  });
});

function entry(id: string, over: Partial<ExpiryEntry> = {}): ExpiryEntry {
  const notAfter = Date.UTC(2026, 11, 31, 23, 59, 59);
  return {
    applianceId: `appliance-${id}`,
    applianceName: 'Primary, Berlin; rack 4',
    sha256: id.padEnd(64, 'e'),
    friendlyName: `Support "${id}" — Zürich, ünïcödé €`,
    issuer: 'CN=Example CA, O=Example\\Org',
    notAfter,
    plan: { actBy: notAfter - 24 * 86_400_000, leadDays: 24, rootChanges: true },
    ips: ['192.0.2.10', '2001:db8::10'],
    ...over,
  };
}

describe('the expiry calendar', () => {
  const now = Date.UTC(2026, 5, 1, 8, 30);
  const entries = [entry('a'), entry('b', { ips: [] }), entry('c', { plan: { actBy: Date.UTC(2026, 0, 1), leadDays: 14, rootChanges: false } })];

  it('one VEVENT per certificate with VALARMs at act-by and at expiry; a strict parse and ical.js agree', () => {
    const text = expiryCalendar(entries, now);
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:-\/\/Certdesk\/\/Certificate expiry calendar\/\/EN\r\n/);
    expect(text).toContain(`PRODID:${CALENDAR_PRODUCT_ID}`);
    const { events } = checkICalendar(text);
    expect(events.map((e) => e.uid)).toEqual(entries.map(expiryEventUid));
    for (const [i, e] of events.entries()) {
      expect(e.start).toBe(entries[i]!.notAfter);
      expect(e.alarms).toEqual([entries[i]!.plan.actBy, entries[i]!.notAfter]);
      expect(e.summary).toBe(`Certificate expires: ${entries[i]!.friendlyName} (Primary, Berlin; rack 4)`);
    }
    expect(text).toContain(`DTSTAMP:${formatDateTime(now)}`);
  });

  it('UIDs round-trip: a later export has the same UIDs and a higher SEQUENCE, so calendars update instead of duplicating', () => {
    const first = checkICalendar(expiryCalendar(entries, now)).events;
    const again = checkICalendar(expiryCalendar([...entries].reverse(), now + 1000)).events;
    expect(again.map((e) => e.uid).sort()).toEqual(first.map((e) => e.uid).sort());
    expect(again[0]!.sequence).toBe(first[0]!.sequence + 1);
    // The same certificate on another appliance is another event.
    expect(expiryEventUid({ applianceId: 'x', sha256: 'a' })).not.toBe(expiryEventUid({ applianceId: 'y', sha256: 'a' }));
  });

  it('an empty workspace is still a valid calendar', () => expect(checkICalendar(expiryCalendar([], now)).events).toEqual([]));
});
