// Finds the files worth indexing: what git would track (.gitignore honoured, .git skipped), minus
// the settings' exclusions, files over the size cap and binary files.
import { open, stat } from 'node:fs/promises';
import { looksBinary } from '../workspace/binary';
import { skippedFolders } from '../workspace/skipList';
import { walk, wouldWalk, type WalkOptions } from '../workspace/walk';

export interface DiscoverOptions {
  /** gitignore-style patterns left out on top of .gitignore. */
  exclude: readonly string[];
  maxFileBytes: number;
}

export interface DiscoveredFile {
  /** Relative, `/`-separated. */
  path: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

/** The skip-list (as patterns), build outputs, and files that are not code. */
export const defaultExclude = [
  ...skippedFolders.map((name) => `${name}/`),
  ...['dist/', 'out/', 'build/', 'coverage/', '.cache/', '.next/', 'target/', 'vendor/', '*.min.js', '*.map', '*.lock', 'package-lock.json', 'pnpm-lock.yaml'],
  ...['*.png', '*.jpg', '*.jpeg', '*.gif', '*.ico', '*.pdf', '*.zip', '*.gz', '*.tgz', '*.wasm', '*.node', '*.vsix'],
];

/** What the index walks: what git would track, minus `exclude`; a folder that cannot be read is left out. */
function indexWalk(options: DiscoverOptions, signal?: AbortSignal): WalkOptions {
  return { gitignore: 'repository', exclude: options.exclude, signal, unreadableFolder: () => undefined };
}

export async function discoverFiles(root: string, options: DiscoverOptions, signal?: AbortSignal): Promise<DiscoveredFile[]> {
  const out: DiscoveredFile[] = [];
  for await (const { path, abs, kind } of walk(root, indexWalk(options, signal))) {
    if (kind !== 'file') continue;
    const info = await stat(abs).catch(() => undefined);
    if (info && info.size > 0 && info.size <= options.maxFileBytes) out.push({ path, abs, size: info.size, mtimeMs: info.mtimeMs });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Whether a single path (relative, `/`-separated) would be indexed; used for watcher events. */
export async function isIndexable(root: string, path: string, options: DiscoverOptions): Promise<boolean> {
  return wouldWalk(root, path, indexWalk(options));
}

/** Reads a file as text; undefined for binary content. */
export async function readText(abs: string): Promise<string | undefined> {
  const handle = await open(abs, 'r');
  try {
    const data = await handle.readFile();
    if (looksBinary(data)) return undefined;
    return data.toString('utf8');
  } finally {
    await handle.close();
  }
}
