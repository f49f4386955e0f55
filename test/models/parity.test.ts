/**
 * Conversion parity: every built-in model, converted to ONNX by `npm run models`, must compute
 * what the original .tflite computes. The reference is LiteRT.js (Google's own TFLite runtime,
 * XNNPACK in WebAssembly) driven from Node; the candidate is onnxruntime-node on the CPU.
 * Same float32 input through both: two real photos preprocessed per MODELS.md, seeded noise, and
 * a photo with seeded noise on it. Each output's error is printed as a test diagnostic.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ModelManifest, ModelManifestEntry } from '../../src/engine/models/manifest';
import { agreement, formatAgreement } from '../support/compare';
import { TfliteModel } from '../support/litert';
import type { NamedOutput } from '../support/litert';
import { noisyPhotoInput, photoInputs, randomInput } from '../support/model-inputs';
import type { LabelledInput } from '../support/model-inputs';
import { OnnxModel } from '../support/ort';
import { TFLITE_SOURCES, readTflite, sha256Hex } from '../support/tflite-sources';
import type { BuiltInModelId } from '../support/tflite-sources';

/**
 * Bound on max|onnx − tflite| / max(1, max|tflite|), per output.
 *
 * Both runtimes compute in float32 from the same float16-stored weights and differ only in
 * summation order and fused multiply-adds, so the bound is set from measurements (AMD EPYC,
 * onnxruntime-node 1.30, LiteRT.js 2.5.3 compat build), with room for other CPUs' kernels:
 * - detectors and landmarks: worst measured 1.5e-6 (regressors up to |154|, landmarks up to
 *   |163| px) — the 1e-4 default leaves ~70× headroom.
 * - selfie masks (sigmoid probabilities): worst measured 9.5e-5. These nets amplify rounding: the
 *   reference disagrees with itself by up to 4.3e-5 between LiteRT.js's compat and relaxed-SIMD
 *   builds on the same input (pre-sigmoid logits by up to 8e-4 of a ±9.2 range). 5e-4 is ~5× the
 *   measured error and an eighth of one 8-bit mask level, so no rendered mask can change.
 * Measured for scale: shifting the input by one pixel (the size of a SAME-padding mistake) moves
 * the outputs by 1e-2 (landmarks) to 0.95 (masks) relative, far above both bounds.
 */
const DEFAULT_TOLERANCE = 1e-4;
const TOLERANCE: Partial<Record<BuiltInModelId, number>> = {
  selfie_segmentation: 5e-4,
  selfie_segmentation_landscape: 5e-4,
};

const MODELS_DIR = fileURLToPath(new URL('../../resources/models/', import.meta.url));
const RUN_MODELS = 'run `npm run models` to convert the built-in models first';

function readManifest(): ModelManifest {
  const path = `${MODELS_DIR}manifest.json`;
  assert.ok(existsSync(path), `${path} is missing: ${RUN_MODELS}`);
  return JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
}

function onnxPath(id: BuiltInModelId): string {
  const path = `${MODELS_DIR}${id}.onnx`;
  assert.ok(existsSync(path), `${path} is missing: ${RUN_MODELS}`);
  return path;
}

interface Pair {
  tflite: TfliteModel;
  onnx: OnnxModel;
}

/** Models are compiled once per id and freed after the file's tests. */
const pairs = new Map<BuiltInModelId, Promise<Pair>>();
function pair(id: BuiltInModelId): Promise<Pair> {
  let p = pairs.get(id);
  if (!p) {
    p = (async () => {
      const path = onnxPath(id);
      return { tflite: await TfliteModel.load(readTflite(id)), onnx: await OnnxModel.load(path) };
    })();
    pairs.set(id, p);
  }
  return p;
}

after(async () => {
  for (const p of pairs.values()) {
    const loaded = await p.catch(() => undefined);
    loaded?.tflite.delete();
    await loaded?.onnx.release();
  }
});

function shapeOf(shape: ReadonlyArray<number | string>): string {
  return shape.join('×');
}

