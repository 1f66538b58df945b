/**
 * Whether Certdesk can offer its own Install button. Chromium fires `beforeinstallprompt` when
 * the app is installable and not installed; the event is kept (deferred) until the admin clicks
 * Install, because prompt() works once and only from a click. Once installed, the button goes.
 */

/** The event Chromium fires (not in TypeScript's DOM library; WICG Manifest Incubations). */
export interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<unknown>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform?: string }>;
}

class InstallState {
  #deferred = $state.raw<BeforeInstallPromptEvent | undefined>();
  /** Running as the installed app (display-mode: standalone), or installed from this page. */
  installed = $state(false);
  readonly available = $derived(!this.installed && this.#deferred !== undefined);

  offer(event: BeforeInstallPromptEvent): void {
    this.#deferred = event;
  }

  markInstalled(installed = true): void {
    this.installed = installed;
    if (installed) this.#deferred = undefined;
  }

  /** Shows the browser's install dialog; the kept event cannot be used twice either way. */
  async prompt(): Promise<void> {
    const event = this.#deferred;
    if (!event) return;
    this.#deferred = undefined;
    await event.prompt();
    const choice = await event.userChoice;
    if (choice.outcome === 'accepted') this.markInstalled();
  }
}

export const install = new InstallState();
