// What an export says when it is done: `Exported 12 files to ~/exports/app-v1.zip (3.4 KB).` —
// the archive's path made short (relative to the workspace, or `~` for the home folder) so the
// notification is read whole, not cut off. Pure: no `vscode`, unit-tested.
import { isAbsolute, relative, sep } from 'node:path';
import type { ExportResult } from '../../../protocol/capsuleApi';
import { formatBytes, leftOutNote } from '../capsules/present';

/** `out` as a person reads it: inside a workspace folder relative to it, under home with `~`. */
export function shortPath(out: string, places: { workspace?: string; home?: string }): string {
  const inside = (root: string | undefined) => {
    if (!root) return undefined;
    const rel = relative(root, out);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : undefined;
  };
  const inWorkspace = inside(places.workspace);
  if (inWorkspace) return inWorkspace.split(sep).join('/');
  const inHome = inside(places.home);
  return inHome ? `~/${inHome.split(sep).join('/')}` : out;
}

export function exportedMessage(exported: ExportResult, snapshotNote: string, places: { workspace?: string; home?: string }): string {
  const files = `${exported.files} file${exported.files === 1 ? '' : 's'}`;
  return `${snapshotNote}Exported ${files} to ${shortPath(exported.out, places)} (${formatBytes(exported.bytes)}).${leftOutNote(exported.leftOut)}`;
}
