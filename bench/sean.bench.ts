/**
 * SEAN generation on onnxruntime-node's CPU provider against the PyTorch reference
 * (test/sean/reference/sean_reference.py), with the same random weights, the same inputs and the
 * same thread count (torch.set_num_threads = ORT intraOpNumThreads), in the same run. Torch runs in
 * a long-lived Python process; each round times one call of every runtime in turn (the order
 * rotating), so load from other processes hits all of them alike. Each figure is a median.
 * Target: ORT ≤ 0.7 × torch for the generator as imported (fp32).
 *
 * Rows: the torch reference; Seam's generator as imported (fp32, factored style convolutions);
 * the 'direct' graph (SEAN's 512-channel style convolutions, the like-for-like algorithm); the
 * fp16-weight generator (size and time); the encoders; the conversion itself (time, peak RSS).
 *
 * Needs python3-torch; without it the bench prints why and reports no targets.
 * `npm run bench sean [--runs N]`; SEAM_SEAN_CASE_DIR=<dir> reuses a case from the parity test.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
import { exportSeanOnnx, type ExportSeanOptions } from '../src/engine/models/sean/export-sean-onnx';
import { generatorFeeds, loadParityCase, maxAbsDifference, type ParityCase } from '../test/sean/support/parity-case';
import { findPythonWithTorch, REFERENCE_DIR, runPython, TORCH_MISSING } from '../test/sean/support/python-torch';
import { TorchWorker } from '../test/sean/support/torch-worker';
import { median, type BenchContext, type BenchmarkDefinition, type BenchRow } from './harness';

const THREADS = Math.max(1, Math.min(4, availableParallelism()));

interface Contender {
  variant: string;
  sizeMB: number;
  call: () => Promise<number>;
  times: number[];
  maxAbsDiff: string;
  loadMs: number | null;
  release?: () => Promise<void>;
}

async function ortContender(variant: string, path: string, feeds: Record<string, Tensor>, reference: Float32Array): Promise<Contender> {
  const started = performance.now();
  const session = await InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: THREADS, interOpNumThreads: 1 });
  const loadMs = performance.now() - started;
  const output = (await session.run(feeds))[session.outputNames[0]!]!.data as Float32Array; // also the warm-up
  return {
    variant,
    sizeMB: (await stat(path)).size / 1e6,
    loadMs,
    times: [],
    maxAbsDiff: maxAbsDifference(output, reference).toExponential(1),
    call: async () => {
      const t0 = performance.now();
      await session.run(feeds);
      return performance.now() - t0;
    },
    release: () => session.release(),
  };
}

async function exportVariant(checkpoint: string, dir: string, name: string, options: ExportSeanOptions) {
  const out = { encoder: join(dir, `${name}.encoder.onnx`), generator: join(dir, `${name}.generator.onnx`) };
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    await exportSeanOnnx(checkpoint, out, options, {});
    return { ...out, seconds: (performance.now() - started) / 1000, peakRssMiB: peak / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

async function prepareCase(python: string, root: string, ctx: BenchContext): Promise<ParityCase> {
  const dir = process.env.SEAM_SEAN_CASE_DIR ?? join(root, 'case');
  if (!existsSync(join(dir, 'case.json'))) {
    ctx.log('building the random-weight reference checkpoint with PyTorch (1.07 GB)…');
    await mkdir(dir, { recursive: true });
    await runPython(python, [join(REFERENCE_DIR, 'make_parity_case.py'), '--out', dir, '--formats', 'legacy', '--threads', String(THREADS)]);
  }
  return loadParityCase(dir);
}

/** Rounds of one call per contender, the starting contender rotating each round. */
async function interleave(contenders: Contender[], rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length]!;
      c.times.push(await c.call());
    }
  }
}

