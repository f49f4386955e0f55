import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RasterImage } from '../../src/engine/image/image';
import { applyDisplacementField } from '../../src/engine/edit/pixel/field-warp/apply-field';
import { buildDisplacementField, displacementAt, type DisplacementField } from '../../src/engine/edit/pixel/field-warp/displacement-field';
import { limitFolding, minJacobianDeterminant } from '../../src/engine/edit/pixel/field-warp/fold-guard';
import { rotation, scaleAlong, type WarpHandle } from '../../src/engine/edit/pixel/field-warp/warp-handle';

const X = { x: 1, y: 0 };

/** A deterministic textured RGB image (every pixel different from its neighbours). */
function texture(width: number, height: number): RasterImage {
  const data = new Uint8Array(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data[i] = seed >>> 24;
  }
  return { width, height, channels: 3, data };
}

/** Black image with a white square of side 2·half centred at (cx, cy) (pixel centres inside). */
function square(width: number, height: number, cx: number, cy: number, half: number): RasterImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (Math.abs(x + 0.5 - cx) < half && Math.abs(y + 0.5 - cy) < half) data.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { width, height, channels: 3, data };
}

function centroidOfBright(image: RasterImage): { x: number; y: number; count: number } {
  let sx = 0;
  let sy = 0;
  let total = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const v = image.data[(y * image.width + x) * 3]! / 255;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
      total += v;
    }
  }
  return { x: sx / total, y: sy / total, count: total };
}

/** The map q ↦ q + d(q) sampled densely inside every cell: the smallest finite-difference determinant. */
function denseMinDeterminant(field: DisplacementField, samplesPerCell: number): number {
  let min = Infinity;
  const h = field.step / samplesPerCell / 4;
  const x0 = field.left + 0.5;
  const y0 = field.top + 0.5;
  for (let v = 0.5; v < (field.rows - 1) * samplesPerCell; v++) {
    for (let u = 0.5; u < (field.cols - 1) * samplesPerCell; u++) {
      const x = x0 + (u * field.step) / samplesPerCell;
      const y = y0 + (v * field.step) / samplesPerCell;
      const dxp = displacementAt(field, x + h, y);
      const dxm = displacementAt(field, x - h, y);
      const dyp = displacementAt(field, x, y + h);
      const dym = displacementAt(field, x, y - h);
      const a = 1 + (dxp.x - dxm.x) / (2 * h);
      const c = (dxp.y - dxm.y) / (2 * h);
      const b = (dyp.x - dym.x) / (2 * h);
      const d = 1 + (dyp.y - dym.y) / (2 * h);
      min = Math.min(min, a * d - b * c);
    }
  }
  return min;
}

