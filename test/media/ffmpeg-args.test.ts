// The argument builders, pinned flag by flag without running ffmpeg.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeamError } from '../../src/shared/errors';
import {
  buildDecodeToRawArgs,
  buildEncodeFromRawArgs,
  buildProbeArgs,
  buildReencodeArgs,
  chooseAudioHandling,
  evenFrameSize,
  frameRateFlagFor,
  type EncodeFromRawOptions,
} from '../../src/engine/media/ffmpeg-args';
import { ffmpegPath } from '../../src/engine/media/ffmpeg-options';

const PREAMBLE = ['-hide_banner', '-nostdin', '-v', 'error', '-nostats', '-progress', 'pipe:2'];
const H264 = [
  '-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p',
  '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
];
const TO_YUV = 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p';

function badInput(option: string) {
  return (error: unknown) => {
    assert.ok(error instanceof SeamError, `expected SeamError, got ${String(error)}`);
    assert.equal(error.code, 'BAD_INPUT');
    assert.equal(error.details?.option, option);
    return true;
  };
}

describe('buildProbeArgs', () => {
  it('asks ffprobe for JSON describing the format and every stream', () => {
    assert.deepEqual(buildProbeArgs('/videos/clip.mp4'), [
      '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '/videos/clip.mp4',
    ]);
  });
});

describe('ffmpegPath', () => {
  it('leaves ordinary and Windows drive paths alone', () => {
    assert.equal(ffmpegPath('/videos/a b.mp4'), '/videos/a b.mp4');
    assert.equal(ffmpegPath('/videos/10:30.mp4'), '/videos/10:30.mp4');
    assert.equal(ffmpegPath('C:\\Videos\\clip.mp4'), 'C:\\Videos\\clip.mp4');
  });
  it('marks names ffmpeg would read as a protocol or an option as files', () => {
    assert.equal(ffmpegPath('clip:1.mp4'), 'file:clip:1.mp4');
    assert.equal(ffmpegPath('concat:a.mp4|b.mp4'), 'file:concat:a.mp4|b.mp4');
    assert.equal(ffmpegPath('-y.mp4'), 'file:-y.mp4');
  });
});

describe('buildDecodeToRawArgs', () => {
  it('decodes the whole first video stream to rgb24 on stdout, keeping every frame', () => {
    assert.deepEqual(buildDecodeToRawArgs({ input: '/in.mp4' }), [
      ...PREAMBLE,
      '-i', '/in.mp4',
      '-map', '0:V:0', '-an', '-sn', '-dn',
      '-fps_mode', 'passthrough',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    ]);
  });

  it('seeks before the input and limits by duration for a range, in rgba, with -vsync for old ffmpeg', () => {
    assert.deepEqual(
      buildDecodeToRawArgs({ input: '/in.mp4', startSeconds: 1.5, endSeconds: 4, pixelFormat: 'rgba', frameRateFlag: 'vsync' }),
      [
        ...PREAMBLE,
        '-ss', '1.5', '-t', '2.5', '-i', '/in.mp4',
        '-map', '0:V:0', '-an', '-sn', '-dn',
        '-vsync', 'passthrough',
        '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1',
      ],
    );
  });

  it('writes tiny times as decimals, not exponents', () => {
    const args = buildDecodeToRawArgs({ input: '/in.mp4', endSeconds: 0.0000001 });
    assert.equal(args[args.indexOf('-t') + 1], '0');
    assert.deepEqual(buildDecodeToRawArgs({ input: '/in.mp4', endSeconds: 1 / 3 }).slice(7, 9), ['-t', '0.333333']);
  });

  it('rejects bad ranges and pixel formats', () => {
    assert.throws(() => buildDecodeToRawArgs({ input: '/in.mp4', startSeconds: -1 }), badInput('startSeconds'));
    assert.throws(() => buildDecodeToRawArgs({ input: '/in.mp4', startSeconds: 3, endSeconds: 2 }), badInput('endSeconds'));
    assert.throws(() => buildDecodeToRawArgs({ input: '/in.mp4', startSeconds: Number.NaN }), badInput('startSeconds'));
    assert.throws(() => buildDecodeToRawArgs({ input: '/in.mp4', pixelFormat: 'yuv444p' as never }), badInput('pixelFormat'));
    assert.throws(() => buildDecodeToRawArgs({ input: '' }), badInput('path'));
  });
});

