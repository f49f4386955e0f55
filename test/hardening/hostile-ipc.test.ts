// Hostile IPC: thousands of malformed and out-of-contract calls against every method the
// contract lists (methodNames, so a new method is covered the day it is added), through the two
// trust boundaries a page can reach: the web host's WebSocket (with the token; also without it,
// with a wrong one, from another Origin, and frames that are no envelope at all) and the Electron
// main process's ipcMain handlers (src/main/ipc.ts on a fake ipcMain, with trusted and untrusted
// sender frames). Nothing may crash; every call is answered, an invalid one with VALIDATION and a
// valid one (an id of the right shape that names nothing) with a SeamError, never INTERNAL; no
// file outside the engine's temp data folder is read back or written. Seeded: a failure names
// its seed, method and call number, and reproduces.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { silentLogger } from '../../src/engine/context';
import { startEngineWorker, type EngineWorker } from '../../src/engine/host/start-worker';
import { startWebHost, type WebHost } from '../../src/host-web/server';
import { methodNames, methods, type MethodName } from '../../src/shared/contract';
import { methodChannel } from '../../src/shared/contract-names';
import { decodeEnvelope, encodeEnvelope, EnvelopeError } from '../../src/shared/envelope';
import type { RpcClient } from '../../src/shared/rpc-client';
import { handlers as ipcHandlers } from './support/fake-electron';
import { startBuiltWebHost } from '../support/web-host';
import { treeSnapshot } from './support/file-tree';
import { hostileCalls } from './support/hostile-calls';
import { assertCliBuilt } from './support/seam-cli';
import { SeededRandom } from './support/seeded-random';

const SEED = 8_2026;
/** Per method and per boundary; with ~30 methods, a few thousand calls in all. */
const CALLS_PER_METHOD = 60;
const BATCH = 8;
const SECRET = `canary-${SEED}-do-not-read`;
const CODES = new Set(['BAD_INPUT', 'NOT_FOUND', 'MODEL_INVALID', 'MISSING_DEPENDENCY', 'CANCELLED', 'VALIDATION']);
const RENDERER_URL = 'file:///opt/Seam/resources/app.asar/out/renderer/index.html';

register(new URL('./support/electron-hook.mjs', import.meta.url));
// Imported by a computed URL: this file is type-checked as Node code, where src/main's Electron
// types are forbidden; the fake stands in for Electron at run time only.
const ipcModule = new URL('../../src/main/ipc.ts', import.meta.url).href;
const { registerContractHandlers } = (await import(ipcModule)) as {
  registerContractHandlers(engine: () => RpcClient, rendererUrl: () => string): void;
};

const root = await mkdtemp(join(tmpdir(), 'seam-hostile-'));
const home = join(root, 'home');
const outside = join(root, 'outside');
const canary = join(outside, 'canary.txt');
const rendererDir = join(root, 'renderer');
after(() => rm(root, { recursive: true, force: true }));

