// Faces on real photos with the real models: how many are found and in what order (single
// portraits, a side-by-side composite, a small face on a 1280×720 canvas, faceless images), and
// how close the landmarks come to points measured by hand (test/fixtures/vision/annotations.json),
// upright, turned 25°, and in an EXIF-rotated copy.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { applyAffine, invertAffine, type Affine } from '../../src/engine/vision/image-ops/affine';
import { warpToImage } from '../../src/engine/vision/image-ops/warp';
import { cropFromDetection } from '../../src/engine/vision/faces/landmark-crop';
import type { Landmark } from '../../src/engine/vision/faces/face-types';
import { exifRotatedCopy, gradient, loadAnnotations, mediaPath, photoRegion, sideBySide, smallFaceScene, testPipeline, type AnnotatedPoint } from './faces-fixtures';

/** Largest error allowed for any one annotated point, and for their mean, in inter-ocular distances (outer eye corners). */
const MAX_POINT_ERROR_IOD = 0.1;
const MAX_MEAN_ERROR_IOD = 0.06;

const { pipeline, pool } = testPipeline();
const annotations = loadAnnotations();
const PHOTOS = Object.keys(annotations.photos);
const tempDir = await mkdtemp(join(tmpdir(), 'seam-faces-'));
after(async () => {
  await pool.releaseAll();
  await rm(tempDir, { recursive: true, force: true });
});

const centreX = (box: { x: number; width: number }) => box.x + box.width / 2;
const centreY = (box: { y: number; height: number }) => box.y + box.height / 2;

/** Error of each annotated point in IOD, with the hand points mapped through `toImage` first. */
function landmarkErrors(photo: string, points: readonly Landmark[], toImage?: Affine): Record<AnnotatedPoint, number> {
  const { points: hand } = annotations.photos[photo]!;
  const map = ([x, y]: [number, number]) => (toImage ? applyAffine(toImage, x, y) : { x, y });
  const right = map(hand.rightEyeOuter);
  const left = map(hand.leftEyeOuter);
  const iod = Math.hypot(left.x - right.x, left.y - right.y);
  const errors = {} as Record<AnnotatedPoint, number>;
  for (const [name, index] of Object.entries(annotations.meshIndex) as Array<[AnnotatedPoint, number]>) {
    const expected = map(hand[name]);
    const found = points[index]!;
    errors[name] = Math.hypot(found.x - expected.x, found.y - expected.y) / iod;
  }
  return errors;
}

function assertAccurate(label: string, errors: Record<AnnotatedPoint, number>, report: (message: string) => void): void {
  const values = Object.values(errors);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  report(`${label}: ${Object.entries(errors).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}; mean ${mean.toFixed(3)} IOD`);
  for (const [name, error] of Object.entries(errors)) assert.ok(error <= MAX_POINT_ERROR_IOD, `${label} ${name}: ${error.toFixed(3)} IOD > ${MAX_POINT_ERROR_IOD}`);
  assert.ok(mean <= MAX_MEAN_ERROR_IOD, `${label} mean ${mean.toFixed(3)} IOD > ${MAX_MEAN_ERROR_IOD}`);
}

describe('face counts', () => {
  for (const photo of PHOTOS) {
    it(`finds exactly one face in ${photo}, seen by both models`, async () => {
      const image = await decodeImage(mediaPath(photo));
      const faces = await pipeline.detect(image);
      assert.equal(faces.length, 1);
      const face = faces[0]!;
      assert.ok(face.score > 0.75, `score ${face.score}`);
      assert.deepEqual(face.foundBy, ['full-range', 'short-range']);
      // The detector's eye keypoints sit near the hand-measured eyes (between the corners).
      const hand = annotations.photos[photo]!.points;
      const eyeX = (hand.rightEyeOuter[0] + hand.rightEyeInner[0]) / 2;
      assert.ok(Math.abs(face.keypoints.rightEye.x - eyeX) < 10, `right eye keypoint x ${face.keypoints.rightEye.x} vs ${eyeX}`);
    });
  }

  it('finds both faces of a side-by-side composite, left to right, the same way every time', async () => {
    const leftRight = await sideBySide(mediaPath('astronaut.png'), mediaPath('grace_hopper.jpg'));
    const first = await pipeline.detect(leftRight);
    assert.equal(first.length, 2);
    assert.ok(centreX(first[0]!.box) < 512 && centreX(first[1]!.box) > 512, 'astronaut (left half) first, Grace Hopper second');
    const again = await pipeline.detect(leftRight);
    assert.deepEqual(again.map((f) => f.box), first.map((f) => f.box));

    const swapped = await pipeline.detect(await sideBySide(mediaPath('grace_hopper.jpg'), mediaPath('astronaut.png')));
    assert.equal(swapped.length, 2);
    assert.ok(centreX(swapped[0]!.box) < 512 && swapped[0]!.box.width > swapped[1]!.box.width, 'Grace Hopper (the larger face) now first');
  });

  for (const faceWidth of [40, 48]) {
    it(`finds a ${faceWidth}-pixel face in a 1280×720 frame (full-range model)`, async () => {
      const { image, pasted } = await smallFaceScene(faceWidth, 900, 200);
      const faces = await pipeline.detect(image);
      assert.equal(faces.length, 1);
      const face = faces[0]!;
      assert.ok(face.foundBy.includes('full-range'), `found by ${face.foundBy.join(', ')}`);
      assert.ok(face.box.width > faceWidth * 0.6 && face.box.width < faceWidth * 1.5, `box width ${face.box.width}`);
      const inside = (v: number, lo: number, size: number) => v > lo && v < lo + size;
      assert.ok(inside(centreX(face.box), pasted.x, pasted.width) && inside(centreY(face.box), pasted.y, pasted.height), 'box on the pasted head');
      // Without tiles (the models on the whole frame only) this face is too small to find.
      assert.equal((await pipeline.detect(image, { strategy: 'both' })).length, 0);
    });
  }

  it('finds no face where there is none', async () => {
    const scenes: Array<[string, RasterImage]> = [
      ['gradient 640×480', gradient(640, 480)],
      ['gradient 1920×1080', gradient(1920, 1080)],
      ['astronaut suit and helmet', await photoRegion('astronaut.png', { left: 0, top: 220, width: 512, height: 292 })],
      ['flag', await photoRegion('astronaut.png', { left: 0, top: 0, width: 150, height: 512 })],
      ['Grace Hopper uniform', await photoRegion('grace_hopper.jpg', { left: 0, top: 340, width: 512, height: 260 })],
    ];
    for (const [label, image] of scenes) assert.deepEqual(await pipeline.detect(image), [], label);
  });

  it('the landmark model says "no face" on a faceless crop', async () => {
    const image = gradient(300, 300);
    const result = await pipeline.landmarker.landmarks(image, { centerX: 150, centerY: 150, size: 200, angle: 0 });
    assert.ok(result.presence < 0.5, `presence ${result.presence}`);
  });
});

