/**
 * The contract over the web host's WebSocket: the same RpcClient as the app's main process, with
 * each message one binary envelope frame (pixels stay binary). Calls made before the socket opens
 * wait for it.
 *
 * Each frame's encode and decode and each call's round trip is recorded as a User Timing measure
 * (`seam:encode`, `seam:decode` with the frame's bytes, `seam:call <method>`), visible in the
 * browser's performance panel and read by `npm run bench ui`. Only the latest measure of each name
 * is kept, so a long session does not grow the timeline.
 */
import { eventNames, methodNames, type SeamApi } from '../../../shared/contract';
import type { HostRequest } from '../../../shared/engine-protocol';
import { decodeEnvelope, encodeEnvelope } from '../../../shared/envelope';
import { RpcClient } from '../../../shared/rpc-client';

export function connectWebSocketApi(url: string): SeamApi {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const queue: HostRequest[] = [];
  const listeners: Array<(message: unknown) => void> = [];
  const send = (request: HostRequest) => {
    const start = performance.now();
    const frame = encodeEnvelope(request);
    measure('seam:encode', start, { bytes: frame.byteLength });
    socket.send(frame);
  };
  socket.addEventListener('open', () => {
    for (const request of queue.splice(0)) send(request);
  });
  socket.addEventListener('message', (event: MessageEvent) => {
    if (!(event.data instanceof ArrayBuffer)) return;
    const start = performance.now();
    const message = decodeEnvelope(event.data);
    measure('seam:decode', start, { bytes: event.data.byteLength });
    for (const listener of listeners) listener(message);
  });
  const client = new RpcClient({
    send: (request) => {
      if (socket.readyState === WebSocket.OPEN) send(request);
      else queue.push(request);
    },
    onMessage: (listener) => listeners.push(listener),
  });
  socket.addEventListener('close', () => client.close('The connection to the Seam engine closed. Reload the page.'));

  const api: Record<string, unknown> = {};
  for (const method of methodNames) {
    api[method] = async (...args: unknown[]) => {
      const start = performance.now();
      const value = await client.call(method, args);
      measure(`seam:call ${method}`, start, engineTime(value));
      return value;
    };
  }
  for (const eventName of eventNames) {
    api[eventName] = (listener: (payload: unknown) => void) =>
      client.onEvent((name, payload) => {
        if (name === eventName) listener(payload);
      });
  }
  return api as SeamApi;
}

/** A result that says how long the engine worked on it (previewEdit's `engineMs`). */
function engineTime(value: unknown): { engineMs: number } | undefined {
  const engineMs = value !== null && typeof value === 'object' ? (value as { engineMs?: unknown }).engineMs : undefined;
  return typeof engineMs === 'number' ? { engineMs } : undefined;
}

function measure(name: string, start: number, detail?: Record<string, number>): void {
  performance.clearMeasures(name);
  performance.measure(name, { start, end: performance.now(), ...(detail ? { detail } : {}) });
}
