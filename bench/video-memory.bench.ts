/**
 * Peak memory of a render does not grow with the clip: a 1-minute and a 5-minute 1080p clip
 * (testsrc2 with a face pasted in, so the tracker has work; the 5-minute one is the 1-minute one
 * looped), each rendered in a child process with the identity processor and with the face
 * tracker. Reported, from /proc every 200 ms: the peak RSS (the kernel's VmHWM, so nothing between
 * samples is missed) of the Node process, of the decoder and of the largest segment encoder; the
 * most encoders alive at once; the bound those give (Node + decoder + 2 encoders: one finishing
 * its segment while the next starts); and the largest sum of the tree's RSS actually sampled.
 * Target: each 5-minute peak within 10 % (+16 MiB) of the 1-minute one. Linux only (/proc).
 * Heavy: 20–30 minutes on 2 cores.
 *
 * `npm run bench video-memory`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateMediaTools } from '../src/engine/media/locate-ffmpeg';
import { runFfmpeg } from '../src/engine/media/run-ffmpeg';
import type { BenchRow, BenchmarkDefinition } from './harness';

const CHILD = fileURLToPath(new URL('./video-memory-child.ts', import.meta.url));
const FACE = fileURLToPath(new URL('../test/fixtures/media/astronaut.png', import.meta.url));
const QUIET = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];

const bench: BenchmarkDefinition = {
  name: 'video-memory',
  description: 'peak RSS rendering 1-minute and 5-minute 1080p clips: the same bound whatever the length',
  async run(ctx) {
    const { ffmpeg } = await locateMediaTools();
    const dir = await mkdtemp(join(tmpdir(), 'seam-bench-video-memory-'));
    try {
      const oneMinute = join(dir, '1min.mp4');
      ctx.log('making the 1-minute 1080p clip…');
      // The face drifts across the frame so tracking has something to follow.
      await runFfmpeg(ffmpeg.path, [
        ...QUIET,
        '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=25:duration=60',
        '-loop', '1', '-i', FACE,
        '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=60',
        '-filter_complex', '[1]scale=420:420,format=rgb24[face];[0][face]overlay=x=300+200*sin(t/4):y=300:shortest=1,format=yuv420p[v]',
        '-map', '[v]', '-map', '2:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '20', '-c:a', 'aac', '-t', '60',
        oneMinute,
      ], { task: 'making the 1-minute clip' });
      const fiveMinutes = join(dir, '5min.mp4');
      await runFfmpeg(ffmpeg.path, [...QUIET, '-stream_loop', '4', '-i', oneMinute, '-c', 'copy', fiveMinutes], { task: 'making the 5-minute clip' });

      const rows: BenchRow[] = [];
      for (const mode of ['identity', 'tracker'] as const) {
        for (const [label, clip] of [['1 min', oneMinute], ['5 min', fiveMinutes]] as const) {
          ctx.log(`${label}, ${mode}…`);
          const run = await renderInChild(clip, join(dir, 'out.mp4'), mode);
          rows.push({ clip: `${label} 1080p25, face pasted in`, processor: mode, ...run });
        }
      }
      return rows;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  targets(rows) {
    const targets: Array<{ target: string; met: boolean }> = [];
    for (const mode of ['identity', 'tracker']) {
      const [one, five] = rows.filter((r) => r.processor === mode);
      if (!one || !five) continue;
      for (const key of ['nodePeakMiB', 'decoderPeakMiB', 'encoderPeakMiB', 'boundMiB'] as const) {
        const bound = Number(one[key]) * 1.1 + 16;
        targets.push({ target: `${mode}: 5-min ${key} ${Number(five[key]).toFixed(0)} ≤ 1-min ${Number(one[key]).toFixed(0)} × 1.1 + 16`, met: Number(five[key]) <= bound });
      }
    }
    return targets;
  },
};

interface ChildRun {
  frames: number;
  seconds: number;
  nodePeakMiB: number;
  decoderPeakMiB: number;
  encoderPeakMiB: number;
  encodersAlive: number;
  boundMiB: number;
  treeSampledMiB: number;
}

function renderInChild(input: string, output: string, mode: 'identity' | 'tracker'): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, input, output, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    const peaks = { node: 0, decoder: 0, encoder: 0, join: 0, tree: 0, encodersAlive: 0 };
    const sample = setInterval(() => {
      let tree = 0;
      let encoders = 0;
      for (const pid of processTree(child.pid!)) {
        const memory = memoryKiB(pid);
        tree += memory.rss;
        const role = pid === child.pid ? 'node' : roleOf(pid);
        if (role === 'encoder') encoders++;
        // VmHWM is the kernel's own peak for the process, so a peak between samples is not missed.
        if (role) peaks[role] = Math.max(peaks[role], memory.hwm);
      }
      peaks.tree = Math.max(peaks.tree, tree);
      peaks.encodersAlive = Math.max(peaks.encodersAlive, encoders);
    }, 200);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      clearInterval(sample);
      if (code !== 0) return reject(new Error(`render child exited with ${code}`));
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { frames: number; seconds: number; maxRssMiB: number };
      const mib = (kib: number) => kib / 1024;
      const node = Math.max(result.maxRssMiB, mib(peaks.node));
      resolve({
        frames: result.frames,
        seconds: result.seconds,
        nodePeakMiB: node,
        decoderPeakMiB: mib(peaks.decoder),
        encoderPeakMiB: mib(peaks.encoder),
        encodersAlive: peaks.encodersAlive,
        // What the design allows at most: Node, the decoder and two encoders (one finishing its
        // segment while the next starts); the join runs alone after them.
        boundMiB: node + mib(peaks.decoder) + 2 * mib(peaks.encoder),
        treeSampledMiB: mib(peaks.tree),
      });
    });
  });
}

/** Which ffmpeg of the pipeline a process is, from its arguments. */
function roleOf(pid: number): 'decoder' | 'encoder' | 'join' | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (!/ffmpeg/.test(args[0] ?? '')) return undefined;
    if (args.includes('rawvideo') && args.at(-2) === 'pipe:1') return 'decoder';
    if (args.includes('pipe:0')) return 'encoder';
    if (args.includes('concat')) return 'join';
  } catch {
    // ended meanwhile
  }
  return undefined;
}

/** `root` and every process descended from it. */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  return tree;
}

function memoryKiB(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0), hwm: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

export default bench;
