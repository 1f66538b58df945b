/**
 * How files reach Certdesk from outside its Import form, and leave it: opened from the operating
 * system (launch queue), shared to it (share target, offline), pasted or dropped anywhere on the
 * Certificates page, and shared out (Web Share). Plus the Install button and installability.
 * All with real files from ../shared/fixtures; each arrival must reach the same import summary
 * as the Import form.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Download, Page } from 'playwright-core';
import { fixture, fixtureText, openssl, tempDir, writeTemp } from '../support/fixtures';
import { makeZip } from '../support/zip';
import { appSuite } from './support/suite';
import { firstPage, horizontalOverflow, screenshot, viewports, waitForServiceWorker, type TestBrowser } from './support/browser';
import { accessibilityViolations, createRequest, importSummaryText, openApp, smallTouchTargets, waitForIdle } from './support/app';

const app = appSuite();
let browser: TestBrowser;

/** A file handed to the page: name, MIME type and bytes as base64 (evaluate() takes JSON). */
interface PageFile {
  name: string;
  type: string;
  base64: string;
}

const pageFile = (name: string, bytes: Uint8Array, type = 'application/octet-stream'): PageFile => ({
  name,
  type,
  base64: Buffer.from(bytes).toString('base64'),
});

const summary = (page: Page) => page.getByRole('region', { name: 'Import summary' });

async function saveDownload(download: Download): Promise<Buffer> {
  const path = join(tempDir('certdesk-download-'), download.suggestedFilename());
  await download.saveAs(path);
  return readFileSync(path);
}

/** Dispatches a DragEvent sequence carrying `files` at the Certificates heading (not a form). */
async function dragFiles(page: Page, files: PageFile[], types: ('dragenter' | 'dragover' | 'dragleave' | 'drop')[]): Promise<boolean[]> {
  return page.evaluate(
    ({ files, types }) => {
      const transfer = new DataTransfer();
      for (const file of files) {
        transfer.items.add(new File([Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))], file.name, { type: file.type }));
      }
      const target = document.querySelector('h1')!;
      return types.map((type) => target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer })));
    },
    { files, types },
  );
}

/** Dispatches a paste at `selector`; true when the page took it (preventDefault). */
async function paste(page: Page, selector: string, content: { text: string } | { files: PageFile[] }): Promise<boolean> {
  return page.evaluate(
    ({ selector, content }) => {
      const transfer = new DataTransfer();
      if ('text' in content) transfer.setData('text/plain', content.text);
      else {
        for (const file of content.files) {
          transfer.items.add(new File([Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))], file.name, { type: file.type }));
        }
      }
      const event = new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: transfer });
      return !document.querySelector(selector)!.dispatchEvent(event);
    },
    { selector, content },
  );
}

/** The Import form asks for the .p12's password with the file already chosen; the admin types it. */
async function answerPasswordRequest(page: Page, fileName: string): Promise<void> {
  await expect.poll(() => page.getByRole('alert').innerText()).toContain(`${fileName}: This file is a PKCS#12 archive and needs its password.`);
  await expect.poll(() => page.getByRole('list', { name: 'Files to upload' }).innerText()).toContain(fileName);
  const password = page.getByLabel('Password', { exact: true });
  await expect.poll(() => password.evaluate((element) => element === document.activeElement)).toBe(true);
  await password.fill('changeit');
  await page.getByRole('button', { name: 'Upload' }).click();
  await waitForIdle(page);
  await expect.poll(() => importSummaryText(page)).toMatch(/Linked: 1 .*Private keys added: 1/);
}

