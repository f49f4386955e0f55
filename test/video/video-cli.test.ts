// `seam video`: flags become the registered processor's options the way the photo commands read
// them, mistakes are named, and a short render writes the clip and prints progress on stderr.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { videoCommand, videoStep } from '../../src/cli/commands/video';
import { silentLogger } from '../../src/engine/context';
import { processorIds } from '../../src/engine/edit/registry';
import { resolvePaths } from '../../src/engine/paths';
import { locateMediaTools } from '../../src/engine/media/locate-ffmpeg';
import { decodeRgb, FIXTURE_CLIP, meanAbsDiff, probeStreams } from './video-clips';
import { rejectsWithSeamError } from '../support/seam-error';

const has = (id: string) => (processorIds().includes(id) ? false : `${id} is not registered in this build`);
const PHOTO = new URL('../fixtures/media/grace_hopper.jpg', import.meta.url).pathname;

describe('seam video flags → edit step', () => {
  it('swap: --source, --keep and --set', { skip: has('face-swap') }, () => {
    assert.deepEqual(videoStep({ op: 'swap', source: 'a.jpg', keep: 'mouth,eyes', set: ['strength=0.5,color-match=false'] }), {
      processor: 'face-swap',
      options: { source: 'a.jpg', keep: ['mouth', 'eyes'], strength: 0.5, colorMatch: false },
    });
    assert.throws(() => videoStep({ op: 'swap', set: [] }), /needs --source/);
  });

  it('attrs: --set reads sliders as `seam attrs` does; op-specific flags elsewhere are named', { skip: has('attributes') }, () => {
    assert.deepEqual(videoStep({ op: 'attrs', set: ['smile=40'] }), { processor: 'attributes', options: { smile: 40 } });
    assert.throws(() => videoStep({ op: 'attrs', keep: 'mouth', set: [] }), /--keep does not apply to --op attrs/);
    assert.throws(() => videoStep({ op: 'attrs', source: 'a.jpg', set: [] }), /takes no --source/);
  });

  it('style: --source stands for --reference, --regions as `seam style` reads them', { skip: has('region-style') }, () => {
    const step = videoStep({ op: 'style', source: 'r.jpg', regions: 'hair=1', set: [] });
    assert.equal(step.processor, 'region-style');
    assert.deepEqual(step.options, { reference: 'r.jpg', regions: { hair: 1 } });
  });
});

describe('seam video end to end', { skip: has('attributes') }, () => {
  it('renders the tracked face edit, prints the result on stdout and progress on stderr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seam-video-cli-'));
    try {
      const output = join(dir, 'smile.mp4');
      let out = '';
      let err = '';
      const command = videoCommand({
        paths: resolvePaths(),
        logger: silentLogger,
        stdout: { write: (text: string) => (out += text) },
        stderr: { write: (text: string) => (err += text), isTTY: false },
        signal: new AbortController().signal,
      });
      await command.parseAsync(['--target', FIXTURE_CLIP, '--op', 'attrs', '--set', 'smile=40', '--to', '0.4', '--preset', 'veryfast', '-o', output], { from: 'user' });
      assert.ok(existsSync(output));
      assert.match(out, /wrote .*smile\.mp4: 10 frames, 400×300, 0\.40 s at 25\/1 fps, no sound/);
      assert.match(out, /attributes smile=40/);
      assert.match(err, /frame \d+\/10 · [\d.]+ fps/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing source photo is named before the clip is decoded', { skip: has('face-swap') }, async () => {
    const command = videoCommand({ paths: resolvePaths(), logger: silentLogger, stdout: { write: () => true }, signal: new AbortController().signal });
    await assert.rejects(command.parseAsync(['--target', FIXTURE_CLIP, '--op', 'swap', '--source', `${PHOTO}.missing`, '-o', join(tmpdir(), 'never.mp4')], { from: 'user' }), /no such photo/);
  });
});

