// Each codec's ffmpeg arguments pinned without running ffmpeg, the rules of its quality scale and
// of the files that hold it, the render contract refusing what the engine would refuse, and the
// encoder list of a real ffmpeg build read from captured text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildEncodeFromRawArgs, buildReencodeArgs, type EncodeFromRawOptions } from '../../src/engine/media/ffmpeg-args';
import { missingEncoderError, parseEncoderList, videoCodecsIn } from '../../src/engine/media/ffmpeg-encoders';
import { checkCodecContainer, resolveVideoQuality, segmentMuxer } from '../../src/engine/media/video-codec-args';
import { buildJoinSegmentsArgs } from '../../src/engine/video/ffmpeg-video-args';
import { settingsHash } from '../../src/engine/video/render-journal';
import { videoQualityFlags } from '../../src/cli/commands/video';
import { parseArgs } from '../../src/shared/contract';
import { SeamError } from '../../src/shared/errors';
import { VIDEO_CODEC_FACTS, VIDEO_CODECS } from '../../src/shared/video-codecs';
import { qualityFields, settingsForCodec } from '../../src/renderer/src/video/render-codecs';

const CAPTURED_ENCODERS = readFileSync(new URL('../fixtures/media/ffmpeg-encoders-debian-5.1.txt', import.meta.url), 'utf8');
const PREAMBLE = ['-hide_banner', '-nostdin', '-v', 'error', '-nostats', '-progress', 'pipe:2'];
const RAW_IN = ['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', '160x120', '-r', '25', '-i', 'pipe:0', '-map', '0:v:0'];
const TAGS = ['-colorspace', 'bt709', '-color_range', 'tv'];
const MARK = ['-metadata', 'comment=Edited with Seam'];

