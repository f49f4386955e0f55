/**
 * Face alignment for SEAN: the CelebA-HQ crop's geometry (eyes and mouth where CelebA-HQ puts
 * them, whatever the face's position, size and roll), the warp of pixels and labels into it, and
 * the paste back, which must leave every pixel outside its weight byte for byte as it was.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { createEditDeps } from '../../src/engine/edit/edit-deps';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';
import { applyAffine, composeAffine } from '../../src/engine/vision/image-ops/affine';
import {
  alignFace,
  alignFaceFromKeypoints,
  alignFaceFromLandmarks,
  CELEBA_FRONTAL,
  toCropPoint,
  type AlignmentPoints,
  type FaceAlignment,
} from '../../src/engine/vision/face-align/face-alignment';
import { pasteAligned } from '../../src/engine/vision/face-align/paste-aligned';
import { warpAlignedLabels, warpAlignedPixels } from '../../src/engine/vision/face-align/warp-aligned';
import type { FaceLandmarks } from '../../src/engine/vision/faces/face-types';
import { SeamError } from '../../src/shared/errors';

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(3)} is not within ${tolerance} of ${expected}`);

/** A frontal face whose eye–mouth distance equals its eye distance, then rolled, scaled and moved. */
function facePoints(angle: number, scale: number, at: { x: number; y: number }): AlignmentPoints {
  const place = (x: number, y: number) => ({
    x: at.x + scale * (x * Math.cos(angle) - y * Math.sin(angle)),
    y: at.y + scale * (x * Math.sin(angle) + y * Math.cos(angle)),
  });
  return { rightEye: place(-1, 0), leftEye: place(1, 0), mouth: place(0, 2) };
}

