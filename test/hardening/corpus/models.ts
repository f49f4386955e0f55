/**
 * Bad model files: ONNX cut short, files that are not ONNX, valid ONNX that does not fit the task
 * it is imported for (the contracts in src/engine/models/contracts.ts), and SEAN checkpoints that
 * are cut short, of another network, or not checkpoints. The ONNX files come from the tests' own
 * fixture graphs; the torch checkpoints are test/sean/fixtures (they need PyTorch to make, so
 * they are committed there) and cuts of them.
 */
import { readFileSync } from 'node:fs';
import { fixtureModelBytes } from '../../support/onnx-fixtures';
import { SeededRandom } from '../support/seeded-random';
import type { CorpusCase } from './corpus-case';

const sean = (name: string) => new URL(`../../sean/fixtures/${name}`, import.meta.url).pathname;
const PHOTO = new URL('../../fixtures/media/grace_hopper.jpg', import.meta.url).pathname;

const NOT_ONNX = /is not an ONNX model/;
const TRUNCATED_ONNX = /is not an ONNX model, or is a damaged or truncated one/;

export function modelCases(): CorpusCase[] {
  const landmarks = fixtureModelBytes('face-landmarks');
  const onnx = (id: string, file: string, task: string, bytes: () => Uint8Array, message: RegExp): CorpusCase => ({ kind: 'model', id, file, task, bytes, code: 'MODEL_INVALID', message });
  const checkpoint = (id: string, file: string, bytes: () => Uint8Array, code: 'BAD_INPUT' | 'MODEL_INVALID' | 'NOT_FOUND', message: RegExp): CorpusCase => ({ kind: 'sean', id, file, bytes, code, message });
  return [
    onnx('an ONNX model cut in half', 'half.onnx', 'face-landmarks', () => landmarks.slice(0, Math.floor(landmarks.length / 2)), TRUNCATED_ONNX),
    onnx('an ONNX model cut after 10 %', 'tenth.onnx', 'face-landmarks', () => landmarks.slice(0, Math.floor(landmarks.length / 10)), TRUNCATED_ONNX),
    onnx('an ONNX model missing its last byte', 'last-byte.onnx', 'face-landmarks', () => landmarks.slice(0, landmarks.length - 1), TRUNCATED_ONNX),
    onnx('a JPEG with a .onnx name', 'photo.onnx', 'face-detection', () => readFileSync(PHOTO), NOT_ONNX),
    onnx('a zero-byte .onnx', 'empty.onnx', 'face-detection', () => new Uint8Array(), TRUNCATED_ONNX),
    onnx('8 KB of random bytes with a .onnx name', 'noise.onnx', 'person-segmentation', () => new SeededRandom(31).bytes(8192), NOT_ONNX),
    onnx('a segmentation model imported as a face detector', 'selfie.onnx', 'face-detection', () => fixtureModelBytes('person-segmentation'), /is not a usable face-detection model: .*this one has 1 output/),
    onnx('a face detector imported as a style generator', 'detector.onnx', 'style-generator', () => fixtureModelBytes('face-detection'), /is not a usable style-generator model/),
    onnx('a landmark model imported as a style encoder', 'mesh.onnx', 'style-encoder', () => landmarks, /is not a usable style-encoder model: style-encoder models need/),
    checkpoint('a SEAN checkpoint (legacy format) missing its last 100 bytes', 'latest_net_G.pth', () => {
      const bytes = readFileSync(sean('small.legacy.pth'));
      return bytes.subarray(0, bytes.length - 100);
    }, 'BAD_INPUT', /is a truncated checkpoint/),
    checkpoint('a SEAN checkpoint (zip format) cut in half', 'half_net_G.pth', () => {
      const bytes = readFileSync(sean('small.zip.pth'));
      return bytes.subarray(0, Math.floor(bytes.length / 2));
    }, 'BAD_INPUT', /is a truncated checkpoint: no zip directory/),
    checkpoint('a checkpoint of another network', 'other_net_G.pth', () => readFileSync(sean('other-arch.legacy.pth')), 'MODEL_INVALID', /not SEAN's CelebA-HQ generator/),
    checkpoint('a pickled module instead of a state dict', 'module_net_G.pth', () => readFileSync(sean('module.zip.pth')), 'BAD_INPUT', /Python object torch\.nn\.modules\.linear\.Linear/),
    checkpoint('a photo with a .pth name', 'photo.pth', () => readFileSync(PHOTO), 'BAD_INPUT', /is not a PyTorch checkpoint/),
    checkpoint('a zero-byte .pth', 'empty.pth', () => new Uint8Array(), 'BAD_INPUT', /is not a PyTorch checkpoint Seam can read: the file is empty/),
  ];
}