function badInput(option: string, pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SeamError, `expected SeamError, got ${String(error)}`);
    assert.equal(error.code, 'BAD_INPUT', error.message);
    assert.equal(error.details?.option, option, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

describe('each codec’s encode arguments (the render’s segment encode: yuv420p frames in)', () => {
  const segment = (quality: EncodeFromRawOptions['quality'], container: EncodeFromRawOptions['container'] = 'mp4') =>
    buildEncodeFromRawArgs({ output: '/w/segment-00000.mp4.part', container, width: 160, height: 120, frameRate: 25, pixelFormat: 'yuv420p', colour: { space: 'bt709', range: 'tv' }, quality });
  const encode = (...video: string[]) => [...PREAMBLE, '-y', ...RAW_IN, ...video];

  it('libx264 by default, exactly as Seam always wrote it', () => {
    assert.deepEqual(segment(undefined), encode('-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p', ...TAGS, ...MARK, '-movflags', '+faststart', '-f', 'mp4', '/w/segment-00000.mp4.part'));
  });

  it('libx265: its CRF and preset, x265’s own log quiet, and the hvc1 tag Apple players need in MP4 and QuickTime', () => {
    const hevc = ['-c:v', 'libx265', '-preset', 'ultrafast', '-crf', '24', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', ...TAGS];
    assert.deepEqual(segment({ codec: 'libx265', crf: 24, preset: 'ultrafast' }), encode(...hevc, '-tag:v', 'hvc1', ...MARK, '-movflags', '+faststart', '-f', 'mp4', '/w/segment-00000.mp4.part'));
    assert.deepEqual(segment({ codec: 'libx265', crf: 24, preset: 'ultrafast' }, 'matroska'), encode(...hevc, ...MARK, '-f', 'matroska', '/w/segment-00000.mp4.part'));
    // Defaults: CRF 20, preset fast.
    const defaults = segment({ codec: 'libx265' });
    assert.deepEqual(defaults.slice(defaults.indexOf('-c:v'), defaults.indexOf('-x265-params')), ['-c:v', 'libx265', '-preset', 'fast', '-crf', '20']);
  });

  it('libvpx-vp9: CRF as constant quality (-b:v 0), the good deadline with -cpu-used as the preset, row threading', () => {
    assert.deepEqual(
      segment({ codec: 'libvpx-vp9', crf: 31, preset: '5' }),
      encode('-c:v', 'libvpx-vp9', '-crf', '31', '-b:v', '0', '-deadline', 'good', '-cpu-used', '5', '-row-mt', '1', '-pix_fmt', 'yuv420p', ...TAGS, ...MARK, '-movflags', '+faststart', '-f', 'mp4', '/w/segment-00000.mp4.part'),
    );
    assert.deepEqual(resolveVideoQuality({ codec: 'libvpx-vp9' }), { codec: 'libvpx-vp9', crf: 20, preset: '4' });
  });

  it('libsvtav1: its preset number and CRF', () => {
    assert.deepEqual(
      segment({ codec: 'libsvtav1', crf: 40, preset: '12' }, 'matroska'),
      encode('-c:v', 'libsvtav1', '-preset', '12', '-crf', '40', '-pix_fmt', 'yuv420p', ...TAGS, ...MARK, '-f', 'matroska', '/w/segment-00000.mp4.part'),
    );
    assert.deepEqual(resolveVideoQuality({ codec: 'libsvtav1' }), { codec: 'libsvtav1', crf: 28, preset: '8' });
  });

  it('prores_ks: the profile’s number, 10-bit 4:2:2, colour tags on the frames too; its segment parts are QuickTime, never MP4', () => {
    const prores = (profile: number) => ['-vf', 'setparams=range=tv:colorspace=bt709', '-c:v', 'prores_ks', '-profile:v', String(profile), '-pix_fmt', 'yuv422p10le', ...TAGS, ...MARK, '-movflags', '+faststart', '-f', 'mov', '/w/segment-00000.mp4.part'];
    assert.equal(segmentMuxer('prores_ks'), 'mov');
    assert.equal(segmentMuxer('libx265'), 'mp4');
    assert.deepEqual(segment({ codec: 'prores_ks' }, segmentMuxer('prores_ks')), encode(...prores(3)));
    assert.deepEqual(segment({ codec: 'prores_ks', profile: 'proxy' }, 'mov'), encode(...prores(0)));
    assert.throws(() => segment({ codec: 'prores_ks', profile: 'standard' }, 'mp4'), badInput('container', /ProRes/));
  });

  it('RGB frames are converted to the codec’s own layout in the same filter', () => {
    const args = buildEncodeFromRawArgs({ output: '/o.mov', container: 'mov', width: 160, height: 120, frameRate: 25, quality: { codec: 'prores_ks', profile: 'lt' } });
    assert.equal(args[args.indexOf('-vf') + 1], 'scale=out_color_matrix=bt709:out_range=tv,format=yuv422p10le,setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709');
    // Untagged frames get no setparams; a tag that is not a plain name is not passed on.
    const untagged = buildEncodeFromRawArgs({ output: '/o.mov', container: 'mov', width: 160, height: 120, frameRate: 25, pixelFormat: 'yuv420p', colour: { space: 'bt709:x=1', primaries: 'reserved' }, quality: { codec: 'prores_ks' } });
    assert.equal(untagged.includes('-vf'), false);
    const reencode = buildReencodeArgs({ input: '/in.mp4', output: '/o.mkv', container: 'matroska', quality: { codec: 'libvpx-vp9', crf: 30, preset: '5' } });
    assert.deepEqual(reencode.slice(reencode.indexOf('-c:v'), reencode.indexOf('-c:v') + 4), ['-c:v', 'libvpx-vp9', '-crf', '30']);
  });
});

describe('each codec’s own quality scale', () => {
  it('checks the CRF against the codec’s range, whole numbers where the encoder takes only those', () => {
    assert.deepEqual(resolveVideoQuality({ codec: 'libx264', crf: 17.5 }), { codec: 'libx264', crf: 17.5, preset: 'medium' });
    assert.throws(() => resolveVideoQuality({ codec: 'libx264', crf: 52 }), badInput('crf', /from 0 to 51, got 52/));
    assert.deepEqual(resolveVideoQuality({ codec: 'libvpx-vp9', crf: 63 }).crf, 63);
    assert.throws(() => resolveVideoQuality({ codec: 'libvpx-vp9', crf: 20.5 }), badInput('crf', /VP9 .* whole number from 0 to 63/));
    assert.throws(() => resolveVideoQuality({ codec: 'libsvtav1', crf: 0 }), badInput('crf', /AV1 .* from 1 to 63, got 0/));
    assert.throws(() => resolveVideoQuality({ codec: 'libx265', crf: Number.NaN }), badInput('crf'));
  });

  it('takes only the codec’s presets, a profile only for ProRes, and no CRF for ProRes', () => {
    assert.throws(() => resolveVideoQuality({ codec: 'libvpx-vp9', preset: 'medium' }), badInput('preset', /"medium" for VP9 \(libvpx\); expected one of: 5, 4, 3, 2, 1, 0/));
    assert.throws(() => resolveVideoQuality({ codec: 'libsvtav1', preset: '14' }), badInput('preset'));
    assert.throws(() => resolveVideoQuality({ codec: 'libx265', preset: 'placebo' }), badInput('preset'));
    assert.throws(() => resolveVideoQuality({ codec: 'prores_ks', crf: 18 }), badInput('crf', /ProRes 422 has no CRF: its quality is the profile \(proxy, lt, standard, hq\)/));
    assert.throws(() => resolveVideoQuality({ codec: 'prores_ks', preset: 'fast' }), badInput('preset'));
    assert.throws(() => resolveVideoQuality({ codec: 'prores_ks', profile: '4444' }), badInput('profile', /expected one of: proxy, lt, standard, hq/));
    assert.throws(() => resolveVideoQuality({ codec: 'libx264', profile: 'hq' }), badInput('profile', /only ProRes/));
    assert.throws(() => resolveVideoQuality({ codec: 'libx266' as never }), badInput('codec', /Unsupported codec "libx266"; expected one of: libx264, libx265, libvpx-vp9, libsvtav1, prores_ks/));
  });

  it('x264’s defaults resolve to the settings Seam always hashed, so earlier renders still resume', () => {
    assert.equal(settingsHash({ quality: resolveVideoQuality({}) }), settingsHash({ quality: { codec: 'libx264', crf: 18, preset: 'medium' } }));
    assert.equal(settingsHash({ quality: resolveVideoQuality({ crf: 18, preset: 'veryfast' }) }), settingsHash({ quality: { codec: 'libx264', preset: 'veryfast', crf: 18 } }));
  });

  it('every codec’s default is inside its own scale, and every codec has a quality control', () => {
    for (const codec of VIDEO_CODECS) {
      const facts = VIDEO_CODEC_FACTS[codec];
      assert.ok(facts.crf || facts.profiles, `${codec} has a CRF or a profile`);
      if (facts.crf) assert.ok(facts.crf.default >= facts.crf.min && facts.crf.default <= facts.crf.max, codec);
      if (facts.presets) assert.ok(facts.presets.names.includes(facts.presets.default), codec);
      if (facts.profiles) assert.ok(facts.profiles.names.includes(facts.profiles.default), codec);
      assert.doesNotThrow(() => buildEncodeFromRawArgs({ output: '/o', container: facts.containers[0] === 'mkv' ? 'matroska' : facts.containers[0]!, width: 16, height: 16, frameRate: 25, quality: { codec } }));
    }
  });
});

describe('which files hold which codec', () => {
  it('refuses VP9 and AV1 in QuickTime and ProRes outside it, naming the codec and the file', () => {
    assert.throws(() => checkCodecContainer('libvpx-vp9', 'mov', '/videos/out.mov'), badInput('container', /VP9 \(libvpx\) cannot be written to \/videos\/out\.mov; use \.mp4 or \.mkv/));
    assert.throws(() => checkCodecContainer('libsvtav1', 'mov'), badInput('container', /AV1 .* cannot be written to a \.mov file/));
    assert.throws(() => checkCodecContainer('prores_ks', 'mp4', '/v/out.mp4'), badInput('container', /ProRes 422 cannot be written to \/v\/out\.mp4; use \.mov/));
    assert.throws(() => checkCodecContainer('prores_ks', 'matroska'), badInput('container'));
    for (const codec of ['libx264', 'libx265'] as const) for (const container of ['mp4', 'mov', 'matroska'] as const) checkCodecContainer(codec, container);
    assert.throws(() => buildEncodeFromRawArgs({ output: '/o.mov', container: 'mov', width: 16, height: 16, frameRate: 25, quality: { codec: 'libvpx-vp9' } }), badInput('container'));
  });

  it('joins by stream copy into the chosen container, HEVC tagged hvc1 where Apple players read it', () => {
    const join = (codec: (typeof VIDEO_CODECS)[number], container: 'mp4' | 'mov' | 'matroska') => buildJoinSegmentsArgs({ concatList: '/w/segments.ffconcat', output: '/o.tmp', container, codec });
    const copy = (args: string[]) => args.slice(args.indexOf('-c:v'), args.indexOf('-metadata'));
    assert.deepEqual(copy(join('libx265', 'mp4')), ['-c:v', 'copy', '-tag:v', 'hvc1']);
    assert.deepEqual(copy(join('libx265', 'mov')), ['-c:v', 'copy', '-tag:v', 'hvc1']);
    assert.deepEqual(copy(join('libx265', 'matroska')), ['-c:v', 'copy']);
    assert.deepEqual(copy(join('libx264', 'mp4')), ['-c:v', 'copy']);
    assert.deepEqual(join('prores_ks', 'mov').slice(-2), ['mov', '/o.tmp']);
    assert.deepEqual(join('libsvtav1', 'matroska').slice(-2), ['matroska', '/o.tmp']);
    assert.throws(() => join('libvpx-vp9', 'mov'), badInput('container'));
  });
});

describe('the encoders this ffmpeg has', () => {
  it('reads `ffmpeg -encoders` as Debian’s ffmpeg 5.1 prints it', () => {
    const encoders = parseEncoderList(CAPTURED_ENCODERS);
    // The legend's letters above the dashes are not encoders.
    assert.equal(encoders.some((e) => e.name === '='), false);
    assert.deepEqual(encoders.find((e) => e.name === 'libx265'), { kind: 'video', name: 'libx265', description: 'libx265 H.265 / HEVC (codec hevc)' });
    assert.deepEqual(encoders.find((e) => e.name === 'prores_ks'), { kind: 'video', name: 'prores_ks', description: 'Apple ProRes (iCodec Pro) (codec prores)' });
    assert.equal(encoders.find((e) => e.name === 'aac')?.kind, 'audio');
    assert.equal(encoders.find((e) => e.name === 'a64multi')?.kind, 'video', 'the first line after the legend');
    assert.deepEqual(videoCodecsIn(encoders), ['libx264', 'libx265', 'libvpx-vp9', 'libsvtav1', 'prores_ks']);
  });

  it('offers only what a build has, and refuses the rest naming the codec and what it can write', () => {
    const lgpl = parseEncoderList(CAPTURED_ENCODERS.split('\n').filter((line) => !/ lib(x26[45]|svtav1) /.test(line)).join('\n'));
    const available = videoCodecsIn(lgpl);
    assert.deepEqual(available, ['libvpx-vp9', 'prores_ks']);
    const error = missingEncoderError('libx265', { path: '/opt/ffmpeg', version: '6.1' }, available);
    assert.ok(error instanceof SeamError);
    assert.equal(error.code, 'BAD_INPUT');
    assert.equal(error.details?.option, 'codec');
    assert.match(error.message, /H\.265 \/ HEVC \(x265\) cannot be written: this ffmpeg \(\/opt\/ffmpeg, 6\.1\) has no libx265 encoder; it can write libvpx-vp9, prores_ks/);
    assert.equal(missingEncoderError('prores_ks', { path: '/opt/ffmpeg', version: '6.1' }, available), undefined);
    // Neither a video encoder of another name nor an audio encoder counts.
    assert.deepEqual(videoCodecsIn(parseEncoderList(' ------\n A....D libx264   pretend audio\n V....D libx264rgb  rgb\n')), []);
  });
});

describe('the render contract and the CLI flags follow the same rules', () => {
  const plan = { steps: [{ processor: 'attributes', options: { smile: 10 } }] };
  const render = (settings: Record<string, unknown>) => parseArgs('renderVideo', [{ videoId: 'vid-0123456789ab', plan, ...settings }]);

  it('renderVideo: defaults to x264, and takes each codec’s own settings', () => {
    const [defaults] = render({});
    assert.deepEqual([defaults.container, defaults.codec, defaults.crf, defaults.preset], ['mp4', 'libx264', undefined, undefined]);
    assert.equal(render({ codec: 'libsvtav1', container: 'mkv', crf: 40, preset: '10' })[0].codec, 'libsvtav1');
    assert.equal(render({ codec: 'prores_ks', container: 'mov', profile: 'lt' })[0].profile, 'lt');
  });

  it('renderVideo: refuses an unknown codec, a CRF off the codec’s scale, a foreign preset, a file that cannot hold the codec', () => {
    assert.throws(() => render({ codec: 'libx266' }), /codec/);
    assert.throws(() => render({ codec: 'libx264', crf: 60 }), /crf: CRF for H\.264 \(x264\) must be from 0 to 51, got 60/);
    assert.throws(() => render({ codec: 'libvpx-vp9', preset: 'medium' }), /preset: Unsupported preset "medium" for VP9/);
    assert.throws(() => render({ codec: 'prores_ks', container: 'mp4' }), /container: Apple ProRes 422 cannot be written to a \.mp4 file; use \.mov/);
    assert.throws(() => render({ codec: 'prores_ks', container: 'mov', crf: 10 }), /crf: Apple ProRes 422 has no CRF/);
  });

  it('seam video: --codec, --crf, --preset and --profile, a mistake named by its flag', () => {
    assert.deepEqual(videoQualityFlags({ codec: 'libx265', crf: '24', preset: 'ultrafast' }), { codec: 'libx265', crf: 24, preset: 'ultrafast' });
    assert.deepEqual(videoQualityFlags({}), {});
    assert.throws(() => videoQualityFlags({ codec: 'libx265', crf: '60' }), badInput('crf', /^--crf: CRF for H\.265/));
    assert.throws(() => videoQualityFlags({ codec: 'hevc' }), badInput('codec', /^--codec: Unsupported codec "hevc"/));
    assert.throws(() => videoQualityFlags({ codec: 'prores_ks', preset: 'fast' }), badInput('preset', /^--preset: Apple ProRes 422 has no presets: choose a profile/));
  });
});

describe('the render dialog’s settings per codec', () => {
  const x264 = { container: 'mov' as const, codec: 'libx264' as const, crf: 30, preset: 'slow', profile: null, fromFrame: 5, toFrame: 9 };

  it('switching codec takes the new codec’s defaults and keeps the file type where it can hold the codec', () => {
    assert.deepEqual(settingsForCodec(x264, 'libx265'), { ...x264, codec: 'libx265', crf: 20, preset: 'fast', profile: null });
    assert.deepEqual(settingsForCodec(x264, 'libvpx-vp9'), { ...x264, container: 'mp4', codec: 'libvpx-vp9', crf: 20, preset: '4', profile: null });
    assert.deepEqual(settingsForCodec(x264, 'prores_ks'), { ...x264, container: 'mov', codec: 'prores_ks', crf: null, preset: null, profile: 'hq' });
    assert.deepEqual(settingsForCodec({ ...x264, container: 'mkv' }, 'prores_ks').container, 'mov');
  });

  it('sends only the fields the codec has', () => {
    assert.deepEqual(qualityFields(x264), { codec: 'libx264', crf: 30, preset: 'slow' });
    assert.deepEqual(qualityFields(settingsForCodec(x264, 'prores_ks')), { codec: 'prores_ks', profile: 'hq' });
    // Whatever the dialog sends, the contract accepts.
    for (const codec of VIDEO_CODECS) {
      const settings = settingsForCodec(x264, codec);
      assert.doesNotThrow(() => parseArgs('renderVideo', [{ videoId: 'vid-0123456789ab', plan: { steps: [{ processor: 'attributes', options: {} }] }, container: settings.container, ...qualityFields(settings) }]), codec);
    }
  });
});
