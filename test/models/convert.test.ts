/**
 * The converter on the five real built-in models: the reader sees the ops MODELS.md lists, the
 * build writes ONNX files that onnxruntime-node loads with TFLite's exact names and shapes, the
 * second build skips, and the models do what a user would notice (a face is found, a person is
 * segmented, a face crop reads as a face).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { Logger } from '../../src/engine/context';
import { BUILT_IN_MODELS, readPackedFileTable } from '../../src/engine/models/builtin';
import { buildBuiltInModels, readBuiltInSource } from '../../src/engine/models/build-models';
import { SUPPORTED_OPS, convertTfliteToOnnx } from '../../src/engine/models/convert/tflite-to-onnx';
import type { ModelManifest } from '../../src/engine/models/manifest';
import { operatorNames, readTfliteModel } from '../../src/engine/models/tflite/read-model';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE_MODULES = join(ROOT, 'node_modules');
const MEDIA = join(ROOT, 'test', 'fixtures', 'media');

/** Per model: TFLite operators, inputs and outputs as MODELS.md lists them. */
const EXPECTED: Record<string, { ops: string[]; inputs: Array<[string, number[]]>; outputs: Array<[string, number[]]> }> = {
  face_detection_short_range: {
    ops: ['ADD', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE', 'MAX_POOL_2D', 'PAD', 'RELU', 'RESHAPE'],
    inputs: [['input', [1, 128, 128, 3]]],
    outputs: [['regressors', [1, 896, 16]], ['classificators', [1, 896, 1]]],
  },
  face_detection_full_range: {
    ops: ['ADD', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE', 'MAX_POOL_2D', 'PAD', 'RELU', 'RESHAPE', 'RESIZE_BILINEAR'],
    inputs: [['input', [1, 192, 192, 3]]],
    outputs: [['reshaped_regressor_face_4', [1, 2304, 16]], ['reshaped_classifier_face_4', [1, 2304, 1]]],
  },
  face_landmark: {
    ops: ['ADD', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE', 'MAX_POOL_2D', 'PAD', 'PRELU'],
    inputs: [['input_1', [1, 192, 192, 3]]],
    outputs: [['conv2d_21', [1, 1, 1, 1404]], ['conv2d_31', [1, 1, 1, 1]]],
  },
  selfie_segmentation: {
    ops: ['ADD', 'AVERAGE_POOL_2D', 'CONV_2D', 'Convolution2DTransposeBias', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE', 'HARD_SWISH', 'LOGISTIC', 'MUL', 'RELU', 'RESIZE_BILINEAR'],
    inputs: [['input_1', [1, 256, 256, 3]]],
    outputs: [['activation_10', [1, 256, 256, 1]]],
  },
  selfie_segmentation_landscape: {
    ops: ['ADD', 'CONV_2D', 'Convolution2DTransposeBias', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE', 'HARD_SWISH', 'LOGISTIC', 'MEAN', 'MUL', 'RELU', 'RESIZE_BILINEAR'],
    inputs: [['input_1', [1, 144, 256, 3]]],
    outputs: [['segment_back', [1, 144, 256, 1]]],
  },
};

/** MODELS.md "Converter facts": the five models' ops (STRIDED_SLICE is only in the attention model). */
const MODELS_MD_OPS = ['ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE', 'HARD_SWISH', 'LOGISTIC', 'MAX_POOL_2D', 'MEAN', 'MUL', 'PAD', 'PRELU', 'RELU', 'RESHAPE', 'RESIZE_BILINEAR', 'Convolution2DTransposeBias'];

function source(id: string): Uint8Array {
  const model = BUILT_IN_MODELS.find((m) => m.id === id);
  assert.ok(model, id);
  return readBuiltInSource(model, NODE_MODULES).bytes;
}

describe('TFLite reader on the built-in models', () => {
  for (const [id, expected] of Object.entries(EXPECTED)) {
    test(`${id}: ops, inputs and outputs are the ones MODELS.md lists`, () => {
      const model = readTfliteModel(source(id));
      assert.deepEqual(operatorNames(model), [...expected.ops].sort());
      assert.deepEqual(model.inputs.map((i) => [model.tensors[i]!.name, model.tensors[i]!.shape]), expected.inputs);
      assert.deepEqual(model.outputs.map((i) => [model.tensors[i]!.name, model.tensors[i]!.shape]), expected.outputs);
    });
  }

  test('the five models together use exactly the ops in MODELS.md, all supported', () => {
    const all = new Set(Object.values(EXPECTED).flatMap((e) => e.ops));
    assert.deepEqual([...all].sort(), [...MODELS_MD_OPS].sort());
    for (const op of all) assert.ok(SUPPORTED_OPS.includes(op), op);
  });

  test('the face mesh loader lists face_landmark.tflite at the byte range MODELS.md gives', () => {
    const loader = readFileSync(join(NODE_MODULES, '@mediapipe/face_mesh/face_mesh_solution_packed_assets_loader.js'), 'utf8');
    const entry = readPackedFileTable(loader).files.find((f) => f.filename.endsWith('/face_landmark.tflite'));
    assert.deepEqual(entry && [entry.start, entry.end], [2_495_952, 3_737_848]);
  });

  test('convertTfliteToOnnx keeps TFLite names and NHWC shapes', () => {
    const result = convertTfliteToOnnx(source('selfie_segmentation'), { name: 'selfie_segmentation' });
    assert.deepEqual(result.inputs, [{ name: 'input_1', shape: [1, 256, 256, 3], dtype: 'float32' }]);
    assert.deepEqual(result.outputs, [{ name: 'activation_10', shape: [1, 256, 256, 1], dtype: 'float32' }]);
    assert.ok(result.onnxOps.includes('ConvTranspose'));
    assert.ok(!result.onnxOps.includes('DequantizeLinear'), 'float16 weights are folded, not dequantized at run time');
  });
});

describe('npm run models (buildBuiltInModels)', () => {
  let dir: string;
  let manifest: ModelManifest;
  const messages: string[] = [];
  const logger: Logger = { debug() {}, info: (m) => messages.push(m), warn: (m) => messages.push(`warn: ${m}`), error: (m) => messages.push(`error: ${m}`) };
  const sessions = new Map<string, ort.InferenceSession>();

  async function session(id: string): Promise<ort.InferenceSession> {
    let s = sessions.get(id);
    if (!s) sessions.set(id, (s = await ort.InferenceSession.create(join(dir, `${id}.onnx`), { executionProviders: ['cpu'] })));
    return s;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seam-models-'));
    manifest = await buildBuiltInModels({ modelsDir: dir, nodeModulesDir: NODE_MODULES, logger });
  });

  after(async () => {
    for (const s of sessions.values()) await s.release();
    rmSync(dir, { recursive: true, force: true });
  });

  test('writes every built-in model and a manifest that describes it', () => {
    assert.deepEqual(manifest.models.map((m) => m.id), Object.keys(EXPECTED));
    const onDisk = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
    assert.deepEqual(onDisk, manifest);
    for (const entry of manifest.models) {
      assert.equal(entry.licence, 'Apache-2.0');
      assert.equal(entry.builtIn, true);
      assert.equal(entry.source.kind, 'npm');
      assert.match(entry.sha256, /^[0-9a-f]{64}$/);
      assert.equal(statSync(join(dir, entry.file)).size, entry.bytes);
    }
    const landmark = manifest.models.find((m) => m.id === 'face_landmark')!;
    assert.ok(landmark.source.kind === 'npm' && landmark.source.byteRange[0] === 2_495_952 && landmark.source.byteRange[1] === 3_737_848);
  });

  test('a second build converts nothing and leaves the files untouched', async () => {
    const before = manifest.models.map((m) => statSync(join(dir, m.file)).mtimeMs);
    messages.length = 0;
    const again = await buildBuiltInModels({ modelsDir: dir, nodeModulesDir: NODE_MODULES, logger });
    assert.deepEqual(again, manifest);
    assert.equal(messages.filter((m) => m.includes('up to date')).length, manifest.models.length, messages.join('\n'));
    assert.ok(!messages.some((m) => m.startsWith('models: converted')), messages.join('\n'));
    assert.ok(messages.some((m) => m.includes('manifest.json unchanged')));
    assert.deepEqual(manifest.models.map((m) => statSync(join(dir, m.file)).mtimeMs), before);
  });

  for (const [id, expected] of Object.entries(EXPECTED)) {
    test(`${id} loads in onnxruntime-node with TFLite's names and shapes`, async () => {
      const s = await session(id);
      assert.deepEqual(s.inputNames, expected.inputs.map(([n]) => n));
      assert.deepEqual(s.outputNames, expected.outputs.map(([n]) => n));
      const entry = manifest.models.find((m) => m.id === id)!;
      assert.deepEqual(entry.inputs.map((t) => [t.name, t.shape]), expected.inputs);
      assert.deepEqual(entry.outputs.map((t) => [t.name, t.shape]), expected.outputs);
    });
  }

  test('short-range face detector finds the astronaut\'s face where it is', async () => {
    const input = await imageTensor('astronaut.png', 128, 128, -1, 1); // square photo: letterbox = resize
    const out = await (await session('face_detection_short_range')).run({ input });
    const scores = out.classificators!.data as Float32Array;
    const boxes = out.regressors!.data as Float32Array;
    const anchors = shortRangeAnchors();
    let best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
    const score = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, scores[best]!))));
    assert.ok(score > 0.5, `best score ${score}`);
    const cx = anchors[best]![0] + boxes[best * 16]! / 128;
    const cy = anchors[best]![1] + boxes[best * 16 + 1]! / 128;
    const w = boxes[best * 16 + 2]! / 128;
    // The face in astronaut.png spans about x 175–290, y 60–200 of 512 (centre ≈ 0.45, 0.26).
    assert.ok(cx > 0.35 && cx < 0.55 && cy > 0.15 && cy < 0.4, `face centre (${cx.toFixed(3)}, ${cy.toFixed(3)})`);
    assert.ok(w > 0.15 && w < 0.4, `face width ${w.toFixed(3)}`);
  });

  test('full-range face detector scores a face on both photos', async () => {
    for (const photo of ['astronaut.png', 'grace_hopper.jpg']) {
      const input = await imageTensor(photo, 192, 192, -1, 1, true);
      const out = await (await session('face_detection_full_range')).run({ input });
      const best = Math.max(...(out.reshaped_classifier_face_4!.data as Float32Array));
      assert.ok(1 / (1 + Math.exp(-best)) > 0.6, `${photo}: best score ${best}`);
    }
  });

  test('face landmark model sees a face in a face crop and not in a corner of the photo', async () => {
    const s = await session('face_landmark');
    const face = await imageTensor('astronaut.png', 192, 192, 0, 1, false, { left: 140, top: 35, width: 170, height: 170 });
    const faceOut = await s.run({ input_1: face });
    const presence = (faceOut.conv2d_31!.data as Float32Array)[0]!;
    assert.ok(presence > 0, `presence logit ${presence} on the face`);
    const xy = faceOut.conv2d_21!.data as Float32Array;
    let inside = 0;
    for (let i = 0; i < 468; i++) if (xy[3 * i]! >= 0 && xy[3 * i]! <= 192 && xy[3 * i + 1]! >= 0 && xy[3 * i + 1]! <= 192) inside++;
    assert.ok(inside > 460, `${inside} of 468 landmarks inside the crop`);
    const corner = await imageTensor('astronaut.png', 192, 192, 0, 1, false, { left: 330, top: 330, width: 170, height: 170 });
    const cornerPresence = ((await s.run({ input_1: corner })).conv2d_31!.data as Float32Array)[0]!;
    assert.ok(cornerPresence < 0, `presence logit ${cornerPresence} off the face`);
  });

  test('selfie segmentation gives probabilities, high on the person and low in the top corners', async () => {
    for (const [id, w, h] of [['selfie_segmentation', 256, 256], ['selfie_segmentation_landscape', 256, 144]] as const) {
      const s = await session(id);
      const input = await imageTensor('grace_hopper.jpg', w, h, 0, 1);
      const out = (await s.run({ input_1: input }))[s.outputNames[0]!]!.data as Float32Array;
      assert.equal(out.length, w * h);
      for (const v of out) assert.ok(v >= 0 && v <= 1, `${id}: ${v} outside [0, 1]`);
      const at = (fx: number, fy: number) => out[Math.floor(fy * h) * w + Math.floor(fx * w)]!;
      assert.ok(at(0.5, 0.4) > 0.9, `${id}: face ${at(0.5, 0.4)}`);
      assert.ok(at(0.5, 0.9) > 0.9, `${id}: uniform ${at(0.5, 0.9)}`);
      assert.ok(at(0.03, 0.03) < 0.1 && at(0.97, 0.03) < 0.1, `${id}: corners ${at(0.03, 0.03)}, ${at(0.97, 0.03)}`);
    }
  });
});