describe('buildEncodeFromRawArgs', () => {
  const base: EncodeFromRawOptions = { output: '/tmp/seam/out.mp4.part', container: 'mp4', width: 640, height: 360, frameRate: '30000/1001' };

  it('encodes rgb24 frames from stdin to H.264 mp4 with the Seam mark and faststart', () => {
    assert.deepEqual(buildEncodeFromRawArgs(base), [
      ...PREAMBLE,
      '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '640x360', '-r', '30000/1001', '-i', 'pipe:0',
      '-map', '0:v:0',
      '-vf', TO_YUV,
      ...H264,
      '-metadata', 'comment=Edited with Seam',
      '-movflags', '+faststart',
      '-f', 'mp4', '/tmp/seam/out.mp4.part',
    ]);
  });

  it('encodes yuv420p frames as they are, with the source colour tags it is given', () => {
    const args = buildEncodeFromRawArgs({ ...base, pixelFormat: 'yuv420p', colour: { space: 'smpte170m', transfer: 'bt709', range: 'pc' } });
    assert.deepEqual(args.slice(PREAMBLE.length + 1, PREAMBLE.length + 12), ['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', '640x360', '-r', '30000/1001', '-i', 'pipe:0', '-map']);
    assert.equal(args.includes('-vf'), false, 'no conversion filter');
    const from = args.indexOf('-pix_fmt', PREAMBLE.length + 4);
    assert.deepEqual(args.slice(from, from + 8), ['-pix_fmt', 'yuv420p', '-colorspace', 'smpte170m', '-color_trc', 'bt709', '-color_range', 'pc']);
    // Untagged stays untagged; a tag that is not a plain name is not passed to ffmpeg.
    const untagged = buildEncodeFromRawArgs({ ...base, pixelFormat: 'yuv420p', colour: { space: 'bt709 -y /etc/x' } });
    assert.equal(untagged.some((a) => a.startsWith('-color')), false);
    // An odd size is cropped to even in the encoder, frames stay as decoded.
    const odd = buildEncodeFromRawArgs({ ...base, width: 641, height: 361, pixelFormat: 'yuv420p' });
    assert.equal(odd[odd.indexOf('-vf') + 1], 'crop=640:360:0:0');
  });

  it('adds the source audio, trimmed to the same range, copied unchanged', () => {
    const args = buildEncodeFromRawArgs({
      ...base,
      audio: { source: '/videos/in.mov', codec: 'copy', startSeconds: 2, endSeconds: 5 },
      quality: { crf: 23, preset: 'veryfast' },
      metadata: { appVersion: '0.1.0', extra: { title: 'Take 2' } },
    });
    assert.deepEqual(args, [
      ...PREAMBLE,
      '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '640x360', '-r', '30000/1001', '-i', 'pipe:0',
      '-ss', '2', '-t', '3', '-i', '/videos/in.mov',
      '-map', '0:v:0', '-map', '1:a?',
      '-vf', TO_YUV,
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p',
      '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
      '-c:a', 'copy',
      '-metadata', 'comment=Edited with Seam 0.1.0',
      '-metadata', 'title=Take 2',
      '-movflags', '+faststart',
      '-f', 'mp4', '/tmp/seam/out.mp4.part',
    ]);
  });

  it('re-encodes audio to AAC when asked, and mkv gets no movflags', () => {
    const args = buildEncodeFromRawArgs({ ...base, container: 'matroska', audio: { source: '/in.webm', codec: 'aac', bitrateKbps: 128 } });
    assert.deepEqual(args.slice(args.indexOf('-c:a')), [
      '-c:a', 'aac', '-b:a', '128k', '-metadata', 'comment=Edited with Seam', '-f', 'matroska', '/tmp/seam/out.mp4.part',
    ]);
    assert.equal(args.includes('-movflags'), false);
  });

  it('crops odd sizes to even by default, pads when asked', () => {
    const cropped = buildEncodeFromRawArgs({ ...base, width: 641, height: 361, pixelFormat: 'rgba' });
    assert.equal(cropped[cropped.indexOf('-vf') + 1], `crop=640:360:0:0,${TO_YUV}`);
    assert.deepEqual(cropped.slice(cropped.indexOf('-pix_fmt'), cropped.indexOf('-pix_fmt') + 4), ['-pix_fmt', 'rgba', '-s', '641x361']);
    const padded = buildEncodeFromRawArgs({ ...base, width: 640, height: 361, evenDimensions: 'pad' });
    assert.equal(padded[padded.indexOf('-vf') + 1], `pad=640:362:0:0,${TO_YUV}`);
    assert.deepEqual(evenFrameSize(641, 361), { width: 640, height: 360 });
    assert.deepEqual(evenFrameSize(641, 361, 'pad'), { width: 642, height: 362 });
  });

  it('accepts numeric and decimal frame rates', () => {
    for (const [rate, text] of [[25, '25'], [29.97, '29.97'], ['24', '24'], [' 60/1 ', '60/1']] as const) {
      const args = buildEncodeFromRawArgs({ ...base, frameRate: rate });
      assert.equal(args[args.indexOf('-r') + 1], text);
    }
  });

  it('rejects bad options with the option named', () => {
    assert.throws(() => buildEncodeFromRawArgs({ ...base, quality: { crf: 52 } }), badInput('crf'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, quality: { crf: -1 } }), badInput('crf'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, quality: { codec: 'h264_magic' as never } }), badInput('codec'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, quality: { preset: 'placebo' as never } }), badInput('preset'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, width: 0 }), badInput('width'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, height: 12.5 }), badInput('height'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, width: 100_000 }), badInput('width'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, frameRate: 0 }), badInput('frameRate'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, frameRate: '0/0' }), badInput('frameRate'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, frameRate: '25; rm -rf /' }), badInput('frameRate'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, container: 'avi' as never }), badInput('container'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, evenDimensions: 'stretch' as never }), badInput('evenDimensions'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, audio: { source: '/a.mp4', codec: 'opus' as never } }), badInput('audio codec'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, audio: { source: '/a.mp4', codec: 'aac', bitrateKbps: 5 } }), badInput('bitrateKbps'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, metadata: { extra: { comment: 'not Seam' } } }), badInput('metadata'));
    assert.throws(() => buildEncodeFromRawArgs({ ...base, metadata: { extra: { 'a=b': 'x' } } }), badInput('metadata'));
  });

  it('says which values are allowed', () => {
    assert.throws(() => buildEncodeFromRawArgs({ ...base, quality: { preset: 'turbo' as never } }), /Unsupported preset "turbo" for H\.264 \(x264\); expected one of: ultrafast, .*veryslow/);
  });
});

