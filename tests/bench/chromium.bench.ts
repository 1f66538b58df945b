/**
 * The browser paths in Chromium (issue 11), against the production build served by
 * `vite preview`, with real profiles on disk, at 100, 1,000 and 5,000 certificates and 20
 * appliances (chromium-workspace.ts says how the workspaces are made). Every number is the
 * median of RUNS runs; a step that does not finish within DEADLINE is shown as "> DEADLINE"
 * and not run again at that size.
 *
 *   warm offline start   the browser restarted on the profile, offline (the service worker
 *                        serves the app), the Certificates page opened; "first input handled"
 *                        is when the page handled the first real click (DevTools input) that
 *                        landed on the list's first checkbox, clicks being sent there one
 *                        after another from the start (as a person clicking as soon as the
 *                        row is there, without the harness's own delay in noticing the paint);
 *                        the start's phases as the page marks them (when the entry module ran,
 *                        the database was open, the workspace was read: the list's first screen,
 *                        kept from the last start, is painted while the workspace is read)
 *   page switch          a click on a main navigation link until the page is painted
 *   import               Import form → Upload click until the summary is painted and no
 *                        progress is shown: one PEM bundle; ten PEM files imported one after
 *                        another (the time of the ten summed); one file per certificate
 *   longest task         the longest main-thread task (PerformanceObserver 'longtask') in the
 *                        step's window; 0 when none passed 50 ms
 *
 * Environment: CERTDESK_BENCH_DIST (default dist/), CERTDESK_BENCH_SIZES (default
 * 100,1000,5000), CERTDESK_BENCH_RUNS (default 5), CERTDESK_BENCH_DEADLINE_MS (default 120000),
 * CERTDESK_BENCH_STEPS (default warm,create,import: which steps run; the others print "—"),
 * CERTDESK_BENCH_AGAINST (another build's directory: its warm starts and this build's are also
 * run alternately, RUNS each, and printed side by side — whole runs on one machine drift by more
 * than a change is worth, alternate starts share its state).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { startPreview } from '../e2e/support/server';
import { firstPage, openBrowser, waitForServiceWorker, type TestBrowser } from '../e2e/support/browser';
import { median } from './table';
import { START_MARKS, type StartPhase } from '../../src/ui/state/start-marks';
import {
  addProbe,
  centreOf,
  clickAt,
  clickHandled,
  clickUntilHit,
  clicks,
  DeadlineExceeded,
  domElements,
  firstPaint,
  heapAfterGc,
  longestTask,
  pageNow,
  startMarks,
  watchPaint,
  withDeadline,
  type ClickSeen,
} from './chromium-probe';
import {
  addAppliance,
  applianceIds,
  benchCertificates,
  certificateIdByName,
  certificateRecords,
  fillCreate,
  fillExport,
  OTHER_APPLIANCES,
  OTHER_APPLIANCE_CERTIFICATES,
  pem,
  selectors,
  startImport,
  waitForIdle,
  writeCertificates,
} from './chromium-workspace';

const dist = process.env.CERTDESK_BENCH_DIST ?? 'dist';
const sizes = (process.env.CERTDESK_BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const RUNS = Number(process.env.CERTDESK_BENCH_RUNS ?? 5);
const DEADLINE = Number(process.env.CERTDESK_BENCH_DEADLINE_MS ?? 120_000);
const steps = new Set((process.env.CERTDESK_BENCH_STEPS ?? 'warm,create,import').split(','));
const against = process.env.CERTDESK_BENCH_AGAINST;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One measure at every size: the values of each run, or that a run passed the deadline. */
class Measure {
  readonly values = new Map<number, number[]>();
  readonly timedOut = new Set<number>();
  constructor(
    readonly name: string,
    readonly unit: 'ms' | 'MB' | 'elements' | '×' | '/s',
    readonly goal?: string,
  ) {}
  add(size: number, value: number): void {
    this.values.set(size, [...(this.values.get(size) ?? []), value]);
  }
  cell(size: number): string {
    const values = this.values.get(size) ?? [];
    if (this.timedOut.has(size) && values.length === 0) return `> ${DEADLINE / 1000} s`;
    if (values.length === 0) return '—';
    const m = median(values);
    const text = this.unit === 'ms' ? m.toFixed(0) : this.unit === 'MB' ? m.toFixed(1) : this.unit === '×' ? m.toFixed(2) + '×' : m.toFixed(0);
    return `${text}${values.length < RUNS ? ` (${values.length} run${values.length === 1 ? '' : 's'})` : ''}${this.timedOut.has(size) ? ` (+ > ${DEADLINE / 1000} s)` : ''}`;
  }
}

