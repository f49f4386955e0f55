import { mount } from 'svelte';
import App from './App.svelte';
import { AboutState } from './lib/about-state.svelte';
import { connectSeamApi } from './lib/api';
import './styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
const api = connectSeamApi(window);
mount(App, { target, props: { about: new AboutState(api) } });
