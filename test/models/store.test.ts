import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { silentLogger, type JobContext, type Progress } from '../../src/engine/context';
import { readManifestFile } from '../../src/engine/models/manifest-io';
import { idFromFileName, importModel, listModels, removeModel } from '../../src/engine/models/store';
import type { SeamPaths } from '../../src/engine/paths';
import { SeamError } from '../../src/shared/errors';
import { fixtureModelBytes, writeFixtureModel } from '../support/onnx-fixtures';

let root: string;
let paths: SeamPaths;
let sources: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'seam-store-'));
  sources = join(root, 'sources');
  paths = { builtInModelsDir: join(root, 'builtin'), userModelsDir: join(root, 'user'), bundledFfmpegDir: join(root, 'ffmpeg'), dataDir: root };
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const ctx = (progress?: Progress[]): JobContext => ({ logger: silentLogger, onProgress: progress ? (p) => progress.push(p) : undefined });

/** The user folder holds exactly these names (the manifest, model files), and .partial is empty. */
async function assertUserFolder(expected: string[]): Promise<void> {
  let names: string[] = [];
  try {
    names = (await readdir(paths.userModelsDir)).filter((n) => n !== '.partial').sort();
  } catch {
    // no folder at all is as clean as it gets
  }
  assert.deepEqual(names, [...expected].sort());
  try {
    assert.deepEqual(await readdir(join(paths.userModelsDir, '.partial')), [], 'nothing may be left in .partial');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function assertRejectsInvalid(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SeamError, String(error));
    assert.equal(error.code, 'MODEL_INVALID');
    assert.match(error.message, pattern);
    return true;
  });
}

