/**
 * Parity with PyTorch at full size: reference/make_parity_case.py builds SEAN's exact architecture
 * (266.9 M parameters) with random weights in torch, saves it in the legacy format torch 1.2 wrote
 * (and in the zip format), and computes the encoder's codes and the generator's image for given
 * image / seg / codes / noise. Seam imports the legacy checkpoint through the user model store
 * (ONNX written, copied, hashed, loaded and contract-checked by onnxruntime), runs both models in
 * onnxruntime-node, and must match within 1e-4.
 *
 * Skips, with the reason, only where no Python with torch exists (Debian: python3-torch).
 * SEAM_SEAN_CASE_DIR=<dir> reuses (or keeps) a generated case between runs.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InferenceSession } from 'onnxruntime-node';
import { silentLogger, type Progress } from '../../src/engine/context';
import { importSeanCheckpoint, type ImportedSean } from '../../src/engine/models/sean/import-sean';
import { listModels } from '../../src/engine/models/store';
import { TorchCheckpoint } from '../../src/engine/models/torch/torch-checkpoint';
import { SeamError } from '../../src/shared/errors';
import { generatorFeeds, loadParityCase, maxAbsDifference, type ParityCase } from './support/parity-case';
import { findPythonWithTorch, REFERENCE_DIR, runPython, TORCH_MISSING } from './support/python-torch';
import { createEditDeps } from '../../src/engine/edit/edit-deps';
import { createProcessContext } from '../../src/engine/edit/edit-photo';
import { neuralRegionStyle } from '../../src/engine/edit/processors/neural-region-style/neural-region-style';
import { decodeImage } from '../../src/engine/image/decode';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths, type SeamPaths } from '../../src/engine/paths';

const TOLERANCE = 1e-4;
const FACTS_TSV = '/work/shared/facts/sean/generator_state_dict.tsv';
const python = findPythonWithTorch();
const threads = Math.max(1, Math.min(4, cpus().length));

describe('SEAN import: parity with the PyTorch reference (full size)', { timeout: 15 * 60_000 }, () => {
  let root: string;
  let caseDir: string;
  let keepCase = false;
  let parity: ParityCase;
  let imported: ImportedSean;
  let paths: SeamPaths;
  const timings: Record<string, number> = {};
  let importPeakRss = 0;

  before(async () => {
    if (!python) return;
    root = await mkdtemp(join(tmpdir(), 'seam-sean-parity-'));
    caseDir = process.env.SEAM_SEAN_CASE_DIR ?? join(root, 'case');
    keepCase = process.env.SEAM_SEAN_CASE_DIR !== undefined;
    if (!existsSync(join(caseDir, 'case.json'))) {
      await mkdir(caseDir, { recursive: true });
      const started = performance.now();
      const args = [join(REFERENCE_DIR, 'make_parity_case.py'), '--out', caseDir, '--formats', 'legacy,zip', '--threads', String(threads)];
      if (existsSync(FACTS_TSV)) args.push('--tsv', FACTS_TSV);
      await runPython(python, args);
      timings.pythonReferenceS = (performance.now() - started) / 1000;
    }
    parity = loadParityCase(caseDir);

    paths = { builtInModelsDir: join(root, 'builtin'), userModelsDir: join(root, 'user'), bundledFfmpegDir: join(root, 'ffmpeg'), dataDir: root };
    const sampler = setInterval(() => (importPeakRss = Math.max(importPeakRss, process.memoryUsage().rss)), 100);
    const started = performance.now();
    try {
      imported = await importSeanCheckpoint(paths, join(caseDir, 'checkpoint.legacy.pth'), {}, { logger: silentLogger });
    } finally {
      clearInterval(sampler);
    }
    timings.importS = (performance.now() - started) / 1000;
  });

  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
    if (caseDir && !keepCase) await rm(caseDir, { recursive: true, force: true });
  });

  it('registers the encoder and generator in the user store with their tasks', async (t) => {
    if (!python) return t.skip(TORCH_MISSING);
    assert.equal(imported.checkpointFormat, 'legacy');
    const listed = await listModels(paths, { verifyHashes: false });
    assert.deepEqual(listed.map((m) => [m.id, m.task, m.status]), [
      ['sean-celebahq-encoder', 'style-encoder', 'unverified'],
      ['sean-celebahq-generator', 'style-generator', 'unverified'],
    ]);
    assert.equal(imported.generator.inputs.length, 20);
    t.diagnostic(`import: ${timings.importS!.toFixed(1)} s, peak RSS ${(importPeakRss / 2 ** 20).toFixed(0)} MiB, generator ${(imported.generator.bytes / 1e6).toFixed(1)} MB`);
    if (timings.pythonReferenceS) t.diagnostic(`python reference (build, forward, save ×2): ${timings.pythonReferenceS.toFixed(1)} s`);
  });

  it(`encoder codes match PyTorch within ${TOLERANCE}`, async (t) => {
    if (!python) return t.skip(TORCH_MISSING);
    const session = await InferenceSession.create(join(paths.userModelsDir, imported.encoder.file), { executionProviders: ['cpu'], intraOpNumThreads: threads });
    try {
      const out = await session.run({ image: parity.tensor('image'), seg: parity.tensor('seg') });
      const difference = maxAbsDifference(out.codes!.data as Float32Array, parity.array('ref_codes'));
      t.diagnostic(`encoder max abs difference ${difference.toExponential(2)}`);
      assert.ok(difference <= TOLERANCE, `encoder differs by ${difference}`);
    } finally {
      await session.release();
    }
  });

  it(`generator image matches PyTorch within ${TOLERANCE}`, async (t) => {
    if (!python) return t.skip(TORCH_MISSING);
    const session = await InferenceSession.create(join(paths.userModelsDir, imported.generator.file), { executionProviders: ['cpu'], intraOpNumThreads: threads });
    try {
      const started = performance.now();
      const out = await session.run(generatorFeeds(parity));
      const ms = performance.now() - started;
      const image = out.image!.data as Float32Array;
      const difference = maxAbsDifference(image, parity.array('ref_image'));
      t.diagnostic(`generator max abs difference ${difference.toExponential(2)} (one run ${ms.toFixed(0)} ms, ${threads} threads)`);
      assert.ok(difference <= TOLERANCE, `generator differs by ${difference}`);
      // The comparison is made on informative values, not a saturated tanh.
      const saturated = image.filter((v) => Math.abs(v) > 0.999).length / image.length;
      assert.ok(saturated < 0.05, `${(saturated * 100).toFixed(1)} % of the output is saturated`);
    } finally {
      await session.release();
    }
  });

  it('the neural region style processor runs on the imported full-size models: pixels change only where it says, the same seed gives the same pixels', async (t) => {
    if (!python) return t.skip(TORCH_MISSING);
    // The built-in detectors from the repository, SEAN from the store this test imported into.
    const editPaths: SeamPaths = { ...resolvePaths(), userModelsDir: paths.userModelsDir, dataDir: root };
    const pool = new SessionPool({ logger: silentLogger, providers: ['cpu'] });
    const deps = createEditDeps(editPaths, silentLogger, pool);
    const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);
    const photo = await decodeImage(media('astronaut.png'));
    const run = async (seed: number) => {
      const instance = neuralRegionStyle.create(deps);
      try {
        const ctx = createProcessContext(deps, { logger: silentLogger });
        const options = neuralRegionStyle.parseOptions({ reference: media('grace_hopper.jpg'), regions: { hair: 1, skin: 0.5 }, seed });
        return await instance.process({ image: photo, analysis: deps.analyzer.analyze(photo), index: 0 }, options, ctx);
      } finally {
        await instance.dispose();
      }
    };
    try {
      const started = performance.now();
      const first = await run(5);
      t.diagnostic(`neural region style on ${photo.width}×${photo.height} with full-size SEAN: ${(performance.now() - started).toFixed(0)} ms (first run, models loaded)`);
      let inside = 0;
      let changedInside = 0;
      for (let p = 0; p < first.region.length; p++) {
        const o = p * 3;
        const same = first.image.data[o] === photo.data[o] && first.image.data[o + 1] === photo.data[o + 1] && first.image.data[o + 2] === photo.data[o + 2];
        if (first.region[p] === 0) assert.ok(same, `pixel ${p} changed outside the region the processor reported`);
        else {
          inside++;
          if (!same) changedInside++;
        }
      }
      assert.ok(inside > 5000 && inside < first.region.length / 2, `the redrawn region is the head, not nothing or the whole photo (${inside} pixels)`);
      assert.ok(changedInside > inside / 2, `the generator's pixels reached the photo (${changedInside} of ${inside} changed)`);
      const again = await run(5);
      assert.deepEqual(again.image.data, first.image.data, 'the same seed renders the same pixels');
    } finally {
      await pool.releaseAll();
    }
  });

  it('cancelling mid-conversion installs nothing and leaves no partial files', async (t) => {
    if (!python) return t.skip(TORCH_MISSING);
    const other: SeamPaths = { ...paths, userModelsDir: join(root, 'user-cancelled') };
    const controller = new AbortController();
    const onProgress = (p: Progress) => {
      if (p.stage === 'convert-generator' && p.done > 50e6) controller.abort();
    };
    await assert.rejects(
      importSeanCheckpoint(other, join(caseDir, 'checkpoint.legacy.pth'), {}, { logger: silentLogger, signal: controller.signal, onProgress }),
      (error: unknown) => error instanceof SeamError && error.code === 'CANCELLED',
    );
    assert.deepEqual(await listModels(other, { verifyHashes: false }), []);
    assert.deepEqual(await readdir(join(other.userModelsDir, '.partial')), []);
  });

  it('reads the zip-format checkpoint to the same tensors', async (t) => {
    if (!python) return t.skip(TORCH_MISSING);
    const legacy = await TorchCheckpoint.open(join(caseDir, 'checkpoint.legacy.pth'));
    const zip = await TorchCheckpoint.open(join(caseDir, 'checkpoint.zip.pth'));
    try {
      assert.equal(zip.format, 'zip');
      assert.deepEqual([...zip.tensors], [...legacy.tensors]);
      for (const name of ['Zencoder.model.10.weight', 'head_0.conv_0.weight_orig', 'up_2.ace_1.fc_mu18.weight', 'up_3.ace_s.param_free_norm.num_batches_tracked', 'conv_img.bias']) {
        assert.deepEqual(await zip.readFloat32(name), await legacy.readFloat32(name), name);
      }
    } finally {
      await Promise.all([legacy.close(), zip.close()]);
    }
  });
});
