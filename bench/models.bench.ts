/**
 * Speed of the converted built-in models on onnxruntime-node's CPU provider against the original
 * .tflite in LiteRT.js's WebAssembly runtime (XNNPACK, what a browser build would use). Both run
 * in this process on the same photo tensor; each figure is the median of `iterations` timed calls
 * after `warmup` untimed ones, timing the whole call from a Float32Array in to Float32Arrays out.
 *
 * LiteRT.js runs single-threaded in Node (see test/support/litert.ts), with its relaxed-SIMD build
 * (the one Chrome/Electron load). ORT runs with its default thread pool (one thread per physical
 * core) and, for a like-for-like figure, with one thread.
 *
 * Standalone: `npx tsx bench/models.bench.ts [iterations]` prints a table.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { TfliteModel, loadLiteRtNode } from '../test/support/litert';
import { photoInputs } from '../test/support/model-inputs';
import { OnnxModel } from '../test/support/ort';
import { TFLITE_SOURCES, readTflite } from '../test/support/tflite-sources';

export interface ModelsBenchContext {
  iterations?: number;
  warmup?: number;
  log?: (line: string) => void;
}

export interface ModelsBenchRow {
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

async function medianMs(call: () => Promise<unknown>, warmup: number, iterations: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
}

const round = (x: number) => Math.round(x * 100) / 100;

async function run(ctx: ModelsBenchContext = {}): Promise<ModelsBenchRow[]> {
  const iterations = ctx.iterations ?? 50;
  const warmup = ctx.warmup ?? 10;
  const log = ctx.log ?? (() => {});
  const { build } = await loadLiteRtNode({ relaxedSimd: true });
  log(`LiteRT.js build ${build}; ${availableParallelism()} CPUs; median of ${iterations} after ${warmup} warm-up runs`);

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
      const litertWasmMs = await medianMs(() => tflite.run(tensor.data), warmup, iterations);
      const ortCpuMs = await medianMs(() => ort.run([tensor]), warmup, iterations);
      const ortCpu1tMs = await medianMs(() => ort1.run([tensor]), warmup, iterations);
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

export default { name: 'models', run };

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const iterations = Number(process.argv[2] ?? 50);
  const rows = await run({ iterations, log: (line) => console.log(line) });
  console.table(rows);
}