interface Reply {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

/** Would the boundary accept these arguments as it receives them? The contract's own schema says. */
function isValidCall(method: MethodName, args: unknown[]): boolean {
  return methods[method].args.safeParse(args).success;
}

/** A reply to one hostile call, judged; returns a problem or null. */
function judge(method: MethodName, index: number, received: unknown[], reply: Reply): string | null {
  const where = `${method} call ${index} (seed ${SEED})`;
  if (JSON.stringify(reply, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1') : v)).includes(SECRET)) {
    return `${where}: the reply carries the canary file's content`;
  }
  if (isValidCall(method, received)) {
    if (reply.ok) return null;
    if (!reply.error || !CODES.has(reply.error.code) || reply.error.code === 'VALIDATION') return `${where}: a valid call answered ${JSON.stringify(reply.error)}`;
    return null;
  }
  if (reply.ok) return `${where}: an invalid call succeeded`;
  if (reply.error?.code !== 'VALIDATION' || !reply.error.message.startsWith(`Invalid arguments for ${method}:`)) {
    return `${where}: answered ${JSON.stringify(reply.error)?.slice(0, 300)}, not a validation error`;
  }
  return null;
}

const DROPPED = Symbol('dropped');

/** What the web host sees is what survives the envelope: NaN becomes null, undefined goes. */
function receivedBySocket(args: unknown[]): unknown[] | typeof DROPPED {
  try {
    return (decodeEnvelope(encodeEnvelope({ args })) as { args: unknown[] }).args;
  } catch (error) {
    if (error instanceof EnvelopeError) return DROPPED;
    throw error;
  }
}

/**
 * The calls to send, numbered: every invalid one, and at most MAX_VALID that the schema accepts
 * (a valid doctor call probes every model; the point here is the calls that must be refused, and
 * a few valid ones naming nothing that exists).
 */
const MAX_VALID = 3;
function fewValid(method: MethodName, calls: unknown[][], received: (args: unknown[]) => unknown[] | typeof DROPPED) {
  let valid = 0;
  return calls
    .map((args, index) => ({ args, index }))
    .filter(({ args }) => {
      const seen = received(args);
      if (seen === DROPPED || !isValidCall(method, seen)) return true;
      return ++valid <= MAX_VALID;
    });
}

/** Liveness, not speed: a call that is never answered fails the test instead of hanging it. */
function answered<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in 60 s`)), 60_000)));
  return Promise.race([promise, watchdog]).finally(() => clearTimeout(timer));
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) await Promise.all(items.slice(i, i + BATCH).map(run));
}

describe(`hostile IPC (seed ${SEED})`, () => {
  let engine: EngineWorker;
  let host: WebHost;
  let outsideBefore: Map<string, string>;

  before(async () => {
    await mkdir(home);
    await mkdir(outside);
    await mkdir(rendererDir);
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Seam</title>');
    await writeFile(canary, SECRET);
    outsideBefore = await treeSnapshot(outside);
    engine = startEngineWorker({ dataDir: home });
    await engine.ready;
    host = await startWebHost({ rendererDir, engine: engine.client, logger: silentLogger });
    registerContractHandlers(() => engine.client, () => RENDERER_URL);
  });

  after(async () => {
    await host?.close();
    await engine?.stop();
  });

  describe('through the web host’s WebSocket', () => {
    let ws: WebSocket;
    let nextId = 1;
    const waiting = new Map<number, (reply: Reply) => void>();

    const connect = (url: string, origin: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url, { origin });
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
        socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      });

    async function open(): Promise<void> {
      ws = await connect(`ws://127.0.0.1:${host.port}/engine?token=${host.token}`, host.origin);
      ws.on('message', (data: Buffer) => {
        const reply = decodeEnvelope(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer) as Reply & { kind: string; id: number };
        if (reply.kind === 'result') waiting.get(reply.id)?.(reply);
      });
    }

    function send(method: string, args: unknown[]): Promise<Reply> {
      const id = nextId++;
      const reply = new Promise<Reply>((resolve) => waiting.set(id, resolve));
      ws.send(encodeEnvelope({ kind: 'call', id, method, args }));
      return answered(reply, `web host ${method} #${id}`).finally(() => waiting.delete(id));
    }

    before(open);
    after(() => ws?.close());

    it('refuses sockets without the token, with a wrong one, or from another Origin', async () => {
      const random = new SeededRandom(SEED);
      const base = `ws://127.0.0.1:${host.port}/engine`;
      const wrongTokens = ['', 'x', host.token.toUpperCase(), `${host.token}x`, host.token.slice(1), Buffer.from(random.bytes(24)).toString('base64url'), `${host.token}&token=${host.token}`];
      for (const token of wrongTokens) await assert.rejects(connect(`${base}?token=${encodeURIComponent(token)}`, host.origin), /403/, `token ${token}`);
      await assert.rejects(connect(base, host.origin), /403/);
      for (const origin of ['https://evil.example', 'null', 'http://localhost', `http://127.0.0.1:${host.port + 1}`, `${host.origin}.evil.example`]) {
        await assert.rejects(connect(`${base}?token=${host.token}`, origin), /403/, `origin ${origin}`);
      }
      await assert.rejects(connect(`ws://127.0.0.1:${host.port}/other?token=${host.token}`, host.origin), /403/);
    });