const m = {
  // The start's phases, as the page marks them (src/ui/state/start-marks.ts).
  startEntry: new Measure('warm offline start → entry module run', 'ms'),
  startOpen: new Measure('… database open', 'ms'),
  startRead: new Measure('… workspace read', 'ms'),
  listVisible: new Measure('warm offline start → list painted', 'ms'),
  firstInput: new Measure('warm offline start → first input handled', 'ms', '≤ 300'),
  inputDelay: new Measure('… that click’s input delay', 'ms'),
  startTask: new Measure('longest task, warm start (until 3 s after the list)', 'ms', '≤ 50'),
  elements: new Measure('DOM elements, Certificates page', 'elements', '< 5,000'),
  heap: new Measure('JS heap after GC (page)', 'MB', '< 50'),
  toAppliances: new Measure('page switch Certificates → Appliances', 'ms'),
  toCertificates: new Measure('Certificates page render (Appliances → Certificates)', 'ms', '≤ 100'),
  switchTask: new Measure('longest task, page switches', 'ms', '≤ 50'),
  create: new Measure('create a self-signed RSA-4096 certificate', 'ms'),
  createTask: new Measure('longest task, create', 'ms', '≤ 50'),
  exportP12: new Measure('PKCS#12 export (modern, key + chain)', 'ms'),
  exportTask: new Measure('longest task, export', 'ms', '≤ 50'),
  bundle: new Measure('import one PEM bundle', 'ms', '≤ 30,000 at 5,000'),
  bundleRate: new Measure('… certificates per second', '/s'),
  bundleTask: new Measure('longest task, import bundle', 'ms', '≤ 50'),
  tenFiles: new Measure('import ten PEM files, one after another (sum)', 'ms', '≤ 30,000 at 5,000'),
  tenTask: new Measure('longest task, ten imports', 'ms', '≤ 50'),
  perCertificate: new Measure('import one file per certificate (one import)', 'ms'),
  perCertificateRatio: new Measure('… ÷ one bundle', '×', '≤ 1.5'),
  perCertificateTask: new Measure('longest task, one file per certificate', 'ms', '≤ 50'),
};

export async function browserWithProbe(url: string, profileDir?: string): Promise<{ browser: TestBrowser; page: Page; cdp: CDPSession }> {
  // Tall enough that the list's first row is in view below the expiry timeline: the first click needs no scrolling.
  const viewport = { width: 1440, height: 2000 };
  const browser = await openBrowser(url, profileDir ? { profileDir, viewport } : { viewport });
  await addProbe(browser.context, { firstPaintOf: selectors.listRow, clickTarget: selectors.rowCheckbox });
  const page = await firstPage(browser);
  const cdp = await browser.context.newCDPSession(page);
  return { browser, page, cdp };
}

/** Where the list's first checkbox is, per profile (the same on every start: the page keeps its shape). */
const rowCheckboxAt = new Map<string, { x: number; y: number }>();

/** A profile with the benchmark's workspace of `size` certificates, and its derived state settled. */
export async function prepareProfile(url: string, size: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `certdesk-bench-${size}-`));
  const { browser, page } = await browserWithProbe(url, dir);
  try {
    await page.goto(url + '/#/appliances');
    await waitForServiceWorker(page);
    await page.locator(selectors.appliancesPage).first().waitFor({ timeout: 60_000 });
    for (let i = 1; i <= OTHER_APPLIANCES; i++) await addAppliance(page, i);
    const [first, ...others] = await applianceIds(page);
    const { first: firstDers, other: otherDers } = benchCertificates(size);
    const now = Date.now();
    await writeCertificates(page, await certificateRecords(first!, firstDers, now));
    for (const id of others) await writeCertificates(page, await certificateRecords(id, otherDers, now));
  } finally {
    await browser.close();
  }
  // One start that may compute and keep derived state (a build that keeps none only renders).
  const settle = await browserWithProbe(url, dir);
  try {
    await settle.page.goto(url + '/#/certificates');
    await firstPaint(settle.page, DEADLINE).catch(() => undefined);
    await withDeadline(derivedStateSettled(settle.page), DEADLINE).catch(() => undefined);
    rowCheckboxAt.set(dir, await centreOf(settle.page, selectors.rowCheckbox));
  } finally {
    await settle.browser.close();
  }
  return dir;
}

