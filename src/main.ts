import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';
import { registerServiceWorker } from './pwa/register';

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');

mount(App, { target });
registerServiceWorker();
