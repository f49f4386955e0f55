/**
 * The built-in models: learned MediaPipe models (Apache-2.0) shipped inside npm packages as
 * TFLite, converted to ONNX by `npm run models` (see build-models.ts). Versions, sizes and
 * sha256 are pinned: a different package version or different bytes stop the build rather than
 * ship a model nobody checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeamError } from '../../shared/errors';
import type { ModelTask, Preprocessing } from './manifest';

/** Where a model's bytes sit inside a package file. */
export type SourceRange =
  | { kind: 'whole-file' }
  /**
   * A file packed into an Emscripten `.data` bundle; the loader JS beside it lists every packed
   * file's [start, end). We read the range from the loader at build time and check it against the
   * pinned `expectedByteRange`.
   */
  | { kind: 'packed'; loaderFile: string; packedPath: string };

export interface BuiltInModel {
  id: string;
  task: ModelTask;
  package: string;
  version: string;
  /** The file inside the package the bytes are read from. */
  file: string;
  range: SourceRange;
  /** [start, end) of the model inside `file`; for whole files [0, size]. */
  expectedByteRange: [number, number];
  /** sha256 of the TFLite bytes, lowercase hex. */
  sourceSha256: string;
  licence: 'Apache-2.0';
  preprocessing: Preprocessing;
  description: string;
}

const FACE_DETECTION = { package: '@mediapipe/face_detection', version: '0.4.1657300184' } as const;
const FACE_MESH = { package: '@mediapipe/face_mesh', version: '0.4.1657299874' } as const;
const SELFIE_SEGMENTATION = { package: '@mediapipe/selfie_segmentation', version: '0.1.1675465747' } as const;

export const BUILT_IN_MODELS: readonly BuiltInModel[] = [
  {
    id: 'face_detection_short_range',
    task: 'face-detection',
    ...FACE_DETECTION,
    file: 'face_detection_short_range.tflite',
    range: { kind: 'whole-file' },
    expectedByteRange: [0, 229_032],
    sourceSha256: '3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633',
    licence: 'Apache-2.0',
    preprocessing: { width: 128, height: 128, layout: 'NHWC', range: [-1, 1], resize: 'letterbox' },
    description: 'MediaPipe BlazeFace short range: faces within about 2 m. 896 SSD anchors; outputs box + 6 keypoint regressors and a score logit per anchor.',
  },
  {
    id: 'face_detection_full_range',
    task: 'face-detection',
    ...FACE_DETECTION,
    file: 'face_detection_full_range.tflite',
    range: { kind: 'whole-file' },
    expectedByteRange: [0, 1_083_984],
    sourceSha256: '99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3',
    licence: 'Apache-2.0',
    preprocessing: { width: 192, height: 192, layout: 'NHWC', range: [-1, 1], resize: 'letterbox' },
    description: 'MediaPipe BlazeFace full range: small and distant faces. 2304 SSD anchors; outputs box + 6 keypoint regressors and a score logit per anchor.',
  },
  {
    id: 'face_landmark',
    task: 'face-landmarks',
    ...FACE_MESH,
    file: 'face_mesh_solution_packed_assets.data',
    range: { kind: 'packed', loaderFile: 'face_mesh_solution_packed_assets_loader.js', packedPath: '/third_party/mediapipe/modules/face_landmark/face_landmark.tflite' },
    expectedByteRange: [2_495_952, 3_737_848],
    sourceSha256: 'c603fa6149219a3e9487dc9abd7a0c24474c77263273d24868378cdf40aa26d1',
    licence: 'Apache-2.0',
    preprocessing: { width: 192, height: 192, layout: 'NHWC', range: [0, 1], resize: 'rotated-crop' },
    description: 'MediaPipe Face Mesh: 468 3-D landmarks (x, y, z in crop pixels) on a rotated square face crop, plus a face-presence logit.',
  },
  {
    id: 'selfie_segmentation',
    task: 'person-segmentation',
    ...SELFIE_SEGMENTATION,
    file: 'selfie_segmentation.tflite',
    range: { kind: 'whole-file' },
    expectedByteRange: [0, 249_024],
    sourceSha256: '8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27',
    licence: 'Apache-2.0',
    preprocessing: { width: 256, height: 256, layout: 'NHWC', range: [0, 1], resize: 'stretch' },
    description: 'MediaPipe Selfie Segmentation (square): per-pixel probability that the pixel belongs to a person.',
  },
  {
    id: 'selfie_segmentation_landscape',
    task: 'person-segmentation',
    ...SELFIE_SEGMENTATION,
    file: 'selfie_segmentation_landscape.tflite',
    range: { kind: 'whole-file' },
    expectedByteRange: [0, 249_792],
    sourceSha256: '4aafe6223bb8dac6fac8ca8ed56852870a33051ef3f6238822d282a109962894',
    licence: 'Apache-2.0',
    preprocessing: { width: 256, height: 144, layout: 'NHWC', range: [0, 1], resize: 'stretch' },
    description: 'MediaPipe Selfie Segmentation (landscape 256×144): per-pixel probability that the pixel belongs to a person.',
  },
];