describe('landmark accuracy against hand annotations', () => {
  for (const photo of PHOTOS) {
    it(`${photo}: eye corners, nose tip and mouth corners within ${MAX_POINT_ERROR_IOD} IOD`, async (t) => {
      const image = await decodeImage(mediaPath(photo));
      const [face] = await pipeline.analyze(image);
      assert.ok(face?.landmarks, 'landmarks found');
      assert.equal(face.landmarks.points.length, 468);
      assert.ok(face.landmarks.presence > 0.9);
      assertAccurate(`${photo} (refined)`, landmarkErrors(photo, face.landmarks.points), (m) => t.diagnostic(m));
      const single = await pipeline.landmarksFor(image, face.detection, { refine: false });
      assertAccurate(`${photo} (one pass)`, landmarkErrors(photo, single!.points), (m) => t.diagnostic(m));
    });
  }

  it('follows a head turned 25°: the crop is levelled on the eyes and points map back', async (t) => {
    const photo = 'grace_hopper.jpg';
    const image = await decodeImage(mediaPath(photo));
    // Turn about the photo's centre onto a canvas of the same size (corners are cut, the face is not).
    const angle = (25 * Math.PI) / 180;
    const cx = image.width / 2;
    const cy = image.height / 2;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const srcToTurned: Affine = { a: cos, b: -sin, c: cx - cos * cx + sin * cy, d: sin, e: cos, f: cy - sin * cx - cos * cy };
    const turned = warpToImage(image, invertAffine(srcToTurned), image.width, image.height) as RasterImage;
    const [face] = await pipeline.analyze(turned);
    assert.ok(face?.landmarks);
    const cropAngle = cropFromDetection(face.detection).angle;
    assert.ok(Math.abs(cropAngle - angle) < (6 * Math.PI) / 180, `crop angle ${((cropAngle * 180) / Math.PI).toFixed(1)}° for a 25° turn`);
    assertAccurate(`${photo} turned 25°`, landmarkErrors(photo, face.landmarks.points, srcToTurned), (m) => t.diagnostic(m));
  });

  it('gives the same landmarks for an EXIF-rotated copy (orientation 6) once decoded upright', async (t) => {
    const photo = 'grace_hopper.jpg';
    const rotatedPath = join(tempDir, 'grace_hopper_orientation6.jpg');
    await exifRotatedCopy(photo, rotatedPath);
    const upright = await decodeImage(rotatedPath);
    assert.deepEqual([upright.width, upright.height], [512, 600]);
    const [original] = await pipeline.analyze(await decodeImage(mediaPath(photo)));
    const [rotated] = await pipeline.analyze(upright);
    assert.ok(original?.landmarks && rotated?.landmarks);
    const hand = annotations.photos[photo]!.points;
    const iod = Math.hypot(hand.leftEyeOuter[0] - hand.rightEyeOuter[0], hand.leftEyeOuter[1] - hand.rightEyeOuter[1]);
    let worst = 0;
    original.landmarks.points.forEach((p, i) => {
      const q = rotated.landmarks!.points[i]!;
      worst = Math.max(worst, Math.hypot(p.x - q.x, p.y - q.y) / iod);
    });
    t.diagnostic(`largest difference over all 468 points: ${worst.toFixed(4)} IOD (JPEG re-encoding at quality 95)`);
    assert.ok(worst < 0.03, `worst point differs by ${worst.toFixed(4)} IOD`);
    assertAccurate(`${photo} EXIF-rotated`, landmarkErrors(photo, rotated.landmarks.points), (m) => t.diagnostic(m));
  });
});
