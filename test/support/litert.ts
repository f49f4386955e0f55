/**
 * Runs original .tflite models in LiteRT.js (@litertjs/core, XNNPACK in WebAssembly) from Node,
 * as the reference the converted ONNX models are checked and benchmarked against.
 *
 * LiteRT.js is written for browsers. Its loader fetches an Emscripten script by URL and evaluates
 * it with `importScripts` (in a worker) or a <script> tag, then picks up the `ModuleFactory`
 * global that script defines. The Emscripten script itself is UMD and knows Node (it reads the
 * .wasm beside it with node:fs), so the shim only has to:
 *  - provide `self` and an `importScripts` that evaluates the script as CommonJS (it cannot be
 *    `require`d: @litertjs/core is "type": "module", so Node would parse it as ESM) and sets
 *    `self.ModuleFactory` from its `module.exports`;
 *  - pass a `Module` object whose `printErr` drops the runtime's INFO/WARNING chatter;
 *  - silence the one expected warning: there is no WebGPU in Node, so the default environment
 *    logs "Failed to create default WebGPU device" (the 'wasm' accelerator never needs it).
 * Threads are not supported: the threaded build starts its pthreads with worker_threads on its own
 * .js file, which Node would load as ESM for the same reason. So the reference is single-threaded.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInThisContext } from 'node:vm';
import type * as LiteRtCore from '@litertjs/core';
import type { CompiledModel, TensorDetails } from '@litertjs/core';

type LiteRtModule = typeof LiteRtCore;

export interface LiteRtNodeOptions {
  /**
   * Turn on V8's relaxed-SIMD flag so LiteRT.js loads its fastest single-threaded build
   * (`litert_wasm_internal`, the one Chrome and Electron load). Node 20's V8 ships the feature
   * behind a flag; without it LiteRT.js falls back to its `compat` build. The builds differ by
   * rounding only (fused multiply-adds): up to ~1e-6 relative on the detectors and landmarks,
   * 4e-5 on the selfie masks. LiteRT.js has one runtime per process: the first load decides.
   */
  relaxedSimd?: boolean;
  /**
   * Compile the wasm with V8's optimizing compiler only (`--no-liftoff`). By default V8 starts on
   * its baseline compiler and tiers hot functions up in the background, which on a busy machine
   * takes seconds and never finishes for some: timings drift from ~8 to ~4 ms and settle above
   * the ~3.2 ms that fully optimized code gives. Benchmarks want the runtime at its best.
   */
  topTierOnly?: boolean;
}

export interface LiteRtNode {
  lib: LiteRtModule;
  /** The Emscripten script that was loaded, e.g. 'litert_wasm_compat_internal.js'. */
  build: string;
}

export interface NamedOutput {
  data: Float32Array;
  shape: number[];
}

type Globals = typeof globalThis & {
  self?: unknown;
  importScripts?: (url: string) => void;
  ModuleFactory?: unknown;
  Module?: unknown;
};

const requireHere = createRequire(import.meta.url);
let loading: Promise<LiteRtNode> | undefined;
let loadedWith: LiteRtNodeOptions = {};

/** The folder with LiteRT.js's .js/.wasm pairs (node_modules/@litertjs/core/wasm). */
export function liteRtWasmDir(): string {
  // The package's main is dist/index.js; wasm/ sits beside dist/.
  return join(dirname(dirname(requireHere.resolve('@litertjs/core'))), 'wasm');
}

/**
 * Loads LiteRT.js once per process (it keeps one global runtime) and returns it. Without options,
 * returns the runtime already loaded, or loads the default (compat) build.
 */
