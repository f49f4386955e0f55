/**
 * The two BlazeFace detectors: input size, anchors and decoding settings, as MediaPipe's own
 * face detection graphs set them (MODELS.md).
 */
import type { VisionModelId } from '../vision-models';
import type { FaceDetectorModel } from './face-types';
import { generateSsdAnchors, type Anchor, type SsdAnchorOptions } from './ssd-anchors';

export interface DetectorConfig {
  name: FaceDetectorModel;
  modelId: VisionModelId;
  /** Square input side in pixels. */
  inputSize: number;
  anchors: readonly Anchor[];
  /** Regressor values are in input pixels: divide by this to normalise. */
  boxScale: number;
  scoreThreshold: number;
  /** Raw logits are clipped to ±this before the sigmoid. */
  scoreClip: number;
}

const COMMON_ANCHORS = {
  minScale: 0.1484375,
  maxScale: 0.75,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  aspectRatios: [1.0],
  fixedAnchorSize: true,
} as const;

function anchorsFor(options: Omit<SsdAnchorOptions, keyof typeof COMMON_ANCHORS>): Anchor[] {
  return generateSsdAnchors({ ...COMMON_ANCHORS, ...options });
}

export const SHORT_RANGE: DetectorConfig = {
  name: 'short-range',
  modelId: 'face_detection_short_range',
  inputSize: 128,
  anchors: anchorsFor({ inputWidth: 128, inputHeight: 128, strides: [8, 16, 16, 16], interpolatedScaleAspectRatio: 1.0 }),
  boxScale: 128,
  scoreThreshold: 0.5,
  scoreClip: 100,
};

export const FULL_RANGE: DetectorConfig = {
  name: 'full-range',
  modelId: 'face_detection_full_range',
  inputSize: 192,
  anchors: anchorsFor({ inputWidth: 192, inputHeight: 192, strides: [4], interpolatedScaleAspectRatio: 0.0 }),
  boxScale: 192,
  scoreThreshold: 0.6,
  scoreClip: 100,
};
