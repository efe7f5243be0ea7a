import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { StorageProbe } from '../../../protocol/machine';

/**
 * Where the command line keeps its data (capsules, index, ledger) when not told otherwise:
 * QLP_HOME, else $XDG_DATA_HOME/qlp, else ~/.local/share/qlp. The extension uses its own
 * workspace storage instead.
 */
export function defaultStorageDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QLP_HOME) return env.QLP_HOME;
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'qlp');
}

/** Whether the storage folder can be created and written to. */
export async function probeStorage(path: string): Promise<StorageProbe> {
  const marker = join(path, `.write-check-${process.pid}`);
  try {
    await mkdir(path, { recursive: true });
    await writeFile(marker, '');
    await rm(marker, { force: true });
    return { path, writable: true };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { path, writable: false, error: `Cannot write to ${path} (${code}); set QLP_HOME to a writable folder.` };
  }
}
