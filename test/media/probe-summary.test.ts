// ffprobe JSON → MediaSummary, on hand-written probes of the awkward cases (rotation, mkv, cover art).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bitDepthOf, estimatedFrameCount, parseFrameRate, rotationOf, summarizeProbe } from '../../src/engine/media/probe-summary';

const PHONE_CLIP = {
  streams: [
    {
      index: 0,
      codec_name: 'hevc',
      profile: 'Main 10',
      codec_type: 'video',
      width: 1920,
      height: 1080,
      pix_fmt: 'yuv420p10le',
      r_frame_rate: '30/1',
      avg_frame_rate: '10800/361',
      duration: '12.033333',
      nb_frames: '360',
      disposition: { default: 1, attached_pic: 0 },
      side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }],
      tags: { rotate: '90' },
    },
    { index: 1, codec_name: 'aac', codec_type: 'audio', sample_rate: '44100', channels: 2, channel_layout: 'stereo', duration: '12.05', r_frame_rate: '0/0' },
    { index: 2, codec_name: 'mjpeg', codec_type: 'video', width: 600, height: 600, pix_fmt: 'yuvj420p', disposition: { attached_pic: 1 } },
    { index: 3, codec_type: 'data', codec_tag_string: 'mebx' },
  ],
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '12.05', size: '9000000', bit_rate: '5975103', tags: { major_brand: 'qt  ', count: 3 } },
};

describe('summarizeProbe', () => {
  it('describes a rotated 10-bit phone clip with sound and cover art', () => {
    const summary = summarizeProbe('/v/phone.mov', PHONE_CLIP);
    assert.ok(summary);
    assert.equal(summary.container, 'mov,mp4,m4a,3gp,3g2,mj2');
    assert.equal(summary.durationSeconds, 12.05);
    assert.deepEqual(summary.tags, { major_brand: 'qt  ' });
    assert.deepEqual(summary.video, {
      index: 0,
      codec: 'hevc',
      profile: 'Main 10',
      width: 1920,
      height: 1080,
      displayWidth: 1080,
      displayHeight: 1920,
      rotation: 90,
      isAttachedPicture: false,
      pixelFormat: 'yuv420p10le',
      bitDepth: 10,
      realFrameRate: { text: '30/1', value: 30 },
      averageFrameRate: { text: '10800/361', value: 10800 / 361 },
      frameCount: 360,
      durationSeconds: 12.033333,
    });
    assert.equal(summary.videoStreams.length, 2);
    assert.equal(summary.videoStreams[1]?.isAttachedPicture, true);
    assert.deepEqual(summary.audioStreams, [{ index: 1, codec: 'aac', channels: 2, channelLayout: 'stereo', sampleRate: 44100, durationSeconds: 12.05 }]);
    assert.equal(estimatedFrameCount(summary), 360);
  });

  it('estimates the frame count where the container stores none (mkv)', () => {
    const summary = summarizeProbe('/v/a.mkv', {
      streams: [{ index: 0, codec_name: 'h264', codec_type: 'video', width: 640, height: 480, r_frame_rate: '25/1', avg_frame_rate: '25/1' }],
      format: { format_name: 'matroska,webm', duration: '4.000000' },
    });
    assert.ok(summary);
    assert.equal(summary.video?.frameCount, undefined);
    assert.equal(estimatedFrameCount(summary), 100);
  });

  it('leaves video undefined when only cover art is there, and refuses non-ffprobe JSON', () => {
    const song = summarizeProbe('/m/song.m4a', { streams: [PHONE_CLIP.streams[2]], format: { format_name: 'mov,mp4' } });
    assert.equal(song?.video, undefined);
    assert.equal(summarizeProbe('/x', { hello: 'world' }), undefined);
    assert.equal(summarizeProbe('/x', null), undefined);
  });
});

describe('probe field helpers', () => {
  it('rotationOf reads the display matrix (counter-clockwise) before the old rotate tag (clockwise)', () => {
    assert.equal(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }), 90);
    assert.equal(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] }), 270);
    assert.equal(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -180.0001 }] }), 180);
    assert.equal(rotationOf({ tags: { rotate: '270' } }), 270);
    assert.equal(rotationOf({}), 0);
  });

  it('bitDepthOf prefers bits_per_raw_sample, then the pixel format', () => {
    assert.equal(bitDepthOf('yuv420p', '8'), 8);
    assert.equal(bitDepthOf('yuv420p10le', undefined), 10);
    assert.equal(bitDepthOf('yuv422p12be', undefined), 12);
    assert.equal(bitDepthOf('yuvj420p', undefined), 8);
    assert.equal(bitDepthOf('rgb48le', undefined), 16);
    assert.equal(bitDepthOf('p010le', undefined), 10);
    assert.equal(bitDepthOf('weird', undefined), undefined);
  });

  it('parseFrameRate keeps the exact text and rejects 0/0', () => {
    assert.deepEqual(parseFrameRate('30000/1001'), { text: '30000/1001', value: 30000 / 1001 });
    assert.equal(parseFrameRate('0/0'), undefined);
    assert.equal(parseFrameRate(25), undefined);
  });
});
