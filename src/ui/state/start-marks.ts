/**
 * The start's phases as User Timing marks, so that a start can be read from the page's own
 * timeline (the bench prints them beside the list's paint): when the entry module ran, when the
 * database was open, and when the workspace was read and handed to the page to render.
 */
export const START_MARKS = {
  entry: 'certdesk:entry',
  databaseOpen: 'certdesk:database-open',
  workspaceRead: 'certdesk:workspace-read',
} as const;

export type StartPhase = keyof typeof START_MARKS;

/** Marks `phase` now (once per page: the start runs once). */
export function markStart(phase: StartPhase): void {
  performance.mark(START_MARKS[phase]);
}
