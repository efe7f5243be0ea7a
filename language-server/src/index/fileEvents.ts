// Turns watcher events (relative paths) into the file list the indexer expects: paths that
// exist and are indexable are stat'ed; the others count as deleted.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isIndexable, type DiscoverOptions, type DiscoveredFile } from './discover';
import type { IndexManifest } from './manifest';

export async function statFiles(root: string, paths: readonly string[], manifest: IndexManifest, options: DiscoverOptions): Promise<DiscoveredFile[]> {
  const out: DiscoveredFile[] = [];
  const named = new Set(paths);
  for (const path of named) {
    const abs = join(root, path);
    const info = await stat(abs).catch(() => undefined);
    if (!info?.isFile() || info.size === 0 || info.size > options.maxFileBytes) continue;
    if (!(await isIndexable(root, path, options))) continue;
    out.push({ path, abs, size: info.size, mtimeMs: info.mtimeMs });
  }
  // Files the watcher did not name are kept as they are.
  for (const [path, record] of Object.entries(manifest.files)) {
    if (!named.has(path)) out.push({ path, abs: join(root, path), size: record.size, mtimeMs: record.mtimeMs });
  }
  return out;
}
