// The one file that imports LanceDB (and apache-arrow): one table of chunks per embedder id and
// dimension, a full-text index over the chunks' terms, and vector search in one of two ways: up to
// `annFromRows` chunks, exhaustively over an in-memory copy (vectorCache.ts: exact, and faster than
// any index at that size); past it, through LanceDB's own IVF-PQ index, because the copy's memory
// grows with the table (a million chunks would hold 256 MB of vectors and a million records).
import './lanceEnv';
import * as lancedb from '@lancedb/lancedb';
import type { Chunk } from './chunker';
import { VectorCache } from './vectorCache';
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';

export interface ChunkRow extends Chunk {
  id: string;
  /** Space-separated stemmed terms, what the full-text index reads. */
  terms: string;
  vector: Float32Array;
}

export type StoredChunk = Omit<ChunkRow, 'vector'>;

/** Tables of at least this many chunks are searched through LanceDB's vector index. */
export const defaultAnnFromRows = 200_000;
/** IVF partitions probed per query, and candidates re-scored exactly per result wanted. */
const annProbes = 24;
const annRefine = 8;

// LanceDB's full-text builder reads its memory bounds from the environment when it first runs:
// by default each worker buffers postings up to a large partition size before it spills to disk.
// One worker spilling every 64 MiB holds less during the build and leaves less held after it
// (bench/results/index-builds.json). A user's own settings win.
process.env.LANCE_FTS_NUM_SHARDS ??= '1';
process.env.LANCE_FTS_PARTITION_SIZE ??= '64';

/**
 * LanceDB's caches, bounded: by default up to 6 GB of index data and 1 GB of file metadata, which
 * a growing table fills (every batch adds a fragment), so indexing a large workspace held gigabytes.
 */
const session = new lancedb.Session(BigInt(256 * 1024 * 1024), BigInt(64 * 1024 * 1024));

export interface StoreHit {
  chunk: StoredChunk;
  /** Cosine similarity (vector search) or BM25 score (full text). */
  score: number;
}

const columns = ['id', 'path', 'startLine', 'endLine', 'symbol', 'language', 'text', 'terms'];

function schema(dimensions: number): Schema {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('path', new Utf8(), false),
    new Field('startLine', new Int32(), false),
    new Field('endLine', new Int32(), false),
    new Field('symbol', new Utf8(), false),
    new Field('language', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('terms', new Utf8(), false),
    new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
  ]);
}

