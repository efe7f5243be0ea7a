// Lists the files of a folder the way a capsule sees it: regular files only, sorted, without
// .git, without what .gitignore ignores, and with symbolic links and special files left out (and
// reported). Reads no content.
import { lstat } from 'node:fs/promises';
import type { LeftOutFile } from '../../../protocol/capsuleApi';
import { errnoCode } from '../common/errno';
import { walk, type WalkOptions } from '../workspace/walk';
import { CapsuleInputError } from './errors';
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

/** What a capsule takes from a folder: what git would track (see workspace/walk.ts). */
function capsuleWalk(signal?: AbortSignal): WalkOptions {
  return {
    gitignore: 'repository',
    signal,
    unreadableFolder: (dir, err) => {
      throw new CapsuleInputError(`Cannot read the folder ${dir} (${errnoCode(err) ?? 'error'}).`);
    },
  };
}

export async function scanFolder(folder: string, limits: CapsuleLimits, signal?: AbortSignal): Promise<FolderScan> {
  const scan: FolderScan = { files: [], leftOut: [], bytes: 0 };
  for await (const { path, abs, kind } of walk(folder, capsuleWalk(signal))) {
    if (kind === 'folder') continue;
    if (kind !== 'file') {
      scan.leftOut.push({ path, reason: kind });
      continue;
    }
    const info = await lstat(abs);
    if (info.size > limits.maxFileBytes) {
      throw new CapsuleInputError(
        `${path} is ${formatBytes(info.size)}, over the ${formatBytes(limits.maxFileBytes)} a capsule file may hold; add it to .gitignore.`,
      );
    }
    scan.files.push({ path, abs, size: info.size, mode: info.mode & 0o777 });
    scan.bytes += info.size;
    if (scan.files.length > limits.maxFiles) {
      throw new CapsuleInputError(`The folder holds more than ${limits.maxFiles} files, more than a capsule may hold; add generated folders to .gitignore.`);
    }
    if (scan.bytes > limits.maxTotalBytes) {
      throw new CapsuleInputError(
        `The folder holds more than ${formatBytes(limits.maxTotalBytes)}, more than a capsule may hold; add large files to .gitignore.`,
      );
    }
  }
  return scan;
}
