// LanceDB's native library for any target. npm installs only this machine's platform package, so
// the others are fetched with `npm pack` (the registry's own client) into a cache folder, checked
// against package-lock.json's integrity, and their .node file is taken out of the tarball.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import type { PackageTarget } from './targets';

/** The version and integrity package-lock.json pins for a package. */
function lockedPackage(repoRoot: string, name: string): { version: string; integrity: string } {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string }> };
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry?.version || !entry.integrity) throw new Error(`package-lock.json pins no version and integrity for ${name}; run npm install.`);
  return { version: entry.version, integrity: entry.integrity };
}

function sriOf(file: string, algorithm: string): string {
  return `${algorithm}-${createHash(algorithm).update(readFileSync(file)).digest('base64')}`;
}

/** The package's tarball in `cacheDir`, fetched once with `npm pack`. */
function packedTarball(repoRoot: string, cacheDir: string, name: string): string {
  const { version, integrity } = lockedPackage(repoRoot, name);
  const tarball = join(cacheDir, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  if (!existsSync(tarball)) {
    mkdirSync(cacheDir, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const out = execFileSync(npm, ['pack', `${name}@${version}`, '--pack-destination', cacheDir, '--json', '--silent'], {
      cwd: cacheDir,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    const [{ filename }] = JSON.parse(out) as Array<{ filename: string }>;
    renameSync(join(cacheDir, filename), tarball);
  }
  const [algorithm] = integrity.split('-');
  if (sriOf(tarball, algorithm!) !== integrity)
    throw new Error(`${tarball} does not match package-lock.json's integrity for ${name}@${version}; delete it and package again.`);
  return tarball;
}

/** The target's native library, unpacked into `cacheDir`; the installed copy when this machine has it. */
export async function nativeLibrary(repoRoot: string, cacheDir: string, target: PackageTarget): Promise<string> {
  const installed = join(repoRoot, 'node_modules', target.lancedbPackage, target.nativeFile);
  const { version } = lockedPackage(repoRoot, target.lancedbPackage);
  if (existsSync(installed) && JSON.parse(readFileSync(join(repoRoot, 'node_modules', target.lancedbPackage, 'package.json'), 'utf8')).version === version)
    return installed;
  const folder = join(cacheDir, `${target.target}-${version}`);
  const unpacked = join(folder, target.nativeFile);
  if (!existsSync(unpacked)) {
    const tarball = packedTarball(repoRoot, cacheDir, target.lancedbPackage);
    // Unpacked beside the cache and moved in whole, so a stopped run leaves no half-written library.
    const partial = `${folder}.partial-${process.pid}`;
    mkdirSync(partial, { recursive: true });
    await tar.x({ file: tarball, cwd: partial, strip: 1, filter: (path) => path === `package/${target.nativeFile}` });
    if (!existsSync(join(partial, target.nativeFile))) throw new Error(`${target.lancedbPackage}@${version} holds no ${target.nativeFile}.`);
    rmSync(folder, { recursive: true, force: true });
    renameSync(partial, folder);
  }
  return unpacked;
}
