import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerialQueue } from '../../src/engine/inference/serial-queue';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SerialQueue', () => {
  it('runs tasks one at a time, in order', async () => {
    const queue = new SerialQueue();
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    const tasks = Array.from({ length: 10 }, (_, i) =>
      queue.push(async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await tick(i % 3);
        order.push(i);
        running -= 1;
        return i * 2;
      }),
    );
    assert.equal(queue.size, 10);
    assert.deepEqual(await Promise.all(tasks), tasks.map((_, i) => i * 2));
    assert.equal(maxRunning, 1);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.equal(queue.size, 0);
  });

  it('a failing task fails only its own caller', async () => {
    const queue = new SerialQueue();
    const failing = queue.push(() => Promise.reject(new Error('boom')));
    const next = queue.push(() => 'fine');
    await assert.rejects(failing, /boom/);
    assert.equal(await next, 'fine');
  });

  it('drain waits for everything queued before it', async () => {
    const queue = new SerialQueue();
    let done = false;
    void queue.push(async () => {
      await tick(20);
      done = true;
    });
    await queue.drain();
    assert.equal(done, true);
  });
});
