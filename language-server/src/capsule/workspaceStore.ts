// Where a workspace's capsules live: `<dataDir>/workspaces/<key>/`, with `key` the first 16 hex
// digits of sha256(realpath(workspace root)). The editor (first workspace folder) and the command
// line (the working directory, or the nearest parent folder that has a store) reach the same
// folder for the same workspace; it is never inside the workspace or its .git.
import { createHash } from 'node:crypto';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../common/atomicFile';
import { errnoCode } from '../common/errno';
import { CapsuleInputError, CorruptStoreError } from './errors';

export interface WorkspaceRecord {
  root: string;
  createdAt: string;
}

export function workspaceKey(realRoot: string): string {
  return createHash('sha256').update(realRoot).digest('hex').slice(0, 16);
}

export function workspaceDir(dataDir: string, realRoot: string): string {
  return join(dataDir, 'workspaces', workspaceKey(realRoot));
}

async function realFolder(path: string): Promise<string> {
  try {
    const real = await realpath(path);
    if ((await stat(real)).isDirectory()) return real;
  } catch {
    // reported below
  }
  throw new CapsuleInputError(`The workspace folder ${path} does not exist or is not a folder.`);
}

/**
 * The store folder of the workspace rooted at `root`, created (with its workspace.json) unless
 * `create` is false (readers of a workspace that has no store yet see an empty one).
 */
export async function openWorkspaceDir(dataDir: string, root: string, create = true): Promise<{ root: string; dir: string }> {
  const realRoot = await realFolder(root);
  const dir = workspaceDir(dataDir, realRoot);
  const recordPath = join(dir, 'workspace.json');
  // Only an absent record is written: one that cannot be read is reported, never replaced.
  const exists = await stat(recordPath).then(
    () => true,
    (err: unknown) => {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return false;
      throw new CorruptStoreError(`The workspace record ${recordPath} cannot be read (${errnoCode(err) ?? (err as Error).message}); repair its permissions.`);
    },
  );
  if (!exists && create) {
    await mkdir(dir, { recursive: true });
    const record: WorkspaceRecord = { root: realRoot, createdAt: new Date().toISOString() };
    await writeFileAtomic(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  }
  return { root: realRoot, dir };
}

/**
 * The workspace root the command line uses from `cwd`: the nearest folder (cwd itself or a parent)
 * that already has a capsule store, else cwd.
 */
export async function findWorkspaceRoot(dataDir: string, cwd: string): Promise<string> {
  const start = await realFolder(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (
      await stat(join(workspaceDir(dataDir, dir), 'workspace.json')).then(
        () => true,
        () => false,
      )
    )
      return dir;
    if (dirname(dir) === dir) return start;
  }
}
