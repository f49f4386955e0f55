/**
 * What the render bar and the open dialog decide on their own: speed and time left from the
 * progress events (frames kept from a cancelled run are not speed), which progress events belong
 * to which call (and a cancel asked for before the first one), when Resume may be offered, and
 * which dropped files are clips.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProgressEvent } from '../../src/shared/contract';
import { JobWatch } from '../../src/renderer/src/video/job-watch';
import { RenderMeter, formatEta, renderFingerprint } from '../../src/renderer/src/video/render-meter';
import { containerMime, isVideoFile } from '../../src/renderer/src/video/video-files';

describe('render meter', () => {
  it('measures speed between events and the time left from it', () => {
    const meter = new RenderMeter();
    assert.deepEqual(meter.update(0, 300, 0), { done: 0, total: 300, fps: 0, etaSeconds: null });
    meter.update(25, 300, 1000);
    const reading = meter.update(50, 300, 2000);
    assert.equal(reading.fps, 25);
    assert.equal(reading.etaSeconds, 10);
  });

  it('does not count frames kept from a cancelled run as speed', () => {
    const meter = new RenderMeter();
    meter.update(200, 300, 0); // the first event of a resumed render already says 200
    const reading = meter.update(210, 300, 1000);
    assert.equal(reading.fps, 10);
    assert.equal(reading.etaSeconds, 9);
  });

  it('follows the recent speed, not the average since the start', () => {
    const meter = new RenderMeter();
    for (let s = 0; s <= 10; s++) meter.update(s * 30, 1000, s * 1000); // 30 fps for 10 s
    let reading = meter.reading;
    for (let s = 11; s <= 16; s++) reading = meter.update(300 + (s - 10) * 5, 1000, s * 1000); // then 5 fps
    assert.ok(Math.abs(reading.fps - 5) < 1e-9, `fps ${reading.fps}`);
  });

  it('writes time left as a clock', () => {
    assert.equal(formatEta(65), '1:05');
    assert.equal(formatEta(3725), '1:02:05');
  });

  it('fingerprints a render by its settings and its mask bytes', () => {
    const mask = new Uint8Array(1920 * 1080);
    const a = renderFingerprint({ settings: { crf: 18 }, mask });
    assert.equal(renderFingerprint({ settings: { crf: 18 }, mask: mask.slice() }), a);
    assert.notEqual(renderFingerprint({ settings: { crf: 20 }, mask }), a);
    const painted = mask.slice();
    painted[12345] = 1;
    assert.notEqual(renderFingerprint({ settings: { crf: 18 }, mask: painted }), a);
    assert.ok(a.length < 200, 'the mask is hashed, not spelled out');
  });
});

describe('job watch', () => {
  const event = (jobId: string, stage: string, done: number): ProgressEvent => ({ jobId, stage, done, total: 10 });

  it('gives each call the events of its own job, claimed by stage', () => {
    const cancelled: string[] = [];
    const jobs = new JobWatch((id) => cancelled.push(id));
    const track: number[] = [];
    const render: number[] = [];
    const t = jobs.watch('track', (e) => track.push(e.done));
    const r = jobs.watch('render', (e) => render.push(e.done));
    jobs.receive(event('7', 'analyse', 1)); // someone else's job
    jobs.receive(event('8', 'track', 1));
    jobs.receive(event('9', 'render', 1));
    jobs.receive(event('8', 'track', 2));
    jobs.receive(event('9', 'join', 10)); // a later stage of the same render job
    assert.deepEqual(track, [1, 2]);
    assert.deepEqual(render, [1, 10]);
    assert.equal(t.jobId, '8');
    assert.equal(r.jobId, '9');
    r.cancel();
    assert.deepEqual(cancelled, ['9']);
  });

  it('sends a cancel asked for before the first event as soon as the job is known', () => {
    const cancelled: string[] = [];
    const jobs = new JobWatch((id) => cancelled.push(id));
    const r = jobs.watch('render', () => undefined);
    r.cancel();
    assert.deepEqual(cancelled, []);
    jobs.receive(event('4', 'render', 0));
    assert.deepEqual(cancelled, ['4']);
  });

  it('does not hand a finished job’s late events to the next call', () => {
    const jobs = new JobWatch(() => undefined);
    const first = jobs.watch('render', () => undefined);
    jobs.receive(event('3', 'render', 5));
    first.stop();
    const seen: string[] = [];
    jobs.watch('render', (e) => seen.push(e.jobId));
    jobs.receive(event('3', 'render', 10));
    jobs.receive(event('5', 'render', 1));
    assert.deepEqual(seen, ['5']);
  });
});

describe('video files', () => {
  it('takes the clip formats the open dialog lists, by extension or type', () => {
    for (const name of ['a.mp4', 'B.MOV', 'c.mkv', 'd.webm', 'e.m4v']) assert.ok(isVideoFile({ name }), name);
    assert.ok(isVideoFile({ name: 'clip', type: 'video/mp4' }));
    for (const name of ['photo.jpg', 'scan.tiff', 'mp4', 'notes.mp4.txt']) assert.ok(!isVideoFile({ name, type: '' }), name);
    assert.equal(containerMime('mov'), 'video/quicktime');
  });
});
