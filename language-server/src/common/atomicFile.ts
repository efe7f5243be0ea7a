// Writes that never leave a half-written file behind: data goes to a temporary file in the same
// folder, is flushed to disk, and only then takes its final name (rename, or link when the name
// must not exist yet). A crash leaves at worst a temporary file, which garbage collection removes.
import { randomBytes } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const tempPrefix = '.qlp-tmp-';

/** A fresh temporary name next to `path` (same folder, so rename and link stay atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${tempPrefix}${basename(path).slice(0, 40)}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

async function writeTemp(path: string, data: string | Uint8Array, mode: number): Promise<string> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  return temp;
}

/** Replaces `path` with `data` atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = await writeTemp(path, data, mode);
  try {
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Creates `path` with `data` atomically; fails with EEXIST (writing nothing) if it exists. */
export async function writeFileExclusive(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = await writeTemp(path, data, mode);
  try {
    await link(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}
