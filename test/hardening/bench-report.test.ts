// scripts/bench-report.mjs as `npm run bench:report` runs it: the README's block between the
// markers becomes the results' section (method from the bench file, machine, every figure,
// each target met or missed); the text around it is untouched; bad results and a README
// without markers are refused with a message naming the file, leaving the README as it was.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/bench-report.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'seam-bench-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

const README = '# Seam\n\n## Benchmarks\n\nIntro.\n\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\n## Where things live\n';
const RESULT = {
  name: 'contract',
  started: '2026-11-21T13:13:16.544Z',
  machine: { cpu: 'AMD EPYC', cores: 2, memoryGiB: 24, node: 'v20.20.2', platform: 'linux-x64' },
  runs: 10,
  rows: [
    { path: 'worker port, structured clone', ms: 2.897667, ratioToClone: 1 },
    { path: 'socket | envelope', ms: 2.443082, ratioToClone: 0.843120 },
  ],
  targets: [
    { target: 'transfer ≤ 0.5 × clone (got 0.39×)', met: true },
    { target: 'envelope ≤ 0.5 × clone (got 0.84×)', met: false },
  ],
};

function report(results: Record<string, string>, readme = README) {
  const dir = mkdtempSync(join(root, 'case-'));
  mkdirSync(join(dir, 'results'));
  for (const [name, text] of Object.entries(results)) writeFileSync(join(dir, 'results', name), text);
  writeFileSync(join(dir, 'README.md'), readme);
  const run = spawnSync(process.execPath, [SCRIPT, '--results', join(dir, 'results'), '--readme', join(dir, 'README.md')], { encoding: 'utf8' });
  return { ...run, readme: readFileSync(join(dir, 'README.md'), 'utf8'), dir };
}

describe('bench report', () => {
  it('replaces only the marked block with the results', () => {
    const run = report({ 'contract.json': JSON.stringify(RESULT) });
    assert.equal(run.status, 0, run.stderr);
    const [before, rest] = run.readme.split('<!-- bench:begin -->\n');
    const [block, afterBlock] = rest!.split('<!-- bench:end -->');
    assert.equal(before, '# Seam\n\n## Benchmarks\n\nIntro.\n\n');
    assert.equal(afterBlock, '\n\n## Where things live\n');
    assert.doesNotMatch(block!, /old table/);
    assert.match(block!, /targets met: 1 of 2/);
    assert.match(block!, /### `contract`\n\nMethod: The cost of the contract itself: a round trip renderer/, 'the method is the bench file’s header');
    assert.match(block!, /Measured 2026-11-21 on AMD EPYC, 2 cores, 24 GiB, Node 20\.20\.2, linux-x64; 10 runs\./);
    assert.match(block!, /\| path \| ms \| ratioToClone \|\n\| --- \| --- \| --- \|\n\| worker port, structured clone \| 2\.90 \| 1 \|\n\| socket \\\| envelope \| 2\.44 \| 0\.843 \|/);
    assert.match(block!, /- \*\*met\*\*: transfer ≤ 0\.5 × clone \(got 0\.39×\)\n- \*\*missed\*\*: envelope ≤ 0\.5 × clone \(got 0\.84×\)/);
  });

  it('refuses a README without markers, and a result that is not one, leaving the README as it was', () => {
    const noMarkers = report({ 'contract.json': JSON.stringify(RESULT) }, '# Seam\n');
    assert.equal(noMarkers.status, 1);
    assert.match(noMarkers.stderr, /README\.md: README\.md needs <!-- bench:begin --> … <!-- bench:end -->/);
    assert.equal(noMarkers.readme, '# Seam\n');
    const broken = report({ 'contract.json': '{ "name": "contract", ' });
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /contract\.json is not valid JSON/);
    assert.equal(broken.readme, README);
    const other = report({ 'x.json': JSON.stringify({ hello: 1 }) });
    assert.match(other.stderr, /x\.json is not a benchmark result \(no name or rows\)/);
  });
});
