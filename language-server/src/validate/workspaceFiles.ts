// The files of a folder that validation looks at: .gitignore respected (nested ones too),
// dependency and cache folders left out, binary files skipped, files over the size limit
// reported rather than read.
import { open, stat } from 'node:fs/promises';
import { looksBinary } from '../workspace/binary';
import { languageOf } from '../workspace/languages';
import { skippedFolders } from '../workspace/skipList';
import { walk, type WalkOptions } from '../workspace/walk';
import type { SourceFile, StageFinding } from './model';

export const defaultMaxFileBytes = 1024 * 1024;

export interface FileListing {
  files: SourceFile[];
  /** Info findings for files that were not read (too large). */
  notices: StageFinding[];
}

/**
 * What validation walks: the folder's own .gitignore files and the skip-list; a folder that
 * cannot be read is left out.
 */
export function validationWalk(signal?: AbortSignal): WalkOptions {
  return { gitignore: 'folder', skipFolders: new Set(skippedFolders), signal, unreadableFolder: () => undefined };
}

async function readText(absPath: string, size: number): Promise<string | undefined> {
  const handle = await open(absPath, 'r');
  try {
    const bytes = new Uint8Array(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    const view = bytes.subarray(0, bytesRead);
    return looksBinary(view) ? undefined : new TextDecoder('utf-8').decode(view);
  } finally {
    await handle.close();
  }
}

/** An info finding about a whole file, reported by QLP itself. */
export function fileNotice(path: string, code: string, message: string): StageFinding {
  return { file: path, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'info', code, source: 'qlp', message };
}

export function tooLargeNotice(path: string, size: number, maxBytes: number): StageFinding {
  return fileNotice(
    path,
    'file-too-large',
    `Not validated: the file has ${(size / 1024 / 1024).toFixed(1)} MB, more than the ${Math.round(maxBytes / 1024)} KB limit.`,
  );
}

export function unreadableNotice(path: string, err: unknown): StageFinding {
  return fileNotice(path, 'file-unreadable', `Not validated: the file cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
}

/** Every validatable file below `root` (in walk order), plus notices for skipped large files. */
export async function listWorkspaceFiles(root: string, options: { maxFileBytes?: number; signal?: AbortSignal } = {}): Promise<FileListing> {
  const maxBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  const files: SourceFile[] = [];
  const notices: StageFinding[] = [];
  for await (const { path, abs: absPath, kind } of walk(root, validationWalk(options.signal))) {
    if (kind !== 'file') continue;
    const size = (await stat(absPath)).size;
    if (size > maxBytes) {
      notices.push(tooLargeNotice(path, size, maxBytes));
      continue;
    }
    let text: string | undefined;
    try {
      text = await readText(absPath, size);
    } catch (err) {
      notices.push(unreadableNotice(path, err));
      continue;
    }
    if (text === undefined) continue;
    files.push({ path, absPath, text, language: languageOf(path).validator });
  }
  return { files, notices };
}
