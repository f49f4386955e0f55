/**
 * The video workspace, end to end, as a user works: the real renderer in Debian's Chromium,
 * served by the web host, talking over the contract to the real engine. A 30-frame talking-head
 * clip with a tone (made at test time from cap12_cut.mp4 with ffmpeg) is opened through the Open
 * button; the thumbnails appear; the playhead is scrubbed by keys and by dragging; the faces are
 * tracked and one is picked on the frame; an attribute edit gets two keyframes; the previewed
 * frame differs from the source inside that face only; a second operation stacked on the first
 * changes that face further, and removing it brings the first alone back; the render runs to 100 % and the saved
 * file has every frame and the sound; the dialog offers the codecs this ffmpeg has, each with its
 * own controls, and a render with another codec writes that codec. A screenshot of each step goes to test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { availableVideoCodecs } from '../src/engine/media/ffmpeg-encoders';
import { locateFfmpeg } from '../src/engine/media/locate-ffmpeg';
import { VIDEO_CODEC_FACTS, type VideoCodec } from '../src/shared/video-codecs';
import { openEditorInChromium, type EditorInChromium } from '../test/support/web-host';

const artefacts = join(process.cwd(), 'test-results', 'e2e');
const shot = (page: Page, name: string) => page.screenshot({ path: join(artefacts, `video-${name}.png`) });
const FRAMES = 30;
const CANVAS = '[data-testid="video-canvas"]';

/** 1.2 s (30 frames at 25 fps) of the talking-head clip with a 440 Hz tone as its sound. */
function makeClip(folder: string): string {
  const out = join(folder, 'talk.mp4');
  const source = join(process.cwd(), 'test', 'fixtures', 'media', 'cap12_cut.mp4');
  execFileSync('ffmpeg', [
    '-v', 'error', '-i', source, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-frames:v', String(FRAMES), '-t', '1.2', '-map', '0:v', '-map', '1:a',
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', out,
  ]);
  return out;
}

function probe(file: string): { frames: number; audio: boolean; codec: string } {
  const json = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,codec_name,nb_read_frames', '-of', 'json', file], { encoding: 'utf8' }),
  ) as { streams: Array<{ codec_type: string; codec_name: string; nb_read_frames?: string }> };
  const video = json.streams.find((s) => s.codec_type === 'video');
  return { frames: Number(video?.nb_read_frames ?? 0), audio: json.streams.some((s) => s.codec_type === 'audio'), codec: video?.codec_name ?? '' };
}

