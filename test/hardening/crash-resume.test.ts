// Crashes at random points: `seam video` in its own process group is SIGKILLed (a crash, a
// power cut: no handler runs, ffmpeg dies with it) at a seeded point early, mid-way, late, or
// during the final join, then `seam video … --resume` finishes it. Every run must end with every
// frame of the source, an output that decodes without a single error, the finished segments kept
// (not started over), nothing stray beside the output, and the source byte for byte as it was.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { locateMediaTools } from '../../src/engine/media/locate-ffmpeg';
import { runFfmpeg, startFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { defaultWorkDir } from '../../src/engine/video/work-folder';
import { SeededRandom } from './support/seeded-random';
import { assertCliBuilt, REPO_ROOT, runSeam, SEAM_BIN } from './support/seam-cli';

const SEED = 20261121;
const RUNS = 20;
/** 160×120, 3 s at 25 fps with sound: 75 frames in 15 segments of 5, rendered in a few seconds. */
const FRAMES = 75;
const SEGMENT_FRAMES = 5;
type Phase = 'early' | 'middle' | 'late' | 'join';
const PHASES: Phase[] = ['early', 'middle', 'late', 'join'];

const { ffmpeg, ffprobe } = await locateMediaTools();
const root = await mkdtemp(join(tmpdir(), 'seam-crash-'));
const clip = join(root, 'clip.mp4');
after(() => rm(root, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface Journal {
  segments: Array<{ frames: number }>;
  totalFrames?: number;
}
async function readJournal(workDir: string): Promise<Journal | undefined> {
  const text = await readFile(join(workDir, 'journal.json'), 'utf8').catch(() => undefined);
  try {
    return text ? (JSON.parse(text) as Journal) : undefined;
  } catch {
    return undefined; // caught mid-write: not the moment yet
  }
}
const journalFrames = (j: Journal | undefined) => j?.segments.reduce((sum, s) => sum + s.frames, 0) ?? 0;

function renderArgs(output: string, resume: boolean): string[] {
  return ['video', '--target', clip, '--op', 'attrs', '--set', 'smile=10', '--preset', 'ultrafast', '--segment-frames', String(SEGMENT_FRAMES), '--json', '-o', output, ...(resume ? ['--resume'] : [])];
}

type KillPoint = (moment: { journal: Journal | undefined; elapsedMs: number; joining: boolean }) => boolean;

/** Starts a render and SIGKILLs its whole process group when `due` says so; true if it was killed. */
async function renderAndKill(output: string, home: string, due: KillPoint): Promise<{ killed: boolean; keptFrames: number }> {
  const child = spawn(process.execPath, [SEAM_BIN, ...renderArgs(output, false)], {
    cwd: REPO_ROOT,
    env: { ...process.env, SEAM_HOME: home, SEAM_PROVIDERS: 'cpu' },
    stdio: 'ignore',
    detached: true,
  });
  let exited = false;
  const closed = new Promise<void>((resolve) => child.once('close', () => ((exited = true), resolve())));
  const workDir = defaultWorkDir(output);
  const started = Date.now();
  let killed = false;
  while (!exited) {
    const journal = await readJournal(workDir);
    // The join writes a temp file beside the output (renamed into place when complete).
    const joining = (await readdir(dirname(output))).some((name) => name.startsWith(`.${basename(output)}.`) && name.endsWith('.tmp'));
    if (due({ journal, elapsedMs: Date.now() - started, joining })) {
      process.kill(-child.pid!, 'SIGKILL');
      killed = true;
      break;
    }
    await sleep(3);
  }
  await closed;
  return { killed, keptFrames: journalFrames(await readJournal(workDir)) };
}

/** How a seeded run chooses its moment: a delay before the first segment, a frame count, or the join. */
function killPoint(random: SeededRandom, phase: Phase): KillPoint {
  switch (phase) {
    case 'early': {
      // Node's start, the probe, the models loading, the first frames.
      const ms = random.int(100, 1500);
      return ({ elapsedMs }) => elapsedMs >= ms;
    }
    case 'middle': {
      const frames = random.int(1, 7) * SEGMENT_FRAMES;
      return ({ journal }) => journalFrames(journal) >= frames;
    }
    case 'late': {
      const frames = random.int(11, 15) * SEGMENT_FRAMES;
      return ({ journal }) => journalFrames(journal) >= frames;
    }
    case 'join':
      // From the moment the journal records the last segment (the join starts right after) until
      // the join's temp file is renamed: a window of tens of milliseconds on a tiny clip, so the
      // journal, written just before the join's ffmpeg starts, is the earlier and surer signal.
      return ({ journal, joining }) => joining || journal?.totalFrames !== undefined;
  }
}

async function decodeErrors(file: string): Promise<string> {
  const run = startFfmpeg(ffmpeg.path, ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], { task: `decoding ${file}` });
  const result = await run.done;
  return result.stderrTail.join('\n');
}

async function frameCount(file: string): Promise<number> {
  const run = startFfmpeg(ffprobe.path, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { task: 'counting frames', stdout: true });
  let text = '';
  run.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  await run.done;
  return Number(text.trim());
}

describe(`seam video killed at ${RUNS} seeded points (seed ${SEED}) and resumed`, () => {
  let sourceHash = '';
  const random = new SeededRandom(SEED);
  const killedPhases: Phase[] = [];
  const strays: string[] = [];

  before(async () => {
    assertCliBuilt();
    await runFfmpeg(ffmpeg.path, ['-hide_banner', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=3', '-f', 'lavfi', '-i', 'sine=duration=3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip], { task: 'making the clip' });
    assert.equal(await frameCount(clip), FRAMES);
    sourceHash = sha256(clip);
  });

  for (let run = 0; run < RUNS; run++) {
    const phase = PHASES[run % PHASES.length]!;
    const due = killPoint(random, phase);
    it(`run ${run + 1}: killed ${phase}, then --resume`, async () => {
      const folder = join(root, `run-${run + 1}`);
      const home = join(folder, 'home');
      await mkdir(home, { recursive: true });
      const output = join(folder, 'edited.mp4');
      // A render can outrun its kill point on a busy machine (the poll is a few ms apart); that
      // attempt proves nothing, so it is started again from nothing, up to three times.
      let attempt = await renderAndKill(output, home, due);
      for (let retry = 0; !attempt.killed && retry < 2; retry++) {
        await rm(folder, { recursive: true, force: true });
        await mkdir(home, { recursive: true });
        attempt = await renderAndKill(output, home, due);
      }
      const { killed, keptFrames } = attempt;
      if (killed) killedPhases.push(phase);

      const resumed = await runSeam(renderArgs(output, true), { home });
      assert.equal(resumed.status, 0, resumed.stderr);
      const result = JSON.parse(resumed.stdout) as { frames: number; resumedFrames: number };
      assert.equal(result.frames, FRAMES);
      if (killed) assert.ok(result.resumedFrames >= keptFrames, `kept ${keptFrames} frames at the kill, the resume reused ${result.resumedFrames}`);
      assert.equal(await frameCount(output), FRAMES, 'every frame of the source');
      assert.equal(await decodeErrors(output), '', 'the output decodes without an error');
      const beside = (await readdir(folder)).filter((name) => name !== 'home' && name !== 'edited.mp4');
      assert.ok(!beside.includes(basename(defaultWorkDir(output))), 'the work folder is gone');
      strays.push(...beside.map((name) => `run ${run + 1} (${phase}): ${name}`));
      assert.equal(sha256(clip), sourceHash, 'the source is byte-identical');
    });
  }

  // A kill during the join leaves the join's temp file (.edited.mp4.<pid>.<hex>.tmp) beside the
  // output; the resumed render removes it (removeStaleTempFiles in src/engine/fs/atomic-write.ts).
  it('nothing is left beside the output after a resume', () => {
    assert.deepEqual(strays, []);
  });

  it(`all ${RUNS} runs were killed, each in its phase`, () => {
    // A render that finished before its kill point proves less than the test says.
    assert.deepEqual(killedPhases, Array.from({ length: RUNS }, (_, run) => PHASES[run % PHASES.length]), 'every run was killed where it meant to be');
  });
});
