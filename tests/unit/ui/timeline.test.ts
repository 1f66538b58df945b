/**
 * The expiry timeline's layout (src/ui/state/timeline.ts) on rows the list model makes from real
 * certificate facts (openssl-set, EC) with their validity moved: scale, time window, ticks per
 * width, today and act-by positions, label placement and wrapping at narrow widths, the bounded
 * number of bars, and the words and names read from the rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../src/core/appliance/certificate-facts';
import type { CertificateView } from '../../../src/store/workspace';
import { certificateRows, type CertificateRow } from '../../../src/ui/state/certificate-list';
import { expiryTone, expiryWordsOf, formatDate, statusWords } from '../../../src/ui/state/status-words';
import { shownName } from '../../../src/ui/state/name-display';
import {
  AXIS_HEIGHT,
  FONT,
  FUTURE_LIMIT_DAYS,
  MAX_TIMELINE_BARS,
  NARROW_WIDTH,
  PAST_LIMIT_DAYS,
  TIMELINE_PAGE_SIZE,
  barName,
  estimateTextWidth,
  labelPlacement,
  layoutTimeline,
  tickStepMonths,
  ticks,
  timeScale,
  timeWindow,
  timelineOrder,
  timelinePageOf,
  timelinePage,
  toneCounts,
  wrapText,
  type TimelineLayout,
} from '../../../src/ui/state/timeline';
import { DAY, certificateView, loadFacts } from '../appliance/lifecycle-support';

const now = Date.UTC(2026, 10, 26, 12);
let server: CertificateFacts;
let root: CertificateFacts;

/** A server (or root) certificate valid from `from` to `to` days around now, planned with the default lead times. */
function view(name: string, from: number, to: number, over: Partial<CertificateView> = {}, facts: CertificateFacts = server): CertificateView {
  const f = { ...facts, sha256: name.padEnd(64, '0'), notBefore: now + from * DAY, notAfter: now + to * DAY };
  return certificateView(name, f, now, { assignedIps: ['192.0.2.10'], ...over });
}

function rowsOf(views: CertificateView[]): CertificateRow[] {
  return certificateRows(views, new Map(), now);
}

/** The whole act-by order of a copy of `rows` (not the order kept for `rows` itself). */
function sortRowsOf(rows: readonly CertificateRow[]): CertificateRow[] {
  return timelineOrder([...rows]);
}

let rows: CertificateRow[];
const byName = (layout: TimelineLayout, name: string) => layout.bars.find((bar) => bar.row.certificate.friendlyName === name)!;

beforeAll(async () => {
  const facts = await loadFacts();
  server = facts.server;
  root = facts.root;
  // Default lead time, root unchanged: 5 + 2 + 7 = 14 days (docs/expiry-planning.md).
  rows = rowsOf([
    view('planned', -30, 300),
    view('act-now', -70, 12),
    view('late', -80, 5),
    view('expired', -400, -5),
    view('Root CA', -3000, 4000, {}, root),
  ]);
});

