// Brings a table up to date with the folder: only files whose content hash changed are chunked,
// embedded and rewritten (delete their rows, add the new ones); deleted files lose their rows.
// Batches commit one at a time, each followed by a journal line of the manifest, so an
// interrupted run loses at most one batch, which the next run redoes.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IndexProgress } from '../../../protocol/search';
import { throwIfAborted } from '../common/cancellation';
import { chunkFile } from './chunker';
import { readText, type DiscoveredFile } from './discover';
import type { Embedder } from './embedders/embedder';
import { HashEmbedder } from './embedders/hashEmbedder';
import { appendJournal, type IndexManifest } from './manifest';
import type { ChunkRow, ChunkStore } from './store';
import { terms } from './tokens';

export interface IndexRunOptions {
  signal?: AbortSignal;
  onProgress?(progress: IndexProgress): void;
  /** Pause after each batch (background indexing leaves the CPU to the editor). */
  pauseMs?: number;
}

export interface IndexRunResult {
  files: number;
  indexedFiles: number;
  removedFiles: number;
  chunks: number;
  newChunks: number;
  durationMs: number;
}

/** Rows per commit: large enough to keep LanceDB's fragments few, small enough to bound memory. */
const batchRows = 2048;
/**
 * Characters of chunk text and terms per commit. A bundled file of one long line is one chunk of up
 * to a megabyte, so rows alone do not bound a batch: at a million chunks, batches of such chunks held
 * hundreds of megabytes of strings (and their Arrow copies) at once.
 */
export const batchChars = 8 * 2 ** 20;