describe('files from outside the Import form', () => {
  test("opened from the operating system: the launch queue's consumer (the app's own, recorded by an init script, since Chromium delivers launchQueue files only to an installed app) given real FileSystemFileHandles imports them like the Import form, and a .p12 asks for its password", async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    // The app registers its consumer with the real window.launchQueue; keep a reference to call it.
    await page.addInitScript(() => {
      const proto = (globalThis as unknown as { LaunchQueue: { prototype: { setConsumer(consumer: unknown): void } } }).LaunchQueue.prototype;
      const setConsumer = proto.setConsumer;
      proto.setConsumer = function (consumer) {
        (globalThis as unknown as { launchConsumer: unknown }).launchConsumer = consumer;
        setConsumer.call(this, consumer);
      };
    });
    // Opened while another page is shown: the files still land on the Certificates page's summary.
    await page.goto(app.url + '/#/basics');
    await page.getByRole('heading', { level: 1, name: 'Basics' }).waitFor();
    const reply = makeZip([
      { name: 'reply/server.pem', bytes: fixture('openssl-set', 'rsa', 'server.pem') },
      { name: 'reply/ca-bundle.pem', bytes: fixture('openssl-set', 'rsa', 'ca-bundle.pem') },
    ]);
    const files = [
      pageFile('ca-bundle.pem', fixture('openssl-set', 'ec', 'ca-bundle.pem')),
      pageFile('server.der', fixture('openssl-set', 'ec', 'server.der')),
      pageFile('server-default.p12', fixture('openssl-set', 'ec', 'server-default.p12')),
      pageFile('reply.zip', reply),
    ];
    await page.evaluate(async (files) => {
      // Real handles, as the platform gives: files in the origin private file system.
      const root = await navigator.storage.getDirectory();
      const handles: FileSystemFileHandle[] = [];
      for (const file of files) {
        const handle = await root.getFileHandle(file.name, { create: true });
        const writable = await handle.createWritable();
        await writable.write(Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)));
        await writable.close();
        handles.push(handle);
      }
      const consumer = (globalThis as unknown as { launchConsumer: (params: { files: FileSystemHandle[]; targetURL: string }) => Promise<void> }).launchConsumer;
      await consumer({ files: handles, targetURL: location.origin + '/' });
    }, files);

    await summary(page).waitFor({ timeout: 60_000 });
    await waitForIdle(page);
    expect(page.url()).toMatch(/#\/certificates$/);
    const text = await importSummaryText(page);
    expect(text).toContain('Opened with Certdesk from your files.');
    expect(text).toMatch(/Added: 6 · Linked: 0 · Already present: 0 · Rejected: 1/);
    expect(text).toContain('ca-bundle.pem: 2 added');
    expect(text).toContain('server.der: 1 added');
    expect(text).toContain('reply.zip/reply/server.pem: 1 added');
    expect(text).toContain('reply.zip/reply/ca-bundle.pem: 2 added');
    expect(text).toContain('server-default.p12: ✕ rejected — This file is a PKCS#12 archive and needs its password.');
    await screenshot(page, 'pwa-launch-password');
    await answerPasswordRequest(page, 'server-default.p12');
    browser.assertClean();
  });

  test('shared from another app: a multipart POST to the share target while offline reaches the import summary', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await openApp(page, app.url);
    await waitForServiceWorker(page);
    // A later visit, as every visit after the first: this window is served by the service worker too.
    await page.reload();
    await waitForIdle(page);
    const restore = await app.offline(browser);
    try {
      // The share sheet navigates the app's window with a multipart POST; an empty page stands in for it.
      const share = await browser.newPage();
      await share.setContent(
        `<form method="post" enctype="multipart/form-data" action="${app.url}/share-target">` +
          `<input type="file" name="certificates" multiple><textarea name="text"></textarea><input name="title" value="Fwd: your certificate"></form>`,
      );
      await share.evaluate(
        ({ files, text }) => {
          const transfer = new DataTransfer();
          for (const file of files) {
            transfer.items.add(new File([Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))], file.name, { type: file.type }));
          }
          document.querySelector<HTMLInputElement>('input[type=file]')!.files = transfer.files;
          document.querySelector('textarea')!.value = text;
          document.querySelector('form')!.submit();
        },
        {
          files: [pageFile('server-fullchain.p7b', fixture('openssl-set', 'rsa', 'server-fullchain.p7b'), 'application/x-pkcs7-certificates')],
          text: 'From the CA:\n' + fixtureText('openssl-set', 'ec', 'root.pem'),
        },
      );
      await summary(share).waitFor({ timeout: 60_000 });
      await waitForIdle(share);
      const text = await importSummaryText(share);
      expect(text).toContain('Shared to Certdesk from another app.');
      expect(text).toMatch(/Added: 4 · Linked: 0 · Already present: 0 · Rejected: 0/);
      expect(text).toContain('server-fullchain.p7b: 3 added');
      expect(text).toContain('Shared text: 1 added');
      // The share is picked up once: the address no longer names it and the files are gone.
      expect(new URL(share.url()).search).toBe('');
      expect(await share.evaluate(async () => (await (await caches.open('certdesk-shared-files')).keys()).length)).toBe(0);
      await screenshot(share, 'pwa-share-target-offline');
    } finally {
      await restore();
    }
    browser.assertClean();
  });

  test('pasted or dropped anywhere on the Certificates page: PEM text, base64, a DER file and a .p12 (which asks for its password); a paste into a text field stays a paste', async () => {
    browser = await app.browser({ viewport: viewports.phone });
    const page = await firstPage(browser);
    await openApp(page, app.url);

    expect(await paste(page, 'body', { text: fixtureText('openssl-set', 'ec', 'ca-bundle.pem') })).toBe(true);
    await expect.poll(() => importSummaryText(page)).toContain('Pasted text: 2 added');
    expect(await importSummaryText(page)).toContain('Pasted onto the Certificates page.');
    // The summary is where the keyboard is now (focused once it is drawn).
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Import summary');

    // Bare base64 (no PEM armour) of a DER root, as some portals show it.
    expect(await paste(page, 'h1', { text: Buffer.from(fixture('openssl-set', 'rsa', 'root.der')).toString('base64') })).toBe(true);
    await expect.poll(() => importSummaryText(page)).toMatch(/Added: 1 .*Pasted text: 1 added/);

    expect(await paste(page, 'body', { files: [pageFile('server.der', fixture('openssl-set', 'ec', 'server.der'), 'application/x-x509-ca-cert')] })).toBe(true);
    await expect.poll(() => importSummaryText(page)).toContain('server.der: 1 added');

    // Text that is no certificate is explained, not imported.
    expect(await paste(page, 'body', { text: 'hello' })).toBe(true);
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('The pasted text is not a certificate');

    // Dragging files shows the drop zone and says so to screen readers; the drop imports.
    const p12 = pageFile('server-default.p12', fixture('openssl-set', 'ec', 'server-default.p12'), 'application/x-pkcs12');
    expect(await dragFiles(page, [p12], ['dragenter', 'dragover'])).toEqual([false, false]);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Drop the files to import them into My appliance.' }).count()).toBe(1);
    expect(await page.locator('.page-drop-zone').isVisible()).toBe(true);
    await screenshot(page, 'pwa-drop-zone-390');
    await dragFiles(page, [p12], ['drop']);
    expect(await page.locator('.page-drop-zone').count()).toBe(0);
    await expect.poll(() => importSummaryText(page)).toContain('Dropped onto the Certificates page.');
    await answerPasswordRequest(page, 'server-default.p12');

    // Inside a text field (the Import form's Paste area, still open) a paste is left to the field.
    expect(await paste(page, '#paste', { text: fixtureText('openssl-set', 'rsa', 'ica.pem') })).toBe(false);
    expect(await dragFiles(page, [p12], ['dragenter', 'dragleave'])).toEqual([false, true]);
    expect(await page.locator('.page-drop-zone').count()).toBe(0);
    await screenshot(page, 'pwa-paste-drop-390');
    browser.assertClean();
  });
});