const bench: BenchmarkDefinition = {
  name: 'sean',
  description: `SEAN generator 256×256, onnxruntime CPU vs PyTorch reference, ${THREADS} threads each, interleaved`,
  async run(ctx) {
    const python = findPythonWithTorch();
    if (!python) {
      ctx.log(TORCH_MISSING);
      return [{ variant: 'skipped', note: TORCH_MISSING }];
    }
    const rounds = Math.max(1, Math.min(ctx.runs, 7));
    const root = await mkdtemp(join(tmpdir(), 'seam-sean-bench-'));
    const contenders: Contender[] = [];
    try {
      const parity = await prepareCase(python, root, ctx);
      const checkpoint = join(parity.dir, 'checkpoint.legacy.pth');
      const feeds = generatorFeeds(parity);
      const reference = parity.array('ref_image');

      ctx.log('exporting ONNX: fp32 (as imported), direct, fp16…');
      const fp32 = await exportVariant(checkpoint, root, 'fp32', {});
      const direct = await exportVariant(checkpoint, root, 'direct', { styleConvolution: 'direct' });
      const fp16 = await exportVariant(checkpoint, root, 'fp16', { fp16: true });

      const torch = await TorchWorker.start(python, parity.dir, checkpoint, THREADS);
      contenders.push({
        variant: 'torch reference (per-label loop, as SEAN)',
        sizeMB: (await stat(checkpoint)).size / 1e6,
        loadMs: null,
        times: [],
        maxAbsDiff: torch.maxAbsDifferenceToReference.toExponential(1),
        call: () => torch.time('gen'),
        release: () => torch.stop(),
      });
      contenders.push(await ortContender('ORT fp32, factored (imported)', fp32.generator, feeds, reference));
      contenders.push(await ortContender('ORT fp32, direct (SEAN-style convs)', direct.generator, feeds, reference));
      contenders.push(await ortContender('ORT fp16 weights, factored', fp16.generator, feeds, reference));
      const encoder = await ortContender('encoder ORT', fp32.encoder, { image: parity.tensor('image'), seg: parity.tensor('seg') }, parity.array('ref_codes'));
      encoder.variant = 'encoder: ORT vs torch';
      const torchEncoder: Contender = { ...contenders[0]!, variant: 'encoder torch', times: [], call: () => torch.time('enc'), release: undefined };

      ctx.log(`timing ${rounds} interleaved rounds; load average before ${loadavg()[0]!.toFixed(1)}`);
      await interleave(contenders, rounds);
      await interleave([encoder, torchEncoder], rounds);
      ctx.log(`load average after ${loadavg()[0]!.toFixed(1)}; threads ${THREADS}`);

      const torchMs = median(contenders[0]!.times);
      const rows: BenchRow[] = contenders.map((c) => {
        const ms = median(c.times);
        return { variant: c.variant, generatorMs: ms, minMs: Math.min(...c.times), ratio: ms / torchMs, sizeMB: c.sizeMB, maxAbsDiff: c.maxAbsDiff, loadMs: c.loadMs };
      });
      const encoderMs = median(encoder.times);
      const torchEncoderMs = median(torchEncoder.times);
      rows.push({ variant: encoder.variant, encoderOrtMs: encoderMs, encoderTorchMs: torchEncoderMs, ratio: encoderMs / torchEncoderMs, sizeMB: encoder.sizeMB, maxAbsDiff: encoder.maxAbsDiff });
      contenders.push(encoder);
      rows.push({ variant: 'conversion (fp32, checkpoint → 2 ONNX files)', seconds: fp32.seconds, peakRssMiB: fp32.peakRssMiB });
      rows.push({ variant: 'conversion (fp16)', seconds: fp16.seconds, peakRssMiB: fp16.peakRssMiB });
      return rows;
    } finally {
      for (const c of contenders) await c.release?.();
      await rm(root, { recursive: true, force: true });
    }
  },
  targets(rows) {
    const imported = rows.find((r) => r.variant === 'ORT fp32, factored (imported)');
    if (!imported) return [];
    return [{ target: `ORT generator ≤ 0.7 × torch (${THREADS} threads each): ${Number(imported.ratio).toFixed(2)}×`, met: Number(imported.ratio) <= 0.7 }];
  },
};

export default bench;
