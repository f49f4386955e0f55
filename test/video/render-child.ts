/**
 * A render in its own process, for the crash test to kill: `node --import tsx render-child.ts
 * <input> <output>` renders with the moving-box processor, slowed down so the test can kill it
 * mid-way, in segments of 20 frames.
 */
import { silentLogger } from '../../src/engine/context';
import { renderVideo } from '../../src/engine/video/render-video';
import { drawMovingBox, TEST_QUALITY } from './video-clips';

const [input, output] = process.argv.slice(2);
await renderVideo(
  {},
  {
    input: input!,
    output: output!,
    frameProcessor: async (frame, index) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return drawMovingBox(frame, index, 0);
    },
    quality: TEST_QUALITY,
    segmentFrames: 20,
  },
  { logger: silentLogger },
);
