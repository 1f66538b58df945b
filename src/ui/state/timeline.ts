/**
 * The expiry timeline as numbers: which certificates it draws (the list's rows, soonest act-by
 * first, a page at a time), the stretch of time it shows, the ticks that fit its width, and
 * where each bar, act-by marker, label and the today line go. Pure functions of the rows the
 * list model made (certificate-list.ts): plans, words and tones are the table's, read here and
 * never worked out again, so the picture and the table cannot disagree.
 */
import type { CertificateRow } from './certificate-list';
import { firstRows, sortRows } from './certificate-list';
import { nameDisplay, nameWarningWords } from './name-display';
import { expiryTone, expiryWordsOf, formatDate, toneIcon, toneLabel, type StatusWord, type Tone } from './status-words';

const DAY = 86_400_000;
const MONTH = 30.44 * DAY;

/** Bars drawn at a time on a page of the timeline, unless the page asks for another number. */
export const TIMELINE_PAGE_SIZE = 10;
/** The most bars one picture ever draws, whatever the page asks: the picture stays bounded. */
export const MAX_TIMELINE_BARS = 50;

/** How far back and ahead of today the picture reaches at most; bars beyond end in an arrow. */
export const PAST_LIMIT_DAYS = 365;
/** Two years: every publicly trusted certificate (398 days at most, CA/B Forum BR §6.3.2) fits with room. */
export const FUTURE_LIMIT_DAYS = 730;
/** Today is never at the very edge: at least this much before and after it is shown. */
const MIN_BEHIND_DAYS = 30;
const MIN_AHEAD_DAYS = 60;
/** Room at both ends, as a share of the stretch shown. */
const PAD_SHARE = 0.03;

/** Below this width the labels go above the bars instead of beside them. */
export const NARROW_WIDTH = 560;

/** The fonts of the picture's text; the component draws with these, so measuring and drawing agree. */
export const FONT = {
  name: { size: 14, weight: 600 },
  word: { size: 13, weight: 400 },
  tick: { size: 12, weight: 400 },
  today: { size: 12, weight: 700 },
} as const;
export interface TextFont {
  size: number;
  weight: number;
}
/** The width of `text` in `font`, in CSS pixels: the page measures with a canvas, tests estimate. */
export type MeasureText = (text: string, font: TextFont) => number;

/** The gap between two tick labels, and the tick steps in months, finest first. */
const TICK_GAP = 16;
const TICK_STEPS = [1, 2, 3, 6, 12, 24, 60, 120] as const;

const PAD_X = 8;
const ARROW = 7;
const ACT_BY_SIZE = 8;
const BAR_HEIGHT = 14;
/** The top band: the "Today" label, then the tick labels; rows start below it. */
const TODAY_LABEL_Y = 13;
const TICK_LABEL_Y = 31;
export const AXIS_HEIGHT = 40;
/** Rows are at least 44 px high (the touch target); text lines are this far apart. */
const MIN_ROW_HEIGHT = 48;
/** A narrow row with one line of name and one of words above its bar (as laid out below). */
const NARROW_ROW_HEIGHT = 63;
const LINE = { name: 17, word: 16 } as const;

// ---------------------------------------------------------------------------------------------
// Which certificates

/** Orders already worked out, per list of rows (a page drawn again reads them). */
const orders = new WeakMap<readonly CertificateRow[], CertificateRow[]>();

/** The rows in the timeline's order: soonest act-by date first, replaced ones last (the list's own act-by sort). */
export function timelineOrder(rows: readonly CertificateRow[]): CertificateRow[] {
  let order = orders.get(rows);
  if (!order) orders.set(rows, (order = sortRows(rows, 'act-by')));
  return order;
}

export interface TimelinePage {
  rows: readonly CertificateRow[];
  /** Rows in the list. */
  total: number;
  /** The page shown (from 0), after clamping. */
  page: number;
  pages: number;
  /** Rows a page, after clamping to 1…MAX_TIMELINE_BARS. */
  size: number;
  /** Positions of the first and last row shown, from 1 (0 and 0 when there is none). */
  first: number;
  last: number;
}

/**
 * Page `page` of `rows` in the timeline's order. The first page (what every timeline shows first)
 * is picked in one pass (certificate-list.ts firstRows); the others page the whole order.
 */
export function timelinePageOf(rows: readonly CertificateRow[], page: number, pageSize = TIMELINE_PAGE_SIZE): TimelinePage {
  const first = timelinePage(rows, page, pageSize);
  if (first.page !== 0) return timelinePage(timelineOrder(rows), page, pageSize);
  const known = orders.get(rows);
  return { ...first, rows: known ? known.slice(0, first.size) : firstRows(rows, 'act-by', first.size) };
}

