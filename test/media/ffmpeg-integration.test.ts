// The builders and runners against the real ffmpeg: a 2-second testsrc clip with a sine tone is
// probed, decoded to raw frames, re-encoded from those frames with its sound, and cancelled.
// Skipped (with the reason) on a machine without ffmpeg/ffprobe.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import type { Progress } from '../../src/engine/context';
import { silentLogger } from '../../src/engine/context';
import { buildDecodeToRawArgs, buildEncodeFromRawArgs, buildReencodeArgs, frameRateFlagFor } from '../../src/engine/media/ffmpeg-args';
import { locateFfmpeg, locateMediaTools, resetMediaToolCache, type LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import { estimatedFrameCount } from '../../src/engine/media/probe-summary';
import { probeMedia, runFfmpeg, startFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { SeamError } from '../../src/shared/errors';

const WIDTH = 320;
const HEIGHT = 240;
const FPS = 25;
const SECONDS = 2;
const FRAMES = FPS * SECONDS;
const FRAME_BYTES = WIDTH * HEIGHT * 3;

// ffmpeg is a requirement (scripts/setup.sh installs it): its absence fails these tests, never skips them.
const tools = await locateMediaTools().catch((error: unknown) => error as Error);

function seamError(code: string, pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SeamError, `expected SeamError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

/** Decodes a whole file to rgb24 in memory (small test clips only). */
async function decodeAll(ffmpeg: LocatedMediaTool, input: string): Promise<Buffer> {
  const decoder = startFfmpeg(ffmpeg.path, buildDecodeToRawArgs({ input, frameRateFlag: frameRateFlagFor(ffmpeg) }), {
    task: `decoding ${input}`,
    stdout: true,
  });
  const chunks: Buffer[] = [];
  decoder.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  await decoder.done;
  return Buffer.concat(chunks);
}

function meanAbsoluteDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

describe('media against the real ffmpeg', () => {
  let dir = '';
  let clip = '';
  let ffmpeg: LocatedMediaTool;
  let ffprobe: LocatedMediaTool;

  before(async () => {
    if (tools instanceof Error) throw new Error(`ffmpeg is required for these tests: ${tools.message}`);
    ({ ffmpeg, ffprobe } = tools as { ffmpeg: LocatedMediaTool; ffprobe: LocatedMediaTool });
    dir = await mkdtemp(join(tmpdir(), 'seam-media-'));
    clip = join(dir, 'clip.mp4');
    // The test clip itself is a fixture, not product code, so its arguments are written out here.
    await runFfmpeg(
      ffmpeg.path,
      [
        '-hide_banner', '-nostdin', '-v', 'error', '-y',
        '-f', 'lavfi', '-i', `testsrc=size=${WIDTH}x${HEIGHT}:rate=${FPS}`,
        '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
        '-t', String(SECONDS),
        '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac',
        clip,
      ],
      { task: 'making the test clip' },
    );
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds ffmpeg and ffprobe, says where from, and caches the answer', async () => {
    for (const tool of [ffmpeg, ffprobe]) {
      assert.ok(['env', 'bundled', 'npm-package', 'system'].includes(tool.source));
      assert.match(tool.versionLine, new RegExp(`^${tool.tool} version `));
      assert.notEqual(tool.version, 'unknown');
    }
    assert.equal(await locateFfmpeg(), ffmpeg, 'a second call returns the cached result');
    resetMediaToolCache();
    const again = await locateFfmpeg();
    assert.notEqual(again, ffmpeg);
    assert.equal(again.path, ffmpeg.path);
  });

  it('probes the clip: every frame, its size and rate, and the sound', async () => {
    const summary = await probeMedia(clip, { ffprobePath: ffprobe.path });
    assert.equal(summary.video?.codec, 'h264');
    assert.deepEqual([summary.video?.width, summary.video?.height], [WIDTH, HEIGHT]);
    assert.deepEqual([summary.video?.displayWidth, summary.video?.displayHeight], [WIDTH, HEIGHT]);
    assert.equal(summary.video?.frameCount, FRAMES);
    assert.equal(estimatedFrameCount(summary), FRAMES);
    assert.equal(summary.video?.realFrameRate?.text, '25/1');
    assert.equal(summary.video?.pixelFormat, 'yuv420p');
    assert.equal(summary.video?.bitDepth, 8);
    assert.equal(summary.video?.rotation, 0);
    assert.match(summary.container, /mp4/);
    assert.ok(Math.abs((summary.durationSeconds ?? 0) - SECONDS) < 0.1, `duration ${summary.durationSeconds}`);
    assert.equal(summary.audioStreams.length, 1);
    assert.deepEqual([summary.audioStreams[0]?.codec, summary.audioStreams[0]?.sampleRate, summary.audioStreams[0]?.channels], ['aac', 48000, 1]);
  });

  it('decodes to raw rgb24: frames × width × height × 3 bytes, with progress', async () => {
    const events: Progress[] = [];
    const decoder = startFfmpeg(ffmpeg.path, buildDecodeToRawArgs({ input: clip, frameRateFlag: frameRateFlagFor(ffmpeg) }), {
      task: `decoding ${clip}`,
      stdout: true,
      context: { logger: silentLogger, onProgress: (p) => events.push(p) },
      progress: { stage: 'decode', totalFrames: FRAMES },
    });
    let bytes = 0;
    decoder.stdout?.on('data', (chunk: Buffer) => (bytes += chunk.length));
    const result = await decoder.done;
    assert.equal(bytes, FRAMES * FRAME_BYTES);
    assert.equal(result.lastProgress?.ended, true);
    assert.equal(result.lastProgress?.frame, FRAMES);
    assert.deepEqual(events.at(-1), { stage: 'decode', done: FRAMES, total: FRAMES, message: events.at(-1)?.message });
  });

  it('re-encodes raw frames with the source sound copied: same frames, duration, sound and colours', async () => {
    const output = join(dir, 'edited.mp4.part');
    const decoder = startFfmpeg(ffmpeg.path, buildDecodeToRawArgs({ input: clip, frameRateFlag: frameRateFlagFor(ffmpeg) }), {
      task: 'decoding',
      stdout: true,
    });
    const encodeArgs = buildEncodeFromRawArgs({
      output, container: 'mp4', width: WIDTH, height: HEIGHT, frameRate: '25/1',
      audio: { source: clip, codec: 'copy' }, quality: { preset: 'ultrafast' },
    });
    const encoder = startFfmpeg(ffmpeg.path, encodeArgs, { task: `encoding ${output}`, stdin: true, outputPaths: [output] });
    assert.ok(decoder.stdout && encoder.stdin);
    await Promise.all([pipeline(decoder.stdout, encoder.stdin), decoder.done, encoder.done]);

    const summary = await probeMedia(output, { ffprobePath: ffprobe.path });
    assert.equal(summary.video?.frameCount, FRAMES);
    assert.deepEqual([summary.video?.width, summary.video?.height, summary.video?.pixelFormat], [WIDTH, HEIGHT, 'yuv420p']);
    assert.ok(Math.abs((summary.video?.durationSeconds ?? 0) - SECONDS) < 0.05, `video duration ${summary.video?.durationSeconds}`);
    assert.ok(Math.abs((summary.durationSeconds ?? 0) - SECONDS) < 0.1, `duration ${summary.durationSeconds}`);
    assert.deepEqual(summary.audioStreams.map((s) => [s.codec, s.sampleRate]), [['aac', 48000]]);
    assert.equal(summary.tags.comment, 'Edited with Seam');

    // What a viewer notices: the colours survive the RGB → YUV → RGB round trip.
    const [before, afterEncode] = await Promise.all([decodeAll(ffmpeg, clip), decodeAll(ffmpeg, output)]);
    assert.equal(afterEncode.length, before.length);
    const difference = meanAbsoluteDifference(before, afterEncode);
    assert.ok(difference < 3, `mean colour difference ${difference.toFixed(2)} of 255`);
  });

  it('a rotated clip decodes upright at the probed display size', async () => {
    // Left half red, right half blue, then tagged as rotated the way a phone tags portrait video.
    const flat = join(dir, 'red-blue.mp4');
    const rotated = join(dir, 'red-blue-rotated.mp4');
    await runFfmpeg(ffmpeg.path, [
      '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'color=red:size=160x240[l];color=blue:size=160x240[r];[l][r]hstack,format=yuv420p',
      '-frames:v', '1', '-c:v', 'libx264', flat,
    ], { task: 'making a two-colour frame' });
    await runFfmpeg(ffmpeg.path, ['-nostdin', '-v', 'error', '-i', flat, '-c', 'copy', '-metadata:s:v', 'rotate=90', rotated], { task: 'tagging rotation' });

    const video = (await probeMedia(rotated, { ffprobePath: ffprobe.path })).video;
    assert.ok(video && video.rotation !== 0, `rotation ${video?.rotation}`);
    assert.deepEqual([video.width, video.height, video.displayWidth, video.displayHeight], [320, 240, 240, 320]);
    const pixels = await decodeAll(ffmpeg, rotated);
    assert.equal(pixels.length, 240 * 320 * 3);
    // The red half must end up on the side the probe's rotation says: 90 clockwise puts the left edge on top.
    const top = [...pixels.subarray(0, 3)];
    const bottom = [...pixels.subarray(319 * 240 * 3, 319 * 240 * 3 + 3)];
    const [redAt, blueAt] = video.rotation === 90 ? [top, bottom] : [bottom, top];
    assert.ok((redAt[0] ?? 0) > 200 && (redAt[2] ?? 255) < 50, `red at ${redAt}`);
    assert.ok((blueAt[2] ?? 0) > 200 && (blueAt[0] ?? 255) < 50, `blue at ${blueAt}`);
  });

  it('makes odd-sized frames even so yuv420p can hold them', async () => {
    const output = join(dir, 'odd.mp4');
    const [width, height, frames] = [97, 63, 5];
    const encoder = startFfmpeg(ffmpeg.path, buildEncodeFromRawArgs({ output, container: 'mp4', width, height, frameRate: 25 }), {
      task: 'encoding odd frames',
      stdin: true,
    });
    assert.ok(encoder.stdin);
    encoder.stdin.end(Buffer.alloc(width * height * 3 * frames, 128));
    await encoder.done;
    const summary = await probeMedia(output, { ffprobePath: ffprobe.path });
    assert.deepEqual([summary.video?.width, summary.video?.height, summary.video?.frameCount], [96, 62, frames]);
    assert.equal(summary.audioStreams.length, 0);
  });

  it('the plain re-encode baseline keeps every frame and the sound', async () => {
    const output = join(dir, 'baseline.mp4');
    await runFfmpeg(
      ffmpeg.path,
      buildReencodeArgs({ input: clip, output, container: 'mp4', quality: { preset: 'ultrafast' }, frameRateFlag: frameRateFlagFor(ffmpeg) }),
      { task: 're-encoding the baseline', outputPaths: [output] },
    );
    const summary = await probeMedia(output, { ffprobePath: ffprobe.path });
    assert.equal(summary.video?.frameCount, FRAMES);
    assert.equal(summary.audioStreams[0]?.codec, 'aac');
  });

  it('cancelling mid-encode throws CANCELLED and leaves no output file', async () => {
    const output = join(dir, 'cancelled.mp4.part');
    const controller = new AbortController();
    const encoder = startFfmpeg(
      ffmpeg.path,
      buildEncodeFromRawArgs({ output, container: 'mp4', width: WIDTH, height: HEIGHT, frameRate: FPS, quality: { preset: 'ultrafast' } }),
      {
        task: `encoding ${output}`,
        stdin: true,
        outputPaths: [output],
        context: { logger: silentLogger, signal: controller.signal },
        // Cancel once ffmpeg reports encoded frames: the output file exists and is half-written by then.
        onFfmpegProgress: (progress) => {
          if ((progress.frame ?? 0) > 0) controller.abort();
        },
      },
    );
    const stdin = encoder.stdin;
    assert.ok(stdin);
    const frame = Buffer.alloc(FRAME_BYTES, 90);
    let written = 0;
    let sawFileBeforeCancel = false;
    const feeding = (async () => {
      // Feed frames until ffmpeg is gone (EPIPE / destroyed stream ends the loop).
      while (!controller.signal.aborted && !stdin.destroyed) {
        if (!stdin.write(frame)) await new Promise((resolve) => stdin.once('drain', resolve).once('close', resolve));
        written += 1;
        if (written % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        sawFileBeforeCancel ||= existsSync(output);
      }
    })();
    await assert.rejects(encoder.done, seamError('CANCELLED', /Cancelled while encoding/));
    await feeding.catch(() => undefined);
    assert.ok(sawFileBeforeCancel, 'ffmpeg had started writing before the cancel');
    assert.equal(existsSync(output), false, 'the half-written output was removed');
  });

  it('a signal aborted before the start never spawns and still cancels', async () => {
    const output = join(dir, 'never.mp4');
    const controller = new AbortController();
    controller.abort();
    const run = runFfmpeg(ffmpeg.path, buildReencodeArgs({ input: clip, output, container: 'mp4' }), {
      task: 're-encoding',
      outputPaths: [output],
      context: { logger: silentLogger, signal: controller.signal },
    });
    await assert.rejects(run, seamError('CANCELLED'));
    assert.equal(existsSync(output), false);
  });

  it('probing a text file named .mp4 is BAD_INPUT naming the file', async () => {
    const fake = join(dir, 'not a video.mp4');
    await writeFile(fake, 'This is a shopping list, not a video.\n');
    await assert.rejects(probeMedia(fake, { ffprobePath: ffprobe.path }), (error: unknown) => {
      assert.ok(error instanceof SeamError);
      assert.equal(error.code, 'BAD_INPUT');
      assert.ok(error.message.includes(fake), error.message);
      assert.equal(error.message, `${fake} is not a media file Seam can read (Invalid data found when processing input).`);
      return true;
    });
  });

  it('probing a missing file, or one without video, is BAD_INPUT naming the file', async () => {
    const missing = join(dir, 'missing.mp4');
    await assert.rejects(probeMedia(missing, { ffprobePath: ffprobe.path }), seamError('BAD_INPUT', new RegExp(`No such file: .*missing\\.mp4`)));

    const song = join(dir, 'tone.m4a');
    await runFfmpeg(ffmpeg.path, ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'aac', song], { task: 'making a tone' });
    await assert.rejects(probeMedia(song, { ffprobePath: ffprobe.path }), seamError('BAD_INPUT', /tone\.m4a has no video stream/));
    const audioOnly = await probeMedia(song, { ffprobePath: ffprobe.path, requireVideo: false });
    assert.equal(audioOnly.audioStreams[0]?.codec, 'aac');
  });

  it('a failing ffmpeg run reports its own error lines and removes the partial output', async () => {
    const fake = join(dir, 'garbage.mov');
    const output = join(dir, 'garbage-out.mp4');
    await writeFile(fake, Buffer.alloc(4096, 7));
    await writeFile(output, 'left from before');
    const run = runFfmpeg(ffmpeg.path, buildReencodeArgs({ input: fake, output, container: 'mp4' }), {
      task: `re-encoding ${fake}`,
      outputPaths: [output],
      failureCode: 'BAD_INPUT',
    });
    await assert.rejects(run, seamError('BAD_INPUT', /ffmpeg failed while re-encoding .*garbage\.mov \(exited with code \d+\):\n[\s\S]*Invalid data found/));
    assert.equal(existsSync(output), false);
  });

  it('an ffmpeg that cannot start is MISSING_DEPENDENCY', async () => {
    await assert.rejects(runFfmpeg(join(dir, 'no-such-ffmpeg'), ['-version'], { task: 'checking' }), seamError('MISSING_DEPENDENCY', /ENOENT/));
  });
});
