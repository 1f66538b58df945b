/** Whether a new version of the app is waiting, and how to switch to it when the admin agrees. */
class UpdateState {
  available = $state(false);
  #apply: (() => void) | undefined;

  offer(apply: () => void): void {
    this.#apply = apply;
    this.available = true;
  }

  apply(): void {
    this.#apply?.();
  }
}

export const update = new UpdateState();
