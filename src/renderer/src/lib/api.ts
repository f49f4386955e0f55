/**
 * How the renderer reaches the engine: in Electron the preload has put the contract on
 * `window.seam`; served by the web host, the page connects a WebSocket with the launch token.
 * Either way the UI sees the same SeamApi.
 */
import type { SeamApi } from '../../../shared/contract';
import { connectWebSocketApi } from './web-transport';

export function connectSeamApi(win: Window): SeamApi {
  const bridged = (win as Window & { seam?: SeamApi }).seam;
  if (bridged) return bridged;
  const token = new URLSearchParams(win.location.search).get('token');
  if (!token) throw new Error('Seam: no engine bridge and no web host token in the page URL');
  const url = new URL('/engine', win.location.href);
  url.protocol = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', token);
  return connectWebSocketApi(url.toString());
}
