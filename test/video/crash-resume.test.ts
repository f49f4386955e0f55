// A render killed outright (SIGKILL, as a crash or a power cut would end it) resumes from its
// journal: the finished segments are kept, the half-written one is discarded, and the result is
// frame for frame the uninterrupted render's. Also: a cancelled render leaves no ffmpeg behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { locateMediaTools, type LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import type { FrameProcessor } from '../../src/engine/video/frame-processor';
import type { RenderJournal } from '../../src/engine/video/render-journal';
import { renderVideo } from '../../src/engine/video/render-video';
import { defaultWorkDir } from '../../src/engine/video/work-folder';
import { drawMovingBox, FIXTURE_CLIP, makeClip, TEST_QUALITY, videoFrameMd5 } from './video-clips';

const CHILD = new URL('./render-child.ts', import.meta.url).pathname;
const FRAMES = 100;
const ctx = { logger: silentLogger };

/** ffmpeg/ffprobe processes whose parent is `pid` (Linux /proc). Others are not ours to judge: tsx keeps an esbuild child. */
function mediaChildrenOf(pid: number): string[] {
  const found: string[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid && /^ff(mpeg|probe)/.test(command)) found.push(`${name} ${command}`);
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

async function journalFrames(workDir: string): Promise<number> {
  const text = await readFile(join(workDir, 'journal.json'), 'utf8').catch(() => undefined);
  if (!text) return 0;
  return (JSON.parse(text) as RenderJournal).segments.reduce((sum, s) => sum + s.frames, 0);
}

describe('crash and cancel', () => {
  let ffmpeg: LocatedMediaTool;
  let dir = '';
  let clip = '';

  before(async () => {
    ({ ffmpeg } = await locateMediaTools());
    dir = await mkdtemp(join(tmpdir(), 'seam-video-crash-'));
    clip = join(dir, 'talk.mp4');
    await makeClip(ffmpeg, ['-i', FIXTURE_CLIP, '-f', 'lavfi', '-i', 'sine=duration=4', '-map', '0:v', '-map', '1:a', '-c:v', 'copy', '-c:a', 'aac', '-shortest'], clip);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a render killed with SIGKILL resumes from its finished segments', async () => {
    const output = join(dir, 'crashed.mp4');
    const workDir = defaultWorkDir(output);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, clip, output], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('close', resolve));
    // Kill it once two segments are in the journal, in the middle of the third.
    for (let waited = 0; (await journalFrames(workDir)) < 40; waited += 50) {
      assert.ok(waited < 60_000, 'the child render never finished two segments');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await exited;
    assert.equal(existsSync(output), false);
    const kept = await journalFrames(workDir);

    let processed = 0;
    const counting: FrameProcessor = async (frame, index) => {
      processed++;
      return drawMovingBox(frame, index, 0);
    };
    const result = await renderVideo({}, { input: clip, output, frameProcessor: counting, quality: TEST_QUALITY, segmentFrames: 20, resume: true }, ctx);
    assert.equal(result.resumedFrames, kept);
    assert.equal(processed, FRAMES - kept);

    const straight = join(dir, 'straight.mp4');
    await renderVideo({}, { input: clip, output: straight, frameProcessor: drawMovingBox, quality: TEST_QUALITY, segmentFrames: 20 }, ctx);
    assert.deepEqual(await videoFrameMd5(ffmpeg, output), await videoFrameMd5(ffmpeg, straight));
  });

  it('a cancelled render leaves no ffmpeg process running', { skip: existsSync('/proc') ? false : 'needs /proc' }, async () => {
    const controller = new AbortController();
    const cancelAt30: FrameProcessor = async (frame, index) => {
      if (index === 30) controller.abort();
    };
    await assert.rejects(renderVideo({}, { input: clip, output: join(dir, 'cancelled.mp4'), frameProcessor: cancelAt30, quality: TEST_QUALITY, segmentFrames: 20 }, { ...ctx, signal: controller.signal }));
    assert.deepEqual(mediaChildrenOf(process.pid), [], 'no ffmpeg outlives the render');
  });
});