/** Polls a page expression until it is true (waitForFunction would eval inside the page, which its CSP forbids). */
async function until(page: Page, expression: string, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) {
      const said = await page.evaluate(`[...document.querySelectorAll('[role="alert"]')].map((e) => e.textContent.trim()).join(' | ')`);
      throw new Error(`gave up waiting for ${what}${said ? `; the page says: ${String(said)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const frameIndex = async (page: Page) => Number(await page.getByTestId('frame-index').textContent());

/** Waits until the canvas shows `frame` and no newer request is on its way. */
async function frameShown(page: Page, frame: number, edited: boolean): Promise<void> {
  await until(
    page,
    `(() => { const c = document.querySelector(${JSON.stringify(CANVAS)}); return !!c && c.dataset.frame === '${frame}' && c.dataset.edited === '${edited}' && !document.body.textContent.includes('Updating frame…'); })()`,
    `frame ${frame} (${edited ? 'edited' : 'source'})`,
  );
}

async function snapshot(page: Page, name: string): Promise<void> {
  await page.evaluate(`(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const c = document.querySelector(${JSON.stringify(CANVAS)});
    window.__videoSnapshots = window.__videoSnapshots || {};
    window.__videoSnapshots[${JSON.stringify(name)}] = c.getContext('2d').getImageData(0, 0, c.width, c.height).data.slice();
  })()`);
}

/** Changed pixels between two snapshots (image pixels: the canvas is at the clip's size), inside and outside a box. */
async function diff(page: Page, a: string, b: string, box: { x: number; y: number; width: number; height: number }) {
  return (await page.evaluate(`(() => {
    const c = document.querySelector(${JSON.stringify(CANVAS)});
    const A = window.__videoSnapshots[${JSON.stringify(a)}], B = window.__videoSnapshots[${JSON.stringify(b)}];
    const box = ${JSON.stringify(box)};
    let inside = 0, outside = 0;
    for (let i = 0; i < A.length; i += 4) {
      if (Math.abs(A[i] - B[i]) + Math.abs(A[i + 1] - B[i + 1]) + Math.abs(A[i + 2] - B[i + 2]) <= 6) continue;
      const p = i / 4, x = p % c.width, y = Math.floor(p / c.width);
      if (x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height) inside++; else outside++;
    }
    return { inside, outside };
  })()`)) as { inside: number; outside: number };
}

describe('the video workspace in Chromium, against the real engine', () => {
  let editor: EditorInChromium | undefined;
  let page: Page;
  let folder: string;
  let clip: string;
  let pageErrors: string[] = [];

  before(async () => {
    mkdirSync(artefacts, { recursive: true });
    folder = mkdtempSync(join(tmpdir(), 'seam-video-e2e-'));
    clip = makeClip(folder);
    editor = await openEditorInChromium({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    ({ page, pageErrors } = editor);
  });

  after(async () => {
    await editor?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('opens the clip from the Open button as a tab, with thumbnails on the timeline', async () => {
    await page.getByTestId('open-input').setInputFiles(clip);
    await page.getByRole('tab', { name: /talk\.mp4/ }).waitFor({ timeout: 60_000 });
    await until(page, `[...document.querySelectorAll('[data-testid="timeline"] img')].filter((i) => i.complete && i.naturalWidth > 0).length >= 2`, 'thumbnails');
    await frameShown(page, 0, false);
    assert.equal(await frameIndex(page), 0);
    assert.match((await page.getByTestId('frame-readout').textContent()) ?? '', new RegExp(`of ${FRAMES}`));
    await shot(page, '01-opened');
    assert.deepEqual(pageErrors, []);
  });

  it('scrubs frame by frame with the keys and by dragging the timeline', async () => {
    const strip = page.getByRole('slider', { name: /Timeline/ });
    await strip.focus();
    await page.keyboard.press('End');
    assert.equal(await frameIndex(page), FRAMES - 1);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    assert.equal(await frameIndex(page), 1);
    await page.keyboard.press('Shift+ArrowRight');
    assert.equal(await frameIndex(page), 11);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await frameIndex(page), 10);
    await frameShown(page, 10, false);

    // A drag from the first quarter to the middle of the strip ends on the middle frame.
    const box = await strip.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5 + 1, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    assert.equal(await frameIndex(page), FRAMES / 2);
    await frameShown(page, FRAMES / 2, false);
    assert.equal(await strip.getAttribute('aria-valuenow'), String(FRAMES / 2));
    await shot(page, '02-scrubbed');
  });

  it('tracks the faces and picks one by clicking it on the frame', async () => {
    await page.getByRole('button', { name: 'Find faces in the clip', exact: true }).click();
    const face = page.locator(`${CANVAS} ~ button.face[data-track-id]:not([data-track-id=""])`).first();
    await face.waitFor({ timeout: 180_000 });
    const trackId = await face.getAttribute('data-track-id');
    await face.click();
    assert.equal(await face.getAttribute('aria-pressed'), 'true');
    assert.ok(await page.getByRole('radio', { name: new RegExp(`^Face ${trackId}\\b`) }).isChecked());
    await shot(page, '03-face-picked');
  });

  it('keyframes an attribute slider at two frames and reads the interpolated value between them', async () => {
    await page.getByLabel('Operation').selectOption('attributes');
    await page.getByTestId('video-options').waitFor();
    const strip = page.getByRole('slider', { name: /Timeline/ });
    await strip.focus();
    await page.keyboard.press('Home');
    await page.getByRole('button', { name: 'Keyframe Eye size at frame 0' }).click();
    await strip.focus();
    await page.keyboard.press('End');
    await page.getByLabel('Eye size', { exact: true }).fill('100');
    assert.equal(await page.getByTestId('keyframe-mark').count(), 2, 'two diamonds on the timeline');

    await strip.focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowRight');
    // 15 of 29 frames from 0 to 100.
    assert.match((await page.getByTestId('keyed-eyeSize').textContent()) ?? '', /^51\.7 at frame 15/);
    assert.equal(await page.getByLabel('Eye size', { exact: true }).inputValue(), String(Math.round((15 / 29) * 100)));
    await shot(page, '04-keyframes');
  });

  it('previews the edited frame, changed inside the picked face and nowhere else', async () => {
    const strip = page.getByRole('slider', { name: /Timeline/ });
    await strip.focus();
    await page.keyboard.press('End');
    await frameShown(page, FRAMES - 1, true);
    await snapshot(page, 'edited');
    await shot(page, '05-edited');
    const face = page.locator(`${CANVAS} ~ button.face[aria-pressed="true"]`);
    const [x, y, width, height] = ((await face.getAttribute('data-face-box')) ?? '').split(',').map(Number) as [number, number, number, number];

    await page.getByLabel('Show source').check();
    await frameShown(page, FRAMES - 1, false);
    await snapshot(page, 'source');
    await page.getByLabel('Show source').uncheck();
    await frameShown(page, FRAMES - 1, true);

    // The eyes sit well inside the face's box; the warp's falloff may reach a little past it.
    const margin = 0.25;
    const grown = { x: x - width * margin, y: y - height * margin, width: width * (1 + 2 * margin), height: height * (1 + 2 * margin) };
    const changed = await diff(page, 'edited', 'source', grown);
    assert.ok(changed.inside > 200, `the eyes grew: ${changed.inside} pixels changed in the face`);
    assert.equal(changed.outside, 0, 'nothing changed outside the face');
  });

  it('stacks a second operation on the first, changing the face further and nothing else, and removes it again', async () => {
    // The playhead is on the last frame, which the 'edited' snapshot shows with the first operation alone.
    const face = page.locator(`${CANVAS} ~ button.face[aria-pressed="true"]`);
    const [x, y, width, height] = ((await face.getAttribute('data-face-box')) ?? '').split(',').map(Number) as [number, number, number, number];
    const grown = { x: x - width * 0.25, y: y - height * 0.25, width: width * 1.5, height: height * 1.5 };

    await page.getByLabel('Operation 2', { exact: true }).selectOption('attributes');
    const second = page.getByTestId('video-options-2');
    await second.waitFor();
    await second.getByLabel('Smile', { exact: true }).fill('100');
    await frameShown(page, FRAMES - 1, true);
    await snapshot(page, 'stacked');
    await shot(page, '05b-two-operations');
    const changed = await diff(page, 'stacked', 'edited', grown);
    assert.ok(changed.inside > 100, `the smile came on top of the eyes: ${changed.inside} pixels changed in the face`);
    assert.equal(changed.outside, 0, 'nothing changed outside the face');
    assert.equal(await page.getByTestId('keyframe-mark').count(), 2, 'the first operation keeps its keyframes');

    await page.getByRole('button', { name: 'Remove operation 2' }).click();
    await frameShown(page, FRAMES - 1, true);
    await snapshot(page, 'unstacked');
    const whole = { x: 0, y: 0, width: 1e6, height: 1e6 };
    assert.deepEqual(await diff(page, 'unstacked', 'edited', whole), { inside: 0, outside: 0 }, 'back to the first operation alone');
  });

  it('renders with progress to 100 % and saves a file with every frame and the sound', async () => {
    await page.getByRole('button', { name: 'Render…' }).click();
    const dialog = page.getByTestId('render-dialog');
    await dialog.getByLabel('Preset').selectOption('ultrafast');
    await shot(page, '06-render-dialog');
    const download = page.waitForEvent('download', { timeout: 300_000 });
    await dialog.getByRole('button', { name: 'Render', exact: true }).click();
    await page.getByTestId('render-bar').waitFor();
    const saved = join(folder, 'rendered.mp4');
    await (await download).saveAs(saved);
    await page.locator('[data-testid="render-bar"][data-phase="saved"]').waitFor({ timeout: 60_000 });
    const bar = page.getByTestId('render-progress');
    assert.equal(await bar.getAttribute('value'), String(FRAMES));
    assert.equal(await bar.getAttribute('max'), String(FRAMES));
    assert.match((await page.getByTestId('render-bar').textContent()) ?? '', /100%/);
    await shot(page, '07-rendered');

    const result = probe(saved);
    assert.equal(result.frames, FRAMES, 'every frame of the clip');
    assert.ok(result.audio, 'the sound is kept');
    assert.equal(result.codec, 'h264', 'H.264 unless another codec is chosen');
    assert.deepEqual(pageErrors, []);
  });

  it('offers the codecs this ffmpeg has, each with its own controls, and renders with the one chosen', async () => {
    const available = await availableVideoCodecs(await locateFfmpeg());
    await page.getByRole('button', { name: 'Render…' }).click();
    const dialog = page.getByTestId('render-dialog');
    const codec = dialog.getByLabel('Codec');
    const options = (select: ReturnType<Page['getByLabel']>) => select.locator('option').allTextContents();
    // The dialog shows the chosen codec until the engine's list arrives.
    await until(page, `document.querySelector('[data-testid="render-dialog"] select')?.options.length === ${available.length}`, 'the engine’s codec list');
    assert.deepEqual(await options(codec), available.map((c) => VIDEO_CODEC_FACTS[c].label));

    if (available.includes('prores_ks')) {
      await codec.selectOption('prores_ks');
      assert.deepEqual(await options(dialog.getByLabel('Container')), ['QuickTime (MOV)'], 'ProRes goes in QuickTime only');
      assert.equal(await dialog.getByLabel('Quality (CRF)').count(), 0, 'ProRes has no CRF');
      assert.deepEqual(await options(dialog.getByLabel('Profile')), ['Proxy', 'LT', '422', 'HQ']);
    }
    const chosen = available.includes('libsvtav1') ? 'libsvtav1' : available.includes('libvpx-vp9') ? 'libvpx-vp9' : available.find((c) => c !== 'libx264' && c !== 'prores_ks');
    assert.ok(chosen, `this ffmpeg offers a codec besides x264 and ProRes (it has ${available.join(', ')})`);
    const facts = VIDEO_CODEC_FACTS[chosen];
    await codec.selectOption(chosen);
    assert.deepEqual(await options(dialog.getByLabel('Container')), facts.containers.map((c) => ({ mp4: 'MP4', mov: 'QuickTime (MOV)', mkv: 'Matroska (MKV)' })[c]));
    const crf = dialog.getByLabel('Quality (CRF)');
    assert.deepEqual([await crf.getAttribute('max'), await crf.inputValue()], [String(facts.crf!.max), String(facts.crf!.default)], 'the slider is the codec’s own scale, at its default');
    assert.deepEqual(await options(dialog.getByLabel('Preset')), [...facts.presets!.names]);
    await dialog.getByLabel('Container').selectOption(facts.containers.at(-1)!);
    await dialog.getByLabel('Preset').selectOption(facts.presets!.names[0]!);
    await shot(page, '08-render-dialog-codec');
    const download = page.waitForEvent('download', { timeout: 300_000 });
    await dialog.getByRole('button', { name: 'Render', exact: true }).click();
    const saved = join(folder, `rendered.${facts.containers.at(-1)}`);
    await (await download).saveAs(saved);
    await page.locator('[data-testid="render-bar"][data-phase="saved"]').waitFor({ timeout: 60_000 });
    const result = probe(saved);
    const streamCodec: Record<VideoCodec, string> = { libx264: 'h264', libx265: 'hevc', 'libvpx-vp9': 'vp9', libsvtav1: 'av1', prores_ks: 'prores' };
    assert.deepEqual([result.codec, result.frames, result.audio], [streamCodec[chosen], FRAMES, true]);
    assert.deepEqual(pageErrors, []);
  });
});
