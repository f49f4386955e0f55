// Every codec other than x264, rendered by renderVideo into every file type that holds it, from a
// 20-frame 160×120 clip with sound in segments of 8 frames (so the join stream-copies three parts):
// the codec a player sees, every frame, the clip's length, the source's sound bit for bit, and the
// pictures of the source. A codec this ffmpeg lacks is refused naming it; so are an unknown codec,
// a file type that cannot hold the codec, and a setting from another codec's scale.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { availableVideoCodecs } from '../../src/engine/media/ffmpeg-encoders';
import { locateMediaTools, type LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import { startFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { identityFrameProcessor } from '../../src/engine/video/frame-processor';
import { renderVideo } from '../../src/engine/video/render-video';
import { VIDEO_CODEC_FACTS, VIDEO_CODECS, type VideoCodec } from '../../src/shared/video-codecs';
import { rejectsWithSeamError } from '../support/seam-error';
import { audioPacketsMd5, decodeRgb, FIXTURE_CLIP, makeClip, meanAbsDiff, probeStreams } from './video-clips';

const W = 160;
const H = 120;
const FRAMES = 20;
const SECONDS = 0.8;
const ctx = { logger: silentLogger };
/** The fastest preset of each codec: the test is about the files, not the compression. */
const FASTEST = (codec: VideoCodec) => VIDEO_CODEC_FACTS[codec].presets?.names[0];
const CODEC_NAME: Record<VideoCodec, string> = { libx264: 'h264', libx265: 'hevc', 'libvpx-vp9': 'vp9', libsvtav1: 'av1', prores_ks: 'prores' };
/** A camera's usual tags: each output must say the same, or players would guess its colours. */
const TAGGED_BT709 = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];
const CAPTURED_ENCODERS = new URL('../fixtures/media/ffmpeg-encoders-debian-5.1.txt', import.meta.url).pathname;

/** Each frame's presentation time and duration as a player reads them (every container, mkv included). */
async function frameTimes(ffprobe: LocatedMediaTool, file: string, stream: 'v' | 'a'): Promise<Array<{ time: number; duration: number }>> {
  const run = startFfmpeg(ffprobe.path, ['-v', 'error', '-select_streams', `${stream}:0`, '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file], { task: `packets of ${file}`, stdout: true });
  const chunks: Buffer[] = [];
  run.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  await run.done;
  // One "time,duration" line per packet (a packet with side data adds lines that are not that).
  const packets = Buffer.concat(chunks).toString('utf8').split('\n').map((line) => /^(-?[\d.]+),([\d.]+)/.exec(line)).filter((m) => m !== null);
  return packets.map((m) => ({ time: Number(m[1]), duration: Number(m[2]) }));
}

/** From the first packet's start to the last one's end. */
function spanSeconds(packets: ReadonlyArray<{ time: number; duration: number }>): number {
  const starts = packets.map((p) => p.time);
  const ends = packets.map((p) => p.time + p.duration);
  return Math.max(...ends) - Math.min(...starts);
}

describe('renderVideo with each codec', () => {
  let ffmpeg: LocatedMediaTool;
  let ffprobe: LocatedMediaTool;
  let available: VideoCodec[] = [];
  let dir = '';
  let clip = '';
  let clipRgb: Buffer;
  let clipSound = '';

  before(async () => {
    ({ ffmpeg, ffprobe } = await locateMediaTools());
    available = await availableVideoCodecs(ffmpeg);
    dir = await mkdtemp(join(tmpdir(), 'seam-codecs-'));
    clip = join(dir, 'talk.mp4');
    // The fixture's face, small, with a tone: near-lossless, so the comparison below measures the codec under test.
    await makeClip(ffmpeg, [
      '-i', FIXTURE_CLIP, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-map', '0:v', '-map', '1:a', '-vf', `scale=${W}:${H}`, '-t', String(SECONDS),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '8', '-pix_fmt', 'yuv420p', ...TAGGED_BT709, '-c:a', 'aac',
    ], clip);
    clipRgb = await decodeRgb(ffmpeg, clip);
    clipSound = await audioPacketsMd5(ffmpeg, clip);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const codec of VIDEO_CODECS.filter((c) => c !== 'libx264')) {
    const facts = VIDEO_CODEC_FACTS[codec];
    for (const container of facts.containers) {
      it(`${codec} in .${container}: the codec, every frame, the length, the sound and the pictures`, async () => {
        const output = join(dir, `${codec}.${container}`);
        const preset = FASTEST(codec);
        const rendering = renderVideo({}, { input: clip, output, frameProcessor: identityFrameProcessor, quality: { codec, ...(preset ? { preset } : {}) }, segmentFrames: 8 }, ctx);
        if (!available.includes(codec)) {
          // This ffmpeg has no such encoder: what a user of it gets is a refusal naming the codec.
          await rejectsWithSeamError(rendering, 'BAD_INPUT', new RegExp(`has no ${codec} encoder`));
          return;
        }
        const result = await rendering;
        assert.equal(result.frames, FRAMES);
        assert.equal(result.audio, 'copy');

        const facts = await probeStreams(ffprobe, output);
        const video = facts.streams.find((s) => s.codec_type === 'video') as (typeof facts.streams)[number] & { codec_tag_string?: string };
        assert.equal(video.codec_name, CODEC_NAME[codec]);
        assert.equal(video.pix_fmt, codec === 'prores_ks' ? 'yuv422p10le' : 'yuv420p');
        if (codec === 'libx265' && container !== 'mkv') assert.equal(video.codec_tag_string, 'hvc1', 'Apple players open HEVC only as hvc1');
        assert.equal(Number(video.nb_read_frames), FRAMES, 'every frame decodes');
        const tags = video as { color_space?: string; color_primaries?: string; color_transfer?: string; color_range?: string };
        // ProRes has no range flag in its bitstream or in QuickTime's colr atom (it is video range by
        // definition): some ffprobe builds report "tv" for it, newer ones nothing.
        const range = codec === 'prores_ks' ? (tags.color_range ?? 'tv') : tags.color_range;
        assert.deepEqual([tags.color_space, tags.color_primaries, tags.color_transfer, range], ['bt709', 'bt709', 'bt709', 'tv'], 'the source’s colour tags');

        const videoSpan = spanSeconds(await frameTimes(ffprobe, output, 'v'));
        assert.ok(Math.abs(videoSpan - SECONDS) < 1e-3, `the pictures last ${videoSpan} s`);
        assert.ok(facts.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac'), 'the sound is there');
        const soundSpan = spanSeconds(await frameTimes(ffprobe, output, 'a'));
        // AAC packets are 1024 samples (21 ms at 48 kHz), and Matroska counts the encoder's priming
        // packet in: the sound lasts as long as the pictures within two packets.
        assert.ok(Math.abs(soundSpan - SECONDS) < 0.045, `the sound lasts ${soundSpan} s`);
        assert.equal(await audioPacketsMd5(ffmpeg, output), clipSound, 'the sound is the source’s, packet for packet');

        // The pictures are the source's, as this codec's default quality keeps them: a wrong
        // matrix or range, a shifted chroma plane or a frame out of place would be far more off.
        const difference = meanAbsDiff(await decodeRgb(ffmpeg, output), clipRgb, W, H);
        // Measured: x265 ultrafast 1.9, AV1 1.2, VP9 1.1, ProRes 1.0 levels (8-bit RGB, mean).
        assert.ok(difference < 3, `${difference.toFixed(2)} levels from the source`);

        const left = (await readdir(dir)).filter((name) => name.includes('seam-work') || name.endsWith('.tmp'));
        assert.deepEqual(left, [], 'the work folder and temp files are gone');
      });
    }
  }

  it('refuses a file type that cannot hold the codec, naming both, before any work', async () => {
    const output = join(dir, 'vp9.mov');
    await rejectsWithSeamError(
      renderVideo({}, { input: clip, output, frameProcessor: identityFrameProcessor, quality: { codec: 'libvpx-vp9' } }, ctx),
      'BAD_INPUT',
      /VP9 \(libvpx\) cannot be written to .*vp9\.mov; use \.mp4 or \.mkv/,
    );
    await rejectsWithSeamError(
      renderVideo({}, { input: clip, output: join(dir, 'prores.mp4'), frameProcessor: identityFrameProcessor, quality: { codec: 'prores_ks' } }, ctx),
      'BAD_INPUT',
      /ProRes 422 cannot be written to .*prores\.mp4; use \.mov/,
    );
    assert.equal(existsSync(output), false);
    assert.deepEqual((await readdir(dir)).filter((name) => name.includes('vp9.mov') || name.includes('prores.mp4')), [], 'nothing written');
  });

  it('refuses an unknown codec, and a setting from another codec’s scale, naming them', async () => {
    const render = (quality: object) => renderVideo({}, { input: clip, output: join(dir, 'never.mkv'), frameProcessor: identityFrameProcessor, quality }, ctx);
    await rejectsWithSeamError(render({ codec: 'libx266' }), 'BAD_INPUT', /Unsupported codec "libx266"; expected one of: libx264, libx265, libvpx-vp9, libsvtav1, prores_ks/);
    await rejectsWithSeamError(render({ codec: 'libsvtav1', crf: 0 }), 'BAD_INPUT', /CRF for AV1 \(SVT-AV1\) must be a whole number from 1 to 63, got 0/);
    await rejectsWithSeamError(render({ codec: 'libvpx-vp9', preset: 'veryfast' }), 'BAD_INPUT', /Unsupported preset "veryfast" for VP9/);
    assert.equal(existsSync(join(dir, 'never.mkv')), false);
  });

  it('refuses a codec the ffmpeg in use has no encoder for, saying what it can write', async () => {
    // An ffmpeg whose build lacks libx265 (an LGPL build has no x264 or x265): the real binary,
    // behind a script that lists Debian's encoders without libx265.
    const listing = join(dir, 'encoders-without-x265.txt');
    await writeFile(listing, (await readFile(CAPTURED_ENCODERS, 'utf8')).split('\n').filter((line) => !line.includes(' libx265 ')).join('\n'));
    const fake = join(dir, 'ffmpeg-without-x265');
    await writeFile(fake, `#!/bin/sh\nif [ "$2" = "-encoders" ]; then cat '${listing}'; exit 0; fi\nexec '${ffmpeg.path}' "$@"\n`);
    await chmod(fake, 0o755);
    const env = { ...process.env, FFMPEG_PATH: fake };
    const output = join(dir, 'hevc.mp4');
    await rejectsWithSeamError(
      renderVideo({ env }, { input: clip, output, frameProcessor: identityFrameProcessor, quality: { codec: 'libx265' } }, ctx),
      'BAD_INPUT',
      /H\.265 \/ HEVC \(x265\) cannot be written: this ffmpeg \(.*ffmpeg-without-x265, .*\) has no libx265 encoder; it can write libx264, libvpx-vp9, libsvtav1, prores_ks/,
    );
    assert.equal(existsSync(output), false);
    assert.equal(existsSync(join(dir, '.hevc.mp4.seam-work')), false, 'refused before the work folder is made');
  });
});
