import { install, type BeforeInstallPromptEvent } from '../ui/state/install.svelte';

/**
 * Listens for the browser's install offer from the first moment (it may come before the UI is
 * mounted) and for the app being installed or already running installed.
 */
export function listenForInstall(): void {
  addEventListener('beforeinstallprompt', (event) => {
    // Keep the browser's own mini-infobar away: the top bar's Install button offers it instead.
    event.preventDefault();
    install.offer(event as BeforeInstallPromptEvent);
  });
  addEventListener('appinstalled', () => install.markInstalled());
  const standalone = matchMedia('(display-mode: standalone)');
  install.markInstalled(standalone.matches);
  standalone.addEventListener('change', (event) => install.markInstalled(event.matches));
}
