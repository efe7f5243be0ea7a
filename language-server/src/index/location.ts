// Where a folder's index lives when the caller does not say: in QLP's data folder, next to the
// workspace's capsules (`<data>/workspaces/<key>/index`), never inside the folder itself.
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { workspaceDir } from '../capsule/workspaceStore';
import { defaultStorageDir } from '../machine/storage';

export async function defaultIndexDir(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return join(workspaceDir(defaultStorageDir(env), await realpath(root)), 'index');
}