export function loadLiteRtNode(options?: LiteRtNodeOptions): Promise<LiteRtNode> {
  if (loading && !options) return loading;
  options ??= {};
  const key = (o: LiteRtNodeOptions) => `relaxedSimd=${Boolean(o.relaxedSimd)}, topTierOnly=${Boolean(o.topTierOnly)}`;
  if (loading && key(options) !== key(loadedWith)) {
    // Asking for one set-up and silently getting another would mislabel a benchmark.
    throw new Error(`LiteRT.js is already loaded with ${key(loadedWith)} in this process`);
  }
  loadedWith = options;
  loading ??= load(options).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(options: LiteRtNodeOptions): Promise<LiteRtNode> {
  // Must happen before LiteRT.js probes the feature (it caches the answer) and compiles anything.
  if (options.relaxedSimd) setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (options.topTierOnly) setFlagsFromString('--no-liftoff');
  const g = globalThis as Globals;
  let build = '';
  g.self ??= globalThis;
  g.importScripts = (file: string) => {
    build = basename(file);
    const source = readFileSync(file, 'utf8');
    const wrapper = runInThisContext(
      `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
      { filename: file },
    ) as (e: object, r: NodeJS.Require, m: { exports: object }, f: string, d: string) => void;
    const module: { exports: object } = { exports: {} };
    wrapper(module.exports, createRequire(file), module, file, dirname(file));
    g.ModuleFactory = module.exports;
  };
  g.Module = { print: () => {}, printErr: keepErrorsOnly };

  const lib = await import('@litertjs/core');
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (String(args[0]).startsWith('Failed to create default WebGPU device')) return;
    warn(...args);
  };
  try {
    // A folder path (trailing slash) lets LiteRT.js pick the build that fits the features present.
    await lib.loadLiteRt(`${liteRtWasmDir()}/`);
  } finally {
    console.warn = warn;
    delete g.importScripts;
  }
  return { lib, build };
}

function keepErrorsOnly(line: string): void {
  if (/^(INFO|WARNING|VERBOSE):/.test(line)) return;
  console.error(`[litert] ${line}`);
}

/** A compiled .tflite model kept for repeated runs (the bench) or several inputs (the tests). */
export class TfliteModel {
  private constructor(
    private readonly lib: LiteRtModule,
    private readonly compiled: CompiledModel,
  ) {}

  static async load(modelBytes: Uint8Array, options?: LiteRtNodeOptions): Promise<TfliteModel> {
    const { lib } = await loadLiteRtNode(options);
    // LiteRT.js copies the bytes into wasm memory, so the caller's array stays its own.
    const compiled = await lib.loadAndCompile(modelBytes, { accelerator: 'wasm' });
    return new TfliteModel(lib, compiled);
  }

  get inputs(): Array<{ name: string; shape: number[] }> {
    return this.compiled.getInputDetails().map(describe);
  }

  get outputs(): Array<{ name: string; shape: number[] }> {
    return this.compiled.getOutputDetails().map(describe);
  }

  /** Runs float32 inputs (one per model input, in order) and returns the outputs by TFLite name. */
  async run(...inputs: Float32Array[]): Promise<Record<string, NamedOutput>> {
    const details = this.compiled.getInputDetails();
    if (inputs.length !== details.length) {
      throw new Error(`model has ${details.length} inputs, got ${inputs.length}`);
    }
    const tensors = inputs.map((data, i) => {
      const shape = Array.from(details[i]!.shape);
      const expected = shape.reduce((a, b) => a * b, 1);
      if (data.length !== expected) throw new Error(`input ${i}: ${data.length} values, shape ${shape} needs ${expected}`);
      return new this.lib.Tensor(data, shape);
    });
    try {
      const results = await this.compiled.run(tensors);
      const names = this.compiled.getOutputDetails();
      const out: Record<string, NamedOutput> = {};
      results.forEach((tensor, i) => {
        const detail = names[i]!;
        out[detail.name] = { data: tensor.toTypedArray() as Float32Array, shape: Array.from(detail.shape) };
        tensor.delete();
      });
      return out;
    } finally {
      for (const t of tensors) t.delete();
    }
  }

  delete(): void {
    this.compiled.delete();
  }
}

function describe(d: TensorDetails): { name: string; shape: number[] } {
  return { name: d.name, shape: Array.from(d.shape) };
}

/**
 * One-shot run: compiles the model, checks the input shape, runs once, frees the model.
 * Use TfliteModel directly to run a model more than once.
 */
export async function runTflite(
  modelBytes: Uint8Array,
  input: Float32Array,
  inputShape: number[],
): Promise<Record<string, NamedOutput>> {
  const model = await TfliteModel.load(modelBytes);
  try {
    const expected = model.inputs[0]?.shape ?? [];
    if (expected.join('x') !== inputShape.join('x')) {
      throw new Error(`model input is ${expected.join('x')}, got ${inputShape.join('x')}`);
    }
    return await model.run(input);
  } finally {
    model.delete();
  }
}
