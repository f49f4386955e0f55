/**
 * The model manager's contract methods through the real engine protocol (engine in a worker
 * thread, as the web host runs it): list the models, import SEAN's checkpoint from an uploaded
 * file — refused with a readable message naming the user's file, leaving no model, no upload and
 * no work folder behind — and remove a user model (built-in ones are refused).
 *
 * A successful import needs a full-size SEAN checkpoint (a gigabyte, minutes to make with
 * PyTorch); parity.test.ts imports one through the same importSeanCheckpoint.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEngineWorker, type EngineWorker } from '../../src/engine/host/start-worker';
import { resolvePaths } from '../../src/engine/paths';
import { uploadFile } from '../../src/renderer/src/lib/upload-file';
import type { SeamApi } from '../../src/shared/contract';
import type { ModelInfo } from '../../src/shared/model-contract';
import { installTinySean } from './support/tiny-sean-models';
import { rejectsWithSeamError } from '../support/seam-error';

const fixture = (name: string) => join(new URL('./fixtures/', import.meta.url).pathname, name);


describe('model manager methods over the engine protocol', () => {
  let dataDir: string;
  let engine: EngineWorker;
  const call = (method: string, arg?: unknown) => engine.client.call(method, arg === undefined ? [] : [arg]);
  const api = {
    beginUpload: (a: unknown) => call('beginUpload', a),
    writeUpload: (a: unknown) => call('writeUpload', a),
    finishUpload: (a: unknown) => call('finishUpload', a),
    discardUpload: (a: unknown) => call('discardUpload', a),
  } as unknown as Pick<SeamApi, 'beginUpload' | 'writeUpload' | 'finishUpload' | 'discardUpload'>;

  /** Uploads bytes under `name` in small chunks, as the model manager's drop zone does. */
  const upload = async (name: string, bytes: Uint8Array) => {
    const blob = new Blob([bytes]);
    return uploadFile(api, { name, size: blob.size, slice: (start, end) => blob.slice(start, end) }, { chunkBytes: 64 * 1024 });
  };
  const userModels = async () => ((await call('listModels')) as ModelInfo[]).filter((m) => !m.builtIn);
  /** Nothing of an import is left: no user model file, nothing in .partial, no upload or import folder. */
  const assertNothingLeft = async () => {
    const models = await readdir(join(dataDir, 'models')).catch(() => [] as string[]);
    assert.deepEqual(models.filter((n) => n.endsWith('.onnx')), []);
    assert.deepEqual(await readdir(join(dataDir, 'models', '.partial')).catch(() => [] as string[]), []);
    assert.deepEqual(await readdir(join(dataDir, 'uploads')), []);
    assert.deepEqual(await userModels(), []);
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'seam-model-contract-'));
    engine = startEngineWorker({ dataDir });
    await engine.ready;
  });
  after(async () => {
    await engine?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the built-in models with task, size, source and licence', async () => {
    const models = (await call('listModels')) as ModelInfo[];
    const landmarks = models.find((m) => m.id === 'face_landmark');
    assert.ok(landmarks, models.map((m) => m.id).join(', '));
    assert.equal(landmarks.task, 'face-landmarks');
    assert.equal(landmarks.builtIn, true);
    assert.ok(landmarks.bytes > 100_000);
    assert.match(landmarks.source, /^npm @mediapipe\//);
    assert.match(landmarks.licence, /Apache/);
    assert.deepEqual(await userModels(), []);
  });

  it('refuses a file that is no checkpoint, naming it, and leaves nothing behind', async () => {
    const { fileId } = await upload('latest_net_G.pth', await readFile(new URL('../fixtures/media/astronaut.png', import.meta.url)));
    await rejectsWithSeamError(call('importSeanModel', { fileId }), 'BAD_INPUT', /latest_net_G\.pth is not a PyTorch checkpoint/);
    await assertNothingLeft();
    await rejectsWithSeamError(call('importSeanModel', { fileId }), 'NOT_FOUND', /No uploaded file/);
  });

  it('refuses another network’s checkpoint with what differs, and leaves nothing behind', async () => {
    const { fileId } = await upload('other_net_G.pth', await readFile(fixture('other-arch.legacy.pth')));
    await rejectsWithSeamError(call('importSeanModel', { fileId, fp16: true }), 'MODEL_INVALID', /other_net_G\.pth.*not SEAN's CelebA-HQ generator/);
    await assertNothingLeft();
  });

  it('refuses bad arguments at the boundary', async () => {
    await rejectsWithSeamError(call('importSeanModel', { fileId: '/etc/passwd' }), 'VALIDATION', /fileId/);
    await rejectsWithSeamError(call('importSeanModel', { fileId: 'file-000000000000' }), 'NOT_FOUND', /No uploaded file file-000000000000/);
  });

  it('lists an installed SEAN pair, refuses importing over it, and removes user models but not built-in ones', async () => {
    await installTinySean(resolvePaths({ dataDir }));
    const installed = await userModels();
    assert.deepEqual(installed.map((m) => [m.id, m.task, m.source, m.licence]), [
      ['sean-celebahq-encoder', 'style-encoder', 'file tiny-encoder.onnx', 'test model'],
      ['sean-celebahq-generator', 'style-generator', 'file tiny-generator.onnx', 'test model'],
    ]);
    const { fileId } = await upload('latest_net_G.pth', await readFile(fixture('small.legacy.pth')));
    await rejectsWithSeamError(call('importSeanModel', { fileId }), 'BAD_INPUT', /already installed; remove it first/);
    assert.deepEqual(await readdir(join(dataDir, 'uploads')), [], 'the refused upload was dropped');

    assert.equal(await call('removeModel', { id: 'sean-celebahq-encoder' }), true);
    assert.equal(await call('removeModel', { id: 'sean-celebahq-generator' }), true);
    await assertNothingLeft();
    await rejectsWithSeamError(call('removeModel', { id: 'sean-celebahq-encoder' }), 'NOT_FOUND', /No user model with id "sean-celebahq-encoder"/);
    await rejectsWithSeamError(call('removeModel', { id: 'face_landmark' }), 'BAD_INPUT', /built-in model and cannot be removed/);
  });
});