    it('answers calls to methods that do not exist with VALIDATION', async () => {
      for (const method of ['readFile', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'x'.repeat(10_000), '../doctor', 'doctor ']) {
        const reply = await send(method, [{}]);
        assert.equal(reply.error?.code, 'VALIDATION', `${JSON.stringify(method.slice(0, 40))}: ${JSON.stringify(reply)}`);
      }
    });

    for (const [m, method] of methodNames.entries()) {
      it(`${method}: ${CALLS_PER_METHOD} hostile calls, each answered`, async () => {
        const problems: string[] = [];
        const calls = fewValid(method, hostileCalls(method, CALLS_PER_METHOD, SEED + m, canary), (args) => receivedBySocket(args));
        await inBatches(calls, async ({ args, index }) => {
          const received = receivedBySocket(args);
          if (received === DROPPED) {
            // The host cannot read it back (nested past the envelope's limit), so it drops it unanswered.
            ws.send(encodeEnvelope({ kind: 'call', id: nextId++, method, args }));
            return;
          }
          const problem = judge(method, index, received, await send(method, args));
          if (problem) problems.push(problem);
        });
        assert.deepEqual(problems, []);
        const still = await send('cancelJob', [{ jobId: '1' }]);
        assert.equal(still.ok, true, 'the socket still answers');
      });
    }

