// The index's own record of what it holds: per file, the content hash and chunk count. It is
// written atomically after every committed batch and marked dirty while a run is under way, so
// a run that was killed is recognised (and repaired) by the next one.
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../capsule/atomicFile';

/** Bumped when chunking or terms change: an index made by another version is rebuilt. */
export const formatVersion = 4;

export interface FileRecord {
  hash: string;
  size: number;
  mtimeMs: number;
  chunks: number;
}

export interface IndexManifest {
  format: number;
  root: string;
  embedder: string;
  dimensions: number;
  table: string;
  /** True from the start of a run until it completes. */
  dirty: boolean;
  files: Record<string, FileRecord>;
  /** Document frequencies of terms over all chunks, and the chunk count (for term weights). */
  df: Record<string, number>;
  chunks: number;
  updatedAt: string;
}

export function emptyManifest(root: string, embedder: string, dimensions: number, table: string): IndexManifest {
  return { format: formatVersion, root, embedder, dimensions, table, dirty: false, files: {}, df: {}, chunks: 0, updatedAt: new Date(0).toISOString() };
}

const fileName = (dir: string, table: string) => join(dir, `${table}.manifest.json`);
const statsName = (dir: string, table: string) => join(dir, `${table}.terms.json`);

/** The stored manifest, or undefined when there is none, it is unreadable or from another format. */
export async function loadManifest(dir: string, table: string): Promise<IndexManifest | undefined> {
  try {
    const m = JSON.parse(await readFile(fileName(dir, table), 'utf8')) as IndexManifest;
    if (m.format !== formatVersion || typeof m.files !== 'object') return undefined;
    // Term statistics only steer weights: missing or stale ones are tolerated.
    m.df = await readFile(statsName(dir, table), 'utf8').then((t) => JSON.parse(t) as Record<string, number>, () => ({}));
    return m;
  } catch {
    return undefined;
  }
}

/** Saves the file records (after every batch); the term statistics only with `withStats` (they are large). */
export async function saveManifest(dir: string, manifest: IndexManifest, withStats = false): Promise<void> {
  await mkdir(dir, { recursive: true });
  manifest.updatedAt = new Date().toISOString();
  const { df, ...records } = manifest;
  await writeFileAtomic(fileName(dir, manifest.table), JSON.stringify(records));
  if (withStats) await writeFileAtomic(statsName(dir, manifest.table), JSON.stringify(df));
}
