/**
 * `seam track <video>`: faces followed through a video, with stable ids, per frame. `--json`
 * prints every frame (with `--landmarks`, every smoothed mesh point); otherwise a summary of the
 * tracks. Ctrl-C stops decoding and tracking cleanly.
 */
import { Command, InvalidArgumentError } from 'commander';
import { SessionPool } from '../../engine/inference/session-pool';
import { FacePipeline } from '../../engine/vision/faces/face-pipeline';
import { pointsToJson } from '../../engine/vision/faces/face-json';
import type { TrackedFace } from '../../engine/vision/tracking/face-tracker';
import { trackVideo, type VideoTracks } from '../../engine/vision/tracking/track-video';
import type { FaceCommandDeps } from './detect';

function number(name: string, min: number, max: number, whole: boolean) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
      throw new InvalidArgumentError(`${name} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}.`);
    }
    return value;
  };
}

interface TrackOptions {
  json?: boolean;
  landmarks?: boolean;
  smoothing: number;
  detectEvery: number;
  maxLost: number;
}

export function trackCommand(deps: FaceCommandDeps & { signal?: AbortSignal }): Command {
  return new Command('track')
    .description('follow the faces through a video: a stable id, box and score for each face in each frame')
    .argument('<video>', 'the video (anything ffmpeg reads)')
    .option('--json', 'print every frame as JSON')
    .option('--landmarks', 'with --json: include each face’s 468 smoothed landmarks')
    .option('--smoothing <amount>', 'landmark smoothing, 0 (off) to 1 (heavy)', number('--smoothing', 0, 1, false), 0.5)
    .option('--detect-every <frames>', 'also run the face detector every N frames to catch faces that enter (0: only when a face is lost)', number('--detect-every', 0, 100000, true), 10)
    .option('--max-lost <frames>', 'frames a face may vanish for and keep its id', number('--max-lost', 0, 100000, true), 15)
    .action(async (path: string, options: TrackOptions) => {
      const stdout = deps.stdout ?? process.stdout;
      const controller = new AbortController();
      const onInterrupt = () => controller.abort();
      if (!deps.signal) process.once('SIGINT', onInterrupt);
      const signal = deps.signal ?? controller.signal;
      const pool = new SessionPool({ logger: deps.logger });
      try {
        const pipeline = FacePipeline.create({ paths: deps.paths, pool, logger: deps.logger });
        const result = await trackVideo(pipeline, path, { logger: deps.logger, signal }, {
          bundledFfmpegDir: deps.paths.bundledFfmpegDir,
          settings: { smoothing: options.smoothing, detectEvery: options.detectEvery, maxLostFrames: options.maxLost },
        });
        stdout.write(options.json ? `${JSON.stringify(tracksToJson(result, options.landmarks === true))}\n` : formatTracks(path, result));
      } finally {
        process.removeListener('SIGINT', onInterrupt);
        await pool.releaseAll();
      }
    });
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function faceToJson(face: TrackedFace, withLandmarks: boolean) {
  const json = {
    trackId: face.trackId,
    box: { x: round1(face.box.x), y: round1(face.box.y), width: round1(face.box.width), height: round1(face.box.height) },
    score: Math.round(face.score * 1000) / 1000,
    source: face.source,
  };
  if (!withLandmarks) return json;
  return { ...json, landmarks: pointsToJson(face.landmarks) };
}

export function tracksToJson(result: VideoTracks, withLandmarks: boolean) {
  const { oneEuro, ...settings } = result.settings;
  return {
    video: { path: result.file, width: result.width, height: result.height, fps: result.fps, frames: result.frames.length },
    settings: { ...settings, oneEuro },
    stats: result.stats,
    frames: result.frames.map((f) => ({ index: f.index, time: Math.round(f.timeSeconds * 1000) / 1000, faces: f.faces.map((face) => faceToJson(face, withLandmarks)) })),
  };
}

export function formatTracks(path: string, result: VideoTracks): string {
  const spans = new Map<number, { first: number; last: number; frames: number }>();
  for (const frame of result.frames) {
    for (const face of frame.faces) {
      const span = spans.get(face.trackId) ?? { first: frame.index, last: frame.index, frames: 0 };
      span.last = frame.index;
      span.frames++;
      spans.set(face.trackId, span);
    }
  }
  const lines = [
    `${path}: ${result.width}×${result.height}, ${result.frames.length} frames at ${result.fps.toFixed(2)} fps`,
    `${spans.size} face track${spans.size === 1 ? '' : 's'}; detector ran on ${result.stats.detectorRuns} frame(s)`,
  ];
  if (spans.size === 0) lines.push('no faces found');
  for (const [id, span] of spans) lines.push(`  track ${id}: frames ${span.first}–${span.last}, present in ${span.frames}`);
  lines.push('(--json for every frame)');
  return `${lines.join('\n')}\n`;
}
