/**
 * Files opened with Certdesk from the operating system (manifest `file_handlers`, an installed
 * app on Chromium desktop). The browser hands them to the window through `window.launchQueue`;
 * they are queued for the same import as the Import form's files (src/ui/state/incoming-files).
 */
import { alerts } from '../ui/state/alerts.svelte';
import { incoming } from '../ui/state/incoming-files.svelte';
import { router } from '../ui/state/router.svelte';

/** What the launch queue delivers (WICG File Handling; not in TypeScript's DOM library yet). */
export interface LaunchParams {
  readonly files: readonly FileSystemHandle[];
  readonly targetURL?: string;
}

interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => unknown): void;
}

/** Registers the consumer; the browser calls it for the launch that opened this window and each later one. */
export function listenForLaunchedFiles(): void {
  const queue = (window as Window & { launchQueue?: LaunchQueue }).launchQueue;
  queue?.setConsumer(receiveLaunch);
}

/** The launch queue's consumer: reads each file handle and queues the files for import. */
export async function receiveLaunch(params: LaunchParams): Promise<void> {
  const handles = params.files.filter((handle): handle is FileSystemFileHandle => handle.kind === 'file');
  if (handles.length === 0) return;
  const files: File[] = [];
  for (const handle of handles) {
    try {
      files.push(await handle.getFile());
    } catch {
      alerts.show(`Certdesk could not read ${handle.name}: it may have been moved or deleted. Open it again, or use Import.`);
    }
  }
  // The import summary is on the Certificates page: show it there whatever view was open.
  if (router.current !== 'certificates' || router.path.length > 0) router.go('certificates');
  incoming.deliver({ source: 'opened', files });
}
