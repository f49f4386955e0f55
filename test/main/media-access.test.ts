import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MediaAccessList, mediaUrlFor } from '../../src/main/media-access';

describe('seam-media:// access list', () => {
  it('serves exactly the files the user opened', () => {
    const list = new MediaAccessList();
    const url = list.allow('/home/ann/Pictures/me.jpg');
    assert.equal(list.resolve(url), '/home/ann/Pictures/me.jpg');
    assert.equal(list.resolve(mediaUrlFor('/home/ann/Pictures/other.jpg')), null);
    assert.equal(list.resolve(mediaUrlFor('/etc/passwd')), null);
  });

  it('is not fooled by traversal, encoding, other schemes or hosts', () => {
    const list = new MediaAccessList();
    list.allow('/home/ann/Pictures/me.jpg');
    const traversal = `seam-media://file/${encodeURIComponent('/home/ann/Pictures/../../../etc/passwd')}`;
    assert.equal(list.resolve(traversal), null);
    const dotted = `seam-media://file/${encodeURIComponent('/home/ann/Pictures/x/../me.jpg')}`;
    assert.equal(list.resolve(dotted), '/home/ann/Pictures/me.jpg');
    assert.equal(list.resolve('file:///home/ann/Pictures/me.jpg'), null);
    assert.equal(list.resolve(`seam-media://other/${encodeURIComponent('/home/ann/Pictures/me.jpg')}`), null);
    assert.equal(list.resolve('seam-media://file/%E0%A4%A'), null);
    assert.equal(list.resolve(`seam-media://file/${encodeURIComponent('relative/me.jpg')}`), null);
    assert.throws(() => list.allow('relative.jpg'), /absolute/);
  });
});
