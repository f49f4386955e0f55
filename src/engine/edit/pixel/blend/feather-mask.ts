/**
 * Feathered masks from polygons: soft edges that stay on one side of the outline, so a caller
 * knows exactly where a mask is zero (a face mask must not reach past the face oval) or one (a
 * carved-out mouth must stay exactly the original). The soft part is a three-box blur b of the
 * filled polygon, which is 1/2 on a straight outline and reaches 0 and 1 at 3r either side;
 * `2b - 1` (inside) or `2b` (outside), clamped, turn it into a ramp across `radius` on one side.
 *
 * The blur runs on a copy `factor` times smaller (a feather is smooth, and its cost should not
 * follow the face's size); the hard polygon is filled at full size where a guarantee needs it.
 */
import { forEachOutlineSpan, forEachPolygonSpan, type Polygon } from '../../../vision/label-map/rasterize';
import type { Region } from '../../../vision/image-ops/box-downsample';
import { pointBounds } from '../point-bounds';
import { createPlane, upsamplePlane, type FloatPlane } from './float-plane';
import { tripleBoxBlur, type BlurEdges, type ZeroSides } from './gaussian-blur';

/** Box radius, in pixels of the shrunk copy, that featherFactor aims for. */
const SMALL_RADIUS = 4;

/** A shrink factor for feathers of `radius` pixels: keeps about SMALL_RADIUS box pixels per third of it. */
export function featherFactor(radius: number): number {
  return Math.max(1, Math.floor(radius / 3 / SMALL_RADIUS));
}

/**
 * 1 where a pixel centre is inside any of the polygons (even-odd within each), 0 elsewhere;
 * polygons are in pixels of a plane `1 / scale` times larger. With `stroke` (in this plane's
 * pixels), also within that distance of each outline: a sliver (closed lips' contour) gets a
 * thickness a blur can see. With `part`, only that window of the width × height plane is made.
 */
export function fillPolygons(width: number, height: number, polygons: readonly Polygon[], scale = 1, stroke = 0, part?: Region): FloatPlane {
  const { left, top, width: partWidth, height: partHeight } = part ?? { left: 0, top: 0, width, height };
  const plane = createPlane(partWidth, partHeight);
  const fill = (y: number, x0: number, x1: number) => {
    if (y < top || y >= top + partHeight) return;
    const row = (y - top) * partWidth - left;
    plane.data.fill(1, row + Math.max(x0, left), row + Math.min(x1, left + partWidth));
  };
  for (const polygon of polygons) {
    const scaled = scale === 1 ? polygon : Array.from(polygon, (v) => v * scale);
    forEachPolygonSpan(scaled, width, height, fill);
    if (stroke > 0) forEachOutlineSpan(scaled, stroke, width, height, fill);
  }
  return plane;
}

/** Sets `value` in a byte mask wherever a pixel centre is inside one of the polygons. */
export function markPolygons(mask: Uint8Array, width: number, height: number, polygons: readonly Polygon[], value: number): void {
  for (const polygon of polygons) forEachPolygonSpan(polygon, width, height, (y, x0, x1) => mask.fill(value, y * width + x0, y * width + x1));
}

/**
 * The blurred fill b of polygons given in full-size pixels, computed on the plane shrunk by
 * `factor` (ceil(width / factor) × ceil(height / factor)): 1/2 on the outline, reaching 0 and 1
 * about `radius` full-size pixels either side. Beyond the plane's edges is empty by default (a
 * polygon touching a window's edge still fades across it); a side where the plane is cut by the
 * photo's border, and the polygon goes on, should be 'clip'ped (see gaussian-blur.ts). `stroke`
 * (full-size pixels) thickens the outlines as fillPolygons does.
 *
 * Only the polygons' bounding box grown by 4 box radii and a pixel is filled and blurred; the
 * rest of the plane is 0. The blur reaches 3 radii; the fourth keeps every window that holds any
 * of the shape inside the box, so the box's own edges change nothing and the result is the whole
 * plane's blur. A small shape (a kept mouth) then costs its own size, not the plane's.
 */
