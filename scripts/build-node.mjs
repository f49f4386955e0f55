#!/usr/bin/env node
// Bundles the Node-side entries that electron-vite does not build: the `seam` CLI, the web host
// and the engine's worker-thread entries. Dependencies stay external (resolved from node_modules),
// and every file lands flat in out/node so they can find each other by relative URL.
import { build } from 'vite';

const root = new URL('..', import.meta.url).pathname;
await build({
  root,
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'out/node',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: {
        cli: 'src/cli/index.ts',
        'host-web': 'src/host-web/index.ts',
        'engine-worker': 'src/engine/host/worker-entry.ts',
        'step-worker': 'src/engine/video/step-worker-entry.ts',
      },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
console.log('built out/node (cli, host-web, engine-worker, step-worker)');
