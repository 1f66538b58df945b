/**
 * The UI: the app mounted, then what listens to the operating system and the service worker.
 * main.ts imports this module dynamically, so its modules (the pages and their components)
 * evaluate in a task of their own, after the workspace has started opening; it mounts once
 * what this browser remembers is read, so the first render already shows it.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { workspace } from './state/workspace.svelte';
import { registerServiceWorker } from '../pwa/register';
import { listenForLaunchedFiles } from '../pwa/launch';
import { pickUpSharedFiles } from '../pwa/share-target';

export async function mountApp(target: HTMLElement): Promise<void> {
  await workspace.remembered;
  mount(App, { target });
  registerServiceWorker();
  listenForLaunchedFiles();
  void pickUpSharedFiles();
}
