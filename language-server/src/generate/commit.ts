// Moves a finished run from its staging folder into the target folder. Every path is checked
// before the first write; a folder that already held files is first kept as a capsule version,
// so nothing there is overwritten without a way back.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../common/errno';
import type { CapsuleService } from '../capsule/service';
import { assertWritable, writeConfined } from './confinedWrite';
import { GenerationInputError } from './errors';

/** Whether the folder is missing or empty; throws when the path is not a folder. */
export async function folderIsEmpty(folder: string): Promise<boolean> {
  const info = await stat(folder).catch((err) => {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  });
  if (!info) return true;
  if (!info.isDirectory()) throw new GenerationInputError(`${folder} exists and is not a folder; choose a folder for the project.`);
  return (await readdir(folder)).length === 0;
}

export interface CommitResult {
  /** The capsule version that holds the folder as it was, when it was not empty. */
  before: { id: string; version: number } | null;
}

export async function commitFiles(staging: string, paths: string[], target: string, capsules: CapsuleService): Promise<CommitResult> {
  await mkdir(target, { recursive: true });
  for (const path of paths) await assertWritable(target, path);
  let before: CommitResult['before'] = null;
  if (!(await folderIsEmpty(target))) {
    const snapshot = await capsules.create({ folder: target, includeSecrets: true });
    before = { id: snapshot.id, version: snapshot.version };
  }
  for (const path of paths) {
    const data = await readFile(join(staging, path));
    const mode = (await stat(join(staging, path))).mode & 0o777;
    await writeConfined(target, path, data, mode);
  }
  return { before };
}
