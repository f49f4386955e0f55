// The pipeline's pure parts, without ffmpeg: the join builders' exact arguments, the bounded
// queue's backpressure, the journal's verification, the frame-rate choice, progress formatting
// and the CLI's flag parsing.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseSettings, parseTime } from '../../src/cli/commands/video';
import type { VideoStreamSummary } from '../../src/engine/media/probe-summary';
import { BoundedQueue } from '../../src/engine/video/bounded-queue';
import { FrameBuffers, FrameCutter } from '../../src/engine/video/frame-decoder';
import { buildConcatList, buildJoinSegmentsArgs, containerForOutput, framesDuration, parseFrameTimes, setptsExpression, withFrameTimes } from '../../src/engine/video/ffmpeg-video-args';
import { newJournal, settingsHash, verifiedSegments, writeJournal } from '../../src/engine/video/render-journal';
import { outputFrameRate } from '../../src/engine/video/render-plan';
import { formatRenderProgress, RenderRate, renderProgress } from '../../src/engine/video/render-progress';
import { sha256File } from '../../src/engine/video/segment-encoder';
import { prepareWorkFolder } from '../../src/engine/video/work-folder';
import { SeamError } from '../../src/shared/errors';
import type { ProcessorDescriptor } from '../../src/shared/processor-options';

const PREAMBLE = ['-hide_banner', '-nostdin', '-v', 'error', '-nostats', '-progress', 'pipe:2', '-y'];

describe('video ffmpeg arguments', () => {
  it('picks the container from the output name and refuses others, naming the file', () => {
    assert.equal(containerForOutput('a/b.MP4'), 'mp4');
    assert.equal(containerForOutput('b.mov'), 'mov');
    assert.equal(containerForOutput('b.mkv'), 'matroska');
    assert.throws(() => containerForOutput('clip.gif'), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && e.message.includes('clip.gif'));
  });

  it('writes each segment’s exact duration into the concat list', () => {
    assert.equal(
      buildConcatList([{ file: 'segment-00000.mp4', durationSeconds: framesDuration(37, '30000/1001') }, { file: 'segment-00001.mp4', durationSeconds: 0.5 }]),
      'ffconcat version 1.0\nfile segment-00000.mp4\nduration 1.234567\nfile segment-00001.mp4\nduration 0.5\n',
    );
    assert.throws(() => buildConcatList([{ file: '../evil.mp4', durationSeconds: 1 }]));
  });

  it('joins by stream copy and copies the source’s sound over the same range', () => {
    const args = buildJoinSegmentsArgs({ concatList: '/w/segments.ffconcat', output: '/o/.out.tmp', container: 'mp4', audio: { source: '/in/clip.mp4', codec: 'copy', startSeconds: 1.5, endSeconds: 4 } });
    assert.deepEqual(args, [
      ...PREAMBLE,
      '-f', 'concat', '-i', '/w/segments.ffconcat',
      '-ss', '1.5', '-t', '2.5', '-i', '/in/clip.mp4',
      '-map', '0:v:0', '-map', '1:a?',
      '-c:v', 'copy', '-c:a', 'copy',
      '-metadata', 'comment=Edited with Seam', '-movflags', '+faststart', '-f', 'mp4', '/o/.out.tmp',
    ]);
  });

  it('re-encodes the sound to AAC when asked, and writes no sound without a source', () => {
    const aac = buildJoinSegmentsArgs({ concatList: 'l', output: 'o', container: 'matroska', audio: { source: 's:1.mp4', codec: 'aac' } });
    assert.deepEqual(aac.slice(PREAMBLE.length), ['-f', 'concat', '-i', 'l', '-i', 'file:s:1.mp4', '-map', '0:v:0', '-map', '1:a?', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '192k', '-metadata', 'comment=Edited with Seam', '-f', 'matroska', 'o']);
    const silent = buildJoinSegmentsArgs({ concatList: 'l', output: 'o', container: 'mov' });
    assert.deepEqual(silent.slice(PREAMBLE.length), ['-f', 'concat', '-i', 'l', '-map', '0:v:0', '-c:v', 'copy', '-metadata', 'comment=Edited with Seam', '-movflags', '+faststart', '-f', 'mov', 'o']);
  });
});

