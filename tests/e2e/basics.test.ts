/**
 * The Basics page (the guide's Status > Basics) and its Support Package: the .zip for the
 * vendor holds the chain and a picture of the page, never a private key — checked here with
 * jszip and the OpenSSL CLI on what the browser downloaded.
 */
import { describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { fixture, openssl, projectRoot, tempDir, writeTemp } from '../support/fixtures';
import { appSuite } from './support/suite';
import { firstPage, horizontalOverflow, screenshot, viewports, type TestBrowser } from './support/browser';
import { accessibilityViolations, addIpAddress, importFiles, openApp, smallTouchTargets, waitForIdle, headingLevelSkips } from './support/app';

const app = appSuite();
let browser: TestBrowser;

async function open(viewport: { width: number; height: number } = viewports.desktop): Promise<Page> {
  browser = await app.browser({ viewport });
  const page = await firstPage(browser);
  await openApp(page, app.url, '#/certificates');
  return page;
}

const section = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const flat = async (page: Page, name: string) => (await section(page, name).innerText()).replace(/\s+/g, ' ');
const fingerprint = (pem: Uint8Array | string, inform: 'PEM' | 'DER' = 'PEM') =>
  openssl(['x509', '-inform', inform, '-noout', '-fingerprint', '-sha256'], pem);

describe('Basics', () => {
  test('shows Status > Basics; the Support Package holds the chain and the picture, and no private key although the key is here', async () => {
    const page = await open();
    // The .p12 brings the key and the whole chain: the workspace has the private key.
    await importFiles(page, [{ name: 'server-default.p12', buffer: fixture('openssl-set', 'rsa', 'server-default.p12') }], 'changeit');
    await addIpAddress(page, '192.0.2.10', 'appliance.example.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Basics', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Basics' }).waitFor();

    expect(await flat(page, 'Appliance')).toMatch(/Appliance name My appliance Role Primary Hostname appliance\.example\.com Site hostname support\.example\.com In production No/);
    expect(await flat(page, 'IP addresses')).toMatch(/192\.0\.2\.10 \(appliance\.example\.test\) Factory default, expires .*Factory default/);
    expect(await flat(page, 'Client software')).toMatch(/Roots built in Factory default Update requested Not recorded Update installed Not recorded/);
    await expect.poll(() => flat(page, 'Certificates'), { timeout: 20_000 }).toMatch(/Chain complete/);
    const certificates = await flat(page, 'Certificates');
    expect(certificates).toMatch(/Root certificate, issued to/);
    expect(certificates).toMatch(/Intermediate certificate, issued to/);

    const support = section(page, 'Support Package');
    expect(await support.innerText()).toContain('Do NOT send your private key file');
    const [download] = await Promise.all([page.waitForEvent('download'), support.getByRole('button', { name: 'Support Package' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^certdesk-support-My_appliance-\d{4}-\d{2}-\d{2}\.zip$/);
    const path = join(tempDir('certdesk-support-'), download.suggestedFilename());
    await download.saveAs(path);
    await support.getByRole('status').waitFor();

    const zip = await JSZip.loadAsync(readFileSync(path));
    const names = Object.keys(zip.files).sort();
    expect(names).toHaveLength(4);
    expect(names.filter((n) => n.endsWith('.crt'))).toHaveLength(3);
    expect(names).toContain('status-basics.png');
    const dir = tempDir('certdesk-support-files-');
    for (const name of names) {
      expect(name).not.toMatch(/\.(p12|pfx|key)$/i);
      const bytes = await zip.file(name)!.async('uint8array');
      expect(Buffer.from(bytes).toString('latin1')).not.toMatch(/PRIVATE KEY/);
      // Neither a key nor a PKCS#12 by content, as OpenSSL sees it.
      const file = writeTemp(dir, name, bytes);
      expect(openssl(['pkey', '-in', file, '-noout', '-passin', 'pass:']).status).not.toBe(0);
      expect(openssl(['pkey', '-inform', 'DER', '-in', file, '-noout', '-passin', 'pass:']).status).not.toBe(0);
      expect(openssl(['pkcs12', '-in', file, '-noout', '-passin', 'pass:changeit']).status).not.toBe(0);
    }
    // Each .crt is read by openssl x509, and together they are the leaf, the intermediate and the root.
    const want = ['server.der', 'ica.der', 'root.der'].map((f) => fingerprint(fixture('openssl-set', 'rsa', f), 'DER').stdout);
    const got: string[] = [];
    for (const name of names.filter((n) => n.endsWith('.crt'))) {
      const result = fingerprint(await zip.file(name)!.async('uint8array'));
      expect(result.status, result.stderr).toBe(0);
      got.push(result.stdout);
    }
    expect(got).toEqual(want);
    // The picture is a real PNG, drawn at twice 1,000 px wide.
    const png = await zip.file('status-basics.png')!.async('uint8array');
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(Buffer.from(png).readUInt32BE(16)).toBe(2000);
    expect(Buffer.from(png).readUInt32BE(20)).toBeGreaterThan(600);
    // Kept beside the screenshots, to be looked at.
    mkdirSync(join(projectRoot, 'test-results', 'screenshots'), { recursive: true });
    writeFileSync(join(projectRoot, 'test-results', 'screenshots', 'basics-support-picture.png'), png);

    await screenshot(page, 'basics-1440x900');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    browser!.assertClean();
  });

  test('phone width: no sideways scrolling, targets ≥ 44 px, headings in order', async () => {
    const page = await open(viewports.phone);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Basics', exact: true }).click();
    await section(page, 'Support Package').waitFor();
    await waitForIdle(page);
    await screenshot(page, 'basics-390x844');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'basics-390x844-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await headingLevelSkips(page)).toEqual([]);
    browser!.assertClean();
  });
});
