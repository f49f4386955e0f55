import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { modelsCommand } from '../../src/cli/commands/models';
import { progressPrinter, type OutputStream } from '../../src/cli/progress-printer';
import { silentLogger } from '../../src/engine/context';
import type { SeamPaths } from '../../src/engine/paths';
import { SeamError } from '../../src/shared/errors';
import { fixtureModelBytes, writeFixtureModel } from '../support/onnx-fixtures';

class Capture implements OutputStream {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

let root: string;
let paths: SeamPaths;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'seam-cli-'));
  paths = { builtInModelsDir: join(root, 'builtin'), userModelsDir: join(root, 'user'), bundledFfmpegDir: join(root, 'ffmpeg'), dataDir: root };
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(args: string[], streams = { stdout: new Capture(), stderr: new Capture() }) {
  const command = modelsCommand({ paths, logger: silentLogger, ...streams, signal: new AbortController().signal });
  command.exitOverride();
  for (const sub of command.commands) sub.exitOverride().configureOutput({ writeErr: (s) => streams.stderr.write(s), writeOut: (s) => streams.stdout.write(s) });
  await command.parseAsync(args, { from: 'user' });
  return streams;
}

describe('seam models', () => {
  it('import, then list as a table and as JSON, then remove', async () => {
    const file = await writeFixtureModel(join(root, 'src'), 'face-landmarks', 'lm.onnx');
    const imported = await run(['import', file, '--task', 'face-landmarks']);
    assert.match(imported.stdout.text, /^Imported model "lm" \(face-landmarks, 0\.0 MB, sha256 [0-9a-f]{64}\)\.\nInputs: input_1 float32 \[1, 192, 192, 3\]\n$/);
    assert.match(imported.stderr.text, /Copying 100%/);

    const table = await run(['list']);
    assert.match(table.stdout.text, /^ID\s+TASK\s+ORIGIN\s+STATUS\s+SIZE\nlm\s+face-landmarks\s+user\s+ok\s+0\.0 MB\n$/);
    const json = JSON.parse((await run(['list', '--json'])).stdout.text) as Array<{ id: string; status: string }>;
    assert.deepEqual(json.map((m) => [m.id, m.status]), [['lm', 'ok']]);

    assert.equal((await run(['remove', 'lm'])).stdout.text, 'Removed model "lm".\n');
    assert.match((await run(['list'])).stdout.text, /^No models\./);
  });

  it('a refused import throws the readable SeamError for main() to print', async () => {
    const file = await writeFixtureModel(join(root, 'src'), 'person-segmentation', 'seg.onnx');
    await assert.rejects(run(['import', file, '--task', 'style-encoder']), (e: unknown) => e instanceof SeamError && e.code === 'MODEL_INVALID' && /^seg\.onnx is not a usable style-encoder model/.test(e.message));
  });

  it('rejects unknown tasks and missing options through commander', async () => {
    await assert.rejects(run(['import', 'x.onnx', '--task', 'hair']), /Allowed choices are face-detection, face-landmarks/);
    await assert.rejects(run(['install', 'http://127.0.0.1:9/x.onnx', '--task', 'face-detection']), /required option '--sha256 <hex>' not specified/);
  });

  it('install prints plain progress lines when stderr is not a terminal', async () => {
    const body = fixtureModelBytes('face-detection');
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/det.onnx`;
      const sha = createHash('sha256').update(body).digest('hex');
      const out = await run(['install', url, '--sha256', sha, '--task', 'face-detection', '--id', 'my-detector']);
      assert.match(out.stdout.text, /^Installed model "my-detector"/);
      const lines = out.stderr.text.split('\n').filter(Boolean);
      assert.ok(lines.includes(`Downloading 100%  0.0 / 0.0 MB`), out.stderr.text);
      assert.ok(lines.includes('Checking in onnxruntime…'));
      assert.ok(!out.stderr.text.includes('\r'));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('progressPrinter', () => {
  it('redraws one line on a terminal, throttled, and ends it', () => {
    const tty = new Capture(true);
    let clock = 0;
    const printer = progressPrinter(tty, () => clock);
    printer.onProgress({ stage: 'download', done: 0, total: 50e6 });
    clock += 10;
    printer.onProgress({ stage: 'download', done: 1e6, total: 50e6 }); // within 100 ms: skipped
    clock += 200;
    printer.onProgress({ stage: 'download', done: 25e6, total: 50e6 });
    printer.onProgress({ stage: 'download', done: 50e6, total: 50e6 }); // complete: always drawn
    printer.finish();
    assert.equal(tty.text, '\r\x1b[2KDownloading   0%  0.0 / 50.0 MB\r\x1b[2KDownloading  50%  25.0 / 50.0 MB\r\x1b[2KDownloading 100%  50.0 / 50.0 MB\n');
  });

  it('writes a line per 10 % step to a pipe', () => {
    const pipe = new Capture(false);
    const printer = progressPrinter(pipe, () => 0);
    for (let done = 0; done <= 100; done += 1) printer.onProgress({ stage: 'download', done: done * 1e6, total: 100e6 });
    printer.finish();
    assert.equal(pipe.text.split('\n').filter(Boolean).length, 11);
  });
});
