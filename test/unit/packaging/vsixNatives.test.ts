// Every platform's .vsix holds its own LanceDB native library and no other's. The packages are
// made by `npm run package:targets` (run here when missing or older than the bundles), and each
// is opened as the ZIP it is.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import yauzl from 'yauzl';
import { packageTargets, unsupportedTargets, vsixName } from '../../../scripts/packaging/targets';
import { distDir, repoRoot, requireBuilt } from '../../support/paths';

/** Name → uncompressed size of every entry, read from the central directory only. */
async function zipListing(path: string): Promise<Map<string, number>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const entries = new Map<string, number>();
  try {
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry.uncompressedSize);
  } finally {
    zip.close();
  }
  return entries;
}

const vsixPath = (target: string) => join(distDir, vsixName(target));

describe('platform packages', { timeout: 600_000 }, () => {
  before(() => {
    const bundle = statSync(requireBuilt(join(distDir, 'extension.js'))).mtimeMs;
    const stale =
      !existsSync(join(distDir, 'vsix-sizes.json')) ||
      packageTargets.some((t) => !existsSync(vsixPath(t.target)) || statSync(vsixPath(t.target)).mtimeMs < bundle);
    if (stale)
      execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'package-targets.ts'), '--no-bundle'], {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
  });

  for (const target of packageTargets) {
    it(`${vsixName(target.target)} holds ${target.nativeFile} and no other native library`, async () => {
      const entries = await zipListing(vsixPath(target.target));
      const natives = [...entries.keys()].filter((name) => name.endsWith('.node'));
      assert.deepEqual(natives, [`extension/dist/${target.nativeFile}`]);
      // The library is the platform package's whole file, not a stub.
      assert.ok(
        entries.get(`extension/dist/${target.nativeFile}`)! > 50 * 1024 * 1024,
        `${target.nativeFile} is only ${entries.get(`extension/dist/${target.nativeFile}`)} bytes`,
      );
      for (const other of packageTargets.filter((t) => t !== target))
        assert.ok(!entries.has(`extension/dist/${other.nativeFile}`), `${other.nativeFile} is in ${target.target}'s package`);
      // The rest of QLP is there too: the bundles the library serves.
      for (const bundle of ['extension.js', 'server.js', 'cli.js', 'qlp.js', 'indexWorker.js'])
        assert.ok(entries.has(`extension/dist/${bundle}`), `${bundle} is missing`);
    });

    it(`${vsixName(target.target)} declares the ${target.target} platform`, async () => {
      const zip = await yauzl.openPromise(vsixPath(target.target), { lazyEntries: true });
      let manifest = '';
      try {
        for await (const entry of zip.eachEntry()) {
          if (entry.fileName !== 'extension.vsixmanifest') continue;
          for await (const chunk of await zip.openReadStreamPromise(entry)) manifest += chunk;
        }
      } finally {
        zip.close();
      }
      assert.match(manifest, new RegExp(`TargetPlatform="${target.target}"`));
    });
  }

  it("records each package's size, and says why there is no darwin-x64 package", () => {
    const sizes = JSON.parse(readFileSync(join(distDir, 'vsix-sizes.json'), 'utf8'));
    for (const target of packageTargets) {
      assert.ok(sizes.targets[target.target].bytes > 0, target.target);
      assert.equal(sizes.targets[target.target].nativeFile, target.nativeFile);
    }
    assert.ok(!packageTargets.some((t) => (t.target as string) === 'darwin-x64'));
    assert.match(unsupportedTargets['darwin-x64']!, /LanceDB 0\.31 ships no darwin-x64/);
    assert.deepEqual(sizes.notPackaged, unsupportedTargets);
  });
});
