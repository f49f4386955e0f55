/** Seeded noise maps: the documented generators, determinism, shapes and distribution. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEAN_NOISE_INPUTS } from '../../src/engine/models/sean/sean-architecture';
import { gaussianStream, seededNoiseMaps, xoshiro128ssFromState, zeroNoiseMaps } from '../../src/engine/models/sean/seeded-noise';

describe('seeded noise maps', () => {
  it("xoshiro128** gives the reference algorithm's outputs", () => {
    // From the C reference (Blackman & Vigna) run on state {1, 2, 3, 4}.
    const next = xoshiro128ssFromState(1, 2, 3, 4);
    assert.deepEqual(Array.from({ length: 6 }, next), [11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives one [r × r] map per noise input, the same for the same seed, different for another', () => {
    const a = seededNoiseMaps(42);
    const b = seededNoiseMaps(42);
    const c = seededNoiseMaps(43);
    assert.deepEqual(Object.keys(a), SEAN_NOISE_INPUTS.map((n) => n.name));
    for (const input of SEAN_NOISE_INPUTS) {
      assert.equal(a[input.name]!.length, input.resolution ** 2);
      assert.deepEqual(a[input.name], b[input.name]);
      assert.notDeepEqual(a[input.name], c[input.name]);
    }
  });

  it('is standard normal, continuing one stream across the maps in draw order', () => {
    const maps = seededNoiseMaps(7);
    const all = SEAN_NOISE_INPUTS.flatMap((n) => Array.from(maps[n.name]!));
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    const variance = all.reduce((s, v) => s + (v - mean) ** 2, 0) / all.length;
    assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.01, `variance ${variance}`);
    const stream = gaussianStream(7);
    const first = SEAN_NOISE_INPUTS[0]!;
    for (let i = 0; i < first.resolution ** 2; i++) stream();
    assert.equal(maps[SEAN_NOISE_INPUTS[1]!.name]![0], Math.fround(stream()));
  });

  it('refuses seeds that are not 32-bit unsigned integers; zero maps are zero', () => {
    assert.throws(() => seededNoiseMaps(-1), RangeError);
    assert.throws(() => seededNoiseMaps(1.5), RangeError);
    assert.ok(Object.values(zeroNoiseMaps()).every((m) => m.every((v) => v === 0)));
  });
});
