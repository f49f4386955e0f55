/**
 * Noise maps for the SEAN generator's 18 noise inputs, reproducible from a seed, so an edit
 * re-renders identically (SEAN's own test.py never seeds; its UI seeds PyTorch's generator, whose
 * normal-sampling algorithm we do not reproduce — see docs/GENERATORS.md).
 *
 * The algorithm, fixed so any implementation can reproduce the maps:
 *
 * 1. Seed: the seed as an unsigned 32-bit integer s. The generator's 128-bit state is four
 *    consecutive outputs of SplitMix32 starting from s (z += 0x9e3779b9; z = (z ^ z>>>16)·0x85ebca6b;
 *    z = (z ^ z>>>13)·0xc2b2ae35; z ^= z>>>16, all mod 2^32).
 * 2. Uniforms: xoshiro128** (Blackman & Vigna, 2018); each 32-bit output x gives u = (x>>>8 + 0.5) / 2^24,
 *    in (0, 1) and never 0.
 * 3. Normals: Box–Muller on consecutive pairs (u1, u2): r = sqrt(−2 ln u1), z0 = r cos(2π u2),
 *    z1 = r sin(2π u2); z0 is used first, then z1.
 * 4. Order: the maps in SEAN's draw order (SEAN_NOISE_INPUTS: head_0 ace_0, ace_1, G_middle_0 …,
 *    up_3 ace_1), each filled row by row ([h][w]); the stream continues from one map to the next.
 *
 * Values are computed in double precision and stored as float32.
 */
import { SEAN_NOISE_INPUTS, type NoiseInputSpec } from './sean-architecture';

function splitMix32(seed: number): () => number {
  let z = seed >>> 0;
  return () => {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
    return (t ^ (t >>> 16)) >>> 0;
  };
}

/** xoshiro128** seeded from a 32-bit seed through SplitMix32. */
export function xoshiro128ss(seed: number): () => number {
  const next = splitMix32(seed);
  return xoshiro128ssFromState(next(), next(), next(), next());
}

/** xoshiro128**: a uniform 32-bit generator with a 2^128 − 1 period, from its raw state. */
export function xoshiro128ssFromState(s0: number, s1: number, s2: number, s3: number): () => number {
  let a = s0 | 0;
  let b = s1 | 0;
  let c = s2 | 0;
  let d = s3 | 0;
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is the one state it must not have
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Standard normal samples from a seed (Box–Muller over xoshiro128** uniforms). */
export function gaussianStream(seed: number): () => number {
  const next = xoshiro128ss(seed);
  const uniform = () => ((next() >>> 8) + 0.5) / 16777216;
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * One standard-normal map per noise input, keyed by input name ('noise_head_0_ace_0', …), each
 * resolution × resolution values (the [1, 1, r, r] tensor's data). Same seed → same maps.
 */
export function seededNoiseMaps(seed: number, inputs: readonly NoiseInputSpec[] = SEAN_NOISE_INPUTS): Record<string, Float32Array> {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`noise seed must be an integer in [0, 2^32), got ${seed}`);
  const gaussian = gaussianStream(seed);
  const maps: Record<string, Float32Array> = {};
  for (const input of inputs) {
    const map = new Float32Array(input.resolution * input.resolution);
    for (let i = 0; i < map.length; i++) map[i] = gaussian();
    maps[input.name] = map;
  }
  return maps;
}

/** All-zero maps: deterministic, but not what SEAN does (it always adds noise). */
export function zeroNoiseMaps(inputs: readonly NoiseInputSpec[] = SEAN_NOISE_INPUTS): Record<string, Float32Array> {
  return Object.fromEntries(inputs.map((input) => [input.name, new Float32Array(input.resolution * input.resolution)]));
}
