// The one folder walker: lists a folder depth first, each folder's entries in code-unit order of
// their names, a folder before what it holds, never following a link. It reads no content and
// stats nothing: what a file costs (size caps, limits, reading) is each caller's business.
import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import { throwIfAborted } from '../common/cancellation';
import { IgnoreRules } from './ignoreRules';

/**
 * Which .gitignore files apply. When any do, `.git` itself (a folder, or a submodule's file) is
 * never listed, as git never lists it.
 * - `repository`: what git would track in this folder: the .gitignore files in it and those above
 *   it up to its repository's root (a capsule and the index hold what git would).
 * - `folder`: only the .gitignore files in the folder (validation checks the folder it is given,
 *   even one the repository around it ignores).
 * - `none`: no .gitignore (the sandbox runs the project as it is on disk, generated files too).
 */
export type GitignoreScope = 'repository' | 'folder' | 'none';

export interface WalkOptions {
  gitignore: GitignoreScope;
  /** gitignore-style patterns applied from the root, before its own .gitignore (settings' exclusions). */
  exclude?: readonly string[];
  /** Names of folders never entered, at any depth (see skipList.ts). */
  skipFolders?: ReadonlySet<string>;
  /** A folder that cannot be listed: return to leave it out, throw to stop the walk. */
  unreadableFolder(abs: string, error: unknown): void;
  /** Checked before each folder is listed: once aborted, the walk ends with a CancelledError. */
  signal?: AbortSignal;
}

export type EntryKind = 'folder' | 'file' | 'symlink' | 'special';

export interface WalkEntry {
  /** Relative to the root, `/`-separated. */
  path: string;
  abs: string;
  /** `special`: a socket, FIFO or device. */
  kind: EntryKind;
}

/** Every folder and file below `root` that `options` leave in, in walk order. */
export async function* walk(root: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  yield* walkFolder(root, '', await rulesAtRoot(root, options), options);
}

/**
 * Whether `walk` would list the file at `path` (relative, `/`-separated), without walking: for a
 * single path such as a watcher event or an editor's document. Existence and kind are not checked.
 */
export async function wouldWalk(root: string, path: string, options: WalkOptions): Promise<boolean> {
  let rules = await rulesAtRoot(root, options);
  const names = path.split('/');
  let dir = root;
  for (let i = 0; i < names.length; i++) {
    const isFolder = i < names.length - 1;
    if (leftOutByName(names[i], isFolder, options)) return false;
    rules = await withFolderRules(rules, dir, options);
    dir = join(dir, names[i]);
    if (rules.ignores(dir, isFolder)) return false;
  }
  return true;
}

async function* walkFolder(dir: string, prefix: string, inherited: IgnoreRules, options: WalkOptions): AsyncGenerator<WalkEntry> {
  throwIfAborted(options.signal);
  const rules = await withFolderRules(inherited, dir, options);
  for (const entry of await listFolder(dir, options)) {
    const isFolder = entry.isDirectory();
    if (leftOutByName(entry.name, isFolder, options)) continue;
    const abs = join(dir, entry.name);
    if (rules.ignores(abs, isFolder)) continue;
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    yield { path, abs, kind: kindOf(entry) };
    if (isFolder) yield* walkFolder(abs, path, rules, options);
  }
}

async function rulesAtRoot(root: string, options: WalkOptions): Promise<IgnoreRules> {
  const above = options.gitignore === 'repository' ? await IgnoreRules.above(root) : IgnoreRules.empty();
  return above.withPatterns(root, options.exclude ?? []);
}

async function withFolderRules(rules: IgnoreRules, dir: string, options: WalkOptions): Promise<IgnoreRules> {
  return options.gitignore === 'none' ? rules : rules.withFolder(dir);
}

function leftOutByName(name: string, isFolder: boolean, options: WalkOptions): boolean {
  if (name === '.git' && options.gitignore !== 'none') return true;
  return isFolder && (options.skipFolders?.has(name) ?? false);
}

async function listFolder(dir: string, options: WalkOptions): Promise<Dirent[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    options.unreadableFolder(dir, err);
    return [];
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function kindOf(entry: Dirent): EntryKind {
  if (entry.isDirectory()) return 'folder';
  if (entry.isSymbolicLink()) return 'symlink';
  return entry.isFile() ? 'file' : 'special';
}