    it('drops frames that are no envelope, and keeps serving', async () => {
      const random = new SeededRandom(SEED + 1000);
      const json = (text: string) => {
        const body = new TextEncoder().encode(text);
        const frame = new Uint8Array(4 + body.length);
        new DataView(frame.buffer).setUint32(0, body.length, true);
        frame.set(body, 4);
        return frame;
      };
      const frames: Array<Uint8Array | string> = [
        'a text frame',
        JSON.stringify({ kind: 'call', id: 1, method: 'doctor', args: [] }),
        new Uint8Array(),
        new Uint8Array([1, 2, 3]),
        new Uint8Array([0xff, 0xff, 0xff, 0xff, 0]),
        json('not json'),
        json('{"kind":"call","id":-1,"method":"doctor","args":[]}'),
        json('{"kind":"call","id":1.5,"method":"doctor","args":[]}'),
        json('{"kind":"call","id":1,"method":"doctor","args":{}}'),
        json('{"kind":"cancel","id":"x"}'),
        json('{"kind":"call","id":1,"method":"openImage","args":[{"name":"a.png","bytes":{"$bin":7,"$type":"Uint8Array"}}]}'),
        json('{"kind":"call","id":1,"method":"openImage","args":[{"name":"a.png","bytes":{"$bin":0,"$type":"Function"}}]}'),
        json(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
        json(JSON.stringify(JSON.parse(`${'{"a":'.repeat(50)}1${'}'.repeat(50)}`))),
        new Uint8Array([...json('{"kind":"call","id":1,"method":"doctor","args":[]}'), 0, 0, 0, 9, 1]),
        new Uint8Array([0xc3, 0x28, 0, 0, 0xc3, 0x28]),
      ];
      for (let i = 0; i < 200; i++) frames.push(random.bytes(random.int(1, 2048)));
      for (let i = 0; i < 50; i++) {
        // A real envelope with a few bytes flipped: the subtle kind of damage.
        const good = new Uint8Array(encodeEnvelope({ kind: 'call', id: 900_000 + i, method: 'closeImage', args: [{ imageId: 'img-abc' }] }));
        for (let k = 0; k < 3; k++) good[random.int(0, good.length - 1)] = random.int(0, 255);
        frames.push(good);
      }
      for (const frame of frames) ws.send(frame);
      const still = await send('cancelJob', [{ jobId: '12345' }]);
      assert.deepEqual([still.ok, still.value], [true, false], 'the same socket still answers');
    });

    it('the socket still answers after all that', async () => {
      const reply = await send('cancelJob', [{ jobId: '999999999' }]);
      assert.deepEqual([reply.ok, reply.value], [true, false]);
    });
  });

  // The built web host in its own process (npm run web), so a crash is an exit, not an exception
  // in this test: protocol-level abuse that only the ws library sees. Each of these killed the host
  // until serveSocket listened for the socket's 'error' event (src/host-web/server.ts).
  describe('protocol abuse against the built web host', () => {
    const abuse: Array<[string, (ws: WebSocket) => void]> = [
      ['one message over the 64 MiB limit', (ws) => ws.send(new Uint8Array(64 * 1024 * 1024 + 1))],
      ['a text frame that is not UTF-8', (ws) => ws.send(Buffer.from([0xc3, 0x28, 0xff]), { binary: false })],
    ];
    for (const [what, send] of abuse) {
      it(`${what}: that socket is closed, the host lives on and serves`, async () => {
        assertCliBuilt();
        const web = await startBuiltWebHost();
        try {
          const token = new URL(web.url).searchParams.get('token')!;
          const url = `ws://127.0.0.1:${new URL(web.url).port}/engine?token=${token}`;
          const socket = new WebSocket(url, { origin: web.origin });
          socket.on('error', () => {});
          await new Promise((resolve) => socket.once('open', resolve));
          const closed = new Promise((resolve) => socket.once('close', resolve));
          send(socket);
          await closed;
          const next = new WebSocket(url, { origin: web.origin });
          const opened = await new Promise<boolean>((resolve) => {
            next.once('open', () => resolve(true));
            next.once('error', () => resolve(false));
          });
          next.close();
          assert.equal(web.child.exitCode, null, `the host exited (${web.child.exitCode})`);
          assert.ok(opened, 'a new socket opens');
        } finally {
          await web.stop();
        }
      });
    }
  });

  describe('through the Electron main process’s ipcMain handlers', () => {
    const trusted = { senderFrame: { url: RENDERER_URL } };

    it('registers one handler per contract method, and nothing else', () => {
      assert.deepEqual([...ipcHandlers.keys()].sort(), methodNames.map(methodChannel).sort());
    });

    it('refuses every call from a frame that is not the renderer, before validating it', async () => {
      const senders = [
        { senderFrame: { url: 'https://evil.example/' } },
        { senderFrame: { url: 'file:///tmp/evil.html' } },
        { senderFrame: { url: `${RENDERER_URL}.html` } },
        { senderFrame: { url: 'file:///opt/Seam/resources/app.asar/out/renderer/other.html' } },
        { senderFrame: { url: '' } },
        { senderFrame: null },
      ];
      for (const method of methodNames) {
        for (const event of senders) {
          const reply = (await ipcHandlers.get(methodChannel(method))!(event, {})) as Reply;
          assert.equal(reply.ok, false, `${method} from ${event.senderFrame?.url}`);
          assert.match(reply.error!.message, /IPC call refused: it came from an untrusted page/);
          assert.equal(reply.error!.code, 'VALIDATION', 'a refused caller is a contract violation, not an internal error');
        }
      }
    });

    for (const [m, method] of methodNames.entries()) {
      it(`${method}: ${CALLS_PER_METHOD} hostile calls, each answered`, async () => {
        const handler = ipcHandlers.get(methodChannel(method))!;
        const problems: string[] = [];
        // Another seed than the socket's: NaN, undefined and typed arrays arrive here as they are.
        const calls = fewValid(method, hostileCalls(method, CALLS_PER_METHOD, SEED + 5000 + m, canary), (args) => args);
        await inBatches(calls, async ({ args, index }) => {
          const reply = (await answered(handler(trusted, ...args), `ipc ${method} #${index}`)) as Reply;
          const problem = judge(method, index, args, reply);
          if (problem) problems.push(problem);
        });
        assert.deepEqual(problems, []);
      });
    }
  });

  describe('afterwards', () => {
    it('the engine still answers a real call', async () => {
      const value = (await engine.client.call('cancelJob', [{ jobId: '999999999' }])) as boolean;
      assert.equal(value, false);
    });

    it('no prototype was polluted in this process', () => {
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    });

    it('nothing outside the engine’s data folder was written, and the canary is untouched', async () => {
      assert.equal(await readFile(canary, 'utf8'), SECRET);
      assert.deepEqual(await treeSnapshot(outside), outsideBefore);
      assert.deepEqual((await readdir(root)).sort(), ['home', 'outside', 'renderer'], 'nothing new beside the data folder');
      for (const name of ['photo.jpg', 'clip.mp4', 'CON', 'passwd', 'x']) {
        await assert.rejects(stat(join(process.cwd(), name)), `${name} appeared in the working folder`);
      }
    });
  });
});
