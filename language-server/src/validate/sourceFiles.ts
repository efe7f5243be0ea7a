// The files of one run: a whole workspace from disk, or a few files (editor documents, whose
// unsaved text stands in for the disk), filtered by the languages that are switched on.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { ValidatedLanguage } from '../../../protocol/validate';
import { looksBinary } from '../workspace/binary';
import { languageOf } from '../workspace/languages';
import { wouldWalk } from '../workspace/walk';
import { relPath } from './findings';
import type { SourceFile, StageFinding } from './model';
import { defaultMaxFileBytes, listWorkspaceFiles, tooLargeNotice, unreadableNotice, validationWalk } from './workspaceFiles';

export interface FileSelection {
  root: string;
  /** Absolute paths to validate; without them, the whole root. */
  only?: string[];
  overlays: ReadonlyMap<string, string>;
  languages?: readonly ValidatedLanguage[];
  maxFileBytes?: number;
  signal?: AbortSignal;
}

async function readOne(root: string, absPath: string, overlays: ReadonlyMap<string, string>, maxBytes: number): Promise<SourceFile | StageFinding | undefined> {
  const path = relPath(root, absPath);
  const overlay = overlays.get(absPath);
  if (overlay !== undefined) {
    if (overlay.length > maxBytes) return tooLargeNotice(path, overlay.length, maxBytes);
    return { path, absPath, text: overlay, language: languageOf(path).validator };
  }
  try {
    const size = (await stat(absPath)).size;
    if (size > maxBytes) return tooLargeNotice(path, size, maxBytes);
    const bytes = await readFile(absPath);
    if (looksBinary(bytes)) return undefined;
    return { path, absPath, text: new TextDecoder('utf-8').decode(bytes), language: languageOf(path).validator };
  } catch (err) {
    return unreadableNotice(path, err);
  }
}

export async function selectFiles(selection: FileSelection): Promise<{ files: SourceFile[]; notices: StageFinding[] }> {
  const maxBytes = selection.maxFileBytes ?? defaultMaxFileBytes;
  let files: SourceFile[] = [];
  let notices: StageFinding[] = [];
  if (selection.only) {
    for (const absPath of selection.only) {
      const path = relPath(selection.root, absPath);
      if (!isAbsolute(absPath) || path.startsWith('..') || !(await wouldWalk(selection.root, path, validationWalk()))) continue;
      const result = await readOne(selection.root, absPath, selection.overlays, maxBytes);
      if (!result) continue;
      if ('absPath' in result) files.push(result);
      else notices.push(result);
    }
  } else {
    ({ files, notices } = await listWorkspaceFiles(selection.root, { maxFileBytes: maxBytes, signal: selection.signal }));
    files = files.map((f) => (selection.overlays.has(f.absPath) ? { ...f, text: selection.overlays.get(f.absPath)! } : f));
  }
  const enabled = new Set<string>(selection.languages ?? []);
  if (selection.languages) files = files.filter((f) => f.language === 'text' || enabled.has(f.language));
  return { files, notices };
}
