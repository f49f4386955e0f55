import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { silentLogger, type JobContext, type Progress } from '../../src/engine/context';
import { downloadToFile } from '../../src/engine/models/download';
import { readManifestFile } from '../../src/engine/models/manifest-io';
import { installModel } from '../../src/engine/models/store';
import type { SeamPaths } from '../../src/engine/paths';
import { SeamError } from '../../src/shared/errors';
import { encodeModel, faceDetectionGraph } from '../support/onnx-fixtures';

/** A real model big enough (~60 KB) to arrive in many chunks. */
const MODEL = encodeModel(faceDetectionGraph(128, 896, { anchorBias: true }));
const MODEL_SHA = createHash('sha256').update(MODEL).digest('hex');
const HALF = Math.floor(MODEL.length / 2);
const CHUNK = 4096;

interface ServerPlan {
  body?: Uint8Array;
  /** Answer Range requests with 206 (and say Accept-Ranges: bytes). */
  ranges: boolean;
  /** For request n (0-based): destroy the socket after this many body bytes. */
  cutAt?: (request: number) => number | undefined;
  /** For request n: stop sending (but keep the socket open) after this many body bytes. */
  hangAt?: (request: number) => number | undefined;
  status?: number;
}

interface TestServer {
  url: string;
  requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function startServer(plan: ServerPlan): Promise<TestServer> {
  const body = plan.body ?? MODEL;
  const requests: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    const index = requests.push(req.headers) - 1;
    if (plan.status) {
      res.writeHead(plan.status).end('no');
      return;
    }
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const etag = `"${MODEL_SHA.slice(0, 16)}"`;
    if (plan.ranges && range && (!req.headers['if-range'] || req.headers['if-range'] === etag)) {
      start = Number(range[1]);
      res.writeHead(206, {
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
        'accept-ranges': 'bytes',
        etag,
      });
    } else {
      res.writeHead(200, { 'content-length': body.length, ...(plan.ranges ? { 'accept-ranges': 'bytes', etag } : {}) });
    }
    void send(res, body.subarray(start), plan.cutAt?.(index), plan.hangAt?.(index));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/models/detector.onnx`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes in chunks with a pause between them, so the client sees a real stream. */
async function send(res: ServerResponse, bytes: Uint8Array, cutAt: number | undefined, hangAt: number | undefined): Promise<void> {
  let sent = 0;
  while (sent < bytes.length) {
    const limit = Math.min(bytes.length, cutAt ?? Infinity, hangAt ?? Infinity);
    if (sent >= limit) break;
    const end = Math.min(sent + CHUNK, limit);
    res.write(bytes.subarray(sent, end));
    sent = end;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (cutAt !== undefined && sent >= cutAt) {
    res.socket?.destroy();
    return;
  }
  if (hangAt !== undefined && sent >= hangAt) return; // leave the response open, silent
  res.end();
}

let root: string;
let paths: SeamPaths;
let server: TestServer | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'seam-download-'));
  paths = { builtInModelsDir: join(root, 'builtin'), userModelsDir: join(root, 'user'), bundledFfmpegDir: join(root, 'ffmpeg'), dataDir: root };
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

const fast = { retryDelayMs: 0, progressIntervalMs: 0 };
const ctx = (progress?: Progress[], signal?: AbortSignal): JobContext => ({
  logger: silentLogger,
  onProgress: progress ? (p) => progress.push(p) : undefined,
  signal,
});

async function assertNothingInstalled(): Promise<void> {
  let names: string[];
  try {
    names = await readdir(paths.userModelsDir);
  } catch {
    return;
  }
  assert.deepEqual(names.filter((n) => n !== '.partial'), [], 'no model file and no manifest');
  assert.deepEqual(await readdir(join(paths.userModelsDir, '.partial')), [], 'no partial download left');
}

describe('installModel from a URL', () => {
  it('downloads with progress, verifies and installs', async () => {
    server = await startServer({ ranges: true });
    const progress: Progress[] = [];
    const entry = await installModel(paths, server.url, { sha256: MODEL_SHA.toUpperCase(), task: 'face-detection', download: fast }, ctx(progress));

    assert.equal(entry.id, 'detector');
    assert.deepEqual(entry.source, { kind: 'url', url: server.url });
    assert.equal(entry.sha256, MODEL_SHA);
    assert.deepEqual(await readFile(join(paths.userModelsDir, 'detector.onnx')), Buffer.from(MODEL));
    assert.deepEqual((await readManifestFile(join(paths.userModelsDir, 'manifest.json')))!.models.map((m) => m.id), ['detector']);

    const downloads = progress.filter((p) => p.stage === 'download');
    // The server sends paced chunks, but the client may coalesce reads under load: require progress
    // part-way through, not a particular count of events.
    assert.ok(
      downloads.length >= 2 && downloads.some((d) => d.done > 0 && d.done < MODEL.length),
      `expected progress part-way through the download, got ${JSON.stringify(downloads)}`,
    );
    for (let i = 1; i < downloads.length; i += 1) assert.ok(downloads[i]!.done >= downloads[i - 1]!.done);
    assert.deepEqual(downloads.at(-1), { stage: 'download', done: MODEL.length, total: MODEL.length });
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.range, undefined);
    assert.deepEqual(await readdir(join(paths.userModelsDir, '.partial')), []);
  });

  it('resumes with a Range request when the connection drops halfway', async () => {
    server = await startServer({ ranges: true, cutAt: (n) => (n === 0 ? HALF : undefined) });
    const progress: Progress[] = [];
    const entry = await installModel(paths, server.url, { sha256: MODEL_SHA, task: 'face-detection', download: fast }, ctx(progress));
    assert.equal(entry.sha256, MODEL_SHA);
    assert.equal(server.requests.length, 2);
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(server.requests[1]!.range ?? '')?.[1]);
    assert.ok(resumedFrom > 0 && resumedFrom <= HALF, `resumed from ${resumedFrom}`);
    assert.equal(server.requests[1]!['if-range'], `"${MODEL_SHA.slice(0, 16)}"`);
    // Resumed, not restarted: progress never went back to zero.
    const done = progress.filter((p) => p.stage === 'download').map((p) => p.done);
    for (let i = 1; i < done.length; i += 1) assert.ok(done[i]! >= done[i - 1]!);
    assert.deepEqual(await readFile(join(paths.userModelsDir, entry.file)), Buffer.from(MODEL));
  });

  it('downloadToFile reports the resume and the bytes it fetched', async () => {
    server = await startServer({ ranges: true, cutAt: (n) => (n === 0 ? HALF : undefined) });
    await mkdir(root, { recursive: true });
    const target = join(root, 'file.part');
    const result = await downloadToFile(server.url, target, ctx(), fast);
    assert.deepEqual(result, { bytes: MODEL.length, sha256: MODEL_SHA, resumes: 1, restarts: 0 });
    assert.deepEqual(await readFile(target), Buffer.from(MODEL));
  });

  it('resumes after a stall (no data for the stall timeout)', async () => {
    server = await startServer({ ranges: true, hangAt: (n) => (n === 0 ? HALF : undefined) });
    const result = await downloadToFile(server.url, join(root, 'stall.part'), ctx(), { ...fast, stallTimeoutMs: 200 });
    assert.equal(result.sha256, MODEL_SHA);
    assert.equal(result.resumes, 1);
  });

  it('restarts once from the start when the server cannot resume', async () => {
    server = await startServer({ ranges: false, cutAt: (n) => (n === 0 ? HALF : undefined) });
    const result = await downloadToFile(server.url, join(root, 'restart.part'), ctx(), fast);
    assert.deepEqual(result, { bytes: MODEL.length, sha256: MODEL_SHA, resumes: 0, restarts: 1 });
  });

  it('fails cleanly when the server cannot resume and keeps dropping', async () => {
    server = await startServer({ ranges: false, cutAt: () => HALF });
    await assert.rejects(installModel(paths, server.url, { sha256: MODEL_SHA, task: 'face-detection', download: fast }, ctx()), (error: unknown) => {
      assert.ok(error instanceof SeamError);
      assert.equal(error.code, 'BAD_INPUT');
      assert.match(error.message, /connection dropped.*cannot resume downloads/);
      return true;
    });
    assert.equal(server.requests.length, 2, 'the first try and one restart, nothing more');
    await assertNothingInstalled();
  });

  it('refuses a download whose sha256 differs and leaves nothing behind', async () => {
    server = await startServer({ ranges: true });
    const wrong = 'ab'.repeat(32);
    await assert.rejects(installModel(paths, server.url, { sha256: wrong, task: 'face-detection', download: fast }, ctx()), (error: unknown) => {
      assert.ok(error instanceof SeamError);
      assert.equal(error.code, 'MODEL_INVALID');
      assert.ok(error.message.includes(`sha256 mismatch: expected ${wrong}, got ${MODEL_SHA}`), error.message);
      assert.match(error.message, /^detector\.onnx \(downloaded from 127\.0\.0\.1:\d+\)/);
      return true;
    });
    await assertNothingInstalled();
  });

  it('refuses a download that is not ONNX even when its hash is right', async () => {
    const page = new TextEncoder().encode('<html>Sign in to download</html>');
    server = await startServer({ ranges: true, body: page });
    const sha = createHash('sha256').update(page).digest('hex');
    await assert.rejects(installModel(paths, server.url, { sha256: sha, task: 'face-detection', download: fast }, ctx()), /detector\.onnx \(downloaded from .*\) is not an ONNX model/);
    await assertNothingInstalled();
  });

  it('refuses a model that does not fit its task after downloading it', async () => {
    server = await startServer({ ranges: true });
    await assert.rejects(installModel(paths, server.url, { sha256: MODEL_SHA, task: 'person-segmentation', download: fast }, ctx()), /is not a usable person-segmentation model/);
    await assertNothingInstalled();
  });

  it('reports HTTP errors', async () => {
    server = await startServer({ ranges: true, status: 404 });
    await assert.rejects(installModel(paths, server.url, { sha256: MODEL_SHA, task: 'face-detection', download: fast }, ctx()), (e: unknown) => e instanceof SeamError && e.code === 'NOT_FOUND' && /HTTP 404/.test(e.message));
    await assertNothingInstalled();
  });

  it('cancels mid-download and leaves nothing behind', async () => {
    server = await startServer({ ranges: true, hangAt: () => HALF });
    const controller = new AbortController();
    const progress: Progress[] = [];
    const context: JobContext = {
      logger: silentLogger,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.done > 0) controller.abort();
      },
    };
    await assert.rejects(installModel(paths, server.url, { sha256: MODEL_SHA, task: 'face-detection', download: fast }, context), (e: unknown) => e instanceof SeamError && e.code === 'CANCELLED');
    await assertNothingInstalled();
  });

  it('resumes a partial file a crashed run left behind', async () => {
    server = await startServer({ ranges: true });
    await mkdir(join(paths.userModelsDir, '.partial'), { recursive: true });
    await writeFile(join(paths.userModelsDir, '.partial', `${MODEL_SHA}.part`), MODEL.subarray(0, HALF));
    const entry = await installModel(paths, server.url, { sha256: MODEL_SHA, task: 'face-detection', download: fast }, ctx());
    assert.equal(server.requests[0]!.range, `bytes=${HALF}-`);
    assert.deepEqual(await readFile(join(paths.userModelsDir, entry.file)), Buffer.from(MODEL));
  });

  it('refuses bad arguments before touching the network', async () => {
    const args = { task: 'face-detection', download: fast };
    await assert.rejects(installModel(paths, 'ftp://example.com/m.onnx', { ...args, sha256: MODEL_SHA }, ctx()), /Only http and https/);
    await assert.rejects(installModel(paths, 'http://127.0.0.1:9/m.onnx', { ...args, sha256: 'abc' }, ctx()), /is not a sha256/);
    await assert.rejects(installModel(paths, 'http://127.0.0.1:9/selfie_segmentation.onnx', { ...args, sha256: MODEL_SHA }, ctx()), /belongs to a built-in model/);
  });
});
