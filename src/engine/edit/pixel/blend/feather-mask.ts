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
import { createPlane, upsamplePlane, type FloatPlane } from './float-plane';
import { tripleBoxBlur, type BlurEdges } from './gaussian-blur';

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
 * thickness a blur can see.
 */
export function fillPolygons(width: number, height: number, polygons: readonly Polygon[], scale = 1, stroke = 0): FloatPlane {
  const plane = createPlane(width, height);
  const fill = (y: number, x0: number, x1: number) => plane.data.fill(1, y * width + x0, y * width + x1);
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
  const small = fillPolygons(Math.ceil(width / factor), Math.ceil(height / factor), polygons, 1 / factor, stroke / factor);
  return tripleBoxBlur(small, Math.max(1, Math.round(radius / 3 / factor)), edges);
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
