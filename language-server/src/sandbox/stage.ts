// Stages a project for the sandbox: copies its files (never following a link) into a folder the
// sandbox reads from, hashing each on the way. The input hash covers paths, contents, executable
// bits and link targets only, so the same project always gives the same hash.
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReceiptFile } from '../../../protocol/sandbox';
import { skippedFolders } from '../workspace/skipList';
import { walk, type WalkEntry, type WalkOptions } from '../workspace/walk';
import { SandboxInputError } from './types';

/** Folders that are outputs or caches, not inputs: never staged, never hashed (the skip-list and test outputs). */
export const excludedDirs = new Set([...skippedFolders, '.nyc_output', 'coverage']);

/** What staging walks: all but the excluded folders; .gitignore does not apply (a run needs the project as it is on disk). */
const stageWalk: WalkOptions = {
  gitignore: 'none',
  skipFolders: excludedDirs,
  unreadableFolder: (_dir, err) => {
    throw err;
  },
};

export interface StageLimits {
  maxFiles: number;
  maxBytes: number;
}

export const defaultStageLimits: StageLimits = { maxFiles: 20_000, maxBytes: 256 * 1024 * 1024 };

export interface StagedProject {
  files: ReceiptFile[];
  inputHash: string;
  bytes: number;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The hash of a file list: one line per file, sorted by path. */
export function treeHash(files: readonly ReceiptFile[]): string {
  const lines = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => `${f.kind} ${f.sha256} ${f.size} ${f.path}\n`);
  return sha256(lines.join(''));
}

/**
 * Copies `projectDir` into `stageDir`, world-readable, and returns what was staged. `stageDir` is
 * emptied, not replaced: a warm container has it mounted, and keeps seeing the same folder.
 */
export async function stageProject(projectDir: string, stageDir: string, limits: StageLimits = defaultStageLimits): Promise<StagedProject> {
  await mkdir(stageDir, { recursive: true });
  for (const entry of await readdir(stageDir)) await rm(join(stageDir, entry), { recursive: true, force: true });
  await chmod(stageDir, 0o755);
  const files: ReceiptFile[] = [];
  let bytes = 0;

  async function stage(entry: WalkEntry): Promise<void> {
    const to = join(stageDir, entry.path);
    if (entry.kind === 'folder') {
      await mkdir(to);
      await chmod(to, 0o755);
      return;
    }
    if (files.length >= limits.maxFiles)
      throw new SandboxInputError(`The project has more than ${limits.maxFiles} files; the sandbox takes projects up to that size.`);
    if (entry.kind === 'symlink') {
      const target = await readlink(entry.abs);
      await symlink(target, to);
      files.push({ path: entry.path, sha256: sha256(target), size: Buffer.byteLength(target), kind: 'link' });
    } else if (entry.kind === 'file') {
      const info = await lstat(entry.abs);
      bytes += info.size;
      if (bytes > limits.maxBytes)
        throw new SandboxInputError(
          `The project is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MiB (outside ${[...excludedDirs].slice(0, 3).join(', ')}, …); the sandbox takes projects up to that size.`,
        );
      const content = await readFile(entry.abs);
      const executable = (info.mode & 0o111) !== 0;
      await writeFile(to, content);
      await chmod(to, executable ? 0o755 : 0o644);
      files.push({ path: entry.path, sha256: sha256(content), size: content.length, kind: executable ? 'exec' : 'file' });
    }
    // Sockets, FIFOs and devices are not project inputs.
  }

  try {
    for await (const entry of walk(projectDir, stageWalk)) await stage(entry);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new SandboxInputError(`${projectDir} is not a folder; give the project's folder.`);
    if (code === 'EACCES') throw new SandboxInputError(`Cannot read ${(err as NodeJS.ErrnoException).path ?? projectDir} (permission denied).`);
    throw err;
  }
  return { files, inputHash: treeHash(files), bytes };
}