describe('sharing files out', () => {
  test('where the browser cannot share files (what headless Chromium on Linux really reports), there is no Share button and Download stays', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await openApp(page, app.url);
    const canShare = await page.evaluate(
      () => typeof navigator.canShare === 'function' && navigator.canShare({ files: [new File(['x'], 'r.csr', { type: 'application/pkcs10' })] }),
    );
    await createRequest(page, { friendlyName: 'share.example.test' });
    await page.getByRole('region', { name: 'Certificate Requests' }).getByRole('link', { name: 'share.example.test' }).click();
    await page.getByRole('button', { name: 'Download' }).waitFor();
    expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(canShare ? 1 : 0);
    expect(canShare).toBe(false);
    browser.assertClean();
  });

  test('where it can (navigator.canShare and navigator.share overridden by an init script), Share sends the request, the export and the support package, byte for byte what Download saves', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await page.addInitScript(() => {
      const shared: { name: string; type: string; title: string; base64: string }[] = [];
      Object.assign(globalThis, { sharedFiles: shared });
      Object.assign(Navigator.prototype, {
        canShare: (data?: ShareData) => (data?.files?.length ?? 0) > 0,
        share: async (data: ShareData) => {
          for (const file of data.files ?? []) {
            const bytes = new Uint8Array(await file.arrayBuffer());
            let binary = '';
            for (const byte of bytes) binary += String.fromCharCode(byte);
            shared.push({ name: file.name, type: file.type, title: data.title ?? '', base64: btoa(binary) });
          }
        },
      });
    });
    const sharedFiles = () => page.evaluate(() => (globalThis as unknown as { sharedFiles: PageFile[] }).sharedFiles);
    const sharedBytes = async (index: number) => Buffer.from((await sharedFiles())[index]!.base64, 'base64');
    await openApp(page, app.url);

    // The request's page: the CSR, which OpenSSL verifies.
    await createRequest(page, { friendlyName: 'share.example.test', sans: ['share.example.test'] });
    await page.getByRole('region', { name: 'Certificate Requests' }).getByRole('link', { name: 'share.example.test' }).click();
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(async () => (await sharedFiles()).length).toBe(1);
    expect((await sharedFiles())[0]).toMatchObject({ name: 'share.example.test.csr', type: 'application/pkcs10', title: 'Certificate request share.example.test' });
    const dir = tempDir('certdesk-shared-');
    const csr = openssl(['req', '-in', writeTemp(dir, 'r.csr', await sharedBytes(0)), '-verify', '-noout', '-text']);
    expect(csr.status).toBe(0);
    expect(csr.stdout).toContain('DNS:share.example.test');
    await screenshot(page, 'pwa-share-request');

    // An export result.
    await page.getByRole('link', { name: /Back to Certificates/ }).click();
    await page.getByRole('checkbox', { name: 'Factory default' }).check();
    await page.getByLabel('Select Action').selectOption({ label: 'Export' });
    await page.getByRole('button', { name: 'Apply' }).click();
    expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(0);
    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
    const exportedBytes = await saveDownload(exported);
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(async () => (await sharedFiles()).length).toBe(2);
    // RFC 8555 §9.1: a certificate with its chain as PEM.
    expect((await sharedFiles())[1]).toMatchObject({ name: exported.suggestedFilename(), type: 'application/pem-certificate-chain' });
    expect((await sharedBytes(1)).equals(exportedBytes)).toBe(true);
    expect(openssl(['x509', '-in', writeTemp(dir, 'e.pem', exportedBytes), '-noout', '-subject']).status).toBe(0);
    await screenshot(page, 'pwa-share-export');

    // The support package.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Basics', exact: true }).click();
    const support = page.getByRole('region', { name: 'Support Package', exact: true });
    const [zip] = await Promise.all([page.waitForEvent('download'), support.getByRole('button', { name: 'Support Package' }).click()]);
    const zipBytes = await saveDownload(zip);
    await support.getByRole('button', { name: 'Share' }).click();
    await expect.poll(async () => (await sharedFiles()).length).toBe(3);
    expect((await sharedFiles())[2]).toMatchObject({ name: zip.suggestedFilename(), type: 'application/zip' });
    expect((await sharedBytes(2)).equals(zipBytes)).toBe(true);
    const names = Object.keys((await JSZip.loadAsync(zipBytes)).files);
    expect(names).toContain('status-basics.png');
    await screenshot(page, 'pwa-share-support-package');
    browser.assertClean();
  });
});

