/**
 * Makes the manifest's screenshots (public/screenshots/narrow.png 390×844 and wide.png 1280×800)
 * from the production build, with a self-signed certificate and a request created through the
 * app's own forms. Run `npm run screenshots` after a visible change; the PNGs are committed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../support/fixtures';
import { startPreview } from '../e2e/support/server';
import { firstPage, openBrowser } from '../e2e/support/browser';
import { createRequest, createSelfSigned, openApp } from '../e2e/support/app';

const shots = [
  { file: 'narrow.png', viewport: { width: 390, height: 844 } },
  { file: 'wide.png', viewport: { width: 1280, height: 800 } },
] as const;

const outDir = join(projectRoot, 'public', 'screenshots');
mkdirSync(outDir, { recursive: true });
const server = await startPreview();
try {
  for (const shot of shots) {
    const browser = await openBrowser(server.url, { viewport: shot.viewport });
    try {
      const page = await firstPage(browser);
      // The pictures show Certdesk as installed, so without the Install button the browser offers.
      await page.addInitScript(() => addEventListener('beforeinstallprompt', (event) => event.stopImmediatePropagation(), true));
      await openApp(page, server.url);
      await createSelfSigned(page, {
        friendlyName: 'support.example.com',
        subject: { Organization: 'Example Corp', 'Name (Common Name)': 'support.example.com' },
        sans: ['support.example.com'],
      });
      await createRequest(page, {
        friendlyName: 'support.example.com 2026',
        subject: { Organization: 'Example Corp', 'Name (Common Name)': 'support.example.com' },
        sans: ['support.example.com'],
      });
      await page.getByRole('button', { name: 'Close', exact: true }).click().catch(() => undefined);
      await page.evaluate(() => scrollTo(0, 0));
      await page.screenshot({ path: join(outDir, shot.file) });
      console.log(`wrote public/screenshots/${shot.file} (${shot.viewport.width}×${shot.viewport.height})`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
}
