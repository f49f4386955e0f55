/**
 * The eye sliders as warp handles, one set per eye, about the eye contour's centre. The influence
 * ellipse lies along the eye; the opening's middle is inside the core and the corners (at 0.45 of
 * the radius) just outside it, where the falloff still gives 97 %, so the contour is scaled
 * nearly exactly as asked, and the falloff ends before the brow's middle.
 *
 * Strengths at ±100 were chosen by eye on the fixture photos and kept inside what the fold guard
 * accepts for a slider alone: shrinking is gentler than enlarging, because squeezing the same
 * falloff ring inwards compresses it faster than stretching it outwards.
 */
import type { WarpHandle } from '../../pixel/field-warp/warp-handle';
import { rotation, scaleAlong } from '../../pixel/field-warp/warp-handle';
import { eyeValue, type AttributeOptions } from './options';
import { dot, scale, type EyeFrame, type FaceFrame } from './face-frame';

/** Scale factor at +100 and −100 (e.g. +100 eye size: ×1.35). */
const SIZE = { grow: 0.35, shrink: 0.25 };
const HEIGHT = { grow: 0.4, shrink: 0.25 };
const WIDTH = { grow: 0.25, shrink: 0.2 };
/** Rotation at ±100, radians. */
const TILT = (15 * Math.PI) / 180;
/** Each eye's shift at ±100, in eye widths. */
const DISTANCE = 0.15;
/** Influence ellipse, in eye widths along and across the eye, and its core. */
const RADIUS_ALONG = 1.1;
const RADIUS_ACROSS = 0.8;
const CORE = 0.35;

function factor(value: number, range: { grow: number; shrink: number }): number {
  const v = value / 100;
  return 1 + v * (v >= 0 ? range.grow : range.shrink);
}

function eyeHandles(eye: EyeFrame, side: 'right' | 'left', face: FaceFrame, options: AttributeOptions): WarpHandle[] {
  const size = factor(eyeValue(options, side, 'eyeSize'), SIZE);
  const height = factor(eyeValue(options, side, 'eyeHeight'), HEIGHT);
  const width = factor(eyeValue(options, side, 'eyeWidth'), WIDTH);
  const tilt = eyeValue(options, side, 'eyeTilt') / 100;
  const apart = eyeValue(options, side, 'eyeDistance') / 100;
  if (size === 1 && height === 1 && width === 1 && tilt === 0 && apart === 0) return [];
  const base = {
    center: eye.center,
    axis: eye.outward,
    radii: [RADIUS_ALONG * eye.width, RADIUS_ACROSS * eye.width] as const,
    core: CORE,
  };
  const handles: WarpHandle[] = [];
  if (size !== 1 || height !== 1 || width !== 1) {
    handles.push({ ...base, linear: scaleAlong(eye.outward, size * width, size * height) });
  }
  if (tilt !== 0) {
    // A positive image-space angle turns `outward` towards its left normal; the outer corner goes
    // up when that normal points up the face.
    const normal = { x: -eye.outward.y, y: eye.outward.x };
    const sense = dot(normal, face.down) < 0 ? 1 : -1;
    handles.push({ ...base, linear: rotation(sense * tilt * TILT) });
  }
  if (apart !== 0) {
    // Away from the face's midline, along the face's own horizontal.
    const away = side === 'left' ? face.across : scale(face.across, -1);
    handles.push({ ...base, shift: scale(away, apart * DISTANCE * eye.width) });
  }
  return handles;
}

export function eyesHandles(face: FaceFrame, options: AttributeOptions): WarpHandle[] {
  return [...eyeHandles(face.eyes.right, 'right', face, options), ...eyeHandles(face.eyes.left, 'left', face, options)];
}
