import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { silentLogger } from '../../src/engine/context';
import { DETECT_MAX_SIDE, FrameAnalyzer } from '../../src/engine/edit/frame-analysis';
import { decodeImage } from '../../src/engine/image/decode';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';

const photo = join(process.cwd(), 'test', 'fixtures', 'media', 'astronaut.png');

describe('frame analysis', () => {
  const pool = new SessionPool({ logger: silentLogger, providers: ['cpu'] });
  const analyzer = new FrameAnalyzer({ paths: resolvePaths(), pool, logger: silentLogger });
  after(() => pool.releaseAll());

  it('computes faces, person and labels once and shares them', async () => {
    const analysis = analyzer.analyze(await decodeImage(photo));
    const [a, b] = await Promise.all([analysis.faces(), analysis.faces()]);
    assert.equal(a, b, 'the same promise result, not a second run');
    assert.equal(a.length, 1);
    assert.equal((await analysis.meshedFaces()).length, 1);
    const labels = await analysis.labels();
    assert.equal(labels.data.length, 512 * 512);
    assert.equal(await analysis.labels(), labels);
  });

  it('finds the same face and landmarks in a large photo through the detection proxy', async () => {
    const small = await decodeImage(photo);
    const scale = 6; // 3072×3072, 9.4 MP: well above the proxy size
    const { data, info } = await sharp(photo).resize(512 * scale, 512 * scale, { kernel: 'lanczos3' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.ok(info.width > DETECT_MAX_SIDE);
    const large = { width: info.width, height: info.height, channels: 3 as const, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    const [smallFace] = await analyzer.analyze(small).meshedFaces();
    const [largeFace] = await analyzer.analyze(large).meshedFaces();
    assert.ok(smallFace && largeFace, 'a face in both');
    const iod = Math.hypot(smallFace.landmarks.points[33]!.x - smallFace.landmarks.points[263]!.x, smallFace.landmarks.points[33]!.y - smallFace.landmarks.points[263]!.y);
    let worst = 0;
    for (const i of [1, 33, 61, 133, 263, 291, 362]) {
      const p = smallFace.landmarks.points[i]!;
      const q = largeFace.landmarks.points[i]!;
      worst = Math.max(worst, Math.hypot(q.x / scale - p.x, q.y / scale - p.y) / iod);
    }
    assert.ok(worst < 0.05, `landmarks in the large photo within 0.05 IOD of the small one's (worst ${worst.toFixed(3)})`);
  });
});
