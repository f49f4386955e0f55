// The ffmpeg/ffprobe search order, on staged machines (injected env, files, PATH and packages).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SeamError } from '../../src/shared/errors';
import {
  findMediaTool,
  parseVersionLine,
  unpackedAsarPath,
  type MediaToolName,
  type MediaToolSearch,
  type VersionProbe,
} from '../../src/engine/media/locate-ffmpeg';

interface Machine {
  env?: Record<string, string>;
  files?: string[];
  /** Files that exist but fail to run (an npm binary left without its execute bit). */
  broken?: string[];
  onPath?: Record<string, string>;
  packages?: Partial<Record<MediaToolName, string>>;
  bundledDir?: string;
  platform?: NodeJS.Platform;
}

function stage(machine: Machine): MediaToolSearch {
  const files = new Set([...(machine.files ?? []), ...(machine.broken ?? [])]);
  const search: MediaToolSearch = {
    env: machine.env ?? {},
    platform: machine.platform ?? 'linux',
    fileExists: (path) => files.has(path),
    which: (command) => machine.onPath?.[command],
    packageBinaryPath: (tool) => machine.packages?.[tool],
    readVersion: async (path): Promise<VersionProbe> => {
      if (machine.broken?.includes(path)) return { ok: false, reason: 'EACCES' };
      const tool = path.includes('ffprobe') ? 'ffprobe' : 'ffmpeg';
      return { ok: true, firstLine: `${tool} version 6.1.1-from-${path} Copyright (c) 2000-2023 the FFmpeg developers` };
    },
  };
  if (machine.bundledDir !== undefined) search.bundledDir = machine.bundledDir;
  return search;
}

