// What changed between two file lists: a version and another version, or a version and the
// folder as it is now.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { CapsuleFile } from '../../../protocol/capsule';
import type { CapsuleChange } from '../../../protocol/capsuleApi';
import { throwIfAborted } from '../common/cancellation';
import { scanFolder } from './folderScan';
import type { CapsuleLimits } from './limits';

const state = (f: CapsuleFile) => ({ sha256: f.sha256, size: f.size, mode: f.mode });

/** Changes from `before` to `after`, sorted by path. */
export function diffFiles(before: readonly CapsuleFile[], after: readonly CapsuleFile[]): CapsuleChange[] {
  const old = new Map(before.map((f) => [f.path, f]));
  const changes: CapsuleChange[] = [];
  for (const file of after) {
    const previous = old.get(file.path);
    old.delete(file.path);
    if (!previous) changes.push({ path: file.path, status: 'added', after: state(file) });
    else if (previous.sha256 !== file.sha256) changes.push({ path: file.path, status: 'modified', before: state(previous), after: state(file) });
    else if (previous.mode !== file.mode) changes.push({ path: file.path, status: 'mode', before: state(previous), after: state(file) });
  }
  for (const file of old.values()) changes.push({ path: file.path, status: 'removed', before: state(file) });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The folder's files as a capsule would list them (hashed, nothing stored). */
export async function folderFiles(folder: string, limits: CapsuleLimits, signal?: AbortSignal): Promise<CapsuleFile[]> {
  const files: CapsuleFile[] = [];
  for (const file of (await scanFolder(folder, limits, signal)).files) {
    throwIfAborted(signal);
    files.push({ path: file.path, sha256: await hashFile(file.abs), size: file.size, mode: file.mode });
  }
  return files;
}
