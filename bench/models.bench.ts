/**
 * Speed of the converted built-in models on onnxruntime-node's CPU provider against the original
 * .tflite in LiteRT.js's WebAssembly runtime (XNNPACK, what a browser build would use). Both run
 * in this process on the same photo tensor. Each figure is a median of timed calls after a warm-up,
 * interleaved across runtimes; a call is the whole round trip, Float32Array in, Float32Arrays out.
 *
 * LiteRT.js runs single-threaded in Node (see test/support/litert.ts), with its relaxed-SIMD build
 * (the one Chrome/Electron load), compiled by V8's optimizing tier up front. ORT runs with its default thread pool (one thread per physical
 * core) and, for a like-for-like figure, with one thread.
 *
 * Run with `npm run bench models [--runs N]`, or standalone: `npx tsx bench/models.bench.ts [runs]`.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { TfliteModel, loadLiteRtNode } from '../test/support/litert';
import { photoInputs } from '../test/support/model-inputs';
import { OnnxModel } from '../test/support/ort';
import { TFLITE_SOURCES, readTflite } from '../test/support/tflite-sources';
import { formatTable, median, type BenchContext, type BenchmarkDefinition, type BenchRow } from './harness';

export interface ModelsBenchRow extends BenchRow {
  model: string;
  /** ORT CPU, default threads. */
  ortCpuMs: number;
  /** ORT CPU, one intra-op thread. */
  ortCpu1tMs: number;
  /** LiteRT.js, WebAssembly, one thread. */
  litertWasmMs: number;
  /** litertWasmMs / ortCpuMs: how many times faster ORT is (target ≥ 2). */
  ratio: number;
  /** litertWasmMs / ortCpu1tMs. */
  ratio1t: number;
}

const MODELS_DIR = new URL('../resources/models/', import.meta.url);

type Call = () => Promise<unknown>;

/**
 * Median ms per call for each of several calls, measured in interleaved rounds (the order rotates
 * each round) so that load from other processes and CPU clock changes hit every runtime alike.
 * Warm-up lasts at least `warmup` rounds and half a second (caches, ORT's thread pool, lazy
 * allocations).
 */
async function interleavedMedians(calls: Call[], warmup: number, iterations: number): Promise<number[]> {
  const warmUntil = performance.now() + 500;
  for (let i = 0; i < warmup || performance.now() < warmUntil; i++) {
    for (const call of calls) await call();
  }
  const times: number[][] = calls.map(() => []);
  for (let i = 0; i < iterations; i++) {
    for (let k = 0; k < calls.length; k++) {
      const j = (i + k) % calls.length;
      const t0 = performance.now();
      await calls[j]!();
      times[j]!.push(performance.now() - t0);
    }
  }
  return times.map(median);
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Model runs take milliseconds, so each of the harness's `runs` is 5 timed calls per runtime. */
const CALLS_PER_RUN = 5;
const WARMUP = 10;

async function run({ runs, log }: BenchContext): Promise<ModelsBenchRow[]> {
  const iterations = runs * CALLS_PER_RUN;
  const { build } = await loadLiteRtNode({ relaxedSimd: true, topTierOnly: true });
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  log(`LiteRT.js ${build}; ${availableParallelism()} CPUs, load average ${load}; median of ${iterations} calls after warm-up`);

  const rows: ModelsBenchRow[] = [];
  for (const { id } of TFLITE_SOURCES) {
    const onnxPath = new URL(`${id}.onnx`, MODELS_DIR);
    if (!existsSync(onnxPath)) throw new Error(`${onnxPath.pathname} is missing: run \`npm run models\` first`);
    const [input] = await photoInputs(id);
    const tensor = input!.tensor;

    const tflite = await TfliteModel.load(readTflite(id));
    const ort = await OnnxModel.load(onnxPath.pathname);
    const ort1 = await OnnxModel.load(onnxPath.pathname, { threads: 1 });
    try {
      const [litertWasmMs, ortCpuMs, ortCpu1tMs] = (await interleavedMedians(
        [() => tflite.run(tensor.data), () => ort.run([tensor]), () => ort1.run([tensor])],
        WARMUP,
        iterations,
      )) as [number, number, number];
      rows.push({
        model: id,
        ortCpuMs: round(ortCpuMs),
        ortCpu1tMs: round(ortCpu1tMs),
        litertWasmMs: round(litertWasmMs),
        ratio: round(litertWasmMs / ortCpuMs),
        ratio1t: round(litertWasmMs / ortCpu1tMs),
      });
      log(`${id}: ORT ${ortCpuMs.toFixed(2)} ms (1 thread ${ortCpu1tMs.toFixed(2)}), LiteRT.js ${litertWasmMs.toFixed(2)} ms`);
    } finally {
      tflite.delete();
      await ort.release();
      await ort1.release();
    }
  }
  return rows;
}

const bench: BenchmarkDefinition = {
  name: 'models',
  description: 'built-in models: converted ONNX on onnxruntime-node CPU vs the original TFLite in LiteRT.js (wasm)',
  run,
  targets: (rows) =>
    rows.map((row) => ({
      target: `${String(row.model)}: ORT CPU ≥ 2× faster than LiteRT.js wasm (measured ${Number(row.ratio).toFixed(2)}×)`,
      met: Number(row.ratio) >= 2,
    })),
};
export default bench;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 10);
  const rows = await run({ runs, log: (line) => console.log(line) });
  console.log(formatTable(rows));
  for (const t of bench.targets!(rows)) console.log(`${t.met ? 'MET   ' : 'MISSED'} ${t.target}`);
}
