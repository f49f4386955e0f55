/**
 * Tiny, valid ONNX models for each task contract, written on the fly by the tests.
 *
 * Graphs are described declaratively below and encoded with the converter's ONNX writer
 * (src/engine/models/onnx/), the same code that writes the built-in models. (An early version of
 * this file carried its own minimal protobuf encoder until that writer existed; it is gone.)
 *
 * Every fixture's outputs depend on its inputs (means, a 3×3 convolution), so tests can tell two
 * runs with different inputs apart.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelTask } from '../../src/engine/models/manifest';
import {
  encodeModel as encodeOnnxModel,
  littleEndianBytes,
  OnnxDataType,
  type OnnxAttribute,
  type OnnxModel,
} from '../../src/engine/models/onnx/graph-builder';

// ---- a small graph description and its ONNX encoding ------------------------------------------

const ELEM_TYPE = { float32: OnnxDataType.FLOAT, int64: OnnxDataType.INT64 } as const;
type ElemType = keyof typeof ELEM_TYPE;

export interface FixtureValue {
  name: string;
  dtype: ElemType;
  /** Numbers are fixed sizes, strings symbolic ones. */
  shape: Array<number | string>;
}

export type FixtureAttribute = number | number[] | string;

export interface FixtureNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integers become INT/INTS, non-integers FLOAT/FLOATS (write 1.5, not 1, for a float). */
  attributes?: Record<string, FixtureAttribute>;
}

export interface FixtureInitializer {
  name: string;
  dtype: ElemType;
  dims: number[];
  values: number[];
}

export interface FixtureGraph {
  inputs: FixtureValue[];
  outputs: FixtureValue[];
  nodes: FixtureNode[];
  initializers?: FixtureInitializer[];
  opset?: number;
}

function toAttribute(value: FixtureAttribute): OnnxAttribute {
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: 'int', value } : { kind: 'float', value };
  return value.every(Number.isInteger) ? { kind: 'ints', value } : { kind: 'floats', value };
}

function rawData(init: FixtureInitializer): Uint8Array {
  if (init.dtype === 'int64') return littleEndianBytes(BigInt64Array.from(init.values.map(BigInt)));
  return littleEndianBytes(Float32Array.from(init.values));
}

export function toOnnxModel(graph: FixtureGraph): OnnxModel {
  const valueInfo = (v: FixtureValue) => ({ name: v.name, elemType: ELEM_TYPE[v.dtype], shape: v.shape });
  return {
    irVersion: 8, // goes with opset 17
    opsets: [{ domain: '', version: graph.opset ?? 17 }],
    producerName: 'seam-test-fixtures',
    producerVersion: '0',
    graph: {
      name: 'fixture',
      nodes: graph.nodes.map((node, index) => ({
        opType: node.op,
        name: `${node.op}_${index}`,
        inputs: node.inputs,
        outputs: node.outputs,
        attributes: Object.fromEntries(Object.entries(node.attributes ?? {}).map(([k, v]) => [k, toAttribute(v)])),
      })),
      initializers: (graph.initializers ?? []).map((init) => ({ name: init.name, dataType: ELEM_TYPE[init.dtype], dims: init.dims, rawData: rawData(init) })),
      inputs: graph.inputs.map(valueInfo),
      outputs: graph.outputs.map(valueInfo),
    },
  };
}

export function encodeModel(graph: FixtureGraph): Uint8Array {
  return encodeOnnxModel(toOnnxModel(graph));
}

// ---- one fixture per task -----------------------------------------------------------------------

const shapeOf = (name: string, dims: number[]): FixtureInitializer => ({ name, dtype: 'int64', dims: [dims.length], values: dims });

/**
 * MediaPipe-like face detector: `input` [1,S,S,3] → `regressors` [1,N,16], `classificators` [1,N,1].
 * With `anchorBias` the regressors get a learned-looking [1,N,16] bias (N×64 bytes more file), which
 * gives the download tests a body that arrives in many chunks.
 */