describe('install', () => {
  /** A beforeinstallprompt-shaped event whose prompt() is recorded and whose choice is `outcome`. */
  const offerInstall = (page: Page, outcome: 'accepted' | 'dismissed') =>
    page.evaluate((outcome) => {
      const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: async () => {
          (globalThis as unknown as { prompted: number }).prompted = ((globalThis as unknown as { prompted?: number }).prompted ?? 0) + 1;
        },
        userChoice: Promise.resolve({ outcome, platform: 'web' }),
      });
      dispatchEvent(event);
    }, outcome);
  const installButton = (page: Page) => page.getByRole('banner').getByRole('button', { name: 'Install' });

  test("the Install button comes with the browser's offer (Chromium's own beforeinstallprompt held back by an init script, a shaped one dispatched) and goes once installed", async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    // The test decides when the offer comes; Chromium's own (trusted) one would come at its own time.
    await page.addInitScript(() => addEventListener('beforeinstallprompt', (event) => event.isTrusted && event.stopImmediatePropagation(), true));
    await openApp(page, app.url);
    expect(await installButton(page).count()).toBe(0);

    await offerInstall(page, 'accepted');
    await installButton(page).waitFor();
    await installButton(page).click();
    expect(await page.evaluate(() => (globalThis as unknown as { prompted?: number }).prompted)).toBe(1);
    await expect.poll(() => installButton(page).count()).toBe(0);

    // Dismissed: the offer is used up, so the button goes until the browser offers again.
    await page.reload();
    await offerInstall(page, 'dismissed');
    await installButton(page).click();
    await expect.poll(() => installButton(page).count()).toBe(0);

    // Installed from the browser's own menu meanwhile: appinstalled hides it.
    await offerInstall(page, 'accepted');
    await installButton(page).waitFor();
    await page.evaluate(() => dispatchEvent(new Event('appinstalled')));
    await expect.poll(() => installButton(page).count()).toBe(0);
    browser.assertClean();
  });

  test('running installed (display-mode: standalone, matchMedia overridden by an init script) there is no Install button even when offered', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await page.addInitScript(() => {
      const matchMedia = window.matchMedia.bind(window);
      window.matchMedia = (query: string) =>
        query === '(display-mode: standalone)' ? matchMedia('all') : matchMedia(query);
    });
    await openApp(page, app.url);
    await offerInstall(page, 'accepted');
    await page.getByRole('heading', { level: 1, name: 'Certificates' }).waitFor();
    expect(await page.evaluate(() => matchMedia('(display-mode: standalone)').matches)).toBe(true);
    expect(await installButton(page).count()).toBe(0);
    browser.assertClean();
  });

  test('Chromium finds the app installable (Page.getInstallabilityErrors is empty); the manifest declares the file handlers, share target, shortcuts the router opens, and real screenshots', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await openApp(page, app.url);
    await waitForServiceWorker(page);
    const cdp = await browser.context.newCDPSession(page);
    expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    expect((await cdp.send('Page.getAppManifest')).errors).toEqual([]);

    const manifest = (await (await fetch(app.url + '/manifest.webmanifest')).json()) as {
      id: string;
      file_handlers: { action: string; accept: Record<string, string[]> }[];
      share_target: { action: string; method: string; enctype: string; params: { files: { name: string; accept: string[] }[] } };
      shortcuts: { short_name: string; url: string }[];
      screenshots: { src: string; sizes: string; type: string; form_factor: string }[];
    };
    expect(manifest.id).toBe('/');
    const extensions = ['.cer', '.crt', '.der', '.pem', '.b64', '.p7b', '.p7c', '.p12', '.pfx', '.csr', '.zip'];
    expect(Object.values(manifest.file_handlers[0]!.accept).flat().sort()).toEqual([...extensions].sort());
    expect(manifest.share_target).toMatchObject({ action: '/share-target', method: 'POST', enctype: 'multipart/form-data' });
    expect(manifest.share_target.params.files[0]!.accept).toEqual(expect.arrayContaining([...extensions, 'application/x-pkcs12', 'application/pkix-cert']));
    expect(manifest.shortcuts.map((shortcut) => shortcut.short_name)).toEqual(['Create', 'Import', 'Basics']);
    expect(manifest.screenshots.map((shot) => shot.form_factor)).toEqual(['narrow', 'wide']);
    for (const shot of manifest.screenshots) {
      const bytes = new Uint8Array(await (await fetch(new URL(shot.src, app.url + '/'))).arrayBuffer());
      expect([...bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      const view = new DataView(bytes.buffer);
      expect(`${view.getUint32(16)}x${view.getUint32(20)}`).toBe(shot.sizes);
    }

    // Each shortcut opens what it names.
    const opens = { Create: () => page.getByLabel('Certificate Friendly Name'), Import: () => page.getByLabel('Certificate file'), Basics: () => page.getByRole('heading', { level: 1, name: 'Basics' }) };
    for (const shortcut of manifest.shortcuts) {
      await page.goto(app.url + shortcut.url);
      await opens[shortcut.short_name as keyof typeof opens]().waitFor();
    }
    browser.assertClean();
  });

  test('the Install button, the drop zone and a pasted import fit 390, 768, 1024 and 1440 px, with no serious accessibility problem', async () => {
    browser = await app.browser();
    const page = await firstPage(browser);
    await page.addInitScript(() => addEventListener('beforeinstallprompt', (event) => event.isTrusted && event.stopImmediatePropagation(), true));
    await openApp(page, app.url);
    await offerInstall(page, 'accepted');
    await paste(page, 'body', { text: fixtureText('openssl-set', 'ec', 'ca-bundle.pem') });
    await summary(page).waitFor();
    await waitForIdle(page);
    for (const viewport of [viewports.phone, viewports.tablet, viewports.tabletLandscape, viewports.desktop]) {
      await page.setViewportSize(viewport);
      await dragFiles(page, [pageFile('server.der', fixture('openssl-set', 'ec', 'server.der'))], ['dragenter']);
      await page.locator('.page-drop-zone').waitFor();
      await screenshot(page, `pwa-${viewport.width}`);
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await smallTouchTargets(page)).toEqual([]);
      expect(await accessibilityViolations(page)).toEqual([]);
      await dragFiles(page, [pageFile('server.der', fixture('openssl-set', 'ec', 'server.der'))], ['dragleave']);
    }
    browser.assertClean();
  });
});
