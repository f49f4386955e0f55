/**
 * The layering of ARCHITECTURE.md is enforced twice, and this proves both guards bite: a wrong
 * import in each environment is reported by ESLint (as `npm run lint` runs it) and fails the
 * environment's own tsconfig (as `npm run typecheck` runs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = process.cwd();

const forbidden: Array<{ file: string; source: string }> = [
  { file: 'src/shared/probe.ts', source: "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n" },
  { file: 'src/shared/probe.ts', source: "import { app } from 'electron';\nvoid app;\n" },
  { file: 'src/shared/probe.ts', source: "import { runDoctor } from '../engine/doctor';\nvoid runDoctor;\n" },
  { file: 'src/engine/probe.ts', source: "import { app } from 'electron';\nvoid app;\n" },
  { file: 'src/engine/probe.ts', source: "import { mediaAccess } from '../main/index';\nvoid mediaAccess;\n" },
  { file: 'src/renderer/src/probe.ts', source: "import { readFileSync } from 'fs';\nvoid readFileSync;\n" },
  { file: 'src/renderer/src/probe.ts', source: "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n" },
  { file: 'src/renderer/src/probe.ts', source: "import { runDoctor } from '../../engine/doctor';\nvoid runDoctor;\n" },
  { file: 'src/preload/probe.ts', source: "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n" },
  { file: 'src/cli/probe.ts', source: "import { app } from 'electron';\nvoid app;\n" },
  { file: 'src/main/probe.ts', source: "import App from '../renderer/src/App.svelte';\nvoid App;\n" },
];

describe('layering: ESLint import rules', () => {
  const eslint = new ESLint({ cwd: root });
  for (const { file, source } of forbidden) {
    const what = source.split('\n')[0];
    it(`${file}: ${what} is an error`, async () => {
      const [result] = await eslint.lintText(source, { filePath: join(root, file) });
      const messages = result?.messages.filter((m) => m.ruleId === 'no-restricted-imports') ?? [];
      assert.ok(messages.length >= 1, `expected no-restricted-imports, got ${JSON.stringify(result?.messages)}`);
    });
  }

  it('allowed imports stay clean (engine → shared, renderer → shared)', async () => {
    const [engine] = await eslint.lintText("import { SeamError } from '../shared/errors';\nvoid SeamError;\n", {
      filePath: join(root, 'src/engine/probe.ts'),
    });
    const [renderer] = await eslint.lintText("import { methods } from '../../shared/contract';\nvoid methods;\n", {
      filePath: join(root, 'src/renderer/src/probe.ts'),
    });
    assert.deepEqual(
      [...(engine?.messages ?? []), ...(renderer?.messages ?? [])].filter((m) => m.ruleId === 'no-restricted-imports'),
      [],
    );
  });
});

describe('layering: per-environment tsconfig', () => {
  // Probes live in a scratch folder; each gets a tsconfig that extends the environment's own.
  const scratch = join(root, 'test-results', 'layering-probes');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  const cases: Array<{ env: string; source: string; expect: RegExp }> = [
    { env: 'shared', source: "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n", expect: /node:fs/ },
    { env: 'shared', source: 'export const el = document.body;\n', expect: /document/ },
    { env: 'node', source: "import { app } from 'electron';\nvoid app;\n", expect: /app/ },
    { env: 'renderer', source: "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n", expect: /node:fs/ },
    { env: 'renderer', source: 'export const pid = process.pid;\n', expect: /process/ },
  ];
  for (const { env, source, expect } of cases) {
    it(`tsconfig.${env}.json rejects: ${source.split('\n')[0]}`, () => {
      const dir = join(scratch, `${env}-${cases.indexOf(cases.find((c) => c.source === source)!)}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'probe.ts'), source);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: join(root, `tsconfig.${env}.json`), include: ['probe.ts'] }),
      );
      const result = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], {
        encoding: 'utf8',
      });
      assert.notEqual(result.status, 0, `expected a type error, tsc said:\n${result.stdout}`);
      assert.match(result.stdout, expect);
    });
  }
});
