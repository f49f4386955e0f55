// Faces that enter a 720p clip while another is already followed. The tracker's periodic check
// then runs the frame-wide models and one tile at a time (face-tracker.ts), so what a user
// notices is bounded: a face big enough for the frame-wide models gets its track within
// `detectEvery` frames of entering, a small one (only tiles see it) within `detectEvery` × the
// tile count. The clip is made here with ffmpeg from the fixture clip of a man talking, pasted
// three times as picture-in-picture on a plain background: a small one there from the start,
// a large one and another small one both appearing at 1 s.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { locateFfmpeg } from '../../src/engine/media/locate-ffmpeg';
import { runFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { squareTiles } from '../../src/engine/vision/faces/face-detector';
import type { Box } from '../../src/engine/vision/faces/face-types';
import { DEFAULT_TRACKER_SETTINGS } from '../../src/engine/vision/tracking/tracker-settings';
import { trackVideo, type VideoTracks } from '../../src/engine/vision/tracking/track-video';
import { testPipeline, WEBCAM_CLIP, webcamBox, type WebcamPicture } from './faces-fixtures';

const RATE = 25;
const SECONDS = 5;
const ENTERS_AT_FRAME = RATE;

interface Picture extends WebcamPicture {
  /** Shown from this second on. */
  from: number;
}

/** Face about 65 px wide, from the start. */
const FOLLOWED: Picture = { x: 1016, y: 476, scale: 0.6, from: 0 };
/** Face about 160 px wide (the frame-wide models see it), from 1 s. */
const LARGE: Picture = { x: 80, y: 150, scale: 1.5, from: 1 };
/** Face about 65 px wide (only the tiles see it), from 1 s. */
const SMALL: Picture = { x: 760, y: 40, scale: 0.6, from: 1 };

function centreInside(box: Box, frame: Box): boolean {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return cx > frame.x && cx < frame.x + frame.width && cy > frame.y && cy < frame.y + frame.height;
}

async function threePictures(output: string): Promise<void> {
  const ffmpeg = await locateFfmpeg();
  const pictures = [FOLLOWED, LARGE, SMALL];
  const graph = [
    // The fixture clip is 4 s long: looped (-stream_loop) so every picture lasts to the end.
    `[1]split=${pictures.length}${pictures.map((_, i) => `[s${i}]`).join('')}`,
    ...pictures.map((p, i) => `[s${i}]scale=${webcamBox(p).width}:${webcamBox(p).height},setsar=1[p${i}]`),
    ...pictures.map((p, i) => {
      const below = i === 0 ? '[0]' : `[o${i - 1}]`;
      const out = i === pictures.length - 1 ? ',format=yuv420p[v]' : `[o${i}]`;
      return `${below}[p${i}]overlay=x=${p.x}:y=${p.y}:enable='gte(t,${p.from})'${out}`;
    }),
  ].join(';');
  await runFfmpeg(
    ffmpeg.path,
    [
      '-hide_banner', '-nostdin', '-v', 'error', '-y',
      '-f', 'lavfi', '-i', `color=c=0xdfe3e8:s=1280x720:r=${RATE}:d=${SECONDS}`,
      '-stream_loop', '-1', '-i', WEBCAM_CLIP,
      '-filter_complex', graph, '-map', '[v]',
      '-t', String(SECONDS), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20',
      output,
    ],
    { task: 'making the clip with faces entering' },
  );
}

const { pipeline, pool } = testPipeline();
const tempDir = await mkdtemp(join(tmpdir(), 'seam-entering-faces-'));
after(async () => {
  await pool.releaseAll();
  await rm(tempDir, { recursive: true, force: true });
});

describe('faces entering a 720p clip while one is followed', () => {
  const clip = join(tempDir, 'three-pictures.mp4');
  let result: VideoTracks;
  /** The first frame each picture's face is on, under its track id. */
  const firstSeen = new Map<Picture, { frame: number; trackId: number }>();

  before(async () => {
    await threePictures(clip);
    result = await trackVideo(pipeline, clip, { logger: silentLogger });
    for (const frame of result.frames) {
      for (const face of frame.faces) {
        const picture = [FOLLOWED, LARGE, SMALL].find((p) => centreInside(face.box, webcamBox(p)));
        if (picture && !firstSeen.has(picture)) firstSeen.set(picture, { frame: frame.index, trackId: face.trackId });
      }
    }
  });

  it('follows the face that is there from the start, from the first frame', (t) => {
    const found = [FOLLOWED, LARGE, SMALL].map((p) => firstSeen.get(p));
    t.diagnostic(`first frames: ${found.map((f) => (f ? `${f.frame} (track ${f.trackId})` : 'never')).join(', ')}; detector runs ${result.stats.detectorRuns}`);
    assert.equal(result.frames.length, RATE * SECONDS);
    assert.deepEqual(firstSeen.get(FOLLOWED), { frame: 0, trackId: 1 });
  });

  it('gives a large face that enters its own track within detectEvery frames', () => {
    const seen = firstSeen.get(LARGE);
    assert.ok(seen, 'the large face is found');
    assert.notEqual(seen.trackId, 1);
    assert.ok(seen.frame >= ENTERS_AT_FRAME && seen.frame <= ENTERS_AT_FRAME + DEFAULT_TRACKER_SETTINGS.detectEvery, `found on frame ${seen.frame}`);
  });

  it('gives a small face that enters its own track within detectEvery × tiles frames, and keeps it', () => {
    const seen = firstSeen.get(SMALL);
    const tiles = squareTiles(1280, 720).length;
    assert.ok(seen, 'the small face is found');
    assert.ok(seen.frame >= ENTERS_AT_FRAME && seen.frame <= ENTERS_AT_FRAME + DEFAULT_TRACKER_SETTINGS.detectEvery * tiles, `found on frame ${seen.frame}`);
    const followedAfter = result.frames.slice(seen.frame).filter((f) => f.faces.some((face) => face.trackId === seen.trackId)).length;
    assert.ok(followedAfter >= (result.frames.length - seen.frame) * 0.95, `followed on ${followedAfter} frames after it was found`);
  });

  it('ran the detector only on its periodic checks: no face was lost', () => {
    assert.equal(result.stats.tracksStarted, 3);
    assert.ok(result.stats.detectorRuns <= RATE * SECONDS / DEFAULT_TRACKER_SETTINGS.detectEvery + 1, `${result.stats.detectorRuns} detector runs`);
  });
});
