/**
 * A strict reading of an iCalendar file (RFC 5545), written from the RFC and independent of
 * Certdesk's writer: octets and line endings (§3.1), folding, the content-line grammar (§3.1,
 * §3.2), component nesting and the properties each component must have (§3.6, §3.6.1, §3.6.6,
 * §3.7), value forms (DATE-TIME §3.3.5, DURATION §3.3.6, INTEGER §3.3.8, TEXT escapes §3.3.11).
 * Then the same text goes through ical.js — Thunderbird's parser — and the events are read from
 * its model, so both readings must agree.
 */
import ICAL from 'ical.js';

export interface CalendarEvent {
  uid: string;
  /** DTSTART, ms since the epoch. */
  start: number;
  /** Each alarm's moment, ms since the epoch, in file order. */
  alarms: number[];
  sequence: number;
  summary: string;
}

const CONTENT_LINE = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*)(?:,(?:"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*))*)*):([^\x00-\x08\x0a-\x1f\x7f]*)$/;
const UTC_DATE_TIME = /^\d{8}T\d{6}Z$/;
const DURATION = /^[+-]?P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$/;
const TEXT_PROPERTIES = new Set(['SUMMARY', 'DESCRIPTION', 'X-WR-CALNAME']);

function fail(message: string): never {
  throw new Error(`Not valid iCalendar: ${message}`);
}

function parseUtc(value: string): number {
  if (!UTC_DATE_TIME.test(value)) fail(`"${value}" is not a UTC DATE-TIME`);
  return Date.UTC(+value.slice(0, 4), +value.slice(4, 6) - 1, +value.slice(6, 8), +value.slice(9, 11), +value.slice(11, 13), +value.slice(13, 15));
}

interface Node {
  name: string;
  properties: { name: string; params: string; value: string }[];
  children: Node[];
}

/** Checks `text` strictly, parses it with ical.js, and returns its events. Throws on any deviation. */
export function checkICalendar(text: string): { events: CalendarEvent[] } {
  const bytes = new TextEncoder().encode(text);
  new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  if (!text.endsWith('\r\n')) fail('the last line does not end in CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  const encoder = new TextEncoder();
  for (const [index, line] of physical.entries()) {
    if (/[\r\n]/.test(line)) fail(`line ${index + 1} has a bare CR or LF`);
    if (encoder.encode(line).length > 75) fail(`line ${index + 1} is longer than 75 octets`);
    if (line === '') fail(`line ${index + 1} is empty`);
  }
  // Unfold (§3.1): CRLF followed by one space or tab is removed.
  const lines: string[] = [];
  for (const line of physical) {
    if (line[0] === ' ' || line[0] === '\t') {
      if (lines.length === 0) fail('the file starts with a continuation line');
      lines[lines.length - 1] += line.slice(1);
    } else lines.push(line);
  }
  const stack: Node[] = [];
  let root: Node | undefined;
  for (const line of lines) {
    const match = CONTENT_LINE.exec(line);
    if (!match) fail(`"${line}" is not a content line`);
    const [, rawName, params, value] = match as unknown as [string, string, string, string];
    const name = rawName.toUpperCase();
    if (name === 'BEGIN') {
      const node: Node = { name: value.toUpperCase(), properties: [], children: [] };
      const parent = stack.at(-1);
      if (parent) parent.children.push(node);
      else if (root) fail('a second top-level component');
      else root = node;
      stack.push(node);
    } else if (name === 'END') {
      if (stack.pop()?.name !== value.toUpperCase()) fail(`END:${value} does not close the open component`);
    } else {
      const open = stack.at(-1);
      if (!open) fail(`${name} outside any component`);
      if (TEXT_PROPERTIES.has(name) && /(^|[^\\])(\\\\)*[;,]/.test(value)) fail(`${name} has an unescaped ";" or ","`);
      if (TEXT_PROPERTIES.has(name) && /\\[^\\;,nN]/.test(value.replace(/\\\\/g, ''))) fail(`${name} has an invalid escape`);
      open.properties.push({ name, params: params.toUpperCase(), value });
    }
  }
  if (stack.length) fail(`${stack.at(-1)!.name} is not closed`);
  if (root?.name !== 'VCALENDAR') fail('the top-level component is not VCALENDAR');
  const once = (node: Node, prop: string) => {
    const found = node.properties.filter((p) => p.name === prop);
    if (found.length !== 1) fail(`${node.name} must have exactly one ${prop}, has ${found.length}`);
    return found[0]!;
  };
  if (once(root, 'VERSION').value !== '2.0') fail('VERSION is not 2.0');
  once(root, 'PRODID');
  const uids = new Set<string>();
  for (const event of root.children) {
    if (event.name !== 'VEVENT') fail(`${event.name} inside VCALENDAR`);
    const uid = once(event, 'UID').value;
    if (uids.has(uid)) fail(`UID ${uid} twice`);
    uids.add(uid);
    parseUtc(once(event, 'DTSTAMP').value);
    parseUtc(once(event, 'DTSTART').value);
    if (!/^\d+$/.test(once(event, 'SEQUENCE').value) || Number(once(event, 'SEQUENCE').value) > 2 ** 31 - 1) fail('SEQUENCE is not a 32-bit INTEGER');
    if (event.properties.some((p) => p.name === 'DTEND') && event.properties.some((p) => p.name === 'DURATION')) fail('both DTEND and DURATION');
    for (const alarm of event.children) {
      if (alarm.name !== 'VALARM') fail(`${alarm.name} inside VEVENT`);
      if (once(alarm, 'ACTION').value === 'DISPLAY') once(alarm, 'DESCRIPTION');
      const trigger = once(alarm, 'TRIGGER');
      if (trigger.params.includes('VALUE=DATE-TIME')) parseUtc(trigger.value);
      else if (!DURATION.test(trigger.value)) fail(`TRIGGER ${trigger.value} is not a DURATION`);
    }
  }

  // The same file through Thunderbird's parser.
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((vevent): CalendarEvent => {
    const event = new ICAL.Event(vevent);
    const start = event.startDate.toJSDate().getTime();
    const alarms = vevent.getAllSubcomponents('valarm').map((alarm) => {
      const trigger = alarm.getFirstPropertyValue('trigger');
      if (trigger instanceof ICAL.Time) return trigger.toJSDate().getTime();
      if (trigger instanceof ICAL.Duration) return start + trigger.toSeconds() * 1000;
      return fail('a TRIGGER ical.js cannot read');
    });
    return { uid: event.uid, start, alarms, sequence: event.sequence, summary: event.summary };
  });
  if (events.map((e) => e.uid).join('\n') !== [...uids].join('\n')) fail('ical.js reads other UIDs');
  return { events };
}
