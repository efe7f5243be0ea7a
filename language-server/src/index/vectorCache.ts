// The vectors of a table in memory, searched exactly: one dot product per chunk over a contiguous
// Float32Array (vectors are unit length, so the dot product is the cosine). On two cores this
// beats LanceDB's exact scan (which decodes the column from disk on every query) and avoids its
// slow ANN build; LanceDB stays the store of record and is read once to fill the cache.

/** What a vector hit says about its chunk before its text is read. */
export interface ChunkMeta {
  id: string;
  path: string;
  startLine: number;
  endLine: number;
  symbol: string;
  language: string;
}

export class VectorCache {
  private data: Float32Array;
  private ids: string[] = [];
  private paths: string[] = [];
  private metas: ChunkMeta[] = [];
  private free: number[] = [];
  private readonly slot = new Map<string, number>();

  constructor(private readonly dimensions: number, capacity = 1024) {
    this.data = new Float32Array(capacity * dimensions);
  }

  get size(): number {
    return this.slot.size;
  }

  add(meta: ChunkMeta, vector: Float32Array): void {
    const { id, path } = meta;
    let i = this.slot.get(id) ?? this.free.pop();
    if (i === undefined) {
      i = this.ids.length;
      if ((i + 1) * this.dimensions > this.data.length) {
        const grown = new Float32Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
    }
    this.data.set(vector, i * this.dimensions);
    this.ids[i] = id;
    this.paths[i] = path;
    this.metas[i] = meta;
    this.slot.set(id, i);
  }

  deletePaths(paths: ReadonlySet<string>): void {
    for (const [id, i] of this.slot) {
      if (!paths.has(this.paths[i])) continue;
      this.slot.delete(id);
      this.ids[i] = '';
      this.data.fill(0, i * this.dimensions, (i + 1) * this.dimensions);
      this.free.push(i);
    }
  }

  /** The k most similar (id, cosine), best first. */
  search(query: Float32Array, k: number): Array<{ meta: ChunkMeta; score: number }> {
    const d = this.dimensions;
    const n = this.ids.length;
    const topScore = new Float32Array(k).fill(-Infinity);
    const topIndex = new Int32Array(k).fill(-1);
    const data = this.data;
    // A short query sets few dimensions: the dot product only needs those (≈6× fewer multiplies).
    const dims: number[] = [];
    for (let j = 0; j < d; j++) if (query[j] !== 0) dims.push(j);
    const at = Int32Array.from(dims);
    const weight = Float32Array.from(dims, (j) => query[j]);
    const m = at.length;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * d;
      for (let j = 0; j < m; j++) s += data[o + at[j]] * weight[j];
      if (s <= topScore[k - 1] || !this.ids[i]) continue;
      let p = k - 1;
      while (p > 0 && topScore[p - 1] < s) {
        topScore[p] = topScore[p - 1];
        topIndex[p] = topIndex[p - 1];
        p--;
      }
      topScore[p] = s;
      topIndex[p] = i;
    }
    const out: Array<{ meta: ChunkMeta; score: number }> = [];
    for (let p = 0; p < k && topIndex[p] >= 0; p++) out.push({ meta: this.metas[topIndex[p]], score: topScore[p] });
    return out;
  }
}
