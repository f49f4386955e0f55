// Memory of a 1080p render with an edit (`seam video --op attrs` on a clip with a face in it):
// the render process's peak RSS (the kernel's VmHWM, sampled from /proc, so no peak between
// samples is missed) stays under a bound made of what the design holds at once. The bound is
// the same process's peak on a tiny clip, measured in this run (Node, sharp, onnxruntime and the
// models: everything that does not scale with the frame), plus a fixed number of 1080p frames:
//   8 decoded frames in the queue (render-video.ts DEFAULT_QUEUE_FRAMES) × 1920×1080×3 B,
//   + 16 frame-sized RGBA working buffers for the edit (frame, analysis maps, warp, composite,
//     the encoder's copy), × 1920×1080×4 B,
//   + 64 MiB slack for allocator and V8 heap growth;
// about 238 MiB over the tiny clip's peak. A render that kept frames (a leak, an unbounded
// queue) passes it within the first few seconds of this clip. The long versions (1 and 5
// minutes, the two compared) are `npm run bench video-memory`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { locateMediaTools } from '../../src/engine/media/locate-ffmpeg';
import { runFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { assertCliBuilt, REPO_ROOT, SEAM_BIN } from './support/seam-cli';

const MiB = 1024 * 1024;
const QUEUED_FRAMES = 8;
const WORKING_BUFFERS = 16;
const SLACK = 64 * MiB;
const FRAME_BOUND = QUEUED_FRAMES * 1920 * 1080 * 3 + WORKING_BUFFERS * 1920 * 1080 * 4 + SLACK;
const FACE = new URL('../fixtures/media/astronaut.png', import.meta.url).pathname;
const QUIET = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];

const { ffmpeg } = await locateMediaTools();
const root = await mkdtemp(join(tmpdir(), 'seam-memory-'));
after(() => rm(root, { recursive: true, force: true }));

/** A clip of testsrc2 with the astronaut's face drifting across, so the edit has a face every frame. */
async function makeClip(path: string, size: string, faceSize: number, seconds: number): Promise<void> {
  await runFfmpeg(ffmpeg.path, [
    ...QUIET,
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`,
    '-loop', '1', '-i', FACE,
    '-filter_complex', `[1]scale=${faceSize}:${faceSize},format=rgb24[face];[0][face]overlay=x=W/6+W/8*sin(t):y=H/5:shortest=1,format=yuv420p[v]`,
    '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-t', String(seconds),
    path,
  ], { task: `making ${path}` });
}

function vmHwmBytes(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // the process has ended
  }
}

/** Runs `seam video` on the clip and returns the Node process's peak RSS and each ffmpeg child's. */
async function renderPeak(clip: string, output: string): Promise<{ node: number; children: number; frames: number; editedFrames: number }> {
  const child = spawn(process.execPath, [SEAM_BIN, 'video', '--target', clip, '--op', 'attrs', '--set', 'smile=30', '--preset', 'ultrafast', '--segment-frames', '25', '--json', '-o', output], {
    cwd: REPO_ROOT,
    env: { ...process.env, SEAM_HOME: join(root, 'home'), SEAM_PROVIDERS: 'cpu' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let node = 0;
  let children = 0;
  const sample = () => {
    node = Math.max(node, vmHwmBytes(child.pid!));
    for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === child.pid) children = Math.max(children, vmHwmBytes(Number(name)));
      } catch {
        // ended meanwhile
      }
    }
  };
  const timer = setInterval(sample, 50);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearInterval(timer);
  assert.equal(status, 0, stderr);
  const result = JSON.parse(stdout) as { frames: number; editedFrames: number };
  return { node, children, frames: result.frames, editedFrames: result.editedFrames };
}

describe('peak memory of a 1080p render with an edit', { skip: existsSync('/proc/self/status') ? false : 'needs Linux /proc' }, () => {
  const tiny = join(root, 'tiny.mp4');
  const hd = join(root, 'hd.mp4');

  before(async () => {
    assertCliBuilt();
    await makeClip(tiny, '320x240', 120, 1);
    await makeClip(hd, '1920x1080', 420, 3);
  });

  it(`stays within the tiny clip's peak + ${(FRAME_BOUND / MiB).toFixed(0)} MiB for frames`, async (t) => {
    const baseline = await renderPeak(tiny, join(root, 'tiny.out.mp4'));
    const big = await renderPeak(hd, join(root, 'hd.out.mp4'));
    t.diagnostic(`node peak: tiny clip ${(baseline.node / MiB).toFixed(0)} MiB, 1080p ${(big.node / MiB).toFixed(0)} MiB (${big.frames} frames); largest ffmpeg child ${(big.children / MiB).toFixed(0)} MiB`);
    assert.equal(big.frames, 75);
    assert.equal(big.editedFrames, 75, 'the edit ran on every 1080p frame');
    assert.ok(baseline.editedFrames > 0, 'and on the tiny clip too');
    assert.ok(baseline.node > 0 && big.node > 0, 'VmHWM was read');
    assert.ok(big.node <= baseline.node + FRAME_BOUND, `1080p peak ${(big.node / MiB).toFixed(0)} MiB > ${(baseline.node / MiB).toFixed(0)} + ${(FRAME_BOUND / MiB).toFixed(0)} MiB`);
  });
});