describe('field warp', () => {
  it('has no field without handles, and a zero field changes no pixel', () => {
    assert.equal(buildDisplacementField([], 64, 64, 4), null);
    const image = texture(64, 64);
    const before = image.data.slice();
    const still: WarpHandle = { center: { x: 32, y: 32 }, axis: X, radii: [10, 10] };
    const field = buildDisplacementField([still], 64, 64, 4)!;
    const region = new Uint8Array(64 * 64);
    assert.equal(applyDisplacementField(image, field, region), 0);
    assert.deepEqual(image.data, before);
    assert.ok(region.every((r) => r === 0));
  });

  it('moves content by the handle shift inside the core and leaves everything beyond the ellipse exactly as it was', () => {
    const image = square(120, 100, 50, 50, 6);
    const handle: WarpHandle = { center: { x: 50, y: 50 }, shift: { x: 5, y: -3 }, axis: X, radii: [30, 25], core: 0.5 };
    const field = buildDisplacementField([handle], 120, 100, 3)!;
    const textured = texture(120, 100);
    const before = textured.data.slice();
    const region = new Uint8Array(120 * 100);
    applyDisplacementField(image, field, new Uint8Array(120 * 100));
    applyDisplacementField(textured, field, region);
    const moved = centroidOfBright(image);
    assert.ok(Math.abs(moved.x - 55) < 0.05 && Math.abs(moved.y - 47) < 0.05, `square centre at ${moved.x.toFixed(2)}, ${moved.y.toFixed(2)}`);
    for (let y = 0; y < 100; y++) {
      for (let x = 0; x < 120; x++) {
        // The field is read bilinearly between nodes: it reaches one lattice step (3 px) past the ellipse.
        const outside = ((x + 0.5 - 55) / 33) ** 2 + ((y + 0.5 - 47) / 28) ** 2 > 1;
        const p = y * 120 + x;
        if (region[p] === 0) for (let c = 0; c < 3; c++) assert.equal(textured.data[p * 3 + c], before[p * 3 + c]);
        if (outside) assert.equal(region[p], 0, `pixel ${x},${y} outside the ellipse was resampled`);
      }
    }
  });

  it('is the exact inverse of a scale in the core: a point lands where the forward map sends it', () => {
    const handle: WarpHandle = { center: { x: 40, y: 40 }, linear: scaleAlong({ x: 0.6, y: 0.8 }, 1.3, 0.9), axis: X, radii: [30, 30], core: 0.6 };
    const field = buildDisplacementField([handle], 80, 80, 1)!;
    // Input point p goes to q = c + L(p − c); the warp reads q from q + d(q), which must be p.
    const p = { x: 45.5, y: 37.5 };
    const L = handle.linear!;
    const q = { x: 40 + L[0] * (p.x - 40) + L[1] * (p.y - 40), y: 40 + L[2] * (p.x - 40) + L[3] * (p.y - 40) };
    const d = displacementAt(field, q.x, q.y);
    assert.ok(Math.hypot(q.x + d.x - p.x, q.y + d.y - p.y) < 0.02);
  });

  it('checks folding exactly: the lattice corner minimum bounds the determinant everywhere in the cells', () => {
    const handles: WarpHandle[] = [
      { center: { x: 40, y: 40 }, linear: scaleAlong(X, 1.5, 1.2), axis: X, radii: [22, 18], core: 0.35 },
      { center: { x: 55, y: 45 }, shift: { x: -4, y: 3 }, axis: { x: 0.8, y: 0.6 }, radii: [15, 20] },
      { center: { x: 30, y: 55 }, linear: rotation(0.3), axis: X, radii: [14, 14], core: 0.2 },
    ];
    const field = buildDisplacementField(handles, 90, 90, 4)!;
    const lattice = minJacobianDeterminant(field);
    const dense = denseMinDeterminant(field, 8);
    assert.ok(dense >= lattice - 1e-6, `dense ${dense} below lattice ${lattice}`);
    assert.ok(dense - lattice < 0.05, 'and the corner minimum is attained, not just a loose bound');
  });

  it('scales a folding field down until every determinant is at the floor, and the picture stays in order', () => {
    // A 12-pixel shift across a 10-pixel falloff would fold the picture over itself.
    const handle: WarpHandle = { center: { x: 40, y: 20 }, shift: { x: 12, y: 0 }, axis: X, radii: [10, 10] };
    const field = buildDisplacementField([handle], 80, 40, 1)!;
    assert.ok(minJacobianDeterminant(field) < 0, 'the raw field folds');
    const check = limitFolding(field, 0.2);
    assert.ok(check.scale < 1 && check.scale > 0);
    assert.ok(check.minDeterminant >= 0.2 - 1e-9, `min determinant ${check.minDeterminant}`);
    assert.ok(denseMinDeterminant(field, 4) > 0.19);
    // A horizontal ramp stays monotonic along every row: no content appears twice.
    const ramp: RasterImage = { width: 80, height: 40, channels: 3, data: new Uint8Array(80 * 40 * 3) };
    for (let y = 0; y < 40; y++) for (let x = 0; x < 80; x++) ramp.data.fill(x * 3, (y * 80 + x) * 3, (y * 80 + x) * 3 + 3);
    applyDisplacementField(ramp, field);
    for (let y = 0; y < 40; y++) {
      for (let x = 1; x < 80; x++) assert.ok(ramp.data[(y * 80 + x) * 3]! >= ramp.data[(y * 80 + x - 1) * 3]!, `row ${y} folds at x=${x}`);
    }
  });

  it('leaves a field that does not fold untouched', () => {
    const handle: WarpHandle = { center: { x: 40, y: 40 }, shift: { x: 2, y: 1 }, axis: X, radii: [20, 20] };
    const field = buildDisplacementField([handle], 80, 80, 2)!;
    const dx = field.dx.slice();
    const check = limitFolding(field);
    assert.equal(check.scale, 1);
    assert.deepEqual(field.dx, dx);
  });

  it('keeps the field inside the image at the edges and samples the border by replication', () => {
    const image = texture(40, 30);
    const handle: WarpHandle = { center: { x: 2, y: 2 }, shift: { x: -3, y: -2 }, axis: X, radii: [12, 12], core: 0.3 };
    const field = buildDisplacementField([handle], 40, 30, 2)!;
    assert.equal(field.left, 0);
    assert.equal(field.top, 0);
    const changed = applyDisplacementField(image, field, new Uint8Array(40 * 30));
    assert.ok(changed > 0);
  });
});
