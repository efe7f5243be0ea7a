// The workspace index as one service, what both faces (and generation) call: open the index of a
// folder, bring it up to date (all files, or the ones a watcher named), search it. Writes run one
// at a time; searches read the last committed state.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { IndexStatus, SearchResult } from '../../../protocol/search';
import { defaultExclude, discoverFiles, type DiscoverOptions } from './discover';
import { createEmbedder, defaultEmbedderId } from './embedders/createEmbedder';
import type { Embedder } from './embedders/embedder';
import type { RemoteEndpoint } from './embedders/remoteEmbedders';
import { statFiles } from './fileEvents';
import { runIndex, type IndexRunOptions, type IndexRunResult } from './indexer';
import { emptyManifest, loadManifest, saveManifest, type IndexManifest } from './manifest';
import { fuse, joinedTerms, knownShare, rerank, snippet, unknownQueryBelow, type Candidate, type FirstStage, type TermStats } from './rank';
import { ChunkStore, tableName } from './store';
import { terms } from './tokens';

export interface IndexServiceOptions {
  /** The folder to index. */
  root: string;
  /** Where the index lives (never inside `root`). */
  indexDir: string;
  embedder?: string;
  /** A remote embedder's endpoint and key as the editor gives them (else read from `env`). */
  embedderEndpoint?: RemoteEndpoint;
  env?: NodeJS.ProcessEnv;
  exclude?: readonly string[];
  maxFileBytes?: number;
  /** Chunks from which vector search uses LanceDB's IVF-PQ index instead of the exact in-memory scan. */
  annFromRows?: number;
}

/** Candidates each first-stage list contributes to the reranker. */
const firstStage = 30;
/** Changed chunks after which small updates rebuild the full-text index. */
const refreshAfterChunks = 2000;

export class IndexService {
  private writing: Promise<unknown> = Promise.resolve();
  private progress: IndexStatus['progress'];
  private unrefreshed = 0;
  private interrupted = false;
  /** Set when the stored index could not be read and was started afresh. */
  notice?: string;

  private constructor(
    readonly root: string,
    private readonly dir: string,
    private readonly embedder: Embedder,
    private store: ChunkStore,
    private manifest: IndexManifest,
    private readonly discover: DiscoverOptions,
    private readonly annFromRows: number | undefined,
  ) {}

  static async open(options: IndexServiceOptions, signal?: AbortSignal): Promise<IndexService> {
    const embedder = await createEmbedder(options.embedder ?? defaultEmbedderId, options.env ?? process.env, signal, options.embedderEndpoint);
    const table = tableName(embedder.id, embedder.dimensions);
    const dir = options.indexDir;
    const discover = { exclude: options.exclude ?? defaultExclude, maxFileBytes: options.maxFileBytes ?? 1024 * 1024 };
    let manifest = await loadManifest(dir, table);
    let store: ChunkStore | undefined;
    let notice: string | undefined;
    if (manifest && manifest.root === options.root) {
      try {
        store = await ChunkStore.open(dir, table, embedder.dimensions, options.annFromRows);
        if (manifest.dirty) await repair(store, manifest);
      } catch {
        store?.close();
        store = undefined;
        notice = 'The search index was damaged and is being rebuilt.';
      }
    }
    if (!store) {
      // No trustworthy record of what the table holds: start it afresh.
      await rm(join(dir, `${table}.lance`), { recursive: true, force: true });
      manifest = emptyManifest(options.root, embedder.id, embedder.dimensions, table);
      store = await ChunkStore.open(dir, table, embedder.dimensions, options.annFromRows);
      await saveManifest(dir, manifest);
    }
    const service = new IndexService(options.root, dir, embedder, store, manifest!, discover, options.annFromRows);
    service.notice = notice;
    return service;
  }

  get embedderId(): string {
    return this.embedder.id;
  }

  status(): IndexStatus {
    const m = this.manifest;
    const files = Object.keys(m.files).length;
    return {
      state: this.progress ? 'indexing' : files === 0 && m.updatedAt === new Date(0).toISOString() ? 'empty' : 'ready',
      files,
      chunks: m.chunks,
      embedder: this.embedder.id,
      ...(m.updatedAt !== new Date(0).toISOString() ? { updatedAt: m.updatedAt } : {}),
      ...(this.progress ? { progress: this.progress } : {}),
    };
  }

  /** Scans the folder and updates what changed (everything, the first time). */
  update(options: IndexRunOptions = {}): Promise<IndexRunResult> {
    return this.exclusive(async () => {
      const files = await discoverFiles(this.root, this.discover, options.signal);
      return this.run(files, options);
    });
  }

  /** Updates only these files (relative paths): created, changed, deleted or renamed ones. */
  updateFiles(paths: readonly string[], options: IndexRunOptions = {}): Promise<IndexRunResult> {
    return this.exclusive(async () => {
      const files = await statFiles(this.root, paths, this.discover);
      return this.run(files, options, new Set(paths));
    });
  }

