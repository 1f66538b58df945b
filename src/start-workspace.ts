/**
 * Opens the workspace as soon as its own modules have run. main.ts imports this module first, so
 * the database opens and answers the start's read while the browser evaluates the rest of the
 * page's modules (the pages and their components) and mounts them, instead of after.
 */
import { workspace } from './ui/state/workspace.svelte';

void workspace.start();
