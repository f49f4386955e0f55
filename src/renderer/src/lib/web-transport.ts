/**
 * The contract over the web host's WebSocket: the same RpcClient as the app's main process, with
 * each message one binary envelope frame (pixels stay binary). Calls made before the socket opens
 * wait for it.
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
  socket.addEventListener('open', () => {
    for (const request of queue.splice(0)) socket.send(encodeEnvelope(request));
  });
  socket.addEventListener('message', (event: MessageEvent) => {
    if (!(event.data instanceof ArrayBuffer)) return;
    const message = decodeEnvelope(event.data);
    for (const listener of listeners) listener(message);
  });
  const client = new RpcClient({
    send: (request) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(encodeEnvelope(request));
      else queue.push(request);
    },
    onMessage: (listener) => listeners.push(listener),
  });
  socket.addEventListener('close', () => client.close('The connection to the Seam engine closed. Reload the page.'));

  const api: Record<string, unknown> = {};
  for (const method of methodNames) api[method] = (...args: unknown[]) => client.call(method, args);
  for (const eventName of eventNames) {
    api[eventName] = (listener: (payload: unknown) => void) =>
      client.onEvent((name, payload) => {
        if (name === eventName) listener(payload);
      });
  }
  return api as SeamApi;
}