export function blurredFill(
  width: number,
  height: number,
  polygons: readonly Polygon[],
  radius: number,
  factor: number,
  edges: BlurEdges = 'zero',
  stroke = 0,
): FloatPlane {
  const out = createPlane(Math.ceil(width / factor), Math.ceil(height / factor));
  const r = Math.max(1, Math.round(radius / 3 / factor));
  const part = reachBox(polygons, 1 / factor, stroke / factor + 4 * r + 1, out.width, out.height);
  if (!part) return out;
  const small = fillPolygons(out.width, out.height, polygons, 1 / factor, stroke / factor, part);
  // The part's sides on the plane's edges are treated as the caller asks. Its other sides need
  // no zeros framed beyond them: no window reaching past one holds anything but zeros.
  const zero = (side: keyof ZeroSides) => edges === 'zero' || (edges !== 'clip' && edges[side]);
  const sides: ZeroSides = {
    left: part.left === 0 && zero('left'),
    top: part.top === 0 && zero('top'),
    right: part.left + part.width === out.width && zero('right'),
    bottom: part.top + part.height === out.height && zero('bottom'),
  };
  const blurred = tripleBoxBlur(small, r, sides);
  for (let y = 0; y < part.height; y++) out.data.set(blurred.data.subarray(y * part.width, (y + 1) * part.width), (part.top + y) * out.width + part.left);
  return out;
}

/** The polygons' bounding box (scaled) grown by `margin`, in whole pixels inside width × height; null when empty. */
function reachBox(polygons: readonly Polygon[], scale: number, margin: number, width: number, height: number): Region | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygons) {
    const bounds = pointBounds(polygon);
    minX = Math.min(minX, bounds.minX * scale);
    minY = Math.min(minY, bounds.minY * scale);
    maxX = Math.max(maxX, bounds.maxX * scale);
    maxY = Math.max(maxY, bounds.maxY * scale);
  }
  const left = Math.max(0, Math.floor(minX - margin));
  const top = Math.max(0, Math.floor(minY - margin));
  const right = Math.min(width, Math.ceil(maxX + margin));
  const bottom = Math.min(height, Math.ceil(maxY + margin));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}

/** b → clamp(2b − 1): 0 on and outside the outline, 1 deep inside. In place. */
export function insideRamp(blurred: FloatPlane): FloatPlane {
  for (let i = 0; i < blurred.data.length; i++) blurred.data[i] = Math.min(1, Math.max(0, 2 * blurred.data[i]! - 1));
  return blurred;
}

/** b → clamp(2b): 1 on and inside the outline (away from sharp corners), 0 far outside. In place. */
export function outsideRamp(blurred: FloatPlane): FloatPlane {
  for (let i = 0; i < blurred.data.length; i++) blurred.data[i] = Math.min(1, 2 * blurred.data[i]!);
  return blurred;
}

/** 0 outside the polygons and on their outline, rising to 1 about `radius` pixels inside. Full size. */
export function featherInside(width: number, height: number, polygons: readonly Polygon[], radius: number): FloatPlane {
  const hard = fillPolygons(width, height, polygons);
  if (radius < 1) return hard;
  const factor = featherFactor(radius);
  const soft = upsamplePlane(insideRamp(blurredFill(width, height, polygons, radius, factor)), factor, width, height);
  for (let i = 0; i < hard.data.length; i++) hard.data[i] = hard.data[i]! * soft.data[i]!;
  return hard;
}

/** 1 inside the polygons, falling to 0 about `radius` pixels outside. Full size. */
export function featherOutside(width: number, height: number, polygons: readonly Polygon[], radius: number): FloatPlane {
  const hard = fillPolygons(width, height, polygons);
  if (radius < 1) return hard;
  const factor = featherFactor(radius);
  const soft = upsamplePlane(outsideRamp(blurredFill(width, height, polygons, radius, factor)), factor, width, height);
  for (let i = 0; i < hard.data.length; i++) if (hard.data[i] === 0) hard.data[i] = soft.data[i]!;
  return hard;
}
