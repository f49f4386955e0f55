/**
 * EditDeps for rendering video. Inference runs beside ffmpeg's decoder and encoder, and
 * onnxruntime's idle worker threads spin-wait by default, taking the cores x264 needs: on the
 * 2-core dev machine a 720p render with the face tracker spent 8.2 s of CPU in Node with spinning
 * and 4.4 s without, and took half the wall time. For the same reason each run gets a quarter of
 * the cores rather than all of them (onnxruntime's default): ffmpeg's decoder and encoder keep
 * the rest busy, and splitting a small model's run across threads that must wait for a core costs
 * more than it saves. Tracking a 720p clip on 2 cores took 8 % less CPU on one thread than on
 * two, in the same wall time.
 */
import { availableParallelism } from 'node:os';
import type { Logger } from '../context';
import { createEditDeps } from '../edit/edit-deps';
import type { EditDeps } from '../edit/processor';
import { SessionPool, type SessionOptions } from '../inference/session-pool';
import type { SeamPaths } from '../paths';

export const VIDEO_SESSION_OPTIONS: SessionOptions = {
  intraOpNumThreads: Math.max(1, Math.floor(availableParallelism() / 4)),
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};

export function createVideoEditDeps(paths: SeamPaths, logger: Logger): EditDeps {
  return createEditDeps(paths, logger, new SessionPool({ logger, sessionOptions: VIDEO_SESSION_OPTIONS }));
}