/** Waits until the build's kept chain statuses (if it keeps any) cover every certificate. */
async function derivedStateSettled(page: Page): Promise<void> {
  for (;;) {
    const state = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('certdesk');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const count = (store: string) =>
        new Promise<number>((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      // Statuses one per record before schema v6; from v6, buckets that count theirs.
      const kept = () =>
        new Promise<number>((resolve, reject) => {
          const request = db.transaction('chainStatuses').objectStore('chainStatuses').getAll();
          request.onsuccess = () => resolve((request.result as { count?: number }[]).reduce((sum, record) => sum + (db.version >= 6 ? (record.count ?? 0) : 1), 0));
          request.onerror = () => reject(request.error);
        });
      const keeps = db.objectStoreNames.contains('chainStatuses');
      const result = keeps ? { certificates: await count('certificates'), statuses: await kept() } : undefined;
      db.close();
      return result;
    });
    if (!state) {
      await sleep(2000);
      return;
    }
    if (state.statuses >= state.certificates) return;
    await sleep(500);
  }
}

/** The browser restarted on `profile`, offline, the Certificates page opened: when its list was painted, and the first click on its first row as handled. */
async function startAndClick({ page, cdp, browser }: Awaited<ReturnType<typeof browserWithProbe>>, url: string, profile: string): Promise<{ painted: number; click: ClickSeen }> {
  await browser.context.setOffline(true);
  await page.goto(url + '/#/certificates', { waitUntil: 'commit', timeout: DEADLINE });
  const click = await clickUntilHit(cdp, rowCheckboxAt.get(profile)!, DEADLINE);
  const painted = await firstPaint(page, DEADLINE);
  return { painted, click };
}

/**
 * When the page first marked each phase of its start, once it marked them all: the list (its
 * first screen kept from the last start) may be painted and answer before the workspace is read.
 * Throws when one is still missing after DEADLINE: the bench measures the app as built.
 */
async function startPhases(page: Page): Promise<Record<StartPhase, number>> {
  await page
    .waitForFunction((names) => Object.values(names).every((name) => performance.getEntriesByName(name, 'mark').length > 0), START_MARKS, { timeout: DEADLINE })
    .catch(() => undefined);
  const marks = await startMarks(page);
  const first = {} as Record<StartPhase, number>;
  for (const phase of Object.keys(marks) as StartPhase[]) {
    const at = marks[phase][0];
    if (at === undefined) throw new Error(`The page marked no ${phase} (${START_MARKS[phase]}).`);
    first[phase] = at;
  }
  return first;
}

async function warmStart(url: string, size: number, profile: string): Promise<void> {
  const opened = await browserWithProbe(url, profile);
  const { browser, page, cdp } = opened;
  try {
    const { painted, click } = await startAndClick(opened, url, profile);
    const phases = await startPhases(page);
    m.startEntry.add(size, phases.entry);
    m.startOpen.add(size, phases.databaseOpen);
    m.startRead.add(size, phases.workspaceRead);
    m.listVisible.add(size, painted);
    m.firstInput.add(size, click.handled);
    m.inputDelay.add(size, click.handled - click.sent);
    await sleep(3000);
    m.startTask.add(size, await longestTask(page, 0, painted + 3000));
    m.elements.add(size, await domElements(page));
    m.heap.add(size, await heapAfterGc(cdp));

    const switchFrom = await pageNow(page);
    const before = (await clicks(page)).length;
    let painted2 = await watchPaint(page, { selector: selectors.appliancesPage });
    await clickAt(page, cdp, selectors.nav('Appliances'));
    let end = await painted2(DEADLINE);
    m.toAppliances.add(size, end - (await clickHandled(page, before + 1, DEADLINE)).sent);
    await sleep(500);
    painted2 = await watchPaint(page, { selector: selectors.listRow });
    await clickAt(page, cdp, selectors.nav('Certificates'));
    end = await painted2(DEADLINE);
    m.toCertificates.add(size, end - (await clickHandled(page, before + 2, DEADLINE)).sent);
    await sleep(1000);
    m.switchTask.add(size, await longestTask(page, switchFrom));
  } finally {
    await browser.close();
  }
}

