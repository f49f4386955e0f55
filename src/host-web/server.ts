/**
 * The web host: serves the built renderer on 127.0.0.1 and carries the same contract over a
 * WebSocket to the same engine (in a worker thread), so the real UI runs in a plain browser where
 * no Electron binary can. It is a development and test tool, never part of a packaged app.
 *
 * A page in the user's own browser can reach loopback ports, so: bind 127.0.0.1 only, refuse
 * non-loopback peers, check the Host header (DNS rebinding) and the Origin of every socket, and
 * require a per-launch secret token for the socket.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ContractViolation, isMethodName, parseArgs } from '../shared/contract';
import { answerWithoutNativeSave, isSaveMethod } from '../shared/save-contract';
import { HostRequestSchema, type HostReply } from '../shared/engine-protocol';
import { decodeEnvelope, encodeEnvelope } from '../shared/envelope';
import { toErrorShape } from '../shared/errors';
import type { RpcClient } from '../shared/rpc-client';
import type { Logger } from '../engine/context';

export interface WebHostOptions {
  rendererDir: string;
  engine: RpcClient;
  logger: Logger;
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
  /** Called after each reply is sent, with where its time went (`npm run bench ui` reads these). */
  onTiming?(timing: ReplyTiming): void;
}

export interface ReplyTiming {
  method: string;
  /** From handing the call to the engine worker to its result back here. */
  engineRoundTripMs: number;
  /** Encoding the reply's envelope frame. */
  encodeMs: number;
  bytes: number;
}

export interface WebHost {
  /** The page URL, token included: open this in the browser. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Largest message a page may send; a contract call is small, pixels come from the engine. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let origin = '';
  let port = 0;

  const hostAllowed = (req: IncomingMessage) =>
    req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;

  const server = createServer((req, res) => {
    if (!isLoopbackAddress(req.socket.remoteAddress) || !hostAllowed(req)) {
      res.writeHead(403).end('Forbidden');
      return;
    }
    serveStatic(options.rendererDir, req, res);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refusal = upgradeRefusal(req, url, origin, token, hostAllowed(req));
    if (refusal) {
      options.logger.warn(`web host: refused a socket (${refusal})`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options));
  });

  const unsubscribe = options.engine.onEvent((event, payload) => {
    const frame = encodeEnvelope({ kind: 'event', event, payload } satisfies HostReply);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function upgradeRefusal(req: IncomingMessage, url: URL, origin: string, token: string, hostOk: boolean): string | null {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return 'not from loopback';
  if (!hostOk) return 'unexpected Host header';
  if (url.pathname !== '/engine') return 'unknown path';
  if (req.headers.origin !== origin) return `origin ${req.headers.origin ?? '(none)'} is not ${origin}`;
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad token';
  return null;
}

function serveSocket(ws: WebSocket, options: WebHostOptions): void {
  const running = new Map<number, AbortController>();
  const send = (reply: HostReply): { encodeMs: number; bytes: number } | null => {
    if (ws.readyState !== ws.OPEN) return null;
    const start = performance.now();
    const frame = encodeEnvelope(reply);
    const encodeMs = performance.now() - start;
    ws.send(frame);
    return { encodeMs, bytes: frame.byteLength };
  };
  ws.on('message', (data, isBinary) => {
    let request;
    try {
      if (!isBinary) throw new Error('text frames are not part of the protocol');
      const bytes = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      const frame = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const parsed = HostRequestSchema.safeParse(decodeEnvelope(frame));
      if (!parsed.success) throw new Error('not a contract message');
      request = parsed.data;
    } catch (error) {
      options.logger.warn('web host: dropped a malformed message', { reason: (error as Error).message });
      return;
    }
    if (request.kind === 'cancel') {
      running.get(request.id)?.abort();
      return;
    }
    const { id, method, args } = request;
    const controller = new AbortController();
    running.set(id, controller);
    void (async () => {
      try {
        if (!isMethodName(method)) throw new ContractViolation(`Unknown method: ${method}`);
        const parsedArgs = parseArgs(method, args);
        const start = performance.now();
        // A browser has no native Save dialog: the page downloads instead (save-contract.ts).
        const value = isSaveMethod(method) ? answerWithoutNativeSave(method) : await options.engine.call(method, parsedArgs as unknown[], controller.signal);
        const engineRoundTripMs = performance.now() - start;
        const sent = send({ kind: 'result', id, ok: true, value });
        if (sent) options.onTiming?.({ method, engineRoundTripMs, ...sent });
      } catch (error) {
        const shape =
          error instanceof ContractViolation ? { code: 'VALIDATION' as const, message: error.message } : toErrorShape(error);
        send({ kind: 'result', id, ok: false, error: shape });
      } finally {
        running.delete(id);
      }
    })();
  });
  ws.on('close', () => {
    for (const controller of running.values()) controller.abort();
  });
  // ws reports a protocol breach (a frame over maxPayload, text that is not UTF-8, a bad opcode) as
  // an 'error' event and then closes the socket; without a listener Node throws it and the whole
  // host exits. One hostile or broken page must cost only its own connection.
  ws.on('error', (error) => {
    options.logger.warn('web host: closed a connection that broke the protocol', { reason: error.message });
  });
}

function serveStatic(rendererDir: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = normalize(join(rendererDir, relative));
  if (!file.startsWith(normalize(rendererDir) + sep) || relative.includes('\0')) {
    res.writeHead(403).end();
    return;
  }
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    res.writeHead(404).end('Not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
