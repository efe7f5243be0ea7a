// QLP's cache folder, shared by everything that keeps derived files between runs (pyright's
// unpacked copy, compiled code): `$XDG_CACHE_HOME/qlp` or `~/.cache/qlp`, else the temporary folder.
import { mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  try {
    mkdirSync(join(base, 'qlp'), { recursive: true });
    return join(base, 'qlp');
  } catch {
    return tmpdir();
  }
}
