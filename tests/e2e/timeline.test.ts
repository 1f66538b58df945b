/**
 * The expiry timeline (issue 14, "expiry at a glance"), as an admin and a screen reader meet it:
 * certificates with different expiries imported through the Import form, then the picture on
 * the Certificates page and on the Appliances page read by role and accessible name and held
 * against the table's own status words; a bar opened from the keyboard; axe, sideways overflow
 * and touch targets at 390, 768 and 1440 px in light and dark, with screenshots of each; and the
 * picture bounded to a page of bars when the list holds many certificates.
 */
import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { appSuite } from './support/suite';
import { horizontalOverflow, screenshot, viewports } from './support/browser';
import { accessibilityViolations, certificateRow, importFiles, smallTouchTargets, waitForIdle } from './support/app';
import { bulkCertificates, pemBundle, type Bulk } from '../support/bulk-certificates';
import { openssl } from '../support/fixtures';
import { addAppliance } from '../bench/chromium-workspace';

const app = appSuite();
const DAY = 86_400_000;
const toneLabel = { ok: 'OK', warn: 'Warning', bad: 'Problem', info: 'Note' } as const;
const toneIcon = { ok: '✓', warn: '▲', bad: '✕', info: '●' } as const;
type Tone = keyof typeof toneLabel;

/**
 * Four server certificates from one CA whose root the client software lacks, so the default lead
 * time is 5 + 10 + 2 + 7 = 24 days (docs/expiry-planning.md): one on plan, one whose act-by date
 * has come, one too late for the whole lead time, one expired.
 */
const expiries = [
  { host: 'planned.example.com', from: -30, to: 300 },
  { host: 'act-now.example.com', from: -70, to: 20 },
  { host: 'late.example.com', from: -80, to: 10 },
  { host: 'expired.example.com', from: -400, to: -5 },
];

async function importExpiries(page: Page): Promise<Bulk> {
  const now = Date.now();
  const bulk = bulkCertificates(expiries.length, new Date(now), (i) => ({
    host: expiries[i]!.host,
    notBefore: new Date(now + expiries[i]!.from * DAY),
    notAfter: new Date(now + expiries[i]!.to * DAY),
  }));
  await importFiles(page, [{ name: 'expiries.pem', buffer: Buffer.from(pemBundle([bulk.root, ...bulk.leaves])), mimeType: 'application/x-pem-file' }]);
  for (const { host } of expiries) await certificateRow(page, host).waitFor();
  return bulk;
}

const nav = (page: Page, name: 'Certificates' | 'Appliances') => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

/** The timeline's bars: the links in its list of certificates. */
function bars(scope: Page | Locator): Locator {
  return scope.getByRole('figure', { name: /Expiry timeline/ }).getByRole('list', { name: /^Certificates of / }).getByRole('link');
}

