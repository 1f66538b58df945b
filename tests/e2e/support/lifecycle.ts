/**
 * Steps of the lifecycle browser tests: screenshots at the phone and desktop widths, reading a
 * request's Request Data, exporting a certificate with its chain as PEM. The strict CSV and
 * iCalendar readers are shared with the unit tests (tests/support/).
 */
import type { Locator, Page } from 'playwright-core';
import { screenshot, viewports } from './browser';
import { certificateRow, waitForIdle } from './app';
import { saveDownload } from './ca';

export { parseCsv } from '../../support/csv';
export { checkICalendar } from '../../support/icalendar';

/**
 * Full-page screenshots NAME-390.png and NAME-1440.png (or the given sizes), with `anchor`
 * scrolled into view; the viewport is restored to the desktop size afterwards.
 */
export async function screenshotsAt(page: Page, name: string, anchor?: Locator, sizes: { width: number; height: number }[] = [viewports.phone, viewports.desktop]): Promise<string[]> {
  const paths: string[] = [];
  for (const size of sizes) {
    await page.setViewportSize(size);
    if (anchor) await anchor.scrollIntoViewIfNeeded();
    paths.push(await screenshot(page, `${name}-${size.width}`));
  }
  await page.setViewportSize(viewports.desktop);
  return paths;
}

/** The Request Data (PEM) of the request named `name`, from its details page. */
export async function requestPem(page: Page, name: string): Promise<string> {
  await page.getByRole('region', { name: 'Certificate Requests' }).getByRole('link', { name, exact: true }).click();
  return page.getByLabel('Request Data').inputValue();
}

/** Exports the certificate named `name` with its chain as PEM through Select Action → Export; returns the file. */
export async function exportPem(page: Page, name: string): Promise<Buffer> {
  await certificateRow(page, name).getByRole('checkbox', { name }).check();
  await page.getByLabel('Select Action').selectOption({ label: 'Export' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('heading', { name: 'Export', level: 1 }).waitFor();
  const chain = page.getByRole('checkbox', { name: 'Include Certificate Chain' });
  if (!(await chain.isChecked())) await chain.click();
  await page.getByLabel('Format').selectOption({ label: 'PEM' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  await waitForIdle(page);
  return (await saveDownload(download)).bytes;
}