export function faceDetectionGraph(size = 128, anchors = 896, options: { anchorBias?: boolean } = {}): FixtureGraph {
  const bias: FixtureInitializer[] = options.anchorBias
    ? [{ name: 'anchor_bias', dtype: 'float32', dims: [1, anchors, 16], values: Array.from({ length: anchors * 16 }, (_, i) => Math.sin(i)) }]
    : [];
  const regressorsFrom = options.anchorBias ? 'expanded' : 'regressors';
  return {
    inputs: [{ name: 'input', dtype: 'float32', shape: [1, size, size, 3] }],
    outputs: [
      { name: 'regressors', dtype: 'float32', shape: [1, anchors, 16] },
      { name: 'classificators', dtype: 'float32', shape: [1, anchors, 1] },
    ],
    initializers: [shapeOf('reg_shape', [1, anchors, 16]), shapeOf('cls_shape', [1, anchors, 1]), shapeOf('flat3', [1, 1, 1]), ...bias],
    nodes: [
      { op: 'ReduceMean', inputs: ['input'], outputs: ['mean4'], attributes: { axes: [1, 2, 3], keepdims: 1 } },
      { op: 'Reshape', inputs: ['mean4', 'flat3'], outputs: ['mean3'] },
      { op: 'Expand', inputs: ['mean3', 'reg_shape'], outputs: [regressorsFrom] },
      ...(options.anchorBias ? [{ op: 'Add', inputs: ['expanded', 'anchor_bias'], outputs: ['regressors'] }] : []),
      { op: 'Sigmoid', inputs: ['mean3'], outputs: ['score'] },
      { op: 'Expand', inputs: ['score', 'cls_shape'], outputs: ['classificators'] },
    ],
  };
}

/** MediaPipe-like landmarks: `input_1` [1,192,192,3] → `conv2d_21` [1,1,1,1404], `conv2d_31` [1,1,1,1]. */
export function faceLandmarksGraph(size = 192): FixtureGraph {
  return {
    inputs: [{ name: 'input_1', dtype: 'float32', shape: [1, size, size, 3] }],
    outputs: [
      { name: 'conv2d_21', dtype: 'float32', shape: [1, 1, 1, 1404] },
      { name: 'conv2d_31', dtype: 'float32', shape: [1, 1, 1, 1] },
    ],
    initializers: [shapeOf('lm_shape', [1, 1, 1, 1404])],
    nodes: [
      { op: 'ReduceMean', inputs: ['input_1'], outputs: ['mean4'], attributes: { axes: [1, 2, 3], keepdims: 1 } },
      { op: 'Expand', inputs: ['mean4', 'lm_shape'], outputs: ['conv2d_21'] },
      { op: 'Identity', inputs: ['mean4'], outputs: ['conv2d_31'] },
    ],
  };
}

/**
 * Selfie-like segmentation: `input_1` [1,H,W,3] → `activation_10` [1,H,W,1] through a real 3×3
 * convolution, so every output pixel depends on its neighbourhood (the concurrency test needs that).
 */
