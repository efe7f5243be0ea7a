// The index's own record of what it holds: per file, the content hash and chunk count. Runs
// append the records they change to a journal (one flushed line per committed batch, a few
// hundred bytes for a save instead of rewriting megabytes); the whole manifest is rewritten, and
// the journal dropped, when the index is compacted. It is marked dirty while runs are under way,
// so a run that was killed is recognised (and repaired) by the next one.
import { readFile, mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomicFile';

/** Bumped when chunking or terms change (5: secrets masked; 6: definitions on shared lines cut to their own text): an index made by another version is rebuilt. */
export const formatVersion = 6;

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
  /** Counts whole rewrites: journal lines of an earlier one are stale and ignored. */
  generation: number;
  files: Record<string, FileRecord>;
  /** Document frequencies of terms over all chunks, and the chunk count (for term weights). */
  df: Record<string, number>;
  chunks: number;
  updatedAt: string;
}

/** One journal line: the records of these files now (null: the file left the index). */
interface JournalLine {
  generation: number;
  updatedAt: string;
  /** Set by a run's first line: rows may change from here on. */
  dirty?: boolean;
  files: Record<string, FileRecord | null>;
}

export function emptyManifest(root: string, embedder: string, dimensions: number, table: string): IndexManifest {
  return {
    format: formatVersion,
    root,
    embedder,
    dimensions,
    table,
    dirty: false,
    generation: 0,
    files: {},
    df: {},
    chunks: 0,
    updatedAt: new Date(0).toISOString(),
  };
}

const fileName = (dir: string, table: string) => join(dir, `${table}.manifest.json`);
const statsName = (dir: string, table: string) => join(dir, `${table}.terms.json`);
const journalName = (dir: string, table: string) => join(dir, `${table}.journal.jsonl`);

/** The stored manifest with its journal applied, or undefined when there is none, it is unreadable or from another format. */
export async function loadManifest(dir: string, table: string): Promise<IndexManifest | undefined> {
  try {
    const m = JSON.parse(await readFile(fileName(dir, table), 'utf8')) as IndexManifest;
    if (m.format !== formatVersion || typeof m.files !== 'object') return undefined;
    m.generation ??= 0;
    const journal = await readFile(journalName(dir, table), 'utf8').catch(() => '');
    for (const text of journal.split('\n')) {
      const line = parseLine(text);
      if (line?.generation !== m.generation) continue; // a torn last line, or one the last rewrite already holds
      m.updatedAt = line.updatedAt ?? m.updatedAt;
      if (line.dirty) m.dirty = true;
      for (const [path, record] of Object.entries(line.files)) {
        if (record) m.files[path] = record;
        else delete m.files[path];
      }
    }
    m.chunks = Object.values(m.files).reduce((n, f) => n + f.chunks, 0);
    // Term statistics only steer weights: missing or stale ones are tolerated.
    m.df = await readFile(statsName(dir, table), 'utf8').then(
      (t) => JSON.parse(t) as Record<string, number>,
      () => ({}),
    );
    return m;
  } catch {
    return undefined;
  }
}

function parseLine(text: string): JournalLine | undefined {
  try {
    const line = JSON.parse(text) as JournalLine;
    return typeof line?.files === 'object' && line.files !== null ? line : undefined;
  } catch {
    return undefined;
  }
}

/** Rewrites the whole manifest and drops the journal; the term statistics only with `withStats` (they are large). */
export async function saveManifest(dir: string, manifest: IndexManifest, withStats = false): Promise<void> {
  await mkdir(dir, { recursive: true });
  manifest.updatedAt = new Date().toISOString();
  manifest.generation++;
  const { df, ...records } = manifest;
  await writeFileAtomic(fileName(dir, manifest.table), JSON.stringify(records));
  await rm(journalName(dir, manifest.table), { force: true });
  if (withStats) await writeFileAtomic(statsName(dir, manifest.table), JSON.stringify(df));
}

/** Appends the current records of these files (those no longer in the manifest as removed) and the dirty mark, flushed to disk. */
export async function appendJournal(dir: string, manifest: IndexManifest, paths: Iterable<string>): Promise<void> {
  manifest.updatedAt = new Date().toISOString();
  const files: JournalLine['files'] = {};
  for (const path of paths) files[path] = manifest.files[path] ?? null;
  const line: JournalLine = { generation: manifest.generation, updatedAt: manifest.updatedAt, ...(manifest.dirty ? { dirty: true } : {}), files };
  await mkdir(dir, { recursive: true });
  const handle = await open(journalName(dir, manifest.table), 'a');
  try {
    await handle.writeFile(`${JSON.stringify(line)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
