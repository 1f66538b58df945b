// First: the workspace opens and reads while the rest of the page's modules evaluate.
import './start-workspace';
import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';
import './ui/lifecycle.css';
import { registerServiceWorker } from './pwa/register';
import { listenForInstall } from './pwa/install';
import { listenForLaunchedFiles } from './pwa/launch';
import { pickUpSharedFiles } from './pwa/share-target';

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');

// Before mounting: the install offer and the launch may come before the first render.
listenForInstall();
mount(App, { target });
registerServiceWorker();
listenForLaunchedFiles();
void pickUpSharedFiles();