/** The bar of the certificate named `name` (its accessible name starts with the name and a dash). */
function bar(scope: Page | Locator, name: string): Locator {
  const start = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — `);
  return scope.getByRole('figure', { name: /Expiry timeline/ }).getByRole('list', { name: /^Certificates of / }).getByRole('link', { name: start });
}

/** The expiry word of a table row ("Expires in N days", "Expired", …) with its tone, from the row's status words. */
async function tableExpiryWord(page: Page, name: string): Promise<{ text: string; tone: Tone }> {
  const item = certificateRow(page, name)
    .locator('.status-list li')
    .filter({ hasText: /Expires in|Expired|Not yet valid/ });
  const tone = (await item.getAttribute('class'))!.split(/\s+/).find((c): c is Tone => c in toneLabel)!;
  return { text: (await item.locator('span:last-child').innerText()).trim(), tone };
}

/** Sideways overflow, axe and touch targets of the bars, then full-page screenshots in light and dark. */
async function checkAtWidths(page: Page, name: string, scope: () => Locator): Promise<void> {
  for (const viewport of [viewports.phone, viewports.tablet, viewports.desktop]) {
    await page.setViewportSize(viewport);
    // The picture lays itself out for its new width.
    await expect
      .poll(() => scope().locator('.timeline-frame').first().evaluate((frame) => Number(frame.querySelector('svg')?.getAttribute('width')) === Math.floor(frame.clientWidth)))
      .toBe(true);
    expect(await horizontalOverflow(page), `sideways scroll at ${viewport.width}`).toBe(0);
    for (const box of await bars(scope()).evaluateAll((links) => links.map((link) => link.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.height, `bar height at ${viewport.width}`).toBeGreaterThanOrEqual(44);
      expect(box.width).toBeGreaterThanOrEqual(44);
    }
    // Tick labels never stick out of the picture.
    const overflowingText = await scope()
      .locator('svg.timeline-picture')
      .evaluateAll((svgs) =>
        svgs.flatMap((svg) => {
          const frame = svg.getBoundingClientRect();
          return [...svg.querySelectorAll('text')].map((t) => t.getBoundingClientRect()).filter((b) => b.left < frame.left - 0.5 || b.right > frame.right + 0.5).map((b) => `${b.left}…${b.right}`);
        }),
      );
    expect(overflowingText, `text outside the picture at ${viewport.width}`).toEqual([]);
    const figure = scope().getByRole('figure', { name: /Expiry timeline/ });
    await screenshot(page, `${name}-${viewport.width}`, figure);
    expect(await accessibilityViolations(page), `axe at ${viewport.width}`).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `${name}-${viewport.width}-dark`, figure);
    expect(await accessibilityViolations(page), `axe at ${viewport.width}, dark`).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  }
  await page.setViewportSize(viewports.desktop);
}

describe('the expiry timeline', () => {
  test('Certificates page: the table’s words on each bar, act-by dates, a bar opened from the keyboard; readable at 390, 768 and 1440 px, light and dark', async () => {
    const { browser, page } = await app.open();
    const bulk = await importExpiries(page);
    const figure = page.getByRole('figure', { name: /Expiry timeline/ });
    await figure.waitFor();

    // The same certificates as the table (no filter: all of them), soonest act-by date first.
    const tableNames = await page.locator('table.certificate-table td[data-label="Friendly Name"] > .safe-name > a.row-link').allInnerTexts();
    await expect.poll(() => bars(page).count()).toBe(tableNames.length);
    const barNames = (await bars(page).evaluateAll((links) => links.map((link) => link.getAttribute('aria-label')!))).map((label) => label.split(' — ')[0]!);
    expect([...barNames].sort()).toEqual([...tableNames].sort());
    expect(barNames.slice(0, 4)).toEqual(['expired.example.com', 'late.example.com', 'act-now.example.com', 'planned.example.com']);

    // Each bar says what the table says: the expiry word and its tone (colour, icon and word), the act-by date.
    const seen = new Set<Tone>();
    for (const name of tableNames) {
      const word = await tableExpiryWord(page, name);
      seen.add(word.tone);
      const link = bar(page, name);
      const label = (await link.getAttribute('aria-label'))!;
      expect(label).toContain(`${name} — ${word.text} (${toneLabel[word.tone]})`);
      expect(await link.locator('text.word').textContent()).toBe(`${toneIcon[word.tone]} ${word.text}`);
      expect(await link.locator('text.word').getAttribute('class')).toContain(`tone-${word.tone}`);
      expect(await link.locator('rect.bar, polygon.bar').first().getAttribute('class')).toContain(`tone-${word.tone}`);
      const actByWord = certificateRow(page, name).locator('.status-list li').filter({ hasText: /Act by/ });
      if ((await actByWord.count()) > 0) {
        const date = (await actByWord.locator('span:last-child').innerText()).replace(/^Act by /, '');
        expect(label).toContain(`act-by date ${date}`);
        expect(await certificateRow(page, name).locator('td[data-label="Expires"] .muted').innerText()).toBe(`act by ${date}`);
      } else {
        expect(label).not.toContain('act-by');
      }
    }
    expect([...seen].sort()).toEqual(['bad', 'ok', 'warn']);
    // The dates said are the certificates' own, as the OpenSSL CLI reads them.
    for (const [i, { host }] of expiries.entries()) {
      const dates = openssl(['x509', '-inform', 'DER', '-noout', '-startdate', '-enddate'], bulk.leaves[i]!).stdout;
      const [notBefore, notAfter] = ['notBefore', 'notAfter'].map((field) => Date.parse(new RegExp(`${field}=(.+)`).exec(dates)![1]!));
      const [issued, expires] = await page.evaluate(
        (times) => times.map((ms) => new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' }).format(ms)),
        [notBefore!, notAfter!],
      );
      expect(await bar(page, host).getAttribute('aria-label')).toMatch(new RegExp(`; issued ${issued}, (act-by date \\w+ \\d+, \\d+, )?expire[sd] ${expires}$`));
    }
    // An act-by marker on the bars that have an act-by date inside the picture; today marked once.
    expect(await bar(page, 'act-now.example.com').locator('polygon.act-by').count()).toBe(1);
    expect(await bar(page, 'expired.example.com').locator('polygon.act-by').count()).toBe(0);
    expect(await figure.locator('line.today').count()).toBe(2); // the picture's and the legend's
    expect(await figure.getByText('Today', { exact: true }).count()).toBe(1);
    expect(await figure.locator('.timeline-counts').innerText()).toMatch(/6 certificates:.*2 late, expired or not yet valid.*1 act-by date reached.*3 on plan/s);

    // The list filter applies to the picture too.
    await page.getByLabel('Status').selectOption({ label: 'Needs action (act-by date reached)' });
    await expect.poll(() => bars(page).count()).toBe(3);
    await page.getByLabel('Status').selectOption({ label: 'Any status' });
    await expect.poll(() => bars(page).count()).toBe(6);

    // The same dates as a table, behind a disclosure.
    await figure.getByText('Timeline as a table').click();
    const dataRow = figure.locator('details table tbody tr').filter({ hasText: 'act-now.example.com' });
    expect(await dataRow.locator('td[data-label="Status"]').innerText()).toContain((await tableExpiryWord(page, 'act-now.example.com')).text);
    await figure.getByText('Timeline as a table').click();

    // Keyboard: Tab from the sort control reaches the bars in order; Enter opens the certificate.
    await page.getByLabel('Sort by').focus();
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    const reached: string[] = [];
    for (let i = 0; i < 8 && !(await focusedLabel()).startsWith('act-now.example.com —'); i++) {
      await page.keyboard.press('Tab');
      reached.push((await focusedLabel()).split(' — ')[0]!);
    }
    expect(reached).toEqual(['expired.example.com', 'late.example.com', 'act-now.example.com']);
    expect(await focusedLabel()).toMatch(/^act-now\.example\.com — Expires in \d+ days \(Warning\); issued /);
    // The focus ring, drawn inside the row (an element shot: a full-page one resizes the page).
    await screenshot(page, 'timeline-certificates-focus-1440', figure);
    expect(await focusedLabel()).toMatch(/^act-now\.example\.com — /);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();
    expect(page.url()).toContain('#/certificates/edit/');
    expect(await page.locator('main').innerText()).toContain('act-now.example.com');
    await nav(page, 'Certificates');
    await figure.waitFor();

    await checkAtWidths(page, 'timeline-certificates', () => page.locator('main'));
    // No inline style (the CSP forbids it): SVG presentation attributes and classes only.
    expect(await page.locator('[style]:not([style=""])').evaluateAll((els) => els.map((e) => e.outerHTML.slice(0, 120)))).toEqual([]);
    await page.setViewportSize(viewports.phone);
    await screenshot(page, 'timeline-certificates-page-390');
    await page.setViewportSize(viewports.desktop);
    browser.assertClean();
  }, 240_000);

  test('Appliances page: each appliance its own certificates; a bar of another appliance opens its certificate there', async () => {
    const { browser, page } = await app.open();
    await importExpiries(page);
    await nav(page, 'Appliances');
    await page.getByRole('button', { name: 'Add Appliance' }).click();
    const form = page.getByRole('form', { name: 'Add an appliance' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Backup appliance');
    await form.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Backup' });
    await form.getByRole('textbox', { name: 'Hostname', exact: true }).fill('backup.example.com');
    await form.getByRole('textbox', { name: 'Site hostname', exact: true }).fill('support.example.com');
    await form.getByRole('button', { name: 'Save Appliance' }).click();
    const backup = page.getByRole('region', { name: 'Backup appliance', exact: true });
    await backup.waitFor({ timeout: 30_000 });
    await waitForIdle(page);

    const mine = page.getByRole('region', { name: 'My appliance', exact: true });
    const mineTimeline = mine.getByRole('region', { name: 'Expiry timeline' });
    await expect.poll(() => bars(mineTimeline).count()).toBe(6);
    const backupTimeline = backup.getByRole('region', { name: 'Expiry timeline' });
    // An appliance's timeline is drawn as it comes into view (until then its space is reserved).
    await backupTimeline.scrollIntoViewIfNeeded();
    await expect.poll(() => bars(backupTimeline).count()).toBe(1);
    expect(await bars(backupTimeline).getAttribute('aria-label')).toMatch(/^Factory default — Expires in 36\d\d days \(OK\); issued .*, act-by date .*, expires /);
    expect(await mineTimeline.getByRole('figure').getAttribute('aria-label')).toBeNull();
    expect(await mineTimeline.getByRole('figure', { name: /Certificates of My appliance/ }).count()).toBe(1);

    // The backup's factory default, opened from its bar by keyboard, opens with the backup selected.
    await bars(backupTimeline).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Edit Certificate Configuration' }).waitFor();
    expect(await page.getByLabel('Appliance', { exact: true }).locator('option:checked').innerText()).toContain('Backup appliance');
    await nav(page, 'Appliances');
    await mineTimeline.waitFor();

    await checkAtWidths(page, 'timeline-appliances', () => mine);
    await screenshot(page, 'timeline-appliances-card-1440', mine);
    browser.assertClean();
  }, 240_000);

  test('Appliances page: a timeline out of view is drawn as it scrolls into view, in the space kept for it (no layout shift), at 390 and 1440 px', async () => {
    const { browser, page } = await app.open();
    await nav(page, 'Appliances');
    for (let i = 1; i <= 3; i++) await addAppliance(page, i);
    for (const viewport of [viewports.desktop, viewports.phone]) {
      await page.setViewportSize(viewport);
      // Opened afresh at this width: every card drawn, the timelines out of view kept as space.
      await nav(page, 'Certificates');
      await nav(page, 'Appliances');
      const cards = page.locator('section.appliance-card');
      await expect.poll(() => cards.count()).toBe(4);
      const last = page.getByRole('region', { name: 'Node 3', exact: true }).getByRole('region', { name: 'Expiry timeline' });
      expect(await bars(last).count()).toBe(0);
      expect(await last.innerText()).toContain('1 certificate; the timeline is drawn as it scrolls into view.');
      const kept = (await last.boundingBox())!.height;
      await page.evaluate(() => {
        (globalThis as unknown as { shifts: number }).shifts = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
            if (!entry.hadRecentInput) (globalThis as unknown as { shifts: number }).shifts += entry.value;
          }
        }).observe({ type: 'layout-shift' });
      });
      await last.scrollIntoViewIfNeeded();
      await expect.poll(() => bars(last).count()).toBe(1);
      const drawn = (await last.boundingBox())!.height;
      const shifts = await page.evaluate(() => (globalThis as unknown as { shifts: number }).shifts);
      expect(Math.abs(drawn - kept), `kept ${kept} px, drawn ${drawn} px at ${viewport.width} px`).toBeLessThanOrEqual(4);
      expect(shifts).toBeLessThan(0.001);
      await screenshot(page, `appliances-page-${viewport.width}`);
    }
    await page.setViewportSize(viewports.desktop);
    browser.assertClean();
  }, 240_000);

  test('many certificates: the picture draws one page of the list (same filter), paged, soonest act-by first', async () => {
    const { browser, page } = await app.open();
    const bulk = bulkCertificates(60);
    await importFiles(page, [{ name: 'bulk.pem', buffer: Buffer.from(pemBundle([bulk.root, ...bulk.leaves])), mimeType: 'application/x-pem-file' }]);
    const figure = page.getByRole('figure', { name: /Expiry timeline/ });
    await expect.poll(() => figure.locator('.timeline-counts').innerText()).toMatch(/^62 certificates/);
    expect(await bars(page).count()).toBe(10);
    expect(await figure.locator('svg.timeline-picture rect.bar, svg.timeline-picture polygon.bar').count()).toBeLessThanOrEqual(20);
    // The whole picture is a page of bars, not the list: at most 16 elements a bar and 40 for the axes.
    const svgElements = await figure.locator('svg.timeline-picture *').count();
    expect(svgElements).toBeLessThanOrEqual(10 * 16 + 40);
    await expect.poll(() => figure.getByText('Showing 1–10 of 62.').count()).toBe(1);

    // The first page is the list's first ten by act-by date.
    await page.getByLabel('Sort by').selectOption({ label: 'Act-by date, soonest first' });
    const tableNames = await page.locator('table.certificate-table td[data-label="Friendly Name"] > .safe-name > a.row-link').allInnerTexts();
    const barNames = async () => (await bars(page).evaluateAll((links) => links.map((link) => link.getAttribute('aria-label')!))).map((label) => label.split(' — ')[0]!);
    expect(await barNames()).toEqual(tableNames.slice(0, 10));
    await figure.getByRole('button', { name: /^Next 10/ }).click();
    await expect.poll(barNames).toEqual(tableNames.slice(10, 20));
    await figure.getByRole('button', { name: /^Previous 10/ }).click();
    await expect.poll(barNames).toEqual(tableNames.slice(0, 10));

    // The list's search narrows the picture too.
    await page.getByLabel('Search certificates').fill('host5');
    await expect.poll(() => figure.locator('.timeline-counts').innerText()).toMatch(/^11 certificates/);
    expect((await barNames()).every((name) => name.startsWith('host5'))).toBe(true);
    expect(await bars(page).count()).toBe(10);
    await figure.getByRole('button', { name: /^Next 10/ }).click();
    await expect.poll(barNames).toHaveLength(1);
    await page.setViewportSize(viewports.phone);
    await figure.getByRole('button', { name: /^Previous 10/ }).click();
    await figure.getByText('Timeline as a table').click();
    await expect.poll(() => figure.locator('details table tbody tr').count()).toBe(10);
    expect(await horizontalOverflow(page)).toBe(0);
    // Paging buttons, the disclosure and the table's links are touch targets too.
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'timeline-certificates-paged-390', figure);
    browser.assertClean();
  }, 240_000);
});
