/**
 * `npm run web` (node out/node/host-web.js [--port N]): starts the engine in a worker thread and
 * serves the renderer on 127.0.0.1; prints the URL (with its secret token) to open. With
 * SEAM_WEB_TIMINGS=1 it also prints a line per reply saying where its time went.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stderrLogger } from '../engine/context';
import { startEngineWorker } from '../engine/host/start-worker';
import { startWebHost, type ReplyTiming } from './server';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`seam web: --port must be a number from 0 to 65535, got ${values.port}\n`);
  process.exit(2);
}
const logger = stderrLogger('info');
const engine = startEngineWorker();
await engine.ready;
const host = await startWebHost({
  rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
  engine: engine.client,
  logger,
  port,
  // Where each reply's time went, one JSON line each, for `npm run bench ui`.
  ...(process.env.SEAM_WEB_TIMINGS === '1' ? { onTiming: (t: ReplyTiming) => process.stdout.write(`Seam timing: ${JSON.stringify(t)}\n`) } : {}),
});
process.stdout.write(`Seam web host: ${host.url}\n`);
const shutdown = async () => {
  await host.close();
  await engine.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
