/**
 * The web host's guards and its carrying of the contract, against the real engine in a worker:
 * loopback only, Host and Origin checked, token required, bad calls answered with validation
 * errors, files outside the renderer never served.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { silentLogger } from '../../src/engine/context';
import { startEngineWorker, type EngineWorker } from '../../src/engine/host/start-worker';
import { startWebHost, type WebHost } from '../../src/host-web/server';
import { decodeEnvelope, encodeEnvelope } from '../../src/shared/envelope';

function httpGet(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, method: string, args: unknown[]): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const frame = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
      const reply = decodeEnvelope(frame) as Record<string, unknown>;
      if (reply.kind === 'result' && reply.id === id) {
        ws.off('message', onMessage);
        resolve(reply);
      }
    };
    ws.on('message', onMessage);
    ws.send(encodeEnvelope({ kind: 'call', id, method, args }));
  });
}

describe('web host', () => {
  let engine: EngineWorker;
  let host: WebHost;
  const rendererDir = mkdtempSync(join(tmpdir(), 'seam-renderer-'));

  before(async () => {
    mkdirSync(join(rendererDir, 'assets'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Seam</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    engine = startEngineWorker();
    await engine.ready;
    host = await startWebHost({ rendererDir, engine: engine.client, logger: silentLogger });
  });

  after(async () => {
    await host?.close();
    await engine?.stop();
  });

  it('binds to 127.0.0.1 and serves the renderer', async () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const page = await httpGet(host.port, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Seam/);
    assert.equal((await httpGet(host.port, '/assets/app.js')).status, 200);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      const res = await httpGet(host.port, path);
      assert.ok(res.status === 403 || res.status === 404, `${path} → ${res.status}`);
      assert.doesNotMatch(res.body, /root:/);
    }
  });

  it('refuses requests whose Host header is not loopback (DNS rebinding)', async () => {
    assert.equal((await httpGet(host.port, '/', `evil.example:${host.port}`)).status, 403);
  });

  it('refuses sockets without the token, with a wrong token or from another origin', async () => {
    const base = `ws://127.0.0.1:${host.port}/engine`;
    await assert.rejects(openSocket(base, host.origin), /403/);
    await assert.rejects(openSocket(`${base}?token=nope`, host.origin), /403/);
    await assert.rejects(openSocket(`${base}?token=${host.token}`, 'https://evil.example'), /403/);
    await assert.rejects(openSocket(`${base}?token=${host.token}`, 'http://localhost:1'), /403/);
  });

  it('carries a contract call to the engine and back', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${host.port}/engine?token=${host.token}`, host.origin);
    try {
      const reply = await call(ws, 1, 'doctor', [{ probeModels: false }]);
      assert.equal(reply.ok, true, JSON.stringify(reply.error));
      const report = reply.value as { runtime: { node: string } };
      assert.equal(report.runtime.node, process.version);
    } finally {
      ws.close();
    }
  });

  it('answers malformed and out-of-contract calls with validation errors, and keeps serving', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${host.port}/engine?token=${host.token}`, host.origin);
    try {
      const unknown = await call(ws, 2, 'readFile', ['/etc/passwd']);
      assert.equal(unknown.ok, false);
      assert.deepEqual((unknown.error as { code: string }).code, 'VALIDATION');
      const badArgs = await call(ws, 3, 'doctor', [{ probeModels: 'yes', extra: 1 }]);
      assert.equal((badArgs.error as { code: string }).code, 'VALIDATION');
      ws.send('not a frame');
      ws.send(Buffer.from([1, 2, 3]));
      const still = await call(ws, 4, 'cancelJob', [{ jobId: '999' }]);
      assert.deepEqual([still.ok, still.value], [true, false]);
    } finally {
      ws.close();
    }
  });
});