describe('variable frame rate: each frame at its own time', () => {
  it('reads decoded frame times relative to the range, from the file start', () => {
    const csv = 'frame,1.000000,side_data,\n\nframe,1.040000\nframe,1.080000\nframe,1.600000\nframe,N/A\nformat,1.000000\n';
    assert.deepEqual(parseFrameTimes(csv, {}).map((t) => +t.toFixed(6)), [0, 0.04, 0.08, 0.6]);
    assert.deepEqual(parseFrameTimes(csv, { startSeconds: 0.04, endSeconds: 0.6 }).map((t) => +t.toFixed(6)), [0, 0.04]);
  });

  it('builds a setpts lookup and moves the media builder’s filters into a script after it', () => {
    assert.equal(setptsExpression([0, 0.04, 0.6], 0.05), 'if(eq(N,0),0,if(eq(N,1),0.04,0.6+(N-2)*0.05))');
    const encode = ['-i', 'pipe:0', '-vf', 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p', '-c:v', 'libx264', '-metadata', 'comment=x', '-f', 'mp4', 'out.part'];
    const timed = withFrameTimes(encode, [0, 0.5], 0.04, '/w/s.filter', 'fps_mode');
    assert.equal(timed.script, "settb=1/90000,setpts='(if(eq(N,0),0,0.5+(N-1)*0.04))/TB',scale=out_color_matrix=bt709:out_range=tv,format=yuv420p");
    assert.deepEqual(timed.args, ['-i', 'pipe:0', '-filter_script:v', '/w/s.filter', '-c:v', 'libx264', '-metadata', 'comment=x', '-enc_time_base:v', '1:90000', '-fps_mode', 'passthrough', '-video_track_timescale', '90000', '-f', 'mp4', 'out.part']);
  });
});

describe('BoundedQueue', () => {
  it('makes the producer wait while it is full', async () => {
    const queue = new BoundedQueue<number>(2);
    await queue.put(1);
    await queue.put(2);
    let third = false;
    const putting = queue.put(3).then(() => (third = true));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(third, false, 'a third item must wait for room');
    assert.equal(queue.size, 2);
    assert.equal(await queue.take(), 1);
    await putting;
    assert.equal(third, true);
    queue.close();
    assert.deepEqual([await queue.take(), await queue.take(), await queue.take()], [2, 3, undefined]);
  });

  it('hands the producer’s failure to the consumer after the queued items, and releases a waiting producer when abandoned', async () => {
    const failing = new BoundedQueue<number>(1);
    await failing.put(1);
    failing.fail(new Error('decoder died'));
    assert.equal(await failing.take(), 1);
    await assert.rejects(failing.take(), /decoder died/);

    const abandoned = new BoundedQueue<number>(1);
    await abandoned.put(1);
    const waiting = abandoned.put(2);
    abandoned.abandon();
    assert.equal(await waiting, false);
  });
});

describe('FrameCutter', () => {
  it('cuts frames across chunk boundaries and several from one chunk, and counts a cut-off tail', () => {
    const cutter = new FrameCutter(4);
    const bytes = Uint8Array.from({ length: 14 }, (_, i) => i);
    const frames = [...cutter.push(bytes.subarray(0, 3)), ...cutter.push(bytes.subarray(3, 13)), ...cutter.push(bytes.subarray(13))];
    assert.deepEqual(frames.map((f) => [...f]), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    assert.equal(cutter.leftoverBytes, 2);
  });

  it('fills buffers given back instead of allocating, and keeps no more than asked', () => {
    const buffers = new FrameBuffers(4, 1);
    const cutter = new FrameCutter(4, buffers);
    const [first] = cutter.push(Uint8Array.from([1, 2, 3, 4]));
    buffers.give(first!);
    buffers.give(first!);
    const [second] = cutter.push(Uint8Array.from([5, 6, 7, 8]));
    assert.equal(second, first, 'the buffer given back holds the next frame');
    assert.deepEqual([...second!], [5, 6, 7, 8]);
    const [third] = cutter.push(Uint8Array.from([9, 10, 11, 12]));
    assert.notEqual(third, first, 'given once but taken once: the next frame needs a new buffer');
    buffers.give(third!);
    buffers.give(new Uint8Array(4));
    assert.equal(buffers.take(), third, 'only `keep` buffers are kept');
    assert.notEqual(buffers.take(), third);
    assert.throws(() => new FrameCutter(6, buffers), /4 bytes given for frames of 6/);
  });
});

describe('resume journal and work folder', () => {
  it('hashes settings independently of key order', () => {
    assert.equal(settingsHash({ a: 1, b: { c: 2, d: [1, 2] } }), settingsHash({ b: { d: [1, 2], c: 2 }, a: 1 }));
    assert.notEqual(settingsHash({ a: 1 }), settingsHash({ a: 2 }));
  });

  it('trusts finished segments up to the first missing or changed one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seam-journal-'));
    try {
      const journal = newJournal({ sizeBytes: 1, mtimeMs: 1, headSha256: 'x' }, 'h');
      for (let index = 0; index < 3; index++) {
        const file = `segment-0000${index}.mp4`;
        await writeFile(join(dir, file), `frames of segment ${index}`);
        journal.segments.push({ index, firstFrame: index * 10, frames: 10, durationSeconds: 0.4, file, bytes: `frames of segment ${index}`.length, sha256: await sha256File(join(dir, file)) });
      }
      await writeJournal(dir, journal);
      assert.equal((await verifiedSegments(dir, journal)).length, 3);
      await appendFile(join(dir, 'segment-00001.mp4'), '!');
      assert.deepEqual((await verifiedSegments(dir, journal)).map((s) => s.index), [0], 'segment 1 changed: it and everything after are redone');

      const resumed = await prepareWorkFolder(dir, journal.source, 'h', true);
      assert.deepEqual(resumed.journal.segments.map((s) => s.index), [0]);
      const restarted = await prepareWorkFolder(dir, journal.source, 'other settings', true);
      assert.equal(restarted.journal.segments.length, 0);
      assert.match(restarted.restartReason ?? '', /settings/);

      await writeFile(join(dir, 'my-notes.txt'), 'mine');
      await assert.rejects(prepareWorkFolder(dir, journal.source, 'h', true), /did not write/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('frame rate and progress', () => {
  const stream = (real: string, average: string): VideoStreamSummary => {
    const rate = (text: string) => ({ text, value: Number(text.split('/')[0]) / Number(text.split('/')[1]) });
    return { index: 0, codec: 'h264', width: 2, height: 2, displayWidth: 2, displayHeight: 2, rotation: 0, isAttachedPicture: false, realFrameRate: rate(real), averageFrameRate: rate(average) };
  };

  it('keeps an exact constant rate, and a variable-rate clip’s average (so its duration holds)', () => {
    assert.deepEqual(outputFrameRate(stream('30000/1001', '30000/1001')), { text: '30000/1001', value: 30000 / 1001, variable: false });
    assert.deepEqual(outputFrameRate(stream('30/1', '48000/2003')), { text: '48000/2003', value: 48000 / 2003, variable: true });
  });

  it('measures speed over recent frames and formats the line', () => {
    let now = 0;
    const rate = new RenderRate(() => now);
    for (let i = 0; i < 50; i++) {
      now += 40;
      rate.frameRendered();
    }
    assert.ok(Math.abs(rate.fps - 25) < 1e-9);
    assert.equal(formatRenderProgress(renderProgress(60, 10, rate.fps, 1000)), 'frame 60/1000 · 25.0 fps · ETA 0:38 · 10 kept from the last run');
  });
});

describe('seam video flags', () => {
  it('reads times as seconds or [h:]m:s', () => {
    assert.equal(parseTime('--from', '12.5'), 12.5);
    assert.equal(parseTime('--from', '1:02.5'), 62.5);
    assert.equal(parseTime('--to', '1:00:00'), 3600);
    assert.throws(() => parseTime('--to', '1m'), /--to 1m/);
  });

  it('maps --set pairs onto any processor’s fields by their kebab-case names', () => {
    const descriptor: ProcessorDescriptor = {
      id: 'demo',
      title: 'Demo',
      description: '',
      fields: [
        { kind: 'number', key: 'blendFeather', label: 'f', min: 0, max: 30, step: 1, default: 10 },
        { kind: 'boolean', key: 'colorMatch', label: 'c', default: true },
        { kind: 'multi-choice', key: 'keep', label: 'k', choices: [{ value: 'mouth', label: 'm' }, { value: 'eyes', label: 'e' }], default: [] },
        { kind: 'choice', key: 'method', label: 'm', choices: [{ value: 'a', label: 'a' }], default: 'a' },
      ],
    };
    assert.deepEqual(parseSettings(descriptor, ['blend-feather=12,color-match=no', 'keep=mouth+eyes', 'method=a']), { blendFeather: 12, colorMatch: false, keep: ['mouth', 'eyes'], method: 'a' });
    assert.throws(() => parseSettings(descriptor, ['strength=1']), /has no option "strength"/);
  });
});
