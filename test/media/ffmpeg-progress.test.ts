// Parsing ffmpeg's stderr: -progress blocks apart from log lines, across arbitrary chunk splits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FfmpegStderrParser, LineTail, parseClockSeconds, type FfmpegProgress } from '../../src/engine/media/ffmpeg-progress';

const STDERR = [
  '[rawvideo @ 0x55] Estimating duration from bitrate, this may be inaccurate',
  'frame=12',
  'fps=0.00',
  'stream_0_0_q=28.0',
  'bitrate=N/A',
  'total_size=N/A',
  'out_time_us=480000',
  'out_time_ms=480000',
  'out_time=00:00:00.480000',
  'dup_frames=0',
  'drop_frames=0',
  'speed=0.96x',
  'progress=continue',
  'Error while decoding stream #0:0: Invalid data found when processing input (a=b)',
  'frame=50',
  'fps=48.5',
  'total_size=123456',
  'out_time_us=2000000',
  'out_time=00:00:02.000000',
  'speed=1.94x',
  'progress=end',
  'last line without newline',
].join('\n');

function parse(chunks: string[]): { progress: FfmpegProgress[]; log: string[] } {
  const progress: FfmpegProgress[] = [];
  const log: string[] = [];
  const parser = new FfmpegStderrParser({ onProgress: (p) => progress.push(p), onLogLine: (line) => log.push(line) });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { progress, log };
}

describe('FfmpegStderrParser', () => {
  const expected = {
    progress: [
      { frame: 12, fps: 0, outTimeSeconds: 0.48, speed: 0.96, ended: false },
      { frame: 50, fps: 48.5, outTimeSeconds: 2, speed: 1.94, totalSizeBytes: 123456, ended: true },
    ],
    log: [
      '[rawvideo @ 0x55] Estimating duration from bitrate, this may be inaccurate',
      'Error while decoding stream #0:0: Invalid data found when processing input (a=b)',
      'last line without newline',
    ],
  };

  it('emits one event per block and keeps log lines apart', () => {
    assert.deepEqual(parse([STDERR]), expected);
  });

  it('gives the same result however the stream is chunked', () => {
    for (const size of [1, 3, 7, 64]) {
      const chunks: string[] = [];
      for (let at = 0; at < STDERR.length; at += size) chunks.push(STDERR.slice(at, at + size));
      assert.deepEqual(parse(chunks), expected, `chunks of ${size}`);
    }
  });

  it('treats N/A and negative sentinel times as unknown, and \\r\\n as a line end', () => {
    const { progress } = parse(['frame=0\r\nout_time_us=-9223372036854775807\r\nout_time=-577014:32:22.775808\r\nspeed=N/A\r\nprogress=continue\r\n']);
    assert.deepEqual(progress, [{ frame: 0, ended: false }]);
  });
});

describe('parseClockSeconds', () => {
  it('reads HH:MM:SS.micro', () => {
    assert.equal(parseClockSeconds('01:02:03.500000'), 3723.5);
    assert.equal(parseClockSeconds('N/A'), undefined);
  });
});

describe('LineTail', () => {
  it('keeps only the last lines', () => {
    const tail = new LineTail(2);
    for (const line of ['a', 'b', 'c']) tail.push(line);
    assert.deepEqual(tail.lines, ['b', 'c']);
  });
});
