// Finds the files worth indexing: what git would track (.gitignore honoured, .git skipped), minus
// the settings' exclusions, files over the size cap and binary files.
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IgnoreRules } from '../capsule/ignoreRules';
import { throwIfAborted } from '../common/cancellation';
import { looksBinary } from '../validate/workspaceFiles';

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

export const defaultExclude = [
  'node_modules/', '.git/', 'dist/', 'out/', 'build/', 'coverage/', '.cache/', '.next/', 'target/', 'vendor/',
  '__pycache__/', '.venv/', 'venv/', '*.min.js', '*.map', '*.lock', 'package-lock.json', 'pnpm-lock.yaml',
  '*.png', '*.jpg', '*.jpeg', '*.gif', '*.ico', '*.pdf', '*.zip', '*.gz', '*.tgz', '*.wasm', '*.node', '*.vsix',
];

export async function discoverFiles(root: string, options: DiscoverOptions, signal?: AbortSignal): Promise<DiscoveredFile[]> {
  const out: DiscoveredFile[] = [];
  const base = (await IgnoreRules.above(root)).withPatterns(root, options.exclude);
  await walk(root, '', base, options, out, signal);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(dir: string, prefix: string, inherited: IgnoreRules, options: DiscoverOptions, out: DiscoveredFile[], signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  const rules = await inherited.withFolder(dir);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const abs = join(dir, entry.name);
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!rules.ignores(abs, true)) await walk(abs, rel, rules, options, out, signal);
    } else if (entry.isFile() && !rules.ignores(abs, false)) {
      const info = await stat(abs).catch(() => undefined);
      if (info && info.size > 0 && info.size <= options.maxFileBytes) out.push({ path: rel, abs, size: info.size, mtimeMs: info.mtimeMs });
    }
  }
}

/** Whether a single path (relative, `/`-separated) would be indexed; used for watcher events. */
export async function isIndexable(root: string, path: string, options: DiscoverOptions): Promise<boolean> {
  let rules = (await IgnoreRules.above(root)).withPatterns(root, options.exclude);
  const parts = path.split('/');
  let dir = root;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '.git') return false;
    rules = await rules.withFolder(dir);
    dir = join(dir, parts[i]);
    if (rules.ignores(dir, i < parts.length - 1)) return false;
  }
  return true;
}

/** Reads a file as text; undefined for binary content (a NUL byte in the first 8 KB). */
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
