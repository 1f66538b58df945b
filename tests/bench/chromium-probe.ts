/**
 * What the Chromium benchmark measures inside the page, installed before any of the app's
 * scripts (an init script runs outside the page's Content-Security-Policy):
 *   - every main-thread long task (PerformanceObserver 'longtask': tasks over 50 ms);
 *   - every click as the page handled it: when the input event was created (`timeStamp`), when
 *     the first capturing listener ran, and whether it hit `clickTarget`;
 *   - `waitForPaint(selector)`: the time of the first animation frame after `selector` is in
 *     the document, plus one more frame, i.e. when it was painted.
 * Times are `performance.now()`: milliseconds since the navigation started.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { START_MARKS, type StartPhase } from '../../src/ui/state/start-marks';

export interface LongTask {
  start: number;
  duration: number;
}

export interface ClickSeen {
  /** When the browser created the input event. */
  sent: number;
  /** When the page's first capturing listener ran. */
  handled: number;
  /** Whether it landed on an element matching the probe's `clickTarget`. */
  hit: boolean;
}

interface BenchGlobals {
  __bench: {
    longTasks: LongTask[];
    clicks: ClickSeen[];
    waitForPaint(selector: string, text?: string, absent?: string): Promise<number>;
    pending?: Promise<number>;
    /** When `firstPaintOf` was first painted. */
    firstPaint?: number;
  };
}

/** What the probe watches for: the element whose first paint it times, and the element a click should land on. */
export interface ProbeTargets {
  firstPaintOf: string;
  clickTarget: string;
}

/** The DevTools binding through which the probe tells the harness of each click it sees. */
const CLICK_BINDING = '__benchClick';

/** Installs the probe in every page of `context`, before the page's own scripts. */
export async function addProbe(context: BrowserContext, targets: ProbeTargets): Promise<void> {
  // Functions handed to the page keep their names through the transform's `__name` helper, which the page lacks.
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  await context.addInitScript(installProbe, { ...targets, clickBinding: CLICK_BINDING });
}

/** The init script (a function run in the page before its own scripts: it sees no outer names). */
function installProbe({ firstPaintOf, clickTarget, clickBinding }: ProbeTargets & { clickBinding: string }): void {
  const bench: BenchGlobals['__bench'] = {
    longTasks: [],
    clicks: [],
    waitForPaint(selector, text, absent) {
      const present = () => {
        if (absent && document.querySelector(absent)) return false;
        const found = document.querySelectorAll(selector);
        if (text === undefined) return found.length > 0;
        return [...found].some((element) => element.textContent?.includes(text));
      };
      return new Promise((resolve) => {
        const frame = () => {
          if (present()) requestAnimationFrame(() => resolve(performance.now()));
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },
  };
  (globalThis as unknown as BenchGlobals).__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener(
    'click',
    (event) => {
      const seen = { sent: event.timeStamp, handled: performance.now(), hit: event.target instanceof Element && event.target.matches(clickTarget) };
      bench.clicks.push(seen);
      // Told to the harness at once (a DevTools binding, where `clickUntilHit` added one): asking
      // the page instead would wait for its tasks, and delay the next click by as much.
      (globalThis as unknown as Record<string, ((payload: string) => void) | undefined>)[clickBinding]?.(JSON.stringify(seen));
    },
    true,
  );
  void bench.waitForPaint(firstPaintOf).then((at) => (bench.firstPaint = at));
}

/** When the init script's `firstPaintOf` was first painted (waits for it). */
export function firstPaint(page: Page, timeoutMs: number): Promise<number> {
  return withDeadline(
    page.waitForFunction(() => (globalThis as unknown as BenchGlobals).__bench.firstPaint, undefined, { timeout: 0, polling: 20 }).then((handle) => handle.jsonValue() as Promise<number>),
    timeoutMs,
  );
}

/** When the page marked each phase of its start (src/ui/state/start-marks.ts): every mark of each, in order. */
export function startMarks(page: Page): Promise<Record<StartPhase, number[]>> {
  return page.evaluate(
    (names) => Object.fromEntries(Object.entries(names).map(([phase, name]) => [phase, performance.getEntriesByName(name, 'mark').map((mark) => mark.startTime)])) as Record<StartPhase, number[]>,
    START_MARKS,
  );
}

/** The page's clock now (ms since its navigation started). */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

export function longTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => (globalThis as unknown as BenchGlobals).__bench.longTasks);
}

/** The longest main-thread task that started in [from, to] (0 when none passed 50 ms). */
export async function longestTask(page: Page, from: number, to = Infinity): Promise<number> {
  const tasks = await longTasks(page);
  return Math.max(0, ...tasks.filter((t) => t.start + t.duration >= from && t.start <= to).map((t) => t.duration));
}

export function clicks(page: Page): Promise<ClickSeen[]> {
  return page.evaluate(() => (globalThis as unknown as BenchGlobals).__bench.clicks);
}

/** What to wait for: `selector` present (holding `text`, when given) while `absent` is not. */
export interface PaintCondition {
  selector: string;
  text?: string;
  absent?: string;
}

/**
 * Starts watching, in the page, for the condition to be painted; the returned function resolves
 * with the page time of that paint. Watching starts before the caller's next input is sent.
 */
export async function watchPaint(page: Page, condition: PaintCondition): Promise<(timeoutMs: number) => Promise<number>> {
  await page.evaluate(({ selector, text, absent }) => {
    const bench = (globalThis as unknown as BenchGlobals).__bench;
    bench.pending = bench.waitForPaint(selector, text, absent);
  }, condition);
  return (timeoutMs) => withDeadline(page.evaluate(() => (globalThis as unknown as BenchGlobals).__bench.pending!), timeoutMs);
}

/** Thrown when a step did not finish within the benchmark's deadline. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`not done within ${ms} ms`);
  }
}

/** `work`, or DeadlineExceeded after `ms` (measured in Node: a blocked page cannot delay it). */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(ms)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * A real mouse click at the centre of the first element matching `selector`, sent through the
 * DevTools protocol as input (it queues behind whatever the main thread is doing, as a person's
 * click would). Returns once the browser accepted it, not once the page handled it.
 */
export async function clickAt(page: Page, cdp: CDPSession, selector: string): Promise<void> {
  const target = page.locator(selector).first();
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error(`Nothing to click at ${selector}`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
  await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: 1 });
  await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: 1 });
}