describe('importModel', () => {
  it('copies, hashes, checks and records a model', async () => {
    const file = await writeFixtureModel(sources, 'person-segmentation', 'My Segmenter.onnx');
    const progress: Progress[] = [];
    const entry = await importModel(paths, file, { task: 'person-segmentation' }, ctx(progress));

    const bytes = fixtureModelBytes('person-segmentation');
    assert.equal(entry.id, 'my-segmenter');
    assert.equal(entry.file, 'my-segmenter.onnx');
    assert.equal(entry.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(entry.bytes, bytes.length);
    assert.equal(entry.builtIn, false);
    assert.deepEqual(entry.source, { kind: 'file', originalName: 'My Segmenter.onnx' });
    assert.deepEqual(entry.inputs, [{ name: 'input_1', shape: [1, 256, 256, 3], dtype: 'float32' }]);
    assert.deepEqual(await readFile(join(paths.userModelsDir, entry.file)), Buffer.from(bytes));
    assert.deepEqual((await readManifestFile(join(paths.userModelsDir, 'manifest.json')))!.models, [entry]);
    assert.ok(progress.some((p) => p.stage === 'copy' && p.done === bytes.length));
    assert.ok(progress.some((p) => p.stage === 'verify'));
    await assertUserFolder(['manifest.json', 'my-segmenter.onnx']);

    const listed = await listModels(paths);
    assert.deepEqual(listed.map((m) => [m.id, m.origin, m.status]), [['my-segmenter', 'user', 'ok']]);
  });

  it('imports one model of every task', async () => {
    for (const task of ['face-detection', 'face-landmarks', 'person-segmentation', 'style-encoder', 'style-generator'] as const) {
      const file = await writeFixtureModel(sources, task);
      const entry = await importModel(paths, file, { task, id: `user-${task}` }, ctx());
      assert.equal(entry.task, task);
    }
    assert.equal((await listModels(paths)).length, 5);
  });

  it('refuses a model whose inputs do not fit the declared task, and leaves nothing behind', async () => {
    const file = await writeFixtureModel(sources, 'person-segmentation', 'selfie.onnx');
    await assertRejectsInvalid(
      importModel(paths, file, { task: 'face-detection' }, ctx()),
      /^selfie\.onnx is not a usable face-detection model: face-detection models need a float32 box regressor output \[1, N, 16\].*this one has 1 output: activation_10 float32 \[1, 256, 256, 1\]/,
    );
    await assertRejectsInvalid(
      importModel(paths, file, { task: 'style-encoder' }, ctx()),
      /style-encoder models need a float32 image input \[1, 3, 256, 256\] and a float32 one-hot label input \[1, 19, 256, 256\]; this one has 1 input: input_1 float32 \[1, 256, 256, 3\]/,
    );
    await assertUserFolder([]);
  });

  it('refuses a file that is not ONNX', async () => {
    await mkdir(sources, { recursive: true });
    const file = join(sources, 'photo.onnx');
    await copyFile(new URL('../fixtures/media/grace_hopper.jpg', import.meta.url), file);
    await assertRejectsInvalid(importModel(paths, file, { task: 'face-detection' }, ctx()), /^photo\.onnx is not an ONNX model/);
    await assertUserFolder([]);
  });

  it('refuses a truncated model and keeps the manifest as it was', async () => {
    const good = await writeFixtureModel(sources, 'face-detection', 'good.onnx');
    await importModel(paths, good, { task: 'face-detection' }, ctx());
    const manifestBefore = await readFile(join(paths.userModelsDir, 'manifest.json'), 'utf8');

    const cut = await writeFixtureModel(sources, 'face-landmarks', 'cut.onnx');
    const full = fixtureModelBytes('face-landmarks').length;
    await truncate(cut, Math.floor(full / 2));
    await assertRejectsInvalid(importModel(paths, cut, { task: 'face-landmarks' }, ctx()), /^cut\.onnx is not an ONNX model, or is a damaged or truncated one/);

    assert.equal(await readFile(join(paths.userModelsDir, 'manifest.json'), 'utf8'), manifestBefore);
    await assertUserFolder(['good.onnx', 'manifest.json']);
  });

  it('refuses ids that belong to built-in models or are taken', async () => {
    const file = await writeFixtureModel(sources, 'face-landmarks');
    await assert.rejects(importModel(paths, file, { task: 'face-landmarks', id: 'face_landmark' }, ctx()), /belongs to a built-in model/);
    await importModel(paths, file, { task: 'face-landmarks', id: 'mine' }, ctx());
    await assert.rejects(importModel(paths, file, { task: 'face-landmarks', id: 'mine' }, ctx()), /already installed/);
    await assert.rejects(importModel(paths, file, { task: 'face-landmarks', id: 'Bad Id' }, ctx()), /not a valid model id/);
    await assert.rejects(importModel(paths, file, { task: 'hair-colour' }, ctx()), /Unknown model task "hair-colour"/);
    await assert.rejects(importModel(paths, join(sources, 'absent.onnx'), { task: 'face-landmarks' }, ctx()), (e: unknown) => e instanceof SeamError && e.code === 'NOT_FOUND');
    await assertUserFolder(['manifest.json', 'mine.onnx']);
  });

  it('two imports racing for one id: one wins, the other is refused, the manifest stays whole', async () => {
    const file = await writeFixtureModel(sources, 'face-landmarks');
    const results = await Promise.allSettled([
      importModel(paths, file, { task: 'face-landmarks', id: 'same' }, ctx()),
      importModel(paths, file, { task: 'face-landmarks', id: 'same' }, ctx()),
      importModel(paths, file, { task: 'face-landmarks', id: 'other' }, ctx()),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'fulfilled', 'rejected']);
    const ids = (await readManifestFile(join(paths.userModelsDir, 'manifest.json')))!.models.map((m) => m.id).sort();
    assert.deepEqual(ids, ['other', 'same']);
    await assertUserFolder(['manifest.json', 'other.onnx', 'same.onnx']);
  });

  it('stops when cancelled and leaves nothing behind', async () => {
    const file = await writeFixtureModel(sources, 'style-generator');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(importModel(paths, file, { task: 'style-generator' }, { logger: silentLogger, signal: controller.signal }), (e: unknown) => e instanceof SeamError && e.code === 'CANCELLED');
    await assertUserFolder([]);
  });
});

describe('listModels and removeModel', () => {
  it('lists built-in and user models with present / missing / hash status', async () => {
    const builtInFile = await writeFixtureModel(paths.builtInModelsDir, 'face-detection', 'face_detection_short_range.onnx');
    const builtInBytes = await readFile(builtInFile);
    const entry = (id: string, file: string, sha256: string) => ({
      id, task: 'face-detection', file, builtIn: true, sha256, bytes: builtInBytes.length, licence: 'Apache-2.0',
      source: { kind: 'file', originalName: file }, inputs: [], outputs: [],
    });
    const sha = createHash('sha256').update(builtInBytes).digest('hex');
    await writeFile(join(paths.builtInModelsDir, 'manifest.json'), JSON.stringify({
      formatVersion: 1,
      models: [entry('face_detection_short_range', 'face_detection_short_range.onnx', sha), entry('face_detection_full_range', 'face_detection_full_range.onnx', sha)],
    }));
    const user = await importModel(paths, await writeFixtureModel(sources, 'face-landmarks'), { task: 'face-landmarks' }, ctx());

    let listed = await listModels(paths);
    assert.deepEqual(listed.map((m) => [m.id, m.origin, m.status]), [
      ['face_detection_short_range', 'built-in', 'ok'],
      ['face_detection_full_range', 'built-in', 'missing'],
      [user.id, 'user', 'ok'],
    ]);

    // Same size, different bytes: only the hash can tell.
    const userFile = join(paths.userModelsDir, user.file);
    const bytes = await readFile(userFile);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(userFile, bytes);
    listed = await listModels(paths);
    assert.equal(listed[2]!.status, 'hash-mismatch');
    assert.equal((await listModels(paths, { verifyHashes: false }))[2]!.status, 'unverified');

    await assert.rejects(removeModel(paths, 'face_detection_short_range', ctx()), /built-in/);
    await removeModel(paths, user.id, ctx());
    assert.deepEqual((await listModels(paths)).map((m) => m.id), ['face_detection_short_range', 'face_detection_full_range']);
    await assertUserFolder(['manifest.json']);
  });

  it('explains a malformed user manifest', async () => {
    await mkdir(paths.userModelsDir, { recursive: true });
    await writeFile(join(paths.userModelsDir, 'manifest.json'), '{"formatVersion":1,"models":[{"id":"x"}]}');
    await assert.rejects(listModels(paths), (e: unknown) => e instanceof SeamError && e.code === 'MODEL_INVALID' && /manifest.*malformed at models\.0\./.test(e.message));
  });

  it('derives ids from file names', () => {
    assert.equal(idFromFileName('SEAN Encoder (v2).onnx'), 'sean-encoder-v2');
    assert.equal(idFromFileName('__x.onnx'), 'x');
  });
});

describe('manifest files', () => {
  it('keeps fields it does not know when reading (forward compatibility)', async () => {
    await mkdir(paths.userModelsDir, { recursive: true });
    const entry = {
      id: 'x', task: 'face-detection', file: 'x.onnx', builtIn: false, sha256: 'a'.repeat(64), bytes: 1, licence: 'MIT',
      source: { kind: 'file', originalName: 'x.onnx' }, inputs: [], outputs: [], converter: 'seam-tflite2onnx 1', futureField: 42,
    };
    await writeFile(join(paths.userModelsDir, 'manifest.json'), JSON.stringify({ formatVersion: 1, models: [entry] }));
    const read = await readManifestFile(join(paths.userModelsDir, 'manifest.json'));
    assert.deepEqual(read!.models[0], entry);
  });
});