describe('CelebA-HQ alignment geometry', () => {
  it('puts the eyes and mouth of a frontal face where CelebA-HQ does, whatever its roll, size and place', () => {
    for (const [angle, scale, at] of [
      [0, 32, { x: 200, y: 150 }],
      [0.5, 80, { x: 900, y: 700 }],
      [-2.8, 11, { x: 40, y: 30 }],
    ] as const) {
      const points = facePoints(angle, scale, at);
      const alignment = alignFace(points);
      for (const name of ['rightEye', 'leftEye', 'mouth'] as const) {
        const p = toCropPoint(alignment, points[name]);
        near(p.x, CELEBA_FRONTAL[name].x, 1e-6, `${name} x at roll ${angle}`);
        near(p.y, CELEBA_FRONTAL[name].y, 1e-6, `${name} y at roll ${angle}`);
      }
      // Eye distance 2·scale is a quarter of the crop: the crop spans 8·scale image pixels.
      near(alignment.sideInImage, 8 * scale, 1e-9, 'side in the image');
    }
  });

  it('widens the crop by the eye–mouth distance when the head turns (eyes closer together)', () => {
    const turned = { rightEye: { x: 90, y: 100 }, leftEye: { x: 110, y: 100 }, mouth: { x: 100, y: 140 } };
    const alignment = alignFace(turned);
    near(alignment.sideInImage, 2 * 1.8 * 40, 1e-9, 'side set by 1.8 × the eye–mouth distance');
  });

  it('round-trips: crop → image → crop is the identity, and the crop corners map where the image says', () => {
    const alignment = alignFace(facePoints(0.3, 25, { x: 321, y: 234 }));
    const identity = composeAffine(alignment.toCrop, alignment.toImage);
    for (const [u, v] of [[0, 0], [255.5, 3], [17, 240], [128, 128]] as const) {
      const back = applyAffine(identity, u, v);
      near(back.x, u, 1e-9, 'u');
      near(back.y, v, 1e-9, 'v');
    }
    const centre = applyAffine(alignment.toImage, 128, 128);
    near(centre.x, alignment.center.x, 1e-9, 'centre x');
    near(centre.y, alignment.center.y, 1e-9, 'centre y');
  });

  it('refuses points that give the face no size', () => {
    const p = { x: 5, y: 5 };
    assert.throws(() => alignFace({ rightEye: p, leftEye: p, mouth: p }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && /no size/.test(e.message));
    assert.throws(() => alignFaceFromLandmarks([]), (e: unknown) => e instanceof SeamError && /468-point/.test(e.message));
  });
});

describe('alignment on a real photo', () => {
  const pool = new SessionPool({ logger: silentLogger, providers: ['cpu'] });
  const deps = createEditDeps(resolvePaths(), silentLogger, pool);
  let image: RasterImage;
  let landmarks: FaceLandmarks;
  let fromMesh: FaceAlignment;

  before(async () => {
    image = await decodeImage(join(process.cwd(), 'test', 'fixtures', 'media', 'grace_hopper.jpg'));
    const [face] = await deps.analyzer.analyze(image).meshedFaces();
    assert.ok(face, 'Grace Hopper’s face is found');
    landmarks = face.landmarks;
    fromMesh = alignFaceFromLandmarks(landmarks.points);
    const keypoints = (await deps.analyzer.analyze(image).faces())[0]!.detection.keypoints;
    const fromKeypoints = alignFaceFromKeypoints(keypoints);
    // The detector's six points and the mesh agree on where the face is to a few crop pixels.
    near(fromKeypoints.center.x, fromMesh.center.x, 0.04 * fromMesh.sideInImage, 'centre x, keypoints vs mesh');
    near(fromKeypoints.center.y, fromMesh.center.y, 0.04 * fromMesh.sideInImage, 'centre y, keypoints vs mesh');
    near(fromKeypoints.sideInImage / fromMesh.sideInImage, 1, 0.12, 'crop size, keypoints vs mesh');
  });
  after(() => pool.releaseAll());

  it('crops the whole head: chin, cheeks and forehead inside, eyes near CelebA-HQ’s height', () => {
    for (const index of [152, 234, 454, 10]) {
      const p = toCropPoint(fromMesh, landmarks.points[index]!);
      assert.ok(p.x > 16 && p.x < 240 && p.y > 16 && p.y < 240, `mesh point ${index} at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}) is well inside the crop`);
    }
    const eye = toCropPoint(fromMesh, landmarks.points[33]!);
    assert.ok(eye.y > 100 && eye.y < 140, `right eye corner at y ${eye.y.toFixed(1)}`);
  });

  it('warps labels by nearest (only ids the map has) and pixels so that pasting them back changes little', () => {
    const map = { width: image.width, height: image.height, data: new Uint8Array(image.width * image.height) };
    for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) map.data[y * image.width + x] = x < image.width / 2 ? 13 : 1;
    const labels = warpAlignedLabels(map, fromMesh);
    assert.deepEqual([...new Set(labels)].sort((a, b) => a - b), [1, 13]);

    // Sampled through the alignment and pasted back through its inverse, the face comes back to
    // where it was: closer than when the sampling is off by half a crop pixel.
    const roundTrip = (shift: number) => {
      const sampled: FaceAlignment = { ...fromMesh, toImage: { ...fromMesh.toImage, c: fromMesh.toImage.c + shift } };
      const crop = { width: 256, height: 256, channels: 3, data: warpAlignedPixels(image, sampled, [0, 255]) };
      const pasted = pasteAligned(image, crop, fromMesh, new Float32Array(image.width * image.height).fill(1));
      let error = 0;
      let inside = 0;
      for (let p = 0; p < pasted.region.length; p++) {
        if (pasted.region[p] !== 255) continue;
        inside++;
        for (let c = 0; c < 3; c++) error += Math.abs(pasted.image.data[p * 3 + c]! - image.data[p * 3 + c]!);
      }
      assert.ok(inside > 0.2 * pasted.region.length, `the crop covers the face (${inside} fully pasted pixels)`);
      return error / (inside * 3);
    };
    const aligned = roundTrip(0);
    const shifted = roundTrip(0.5);
    assert.ok(aligned < 0.8 * shifted, `round-trip error ${aligned.toFixed(2)} levels, half a pixel off ${shifted.toFixed(2)}`);
    // The face spans ~350 photo pixels, so 256 loses some detail, but not the picture.
    assert.ok(aligned < 6, `mean round-trip error ${aligned.toFixed(2)} levels`);
  });

  it('paste back changes only pixels inside both the weight and the crop, and every one it reports', async () => {
    const white = { width: 256, height: 256, channels: 3, data: new Float32Array(256 * 256 * 3).fill(255) };
    // A weight everywhere on the left half: the crop's footprint must still bound the change.
    const weight = new Float32Array(image.width * image.height);
    for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width / 2; x++) weight[y * image.width + x] = 1;
    const { image: out, region } = pasteAligned(image, white, fromMesh, weight);
    let changed = 0;
    for (let p = 0; p < region.length; p++) {
      const same = out.data[p * 3] === image.data[p * 3] && out.data[p * 3 + 1] === image.data[p * 3 + 1] && out.data[p * 3 + 2] === image.data[p * 3 + 2];
      if (region[p] === 0) {
        assert.ok(same, `pixel ${p} changed outside the region`);
        continue;
      }
      assert.ok(weight[p]! > 0, `pixel ${p} is in the region but has no weight`);
      const c = toCropPoint(fromMesh, { x: (p % image.width) + 0.5, y: Math.floor(p / image.width) + 0.5 });
      assert.ok(c.x > 0 && c.y > 0 && c.x < 256 && c.y < 256, `pixel ${p} is in the region but outside the crop`);
      if (!same) changed++;
    }
    assert.ok(changed > 10_000, `the crop was pasted (${changed} pixels changed)`);
    assert.deepEqual(image.data, (await decodeImage(join(process.cwd(), 'test', 'fixtures', 'media', 'grace_hopper.jpg'))).data, 'the input image is untouched');
  });
});
