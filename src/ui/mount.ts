/**
 * The UI: the app mounted, then what listens to the operating system and the service worker.
 * main.ts imports this module dynamically, so its modules (the pages and their components)
 * evaluate in a task of their own, after the workspace has started opening; it mounts once
 * what this browser remembers is read, so the first render already shows it (the list's first
 * screen too, when one is kept).
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { workspace } from './state/workspace.svelte';
import { registerServiceWorker } from '../pwa/register';
import { listenForLaunchedFiles } from '../pwa/launch';
import { pickUpSharedFiles } from '../pwa/share-target';
import { yieldToEventLoop } from '../core/tasks';

export async function mountApp(target: HTMLElement): Promise<void> {
  await workspace.remembered;
  // Mounted in a task of its own, not in the one that evaluated the UI's modules: the first
  // render may draw the list's first screen kept (first-screen.ts), and the two together took
  // 55–70 ms at start (a long task).
  await yieldToEventLoop();
  mount(App, { target });
  registerServiceWorker();
  listenForLaunchedFiles();
  void pickUpSharedFiles();
}
