import { Workbox } from 'workbox-window';
import { update } from '../ui/state/update.svelte';

/**
 * Registers the service worker that precaches the whole app. A new version never replaces the
 * worker under a running page (old tabs would lose their lazily loaded chunks): the admin is
 * offered "Update available — Reload", and only then does the waiting worker take over.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', () => {
    update.offer(() => {
      workbox.addEventListener('controlling', () => location.reload());
      workbox.messageSkipWaiting();
    });
  });
  void workbox.register();
}
