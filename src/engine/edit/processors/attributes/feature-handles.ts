/**
 * Nose and mouth sliders as warp handles. Scales are about a feature's own centre along the
 * face's axes; the lip sliders scale about the line where the lips meet, gated to one side of it,
 * so a fuller upper lip grows upwards and leaves the lower lip where it is. The smile moves each
 * mouth corner (a bump with no core: the lips bend up towards the corners, the middle stays).
 */
import { scaleAlong, type WarpHandle } from '../../pixel/field-warp/warp-handle';
import type { AttributeOptions } from './options';
import { add, dist, scale, type FaceFrame } from './face-frame';

function factor(value: number, grow: number, shrink: number): number {
  const v = value / 100;
  return 1 + v * (v >= 0 ? grow : shrink);
}

export function noseHandles(face: FaceFrame, options: AttributeOptions): WarpHandle[] {
  const handles: WarpHandle[] = [];
  const { noseBase, noseWidth, noseLength, across, down } = face;
  if (options.noseHeight !== 0) {
    // Up the face by up to a tenth of the nose's length: the bridge stretches, the lip below gives.
    handles.push({
      center: noseBase,
      shift: scale(down, (-options.noseHeight / 100) * 0.1 * noseLength),
      axis: across,
      radii: [1.0 * noseWidth, 0.55 * noseLength],
      core: 0.3,
    });
  }
  if (options.noseWidth !== 0) {
    handles.push({
      center: noseBase,
      linear: scaleAlong(across, factor(options.noseWidth, 0.3, 0.25), 1),
      axis: across,
      radii: [0.95 * noseWidth, 0.5 * noseLength],
      core: 0.4,
    });
  }
  return handles;
}

export function mouthHandles(face: FaceFrame, options: AttributeOptions): WarpHandle[] {
  const handles: WarpHandle[] = [];
  const { points, mouthCenter, mouthWidth: mw, mouthHeight: mh, across, down } = face;
  if (options.mouthWidth !== 0) {
    handles.push({
      center: mouthCenter,
      linear: scaleAlong(across, factor(options.mouthWidth, 0.25, 0.2), 1),
      axis: across,
      radii: [1.0 * mw, Math.max(0.9 * mh, 0.35 * mw)],
      core: 0.45,
    });
  }
  if (options.mouthHeight !== 0) {
    handles.push({
      center: mouthCenter,
      linear: scaleAlong(down, factor(options.mouthHeight, 0.3, 0.25), 1),
      axis: across,
      radii: [0.75 * mw, 1.25 * mh],
      core: 0.4,
    });
  }
  handles.push(...lipHandle(face, options.upperLip, 13, 0, -1), ...lipHandle(face, options.lowerLip, 14, 17, 1));
  if (options.smile !== 0) {
    const v = options.smile / 100;
    for (const [corner, outward] of [[61, -1], [291, 1]] as const) {
      // Up the face and a little outwards: the corners of a smile rise and draw back.
      const shift = add(scale(down, -0.12 * mw * v), across, 0.04 * mw * v * outward);
      handles.push({ center: points[corner]!, shift, axis: across, radii: [0.45 * mw, 0.45 * mw] });
    }
  }
  return handles;
}

/**
 * A lip thickened or thinned: scaled along the face's vertical about the lips' meeting line
 * (`inner`, 13 or 14), only on the lip's side of that line (`side`: −1 up, +1 down).
 */
function lipHandle(face: FaceFrame, value: number, inner: number, outer: number, side: -1 | 1): WarpHandle[] {
  if (value === 0) return [];
  const { points, mouthWidth: mw, across, down } = face;
  const line = points[inner]!;
  const thickness = Math.max(dist(points[outer]!, line), 0.12 * mw);
  return [
    {
      center: line,
      linear: scaleAlong(down, factor(value, 0.45, 0.25), 1),
      axis: across,
      radii: [0.62 * mw, 2.2 * thickness],
      core: 0.35,
      gate: { origin: line, normal: scale(down, side), width: 0.6 * thickness },
    },
  ];
}