describe('which certificates: the list’s rows, soonest act-by first, a bounded page at a time', () => {
  it('orders by act-by date, replaced ones last', () => {
    const withReplaced = rowsOf([view('old', -300, 30, { replacedBy: 'planned' }), view('planned', -30, 300), view('soon', -30, 20)]);
    expect(timelineOrder(withReplaced).map((row) => row.certificate.id)).toEqual(['soon', 'planned', 'old']);
  });

  it('5,000 rows draw one page: never more than MAX_TIMELINE_BARS bars, whatever the page size asked', () => {
    const many = rowsOf(Array.from({ length: 5000 }, (_, i) => view(`host${i}`, -10, 30 + (i % 700))));
    const ordered = timelineOrder(many);
    const first = timelinePage(ordered, 0);
    expect(first.rows).toHaveLength(TIMELINE_PAGE_SIZE);
    expect({ total: first.total, pages: first.pages, first: first.first, last: first.last }).toEqual({ total: 5000, pages: 500, first: 1, last: 10 });
    const huge = timelinePage(ordered, 0, 100_000);
    expect(huge.rows).toHaveLength(MAX_TIMELINE_BARS);
    expect(huge.size).toBe(MAX_TIMELINE_BARS);
    expect(layoutTimeline(huge.rows, now, 1200).bars).toHaveLength(MAX_TIMELINE_BARS);
    // The soonest act-by dates first; later pages follow on.
    const actBys = first.rows.map((row) => row.certificate.plan.actBy);
    expect(actBys).toEqual([...actBys].sort((a, b) => a - b));
    expect(timelinePage(ordered, 1).rows[0]!.certificate.plan.actBy).toBeGreaterThanOrEqual(actBys.at(-1)!);
  });

  it('the first page is picked without sorting the rest: the same rows as the whole order gives, ties by name then id; other pages page the order', () => {
    // Many ties: 40 act-by dates over 1,000 rows, names repeating in different case, some replaced.
    const views = Array.from({ length: 1000 }, (_, i) =>
      view(`c${(i * 7919) % 1000}`, -10, 30 + (i % 40), { friendlyName: `${i % 3 === 0 ? 'Host' : 'host'}${i % 17}.example.com`, ...(i % 9 === 0 ? { replacedBy: 'x' } : {}) }),
    );
    const many = rowsOf(views);
    const ids = (page: { rows: readonly CertificateRow[] }) => page.rows.map((row) => row.certificate.id);
    for (const size of [1, 10, 50]) expect(ids(timelinePageOf(many, 0, size))).toEqual(ids(timelinePage(sortRowsOf(many), 0, size)));
    expect(ids(timelinePageOf(many, 3))).toEqual(ids(timelinePage(sortRowsOf(many), 3)));
    expect(timelinePageOf(many, 0)).toMatchObject({ total: 1000, pages: 100, first: 1, last: 10 });
  });

  it.each([
    { name: 'before the first page', page: -3, want: { page: 0, first: 1, last: 10 } },
    { name: 'past the last page', page: 99, want: { page: 2, first: 21, last: 23 } },
    { name: 'not a number', page: Number.NaN, want: { page: 0, first: 1, last: 10 } },
  ])('a page out of range clamps: $name', ({ page, want }) => {
    const ordered = timelineOrder(rowsOf(Array.from({ length: 23 }, (_, i) => view(`c${i}`, -10, 30 + i))));
    const shown = timelinePage(ordered, page);
    expect({ page: shown.page, first: shown.first, last: shown.last }).toEqual(want);
  });

  it('no rows: one empty page', () => {
    expect(timelinePage([], 0)).toMatchObject({ rows: [], total: 0, pages: 1, first: 0, last: 0 });
  });

  it('counts by the tone of each row’s expiry word', () => {
    expect(toneCounts(rows)).toEqual({ ok: 2, warn: 1, bad: 2 });
    const many = Array.from({ length: 2_000 }, () => rows).flat();
    expect(toneCounts(many)).toEqual({ ok: 4_000, warn: 2_000, bad: 4_000 });
  });

  it('counts each row in the tone its words show, at every stage of the plan', () => {
    // Every stage: expired, not yet valid, late, act-by reached, planned, replaced; and rows whose plan is in step with the words.
    const staged = rowsOf([
      view('expired', -400, -1),
      view('not-yet', 5, 400),
      view('late', -80, 5),
      view('act-now', -70, 12),
      view('planned', -10, 300),
      view('replaced', -10, 300, { replacedBy: 'x' }),
    ]);
    expect(new Set(staged.map((row) => row.certificate.plan.stage))).toEqual(new Set(['expired', 'not-yet-valid', 'late', 'act-now', 'planned']));
    for (const row of staged) {
      const shown = expiryWordsOf(row.words).expiry?.tone;
      expect({ id: row.certificate.id, tone: expiryTone(row.certificate.plan) }).toEqual({ id: row.certificate.id, tone: shown });
    }
    const byWords = { ok: 0, warn: 0, bad: 0 };
    for (const row of staged) byWords[expiryWordsOf(row.words).expiry!.tone as keyof typeof byWords]++;
    expect(toneCounts(staged)).toEqual(byWords);
  });
});

