// The bad-input corpus (corpus/*.ts, made at run time) through both doors a user has: the built
// `seam` command, and the engine's contract methods in a worker (the calls the UI makes). Every
// refusal must be one readable line naming the file and the problem, a non-zero exit, no crash
// (the engine answers the next good call), and nothing half-written in the output folder or the
// engine's data folder. Awkward but valid files must open properly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { startEngineWorker, type EngineWorker } from '../../src/engine/host/start-worker';
import { locateMediaTools } from '../../src/engine/media/locate-ffmpeg';
import { startFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { methodNames } from '../../src/shared/contract';
import { SeamError } from '../../src/shared/errors';
import { parseProject } from '../../src/shared/project-format';
import type { CorpusCase } from './corpus/corpus-case';
import { imageCases } from './corpus/images';
import { modelCases } from './corpus/models';
import { projectCases, projectHashing } from './corpus/projects';
import { videoCases } from './corpus/videos';
import { filesUnder } from './support/file-tree';
import { assertCliBuilt, runSeam } from './support/seam-cli';

const { ffmpeg, ffprobe } = await locateMediaTools();
const cases: CorpusCase[] = [...(await imageCases()), ...videoCases(ffmpeg.path), ...modelCases(), ...(await projectCases())];
// A .seam project is opened by the page itself (parseProject); no CLI command or engine method reads one.
const fileCases = cases.filter((c) => c.kind !== 'project');
const GOOD_PHOTO = new URL('../fixtures/media/grace_hopper.jpg', import.meta.url).pathname;
/** A line of a Node stack trace: a crash, not a refusal. */
const STACK_LINE = /^\s+at .+[:(]/m;

const root = await mkdtemp(join(tmpdir(), 'seam-hardening-'));
const corpus = join(root, 'corpus');
after(() => rm(root, { recursive: true, force: true }));

before(async () => {
  assertCliBuilt();
  await mkdir(corpus);
  for (const c of cases) {
    const path = join(corpus, c.file);
    if (c.make) await c.make(path);
    else await writeFile(path, c.bytes!());
  }
});

it('the corpus holds at least 60 distinct bad inputs', () => {
  const refused = cases.filter((c) => c.code !== undefined);
  assert.ok(refused.length >= 60, `${refused.length} refusal cases`);
  assert.equal(new Set(cases.map((c) => c.file)).size, cases.length, 'one file per case');
});

/** The command line that feeds this file to Seam, writing into `out`. */
function cliArgs(c: CorpusCase, input: string, out: string): string[] {
  switch (c.kind as Exclude<CorpusCase['kind'], 'project'>) {
    case 'image':
      return ['segment', input, '-o', join(out, 'alpha.png')];
    case 'video':
      return ['video', '--target', input, '--op', 'attrs', '--set', 'smile=10', '--preset', 'ultrafast', '--segment-frames', '20', '-o', join(out, 'edited.mp4')];
    case 'model':
      return ['models', 'import', input, '--task', c.task!];
    case 'sean':
      return ['models', 'import-sean', input];
  }
}

async function videoFrames(file: string): Promise<number> {
  const run = startFfmpeg(ffprobe.path, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { task: 'counting frames', stdout: true });
  let text = '';
  run.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  await run.done;
  return Number(text.trim());
}

// Two at a time: each case is its own `seam` process, mostly waiting on its own startup.
describe('bad inputs through the `seam` command', { concurrency: 2 }, () => {
  for (const c of fileCases) {
    it(`${c.kind}: ${c.id}`, { todo: c.knownBug ?? false }, async () => {
      const input = join(corpus, c.file);
      const work = await mkdtemp(join(root, 'cli-'));
      const [home, out] = [join(work, 'home'), join(work, 'out')];
      await Promise.all([mkdir(home), mkdir(out)]);
      const before = readFileSync(input);
      const run = await runSeam(cliArgs(c, input, out), { home });
      assert.equal(run.signal, null, `killed by ${run.signal}`);
      assert.doesNotMatch(run.stderr, STACK_LINE, `a stack trace, not a message:\n${run.stderr}`);
      assert.deepEqual(readFileSync(input), before, 'the input file is untouched');
      if (c.accept) {
        assert.equal(run.status, 0, run.stderr);
        const written = await filesUnder(out);
        assert.equal(written.length, 1, `one output: ${written.join(', ')}`);
        const output = join(out, written[0]!);
        if (c.kind === 'video') assert.equal(await videoFrames(output), c.accept.frames);
        else {
          const meta = await sharp(output).metadata();
          assert.deepEqual([meta.width, meta.height], [c.accept.width, c.accept.height]);
        }
        return;
      }
      assert.equal(run.status, 1, `exit status; stderr:\n${run.stderr}`);
      const lines = run.stderr.trim().split('\n').filter((l) => l.startsWith('seam: '));
      assert.equal(lines.length, 1, `one "seam: …" line on stderr:\n${run.stderr}`);
      const message = lines[0]!;
      assert.ok(message.includes(c.kind === 'model' || c.kind === 'sean' ? c.file : input), `the message names the file: ${message}`);
      assert.match(message, c.message!);
      assert.doesNotMatch(message, /Last message repeated|undefined|\[object /, message);
      assert.deepEqual(await filesUnder(out), [], 'nothing written to the output folder');
      assert.deepEqual(await filesUnder(home), [], 'nothing left in SEAM_HOME');
    });
  }
});

describe('bad inputs through the engine contract (the calls the UI makes)', () => {
  let engine: EngineWorker;
  let home = '';
  const call = (method: string, ...args: unknown[]) => engine.client.call(method, args);

  before(async () => {
    home = await mkdtemp(join(root, 'engine-home-'));
    engine = startEngineWorker({ dataDir: home });
    await engine.ready;
  });
  after(() => engine?.stop());

  /** The engine still does real work after the refusal: it opens a good photo. */
  async function assertStillServing(): Promise<void> {
    const opened = (await call('openImage', { name: 'grace_hopper.jpg', bytes: new Uint8Array(readFileSync(GOOD_PHOTO)) })) as { imageId: string; width: number };
    assert.equal(opened.width, 512);
    assert.equal(await call('closeImage', { imageId: opened.imageId }), true);
  }

  function assertRefusal(error: unknown, c: CorpusCase): true {
    assert.ok(error instanceof SeamError, `a SeamError, got ${String(error)}`);
    assert.equal(error.code, c.code, error.message);
    assert.ok(error.message.includes(basename(c.file)), `the message names the file: ${error.message}`);
    assert.match(error.message, c.message!);
    assert.doesNotMatch(error.message, new RegExp(root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the page is not told where the engine keeps files');
    return true;
  }

  /** Sends a file the way the page does: in chunks, then by its id. */
  async function upload(name: string, bytes: Uint8Array): Promise<string> {
    const { uploadId } = (await call('beginUpload', { name, size: bytes.byteLength })) as { uploadId: string };
    const chunk = 64 * 1024;
    for (let offset = 0; offset < bytes.byteLength; offset += chunk) await call('writeUpload', { uploadId, offset, bytes: bytes.slice(offset, offset + chunk) });
    return ((await call('finishUpload', { uploadId })) as { fileId: string }).fileId;
  }

  /**
   * A clip as the page handles it: opened (a probe), then rendered with an edit. Damage that only
   * decoding shows (frames overwritten) passes the open and must stop the render instead.
   */
  async function openAndRender(c: CorpusCase, fileId: string): Promise<void> {
    let videoId: string | undefined;
    try {
      const render = async () => {
        videoId = ((await call('openVideo', { fileId })) as { videoId: string }).videoId;
        const plan = { steps: [{ processor: 'attributes', options: { smile: 10 } }] };
        return (await call('renderVideo', { videoId, plan, preset: 'ultrafast' })) as { renderId: string; frames: number };
      };
      if (c.accept) {
        const result = await render();
        assert.equal(result.frames, c.accept.frames);
        await call('discardRender', { renderId: result.renderId });
      } else await assert.rejects(render(), (error) => assertRefusal(error, c));
    } finally {
      if (videoId) await call('closeVideo', { videoId });
    }
  }

  /** The contract method that takes this kind of file. */
  const OPENER: Record<Exclude<CorpusCase['kind'], 'project'>, string> = {
    image: 'openImage',
    video: 'openVideo',
    model: 'importModel',
    sean: 'importSeanModel',
  };

  for (const c of fileCases) {
    const method = OPENER[c.kind as keyof typeof OPENER];
    it(`${c.kind}: ${c.id}`, { todo: c.knownBug ?? false }, async () => {
      assert.ok((methodNames as string[]).includes(method), `the contract has a ${method} method for ${c.kind} files`);
      const bytes = new Uint8Array(readFileSync(join(corpus, c.file)));
      const before = await filesUnder(home);
      if (c.kind === 'image') {
        const attempt = call('openImage', { name: c.file, bytes });
        if (c.accept) {
          const opened = (await attempt) as { imageId: string; width: number; height: number; pixels: Uint8Array };
          assert.deepEqual([opened.width, opened.height, opened.pixels.length], [c.accept.width, c.accept.height, c.accept.width * c.accept.height * 4]);
          await call('closeImage', { imageId: opened.imageId });
        } else await assert.rejects(attempt, (error) => assertRefusal(error, c));
      } else if (bytes.byteLength === 0) {
        // An empty file never becomes an upload: the page is told before any byte is sent.
        await assert.rejects(call('beginUpload', { name: c.file, size: 0 }), (e: unknown) => e instanceof SeamError && e.code === 'VALIDATION');
      } else {
        const fileId = await upload(c.file, bytes);
        try {
          if (c.kind === 'video') await openAndRender(c, fileId);
          else {
            const args = c.kind === 'model' ? { fileId, task: c.task } : { fileId };
            if (c.accept) await call(method, args);
            else await assert.rejects(call(method, args), (error) => assertRefusal(error, c));
          }
        } finally {
          await call('discardUpload', { id: fileId });
        }
      }
      await assertStillServing();
      assert.deepEqual(await filesUnder(home), before, 'nothing left in the engine’s data folder');
    });
  }
});

describe('damaged and future-version projects through parseProject (what the page calls to open a .seam)', () => {
  for (const c of cases.filter((k) => k.kind === 'project')) {
    it(c.id, async () => {
      await assert.rejects(parseProject(c.file, new Uint8Array(readFileSync(join(corpus, c.file))), projectHashing), (error: unknown) => {
        assert.ok(error instanceof SeamError, `a SeamError, got ${String(error)}`);
        assert.equal(error.code, c.code, error.message);
        assert.ok(error.message.startsWith(c.file), `the message names the file: ${error.message}`);
        assert.match(error.message, c.message!);
        return true;
      });
    });
  }
});
