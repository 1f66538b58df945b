/**
 * A page of many heavy parts (the Appliances page's twenty cards and their timelines) drawn so
 * that no task draws them all (a task over 50 ms is a page that does not answer, issue 11):
 *   - `whenNearView`: an attachment (`{@attach whenNearView(…)}`) that calls `onNear` once, when
 *     its element comes within `margin` of the viewport (IntersectionObserver, CSS margin syntax):
 *     a part is drawn as it is scrolled to. Keyboard focus and a screen reader's reading cursor
 *     scroll what they reach into view, so they meet every part drawn;
 *   - `GradualCount`: how many of a list's items to draw, the first few at once and the rest a
 *     few more in each following task;
 *   - `viewportWidth`: the viewport's width without laying the page out, to size what is not
 *     drawn yet.
 */
import type { Attachment } from 'svelte/attachments';
import { yieldToEventLoop } from '../../core/tasks';

let knownViewportWidth: number | undefined;

/**
 * The viewport's width in CSS pixels, read once and again only after a resize: reading
 * `innerWidth` makes Chromium lay out the page first (a page being built then lays itself out
 * within the building task).
 */
export function viewportWidth(): number {
  if (knownViewportWidth === undefined) {
    knownViewportWidth = window.innerWidth;
    window.addEventListener('resize', () => (knownViewportWidth = undefined), { once: true });
  }
  return knownViewportWidth;
}

/** Calls `onNear` once its element is within `margin` of the viewport (at once where IntersectionObserver is missing). */
export function whenNearView(onNear: () => void, margin = '50% 0px'): Attachment<Element> {
  return (element) => {
    if (typeof IntersectionObserver === 'undefined') {
      onNear();
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        onNear();
      },
      { rootMargin: margin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  };
}

/**
 * How many items of a list to draw now: `first` at once, then `perTask` more a frame later, and
 * so on until all `total()` are drawn. Create it while a component initialises (it runs
 * an effect); a list that grows is caught up the same way.
 */
export class GradualCount {
  shown = $state(0);

  constructor(total: () => number, { first, perTask }: { first: number; perTask: number }) {
    this.shown = first;
    $effect(() => {
      const all = total();
      // A list that shrank grows back in steps as well (nothing past its end was drawn).
      if (all < this.shown && this.shown > first) this.shown = Math.max(first, all);
      if (this.shown >= all) return;
      let stopped = false;
      // After the next frame: each step is styled, laid out and painted on its own, not all of
      // them in one frame after the last step.
      requestAnimationFrame(() =>
        void yieldToEventLoop().then(() => {
          if (!stopped) this.shown = Math.min(all, this.shown + perTask);
        }),
      );
      return () => {
        stopped = true;
      };
    });
  }
}