const BUNDLED = join('/opt/Seam/resources', 'ffmpeg');
const everything: Machine = {
  env: { FFMPEG_PATH: '/custom/ffmpeg', FFPROBE_PATH: '/custom/ffprobe' },
  files: ['/custom/ffmpeg', '/custom/ffprobe', join(BUNDLED, 'ffmpeg'), join(BUNDLED, 'ffprobe'), '/nm/ffmpeg-static/ffmpeg', '/nm/ffprobe', '/usr/bin/ffmpeg', '/usr/bin/ffprobe'],
  bundledDir: BUNDLED,
  packages: { ffmpeg: '/nm/ffmpeg-static/ffmpeg', ffprobe: '/nm/ffprobe' },
  onPath: { ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe' },
};

describe('findMediaTool', () => {
  it('FFMPEG_PATH / FFPROBE_PATH win over everything', async () => {
    const ffmpeg = await findMediaTool('ffmpeg', stage(everything));
    assert.deepEqual([ffmpeg.source, ffmpeg.path, ffmpeg.major, ffmpeg.minor], ['env', '/custom/ffmpeg', 6, 1]);
    assert.match(ffmpeg.versionLine, /^ffmpeg version 6\.1\.1/);
    const ffprobe = await findMediaTool('ffprobe', stage(everything));
    assert.deepEqual([ffprobe.source, ffprobe.path], ['env', '/custom/ffprobe']);
  });

  it('a set but broken override is an error naming it, not silently skipped', async () => {
    const machine = { ...everything, env: { FFMPEG_PATH: '/typo/ffmpeg' } };
    await assert.rejects(findMediaTool('ffmpeg', stage(machine)), (error: unknown) => {
      assert.ok(error instanceof SeamError);
      assert.equal(error.code, 'MISSING_DEPENDENCY');
      assert.match(error.message, /FFMPEG_PATH points to \/typo\/ffmpeg, which does not exist/);
      return true;
    });
  });

  it('the binary bundled with the packaged app comes next', async () => {
    const found = await findMediaTool('ffmpeg', stage({ ...everything, env: {} }));
    assert.deepEqual([found.source, found.path], ['bundled', join(BUNDLED, 'ffmpeg')]);
  });

  it('looks for ffmpeg.exe on Windows', async () => {
    const machine: Machine = { platform: 'win32', bundledDir: BUNDLED, files: [join(BUNDLED, 'ffmpeg.exe')] };
    assert.equal((await findMediaTool('ffmpeg', stage(machine))).path, join(BUNDLED, 'ffmpeg.exe'));
  });

  it('uses the npm package binary only when its file exists', async () => {
    const withPackage = { ...everything, env: {}, bundledDir: '/nowhere' };
    assert.equal((await findMediaTool('ffmpeg', stage(withPackage))).source, 'npm-package');
    // ffmpeg-static resolves a path even when its install script never downloaded the binary.
    const binaryAbsent = { ...withPackage, files: ['/usr/bin/ffmpeg'] };
    const found = await findMediaTool('ffmpeg', stage(binaryAbsent));
    assert.deepEqual([found.source, found.path], ['system', '/usr/bin/ffmpeg']);
  });

  it('skips an npm binary that exists but does not run', async () => {
    const machine: Machine = { packages: { ffprobe: '/nm/ffprobe' }, broken: ['/nm/ffprobe'], files: ['/usr/bin/ffprobe'], onPath: { ffprobe: '/usr/bin/ffprobe' } };
    const found = await findMediaTool('ffprobe', stage(machine));
    assert.deepEqual([found.source, found.path], ['system', '/usr/bin/ffprobe']);
  });

  it('falls back to the system binary on PATH last', async () => {
    const found = await findMediaTool('ffprobe', stage({ onPath: { ffprobe: '/usr/bin/ffprobe' }, files: ['/usr/bin/ffprobe'] }));
    assert.deepEqual([found.source, found.path, found.version], ['system', '/usr/bin/ffprobe', '6.1.1-from-/usr/bin/ffprobe']);
  });

  it('says what it tried when nothing works', async () => {
    const machine: Machine = { bundledDir: BUNDLED, packages: { ffmpeg: '/nm/ffmpeg-static/ffmpeg' }, broken: [] };
    await assert.rejects(findMediaTool('ffmpeg', stage(machine)), (error: unknown) => {
      assert.ok(error instanceof SeamError);
      assert.equal(error.code, 'MISSING_DEPENDENCY');
      assert.match(error.message, /^ffmpeg was not found\. Tried: /);
      assert.match(error.message, /FFMPEG_PATH \(not set\)/);
      assert.match(error.message, /bundled \/opt\/Seam\/resources\/ffmpeg\/ffmpeg \(does not exist\)/);
      assert.match(error.message, /npm-package \/nm\/ffmpeg-static\/ffmpeg \(does not exist\)/);
      assert.match(error.message, /ffmpeg on PATH \(not found\)/);
      assert.equal((error.details?.tried as string[]).length, 4);
      return true;
    });
  });
});

describe('parseVersionLine', () => {
  it('reads release, Debian, BtbN and git version strings', () => {
    assert.deepEqual(parseVersionLine('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers'), {
      version: '5.1.9-0+deb12u1', major: 5, minor: 1,
    });
    assert.deepEqual(parseVersionLine('ffmpeg version n7.1 Copyright'), { version: 'n7.1', major: 7, minor: 1 });
    assert.deepEqual(parseVersionLine('ffprobe version N-112233-gabcdef0 Copyright'), { version: 'N-112233-gabcdef0' });
    assert.equal(parseVersionLine('not ffmpeg'), undefined);
  });
});

describe('unpackedAsarPath', () => {
  it('points into app.asar.unpacked, where binaries can run', () => {
    assert.equal(unpackedAsarPath('/opt/Seam/resources/app.asar/node_modules/ffmpeg-static/ffmpeg'), '/opt/Seam/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg');
    assert.equal(unpackedAsarPath('C:\\Seam\\resources\\app.asar\\node_modules\\x.exe'), 'C:\\Seam\\resources\\app.asar.unpacked\\node_modules\\x.exe');
    assert.equal(unpackedAsarPath('/home/me/seam/node_modules/ffmpeg-static/ffmpeg'), '/home/me/seam/node_modules/ffmpeg-static/ffmpeg');
  });
});
