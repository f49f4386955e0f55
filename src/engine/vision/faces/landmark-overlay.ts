/**
 * A picture of what was found, for people to check: the photo with each face's box, its 468
 * mesh points and the named points Seam measures by, drawn in plain pixels (no canvas library).
 */
import type { RasterImage } from '../../image/image';
import type { Point } from '../image-ops/affine';
import type { FaceDetection, FaceLandmarks } from './face-types';
import { MESH } from './mesh-indices';

type Rgb = readonly [number, number, number];
const BOX_COLOUR: Rgb = [255, 214, 0];
const MESH_COLOUR: Rgb = [0, 230, 118];
const NAMED_COLOUR: Rgb = [255, 45, 85];
const KEYPOINT_COLOUR: Rgb = [0, 176, 255];

export interface OverlayFace {
  detection: FaceDetection;
  landmarks: FaceLandmarks | null;
}

export function drawFaceOverlay(image: RasterImage, faces: readonly OverlayFace[]): RasterImage {
  const out: RasterImage = { ...image, data: image.data.slice() };
  // Dots scale with the photo so they stay visible on a 4000-pixel image and small on a 300-pixel one.
  const radius = Math.max(1, Math.round(Math.min(image.width, image.height) / 400));
  for (const { detection, landmarks } of faces) {
    drawRectangle(out, detection.box, Math.max(1, radius), BOX_COLOUR);
    for (const p of Object.values(detection.keypoints)) fillDisc(out, p, radius + 1, KEYPOINT_COLOUR);
    if (!landmarks) continue;
    for (const p of landmarks.points) fillDisc(out, p, radius, MESH_COLOUR);
    for (const index of Object.values(MESH)) fillDisc(out, landmarks.points[index]!, radius + 1, NAMED_COLOUR);
  }
  return out;
}

function setPixel(image: RasterImage, x: number, y: number, colour: Rgb): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const i = (y * image.width + x) * image.channels;
  image.data[i] = colour[0];
  image.data[i + 1] = colour[1];
  image.data[i + 2] = colour[2];
}

function fillDisc(image: RasterImage, centre: Point, radius: number, colour: Rgb): void {
  // Continuous coordinates: the pixel holding the point is floor(x), floor(y).
  const cx = Math.floor(centre.x);
  const cy = Math.floor(centre.y);
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      if (dx * dx + dy * dy <= radius * radius + radius) setPixel(image, cx + dx, cy + dy, colour);
    }
  }
}

function drawRectangle(image: RasterImage, box: { x: number; y: number; width: number; height: number }, thickness: number, colour: Rgb): void {
  const x0 = Math.round(box.x);
  const y0 = Math.round(box.y);
  const x1 = Math.round(box.x + box.width) - 1;
  const y1 = Math.round(box.y + box.height) - 1;
  for (let t = 0; t < thickness; t++) {
    for (let x = x0; x <= x1; x++) {
      setPixel(image, x, y0 + t, colour);
      setPixel(image, x, y1 - t, colour);
    }
    for (let y = y0; y <= y1; y++) {
      setPixel(image, x0 + t, y, colour);
      setPixel(image, x1 - t, y, colour);
    }
  }
}