interface PackedFileEntry {
  filename: string;
  start: number;
  end: number;
}

/** Reads the `loadPackage({...})` metadata out of an Emscripten file-packager loader script. */
export function readPackedFileTable(loaderSource: string, loaderName = 'loader'): { files: PackedFileEntry[]; packageSize: number } {
  const match = /loadPackage\((\{"files":[\s\S]*?\})\)/.exec(loaderSource);
  if (!match?.[1]) throw new SeamError('MODEL_INVALID', `${loaderName}: no loadPackage({"files": …}) table found.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(match[1]);
  } catch (error) {
    throw new SeamError('MODEL_INVALID', `${loaderName}: the loadPackage table is not JSON (${(error as Error).message}).`);
  }
  const table = parsed as { files?: unknown; remote_package_size?: unknown };
  if (!Array.isArray(table.files) || typeof table.remote_package_size !== 'number') {
    throw new SeamError('MODEL_INVALID', `${loaderName}: the loadPackage table has no files list or package size.`);
  }
  const files = table.files.map((f: unknown) => {
    const e = f as Partial<PackedFileEntry>;
    if (typeof e.filename !== 'string' || !Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start! > e.end!) {
      throw new SeamError('MODEL_INVALID', `${loaderName}: malformed file entry ${JSON.stringify(f)}.`);
    }
    return { filename: e.filename, start: e.start!, end: e.end! };
  });
  return { files, packageSize: table.remote_package_size };
}

/** The package folder of a built-in model inside `nodeModulesDir`. */
export function packageDir(model: BuiltInModel, nodeModulesDir: string): string {
  return join(nodeModulesDir, ...model.package.split('/'));
}

/** [start, end) of the model bytes in its file, read from the package (and checked against the pin). */
export function resolveByteRange(model: BuiltInModel, nodeModulesDir: string, fileSize: number): [number, number] {
  let range: [number, number];
  if (model.range.kind === 'whole-file') {
    range = [0, fileSize];
  } else {
    const loaderPath = join(packageDir(model, nodeModulesDir), model.range.loaderFile);
    const { files, packageSize } = readPackedFileTable(readFileSync(loaderPath, 'utf8'), loaderPath);
    if (packageSize !== fileSize) throw new SeamError('MODEL_INVALID', `${model.package}/${model.file} is ${fileSize} bytes, but ${model.range.loaderFile} says ${packageSize}.`);
    const packedPath = model.range.packedPath;
    const entry = files.find((f) => f.filename === packedPath);
    if (!entry) throw new SeamError('MODEL_INVALID', `${model.range.loaderFile} does not list ${packedPath}.`);
    range = [entry.start, entry.end];
  }
  const [start, end] = model.expectedByteRange;
  if (range[0] !== start || range[1] !== end) {
    throw new SeamError('MODEL_INVALID', `${model.id}: bytes ${range[0]}–${range[1]} in ${model.package}/${model.file}, expected ${start}–${end} (was the package changed?).`);
  }
  return range;
}