describe('time: the window, its scale and its ticks', () => {
  it('the scale maps the window onto x0…x1 linearly', () => {
    const x = timeScale({ start: 1000, end: 3000 }, 100, 500);
    expect([x(1000), x(2000), x(3000), x(0)]).toEqual([100, 300, 500, -100]);
  });

  it('reaches from the earliest issue to the latest expiry, padded, with today inside', () => {
    const window = timeWindow(rowsOf([view('a', -100, 200), view('b', -20, 300)]), now);
    const span = (now + 300 * DAY) - (now - 100 * DAY);
    expect(window.start).toBeCloseTo(now - 100 * DAY - span * 0.03, -3);
    expect(window.end).toBeCloseTo(now + 300 * DAY + span * 0.03, -3);
  });

  it('keeps today away from the edges even when everything ends soon', () => {
    const window = timeWindow(rowsOf([view('a', -5, 3)]), now);
    expect(window.start).toBeLessThanOrEqual(now - 30 * DAY);
    expect(window.end).toBeGreaterThanOrEqual(now + 60 * DAY);
  });

  it('a root or a 10-year factory default does not squeeze the rest: at most a year back and two ahead', () => {
    const window = timeWindow(rows, now);
    const span = (now + FUTURE_LIMIT_DAYS * DAY) - (now - PAST_LIMIT_DAYS * DAY);
    expect(window.start).toBeCloseTo(now - PAST_LIMIT_DAYS * DAY - span * 0.03, -3);
    expect(window.end).toBeCloseTo(now + FUTURE_LIMIT_DAYS * DAY + span * 0.03, -3);
  });

  it.each([
    // Two years over 1,000 px: 41.7 px a month; "Sep 2027" needs 57.6 + 16 px, so every 2 months.
    { name: 'wide: every 2 months', days: 730, width: 1000, want: 2 },
    // The same over a phone's 342 px: 14.3 px a month; 6 months are 85.6 px.
    { name: 'phone: every 6 months', days: 730, width: 342, want: 6 },
    // Two years over 120 px: 5 px a month; a year (60 px) fits "2027" (28.8 + 16 px).
    { name: 'very narrow: every year', days: 730, width: 120, want: 12 },
    // Twenty years over 300 px: 1.25 px a month; 5 years (75 px) are the first to fit.
    { name: 'a long window: every 5 years', days: 7300, width: 300, want: 60 },
  ])('tick step per width — $name', ({ days, width, want }) => {
    expect(tickStepMonths({ start: now, end: now + days * DAY }, width)).toBe(want);
  });

  it('ticks never crowd: at every width the labels fit between ticks, and the next finer step would not', () => {
    const window = timeWindow(rows, now);
    for (let width = 160; width <= 1600; width += 37) {
      const list = ticks(window, 0, width, width);
      const step = tickStepMonths(window, width);
      const widest = Math.max(...list.map((tick) => (tick.label ? estimateTextWidth(tick.label, FONT.tick) : 0)));
      for (let i = 1; i < list.length; i++) expect(list[i]!.x - list[i - 1]!.x).toBeGreaterThanOrEqual(widest);
      const finer = [1, 2, 3, 6, 12, 24, 60, 120].filter((s) => s < step).at(-1);
      if (finer !== undefined) {
        const pxPerMonth = width / ((window.end - window.start) / (30.44 * DAY));
        const sample = estimateTextWidth(finer < 12 ? 'Sep 2027' : '2027', FONT.tick) + 16;
        expect(pxPerMonth * finer).toBeLessThan(sample);
      }
    }
  });

  it('ticks stand on the first of a month that is a multiple of the step, inside the window, labelled by month or by year', () => {
    const window = { start: Date.UTC(2026, 1, 10), end: Date.UTC(2027, 4, 20) };
    const monthly = ticks(window, 0, 2000, 2000);
    expect(tickStepMonths(window, 2000)).toBe(1);
    expect(monthly[0]!.time).toBe(Date.UTC(2026, 2, 1));
    expect(monthly.at(-1)!.time).toBe(Date.UTC(2027, 4, 1));
    expect(monthly.map((tick) => tick.label)).toContain(new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(2026, 5, 1)));
    const yearly = ticks(window, 0, 150, 150);
    expect(yearly.map((tick) => tick.time)).toEqual([Date.UTC(2027, 0, 1)]);
    expect(yearly[0]!.label).toBe(new Intl.DateTimeFormat(undefined, { year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(2027, 0, 1)));
  });

  it('a tick label that would stick out of the picture is left off; its grid line stays', () => {
    const window = { start: Date.UTC(2025, 11, 29), end: Date.UTC(2026, 11, 20) };
    const list = ticks(window, 0, 1000, 1000);
    expect(list[0]!.x).toBeLessThan(20);
    expect(list[0]!.label).toBeUndefined();
    for (const tick of list.filter((t) => t.label)) {
      const half = estimateTextWidth(tick.label!, FONT.tick) / 2;
      expect(tick.x - half).toBeGreaterThanOrEqual(0);
      expect(tick.x + half).toBeLessThanOrEqual(1000);
    }
  });
});

