/**
 * The page's entry, in three tasks: this module's (the workspace starts opening its database and
 * the install offer is listened for), reading what this browser remembers (workspace.svelte.ts),
 * then the UI's modules, imported dynamically so that they evaluate and mount in a task of their
 * own while the database answers.
 */
import './ui/app.css';
import './ui/lifecycle.css';
import { workspace } from './ui/state/workspace.svelte';
import { listenForInstall } from './pwa/install';
import { markStart } from './ui/state/start-marks';

markStart('entry');

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');

void workspace.start();
// Before mounting: the install offer may come before the first render.
listenForInstall();
void import('./ui/mount').then(({ mountApp }) => mountApp(target));
