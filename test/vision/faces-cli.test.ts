// `seam detect`, `seam landmarks` and `seam track` as a user runs them: JSON and table output,
// the overlay file with its provenance, "no faces found" as an answer (exit 0) for detect but an
// error for landmarks, and a damaged file as BAD_INPUT with exit 1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { detectCommand } from '../../src/cli/commands/detect';
import { landmarksCommand } from '../../src/cli/commands/landmarks';
import { trackCommand } from '../../src/cli/commands/track';
import { silentLogger } from '../../src/engine/context';
import { resolvePaths } from '../../src/engine/paths';
import { SeamError } from '../../src/shared/errors';
import { gradient, mediaPath } from './faces-fixtures';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The commands build their own session pool: keep it to the CPU (no CUDA probe noise in the output).
process.env.SEAM_PROVIDERS = 'cpu';
const tempDir = await mkdtemp(join(tmpdir(), 'seam-faces-cli-'));
after(() => rm(tempDir, { recursive: true, force: true }));

const faceless = join(tempDir, 'gradient.png');
const g = gradient(320, 240);
await sharp(g.data, { raw: { width: g.width, height: g.height, channels: 3 } }).png().toFile(faceless);

/** Runs a command in this process with stdout captured. */
async function run(make: typeof detectCommand, args: string[]): Promise<string> {
  let out = '';
  const command = make({ paths: resolvePaths(), logger: silentLogger, stdout: { write: (text: string) => (out += text) } });
  await command.parseAsync(args, { from: 'user' });
  return out;
}

/** Runs the real `seam` entry in a child process (exit code and stderr as a user sees them). */
function seam(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SEAM_PROVIDERS: 'cpu' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('seam detect', () => {
  it('prints the face as JSON: box, score, the six named keypoints, the model', async () => {
    const json = JSON.parse(await run(detectCommand, [mediaPath('astronaut.png'), '--json'])) as {
      image: { width: number; height: number };
      faces: Array<{ box: { width: number }; score: number; model: string; keypoints: Record<'rightEye' | 'leftEye', { x: number; y: number }> }>;
    };
    assert.deepEqual([json.image.width, json.image.height], [512, 512]);
    assert.equal(json.faces.length, 1);
    assert.deepEqual(Object.keys(json.faces[0]!.keypoints), ['rightEye', 'leftEye', 'noseTip', 'mouthCenter', 'rightEarTragion', 'leftEarTragion']);
    assert.ok(json.faces[0]!.keypoints.rightEye.x < json.faces[0]!.keypoints.leftEye.x, "the subject's right eye is on the image's left");
  });

  it('prints a table, and "no faces found" with exit 0 for a photo without a face', async () => {
    assert.match(await run(detectCommand, [mediaPath('grace_hopper.jpg')]), /^1 face in .*\n#\s+x\s+y\s+width/);
    const result = seam(['detect', faceless]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /no faces found/);
  });

  it('exits 1 with the decoder’s BAD_INPUT message for a damaged file', async () => {
    const broken = join(tempDir, 'broken.jpg');
    await writeFile(broken, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 2, 3]));
    const result = seam(['detect', broken]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^seam: .*broken\.jpg (is not an image Seam can read|could not be decoded)/m);
    await assert.rejects(run(detectCommand, [broken]), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT');
  });
});

describe('seam landmarks', () => {
  it('writes an overlay with Seam’s provenance and prints 468 points per face as JSON', async () => {
    const overlay = join(tempDir, 'overlay.png');
    const json = JSON.parse(await run(landmarksCommand, [mediaPath('grace_hopper.jpg'), '--json', '-o', overlay])) as {
      faces: Array<{ landmarks: { presence: number; points: number[][]; named: Record<string, { x: number }> } }>;
    };
    assert.equal(json.faces.length, 1);
    assert.equal(json.faces[0]!.landmarks.points.length, 468);
    assert.ok(json.faces[0]!.landmarks.presence > 0.9);
    const meta = await sharp(overlay).metadata();
    assert.deepEqual([meta.width, meta.height], [512, 600]);
    assert.match(meta.xmp?.toString('utf8') ?? '', /Seam .*face landmarks overlay of grace_hopper\.jpg/s);
    // The overlay differs from the photo where the points are drawn.
    const drawn = await sharp(overlay).raw().toBuffer();
    const photo = await sharp(mediaPath('grace_hopper.jpg')).raw().toBuffer();
    let changed = 0;
    for (let i = 0; i < drawn.length; i += 3) if (Math.abs(drawn[i]! - photo[i]!) > 60) changed++;
    assert.ok(changed > 500, `${changed} pixels drawn on`);
  });

  it('says clearly that a photo has no face', async () => {
    await assert.rejects(run(landmarksCommand, [faceless]), (e: unknown) => e instanceof SeamError && e.code === 'NOT_FOUND' && /No face found in .*gradient\.png/.test(e.message));
  });
});

describe('seam track', () => {
  it('prints every frame with a stable track id, and landmarks on request', async () => {
    const json = JSON.parse(await run(trackCommand, [mediaPath('cap12_cut.mp4'), '--json', '--landmarks', '--smoothing', '0.3', '--detect-every', '25'])) as {
      video: { frames: number; fps: number };
      settings: { detectEvery: number; smoothing: number };
      stats: { detectorRuns: number };
      frames: Array<{ index: number; faces: Array<{ trackId: number; box: { width: number }; landmarks: number[][] }> }>;
    };
    assert.equal(json.video.frames, 100);
    assert.deepEqual([json.settings.detectEvery, json.settings.smoothing], [25, 0.3]);
    assert.equal(json.stats.detectorRuns, 4);
    assert.ok(json.frames.every((f) => f.faces.length === 1 && f.faces[0]!.trackId === 1 && f.faces[0]!.landmarks.length === 468));
  });

  it('refuses a smoothing outside 0..1', async () => {
    const result = seam(['track', mediaPath('cap12_cut.mp4'), '--smoothing', '3']);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /--smoothing must be a number from 0 to 1/);
  });
});
