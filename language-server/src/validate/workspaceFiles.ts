// The files of a folder that validation looks at: .gitignore respected (nested ones too),
// dependency and cache folders left out, binary files skipped, files over the size limit
// reported rather than read.
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { throwIfAborted } from '../common/cancellation';
import { languageOf } from './languages';
import type { SourceFile, StageFinding } from './model';

/** Folders never validated: other people's code, caches, virtual environments, VCS data. */
const alwaysSkipped = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.mypy_cache', '.ruff_cache', '.pytest_cache', '.tox', '.qlp']);

export const defaultMaxFileBytes = 1024 * 1024;

export interface FileListing {
  files: SourceFile[];
  /** Info findings for files that were not read (too large). */
  notices: StageFinding[];
}

interface IgnoreLayer {
  dir: string;
  matcher: Ignore;
}

/** Reads `.gitignore` rules of the given folders from the root down to `dir`. */
export class GitIgnore {
  private readonly layers = new Map<string, IgnoreLayer | null>();
  constructor(readonly root: string) {}

  private async layer(dir: string): Promise<IgnoreLayer | null> {
    if (this.layers.has(dir)) return this.layers.get(dir)!;
    let result: IgnoreLayer | null = null;
    try {
      result = { dir, matcher: ignore().add(await readFile(join(dir, '.gitignore'), 'utf8')) };
    } catch {
      result = null;
    }
    this.layers.set(dir, result);
    return result;
  }

  /** True when `absPath` is ignored by any `.gitignore` between the root and it, or lies in a skipped folder. */
  async ignores(absPath: string, isDir = false): Promise<boolean> {
    const rel = relative(this.root, absPath);
    if (!rel || rel.startsWith('..')) return false;
    const parts = rel.split(sep);
    if (parts.some((p, i) => (i < parts.length - 1 || isDir) && alwaysSkipped.has(p))) return true;
    let dir = this.root;
    for (let i = 0; i < parts.length; i++) {
      const layer = await this.layer(dir);
      const below = parts.slice(i).join('/') + (isDir && i === parts.length - 1 ? '/' : '');
      if (layer && layer.matcher.ignores(below)) return true;
      if (i === parts.length - 1 && !isDir) break;
      dir = join(dir, parts[i]);
    }
    return false;
  }
}

/** True when the first 8 KB hold a NUL byte (how git tells binary files). */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
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
  return fileNotice(path, 'file-too-large', `Not validated: the file has ${(size / 1024 / 1024).toFixed(1)} MB, more than the ${Math.round(maxBytes / 1024)} KB limit.`);
}

/** Every validatable file below `root` (sorted by path), plus notices for skipped large files. */
export async function listWorkspaceFiles(root: string, options: { maxFileBytes?: number; signal?: AbortSignal } = {}): Promise<FileListing> {
  const maxBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  const gitignore = new GitIgnore(root);
  const files: SourceFile[] = [];
  const notices: StageFinding[] = [];
  const walk = async (dir: string): Promise<void> => {
    throwIfAborted(options.signal);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const absPath = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!(await gitignore.ignores(absPath, true))) await walk(absPath);
        continue;
      }
      if (!entry.isFile() || (await gitignore.ignores(absPath))) continue;
      const path = relative(root, absPath).split(sep).join('/');
      const size = (await stat(absPath)).size;
      if (size > maxBytes) {
        notices.push(tooLargeNotice(path, size, maxBytes));
        continue;
      }
      let text: string | undefined;
      try {
        text = await readText(absPath, size);
      } catch (err) {
        notices.push(fileNotice(path, 'file-unreadable', `Not validated: the file cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`));
        continue;
      }
      if (text === undefined) continue;
      files.push({ path, absPath, text, language: languageOf(path) });
    }
  };
  await walk(root);
  return { files, notices };
}
