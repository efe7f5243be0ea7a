// Restores a version into its capsule's folder without ever losing work: the folder is first
// recorded as a version of its own (the backup), every blob the restore needs is checked, and a
// file is only replaced or removed when the backup holds its current content. Files no capsule
// holds (ignored, left out as secrets, links) are never touched; if the restore would have to
// touch one, it refuses before changing anything.
import { chmod, lstat, mkdir, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { dirname, join } from 'node:path';
import type { CapsuleFile } from '../../../protocol/capsule';
import type { RestoreResult } from '../../../protocol/capsuleApi';
import { tempPathFor } from '../common/atomicFile';
import type { CapsuleStore } from './capsuleStore';
import type { Control } from '../common/control';
import { hashFile } from './diff';
import { throwIfAborted } from '../common/cancellation';
import { errnoCode } from '../common/errno';
import { CapsuleInputError } from './errors';
import type { CapsuleLimits } from './limits';
import { snapshotFolder } from './snapshot';

export interface RestoreOptions extends Control {
  limits?: CapsuleLimits;
}

const abs = (folder: string, path: string) => join(folder, ...path.split('/'));
const lstatOrNull = (path: string) => lstat(path).catch(() => null);

/** Refuses when writing `path` would replace or write through something no capsule holds. */
async function assertWritable(folder: string, path: string, captured: ReadonlyMap<string, CapsuleFile>, removed: ReadonlySet<string>): Promise<void> {
  const segments = path.split('/');
  for (let i = 1; i <= segments.length; i++) {
    const sub = segments.slice(0, i).join('/');
    const info = await lstatOrNull(abs(folder, sub));
    if (!info) return;
    const last = i === segments.length;
    if (info.isSymbolicLink()) throw new CapsuleInputError(`Restoring would write through ${sub}, a symbolic link; move it away first.`);
    if (info.isDirectory()) {
      if (last) await assertEmptiedByRestore(folder, sub, removed);
      continue;
    }
    if (!captured.has(sub)) {
      throw new CapsuleInputError(
        `Restoring would overwrite ${sub}, which no capsule version holds (ignored or left out as a likely secret); move it away first.`,
      );
    }
    if (!last && !removed.has(sub)) throw new CapsuleInputError(`Restoring needs ${sub} to be a folder; move the file away first.`);
  }
}

/** A folder that must give way to a file: everything in it must be captured files the restore removes. */
async function assertEmptiedByRestore(folder: string, path: string, removed: ReadonlySet<string>): Promise<void> {
  for (const entry of await readdir(abs(folder, path), { withFileTypes: true })) {
    const sub = `${path}/${entry.name}`;
    if (entry.isDirectory()) await assertEmptiedByRestore(folder, sub, removed);
    else if (!removed.has(sub))
      throw new CapsuleInputError(`Restoring would replace the folder ${path}, which holds ${sub} that no capsule version holds; move it away first.`);
  }
}

async function assertUnchanged(folder: string, file: CapsuleFile): Promise<void> {
  if ((await hashFile(abs(folder, file.path))) !== file.sha256) {
    throw new CapsuleInputError(`${file.path} changed while restoring; the restore stopped there and the state before it is kept in the backup version.`);
  }
}

/** Removes a folder that holds only (empty) folders; fails on anything else. */
async function removeEmptyTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) throw new CapsuleInputError(`${join(dir, entry.name)} appeared while restoring; the restore stopped there.`);
    await removeEmptyTree(join(dir, entry.name));
  }
  await rmdir(dir);
}

/** Removes the folders between `path` and `folder` that the restore left empty. */
async function removeEmptyParents(folder: string, path: string): Promise<void> {
  for (let dir = dirname(abs(folder, path)); dir.length > folder.length; dir = dirname(dir)) {
    if ((await readdir(dir).catch(() => ['?'])).length > 0) return;
    await rmdir(dir).catch(() => undefined);
  }
}

export async function restoreVersion(store: CapsuleStore, id: string, version: number, options: RestoreOptions = {}): Promise<RestoreResult> {
  const { signal, onProgress } = options;
  const record = await store.record(id);
  const target = await store.manifest(id, version);
  const folder = record.folder;
  const existed = await lstatOrNull(folder);
  if (existed && !existed.isDirectory()) throw new CapsuleInputError(`${folder} is no longer a folder; move that file away to restore into it.`);
  if (!existed) await mkdir(folder, { recursive: true });
  onProgress?.({ message: 'Recording the folder as it is', done: 0, total: target.files.length });
  // A folder that is gone has nothing to lose: no backup version for it.
  const backup = existed ? await snapshotFolder(store, folder, { signal, limits: options.limits }) : null;
  const before = backup ? await store.manifest(backup.id, backup.version) : { files: [] as CapsuleFile[] };
  const captured = new Map(before.files.map((f) => [f.path, f]));
  const wanted = new Map(target.files.map((f) => [f.path, f]));
  const toRemove = before.files.filter((f) => !wanted.has(f.path));
  const removed = new Set(toRemove.map((f) => f.path));
  const toWrite = target.files.filter((f) => captured.get(f.path)?.sha256 !== f.sha256);
  const toChmod = target.files.filter((f) => captured.get(f.path)?.sha256 === f.sha256 && captured.get(f.path)?.mode !== f.mode);

  for (const file of toWrite) {
    throwIfAborted(signal);
    await assertWritable(folder, file.path, captured, removed);
    const problem = await store.blobs.verify(file.sha256, `${file.path} in ${id}@${version}`);
    if (problem) throw new CapsuleInputError(`${problem.replace(/\.$/, '')}; nothing was restored.`);
  }

  for (const file of toRemove) {
    throwIfAborted(signal);
    const path = abs(folder, file.path);
    if (!(await lstatOrNull(path))?.isFile()) continue;
    await assertUnchanged(folder, file);
    await unlink(path);
    await removeEmptyParents(folder, file.path);
  }
  let done = 0;
  for (const file of toWrite) {
    throwIfAborted(signal);
    onProgress?.({ message: file.path, done: done++, total: toWrite.length });
    const path = abs(folder, file.path);
    const current = captured.get(file.path);
    if ((await lstatOrNull(path))?.isFile()) {
      if (!current)
        throw new CapsuleInputError(`${file.path} appeared while restoring; the restore stopped there and the state before it is kept in the backup version.`);
      await assertUnchanged(folder, current);
    }
    if ((await lstatOrNull(path))?.isDirectory()) await removeEmptyTree(path);
    await mkdir(dirname(path), { recursive: true });
    const temp = tempPathFor(path);
    try {
      await pipeline(
        store.blobs.openVerified(file.sha256, file.size, `${file.path} in ${id}@${version}`),
        createWriteStream(temp, { flags: 'wx', mode: 0o600 }),
      );
      await chmod(temp, file.mode);
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw errnoCode(err)
        ? new CapsuleInputError(`Cannot write ${file.path} (${errnoCode(err)}); the state before the restore is kept in version ${backup?.version}.`)
        : err;
    }
  }
  for (const file of toChmod) await chmod(abs(folder, file.path), file.mode);
  return { id, version, folder, backup: backup && { version: backup.version, created: backup.created }, written: toWrite.length, deleted: toRemove.length };
}