/** The centre of the first element matching `selector`, in the viewport (it must be in view). */
export async function centreOf(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).first().boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport || box.y + box.height > viewport.height) throw new Error(`${selector} is not in view`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Clicks are sent no closer together than this: a click's answer is timed to within it. */
const CLICK_INTERVAL_MS = 10;
/** How long a click the page does not report is waited for before the next is sent. */
const LOST_CLICK_MS = 250;

/**
 * Real mouse clicks at `at`, one after another from now on, until one lands on the probe's
 * `clickTarget`: that click, as the page handled it. A person clicking as soon as something is
 * there; clicks before it land on the page's placeholders, which take no action.
 *
 * Each click is sent once the page has handled the one before (it tells the harness through a
 * DevTools binding, not by being asked: asking waits for the page's own tasks, which added up to
 * a task's worth of the harness's delay to the answer), and at least CLICK_INTERVAL_MS after it.
 */
export async function clickUntilHit(cdp: CDPSession, at: { x: number; y: number }, timeoutMs: number): Promise<ClickSeen> {
  let found: ClickSeen | undefined;
  let stopped = false;
  let handled: () => void = () => undefined;
  const onBinding = (event: { name: string; payload: string }) => {
    if (event.name !== CLICK_BINDING) return;
    const seen = JSON.parse(event.payload) as ClickSeen;
    if (seen.hit) found ??= seen;
    handled();
  };
  cdp.on('Runtime.bindingCalled', onBinding);
  await cdp.send('Runtime.addBinding', { name: CLICK_BINDING });
  const work = (async () => {
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...at });
    while (!found && !stopped) {
      // A click the page never saw (a document being replaced) is not waited for past LOST_CLICK_MS.
      const next = Promise.race([new Promise<void>((resolve) => (handled = resolve)), new Promise((resolve) => setTimeout(resolve, LOST_CLICK_MS))]);
      const spaced = new Promise((resolve) => setTimeout(resolve, CLICK_INTERVAL_MS));
      await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...at, button: 'left', clickCount: 1 });
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at, button: 'left', clickCount: 1 });
      await Promise.all([next, spaced]);
    }
    if (!found) throw new DeadlineExceeded(timeoutMs);
    return found;
  })();
  try {
    return await withDeadline(work, timeoutMs);
  } finally {
    // Past the deadline too: no more clicks are sent.
    stopped = true;
    cdp.off('Runtime.bindingCalled', onBinding);
  }
}

/** Waits until the page has handled `count` clicks; returns the last. */
export async function clickHandled(page: Page, count: number, timeoutMs: number): Promise<ClickSeen> {
  await withDeadline(page.waitForFunction((n) => (globalThis as unknown as BenchGlobals).__bench.clicks.length >= n, count, { timeout: 0, polling: 20 }), timeoutMs);
  const seen = await clicks(page);
  return seen[count - 1]!;
}

/** Elements in the document. */
export function domElements(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length);
}

/** The page's JS heap after a full garbage collection, in MB. */
export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 1024 / 1024;
}