describe('seam video --codec', { skip: has('face-swap') }, () => {
  const command = (stdout: { write(text: string): unknown } = { write: () => true }) =>
    videoCommand({ paths: resolvePaths(), logger: silentLogger, stdout, stderr: { write: () => true }, signal: new AbortController().signal });

  it('writes the codec asked for, at the CRF and preset asked for', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seam-video-codec-'));
    try {
      const { ffprobe } = await locateMediaTools();
      await writeFile(join(dir, 'plan.json'), JSON.stringify({ steps: [{ processor: 'face-swap', options: { source: PHOTO } }], target: { kind: 'none' } }));
      const output = join(dir, 'hevc.mkv');
      let out = '';
      await command({ write: (text: string) => (out += text) }).parseAsync(['--target', FIXTURE_CLIP, '--plan', join(dir, 'plan.json'), '--to', '0.4', '--codec', 'libx265', '--crf', '24', '--preset', 'ultrafast', '-o', output], { from: 'user' });
      assert.match(out, /10 frames, 400×300/);
      const video = (await probeStreams(ffprobe, output)).streams.find((s) => s.codec_type === 'video')!;
      assert.equal(video.codec_name, 'hevc');
      assert.equal(Number(video.nb_read_frames), 10);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a wrong codec, a file that cannot hold it, a setting off its scale and a wrong worker count, before any work', async () => {
    const never = join(tmpdir(), 'never-seam.mov');
    const run = (...flags: string[]) => command().parseAsync(['--target', FIXTURE_CLIP, '--op', 'swap', '--source', PHOTO, '-o', never, ...flags], { from: 'user' });
    await rejectsWithSeamError(run('--codec', 'h265'), 'BAD_INPUT', /^--codec: Unsupported codec "h265"; expected one of: libx264, libx265, libvpx-vp9, libsvtav1, prores_ks/);
    await rejectsWithSeamError(run('--codec', 'libvpx-vp9'), 'BAD_INPUT', /VP9 \(libvpx\) cannot be written to .*never-seam\.mov; use \.mp4 or \.mkv/);
    await rejectsWithSeamError(run('--codec', 'prores_ks', '--crf', '20'), 'BAD_INPUT', /^--crf: Apple ProRes 422 has no CRF/);
    await rejectsWithSeamError(run('--codec', 'libx265', '--preset', '4'), 'BAD_INPUT', /^--preset: Unsupported preset "4" for H\.265/);
    await rejectsWithSeamError(run('--frame-workers', '1.5'), 'BAD_INPUT', /^--frame-workers 1\.5: expected a whole number ≥ 0/);
    assert.equal(existsSync(never), false);
  });
});

describe('seam video --plan', { skip: has('face-swap') }, () => {
  it('renders a whole plan: a range with target none is left as a plain re-encode, the rest is swapped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seam-video-plan-'));
    try {
      const { ffmpeg } = await locateMediaTools();
      const render = async (name: string, plan: object) => {
        await writeFile(join(dir, `${name}.json`), JSON.stringify(plan));
        const output = join(dir, `${name}.mp4`);
        let out = '';
        const command = videoCommand({ paths: resolvePaths(), logger: silentLogger, stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, signal: new AbortController().signal });
        await command.parseAsync(['--target', FIXTURE_CLIP, '--plan', join(dir, `${name}.json`), '--to', '0.4', '--crf', '0', '--preset', 'ultrafast', '-o', output], { from: 'user' });
        assert.match(out, /10 frames, 400×300/);
        return decodeRgb(ffmpeg, output);
      };
      const steps = [{ processor: 'face-swap', options: { source: PHOTO } }];
      const planned = await render('planned', { steps, overrides: [{ fromFrame: 0, toFrame: 4, target: { kind: 'none' } }], keyframes: [{ stepIndex: 0, key: 'strength', frame: 5, value: 0.5 }, { stepIndex: 0, key: 'strength', frame: 9, value: 1 }] });
      const plain = await render('plain', { steps, target: { kind: 'none' } });
      const frame = 400 * 300 * 3;
      assert.ok(planned.subarray(0, 5 * frame).equals(plain.subarray(0, 5 * frame)), 'frames 0–4 are the plain re-encode');
      assert.ok(meanAbsDiff(planned.subarray(5 * frame), plain.subarray(5 * frame), 400, 300) > 0.5, 'frames 5–9 are swapped');
      await writeFile(join(dir, 'bad.json'), JSON.stringify({ steps, keyframes: [{ stepIndex: 2, key: 'strength', frame: 0, value: 1 }] }));
      const command = videoCommand({ paths: resolvePaths(), logger: silentLogger, stdout: { write: () => true }, signal: new AbortController().signal });
      await assert.rejects(command.parseAsync(['--target', FIXTURE_CLIP, '--plan', join(dir, 'bad.json'), '-o', join(dir, 'never.mp4')], { from: 'user' }), /names step 2, but the plan has 1 step/);
      assert.ok(!existsSync(join(dir, 'never.mp4')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
