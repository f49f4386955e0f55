/**
 * A cheap description of a face for telling people apart after a short occlusion: where a few
 * mesh points sit in the face's own frame (levelled on the eye corners, in units of the distance
 * between them) and the colour of skin patches (chromaticity, so a change of brightness matters
 * less than a change of skin tone). Not face recognition: it only has to separate the few
 * people in one clip, and position does most of the work.
 */
import type { PixelSource } from '../image-ops/pixel-source';
import type { Box, Landmark } from '../faces/face-types';
import { MESH } from '../faces/mesh-indices';

export interface FaceSignature {
  /** x, y of each GEOMETRY_POINTS entry relative to the eye-corner midpoint, in eye-corner distances. */
  geometry: number[];
  /** r/(r+g+b), g/(r+g+b) of each COLOUR_PATCHES entry. */
  colour: number[];
}

const GEOMETRY_POINTS = [MESH.noseTip, MESH.chin, MESH.mouthRight, MESH.mouthLeft, MESH.foreheadTop, MESH.rightCheek, MESH.leftCheek];
/** Forehead centre and the middle of each cheek: skin, rarely covered by hair or glasses. */
const COLOUR_PATCHES = [151, 50, 280];

export function faceSignature(image: PixelSource, points: readonly Landmark[]): FaceSignature {
  const right = points[MESH.rightEyeOuter]!;
  const left = points[MESH.leftEyeOuter]!;
  const iod = eyeCornerDistance(points);
  const cos = (left.x - right.x) / iod;
  const sin = (left.y - right.y) / iod;
  const mx = (left.x + right.x) / 2;
  const my = (left.y + right.y) / 2;
  const geometry: number[] = [];
  for (const index of GEOMETRY_POINTS) {
    const p = points[index]!;
    const dx = p.x - mx;
    const dy = p.y - my;
    // Rotate into the face's frame (eyes level), in eye-corner distances.
    geometry.push((cos * dx + sin * dy) / iod, (-sin * dx + cos * dy) / iod);
  }
  const colour = signaturePatches(points, iod).flatMap((patch) => patchChromaticity(image, patch));
  return { geometry, colour };
}

function eyeCornerDistance(points: readonly Landmark[]): number {
  const right = points[MESH.rightEyeOuter]!;
  const left = points[MESH.leftEyeOuter]!;
  return Math.max(Math.hypot(left.x - right.x, left.y - right.y), 1e-6);
}

/**
 * The skin patches faceSignature reads (whole pixels, possibly past the image's edge, where
 * reading stops): one place says which pixels, so a caller converting a frame lazily converts
 * exactly these. `iod`: the eye-corner distance, for a caller that has measured it already.
 */
export function signaturePatches(points: readonly Landmark[], iod = eyeCornerDistance(points)): Box[] {
  const radius = Math.max(1, Math.round(iod * 0.08));
  return COLOUR_PATCHES.map((index) => {
    const x = Math.floor(points[index]!.x) - radius;
    const y = Math.floor(points[index]!.y) - radius;
    return { x, y, width: 2 * radius + 1, height: 2 * radius + 1 };
  });
}

function patchChromaticity(image: PixelSource, patch: Box): [number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  for (let y = Math.max(0, patch.y); y <= Math.min(image.height - 1, patch.y + patch.height - 1); y++) {
    for (let x = Math.max(0, patch.x); x <= Math.min(image.width - 1, patch.x + patch.width - 1); x++) {
      const i = (y * image.width + x) * image.channels;
      r += image.data[i]!;
      g += image.data[i + 1]!;
      b += image.data[i + 2]!;
    }
  }
  const sum = r + g + b;
  return sum > 0 ? [r / sum, g / sum] : [1 / 3, 1 / 3];
}

/** Root-mean-square differences of the two parts, added with the colour part weighted up (chromaticity differences are small numbers). */
export function signatureDistance(a: FaceSignature, b: FaceSignature): number {
  return rms(a.geometry, b.geometry) + 10 * rms(a.colour, b.colour);
}

function rms(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum / Math.max(a.length, 1));
}

/** Running mean of a track's signatures, so one odd frame (a blink, a turn) does not define the face. */
export function blendSignature(previous: FaceSignature, next: FaceSignature, weight = 0.1): FaceSignature {
  const mix = (p: readonly number[], n: readonly number[]) => p.map((v, i) => v + weight * (n[i]! - v));
  return { geometry: mix(previous.geometry, next.geometry), colour: mix(previous.colour, next.colour) };
}
