// The rules an archive entry must pass before anything is unpacked, each refusal one sentence.
import { isSafeRelativePath } from '../../../protocol/capsule';
import { filesPrefix, manifestName, quotedName, receiptsPrefix, type EntryType, type ReadEntry } from './archive/layout';
import { UnsafeArchiveError } from './errors';
import { pathShapeProblem, type CapsuleLimits } from './limits';

export type EntryRole = { kind: 'manifest' } | { kind: 'receipt' } | { kind: 'file'; path: string } | { kind: 'folder' };

const typeNames: Partial<Record<EntryType, string>> = {
  symlink: 'a symbolic link',
  hardlink: 'a hard link',
  device: 'a device file',
  fifo: 'a named pipe',
  other: 'of an unsupported type',
};

/** What an entry is in a capsule archive, or a refusal saying why it cannot be one. */
export function entryRole(entry: Pick<ReadEntry, 'name' | 'type'>, limits: CapsuleLimits): EntryRole {
  const shown = quotedName(entry.name);
  const name = entry.type === 'directory' ? entry.name.replace(/\/+$/, '') : entry.name;
  // Length and depth first: cheap, and what keeps a hostile name from costing anything more.
  const shape = pathShapeProblem(name.startsWith(filesPrefix) ? name.slice(filesPrefix.length) : name, limits);
  if (shape) throw new UnsafeArchiveError(`The archive entry ${shown} ${shape}.`);
  if (entry.name.startsWith('/') || /^[A-Za-z]:/.test(entry.name)) {
    throw new UnsafeArchiveError(`The archive entry ${shown} has an absolute path; capsule archives hold relative paths only.`);
  }
  if (entry.name.split(/[\\/]/).includes('..')) {
    throw new UnsafeArchiveError(`The archive entry ${shown} points outside the folder it would unpack into (zip-slip).`);
  }
  if (!isSafeRelativePath(name)) {
    throw new UnsafeArchiveError(`The archive entry ${shown} has a path that is not allowed (empty segments, backslashes or control characters).`);
  }
  const typeName = typeNames[entry.type];
  if (typeName) throw new UnsafeArchiveError(`The archive entry ${shown} is ${typeName}; capsule archives hold regular files only.`);
  if (entry.type === 'directory') {
    if (name === 'files' || name === 'receipts' || name.startsWith(filesPrefix) || name.startsWith(receiptsPrefix)) return { kind: 'folder' };
  } else if (name === manifestName) {
    return { kind: 'manifest' };
  } else if (name.startsWith(receiptsPrefix)) {
    return { kind: 'receipt' };
  } else if (name.startsWith(filesPrefix)) {
    return { kind: 'file', path: name.slice(filesPrefix.length) };
  }
  throw new UnsafeArchiveError(`The archive entry ${shown} is not part of a capsule (capsule.json, receipts/ and files/ are).`);
}
