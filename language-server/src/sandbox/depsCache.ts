// Installed dependencies, kept between runs: keyed by what decides them (manifests, lock files,
// the image), installed once by the install phase into a folder only installers may write, and
// mounted read-only for every test run after that.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstallPlan, ProjectFiles } from './detect';
import { paths } from './layout';
import { sandboxGid, sandboxUid, type SandboxMount } from './types';

const keepEntries = 16;

export interface DepsSlot {
  key: string;
  /** The finished folder, when an earlier run installed these dependencies. */
  ready?: string;
  /** Where to install now, and how to publish it once the install succeeded. */
  staging: string;
}

/** The cache key: the install command, the environment and the contents of the key files. */
export function depsKey(plan: InstallPlan, files: ProjectFiles, environment: string, inputHash: string): string {
  const hash = createHash('sha256').update(`${environment}\n${plan.command}\n`);
  for (const file of plan.keyFiles) hash.update(`${file}\n${files.read(file) ?? ''}\n`);
  if (plan.keyOnInputs) hash.update(`inputs ${inputHash}\n`);
  return hash.digest('hex').slice(0, 32);
}

/** Makes a folder the sandbox user may write (installers run as that user). */
export async function sandboxWritableDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (process.getuid?.() === 0) await chown(dir, sandboxUid, sandboxGid);
  else await chmod(dir, 0o777);
}

export async function depsSlot(dataDir: string, key: string): Promise<DepsSlot> {
  const dir = join(dataDir, 'deps', key);
  if (existsSync(join(dir, '.complete'))) return { key, ready: join(dir, 'out'), staging: dir };
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true, mode: 0o755 });
  await sandboxWritableDir(join(staging, 'out'));
  return { key, staging };
}

/** Publishes a finished install; returns the folder to mount. */
export async function publishDeps(dataDir: string, slot: DepsSlot): Promise<string> {
  const dir = join(dataDir, 'deps', slot.key);
  await writeFile(join(slot.staging, '.complete'), new Date().toISOString());
  await rename(slot.staging, dir).catch(async (err) => {
    if (!existsSync(join(dir, '.complete'))) throw err;
    await rm(slot.staging, { recursive: true, force: true }); // another run published it first
  });
  await pruneDeps(join(dataDir, 'deps'));
  return join(dir, 'out');
}

export async function discardDeps(slot: DepsSlot): Promise<void> {
  if (!slot.ready) await rm(slot.staging, { recursive: true, force: true });
}

/** Keeps the most recent entries only. */
async function pruneDeps(root: string): Promise<void> {
  const names = (await readdir(root)).filter((n) => /^[0-9a-f]{32}$/.test(n));
  if (names.length <= keepEntries) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(root, n))).mtimeMs })));
  dated.sort((a, b) => b.t - a.t);
  for (const { n } of dated.slice(keepEntries)) await rm(join(root, n), { recursive: true, force: true });
}

/** The mounts of an install phase: its output folder and the installers' download cache, writable. */
export async function installMounts(dataDir: string, plan: InstallPlan, slot: DepsSlot, stack: string): Promise<SandboxMount[]> {
  const cache = join(dataDir, 'cache', stack);
  await sandboxWritableDir(cache);
  return [
    { hostPath: join(slot.staging, 'out'), target: plan.target, readOnly: false },
    { hostPath: cache, target: paths.cache, readOnly: false },
  ];
}
