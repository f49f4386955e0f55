/**
 * `seam detect <image>`: the faces in a photo, with boxes, scores and the detector's six
 * keypoints. A photo without a face is an answer ("no faces found", exit 0), not an error.
 */
import { Command, Option } from 'commander';
import type { Logger } from '../../engine/context';
import { SessionPool } from '../../engine/inference/session-pool';
import type { SeamPaths } from '../../engine/paths';
import { detectFacesInPhoto } from '../../engine/vision/faces/analyze-photo';
import type { DetectionStrategy } from '../../engine/vision/faces/face-detector';
import { detectionToJson } from '../../engine/vision/faces/face-json';
import { FacePipeline } from '../../engine/vision/faces/face-pipeline';
import type { FaceDetection } from '../../engine/vision/faces/face-types';

export interface FaceCommandDeps {
  paths: SeamPaths;
  logger: Logger;
  stdout?: { write(text: string): unknown };
}

export const STRATEGIES: readonly DetectionStrategy[] = ['auto', 'short-range', 'full-range', 'both'];

export function detectCommand(deps: FaceCommandDeps): Command {
  return new Command('detect')
    .description('find the faces in a photo: box, score and six keypoints for each, left to right')
    .argument('<image>', 'the photo (JPEG, PNG, WebP, TIFF, AVIF, HEIF…)')
    .option('--json', 'print the faces as JSON')
    .addOption(new Option('--model <which>', 'which detector(s) to run').choices(STRATEGIES).default('auto'))
    .action(async (path: string, options: { json?: boolean; model: DetectionStrategy }) => {
      const stdout = deps.stdout ?? process.stdout;
      const pool = new SessionPool({ logger: deps.logger });
      try {
        const pipeline = FacePipeline.create({ paths: deps.paths, pool, logger: deps.logger });
        const photo = await detectFacesInPhoto(pipeline, path, { strategy: options.model });
        if (options.json) {
          const json = { image: { path, width: photo.image.width, height: photo.image.height }, faces: photo.faces.map(detectionToJson) };
          stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        } else {
          stdout.write(formatDetections(path, photo.image, photo.faces));
        }
      } finally {
        await pool.releaseAll();
      }
    });
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const point = (p: { x: number; y: number }) => `${fixed(p.x)},${fixed(p.y)}`;

export function formatDetections(path: string, image: { width: number; height: number }, faces: readonly FaceDetection[]): string {
  if (faces.length === 0) return `no faces found in ${path} (${image.width}×${image.height})\n`;
  const header = ['#', 'x', 'y', 'width', 'height', 'score', 'model', 'right eye', 'left eye', 'nose tip', 'mouth'];
  const rows = faces.map((f, i) => [
    String(i + 1),
    fixed(f.box.x),
    fixed(f.box.y),
    fixed(f.box.width),
    fixed(f.box.height),
    f.score.toFixed(3),
    f.model,
    point(f.keypoints.rightEye),
    point(f.keypoints.leftEye),
    point(f.keypoints.noseTip),
    point(f.keypoints.mouthCenter),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const title = `${faces.length} face${faces.length === 1 ? '' : 's'} in ${path} (${image.width}×${image.height}), left to right; pixels, eyes in the subject's terms`;
  return `${[title, line(header), ...rows.map(line)].join('\n')}\n`;
}
