/**
 * From the detector's raw outputs to candidate faces: sigmoid scores (logits clipped first, as
 * MediaPipe does, so an extreme logit cannot overflow), boxes and keypoints decoded against the
 * anchors, then mapped from the letterboxed input back to image pixels.
 */
import { applyAffine, type Affine } from '../image-ops/affine';
import type { DetectorConfig } from './detector-configs';
import type { FaceDetectorModel } from './face-types';

export const KEYPOINT_COUNT = 6;
const VALUES_PER_ANCHOR = 4 + 2 * KEYPOINT_COUNT;

/** A detection while it is being decoded and merged: corner box and flat keypoints, image pixels. */
export interface CandidateFace {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  score: number;
  /** x0, y0, x1, y1, … for the six keypoints. */
  keypoints: number[];
  model: FaceDetectorModel;
  foundBy: FaceDetectorModel[];
}

export function sigmoid(logit: number, clip = Infinity): number {
  const x = Math.max(-clip, Math.min(clip, logit));
  return 1 / (1 + Math.exp(-x));
}

/**
 * Every anchor whose score passes the threshold, decoded. `inputToImage` maps input-tensor pixels
 * to image pixels (the inverse letterbox).
 */
export function decodeDetections(
  regressors: Float32Array,
  logits: Float32Array,
  config: DetectorConfig,
  inputToImage: Affine,
  minScore = config.scoreThreshold,
): CandidateFace[] {
  const { anchors, boxScale, inputSize, scoreClip } = config;
  if (regressors.length !== anchors.length * VALUES_PER_ANCHOR || logits.length !== anchors.length) {
    throw new RangeError(
      `${config.name} detector output has ${regressors.length}/${logits.length} values, expected ${anchors.length}×${VALUES_PER_ANCHOR} and ${anchors.length}`,
    );
  }
  const faces: CandidateFace[] = [];
  for (let i = 0; i < anchors.length; i++) {
    const score = sigmoid(logits[i]!, scoreClip);
    if (score < minScore) continue;
    const anchor = anchors[i]!;
    const r = i * VALUES_PER_ANCHOR;
    // Normalised input coordinates (0..1 across the letterboxed input), x before y.
    const cx = (regressors[r]! / boxScale) * anchor.width + anchor.x;
    const cy = (regressors[r + 1]! / boxScale) * anchor.height + anchor.y;
    const w = (regressors[r + 2]! / boxScale) * anchor.width;
    const h = (regressors[r + 3]! / boxScale) * anchor.height;
    const toImage = (nx: number, ny: number) => applyAffine(inputToImage, nx * inputSize, ny * inputSize);
    const topLeft = toImage(cx - w / 2, cy - h / 2);
    const bottomRight = toImage(cx + w / 2, cy + h / 2);
    const keypoints: number[] = [];
    for (let k = 0; k < KEYPOINT_COUNT; k++) {
      const kx = (regressors[r + 4 + 2 * k]! / boxScale) * anchor.width + anchor.x;
      const ky = (regressors[r + 5 + 2 * k]! / boxScale) * anchor.height + anchor.y;
      const p = toImage(kx, ky);
      keypoints.push(p.x, p.y);
    }
    faces.push({
      xmin: topLeft.x,
      ymin: topLeft.y,
      xmax: bottomRight.x,
      ymax: bottomRight.y,
      score,
      keypoints,
      model: config.name,
      foundBy: [config.name],
    });
  }
  return faces;
}
