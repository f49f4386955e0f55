/**
 * Bad clips, made at run time with the system ffmpeg from lavfi sources (and byte surgery on the
 * result): cut short mid-frame and before the index, no video stream, zero frames, damaged
 * frames, broken timestamps, text and noise with a video name. Each must be refused with
 * BAD_INPUT naming the file and what is wrong with it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { runFfmpeg } from '../../../src/engine/media/run-ffmpeg';
import { SeededRandom } from '../support/seeded-random';
import type { CorpusCase } from './corpus-case';

const QUIET = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];
/** 160×120, 2 s at 25 fps: small and quick, enough frames that a cut falls mid-stream. */
const SOURCE = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=2'];
const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '10'];

const DAMAGED = /damaged or cut short|cannot decode|could not be decoded|no video frames Seam can decode|not a media file Seam can read/;
const NOT_MEDIA = /is not a media file Seam can read/;

function ffmpeg(ffmpegPath: string, args: string[], output: string): Promise<unknown> {
  return runFfmpeg(ffmpegPath, [...QUIET, ...args, output], { task: `making ${output}` });
}

async function rewrite(path: string, change: (bytes: Uint8Array) => Uint8Array): Promise<void> {
  await writeFile(path, change(new Uint8Array(await readFile(path))));
}

export function videoCases(ffmpegPath: string): CorpusCase[] {
  const made = (id: string, file: string, make: (path: string) => Promise<void>, message: RegExp): CorpusCase => ({ kind: 'video', id, file, make, code: 'BAD_INPUT', message });
  const clip = (path: string, extra: string[] = []) => ffmpeg(ffmpegPath, [...SOURCE, ...H264, ...extra], path).then(() => undefined);
  return [
    made('an mp4 cut mid-frame (index first, 60 % of the bytes)', 'cut-60.mp4', async (path) => {
      await clip(path, ['-movflags', '+faststart']);
      await rewrite(path, (b) => b.slice(0, Math.floor(b.length * 0.6)));
    }, DAMAGED),
    made('an mp4 cut before its index was written (moov at the end, 50 %)', 'cut-no-index.mp4', async (path) => {
      await clip(path);
      await rewrite(path, (b) => b.slice(0, Math.floor(b.length * 0.5)));
    }, NOT_MEDIA),
    made('an mp4 whose frames are overwritten with noise in the middle', 'noisy-frames.mp4', async (path) => {
      await clip(path, ['-movflags', '+faststart']);
      await rewrite(path, (b) => {
        const out = Uint8Array.from(b);
        const random = new SeededRandom(21);
        for (let i = Math.floor(out.length * 0.4); i < Math.floor(out.length * 0.7); i++) out[i] = random.int(0, 255);
        return out;
      });
    }, DAMAGED),
    made('sound only (AAC in .m4a)', 'voice.m4a', (path) => ffmpeg(ffmpegPath, ['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac'], path).then(() => undefined), /has no video stream/),
    made('sound only with a .mp4 name', 'voice.mp4', (path) => ffmpeg(ffmpegPath, ['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac'], path).then(() => undefined), /has no video stream/),
    made('a video stream with zero frames', 'empty.y4m', (path) => writeFile(path, 'YUV4MPEG2 W160 H120 F25:1 Ip A1:1 C420jpeg\n'), /has no video frames/),
    {
      kind: 'video',
      id: 'a clip whose timestamps jump 10 s backwards half-way (a broken remux) renders every frame',
      file: 'backwards.mkv',
      // Matroska stores what it is given; from frame 25 every timestamp is 10 s earlier.
      make: (path) => clip(path, ['-bsf:v', 'setts=ts=if(gte(N\\,25)\\,PTS-10/TB\\,PTS)']),
      accept: { width: 160, height: 120, frames: 50 },
    },
    made('an mp4 that stops after its 32-byte ftyp box', 'ftyp-only.mp4', async (path) => {
      await clip(path, ['-movflags', '+faststart']);
      await rewrite(path, (b) => b.slice(0, 32));
    }, NOT_MEDIA),
    // Matroska states no frame count, only a duration: the check falls back to duration × rate.
    made('a Matroska clip cut at 30 %', 'cut-30.mkv', async (path) => {
      await clip(path);
      await rewrite(path, (b) => b.slice(0, Math.floor(b.length * 0.3)));
    }, DAMAGED),
    made('a text file with a .mp4 name', 'notes.mp4', (path) => writeFile(path, 'not a video, a shopping list\n'), NOT_MEDIA),
    made('a zero-byte .mp4', 'empty.mp4', (path) => writeFile(path, new Uint8Array()), NOT_MEDIA),
    made('64 KB of random bytes with a .mov name', 'noise.mov', (path) => writeFile(path, new SeededRandom(22).bytes(65_536)), NOT_MEDIA),
  ];
}
