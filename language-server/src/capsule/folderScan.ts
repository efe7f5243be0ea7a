// Lists the files of a folder the way a capsule sees it: regular files only, sorted, without
// .git, without what .gitignore ignores, and with symbolic links and special files left out (and
// reported). Reads no content.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LeftOutFile } from '../../../protocol/capsuleApi';
import { throwIfAborted } from '../common/cancellation';
import { errnoCode } from '../common/errno';
import { CapsuleInputError } from './errors';
import { IgnoreRules } from './ignoreRules';
import { formatBytes, type CapsuleLimits } from './limits';

export interface ScannedFile {
  /** Relative, `/`-separated. */
  path: string;
  abs: string;
  size: number;
  /** Permission bits. */
  mode: number;
}

export interface FolderScan {
  files: ScannedFile[];
  leftOut: LeftOutFile[];
  bytes: number;
}

export async function scanFolder(folder: string, limits: CapsuleLimits, signal?: AbortSignal): Promise<FolderScan> {
  const scan: FolderScan = { files: [], leftOut: [], bytes: 0 };
  await walk(folder, '', await IgnoreRules.above(folder), scan, limits, signal);
  return scan;
}

async function walk(dir: string, prefix: string, inherited: IgnoreRules, scan: FolderScan, limits: CapsuleLimits, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  const rules = await inherited.withFolder(dir);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new CapsuleInputError(`Cannot read the folder ${dir} (${errnoCode(err) ?? 'error'}).`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const abs = join(dir, entry.name);
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!rules.ignores(abs, true)) await walk(abs, path, rules, scan, limits, signal);
      continue;
    }
    if (rules.ignores(abs, false)) continue;
    if (entry.isSymbolicLink()) {
      scan.leftOut.push({ path, reason: 'symlink' });
      continue;
    }
    if (!entry.isFile()) {
      scan.leftOut.push({ path, reason: 'special' });
      continue;
    }
    const info = await lstat(abs);
    if (info.size > limits.maxFileBytes) {
      throw new CapsuleInputError(`${path} is ${formatBytes(info.size)}, over the ${formatBytes(limits.maxFileBytes)} a capsule file may hold; add it to .gitignore.`);
    }
    scan.files.push({ path, abs, size: info.size, mode: info.mode & 0o777 });
    scan.bytes += info.size;
    if (scan.files.length > limits.maxFiles) {
      throw new CapsuleInputError(`The folder holds more than ${limits.maxFiles} files, more than a capsule may hold; add generated folders to .gitignore.`);
    }
    if (scan.bytes > limits.maxTotalBytes) {
      throw new CapsuleInputError(`The folder holds more than ${formatBytes(limits.maxTotalBytes)}, more than a capsule may hold; add large files to .gitignore.`);
    }
  }
}