export function tableName(embedderId: string, dimensions: number): string {
  return `chunks_${embedderId.replace(/[^A-Za-z0-9]+/g, '_')}_${dimensions}`;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** `path IN (…)` filters over `paths`, 500 at a time: one filter per query keeps each short. */
function* pathFilters(paths: string[]): Generator<string> {
  for (let i = 0; i < paths.length; i += 500)
    yield `path IN (${paths
      .slice(i, i + 500)
      .map(quote)
      .join(', ')})`;
}

export class ChunkStore {
  private ftsFresh = false;
  private cache: Promise<VectorCache> | undefined;
  /** Whether vector search goes through LanceDB's index (decided by the table's size). */
  private ann: boolean;

  private constructor(
    private readonly db: lancedb.Connection,
    private readonly table: lancedb.Table,
    private readonly dimensions: number,
    private readonly annFromRows: number,
    rows: number,
  ) {
    this.ann = rows >= annFromRows;
  }

  /** Opens (or creates) the table; throws when the folder holds a damaged table. */
  static async open(dir: string, name: string, dimensions: number, annFromRows = defaultAnnFromRows): Promise<ChunkStore> {
    const db = await lancedb.connect(dir, {}, session);
    const names = await db.tableNames();
    const table = names.includes(name) ? await db.openTable(name) : await db.createEmptyTable(name, schema(dimensions));
    const rows = await table.countRows(); // reads the manifest: fails now, not on the first query, if damaged
    return new ChunkStore(db, table, dimensions, annFromRows, rows);
  }

  /** How vector search runs now: `exact` (in memory) or `ivf-pq` (LanceDB's index). */
  get vectorMode(): 'exact' | 'ivf-pq' {
    return this.ann ? 'ivf-pq' : 'exact';
  }

  async add(rows: ChunkRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.table.add(rows.map((r) => ({ ...r, vector: Array.from(r.vector) })));
    this.ftsFresh = false;
    if (this.cache) {
      const cache = await this.cache;
      for (const r of rows) cache.add({ id: r.id, path: r.path, startLine: r.startLine, endLine: r.endLine, symbol: r.symbol, language: r.language }, r.vector);
    }
  }

  async deletePaths(paths: string[]): Promise<void> {
    for (const filter of pathFilters(paths)) await this.table.delete(filter);
    this.ftsFresh = false;
    if (this.cache) (await this.cache).deletePaths(new Set(paths));
  }

  /** The terms of every row of these files (to take them out of the term statistics). */
  async termsOf(paths: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const filter of pathFilters(paths)) {
      for (const r of await this.table.query().where(filter).select(['terms']).toArray()) out.push(String(r.terms));
    }
    return out;
  }

  count(): Promise<number> {
    return this.table.countRows();
  }

  /** Every path that has rows (used to repair after an interrupted run). */
  async paths(): Promise<Set<string>> {
    const rows = await this.table.query().select(['path']).toArray();
    return new Set(rows.map((r) => String(r.path)));
  }

  /**
   * Nearest chunks by cosine, from the in-memory copy of the vectors (read once). Chunks the
   * full-text list did not bring come without text and terms; `withText` reads them if needed.
   */
  async vectorSearch(vector: Float32Array, k: number, known: ReadonlyMap<string, StoredChunk> = new Map()): Promise<StoreHit[]> {
    if (this.ann) return this.annSearch(vector, k);
    this.cache ??= this.loadCache();
    return (await this.cache).search(vector, k).map(({ meta, score }) => ({ chunk: known.get(meta.id) ?? { ...meta, text: '', terms: '' }, score }));
  }

  /**
   * Nearest chunks through LanceDB: the IVF-PQ index's candidates re-scored with their exact
   * vectors (rows added since the index was built are scanned exactly by LanceDB itself).
   */
  private async annSearch(vector: Float32Array, k: number): Promise<StoreHit[]> {
    const rows = await this.table
      .vectorSearch(Array.from(vector))
      .distanceType('cosine')
      .nprobes(annProbes)
      .refineFactor(annRefine)
      .select([...columns, '_distance'])
      .limit(k)
      .toArray();
    return rows.map((r) => ({ chunk: toChunk(r), score: 1 - Number(r._distance) }));
  }

  /** The chunks with these ids, text included. */
  async byIds(ids: string[]): Promise<Map<string, StoredChunk>> {
    if (ids.length === 0) return new Map();
    const rows = await this.table
      .query()
      .where(`id IN (${ids.map(quote).join(', ')})`)
      .select(columns)
      .toArray();
    return new Map(rows.map((r) => [String(r.id), toChunk(r)]));
  }

  private async loadCache(): Promise<VectorCache> {
    const cache = new VectorCache(this.dimensions, Math.max(1024, await this.table.countRows()));
    for await (const batch of this.table.query().select(['id', 'path', 'startLine', 'endLine', 'symbol', 'language', 'vector']).limit(1e9)) {
      const col = (name: string) => batch.getChild(name)!;
      const [ids, paths, starts, ends, symbols, languages] = ['id', 'path', 'startLine', 'endLine', 'symbol', 'language'].map(col);
      // The fixed-size list's values are one flat array: each row's vector is a view, not a copy.
      const flat = col('vector').getChildAt(0)!.toArray() as Float32Array;
      const d = this.dimensions;
      for (let i = 0; i < batch.numRows; i++) {
        const meta = {
          id: String(ids.get(i)),
          path: String(paths.get(i)),
          startLine: Number(starts.get(i)),
          endLine: Number(ends.get(i)),
          symbol: String(symbols.get(i)),
          language: String(languages.get(i)),
        };
        cache.add(meta, flat.subarray(i * d, (i + 1) * d));
      }
    }
    return cache;
  }

  async textSearch(terms: string, k: number): Promise<StoreHit[]> {
    if (!terms.trim()) return [];
    const rows = await this.table
      .query()
      .fullTextSearch(terms, { columns: 'terms' })
      .select([...columns, '_score'])
      .limit(k)
      .toArray();
    return rows.map((r) => ({ chunk: toChunk(r), score: Number(r._score) }));
  }

  /**
   * Builds or refreshes the indexes: full text always (rows added since the last build are not in
   * it), vector once the table is large enough; then compacts and drops old versions.
   */
  async finish(): Promise<void> {
    const rows = await this.table.countRows();
    await this.table.optimize({ cleanupOlderThan: new Date() });
    if (rows > 0 && !this.ftsFresh) {
      await this.table.createIndex('terms', {
        config: lancedb.Index.fts({
          baseTokenizer: 'whitespace',
          lowercase: false,
          stem: false,
          removeStopWords: false,
          withPosition: false,
          asciiFolding: false,
        }),
        replace: true,
      });
      this.ftsFresh = true;
    }
    const indices = await this.table.listIndices();
    await this.refreshVectorIndex(rows, indices);
    // Rows are fetched by id for vector hits the full-text list did not bring.
    if (rows > 0 && !indices.some((i) => i.columns.includes('id'))) await this.table.createIndex('id', { config: lancedb.Index.btree() });
    // A file's rows are replaced by path on every save.
    if (rows > 0 && !indices.some((i) => i.columns.includes('path'))) await this.table.createIndex('path', { config: lancedb.Index.btree() });
  }

  /**
   * Past `annFromRows`, builds the IVF-PQ index (again when a tenth of the rows came after it) and
   * drops the in-memory copy; below it, the copy serves and an index left from a larger table goes.
   */
  private async refreshVectorIndex(rows: number, indices: lancedb.IndexConfig[]): Promise<void> {
    const existing = indices.find((i) => i.columns.includes('vector'));
    this.ann = rows >= this.annFromRows;
    if (!this.ann) {
      if (existing) await this.table.dropIndex(existing.name);
      return;
    }
    this.cache = undefined;
    const stats = existing && (await this.table.indexStats(existing.name));
    if (stats && stats.numUnindexedRows < rows / 10) return;
    // √rows partitions (the documented rule), 16 dimensions per sub-vector, 8-bit codes.
    const config = lancedb.Index.ivfPq({
      distanceType: 'cosine',
      numPartitions: Math.round(Math.sqrt(rows)),
      numSubVectors: Math.max(1, Math.floor(this.dimensions / 16)),
    });
    await this.table.createIndex('vector', { config, replace: true });
  }

  /** Small updates: fold the new fragments in, keep the indexes as they are (new rows are searched exactly). */
  async compact(): Promise<void> {
    await this.table.optimize({ cleanupOlderThan: new Date() });
  }

  close(): void {
    this.table.close();
    this.db.close();
  }
}

function toChunk(r: Record<string, unknown>): StoredChunk {
  return {
    id: String(r.id),
    path: String(r.path),
    startLine: Number(r.startLine),
    endLine: Number(r.endLine),
    symbol: String(r.symbol),
    language: String(r.language),
    text: String(r.text),
    terms: String(r.terms),
  };
}
