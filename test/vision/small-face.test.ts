// A small webcam face in a 720p screen recording: the check the video feature must pass is "a
// 720p screen recording with a small webcam face and sound". The recording is made here with
// ffmpeg (a desktop with a moving test-pattern window and a moving pointer, the fixture clip of a
// man talking shrunk into a picture-in-picture in a corner, a 440 Hz tone as its sound), so no
// derived clip is stored. The webcam face is about 50–70 px wide on a 1280-px frame: the short-range
// model sees it at about 7 input pixels, so only the full-range tiles find it.
//
// Where the face should be is known exactly: the picture-in-picture is the fixture clip scaled by
// a known factor and pasted at a known place, so the fixture clip's own tracked mesh, mapped by
// that scale and offset, is where the small face's mesh belongs on every frame.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { FrameAnalyzer } from '../../src/engine/edit/frame-analysis';
import { decodeImage } from '../../src/engine/image/decode';
import { locateFfmpeg } from '../../src/engine/media/locate-ffmpeg';
import { probeMedia, runFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { resolvePaths } from '../../src/engine/paths';
import { trackClip } from '../../src/engine/video/clip-tracks';
import type { Box, Landmark } from '../../src/engine/vision/faces/face-types';
import type { TrackedFace, TrackerStats } from '../../src/engine/vision/tracking/face-tracker';
import { trackVideo, type VideoTracks } from '../../src/engine/vision/tracking/track-video';
import { testPipeline, WEBCAM_CLIP, webcamBox, type WebcamPicture } from './faces-fixtures';

const FRAMES = 100;
/** Points that move with the skull only (eye corners, nose bridge and tip, forehead, cheeks): jaw and lips move when talking. */
const RIGID_POINTS = [33, 133, 362, 263, 1, 6, 168, 10, 151, 234, 454];

const CORNER_WEBCAM: WebcamPicture = { x: 1016, y: 476, scale: 0.6 };
/** A smaller one top-left: the face is about 50 px wide. */
const SMALL_WEBCAM: WebcamPicture = { x: 24, y: 24, scale: 0.45 };

/**
 * A 4-second 1280×720 25 fps "screen recording" (H.264 + AAC): a light desktop with a taskbar, a
 * window showing ffmpeg's moving test pattern that scrolls, a pointer sliding across, and the
 * webcam clip in a picture-in-picture; or, for a `.png` output, its frame at 2 s.
 */
async function screenRecording(output: string, webcam: WebcamPicture): Promise<void> {
  const ffmpeg = await locateFfmpeg();
  const { width, height } = webcamBox(webcam);
  const still = output.endsWith('.png');
  const graph = [
    '[0]drawbox=x=0:y=680:w=1280:h=40:color=0x30343a:t=fill,drawbox=x=60:y=40:w=780:h=30:color=0x3b6fd4:t=fill[desktop]',
    "[desktop][1]overlay=x=70:y='70+mod(t*40,60)'[window]",
    "[window][2]overlay=x='200+t*120':y='300+t*40'[pointer]",
    `[3]scale=${width}:${height},setsar=1[webcam]`,
    `[pointer][webcam]overlay=x=${webcam.x}:y=${webcam.y}:shortest=1,format=yuv420p[v]`,
  ].join(';');
  await runFfmpeg(
    ffmpeg.path,
    [
      '-hide_banner', '-nostdin', '-v', 'error', '-y',
      '-f', 'lavfi', '-i', 'color=c=0xdfe3e8:s=1280x720:r=25:d=4',
      '-f', 'lavfi', '-i', 'testsrc2=s=760x430:r=25:d=4',
      '-f', 'lavfi', '-i', 'color=c=white:s=14x20:r=25:d=4',
      '-i', WEBCAM_CLIP,
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=4',
      '-filter_complex', graph, '-map', '[v]',
      ...(still
        ? ['-ss', '2', '-frames:v', '1']
        : ['-map', '4:a', '-t', '4', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-c:a', 'aac', '-b:a', '64k']),
      output,
    ],
    { task: 'making the screen recording' },
  );
}

/** The fixture clip's mesh point, moved to where the picture-in-picture shows it. */
function onScreen(point: Landmark, webcam: WebcamPicture): { x: number; y: number } {
  return { x: webcam.x + point.x * webcam.scale, y: webcam.y + point.y * webcam.scale };
}

/** Mean distance of the skull points from where they belong, as a fraction of the face's width there. */
function meshError(points: readonly Landmark[], reference: readonly Landmark[], webcam: WebcamPicture): number {
  const xs = reference.map((p) => p.x);
  const faceWidth = (Math.max(...xs) - Math.min(...xs)) * webcam.scale;
  const sum = RIGID_POINTS.reduce((s, i) => {
    const want = onScreen(reference[i]!, webcam);
    return s + Math.hypot(points[i]!.x - want.x, points[i]!.y - want.y);
  }, 0);
  return sum / RIGID_POINTS.length / faceWidth;
}

function within(box: Box, frame: Box): boolean {
  return box.x >= frame.x && box.y >= frame.y && box.x + box.width <= frame.x + frame.width && box.y + box.height <= frame.y + frame.height;
}

const { pipeline, pool } = testPipeline();
const tempDir = await mkdtemp(join(tmpdir(), 'seam-small-face-'));
after(async () => {
  await pool.releaseAll();
  await rm(tempDir, { recursive: true, force: true });
});

describe('a small webcam face in a 720p screen recording', () => {
  const recording = join(tempDir, 'screen-recording.mp4');
  /** The fixture clip tracked on its own, at full size: where the face is on each frame. */
  let reference: VideoTracks;

  before(async () => {
    await screenRecording(recording, CORNER_WEBCAM);
    reference = await trackVideo(pipeline, WEBCAM_CLIP, { logger: silentLogger });
  });

  it('is the clip the check describes: 1280×720, 25 fps, 4 s, with sound', async () => {
    const probe = await probeMedia(recording);
    assert.deepEqual([probe.video?.displayWidth, probe.video?.displayHeight], [1280, 720]);
    assert.equal(probe.video?.realFrameRate?.value, 25);
    assert.equal(probe.audioStreams.length, 1);
    assert.ok(Math.abs(probe.durationSeconds! - 4) < 0.1, `duration ${probe.durationSeconds}`);
    assert.equal(reference.frames.filter((f) => f.faces.length === 1).length, FRAMES, 'the fixture clip has its face on every frame');
  });

  for (const [label, webcam] of [['bottom-right, face ~65 px', CORNER_WEBCAM], ['top-left, face ~50 px', SMALL_WEBCAM]] as const) {
    it(`finds the webcam face in a still of the recording (${label}), landmarks on the face`, async (t) => {
      const stillPath = join(tempDir, `still-${webcam.x}.png`);
      await screenRecording(stillPath, webcam);
      const still = await decodeImage(stillPath);
      const faces = await pipeline.analyze(still);
      assert.equal(faces.length, 1, `faces at ${JSON.stringify(faces.map((f) => f.detection.box))}`);
      const { detection, landmarks } = faces[0]!;
      assert.ok(within(detection.box, webcamBox(webcam)), `box ${JSON.stringify(detection.box)} inside the webcam ${JSON.stringify(webcamBox(webcam))}`);
      assert.ok(detection.box.width > 40 && detection.box.width < 90, `face ${detection.box.width.toFixed(0)} px wide`);
      assert.ok(landmarks, 'the landmark model accepts the small face');
      const error = meshError(landmarks.points, reference.frames[50]!.faces[0]!.landmarks, webcam);
      t.diagnostic(`still ${label}: face ${detection.box.width.toFixed(0)} px, mesh error ${(error * 100).toFixed(2)} %`);
      assert.ok(error < 0.05, `skull points off by ${(error * 100).toFixed(1)} % of the face width`);
      // The face is small enough that the models on the whole frame miss it: it is the tiles that find it.
      assert.deepEqual(await pipeline.detect(still, { strategy: 'short-range' }), [], 'short-range model on the whole frame');
      assert.deepEqual(await pipeline.detect(still, { strategy: 'both' }), [], 'both models on the whole frame, no tiles');
    });
  }

  it('the photo editor finds it too: its analysis of a 1280×720 screenshot searches the picture closely enough', async () => {
    const stillPath = join(tempDir, 'screenshot.png');
    await screenRecording(stillPath, CORNER_WEBCAM);
    const analysis = new FrameAnalyzer({ paths: resolvePaths(), pool, logger: silentLogger }).analyze(await decodeImage(stillPath));
    const faces = await analysis.meshedFaces();
    assert.equal(faces.length, 1, `faces at ${JSON.stringify(faces.map((f) => f.detection.box))}`);
    assert.ok(within(faces[0]!.detection.box, webcamBox(CORNER_WEBCAM)), `box ${JSON.stringify(faces[0]!.detection.box)} inside the webcam`);
    const error = meshError(faces[0]!.landmarks.points, reference.frames[50]!.faces[0]!.landmarks, CORNER_WEBCAM);
    assert.ok(error < 0.05, `skull points off by ${(error * 100).toFixed(1)} % of the face width`);
  });

  it('follows the webcam face through the clip with one track id, its mesh on the face (seam track)', async (t) => {
    const result = await trackVideo(pipeline, recording, { logger: silentLogger });
    assertFollowed(result.frames, result.stats, t);
  });

  it("follows it the same way in the app's clip tracking (the video editor's decode and tracker)", async (t) => {
    const ffmpeg = await locateFfmpeg();
    const tracks = await trackClip(pipeline, { ffmpeg, input: recording, width: 1280, height: 720, frameRateValue: 25, expectedFrames: FRAMES }, { logger: silentLogger });
    const frames = Array.from({ length: tracks.frameCount }, (_, index) => ({ index, faces: tracks.facesAt(index) }));
    assertFollowed(frames, tracks.stats, t);
  });

  /** What a user checks in the editor: the face on (nearly) every frame, one id, the box and mesh on the webcam face. */
  function assertFollowed(frames: ReadonlyArray<{ index: number; faces: readonly TrackedFace[] }>, stats: TrackerStats, t: TestContext): void {
    assert.equal(frames.length, FRAMES);
    const webcam = webcamBox(CORNER_WEBCAM);
    const withFace = frames.filter((f) => f.faces.length > 0);
    const ids = new Set(withFace.flatMap((f) => f.faces.map((face) => face.trackId)));
    const errors = withFace.map((f) => meshError(f.faces[0]!.landmarks, reference.frames[f.index]!.faces[0]!.landmarks, CORNER_WEBCAM));
    const sorted = [...errors].sort((a, b) => a - b);
    t.diagnostic(
      `face on ${withFace.length}/${FRAMES} frames, track ids ${[...ids].join(', ')}, detector runs ${stats.detectorRuns}, ` +
        `mesh error median ${((sorted[sorted.length >> 1] ?? Number.NaN) * 100).toFixed(1)} %, worst ${((sorted.at(-1) ?? Number.NaN) * 100).toFixed(1)} %`,
    );
    assert.ok(withFace.length >= FRAMES * 0.95, `face on ${withFace.length} of ${FRAMES} frames`);
    assert.deepEqual([...ids], [1], 'one track id');
    for (const frame of withFace) {
      assert.equal(frame.faces.length, 1, `frame ${frame.index}: one face (nothing in the screen content)`);
      assert.ok(within(frame.faces[0]!.box, webcam), `frame ${frame.index}: box ${JSON.stringify(frame.faces[0]!.box)} inside the webcam`);
    }
    const onFace = errors.filter((e) => e < 0.05).length;
    assert.ok(onFace >= FRAMES * 0.95, `mesh on the face (skull points within 5 % of its width) on ${onFace} frames`);
    // Followed by its landmarks: the detector (ten model runs at 720p) runs only every 10 frames.
    assert.equal(stats.tracksStarted, 1);
    assert.ok(stats.detectorRuns <= FRAMES / 10 + 1, `${stats.detectorRuns} detector runs`);
  }
});
