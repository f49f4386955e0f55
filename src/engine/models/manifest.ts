/**
 * The model manifest: what each model is, where it came from, and the tensor contract it must
 * honour. Built-in models get their entries from the converter (`npm run models`); user models
 * get theirs when they are imported or installed. One JSON file per models folder.
 */
export type ModelTask =
  | 'face-detection'
  | 'face-landmarks'
  | 'person-segmentation'
  | 'style-encoder' // SEAN family: image + one-hot labels → per-region style codes
  | 'style-generator'; // SEAN family: one-hot labels + style codes (+ noise) → image

export type TensorDType = 'float32' | 'float16' | 'int64' | 'int32' | 'uint8' | 'bool';

export interface TensorSpec {
  name: string;
  /** Fixed sizes as numbers; symbolic or unknown dimensions as strings (e.g. 'batch'). */
  shape: Array<number | string>;
  dtype: TensorDType;
}

export interface Preprocessing {
  width: number;
  height: number;
  layout: 'NHWC' | 'NCHW';
  /** The range the RGB values are scaled to, e.g. [-1, 1] or [0, 1]. */
  range: [number, number];
  /** letterbox: keep aspect with a zero border; stretch: no aspect keep; rotated-crop: a square crop rotated upright. */
  resize: 'letterbox' | 'stretch' | 'rotated-crop';
}

export type ModelSource =
  | {
      kind: 'npm';
      package: string;
      version: string;
      /** The file inside the package the bytes were read from. */
      file: string;
      /** [start, end) inside that file, for models packed into one .data file. */
      byteRange: [number, number];
      /** sha256 of the source bytes (the .tflite model), lowercase hex. */
      sha256: string;
    }
  | { kind: 'url'; url: string }
  | { kind: 'file'; originalName: string };

export interface ModelManifestEntry {
  id: string;
  task: ModelTask;
  /** File name relative to the models folder that holds the manifest. */
  file: string;
  builtIn: boolean;
  /** sha256 of the .onnx file, lowercase hex. */
  sha256: string;
  bytes: number;
  licence: string;
  source: ModelSource;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  preprocessing?: Preprocessing;
  /** Free text shown to the user: what the model does. */
  description?: string;
  /**
   * For models Seam converted itself (built-ins): the converter and its version, e.g.
   * 'seam-tflite2onnx 1'. A rebuild with a newer converter regenerates the file.
   */
  converter?: string;
}

export interface ModelManifest {
  formatVersion: 1;
  models: ModelManifestEntry[];
}

export const MANIFEST_FILE = 'manifest.json';
