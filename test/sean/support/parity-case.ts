/** Reads a parity case written by reference/make_parity_case.py: raw float32 arrays listed in case.json. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from 'onnxruntime-node';

export interface ParityCase {
  dir: string;
  noise: string[];
  stats: Record<string, unknown>;
  array(name: string): Float32Array;
  tensor(name: string): Tensor;
}

export function loadParityCase(dir: string): ParityCase {
  const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as {
    arrays: Record<string, { file: string; shape: number[] }>;
    noise: string[];
    stats: Record<string, unknown>;
  };
  const array = (name: string) => {
    const entry = meta.arrays[name];
    if (!entry) throw new Error(`parity case has no array ${name}`);
    const bytes = readFileSync(join(dir, entry.file));
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  };
  return {
    dir,
    noise: meta.noise,
    stats: meta.stats,
    array,
    tensor: (name) => new Tensor('float32', array(name), meta.arrays[name]!.shape),
  };
}

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** The generator's feeds: seg, codes and the 18 noise maps. */
export function generatorFeeds(c: ParityCase): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = { seg: c.tensor('seg'), codes: c.tensor('codes') };
  for (const name of c.noise) feeds[name] = c.tensor(name);
  return feeds;
}
