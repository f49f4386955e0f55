/**
 * Face-shape sliders as warp handles. Forehead and chin height stretch the face along its own
 * vertical about a line (the brows' top, the lower lip's bottom), gated to the far side of it, so
 * the features stay and the hairline or the chin moves; what lies beyond (hair, neck) is pushed
 * along within the falloff. Jawline and face width move the oval's sides outwards or inwards with
 * elongated bumps that end before the eyes and the mouth.
 */
import { scaleAlong, type WarpHandle } from '../../pixel/field-warp/warp-handle';
import type { AttributeOptions } from './options';
import { centroid, dist, dot, mid, scale, sub, type FaceFrame } from './face-frame';

function factor(value: number, grow: number, shrink: number): number {
  const v = value / 100;
  return 1 + v * (v >= 0 ? grow : shrink);
}

export function outlineHandles(face: FaceFrame, options: AttributeOptions): WarpHandle[] {
  const handles: WarpHandle[] = [];
  const { points, across, down, width: W, height: H } = face;
  if (options.forehead !== 0) {
    // About the top of the brows (105, 334: the upper brow arcs' middles), upwards only.
    const brows = mid(points[105]!, points[334]!);
    const foreheadHeight = Math.max(Math.abs(dot(sub(brows, points[10]!), down)), 0.15 * H);
    handles.push({
      center: brows,
      linear: scaleAlong(down, factor(options.forehead, 0.3, 0.2), 1),
      axis: across,
      radii: [0.75 * W, 1.9 * foreheadHeight],
      core: 0.45,
      gate: { origin: brows, normal: scale(down, -1), width: 0.12 * H },
    });
  }
  if (options.chinHeight !== 0) {
    // About the lower lip's bottom (17), downwards only.
    const lip = points[17]!;
    const chinHeight = Math.max(dist(lip, points[152]!), 0.12 * H);
    handles.push({
      center: lip,
      linear: scaleAlong(down, factor(options.chinHeight, 0.3, 0.2), 1),
      axis: across,
      radii: [0.5 * W, 2.0 * chinHeight],
      core: 0.45,
      gate: { origin: lip, normal: down, width: 0.5 * chinHeight },
    });
  }
  if (options.jawline !== 0) {
    const v = options.jawline / 100;
    for (const [angle, outward] of [[[172, 136, 58], -1], [[397, 365, 288], 1]] as const) {
      handles.push({
        center: centroid(points, angle),
        shift: scale(across, outward * 0.06 * W * v),
        axis: down,
        radii: [0.3 * H, 0.28 * W],
        core: 0.2,
      });
    }
  }
  if (options.faceWidth !== 0) {
    const v = options.faceWidth / 100;
    // The cheek-to-jaw side of the oval (below the cheekbone, above the jaw angle).
    for (const [side, outward] of [[[93, 132, 58], -1], [[323, 361, 288], 1]] as const) {
      handles.push({
        center: centroid(points, side),
        shift: scale(across, outward * 0.07 * W * v),
        axis: down,
        radii: [0.38 * H, 0.3 * W],
        core: 0.3,
      });
    }
  }
  return handles;
}