export function personSegmentationGraph(height = 256, width = 256): FixtureGraph {
  const weights = Array.from({ length: 27 }, (_, i) => ((i * 7) % 11) / 11 - 0.5);
  return {
    inputs: [{ name: 'input_1', dtype: 'float32', shape: [1, height, width, 3] }],
    outputs: [{ name: 'activation_10', dtype: 'float32', shape: [1, height, width, 1] }],
    initializers: [
      { name: 'w', dtype: 'float32', dims: [1, 3, 3, 3], values: weights },
      { name: 'b', dtype: 'float32', dims: [1], values: [0.1] },
    ],
    nodes: [
      { op: 'Transpose', inputs: ['input_1'], outputs: ['nchw'], attributes: { perm: [0, 3, 1, 2] } },
      { op: 'Conv', inputs: ['nchw', 'w', 'b'], outputs: ['conv'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { op: 'Sigmoid', inputs: ['conv'], outputs: ['prob'] },
      { op: 'Transpose', inputs: ['prob'], outputs: ['activation_10'], attributes: { perm: [0, 2, 3, 1] } },
    ],
  };
}

/** SEAN-like encoder: `image` [1,3,S,S] + `labels` [1,19,S,S] → `codes` [1,19,512]. */
export function styleEncoderGraph(size = 256): FixtureGraph {
  return {
    inputs: [
      { name: 'image', dtype: 'float32', shape: [1, 3, size, size] },
      { name: 'labels', dtype: 'float32', shape: [1, 19, size, size] },
    ],
    outputs: [{ name: 'codes', dtype: 'float32', shape: [1, 19, 512] }],
    initializers: [shapeOf('col', [1, 19, 1]), shapeOf('codes_shape', [1, 19, 512]), shapeOf('one3', [1, 1, 1])],
    nodes: [
      { op: 'ReduceMean', inputs: ['labels'], outputs: ['area'], attributes: { axes: [2, 3], keepdims: 0 } },
      { op: 'Reshape', inputs: ['area', 'col'], outputs: ['area3'] },
      { op: 'ReduceMean', inputs: ['image'], outputs: ['tone'], attributes: { axes: [1, 2, 3], keepdims: 1 } },
      { op: 'Reshape', inputs: ['tone', 'one3'], outputs: ['tone3'] },
      { op: 'Mul', inputs: ['area3', 'tone3'], outputs: ['code_col'] },
      { op: 'Expand', inputs: ['code_col', 'codes_shape'], outputs: ['codes'] },
    ],
  };
}

/** SEAN-like generator: `labels` [1,19,S,S] + `codes` [1,19,512] + `noise` [1,1,S,S] → `image` [1,3,S,S] (tanh). */
export function styleGeneratorGraph(size = 256): FixtureGraph {
  return {
    inputs: [
      { name: 'labels', dtype: 'float32', shape: [1, 19, size, size] },
      { name: 'codes', dtype: 'float32', shape: [1, 19, 512] },
      { name: 'noise', dtype: 'float32', shape: [1, 1, size, size] },
    ],
    outputs: [{ name: 'image', dtype: 'float32', shape: [1, 3, size, size] }],
    initializers: [shapeOf('one4', [1, 1, 1, 1]), shapeOf('img_shape', [1, 3, size, size])],
    nodes: [
      { op: 'ReduceMean', inputs: ['labels'], outputs: ['layout'], attributes: { axes: [1], keepdims: 1 } },
      { op: 'ReduceMean', inputs: ['codes'], outputs: ['style'], attributes: { axes: [1, 2], keepdims: 1 } },
      { op: 'Reshape', inputs: ['style', 'one4'], outputs: ['style4'] },
      { op: 'Mul', inputs: ['layout', 'style4'], outputs: ['styled'] },
      { op: 'Add', inputs: ['styled', 'noise'], outputs: ['pre'] },
      { op: 'Expand', inputs: ['pre', 'img_shape'], outputs: ['pre3'] },
      { op: 'Tanh', inputs: ['pre3'], outputs: ['image'] },
    ],
  };
}

export const FIXTURE_GRAPHS: Record<ModelTask, () => FixtureGraph> = {
  'face-detection': () => faceDetectionGraph(),
  'face-landmarks': () => faceLandmarksGraph(),
  'person-segmentation': () => personSegmentationGraph(),
  'style-encoder': () => styleEncoderGraph(),
  'style-generator': () => styleGeneratorGraph(),
};

export const ALL_TASKS = Object.keys(FIXTURE_GRAPHS) as ModelTask[];

/** Writes `<dir>/<name>` holding the fixture model for `task`, returns its path. */
export async function writeFixtureModel(dir: string, task: ModelTask, name = `${task}.onnx`): Promise<string> {
  return writeGraph(dir, FIXTURE_GRAPHS[task](), name);
}

export async function writeGraph(dir: string, graph: FixtureGraph, name: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, encodeModel(graph));
  return path;
}

/** Bytes of a fixture model, for the download server. */
export function fixtureModelBytes(task: ModelTask): Uint8Array {
  return encodeModel(FIXTURE_GRAPHS[task]());
}
