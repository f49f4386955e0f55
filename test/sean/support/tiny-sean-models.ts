/**
 * A pair of tiny models that honour the style-encoder / style-generator contract
 * (docs/GENERATORS.md) exactly as SEAN's import does — same tensor names and shapes, a noise input —
 * installed through the model store under SEAN's ids, so the neural region-style processor runs
 * end to end in milliseconds. A full-size random-weight SEAN checkpoint takes minutes to make with
 * PyTorch and a gigabyte to import (parity.test.ts does that); what the processor adds — alignment,
 * label one-hot, code mixing, seeded noise, paste back — does not depend on the weights.
 *
 *   encoder: code_j = [mean RGB of label j's pixels (in [-1, 1]), 0, …, 0]    (a region-average pool, as SEAN's)
 *   generator: pixel = code_{label}[0..2] + NOISE_GAIN · noise_up_3_ace_1, clipped to [-1, 1]
 *
 * So a region generated from a reference's code takes that region's mean colour, and the seed moves
 * every generated pixel.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../src/engine/context';
import type { ModelManifestEntry } from '../../../src/engine/models/manifest';
import { attr, OnnxDataType, OnnxGraphBuilder } from '../../../src/engine/models/onnx/graph-builder';
import { seanModelIds } from '../../../src/engine/models/sean/import-sean';
import { importModel } from '../../../src/engine/models/store';
import type { SeamPaths } from '../../../src/engine/paths';

const F = OnnxDataType.FLOAT;
const PIXELS = 256 * 256;
export const NOISE_GAIN = 0.15;

/** [rows × cols] with 1 on the first min(rows, cols) diagonal entries: puts RGB into a code and back. */
function corner(rows: number, cols: number): Float32Array {
  const m = new Float32Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) m[i * cols + i] = 1;
  return m;
}

export function tinyEncoder(): Uint8Array {
  const g = new OnnxGraphBuilder('tiny-style-encoder');
  const image = g.addInput('image', F, [1, 3, 256, 256]);
  const seg = g.addInput('seg', F, [1, 19, 256, 256]);
  const pixels = g.addNode('Reshape', [image, g.addInt64Vector('image_shape', [1, 3, PIXELS])]);
  const labels = g.addNode('Reshape', [seg, g.addInt64Vector('seg_shape', [1, 19, PIXELS])]);
  const sums = g.addNode('MatMul', [labels, g.addNode('Transpose', [pixels], { perm: attr.ints([0, 2, 1]) })]);
  const counts = g.addNode('ReduceSum', [labels, g.addInt64Vector('axes', [2])], { keepdims: attr.int(1) });
  const means = g.addNode('Div', [sums, g.addNode('Max', [counts, g.addFloatInitializer('one', [], [1])])]);
  const codes = g.addNode('MatMul', [means, g.addFloatInitializer('to_code', [3, 512], corner(3, 512))]);
  g.addOutput(codes, F, [1, 19, 512], 'codes');
  return g.encode({ producerName: 'seam-test' });
}

export function tinyGenerator(): Uint8Array {
  const g = new OnnxGraphBuilder('tiny-style-generator');
  const seg = g.addInput('seg', F, [1, 19, 256, 256]);
  const codes = g.addInput('codes', F, [1, 19, 512]);
  const noise = g.addInput('noise_up_3_ace_1', F, [1, 1, 256, 256]);
  const colours = g.addNode('MatMul', [codes, g.addFloatInitializer('from_code', [512, 3], corner(512, 3))]);
  const labels = g.addNode('Reshape', [seg, g.addInt64Vector('seg_shape', [1, 19, PIXELS])]);
  const painted = g.addNode('MatMul', [g.addNode('Transpose', [colours], { perm: attr.ints([0, 2, 1]) }), labels]);
  const planes = g.addNode('Reshape', [painted, g.addInt64Vector('image_shape', [1, 3, 256, 256])]);
  const noisy = g.addNode('Add', [planes, g.addNode('Mul', [noise, g.addFloatInitializer('gain', [], [NOISE_GAIN])])]);
  const clipped = g.addNode('Clip', [noisy, g.addFloatInitializer('lo', [], [-1]), g.addFloatInitializer('hi', [], [1])]);
  g.addOutput(clipped, F, [1, 3, 256, 256], 'image');
  return g.encode({ producerName: 'seam-test' });
}

/** Installs the pair into `paths`' user store under SEAN's ids, through the store's own checks. */
export async function installTinySean(paths: SeamPaths): Promise<{ encoder: ModelManifestEntry; generator: ModelManifestEntry }> {
  const ids = seanModelIds();
  const dir = await mkdtemp(join(tmpdir(), 'seam-tiny-sean-'));
  try {
    await writeFile(join(dir, 'tiny-encoder.onnx'), tinyEncoder());
    await writeFile(join(dir, 'tiny-generator.onnx'), tinyGenerator());
    const ctx = { logger: silentLogger };
    const encoder = await importModel(paths, join(dir, 'tiny-encoder.onnx'), { task: 'style-encoder', id: ids.encoder, licence: 'test model' }, ctx);
    const generator = await importModel(paths, join(dir, 'tiny-generator.onnx'), { task: 'style-generator', id: ids.generator, licence: 'test model' }, ctx);
    return { encoder, generator };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
