import { mount } from 'svelte';
import App from './App.svelte';
import { AboutState } from './lib/about-state.svelte';
import { connectSeamApi } from './lib/api';
import { saveBytes } from './lib/download';
import { fileSaver } from './lib/save-file';
import { thumbnail } from './lib/thumbnails';
import { Workspace } from './lib/workspace.svelte';
import './styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
const api = connectSeamApi(window);
const workspace = new Workspace({
  api,
  storage: window.localStorage,
  thumbnail: (pixels, width, height) => thumbnail(pixels, width, height),
  save: fileSaver(api, saveBytes),
  savesWithDialog: 'seam' in window,
  // In the desktop app the preload has put the bridge on window.seam and the menu owns Ctrl+Z etc.
  menuOwnsShortcuts: 'seam' in window,
});
void workspace.loadProcessors();
const mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
mount(App, { target, props: { workspace, about: new AboutState(api), mac } });
