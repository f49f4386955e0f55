/**
 * Where the original .tflite of each built-in model lives, for tests and benchmarks.
 * Written down here independently of the converter's own source list (src/engine/models/builtin.ts)
 * so the parity test checks the converter against the published models, not against itself;
 * the sha256 pins the exact bytes (values from MODELS.md's table, hashed once by hand).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface TfliteSource {
  id: BuiltInModelId;
  package: string;
  file: string;
  /** [start, end) inside `file` for models packed into a .data file; absent for plain files. */
  byteRange?: [number, number];
  sha256: string;
}

export type BuiltInModelId =
  | 'face_detection_short_range'
  | 'face_detection_full_range'
  | 'face_landmark'
  | 'selfie_segmentation'
  | 'selfie_segmentation_landscape';

export const TFLITE_SOURCES: readonly TfliteSource[] = [
  {
    id: 'face_detection_short_range',
    package: '@mediapipe/face_detection',
    file: 'face_detection_short_range.tflite',
    sha256: '3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633',
  },
  {
    id: 'face_detection_full_range',
    package: '@mediapipe/face_detection',
    file: 'face_detection_full_range.tflite',
    sha256: '99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3',
  },
  {
    id: 'face_landmark',
    package: '@mediapipe/face_mesh',
    // The loader script beside it lists face_landmark.tflite at [2495952, 3737848).
    file: 'face_mesh_solution_packed_assets.data',
    byteRange: [2_495_952, 3_737_848],
    sha256: 'c603fa6149219a3e9487dc9abd7a0c24474c77263273d24868378cdf40aa26d1',
  },
  {
    id: 'selfie_segmentation',
    package: '@mediapipe/selfie_segmentation',
    file: 'selfie_segmentation.tflite',
    sha256: '8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27',
  },
  {
    id: 'selfie_segmentation_landscape',
    package: '@mediapipe/selfie_segmentation',
    file: 'selfie_segmentation_landscape.tflite',
    sha256: '4aafe6223bb8dac6fac8ca8ed56852870a33051ef3f6238822d282a109962894',
  },
];

const requireHere = createRequire(import.meta.url);

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads a built-in model's .tflite bytes from node_modules and checks their sha256. */
export function readTflite(id: BuiltInModelId): Uint8Array {
  const source = TFLITE_SOURCES.find((s) => s.id === id);
  if (!source) throw new Error(`unknown built-in model ${id}`);
  // Resolve the package folder through its package.json (the packages have no "exports" map).
  const dir = dirname(requireHere.resolve(`${source.package}/package.json`));
  const whole = new Uint8Array(readFileSync(join(dir, source.file)));
  const bytes = source.byteRange ? whole.slice(...source.byteRange) : whole;
  const hash = sha256Hex(bytes);
  if (hash !== source.sha256) {
    throw new Error(`${source.package}/${source.file} for ${id}: sha256 ${hash}, expected ${source.sha256}`);
  }
  return bytes;
}
