// Writes that stay inside a folder: the path is checked again, no existing part of it may be a
// symbolic link (a link could point anywhere), and each file is written atomically.
import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomicFile';
import { errnoCode } from '../common/errno';
import { GenerationInputError } from './errors';
import { safeGeneratedPath } from './pathSafety';

/** Throws when writing `relPath` under `root` would follow a link or replace a folder. */
export async function assertWritable(root: string, relPath: string): Promise<string> {
  const path = safeGeneratedPath(relPath);
  const segments = path.split('/');
  let current = root;
  for (let i = 0; i < segments.length; i++) {
    current = join(current, segments[i]!);
    const stat = await lstat(current).catch((err) => {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    });
    if (!stat) return path;
    if (stat.isSymbolicLink())
      throw new GenerationInputError(`${segments.slice(0, i + 1).join('/')} in the target folder is a symbolic link; QLP does not write through links.`);
    const last = i === segments.length - 1;
    if (last && !stat.isFile()) throw new GenerationInputError(`${path} in the target folder is not a regular file; it was left alone.`);
    if (!last && !stat.isDirectory())
      throw new GenerationInputError(`${segments.slice(0, i + 1).join('/')} in the target folder is a file where ${path} needs a folder.`);
  }
  return path;
}

export async function writeConfined(root: string, relPath: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
  const path = await assertWritable(root, relPath);
  const parts = path.split('/');
  if (parts.length > 1) await mkdir(join(root, ...parts.slice(0, -1)), { recursive: true });
  // Checked again after creating folders: nothing may have turned into a link meanwhile.
  await assertWritable(root, path);
  await writeFileAtomic(join(root, ...parts), content, mode);
}