/** Creates an RSA-4096 certificate, then exports it as PKCS#12, on the large workspace. */
async function createAndExport(url: string, size: number, profile: string, run: number): Promise<void> {
  const { browser, page, cdp } = await browserWithProbe(url, profile);
  try {
    await page.goto(url + '/#/certificates');
    await firstPaint(page, DEADLINE);
    await waitForIdle(page, DEADLINE);
    await sleep(1000);
    const name = `Bench RSA ${run}`;
    await fillCreate(page, name);
    const created = await watchPaint(page, { selector: 'main h1', absent: 'form.create-form, .progress' });
    const before = (await clicks(page)).length;
    await clickAt(page, cdp, 'button:text-is("Create Self-Signed Certificate")');
    const end = await created(DEADLINE);
    const click = await clickHandled(page, before + 1, DEADLINE);
    m.create.add(size, end - click.sent);
    await sleep(1000);
    m.createTask.add(size, await longestTask(page, click.sent, end + 1000));

    const id = await certificateIdByName(page, name);
    if (!id) throw new Error(`${name} was not stored`);
    await page.evaluate((hash) => (location.hash = hash), `#/certificates/export/${encodeURIComponent(id)}`);
    await fillExport(page);
    const exported = await watchPaint(page, { selector: 'p[role="status"]', text: 'Exported', absent: '.progress' });
    const before2 = (await clicks(page)).length;
    await clickAt(page, cdp, 'button:text-is("Export")');
    const end2 = await exported(DEADLINE);
    const click2 = await clickHandled(page, before2 + 1, DEADLINE);
    m.exportP12.add(size, end2 - click2.sent);
    await sleep(1000);
    m.exportTask.add(size, await longestTask(page, click2.sent, end2 + 1000));
  } finally {
    await browser.close();
  }
}

/** Imports `batches` one after another into a fresh profile; returns each import's time and the longest task. */
async function importRun(url: string, batches: { name: string; buffer: Buffer }[][]): Promise<{ times: number[]; longest: number }> {
  const { browser, page, cdp } = await browserWithProbe(url);
  try {
    await page.goto(url + '/#/certificates');
    await firstPaint(page, DEADLINE);
    await waitForIdle(page, DEADLINE);
    const times: number[] = [];
    let longest = 0;
    for (const files of batches) {
      const dismiss = page.getByRole('button', { name: 'Dismiss summary' });
      if (await dismiss.count()) await dismiss.click();
      await startImport(page, files);
      const summary = await watchPaint(page, { selector: 'section[aria-labelledby="import-summary-title"]', absent: '.progress' });
      const before = (await clicks(page)).length;
      await clickAt(page, cdp, 'button:text-is("Upload")');
      const end = await summary(DEADLINE);
      const click = await clickHandled(page, before + 1, DEADLINE);
      times.push(end - click.sent);
      await sleep(1000);
      longest = Math.max(longest, await longestTask(page, click.sent, end + 1000));
    }
    return { times, longest };
  } finally {
    await browser.close();
  }
}

/** A build's warm starts in the interleaved comparison. */
interface Compared {
  label: string;
  url: string;
  profile: string;
  painted: number[];
  input: number[];
}

/** Warm starts of each build, one after another in turn, RUNS each. */
async function interleavedStarts(builds: Compared[]): Promise<void> {
  for (let run = 0; run < RUNS; run++) {
    for (const build of builds) {
      const opened = await browserWithProbe(build.url, build.profile);
      try {
        const { painted, click } = await startAndClick(opened, build.url, build.profile);
        build.painted.push(painted);
        build.input.push(click.handled);
      } finally {
        await opened.browser.close();
      }
    }
  }
}

/** Runs `step` RUNS times at `size`, stopping at the first run past the deadline. */
async function repeat(size: number, measures: Measure[], step: (run: number) => Promise<void>): Promise<void> {
  for (let run = 0; run < RUNS; run++) {
    try {
      await step(run);
    } catch (error) {
      if (!(error instanceof DeadlineExceeded)) throw error;
      for (const measure of measures) measure.timedOut.add(size);
      return;
    }
  }
}

