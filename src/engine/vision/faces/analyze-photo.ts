/**
 * Photos from disk: decode (EXIF orientation applied, BAD_INPUT for anything unreadable), find
 * the faces, optionally their landmarks, and write an overlay picture of the result. The CLI's
 * `detect` and `landmarks` and the app call these same functions.
 */
import { basename } from 'node:path';
import { SeamError } from '../../../shared/errors';
import { appVersion } from '../../app-info';
import { decodeImage } from '../../image/decode';
import { encodeImageFile } from '../../image/encode';
import type { RasterImage } from '../../image/image';
import type { AnalyzedFace, AnalyzeFacesOptions, FacePipeline } from './face-pipeline';
import type { FaceDetection } from './face-types';
import { drawFaceOverlay } from './landmark-overlay';

export interface PhotoFaces<T> {
  path: string;
  image: RasterImage;
  faces: T[];
}

export async function detectFacesInPhoto(pipeline: FacePipeline, path: string, options: AnalyzeFacesOptions = {}): Promise<PhotoFaces<FaceDetection>> {
  const image = await decodeImage(path, options.signal ? { signal: options.signal } : {});
  return { path, image, faces: await pipeline.detect(image, options) };
}

/** Every face with its landmarks; NOT_FOUND when the photo has no face to place them on. */
export async function landmarksInPhoto(pipeline: FacePipeline, path: string, options: AnalyzeFacesOptions = {}): Promise<PhotoFaces<AnalyzedFace>> {
  const image = await decodeImage(path, options.signal ? { signal: options.signal } : {});
  const faces = await pipeline.analyze(image, options);
  if (faces.length === 0) throw new SeamError('NOT_FOUND', `No face found in ${path}: there is nothing to place landmarks on.`);
  return { path, image, faces };
}

/** Writes the photo with boxes and landmarks drawn on it (atomically, with Seam's provenance, never over the input). */
export async function writeFaceOverlay(outputPath: string, photo: PhotoFaces<AnalyzedFace>): Promise<void> {
  const drawn = drawFaceOverlay(photo.image, photo.faces);
  const withMesh = photo.faces.filter((f) => f.landmarks).length;
  await encodeImageFile(outputPath, drawn, {
    provenance: {
      software: `Seam ${appVersion()}`,
      operations: [`face landmarks overlay of ${basename(photo.path)}: ${photo.faces.length} face(s), ${withMesh} with a 468-point mesh`],
    },
    protect: [photo.path],
  });
}