/** An NHWC float tensor of a photo (optionally a crop of it), scaled to [lo, hi]. */
async function imageTensor(file: string, width: number, height: number, lo: number, hi: number, letterbox = false, crop?: { left: number; top: number; width: number; height: number }): Promise<ort.Tensor> {
  let image = sharp(join(MEDIA, file)).removeAlpha();
  if (crop) image = image.extract(crop);
  const { data } = await image
    .resize(width, height, letterbox ? { fit: 'contain', background: { r: 0, g: 0, b: 0 } } : { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = Float32Array.from(data, (v) => lo + (v / 255) * (hi - lo));
  // A letterbox border is zero in the model's range (MODELS.md), not black.
  if (letterbox) {
    const meta = await sharp(join(MEDIA, file)).metadata();
    const scale = Math.min(width / meta.width!, height / meta.height!);
    const padX = Math.round((width - meta.width! * scale) / 2);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      if (x < padX || x >= width - padX) for (let c = 0; c < 3; c++) pixels[(y * width + x) * 3 + c] = 0;
    }
  }
  return new ort.Tensor('float32', pixels, [1, height, width, 3]);
}

/** MediaPipe's SSD anchors for the short-range detector (centres only; fixed_anchor_size). */
function shortRangeAnchors(): Array<[number, number]> {
  const anchors: Array<[number, number]> = [];
  for (const [stride, perCell] of [[8, 2], [16, 6]] as const) {
    const size = 128 / stride;
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) for (let k = 0; k < perCell; k++) anchors.push([(x + 0.5) / size, (y + 0.5) / size]);
  }
  return anchors;
}