/** Page `page` of `ordered`, `pageSize` rows a page (1 to MAX_TIMELINE_BARS); out-of-range pages clamp. */
export function timelinePage(ordered: readonly CertificateRow[], page: number, pageSize = TIMELINE_PAGE_SIZE): TimelinePage {
  const size = Math.min(MAX_TIMELINE_BARS, Math.max(1, Math.floor(pageSize) || 1));
  const pages = Math.max(1, Math.ceil(ordered.length / size));
  const index = Math.min(Math.max(0, Math.floor(page) || 0), pages - 1);
  const start = index * size;
  const rows = ordered.slice(start, start + size);
  return { rows, total: ordered.length, page: index, pages, size, first: rows.length ? start + 1 : 0, last: start + rows.length };
}

/**
 * How many rows are in each tone of their expiry word: the summary above the picture. The tone
 * is read from each row's plan (status-words.ts expiryTone), not from its words, which the list
 * works out only for the rows it shows: thousands of rows count in well under a millisecond.
 */
export function toneCounts(rows: readonly CertificateRow[]): Record<'ok' | 'warn' | 'bad', number> {
  const counts = { ok: 0, warn: 0, bad: 0 };
  for (const row of rows) counts[expiryTone(row.certificate.plan)]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Time and ticks

export interface TimeWindow {
  start: number;
  end: number;
}

/**
 * The stretch of time drawn for `rows`: from the earliest issue date to the latest expiry, with
 * today inside, but at most PAST_LIMIT_DAYS back and FUTURE_LIMIT_DAYS ahead (a 10-year factory
 * default certificate or a root would squeeze every other bar into a sliver), padded at both ends.
 */
export function timeWindow(rows: readonly CertificateRow[], now: number): TimeWindow {
  let start = now - MIN_BEHIND_DAYS * DAY;
  let end = now + MIN_AHEAD_DAYS * DAY;
  for (const { certificate } of rows) {
    start = Math.min(start, Math.max(certificate.facts.notBefore, now - PAST_LIMIT_DAYS * DAY));
    end = Math.max(end, Math.min(certificate.facts.notAfter, now + FUTURE_LIMIT_DAYS * DAY));
  }
  const pad = (end - start) * PAD_SHARE;
  return { start: start - pad, end: end + pad };
}

/** The x of each moment: `window` mapped linearly onto x0…x1. */
export function timeScale(window: TimeWindow, x0: number, x1: number): (time: number) => number {
  const perMs = (x1 - x0) / (window.end - window.start);
  return (time) => x0 + (time - window.start) * perMs;
}

const monthLabel = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const yearLabel = new Intl.DateTimeFormat(undefined, { year: 'numeric', timeZone: 'UTC' });
/** A wide label of each kind, to space ticks by. */
const SAMPLE_MONTH = monthLabel.format(Date.UTC(2027, 8, 1));
const SAMPLE_YEAR = yearLabel.format(Date.UTC(2027, 0, 1));

/** The finest tick step, in months, whose labels do not crowd `trackWidth` pixels. */
export function tickStepMonths(window: TimeWindow, trackWidth: number, measure: MeasureText = estimateTextWidth): number {
  const pxPerMonth = trackWidth / ((window.end - window.start) / MONTH);
  for (const step of TICK_STEPS) {
    if (pxPerMonth * step >= measure(step < 12 ? SAMPLE_MONTH : SAMPLE_YEAR, FONT.tick) + TICK_GAP) return step;
  }
  return TICK_STEPS.at(-1)!;
}

export interface Tick {
  time: number;
  x: number;
  /** Undefined when the label would not fit inside the picture (the grid line stays). */
  label: string | undefined;
}

/**
 * Ticks at the first of each month (UTC) that is a multiple of the step — every 3 months from
 * January, every year, every 5 years — across `window`. A label that would stick out of
 * 0…`width` is left off.
 */
export function ticks(window: TimeWindow, x0: number, x1: number, width: number, measure: MeasureText = estimateTextWidth): Tick[] {
  const step = tickStepMonths(window, x1 - x0, measure);
  const x = timeScale(window, x0, x1);
  const first = new Date(window.start);
  let month = first.getUTCFullYear() * 12 + first.getUTCMonth();
  month += (step - (month % step)) % step;
  const out: Tick[] = [];
  for (let time = monthStart(month); time <= window.end; month += step, time = monthStart(month)) {
    if (time < window.start) continue;
    const label = (step < 12 ? monthLabel : yearLabel).format(time);
    const half = measure(label, FONT.tick) / 2;
    const at = round(x(time));
    out.push({ time, x: at, label: at - half >= 0 && at + half <= width ? label : undefined });
  }
  return out;
}

const monthStart = (month: number) => Date.UTC(Math.floor(month / 12), month % 12, 1);

// ---------------------------------------------------------------------------------------------
// Text

/** Average advance of a character of the system UI fonts, in em (wide scripts take 1 em), a little generous. */
const CHAR_EM = 0.6;

/** An estimate of the width of `text` where nothing can measure it (tests, before the page has a canvas). */
export const estimateTextWidth: MeasureText = (text, font) => {
  let ems = 0;
  for (const char of text) ems += char.codePointAt(0)! >= 0x2e80 ? 1 : CHAR_EM;
  return ems * font.size * (font.weight >= 600 ? 1.05 : 1);
};

/** Where a line may break: after a space, or after the dots, hyphens and slashes of host names. */
const BREAK_AFTER = /(?<=[ .\-/_@])/;

/**
 * `text` broken into lines no wider than `maxWidth`: after a space, dot, hyphen or slash where it
 * can, inside a word when one alone is too long. Joined, the lines give back `text` exactly (a
 * line broken at a space keeps it at its end), so the drawn text reads as the name that is said.
 */
export function wrapText(text: string, maxWidth: number, font: TextFont, measure: MeasureText = estimateTextWidth): string[] {
  const fits = (candidate: string) => measure(candidate.trimEnd(), font) <= maxWidth;
  const lines: string[] = [];
  let line = '';
  for (const piece of text.split(BREAK_AFTER)) {
    if (line === '' || fits(line + piece)) line += piece;
    else {
      lines.push(line);
      line = piece;
    }
    // One word wider than a line: cut it where it no longer fits.
    while (!fits(line) && [...line.trimEnd()].length > 1) {
      const chars = [...line];
      let cut = chars.length - 1;
      while (cut > 1 && !fits(chars.slice(0, cut).join(''))) cut--;
      lines.push(chars.slice(0, cut).join(''));
      line = chars.slice(cut).join('');
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** The row's words the timeline shows: its expiry word first, then "Replaced" when it was (the table's own words). */
export function timelineWords(row: CertificateRow): StatusWord[] {
  const { expiry } = expiryWordsOf(row.words);
  const replaced = row.certificate.replacedBy === undefined ? undefined : row.words.find((word) => word.text === 'Replaced');
  return [expiry, replaced].filter((word): word is StatusWord => word !== undefined);
}

/**
 * The friendly name as the page shows names (hidden characters made visible), and SafeName's
 * warning when it can deceive ("Look-alike letters in this name"): the picture has no room for
 * SafeName's disclosure, so it says the warning in its words; the exact characters are in the
 * table below it and on the certificate's page.
 */
export function barLabel(row: CertificateRow): { name: string; warning: string | undefined } {
  const verdict = nameDisplay(row.certificate.friendlyName);
  return { name: verdict.text, warning: nameWarningWords(verdict) };
}

/**
 * What a bar shows under the name: the tone's icon shape and the words ("▲ Expires in 19 days"),
 * then the name's warning with its own icon ("· ▲ Look-alike letters in this name").
 */
export function barWords(row: CertificateRow, warning = barLabel(row).warning): string {
  const words = timelineWords(row);
  const shown = `${toneIcon[words[0]?.tone ?? 'info']} ${words.map((word) => word.text).join(' · ')}`;
  return warning === undefined ? shown : `${shown} · ${toneIcon.warn} ${warning}`;
}

/**
 * What a screen reader says for a bar, from the row's own dates and words. It begins with what
 * the bar shows — name, then words — so the visible label is part of the name (WCAG 2.5.3), then
 * the tone in words as StatusWords says it, then the dates:
 * "Support 2026 — Expires in 91 days (OK); issued Mar 1, 2026, act-by date Feb 5, 2027, expires Mar 1, 2027".
 * The act-by date is said where the table's words say it (its "Act by" word); the name is said
 * as the page shows it, with its warning when it can deceive (barLabel). "act-by date", not
 * "act by": the list's filter is labelled "Act by", and a control is found by its label.
 */
export function barName(row: CertificateRow, label = barLabel(row)): string {
  const c = row.certificate;
  const { expiry, actBy } = expiryWordsOf(row.words);
  const words = timelineWords(row).map((word) => (word === expiry ? `${word.text} (${toneLabel[word.tone]})` : word.text));
  if (label.warning !== undefined) words.push(`${label.warning} (${toneLabel.warn})`);
  const dates = [`issued ${formatDate(c.facts.notBefore)}`];
  if (actBy) dates.push(`act-by date ${formatDate(c.plan.actBy)}`);
  dates.push(`${c.plan.stage === 'expired' ? 'expired' : 'expires'} ${formatDate(c.facts.notAfter)}`);
  return `${label.name} — ${words.join(', ')}; ${dates.join(', ')}`;
}

/**
 * The height a timeline of `count` certificates takes before it is drawn, near enough to reserve
 * its space so that drawing it moves nothing (measured at 390, 768 and 1440 px wide, one name
 * line a bar): the caption, counts, legend and table disclosure, the pager when there is more than
 * a page, and the picture's rows, taller on narrow screens where the labels go above the bars.
 */
export function reservedTimelineHeight(count: number, viewportWidth: number, pageSize = TIMELINE_PAGE_SIZE): number {
  const bars = Math.min(count, pageSize, MAX_TIMELINE_BARS);
  const narrow = viewportWidth < 640;
  const around = narrow ? 280 : viewportWidth < 1024 ? 210 : 163;
  const pager = count > pageSize ? (narrow ? 83 : 52) : 0;
  return around + pager + AXIS_HEIGHT + 4 + bars * (narrow ? NARROW_ROW_HEIGHT : MIN_ROW_HEIGHT);
}

// ---------------------------------------------------------------------------------------------
// The picture

export type LabelPlacement = 'beside' | 'above';

/** Labels beside the bars when there is room, above them on narrow screens. */
export function labelPlacement(width: number): LabelPlacement {
  return width < NARROW_WIDTH ? 'above' : 'beside';
}

/** A span along x. */
export interface Span {
  x: number;
  width: number;
}

/** Lines of text and the baseline of each. */
export interface TextLines {
  x: number;
  lines: { text: string; y: number }[];
}

export interface TimelineBar {
  row: CertificateRow;
  /** The accessible name (barName). */
  name: string;
  /** The row's box: the link's target, the whole width. */
  y: number;
  height: number;
  /** The friendly name, wrapped to the label's width. */
  nameText: TextLines;
  /** The tone's icon and the words, wrapped likewise. */
  wordText: TextLines;
  tone: Tone;
  barY: number;
  barHeight: number;
  /** The part of the validity inside the picture, without its arrows; undefined when none is. */
  bar: Span | undefined;
  /** Arrow shapes (polygon points) where the validity goes on beyond the picture. */
  startArrow: string | undefined;
  endArrow: string | undefined;
  /** From the act-by date to expiry: the renewal window, hatched; only where the table shows an act-by date. */
  renewal: Span | undefined;
  /** The act-by marker (a diamond, polygon points), when the act-by date is inside the picture. */
  actBy: { x: number; points: string } | undefined;
}

export interface TimelineLayout {
  width: number;
  height: number;
  placement: LabelPlacement;
  window: TimeWindow;
  /** Where the bars' time axis runs, and how wide the labels may be. */
  track: { x0: number; x1: number };
  labelWidth: number;
  ticks: Tick[];
  /**
   * The today line, drawn over the bars: one stretch from below its label down when labels are
   * beside the bars; on narrow screens a stretch per bar, so that it never runs through a label.
   */
  today: { x: number; labelX: number; labelY: number; anchor: 'start' | 'middle' | 'end'; stretches: { y1: number; y2: number }[] };
  /** Where tick labels stand; grid lines run from just below them. */
  tickLabelY: number;
  bars: TimelineBar[];
}

const round = (value: number) => Math.round(value * 10) / 10;
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * The whole picture of `rows` (one page) at `now`, `width` pixels wide. Wide: labels in a column
 * left of the bars. Narrow (below NARROW_WIDTH): labels above each bar, bars the full width.
 * Labels wrap, so rows grow rather than cut a name.
 */
export function layoutTimeline(rows: readonly CertificateRow[], now: number, width: number, measure: MeasureText = estimateTextWidth): TimelineLayout {
  const placement = labelPlacement(width);
  const labelWidth = placement === 'beside' ? clamp(Math.round(width * 0.3), 160, 300) : width - 2 * PAD_X;
  const x0 = placement === 'beside' ? labelWidth + 2 * PAD_X : PAD_X;
  const x1 = width - PAD_X;
  const window = timeWindow(rows, now);
  const x = timeScale(window, x0, x1);

  let y = AXIS_HEIGHT;
  const bars = rows.map((row): TimelineBar => {
    const c = row.certificate;
    const { actBy } = expiryWordsOf(row.words);
    const tone = timelineWords(row)[0]?.tone ?? 'info';
    // Text: name lines, then word lines; baselines LINE apart.
    const label = barLabel(row);
    const nameLines = wrapText(label.name, labelWidth, FONT.name, measure);
    const wordLines = wrapText(barWords(row, label.warning), labelWidth, FONT.word, measure);
    const firstBaseline = placement === 'beside' ? 19 : 17;
    const wordBaseline = firstBaseline + (nameLines.length - 1) * LINE.name + 18;
    const textBottom = wordBaseline + (wordLines.length - 1) * LINE.word + 4;
    const height = placement === 'beside' ? Math.max(MIN_ROW_HEIGHT, textBottom + 7) : textBottom + 4 + BAR_HEIGHT + 6;
    const barY = y + (placement === 'beside' ? (height - BAR_HEIGHT) / 2 : textBottom + 4);
    const mid = barY + BAR_HEIGHT / 2;
    // The bar, cut with an arrow where the validity goes on beyond the picture.
    const startCut = c.facts.notBefore < window.start;
    const endCut = c.facts.notAfter > window.end;
    let from = clamp(x(c.facts.notBefore), x0, x1);
    let to = clamp(x(c.facts.notAfter), x0, x1);
    // A validity wholly outside the picture still shows its arrow at the near edge.
    if (startCut) to = Math.max(to, from + ARROW);
    if (endCut) from = Math.min(from, to - ARROW);
    const bodyFrom = startCut ? from + ARROW : from;
    const bodyTo = endCut ? to - ARROW : to;
    const actByX = x(c.plan.actBy);
    const renewalFrom = Math.max(actByX, bodyFrom);
    const bar: TimelineBar = {
      row,
      name: barName(row, label),
      y,
      height,
      nameText: { x: PAD_X, lines: nameLines.map((text, i) => ({ text, y: y + firstBaseline + i * LINE.name })) },
      wordText: { x: PAD_X, lines: wordLines.map((text, i) => ({ text, y: y + wordBaseline + i * LINE.word })) },
      tone,
      barY: round(barY),
      barHeight: BAR_HEIGHT,
      bar: bodyTo > bodyFrom ? { x: round(bodyFrom), width: round(Math.max(2, bodyTo - bodyFrom)) } : undefined,
      startArrow: startCut ? points([from + ARROW, barY], [from, mid], [from + ARROW, barY + BAR_HEIGHT]) : undefined,
      endArrow: endCut ? points([to - ARROW, barY], [to, mid], [to - ARROW, barY + BAR_HEIGHT]) : undefined,
      renewal: actBy && bodyTo > renewalFrom ? { x: round(renewalFrom), width: round(bodyTo - renewalFrom) } : undefined,
      actBy:
        actBy && actByX >= x0 && actByX <= x1
          ? { x: round(actByX), points: points([actByX, mid - ACT_BY_SIZE], [actByX + ACT_BY_SIZE, mid], [actByX, mid + ACT_BY_SIZE], [actByX - ACT_BY_SIZE, mid]) }
          : undefined,
    };
    y += height;
    return bar;
  });

  const todayX = round(x(now));
  const half = measure('Today', FONT.today) / 2;
  // The label sits centred on the line unless that would cut it at an edge.
  const anchor = todayX - half < 0 ? 'start' : todayX + half > width ? 'end' : 'middle';
  return {
    width,
    height: y + 4,
    placement,
    window,
    track: { x0, x1 },
    labelWidth,
    // A tick label the today line would run through is left off: the line and its label win.
    ticks: ticks(window, x0, x1, width, measure).map((tick) =>
      tick.label !== undefined && Math.abs(tick.x - todayX) < measure(tick.label, FONT.tick) / 2 + 3 ? { ...tick, label: undefined } : tick,
    ),
    today: {
      x: todayX,
      labelX: anchor === 'start' ? 0 : anchor === 'end' ? width : todayX,
      labelY: TODAY_LABEL_Y,
      anchor,
      stretches:
        placement === 'beside'
          ? [{ y1: TODAY_LABEL_Y + 4, y2: y }]
          : [{ y1: TODAY_LABEL_Y + 4, y2: AXIS_HEIGHT }, ...bars.map((bar) => ({ y1: round(bar.barY - 3), y2: round(bar.barY + BAR_HEIGHT + 5) }))],
    },
    tickLabelY: TICK_LABEL_Y,
    bars,
  };
}

function points(...corners: [number, number][]): string {
  return corners.map(([px, py]) => `${round(px)},${round(py)}`).join(' ');
}
