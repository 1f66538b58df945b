import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../support/fixtures';

/** A running `vite preview` of the production build. */
export interface PreviewServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited early:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`vite preview did not answer at ${url}:\n${output()}`);
}

/**
 * Serves dist/ (built by `npm run test:e2e` before the tests run) on a free port.
 * `port` may be given to serve again on the same origin after a stop (same service worker scope);
 * `outDir` serves another copy of the build (a test that changes files works on its own copy).
 */
export async function startPreview(port?: number, outDir = 'dist'): Promise<PreviewServer> {
  if (!existsSync(join(projectRoot, outDir, 'index.html')) && !existsSync(join(outDir, 'index.html'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm run test:e2e does).');
  }
  const chosen = port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(chosen), '--strictPort', '--host', '127.0.0.1', '--outDir', outDir],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (data: Buffer) => (log += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (log += data.toString()));
  const url = `http://127.0.0.1:${chosen}`;
  await waitForServer(url + '/', child, () => log);
  return {
    url,
    port: chosen,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
