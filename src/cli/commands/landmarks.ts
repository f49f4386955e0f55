/**
 * `seam landmarks <image>`: each face's 468-point mesh, optionally drawn on the photo
 * (`-o overlay.png`). A photo without a face is an error here: there is nothing to answer with.
 */
import { Command } from 'commander';
import { formatForPath } from '../../engine/image/encode';
import { SessionPool } from '../../engine/inference/session-pool';
import { landmarksInPhoto, writeFaceOverlay } from '../../engine/vision/faces/analyze-photo';
import { detectionToJson, landmarksToJson } from '../../engine/vision/faces/face-json';
import { FacePipeline, type AnalyzedFace } from '../../engine/vision/faces/face-pipeline';
import type { FaceCommandDeps } from './detect';

export function landmarksCommand(deps: FaceCommandDeps): Command {
  return new Command('landmarks')
    .description('the 468-point face mesh of every face in a photo')
    .argument('<image>', 'the photo (JPEG, PNG, WebP, TIFF, AVIF, HEIF…)')
    .option('--json', 'print every point as JSON')
    .option('-o, --output <file>', 'also write the photo with the boxes and points drawn on it (.png, .jpg or .webp)')
    .option('--no-refine', 'one landmark pass from the detection only (no second pass from the first pass’s points)')
    .action(async (path: string, options: { json?: boolean; output?: string; refine: boolean }) => {
      const stdout = deps.stdout ?? process.stdout;
      // A bad output name should fail before any work is done.
      if (options.output) formatForPath(options.output);
      const pool = new SessionPool({ logger: deps.logger });
      try {
        const pipeline = FacePipeline.create({ paths: deps.paths, pool, logger: deps.logger });
        const photo = await landmarksInPhoto(pipeline, path, { refine: options.refine });
        if (options.output) await writeFaceOverlay(options.output, photo);
        if (options.json) {
          const faces = photo.faces.map((f) => ({ ...detectionToJson(f.detection), landmarks: f.landmarks ? landmarksToJson(f.landmarks) : null }));
          stdout.write(`${JSON.stringify({ image: { path, width: photo.image.width, height: photo.image.height }, faces })}\n`);
        } else {
          stdout.write(formatLandmarks(path, photo.faces, options.output));
        }
      } finally {
        await pool.releaseAll();
      }
    });
}

export function formatLandmarks(path: string, faces: readonly AnalyzedFace[], overlay?: string): string {
  const lines = [`${faces.length} face${faces.length === 1 ? '' : 's'} in ${path}, left to right; pixels, sides in the subject's terms`];
  faces.forEach((face, i) => {
    const { box } = face.detection;
    lines.push('', `face ${i + 1}: box ${box.x.toFixed(0)},${box.y.toFixed(0)} ${box.width.toFixed(0)}×${box.height.toFixed(0)}, score ${face.detection.score.toFixed(3)}`);
    if (!face.landmarks) {
      lines.push('  the landmark model did not confirm a face in this box (presence below 0.5)');
      return;
    }
    const json = landmarksToJson(face.landmarks, false);
    lines.push(`  presence ${json.presence.toFixed(3)}, 468 points (--json for all of them)`);
    for (const [name, p] of Object.entries(json.named)) lines.push(`  ${name.padEnd(16)} ${p.x.toFixed(1)}, ${p.y.toFixed(1)}`);
  });
  if (overlay) lines.push('', `overlay written to ${overlay}`);
  return `${lines.join('\n')}\n`;
}
