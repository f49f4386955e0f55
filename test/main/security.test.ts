import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTENT_SECURITY_POLICY, isTrustedRendererUrl } from '../../src/main/security';

describe('main-process security checks', () => {
  it('trusts only our renderer page as an IPC sender', () => {
    const built = 'file:///opt/Seam/resources/app.asar/out/renderer/index.html';
    assert.ok(isTrustedRendererUrl('file:///opt/Seam/resources/app.asar/out/renderer/index.html', built));
    assert.ok(!isTrustedRendererUrl('file:///tmp/evil.html', built));
    assert.ok(!isTrustedRendererUrl('https://example.com/', built));
    assert.ok(!isTrustedRendererUrl('', built));
    const dev = 'http://localhost:5173/';
    assert.ok(isTrustedRendererUrl('http://localhost:5173/index.html', dev));
    assert.ok(!isTrustedRendererUrl('http://localhost:5174/', dev));
  });

  it('the CSP allows no remote scripts, objects or framing', () => {
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
    assert.match(CONTENT_SECURITY_POLICY, /object-src 'none'/);
    assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval/);
  });
});
