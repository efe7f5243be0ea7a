// Where pyright's files are: the installed package when running from the repository, else the
// archive shipped beside the bundle (dist/pyright-<version>.tgz), unpacked once into a cache.
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { cacheRoot } from '../../common/cacheRoot';

let entry: Promise<string> | undefined;

async function unpack(bundleDir: string, archive: string): Promise<string> {
  const root = cacheRoot();
  const target = join(root, archive.replace(/\.tgz$/, ''));
  if (existsSync(join(target, 'index.js'))) return join(target, 'index.js');
  // Unpack beside the target, then move it in place: a half-unpacked copy is never used.
  const scratch = mkdtempSync(join(root, '.pyright-'));
  try {
    await tar.x({ file: join(bundleDir, archive), cwd: scratch });
    try {
      renameSync(scratch, target);
    } catch (err) {
      if (!existsSync(join(target, 'index.js'))) throw err; // another process won the race
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return join(target, 'index.js');
}

/** The pyright command-line entry (index.js) to run with Node. */
export function pyrightEntry(bundleDir: string = __dirname): Promise<string> {
  entry ??= (async () => {
    const archive = readdirSync(bundleDir).find((name) => /^pyright-.+\.tgz$/.test(name));
    if (archive) return unpack(bundleDir, archive);
    return require.resolve('pyright/index.js');
  })();
  return entry;
}
