/**
 * Where one face is, from its 468 landmarks (flat x, y in image pixels): its window in the photo,
 * its width, its own "down" direction and brow line, and landmark outlines as polygons.
 */
import { FACE_SIDE_LEFT, FACE_SIDE_RIGHT, LEFT_BROW, RIGHT_BROW } from '../../../vision/face-mesh-regions';
import type { Region } from '../../../vision/image-ops/box-downsample';
import type { ZeroSides } from '../../pixel/blend/gaussian-blur';
import { MESH } from '../../../vision/faces/mesh-indices';
import { pointBounds } from '../../pixel/point-bounds';

/** The landmarks' bounding box plus a pixel, whole pixels, inside the image; null when it misses the image. */
export function faceWindow(points: ArrayLike<number>, width: number, height: number): Region | null {
  const { minX, minY, maxX, maxY } = pointBounds(points);
  const left = Math.max(0, Math.floor(minX) - 1);
  const top = Math.max(0, Math.floor(minY) - 1);
  const right = Math.min(width, Math.ceil(maxX) + 1);
  const bottom = Math.min(height, Math.ceil(maxY) + 1);
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}

/**
 * How the face's smooth fields treat each side of its window when blurring: beyond a side inside
 * the photo there is no face (zeros); a side on the photo's border cuts a face that goes on
 * (clipped, as if the edge continued), so a face cut by the frame stays swapped up to the frame.
 */
export function windowEdges(window: Region, width: number, height: number): ZeroSides {
  return { left: window.left > 0, top: window.top > 0, right: window.left + window.width < width, bottom: window.top + window.height < height };
}

/** Face width: between the oval's widest points, beside the ears. */
export function faceWidthOf(points: ArrayLike<number>): number {
  return Math.hypot(points[FACE_SIDE_LEFT * 2]! - points[FACE_SIDE_RIGHT * 2]!, points[FACE_SIDE_LEFT * 2 + 1]! - points[FACE_SIDE_RIGHT * 2 + 1]!);
}

/** A landmark index list as a polygon in the window's pixels (the whole image's without a window). */
export function outline(points: ArrayLike<number>, indices: readonly number[], window?: Region): number[] {
  const dx = window?.left ?? 0;
  const dy = window?.top ?? 0;
  const out: number[] = [];
  for (const i of indices) out.push(points[i * 2]! - dx, points[i * 2 + 1]! - dy);
  return out;
}

export interface BrowLine {
  /** The face's "down" unit vector: perpendicular to the eye line. */
  down: { x: number; y: number };
  /** Depth (position along `down`) of the brows' highest point. */
  browTop: number;
}

/** The face's own vertical and how high its brows reach along it. */
export function browLine(points: ArrayLike<number>): BrowLine {
  const rx = points[MESH.rightEyeOuter * 2]!;
  const ry = points[MESH.rightEyeOuter * 2 + 1]!;
  const lx = points[MESH.leftEyeOuter * 2]!;
  const ly = points[MESH.leftEyeOuter * 2 + 1]!;
  const span = Math.hypot(lx - rx, ly - ry) || 1;
  // The eye line (subject's right eye to left: image left to right when upright) turned a quarter clockwise.
  const down = { x: -(ly - ry) / span, y: (lx - rx) / span };
  const browTop = Math.min(...[...RIGHT_BROW, ...LEFT_BROW].map((i) => points[i * 2]! * down.x + points[i * 2 + 1]! * down.y));
  return { down, browTop };
}