describe('buildReencodeArgs', () => {
  it('re-encodes a clip with the pipeline settings and copied audio: the baseline', () => {
    assert.deepEqual(buildReencodeArgs({ input: '/in.mp4', output: '/tmp/base.mp4', container: 'mp4' }), [
      ...PREAMBLE,
      '-y',
      '-i', '/in.mp4',
      '-map', '0:V:0', '-fps_mode', 'passthrough', '-map', '0:a?',
      // No colour conversion: the decoded YUV is encoded as it is, with its own tags.
      '-vf', 'crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0',
      '-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p',
      '-c:a', 'copy',
      '-metadata', 'comment=Edited with Seam',
      '-movflags', '+faststart',
      '-f', 'mp4', '/tmp/base.mp4',
    ]);
  });

  it('can drop the audio, trim, and pad', () => {
    const args = buildReencodeArgs({
      input: '/in.mp4', output: '/tmp/base.mov', container: 'mov', audio: 'none', startSeconds: 1, endSeconds: 2, evenDimensions: 'pad',
    });
    assert.deepEqual(args.slice(PREAMBLE.length + 1, PREAMBLE.length + 7), ['-ss', '1', '-t', '1', '-i', '/in.mp4']);
    assert.equal(args.includes('0:a?'), false);
    assert.equal(args.includes('-c:a'), false);
    assert.equal(args[args.indexOf('-vf') + 1], 'pad=ceil(iw/2)*2:ceil(ih/2)*2:0:0');
    assert.throws(() => buildReencodeArgs({ input: '/in.mp4', output: '/o.mp4', container: 'mp4', audio: 'flac' as never }), badInput('audio'));
  });
});

describe('chooseAudioHandling', () => {
  it('copies what the container holds and re-encodes the rest to AAC', () => {
    assert.equal(chooseAudioHandling('mp4', ['aac']), 'copy');
    assert.equal(chooseAudioHandling('mp4', []), 'copy');
    assert.equal(chooseAudioHandling('mp4', ['opus']), 'aac');
    assert.equal(chooseAudioHandling('mp4', ['pcm_s16le']), 'aac');
    assert.equal(chooseAudioHandling('mov', ['pcm_s16le']), 'copy');
    assert.equal(chooseAudioHandling('matroska', ['opus', 'flac']), 'copy');
  });
});

describe('frameRateFlagFor', () => {
  it('uses -fps_mode from ffmpeg 5.1 and on git builds, -vsync before', () => {
    assert.equal(frameRateFlagFor({ major: 5, minor: 1 }), 'fps_mode');
    assert.equal(frameRateFlagFor({ major: 7, minor: 0 }), 'fps_mode');
    assert.equal(frameRateFlagFor({}), 'fps_mode');
    assert.equal(frameRateFlagFor({ major: 5, minor: 0 }), 'vsync');
    assert.equal(frameRateFlagFor({ major: 4, minor: 4 }), 'vsync');
  });
});