describe('the picture: bars, today, act-by dates, labels', () => {
  it.each([1440 - 64, 768 - 32, 390 - 32])('bars run from issue to expiry on the scale at %i px; today on the same scale', (width) => {
    const layout = layoutTimeline(rows, now, width);
    const x = timeScale(layout.window, layout.track.x0, layout.track.x1);
    const planned = byName(layout, 'planned');
    expect(planned.bar!.x).toBeCloseTo(x(now - 30 * DAY), 0);
    expect(planned.bar!.x + planned.bar!.width).toBeCloseTo(x(now + 300 * DAY), 0);
    expect([planned.startArrow, planned.endArrow]).toEqual([undefined, undefined]);
    expect(layout.today.x).toBeCloseTo(x(now), 0);
    expect(layout.today.x).toBeGreaterThan(layout.track.x0);
    expect(layout.today.x).toBeLessThan(layout.track.x1);
    // Everything inside the picture.
    for (const bar of layout.bars) {
      if (bar.bar) {
        expect(bar.bar.x).toBeGreaterThanOrEqual(layout.track.x0);
        expect(bar.bar.x + bar.bar.width).toBeLessThanOrEqual(layout.track.x1);
      }
    }
  });

  it('act-by marker and renewal window at the plan’s act-by date, where the table says "Act by"', () => {
    const layout = layoutTimeline(rows, now, 1000);
    const x = timeScale(layout.window, layout.track.x0, layout.track.x1);
    for (const name of ['planned', 'act-now', 'late']) {
      const bar = byName(layout, name);
      expect(bar.actBy!.x).toBeCloseTo(x(bar.row.certificate.plan.actBy), 0);
      expect(bar.renewal!.x).toBeCloseTo(x(bar.row.certificate.plan.actBy), 0);
      expect(bar.renewal!.x + bar.renewal!.width).toBeCloseTo(bar.bar!.x + bar.bar!.width, 0);
      // A diamond centred on the bar.
      expect(bar.actBy!.points.split(' ')).toHaveLength(4);
      expect(bar.actBy!.points).toContain(`${bar.actBy!.x},${bar.barY + bar.barHeight / 2 - 8}`);
    }
    // The expired certificate and the root carry no act-by word, so no marker either.
    for (const name of ['expired', 'Root CA']) {
      expect(expiryWordsOf(byName(layout, name).row.words).actBy).toBeUndefined();
      expect(byName(layout, name).actBy).toBeUndefined();
      expect(byName(layout, name).renewal).toBeUndefined();
    }
  });

  it('validity beyond the picture ends in an arrow; a validity wholly before it is an arrow at the left edge', () => {
    const layout = layoutTimeline(rowsOf([view('long ago', -900, -500), view('ten years', -10, 3650), view('planned', -30, 300)]), now, 800);
    const old = byName(layout, 'long ago');
    expect(old.startArrow).toBeDefined();
    expect(old.endArrow).toBeUndefined();
    expect(old.bar).toBeUndefined();
    expect(old.startArrow!.split(' ').map((p) => Number(p.split(',')[0]))).toContain(layout.track.x0);
    const ten = byName(layout, 'ten years');
    expect(ten.endArrow!.split(' ').map((p) => Number(p.split(',')[0]))).toContain(layout.track.x1);
    expect(ten.bar!.x + ten.bar!.width).toBeCloseTo(layout.track.x1 - 7, 1);
    // Its act-by date (in 2036) is beyond the picture: no marker, no window.
    expect(ten.actBy).toBeUndefined();
    expect(ten.renewal).toBeUndefined();
  });

  it('the today label stays whole near the left edge and centres elsewhere', () => {
    // Issued today, expiring in two years, in a very narrow picture: today is 15 px from the edge.
    const narrow = layoutTimeline(rowsOf([view('fresh', 0, 700)]), now, 120);
    expect(narrow.today.x - estimateTextWidth('Today', FONT.today) / 2).toBeLessThan(0);
    expect(narrow.today).toMatchObject({ anchor: 'start', labelX: 0 });
    const wide = layoutTimeline(rows, now, 1200);
    expect(wide.today).toMatchObject({ anchor: 'middle', labelX: wide.today.x });
  });

  it('a tick label the today line would run through is left off', () => {
    for (const width of [358, 736, 1376]) {
      const layout = layoutTimeline(rows, now, width);
      for (const tick of layout.ticks.filter((t) => t.label)) {
        expect(Math.abs(tick.x - layout.today.x)).toBeGreaterThanOrEqual(estimateTextWidth(tick.label!, FONT.tick) / 2 + 3);
      }
    }
  });

  it(`labels beside the bars from ${NARROW_WIDTH} px, above them below it`, () => {
    expect([labelPlacement(NARROW_WIDTH - 1), labelPlacement(NARROW_WIDTH)]).toEqual(['above', 'beside']);
    const wide = layoutTimeline(rows, now, 1000);
    expect(wide.placement).toBe('beside');
    expect(wide.track.x0).toBe(wide.labelWidth + 16);
    for (const bar of wide.bars) {
      // The bar in the same band as its label, right of the label column.
      expect(bar.barY).toBeGreaterThan(bar.y);
      expect(bar.barY + bar.barHeight).toBeLessThan(bar.y + bar.height);
      expect(bar.nameText.x).toBe(8);
    }
    const narrow = layoutTimeline(rows, now, 358);
    expect(narrow.placement).toBe('above');
    expect(narrow.track).toEqual({ x0: 8, x1: 350 });
    for (const bar of narrow.bars) {
      // Name, then words, then the bar below them, all inside the row.
      const lastWord = bar.wordText.lines.at(-1)!.y;
      expect(bar.wordText.lines[0]!.y).toBeGreaterThan(bar.nameText.lines.at(-1)!.y);
      expect(bar.barY).toBeGreaterThan(lastWord);
      expect(bar.barY + bar.barHeight).toBeLessThanOrEqual(bar.y + bar.height);
    }
  });

  it('rows stack without overlap, each at least 44 px high (the touch target), below the axis', () => {
    for (const width of [358, 736, 1376]) {
      const layout = layoutTimeline(rows, now, width);
      let y = AXIS_HEIGHT;
      for (const bar of layout.bars) {
        expect(bar.y).toBe(y);
        expect(bar.height).toBeGreaterThanOrEqual(44);
        y += bar.height;
      }
      expect(layout.height).toBe(y + 4);
    }
  });

  it('on a phone the today line runs only through the axis and the bars, never through a label', () => {
    const layout = layoutTimeline(rows, now, 358);
    for (const bar of layout.bars) {
      for (const line of [...bar.nameText.lines, ...bar.wordText.lines]) {
        const top = line.y - FONT.name.size;
        const bottom = line.y + 3;
        for (const stretch of layout.today.stretches) expect(stretch.y2 <= top || stretch.y1 >= bottom).toBe(true);
      }
      expect(layout.today.stretches.some((s) => s.y1 <= bar.barY && s.y2 >= bar.barY + bar.barHeight)).toBe(true);
    }
    expect(layoutTimeline(rows, now, 1000).today.stretches).toHaveLength(1);
  });

  it('a long name wraps at dots and hyphens and the row grows; nothing is cut', () => {
    const name = 'a-very-long-friendly-name-for-the-support-portal.internal.example.com';
    for (const width of [358, 600]) {
      const layout = layoutTimeline(rowsOf([view(name, -10, 200), view('short', -10, 100)]), now, width);
      const long = byName(layout, name);
      const lines = long.nameText.lines.map((line) => line.text);
      expect(lines.length).toBeGreaterThan(1);
      expect(lines.join('')).toBe(name);
      for (const line of lines) expect(estimateTextWidth(line.trimEnd(), FONT.name)).toBeLessThanOrEqual(layout.labelWidth);
      for (const line of lines.slice(0, -1)) expect(line).toMatch(/[-.]$/);
      expect(long.height).toBeGreaterThan(byName(layout, 'short').height);
    }
  });
});

