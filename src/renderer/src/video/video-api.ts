/**
 * The part of the contract the video workspace uses, typed from video-contract.ts itself: the
 * video methods, the chunked upload, cancelJob and progress. SeamApi (from contract.ts, which
 * spreads videoMethods) satisfies it, and tests can hand in exactly this much.
 */
import type { z } from 'zod';
import type { SeamApi } from '../../../shared/contract';
import type { videoMethods } from '../../../shared/video-contract';

type VideoMethods = typeof videoMethods;

export type VideoMethodsApi = {
  [M in keyof VideoMethods]: (...args: z.input<VideoMethods[M]['args']>) => Promise<z.output<VideoMethods[M]['result']>>;
};

export type VideoApi = VideoMethodsApi & Pick<SeamApi, 'cancelJob' | 'onProgress' | 'beginUpload' | 'writeUpload' | 'finishUpload' | 'discardUpload'>;
