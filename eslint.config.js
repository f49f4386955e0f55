// Lint, with the layering of ARCHITECTURE.md as import rules: each environment may import only
// what its row allows. The per-environment tsconfigs enforce the same thing a second time.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** A no-restricted-imports rule forbidding the given folders (by path segment) and modules. */
function forbid({ folders = [], modules = [], why }) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: modules.map((name) => ({ name, message: why })),
        patterns: [
          ...folders.map((folder) => ({ group: [`**/${folder}`, `**/${folder}/**`], message: why })),
          { group: ['node:*'], message: why, caseSensitive: true },
        ].filter((pattern) => modules.includes('node:*') || pattern.group[0] !== 'node:*'),
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**'],
    rules: forbid({
      folders: ['engine', 'main', 'preload', 'renderer', 'cli', 'host-web'],
      modules: ['electron', 'node:*', ...nodeBuiltins],
      why: 'src/shared is pure TypeScript: no Node, no Electron, no DOM, nothing outside shared/.',
    }),
  },
  {
    files: ['src/engine/**'],
    rules: forbid({
      folders: ['main', 'preload', 'renderer', 'cli', 'host-web'],
      modules: ['electron'],
      why: 'src/engine runs in Node without Electron and imports only shared/.',
    }),
  },
  {
    files: ['src/main/**'],
    rules: forbid({
      folders: ['preload', 'renderer', 'cli', 'host-web'],
      modules: [],
      why: 'src/main may import shared/ and engine/ only.',
    }),
  },
  {
    files: ['src/preload/**'],
    rules: forbid({
      folders: ['engine', 'main', 'renderer', 'cli', 'host-web'],
      modules: ['node:*', ...nodeBuiltins],
      why: 'The sandboxed preload may import electron and shared/ only.',
    }),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid({
      folders: ['engine', 'main', 'preload', 'cli', 'host-web'],
      modules: ['electron', 'node:*', ...nodeBuiltins],
      why: 'The renderer is a browser page: it talks to the engine only through the contract in shared/.',
    }),
  },
  {
    files: ['src/cli/**'],
    rules: forbid({
      folders: ['main', 'preload', 'renderer', 'host-web'],
      modules: ['electron'],
      why: 'The CLI is Node: it may import shared/ and engine/ only.',
    }),
  },
  {
    files: ['src/host-web/**'],
    rules: forbid({
      folders: ['main', 'preload', 'renderer', 'cli'],
      modules: ['electron'],
      why: 'The web host may import shared/ and engine/ only; it serves the built renderer as files.',
    }),
  },
);