describe('text: wrapping', () => {
  it.each([
    { name: 'fits on one line', text: 'Support 2026', width: 200, want: ['Support 2026'] },
    { name: 'breaks after a space, keeping it', text: 'Support portal 2026', width: 110, want: ['Support ', 'portal 2026'] },
    { name: 'breaks after dots', text: 'support.example.com', width: 100, want: ['support.', 'example.com'] },
    { name: 'cuts a word too long for any line', text: 'averyveryverylongword', width: 80, want: ['averyvery', 'verylongw', 'ord'] },
    { name: 'empty', text: '', width: 80, want: [''] },
  ])('$name', ({ text, width, want }) => {
    const lines = wrapText(text, width, FONT.name);
    expect(lines).toEqual(want);
    expect(lines.join('')).toBe(text);
  });

  it('measures with the function it is given (the page’s canvas)', () => {
    const monospace = (text: string) => text.length * 10;
    expect(wrapText('abcd efgh', 45, FONT.name, monospace)).toEqual(['abcd ', 'efgh']);
    expect(wrapText('abcd efgh', 90, FONT.name, monospace)).toEqual(['abcd efgh']);
  });
});

describe('words and names: the table’s, never worked out again', () => {
  it('finds the expiry word and the act-by word among the words statusWords makes', () => {
    const plan = { stage: 'act-now' as const, actBy: now - DAY };
    const words = statusWords({ chain: 'complete', selfSigned: false, factoryDefault: false, notBefore: now - DAY, notAfter: now + 10 * DAY, now, plan, showActBy: true, renews: 'Expired' });
    expect(expiryWordsOf(words)).toEqual({ expiry: { text: 'Expires in 10 days', tone: 'warn' }, actBy: { text: `Act by ${formatDate(now - DAY)}`, tone: 'warn' } });
    expect(expiryWordsOf(statusWords({ chain: 'complete', selfSigned: false, factoryDefault: false, notBefore: now, notAfter: now - 1, now, plan: { stage: 'expired', actBy: 0 } })).expiry).toEqual({ text: 'Expired', tone: 'bad' });
  });

  it('each bar shows its row’s expiry word, with the tone’s icon and colour', () => {
    const layout = layoutTimeline(rows, now, 1000);
    for (const bar of layout.bars) {
      const expiry = expiryWordsOf(bar.row.words).expiry!;
      expect(bar.tone).toBe(expiry.tone);
      expect(bar.wordText.lines.map((line) => line.text).join('')).toBe(`${{ ok: '✓', warn: '▲', bad: '✕', info: '●' }[expiry.tone]} ${expiry.text}`);
    }
    expect(['planned', 'act-now', 'late', 'expired'].map((name) => byName(layout, name).tone)).toEqual(['ok', 'warn', 'bad', 'bad']);
  });

  it('the accessible name: what the bar shows, the tone in words, then the dates', () => {
    const c = rows.find((row) => row.certificate.id === 'act-now')!.certificate;
    expect(barName(rows.find((row) => row.certificate.id === 'act-now')!)).toBe(
      `act-now — Expires in 12 days (Warning); issued ${formatDate(c.facts.notBefore)}, act-by date ${formatDate(c.plan.actBy)}, expires ${formatDate(c.facts.notAfter)}`,
    );
    const expired = rows.find((row) => row.certificate.id === 'expired')!;
    expect(barName(expired)).toBe(`expired — Expired (Problem); issued ${formatDate(expired.certificate.facts.notBefore)}, expired ${formatDate(expired.certificate.facts.notAfter)}`);
    const replaced = rowsOf([view('old', -300, 100, { replacedBy: 'new', assignedIps: [] })])[0]!;
    expect(barName(replaced)).toMatch(/^old — Expires in 100 days \(OK\), Replaced; issued [^;]+, expires [^;]+$/);
    expect(layoutTimeline([replaced], now, 1000).bars[0]!.wordText.lines.map((l) => l.text).join('')).toBe('✓ Expires in 100 days · Replaced');
  });

  it('names are shown as the page shows them: hidden characters made visible, look-alike letters said in words', () => {
    // U+202E (right-to-left override) would draw the rest of the name backwards: "evilmoc.elpmaxe.jpg".
    const hidden = 'evil\u202Egpj.example.com';
    // A Cyrillic "а" (U+0430) in a Latin name.
    const lookAlike = 'p\u0430ypal.example.com';
    const layout = layoutTimeline(rowsOf([view(hidden, -10, 200), view(lookAlike, -10, 100), view('plain.example.com', -10, 150)]), now, 1000);
    const shown = byName(layout, hidden);
    const drawn = shown.nameText.lines.map((line) => line.text).join('');
    expect(drawn).toBe(shownName(hidden));
    expect(drawn).not.toContain('\u202E');
    expect(drawn).toContain('U+202E');
    expect(shown.name.startsWith(`${shownName(hidden)} — `)).toBe(true);
    expect(shown.name).toContain('Hidden characters in this name (Warning)');
    expect(shown.wordText.lines.map((line) => line.text).join('')).toMatch(/^✓ Expires in 200 days · ▲ Hidden characters in this name$/);
    const alike = byName(layout, lookAlike);
    expect(alike.name).toMatch(/^p\u0430ypal\.example\.com — Expires in 100 days \(OK\), Look-alike letters in this name \(Warning\); issued /);
    expect(alike.wordText.lines.map((line) => line.text).join('')).toBe('✓ Expires in 100 days · ▲ Look-alike letters in this name');
    // A safe name carries no warning; the bar's tone stays the expiry word's.
    const plain = byName(layout, 'plain.example.com');
    expect(plain.name).not.toContain('in this name');
    expect([shown.tone, alike.tone, plain.tone]).toEqual(['ok', 'ok', 'ok']);
  });

  it('the name begins with the visible text (WCAG 2.5.3 label in name), at every width', () => {
    const tokens = (text: string) => text.replace(/\([^)]*\)/g, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    for (const width of [358, 1000]) {
      for (const bar of layoutTimeline(rows, now, width).bars) {
        const visible = tokens([...bar.nameText.lines, ...bar.wordText.lines].map((line) => line.text).join(''));
        expect(tokens(bar.name).slice(0, visible.length)).toEqual(visible);
      }
    }
  });
});
