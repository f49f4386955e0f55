import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appRootFromHere, resolvePaths } from '../../src/engine/paths';

describe('resource paths in development and when packaged', () => {
  it('development: models and ffmpeg under the repository’s resources/', () => {
    const root = appRootFromHere();
    assert.ok(existsSync(join(root, 'package.json')), `app root ${root} has no package.json`);
    const paths = resolvePaths({ dataDir: '/tmp/seam-data', env: {} });
    assert.equal(paths.builtInModelsDir, join(root, 'resources', 'models'));
    assert.equal(paths.bundledFfmpegDir, join(root, 'resources', 'ffmpeg'));
    assert.equal(paths.userModelsDir, '/tmp/seam-data/models');
  });

  it('packaged: under Electron’s resourcesPath, where electron-builder puts extraResources', () => {
    const paths = resolvePaths({ packagedResourcesPath: '/opt/Seam/resources', dataDir: '/home/a/.config/Seam', env: {} });
    assert.equal(paths.builtInModelsDir, '/opt/Seam/resources/models');
    assert.equal(paths.bundledFfmpegDir, '/opt/Seam/resources/ffmpeg');
    assert.equal(paths.userModelsDir, '/home/a/.config/Seam/models');
  });

  it('SEAM_HOME and SEAM_MODELS_DIR override the defaults', () => {
    const paths = resolvePaths({ env: { SEAM_HOME: '/data/seam', SEAM_MODELS_DIR: '/models' } });
    assert.equal(paths.dataDir, '/data/seam');
    assert.equal(paths.builtInModelsDir, '/models');
  });

  it('the electron-builder config ships models and ffmpeg to exactly those folders', async () => {
    const { readFileSync } = await import('node:fs');
    const config = readFileSync(join(appRootFromHere(), 'build', 'electron-builder.yml'), 'utf8');
    assert.match(config, /from: resources\/models\s+to: models/);
    assert.match(config, /to: ffmpeg/);
  });
});