export function chunkTerms(path: string, symbol: string, text: string): string {
  const symbolTerms = terms(symbol);
  // The symbol and the file name count twice: they say what the chunk is about.
  return [...terms(text), ...symbolTerms, ...symbolTerms, ...terms(path.split('/').pop() ?? '')].join(' ');
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function countTerms(df: Record<string, number>, termText: string, delta: number): void {
  for (const t of new Set(termText.split(' '))) {
    if (!t) continue;
    const n = (df[t] ?? 0) + delta;
    if (n > 0) df[t] = n;
    else delete df[t];
  }
}

/** Takes the rows of these files out of the document frequencies before the rows go. */
async function forgetTerms(store: ChunkStore, manifest: IndexManifest, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  for (const termText of await store.termsOf(paths)) countTerms(manifest.df, termText, -1);
}

/** Files whose size or mtime differ from what the manifest recorded (new files included). */
function changedFiles(files: DiscoveredFile[], manifest: IndexManifest, only?: ReadonlySet<string>): DiscoveredFile[] {
  return files.filter((f) => {
    if (only && !only.has(f.path)) return false;
    const old = manifest.files[f.path];
    return !old || old.size !== f.size || old.mtimeMs !== f.mtimeMs;
  });
}

/** Marks the manifest dirty before any row changes. */
async function markDirty(dir: string, manifest: IndexManifest): Promise<void> {
  // A run that already left the mark on (watcher updates keep it until the next full run or
  // close) need not write it again.
  if (manifest.dirty) return;
  manifest.dirty = true;
  await appendJournal(dir, manifest, []);
}

/** Takes the rows and records of deleted files out of the store and the manifest. */
async function removeFiles(dir: string, store: ChunkStore, manifest: IndexManifest, removed: string[]): Promise<void> {
  if (removed.length === 0) return;
  await forgetTerms(store, manifest, removed);
  await store.deletePaths(removed);
  for (const p of removed) {
    manifest.chunks -= manifest.files[p].chunks;
    delete manifest.files[p];
  }
  await appendJournal(dir, manifest, removed);
}

interface Batch {
  rows: ChunkRow[];
  /** Each file of the batch with its content hash and chunk count. */
  records: Array<[DiscoveredFile, string, number]>;
}

/**
 * Reads, chunks and embeds changed files into batches and commits them: one commit in flight
 * while the next batch is chunked and embedded (LanceDB writes on its own threads, so the two
 * overlap).
 */
class BatchWriter {
  indexedFiles = 0;
  newChunks = 0;
  private pending: Batch = { rows: [], records: [] };
  private pendingChars = 0;
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly store: ChunkStore,
    private readonly embedder: Embedder,
    private readonly manifest: IndexManifest,
    private readonly options: IndexRunOptions,
    private readonly total: number,
  ) {}

  async indexAll(files: DiscoveredFile[]): Promise<void> {
    try {
      for (const file of files) await this.add(file);
      await this.commit();
    } catch (err) {
      // A cancelled or failed run still finishes the batch it handed to LanceDB: nothing writes
      // behind the back of the next run.
      await this.inflight.catch(() => undefined);
      throw err;
    }
    await this.inflight;
  }

  /** Adds a file's chunks to the pending batch, unless its content is what the index holds. */
  private async add(file: DiscoveredFile): Promise<void> {
    throwIfAborted(this.options.signal);
    const text = await readText(file.abs).catch(() => undefined);
    const hash = text === undefined ? '' : sha256(text);
    this.indexedFiles++;
    const old = this.manifest.files[file.path];
    if (old && old.hash === hash) {
      this.manifest.files[file.path] = { ...old, size: file.size, mtimeMs: file.mtimeMs };
      return;
    }
    const chunks = text === undefined ? [] : await chunkFile(file.path, text);
    chunks.forEach((c, i) => {
      const terms = chunkTerms(c.path, c.symbol, c.text);
      this.pendingChars += c.text.length + terms.length;
      this.pending.rows.push({ id: `${c.path}#${i}`, ...c, terms, vector: new Float32Array(0) });
    });
    this.pending.records.push([file, hash, chunks.length]);
    if (this.pending.rows.length >= batchRows || this.pendingChars >= batchChars) await this.commit();
  }

  private async commit(): Promise<void> {
    if (this.pending.records.length === 0) return;
    const batch = this.pending;
    this.pending = { rows: [], records: [] };
    this.pendingChars = 0;
    await this.inflight;
    this.inflight = this.write(batch);
    this.inflight.catch(() => undefined); // awaited (and thrown) at the next commit or the end
    this.options.onProgress?.({ message: `Indexed ${this.indexedFiles} of ${this.total} files`, done: this.indexedFiles, total: this.total });
    if (this.options.pauseMs) await sleep(this.options.pauseMs);
  }

  private async write(batch: Batch): Promise<void> {
    const { store, manifest, embedder } = this;
    // The hash embedder reuses the terms made for the full-text index instead of tokenizing again.
    const vectors =
      embedder instanceof HashEmbedder
        ? batch.rows.map((r) => embedder.embedTerms(r.terms.split(' ')))
        : await embedder.embed(
            batch.rows.map((r) => `${r.symbol}\n${r.path}\n${r.text}`),
            this.options.signal,
          );
    batch.rows.forEach((r, i) => (r.vector = vectors[i]));
    // Only files the index held before have rows to replace (strays after a crash are removed
    // when the store is opened).
    const replaced = batch.records.map(([f]) => f.path).filter((p) => manifest.files[p]);
    await forgetTerms(store, manifest, replaced);
    await store.deletePaths(replaced);
    await store.add(batch.rows);
    for (const r of batch.rows) countTerms(manifest.df, r.terms, 1);
    for (const [f, hash, chunks] of batch.records) {
      manifest.chunks += chunks - (manifest.files[f.path]?.chunks ?? 0);
      manifest.files[f.path] = { hash, size: f.size, mtimeMs: f.mtimeMs, chunks };
    }
    this.newChunks += batch.rows.length;
    await appendJournal(
      this.dir,
      manifest,
      batch.records.map(([f]) => f.path),
    );
  }
}

/**
 * Updates the store and the manifest so that they hold exactly `files`. When `only` is given,
 * `files` are those of its paths that still exist, and files outside it are kept as they are
 * (watcher events).
 */
export async function runIndex(
  dir: string,
  files: DiscoveredFile[],
  store: ChunkStore,
  embedder: Embedder,
  manifest: IndexManifest,
  options: IndexRunOptions = {},
  only?: ReadonlySet<string>,
): Promise<IndexRunResult> {
  const started = performance.now();
  const present = new Set(files.map((f) => f.path));
  const candidates = changedFiles(files, manifest, only);
  const removed = [...(only ?? Object.keys(manifest.files))].filter((p) => manifest.files[p] && !present.has(p));
  await markDirty(dir, manifest);
  await removeFiles(dir, store, manifest, removed);
  const writer = new BatchWriter(dir, store, embedder, manifest, options, candidates.length);
  await writer.indexAll(candidates);
  const { indexedFiles, newChunks } = writer;
  return { files: files.length, indexedFiles, removedFiles: removed.length, chunks: manifest.chunks, newChunks, durationMs: performance.now() - started };
}
