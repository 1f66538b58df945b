/**
 * The expiry timeline at 5,000 certificates (issue 14 with issue 11's size): the picture draws a
 * page of bars, so its cost is ordering the list's rows once plus laying out one page. Goal: one
 * frame (16 ms) for order + page + layout, whatever the number of certificates.
 */
import { printTable, timeSync, type BenchRow } from './table';
import { DEFAULT_LEAD_TIMES, planExpiry } from '../../src/core/appliance/expiry-plan';
import type { CertificateView } from '../../src/store/workspace';
import { certificateRows } from '../../src/ui/state/certificate-list';
import { layoutTimeline, timelineOrder, timelinePage, toneCounts } from '../../src/ui/state/timeline';
import { DAY, certificateView, loadFacts } from '../unit/appliance/lifecycle-support';

export async function run(): Promise<void> {
  const { server } = await loadFacts();
  const now = Date.now();
  const views: CertificateView[] = Array.from({ length: 5000 }, (_, i) => {
    const facts = { ...server, sha256: i.toString(16).padStart(64, '0'), notBefore: now - (i % 300) * DAY, notAfter: now + ((i * 7919) % 800) * DAY - 100 * DAY };
    // Every third certificate's root changes: the longer lead time (docs/expiry-planning.md).
    const plan = planExpiry(facts, DEFAULT_LEAD_TIMES, i % 3 === 0, now);
    return certificateView(`c${i}`, facts, now, { friendlyName: `host${i}.bulk.example.com`, importedAt: i, plan });
  });
  const rows = certificateRows(views, new Map(), now);
  const bench: BenchRow[] = [
    { name: 'list model: 5,000 rows with their words (for comparison: the table’s own cost)', oursMs: timeSync(7, () => certificateRows(views, new Map(), now)) },
    { name: 'timeline: order 5,000 rows by act-by date', oursMs: timeSync(7, () => timelineOrder(rows)) },
    { name: 'timeline: counts by tone over 5,000 rows', oursMs: timeSync(7, () => toneCounts(rows)) },
  ];
  const ordered = timelineOrder(rows);
  for (const width of [1376, 358]) {
    bench.push({
      name: `timeline: order + first page + layout of 10 bars at ${width} px`,
      oursMs: timeSync(7, () => layoutTimeline(timelinePage(timelineOrder(rows), 0).rows, now, width)),
      goalMs: 16,
    });
  }
  bench.push({ name: 'timeline: layout of the largest page (50 bars) at 1376 px', oursMs: timeSync(7, () => layoutTimeline(timelinePage(ordered, 0, 50).rows, now, 1376)), goalMs: 16 });
  printTable('Expiry timeline (5,000 certificates; a page of bars drawn)', bench);
}
