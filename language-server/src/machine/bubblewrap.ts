import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { BubblewrapProbe } from '../../../protocol/machine';

/** Finds an executable on PATH, like `command -v`. */
export async function findOnPath(name: string, pathVariable: string = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of pathVariable.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Whether bubblewrap is installed, and its version. It is a Linux tool: elsewhere the sandbox is Docker Desktop. */
export async function probeBubblewrap(pathVariable?: string, platform: NodeJS.Platform = process.platform): Promise<BubblewrapProbe> {
  if (platform !== 'linux') return { available: false, error: 'bubblewrap runs on Linux only; on this system the sandbox is Docker Desktop.' };
  const path = await findOnPath('bwrap', pathVariable);
  if (!path)
    return { available: false, error: 'bubblewrap (bwrap) is not on PATH; install it with your package manager (Debian: apt-get install bubblewrap).' };
  return new Promise((resolve) => {
    execFile(path, ['--version'], { timeout: 2000 }, (err, stdout) => {
      if (err) resolve({ available: false, path, error: `bwrap --version failed: ${err.message.split('\n')[0]}` });
      else resolve({ available: true, path, version: stdout.trim().replace(/^bubblewrap\s+/, '') });
    });
  });
}
