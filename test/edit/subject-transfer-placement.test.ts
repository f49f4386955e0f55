import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alphaBox, placeSubject, type SubjectGeometry } from '../../src/engine/edit/processors/subject-transfer/placement';
import type { Box } from '../../src/engine/vision/faces/face-types';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
const place = (p: { scale: number; dx: number; dy: number }, x: number, y: number) => ({ x: p.scale * x + p.dx, y: p.scale * y + p.dy });

describe('subject placement', () => {
  // A full-length person standing in the middle of a 400×600 photo, face 40 px wide.
  const standing: SubjectGeometry & { person: Box } = {
    width: 400,
    height: 600,
    person: { x: 150, y: 50, width: 100, height: 500 },
    face: { x: 180, y: 60, width: 40, height: 40 },
  };

  it('matches face size and position when both photos have faces', () => {
    const target: SubjectGeometry = { width: 800, height: 600, person: { x: 500, y: 100, width: 200, height: 480 }, face: { x: 560, y: 120, width: 80, height: 80 } };
    const p = placeSubject(standing, target);
    assert.equal(p.basis, 'faces');
    close(p.scale, 2, 'scale');
    const centre = place(p, 200, 80);
    close(centre.x, 600, 'face centre x');
    close(centre.y, 160, 'face centre y');
    assert.deepEqual(p.notes, []);
  });

  it('keeps a cut edge out of view: a portrait cut at the bottom stands on the bottom edge', () => {
    const portrait: SubjectGeometry & { person: Box } = { width: 400, height: 400, person: { x: 100, y: 40, width: 200, height: 360 }, face: { x: 160, y: 60, width: 80, height: 80 } };
    // The target's face is half the size: face-matched, the portrait's cut would float at y = 210.
    const target: SubjectGeometry = { width: 400, height: 400, person: { x: 0, y: 20, width: 400, height: 380 }, face: { x: 180, y: 40, width: 40, height: 40 } };
    const p = placeSubject(portrait, target);
    close(p.scale, 0.5, 'face-matched scale');
    close(place(p, 0, 400).y, 400, 'the cut bottom lands on the frame bottom');
    close(place(p, 200, 100).x, 200, 'still centred on the target face across');
    assert.deepEqual(p.notes, []);
  });

  it('a person cut at both sides is enlarged to span the width', () => {
    const bust: SubjectGeometry & { person: Box } = { width: 400, height: 400, person: { x: 0, y: 100, width: 400, height: 300 }, face: { x: 160, y: 120, width: 80, height: 80 } };
    const target: SubjectGeometry = { width: 400, height: 400, person: { x: 0, y: 20, width: 400, height: 380 }, face: { x: 180, y: 40, width: 40, height: 40 } };
    const p = placeSubject(bust, target);
    assert.ok(p.scale >= 1 - 1e-9, `scale ${p.scale}`);
    assert.ok(place(p, 0, 0).x <= 1e-9 && place(p, 400, 0).x >= 400 - 1e-9, 'both side cuts at or beyond the frame');
    assert.match(p.notes.join(' '), /enlarged/);
  });

  it('fits the person into a box, standing on its bottom edge', () => {
    const target: SubjectGeometry = { width: 800, height: 600, person: null, face: null };
    const box = { x: 100, y: 100, width: 300, height: 250 };
    const p = placeSubject(standing, target, box);
    assert.equal(p.basis, 'box');
    close(p.scale, 0.5, 'height-limited scale');
    const top = place(p, 150, 50);
    const bottom = place(p, 250, 550);
    close(bottom.y, 350, 'feet on the box bottom');
    close((top.x + bottom.x) / 2, 250, 'centred across the box');
  });

  it('matches heights when a face is missing', () => {
    const target: SubjectGeometry = { width: 400, height: 600, person: { x: 0, y: 100, width: 120, height: 250 }, face: null };
    const p = placeSubject(standing, target);
    assert.equal(p.basis, 'person');
    close(p.scale, 0.5, 'scale');
    close(place(p, 200, 50).y, 100, 'heads level');
  });

  it('finds the alpha box', () => {
    const alpha = new Float32Array(10 * 8);
    alpha[2 * 10 + 3] = 0.9;
    alpha[5 * 10 + 7] = 0.6;
    alpha[6 * 10 + 1] = 0.3;
    assert.deepEqual(alphaBox(alpha, 10, 8), { x: 3, y: 2, width: 5, height: 4 });
    assert.equal(alphaBox(new Float32Array(80), 10, 8), null);
  });
});
