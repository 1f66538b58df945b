import { CertdeskError, isAbortError } from '../../core/errors';
import { shownName } from './name-display';

/** One message for the admin: what happened and what to do. */
export interface AlertMessage {
  id: number;
  text: string;
}

/**
 * The app's one place for errors. Raw library errors never reach the screen: anything that is
 * not a CertdeskError is shown as a generic message, and cancellation shows nothing.
 */
class Alerts {
  messages = $state<AlertMessage[]>([]);
  #next = 1;

  show(text: string): void {
    // Messages quote names from certificates and files: hidden characters are shown made visible.
    this.messages.push({ id: this.#next++, text: shownName(text) });
  }

  fromError(error: unknown): void {
    if (isAbortError(error)) return;
    if (error instanceof CertdeskError) {
      this.show(error.message);
    } else {
      console.warn(error);
      this.show('Something went wrong and nothing was changed. Try again; if it keeps happening, reload the page.');
    }
  }

  dismiss(id: number): void {
    this.messages = this.messages.filter((message) => message.id !== id);
  }
}

export const alerts = new Alerts();