  /** Drops everything and indexes the folder again. */
  rebuild(options: IndexRunOptions = {}): Promise<IndexRunResult> {
    return this.exclusive(async () => {
      this.store.close();
      await rm(join(this.dir, `${this.manifest.table}.lance`), { recursive: true, force: true });
      this.manifest = emptyManifest(this.root, this.embedder.id, this.embedder.dimensions, this.manifest.table);
      this.store = await ChunkStore.open(this.dir, this.manifest.table, this.embedder.dimensions, this.annFromRows);
      const files = await discoverFiles(this.root, this.discover, options.signal);
      return this.run(files, options);
    });
  }

  /** Document frequencies of the indexed terms, and the number of chunks. */
  termStats(): TermStats {
    return { df: this.manifest.df, chunks: this.manifest.chunks };
  }

  async search(query: string, limit = 10, signal?: AbortSignal): Promise<SearchResult[]> {
    return (await this.searchWithText(query, limit, signal)).map(({ text: _text, id: _id, ...result }) => result);
  }

  /** Search results with each chunk's full text (what generation reads). */
  async searchWithText(query: string, limit = 10, signal?: AbortSignal): Promise<Array<SearchResult & { id: string; text: string }>> {
    const found = await this.candidates(query, signal);
    if (!found) return [];
    const results = rerank(query, found, this.termStats(), limit, this.embedder.rankWeights);
    // Vector-only hits were ranked without their text; read it for the few that made the list.
    const unread = results.filter((r) => !r.text).map((r) => r.id);
    if (unread.length === 0) return results;
    const read = await this.store.byIds(unread);
    const wanted = new Set(terms(query));
    return results.map((r) => (r.text || !read.has(r.id) ? r : { ...r, text: read.get(r.id)!.text, ...snippet(read.get(r.id)!, wanted) }));
  }

  /** The first stage's candidates; undefined when the query has no good match. */
  async candidates(query: string, signal?: AbortSignal): Promise<Candidate[] | undefined> {
    // A query whose words the workspace all but lacks gets nothing; past that, a calibrated
    // embedder's cosine decides (its query may share few words with the code it means).
    if (knownShare(terms(query), this.termStats()) < unknownQueryBelow) return undefined;
    const stage = await this.firstStage(query, signal);
    const cut = this.embedder.noMatchBelow;
    if (!stage || (cut !== undefined && stage.cosine < cut)) return undefined;
    return stage.candidates;
  }

  /** Full-text and vector candidates, fused, with the best cosine; undefined for an empty query or index. */
  async firstStage(query: string, signal?: AbortSignal): Promise<FirstStage | undefined> {
    const qTerms = terms(query);
    const stats = this.termStats();
    if (qTerms.length === 0 || stats.chunks === 0) return undefined;
    const [vector] = await this.embedder.embed([query], signal);
    // The full-text search runs on LanceDB's threads while the vector scan runs here.
    const textSearch = this.store.textSearch([...qTerms, ...joinedTerms(query, stats).keys()].join(' '), firstStage);
    const nearIds = await this.store.vectorSearch(vector, firstStage);
    const text = await textSearch;
    const known = new Map(text.map((h) => [h.chunk.id, h.chunk]));
    const near = nearIds.map((h) => ({ ...h, chunk: known.get(h.chunk.id) ?? h.chunk }));
    return { candidates: fuse(text, near), cosine: nearIds[0]?.score ?? 0 };
  }

  /** Waits for pending writes, then closes the table. */
  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
    // An interrupted run may have left rows without records: then the mark stays for the repair.
    if (this.manifest.dirty && !this.interrupted) {
      this.manifest.dirty = false;
      await saveManifest(this.dir, this.manifest, true).catch(() => undefined);
    }
    this.store.close();
  }

  private async run(files: Parameters<typeof runIndex>[1], options: IndexRunOptions, only?: ReadonlySet<string>): Promise<IndexRunResult> {
    const onProgress = options.onProgress;
    this.progress = { message: 'Looking for changes', done: 0, total: files.length };
    try {
      const result = await runIndex(
        this.dir,
        files,
        this.store,
        this.embedder,
        this.manifest,
        {
          ...options,
          onProgress: (p) => {
            this.progress = p;
            onProgress?.(p);
          },
        },
        only,
      );
      this.unrefreshed += result.newChunks + result.removedFiles;
      // Full runs (and small updates once enough piled up) rebuild the full-text index; rows
      // added since are still found, by a slower exact scan.
      const refresh = !only || this.unrefreshed >= refreshAfterChunks;
      if (refresh) {
        await this.store.finish();
        this.unrefreshed = 0;
      }
      // Watcher updates leave the dirty mark on and their records in the journal; full runs
      // (and refreshes) and close() fold the journal into the manifest and clear the mark.
      if (refresh) {
        this.manifest.dirty = false;
        await saveManifest(this.dir, this.manifest, true);
      }
      return result;
    } catch (err) {
      this.interrupted = true;
      throw err;
    } finally {
      this.progress = undefined;
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writing.then(work, work);
    this.writing = next.catch(() => undefined);
    return next;
  }
}

/** After an interrupted run: rows of files the manifest does not vouch for are removed. */
async function repair(store: ChunkStore, manifest: IndexManifest): Promise<void> {
  const stray = [...(await store.paths())].filter((p) => !manifest.files[p]);
  if (stray.length) await store.deletePaths(stray);
  // Files of the interrupted batch keep their old record; they are redone when their hash differs.
}
