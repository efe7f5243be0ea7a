// The one file that imports LanceDB (and apache-arrow): one table of chunks per embedder id and
// dimension, a vector index and a full-text index over the chunks' terms.
import './lanceEnv';
import * as lancedb from '@lancedb/lancedb';
import type { Chunk } from './chunker';
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';

export interface ChunkRow extends Chunk {
  id: string;
  /** Space-separated stemmed terms, what the full-text index reads. */
  terms: string;
  vector: Float32Array;
}

export type StoredChunk = Omit<ChunkRow, 'vector'>;

export interface StoreHit {
  chunk: StoredChunk;
  /** Cosine similarity (vector search) or BM25 score (full text). */
  score: number;
}

const columns = ['id', 'path', 'startLine', 'endLine', 'symbol', 'language', 'text', 'terms'];
/** Fewer rows than this are searched exactly; the vector index pays off above it. */
const vectorIndexMinRows = 20_000;

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

export class ChunkStore {
  private ftsFresh = false;

  private constructor(
    private readonly db: lancedb.Connection,
    private readonly table: lancedb.Table,
  ) {}

  /** Opens (or creates) the table; throws when the folder holds a damaged table. */
  static async open(dir: string, name: string, dimensions: number): Promise<ChunkStore> {
    const db = await lancedb.connect(dir);
    const names = await db.tableNames();
    const table = names.includes(name) ? await db.openTable(name) : await db.createEmptyTable(name, schema(dimensions));
    await table.countRows(); // reads the manifest: fails now, not on the first query, if damaged
    return new ChunkStore(db, table);
  }

  async add(rows: ChunkRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.table.add(rows.map((r) => ({ ...r, vector: Array.from(r.vector) })));
    this.ftsFresh = false;
  }

  async deletePaths(paths: string[]): Promise<void> {
    for (let i = 0; i < paths.length; i += 500) {
      await this.table.delete(`path IN (${paths.slice(i, i + 500).map(quote).join(', ')})`);
    }
    this.ftsFresh = false;
  }

  count(): Promise<number> {
    return this.table.countRows();
  }

  /** Every path that has rows (used to repair after an interrupted run). */
  async paths(): Promise<Set<string>> {
    const rows = await this.table.query().select(['path']).toArray();
    return new Set(rows.map((r) => String(r.path)));
  }

  async vectorSearch(vector: Float32Array, k: number): Promise<StoreHit[]> {
    const rows = await this.table.query().nearestTo(Array.from(vector)).distanceType('cosine').select([...columns, '_distance']).limit(k).toArray();
    return rows.map((r) => ({ chunk: toChunk(r), score: 1 - Number(r._distance) }));
  }

  async textSearch(terms: string, k: number): Promise<StoreHit[]> {
    if (!terms.trim()) return [];
    const rows = await this.table.query().fullTextSearch(terms, { columns: 'terms' }).select([...columns, '_score']).limit(k).toArray();
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
        config: lancedb.Index.fts({ baseTokenizer: 'whitespace', lowercase: false, stem: false, removeStopWords: false, withPosition: false, asciiFolding: false }),
        replace: true,
      });
      this.ftsFresh = true;
    }
    const indices = await this.table.listIndices();
    if (rows >= vectorIndexMinRows && !indices.some((i) => i.columns.includes('vector'))) {
      await this.table.createIndex('vector', { config: lancedb.Index.hnswSq({ distanceType: 'cosine' }), replace: true });
    }
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
