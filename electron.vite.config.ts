import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The engine runs in a utility process started from main; it is bundled beside main.
          'engine-host': resolve('src/engine/host/utility-entry.ts'),
          // The render's step workers (src/engine/video/step-workers.ts), found beside the code
          // that starts them: every chunk is written flat in out/main for that.
          'step-worker': resolve('src/engine/video/step-worker-entry.ts'),
        },
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed renderer runs only CommonJS preloads.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: resolve('src/renderer/index.html') },
    },
    plugins: [svelte()],
  },
});
