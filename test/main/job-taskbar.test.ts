/**
 * The desktop app's taskbar bar and render notification, as a user sees them: the bar follows a
 * render, disappears when it ends however it ended, and only a finished or failed render is
 * announced (a cancel was the user's own doing).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobTaskbar } from '../../src/main/job-taskbar';

function recorder() {
  const bar: number[] = [];
  const notes: string[] = [];
  const taskbar = new JobTaskbar({ setProgress: (f) => bar.push(f), notify: (title, body) => notes.push(`${title}: ${body}`) });
  return { taskbar, bar, notes };
}

describe('job taskbar', () => {
  it('follows a render and announces the finished file', () => {
    const { taskbar, bar, notes } = recorder();
    taskbar.progress({ jobId: '3', stage: 'render', done: 25, total: 100 });
    taskbar.progress({ jobId: '3', stage: 'render', done: 50, total: 100 });
    taskbar.settled('renderVideo', { ok: true, value: { name: 'clip-seam.mp4', frames: 100 } });
    assert.deepEqual(bar, [0.25, 0.5, -1]);
    assert.deepEqual(notes, ['Render finished: clip-seam.mp4, 100 frames.']);
  });

  it('removes the bar of a cancelled render without a notification', () => {
    const { taskbar, bar, notes } = recorder();
    taskbar.progress({ jobId: '3', stage: 'render', done: 40, total: 100 });
    taskbar.settled('renderVideo', { ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } });
    assert.deepEqual(bar, [0.4, -1]);
    assert.deepEqual(notes, []);
  });

  it('says why a render failed', () => {
    const { taskbar, notes } = recorder();
    taskbar.settled('renderVideo', { ok: false, error: { code: 'BAD_INPUT', message: 'clip.mp4 is cut short.' } });
    assert.deepEqual(notes, ['Render failed: clip.mp4 is cut short.']);
  });

  it('leaves the bar alone for quick calls and events without a total', () => {
    const { taskbar, bar, notes } = recorder();
    taskbar.progress({ jobId: '4', stage: 'track', done: 10 });
    taskbar.settled('videoFrame', { ok: true, value: {} });
    taskbar.settled('trackVideo', { ok: true, value: {} });
    assert.deepEqual(bar, [-1]);
    assert.deepEqual(notes, []);
  });
});
