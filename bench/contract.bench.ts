/**
 * The cost of the contract itself: a round trip renderer → web-host protocol → engine worker
 * with a 1080p RGBA frame in the reply, against a plain structured clone of the same buffer in
 * this process (the floor any IPC pays). Later benchmarks add processing on top of this.
 */
import { MessageChannel } from 'node:worker_threads';
import { decodeEnvelope, encodeEnvelope } from '../src/shared/envelope';
import { median, timeRuns, type BenchmarkDefinition } from './harness';

const FRAME_BYTES = 1920 * 1080 * 4;

const bench: BenchmarkDefinition = {
  name: 'contract',
  description: 'moving a 1080p RGBA frame across the boundaries',
  async run({ runs }) {
    const frame = new Uint8Array(FRAME_BYTES).map((_, i) => i & 0xff);
    const { port1, port2 } = new MessageChannel();
    const echo = (transfer: boolean) =>
      new Promise<void>((resolve) => {
        port2.once('message', () => resolve());
        const copy = frame.slice();
        port1.postMessage({ pixels: copy }, transfer ? [copy.buffer] : []);
      });
    const clone = median(await timeRuns(() => echo(false), runs));
    const transfer = median(await timeRuns(() => echo(true), runs));
    const envelope = median(await timeRuns(() => decodeEnvelope(encodeEnvelope({ pixels: frame })), runs));
    port1.close();
    return [
      { path: 'worker port, structured clone', ms: clone, ratioToClone: 1 },
      { path: 'worker port, transferred', ms: transfer, ratioToClone: transfer / clone },
      { path: 'socket envelope encode+decode', ms: envelope, ratioToClone: envelope / clone },
    ];
  },
};
export default bench;
