/**
 * The event log as the Event log page reads it: newest first, for one appliance (the
 * `byAppliance` index, schema v3) or for all (`byAt`), filtered by kind, a page at a time.
 */
import type { EventEntry, EventKind } from '../core/appliance/event-log';
import type { WorkspaceContext } from './context';
import { read } from './database';
import { STORE } from './schema';

export interface EventQuery {
  /** One appliance's events; all events (the workspace's own too) when absent. */
  applianceId?: string;
  /** Only these kinds; every kind when absent or empty. */
  kinds?: readonly EventKind[];
  /** At most this many (default 100). */
  limit?: number;
  /** Only events strictly older than this entry (the last one of the previous page). */
  before?: Pick<EventEntry, 'id' | 'at'>;
}

export interface EventPage {
  events: EventEntry[];
  /** More events match beyond this page. */
  more: boolean;
}

/** A page of the event log, newest first; events at the same moment by id, descending. */
export async function listEvents(ctx: WorkspaceContext, query: EventQuery = {}): Promise<EventPage> {
  ctx.assertOpen();
  const limit = query.limit ?? 100;
  const kinds = query.kinds?.length ? new Set(query.kinds) : undefined;
  const before = query.before;
  return read(ctx.db, [STORE.events], async (t) => {
    const store = t.objectStore(STORE.events);
    const upper = before?.at ?? Infinity;
    const cursorOf = () =>
      query.applianceId !== undefined
        ? store.index('byAppliance').openCursor(IDBKeyRange.bound([query.applianceId, -Infinity], [query.applianceId, upper]), 'prev')
        : store.index('byAt').openCursor(upper === Infinity ? null : IDBKeyRange.upperBound(upper), 'prev');
    // Within one moment the index orders by primary key ascending; collect each moment whole, so
    // the order is stable (at desc, id desc) and paging never skips nor repeats an entry.
    const events: EventEntry[] = [];
    let moment: EventEntry[] = [];
    let more = false;
    const flush = () => {
      moment.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      for (const event of moment) {
        if (before && event.at === before.at && event.id >= before.id) continue;
        if (kinds && !kinds.has(event.kind)) continue;
        if (events.length === limit) {
          more = true;
          return;
        }
        events.push(event);
      }
      moment = [];
    };
    let cursor = await cursorOf();
    while (cursor) {
      const event = cursor.value;
      if (moment.length && moment[0]!.at !== event.at) {
        flush();
        if (more) break;
      }
      moment.push(event);
      cursor = await cursor.continue();
    }
    if (!more) flush();
    return { events, more };
  });
}