export async function run(): Promise<void> {
  const server = await startPreview(undefined, dist);
  const other = against ? await startPreview(undefined, against) : undefined;
  const profiles: string[] = [];
  const compared = new Map<number, Compared[]>();
  try {
    for (const size of sizes) {
      const started = performance.now();
      console.error(`[chromium] ${size} certificates: preparing the workspace…`);
      const profile = await prepareProfile(server.url, size);
      profiles.push(profile);
      if (other) {
        console.error(`[chromium] ${size}: warm starts of ${against} and ${dist}, alternately…`);
        const otherProfile = await prepareProfile(other.url, size);
        profiles.push(otherProfile);
        const builds: Compared[] = [
          { label: against!, url: other.url, profile: otherProfile, painted: [], input: [] },
          { label: dist, url: server.url, profile, painted: [], input: [] },
        ];
        await interleavedStarts(builds);
        compared.set(size, builds);
      }
      if (steps.has('warm')) console.error(`[chromium] ${size}: warm starts…`);
      if (steps.has('warm')) await repeat(size, [m.listVisible, m.firstInput, m.inputDelay, m.startTask, m.elements, m.heap, m.toAppliances, m.toCertificates, m.switchTask], () =>
        warmStart(server.url, size, profile),
      );
      if (steps.has('create')) console.error(`[chromium] ${size}: create and export…`);
      if (steps.has('create')) await repeat(size, [m.create, m.createTask, m.exportP12, m.exportTask], (i) => createAndExport(server.url, size, profile, i));

      if (!steps.has('import')) continue;
      const { first } = benchCertificates(size);
      const bundle = [{ name: `bundle-${size}.pem`, buffer: Buffer.from(pem(first)) }];
      const tenth = Math.ceil(first.length / 10);
      const ten = Array.from({ length: 10 }, (_, i) => [{ name: `part-${i + 1}.pem`, buffer: Buffer.from(pem(first.slice(i * tenth, (i + 1) * tenth))) }]);
      const single = first.map((der, i) => ({ name: `cert-${String(i).padStart(5, '0')}.pem`, buffer: Buffer.from(pem([der])) }));
      console.error(`[chromium] ${size}: imports…`);
      const bundleTimes: number[] = [];
      await repeat(size, [m.bundle, m.bundleRate, m.bundleTask], async () => {
        const { times, longest } = await importRun(server.url, [bundle]);
        m.bundle.add(size, times[0]!);
        m.bundleRate.add(size, (first.length / times[0]!) * 1000);
        m.bundleTask.add(size, longest);
        bundleTimes.push(times[0]!);
      });
      await repeat(size, [m.tenFiles, m.tenTask], async () => {
        const { times, longest } = await importRun(server.url, ten);
        m.tenFiles.add(size, times.reduce((a, b) => a + b, 0));
        m.tenTask.add(size, longest);
      });
      await repeat(size, [m.perCertificate, m.perCertificateRatio, m.perCertificateTask], async () => {
        const { times, longest } = await importRun(server.url, [single]);
        m.perCertificate.add(size, times[0]!);
        if (bundleTimes.length) m.perCertificateRatio.add(size, times[0]! / median(bundleTimes));
        m.perCertificateTask.add(size, longest);
      });
      console.error(`[chromium] ${size}: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    await server.stop();
    await other?.stop();
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  }
  const columns = sizes.map((s) => s.toLocaleString('en-US'));
  const lines = [
    `\n## Chromium, production build (${dist}), medians of ${RUNS} runs; ${OTHER_APPLIANCES + 1} appliances, the others ${OTHER_APPLIANCE_CERTIFICATES} certificates each`,
    `| measure | ${columns.join(' | ')} | goal |`,
    `|---|${columns.map(() => '---:').join('|')}|---|`,
    ...Object.values(m).map((measure) => `| ${measure.name}${measure.unit === 'ms' ? ' (ms)' : measure.unit === 'MB' ? ' (MB)' : ''} | ${sizes.map((s) => measure.cell(s)).join(' | ')} | ${measure.goal ?? ''} |`),
  ];
  if (compared.size) {
    const pair = (size: number, pick: (build: Compared) => number[]) => {
      const [before, after] = compared.get(size)!.map((build) => median(pick(build)));
      return `${before!.toFixed(0)} → ${after!.toFixed(0)} (${after! - before! >= 0 ? '+' : '−'}${Math.abs(after! - before!).toFixed(0)})`;
    };
    const at = [...compared.keys()];
    lines.push(
      `\n## Warm offline starts, ${against} → ${dist}, alternately, medians of ${RUNS} each`,
      `| measure | ${at.map((s) => s.toLocaleString('en-US')).join(' | ')} |`,
      `|---|${at.map(() => '---:').join('|')}|`,
      `| warm offline start → list painted (ms) | ${at.map((s) => pair(s, (build) => build.painted)).join(' | ')} |`,
      `| warm offline start → first input handled (ms) | ${at.map((s) => pair(s, (build) => build.input)).join(' | ')} |`,
    );
  }
  console.log(lines.join('\n'));
}

if (process.argv[1]?.endsWith('chromium.bench.ts')) await run();