for (const source of TFLITE_SOURCES) {
  const id = source.id;
  describe(id, () => {
    test('manifest entry records the source and the TFLite signature', async () => {
      const entry: ModelManifestEntry | undefined = readManifest().models.find((m) => m.id === id);
      assert.ok(entry, `manifest.json has no entry "${id}": ${RUN_MODELS}`);
      const bytes = readFileSync(onnxPath(id));
      assert.equal(entry.sha256, sha256Hex(bytes), 'manifest sha256 of the .onnx');
      assert.equal(entry.bytes, bytes.byteLength, 'manifest byte count of the .onnx');
      assert.equal(entry.source.kind, 'npm');
      if (entry.source.kind === 'npm') {
        assert.equal(entry.source.package, source.package);
        assert.equal(entry.source.sha256, source.sha256, 'sha256 of the source .tflite bytes');
      }
      const { tflite } = await pair(id);
      const io = (specs: ModelManifestEntry['inputs']) => specs.map((s) => `${s.name}:${shapeOf(s.shape)}:${s.dtype}`);
      const ref = (specs: Array<{ name: string; shape: number[] }>) => specs.map((s) => `${s.name}:${shapeOf(s.shape)}:float32`);
      assert.deepEqual(io(entry.inputs), ref(tflite.inputs), 'manifest inputs vs TFLite');
      assert.deepEqual(io(entry.outputs), ref(tflite.outputs), 'manifest outputs vs TFLite');
    });

    test('ONNX graph keeps the TFLite input and output names and shapes', async () => {
      const { tflite, onnx } = await pair(id);
      assert.deepEqual([...onnx.inputNames], tflite.inputs.map((s) => s.name));
      assert.deepEqual([...onnx.inputShapes.map(shapeOf)], tflite.inputs.map((s) => shapeOf(s.shape)));
      assert.deepEqual([...onnx.outputNames].sort(), tflite.outputs.map((s) => s.name).sort());
    });

    const tolerance = TOLERANCE[id] ?? DEFAULT_TOLERANCE;
    const cases: Array<[string, () => Promise<LabelledInput[]>]> = [
      ['the fixture photos', () => photoInputs(id)],
      ['seeded noise, alone and on a photo', async () => [randomInput(id, 1), await noisyPhotoInput(id, 2)]],
    ];
    for (const [what, make] of cases) {
      test(`agrees with TFLite on ${what} (tolerance ${tolerance})`, async (t) => {
        const { tflite, onnx } = await pair(id);
        for (const { label, tensor } of await make()) {
          const want = await tflite.run(tensor.data);
          const got = await onnx.run([tensor]);
          assertAgree(t, label, want, got, tolerance);
          if (what === 'the fixture photos') sanity(t, id, label, want);
        }
      });
    }
  });
}

function assertAgree(
  t: { diagnostic(message: string): void },
  label: string,
  want: Record<string, NamedOutput>,
  got: Record<string, NamedOutput>,
  tolerance: number,
): void {
  for (const [name, ref] of Object.entries(want)) {
    const out = got[name];
    assert.ok(out, `${label}: ONNX has no output "${name}" (has ${Object.keys(got).join(', ')})`);
    assert.equal(shapeOf(out.shape), shapeOf(ref.shape), `${label}: shape of "${name}"`);
    const a = agreement(ref.data, out.data);
    t.diagnostic(`${label} ${name}: ${formatAgreement(a)}`);
    assert.equal(a.nonFinite, 0, `${label} ${name}: ${a.nonFinite} non-finite values disagree`);
    assert.ok(
      a.rel <= tolerance,
      `${label} ${name}: ${formatAgreement(a)} exceeds ${tolerance}; worst at flat index ${a.worstIndex} ` +
        `(tflite ${ref.data[a.worstIndex]}, onnx ${out.data[a.worstIndex]})`,
    );
  }
}

/**
 * The photo inputs must look like what the models were trained on, or agreeing on them proves
 * little more than noise does: the detectors must find a face, the landmark model must say the
 * crop is a face, the segmenter must find a person but not everywhere.
 */
function sanity(t: { diagnostic(message: string): void }, id: BuiltInModelId, label: string, out: Record<string, NamedOutput>): void {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const max = (a: Float32Array) => a.reduce((m, v) => Math.max(m, v), -Infinity);
  const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
  let figure: number;
  let ok: boolean;
  if (id === 'face_detection_short_range' || id === 'face_detection_full_range') {
    const scores = Object.entries(out).find(([n]) => n.includes('classif'))![1].data;
    figure = sigmoid(max(scores));
    ok = figure > 0.5;
  } else if (id === 'face_landmark') {
    figure = sigmoid(out['conv2d_31']!.data[0]!);
    ok = figure > 0.5;
  } else {
    figure = mean(Object.values(out)[0]!.data);
    ok = figure > 0.1 && figure < 0.9;
  }
  t.diagnostic(`${label}: reference ${id.startsWith('selfie') ? 'mean mask' : 'best face score'} ${figure.toFixed(3)}`);
  assert.ok(ok, `${label}: the reference does not see a person (${figure}); the test input is not realistic`);
}
