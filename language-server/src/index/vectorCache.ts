// The vectors of a table in memory, searched exhaustively: one dot product per chunk over a
// contiguous array (vectors are unit length, so the dot product is the cosine). On two cores this
// beats LanceDB's exact scan (which decodes the column from disk on every query) and avoids its
// slow ANN build; LanceDB stays the store of record and is read once to fill the cache.
// Each vector is kept as 8-bit integers with one scale (a quarter of the memory of floats: 31 MB
// instead of 125 MB at 120k chunks); the error per component is at most 1/254 of its largest
// one, far below the gaps between ranked candidates, which the reranker orders anyway.
// The scan runs in a WebAssembly SIMD kernel (kernel/dots.wat) over the query quantised the same
// way, sixteen components a step; where that kernel cannot run, it runs here in JavaScript.
import { DotKernel } from './kernel/dots';

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
  private data: Int8Array;
  private scales: Float32Array;
  private ids: string[] = [];
  private paths: string[] = [];
  private metas: ChunkMeta[] = [];
  private free: number[] = [];
  private readonly slot = new Map<string, number>();

  private readonly kernel: DotKernel | undefined;

  constructor(
    private readonly dimensions: number,
    capacity = 1024,
    options: { simd?: boolean } = {},
  ) {
    this.kernel = options.simd === false ? undefined : DotKernel.create(dimensions);
    this.data = this.kernel ? this.kernel.reserve(capacity) : new Int8Array(capacity * dimensions);
    this.scales = new Float32Array(capacity);
  }

  /** Whether the scan runs in the WebAssembly kernel. */
  get simd(): boolean {
    return this.kernel !== undefined;
  }

  get size(): number {
    return this.slot.size;
  }

  add(meta: ChunkMeta, vector: Float32Array): void {
    const { id, path } = meta;
    let i = this.slot.get(id) ?? this.free.pop();
    if (i === undefined) {
      i = this.ids.length;
      if (i >= this.scales.length) this.grow();
    }
    this.quantize(vector, i);
    this.ids[i] = id;
    this.paths[i] = path;
    this.metas[i] = meta;
    this.slot.set(id, i);
  }

  private grow(): void {
    if (this.kernel) this.data = this.kernel.reserve(this.scales.length * 2);
    else {
      const data = new Int8Array(this.data.length * 2);
      data.set(this.data);
      this.data = data;
    }
    const scales = new Float32Array(this.scales.length * 2);
    scales.set(this.scales);
    this.scales = scales;
  }

  private quantize(vector: Float32Array, slot: number): void {
    let max = 0;
    for (const v of vector) max = Math.max(max, Math.abs(v));
    const scale = max / 127;
    const o = slot * this.dimensions;
    for (let j = 0; j < this.dimensions; j++) this.data[o + j] = scale ? Math.round(vector[j] / scale) : 0;
    this.scales[slot] = scale;
  }

  deletePaths(paths: ReadonlySet<string>): void {
    for (const [id, i] of this.slot) {
      if (!paths.has(this.paths[i])) continue;
      this.slot.delete(id);
      this.ids[i] = '';
      this.scales[i] = 0;
      this.free.push(i);
    }
  }

  /** The k most similar (id, cosine), best first. */
  search(query: Float32Array, k: number): Array<{ meta: ChunkMeta; score: number }> {
    const n = this.ids.length;
    const topScore = new Float32Array(k).fill(-Infinity);
    const topIndex = new Int32Array(k).fill(-1);
    const scores = this.kernel ? this.kernelScores(query, n) : this.scriptScores(query, n);
    for (let i = 0; i < n; i++) {
      const s = scores[i];
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

  /** Every row's cosine with the query, by the kernel: the query in int8 like the rows. */
  private kernelScores(query: Float32Array, n: number): Float32Array {
    let max = 0;
    for (const v of query) max = Math.max(max, Math.abs(v));
    const qScale = max / 127;
    const q = Int8Array.from(query, (v) => (qScale ? Math.round(v / qScale) : 0));
    const dots = this.kernel!.scores(q, n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = dots[i] * this.scales[i] * qScale;
    return out;
  }

  /** Every row's cosine with the query, in JavaScript. */
  private scriptScores(query: Float32Array, n: number): Float32Array {
    const d = this.dimensions;
    const { data, scales } = this;
    const out = new Float32Array(n);
    // A short query sets few dimensions: the dot product only needs those (≈6× fewer multiplies).
    const dims: number[] = [];
    for (let j = 0; j < d; j++) if (query[j] !== 0) dims.push(j);
    const at = Int32Array.from(dims);
    const weight = Float32Array.from(dims, (j) => query[j]);
    const m = at.length;
    // A dense query (a learned model's, a remote one's) reads every dimension: in order, with no
    // index array, which halves the time of the gather on a 123k-chunk table.
    const dense = m > d / 2 && d % 8 === 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * d;
      if (dense) s = denseDot(data, o, query, d);
      else for (let j = 0; j < m; j++) s += data[o + at[j]] * weight[j];
      out[i] = s * scales[i];
    }
    return out;
  }
}

/** The dot product of row `o` of `data` with `query` (d a multiple of 8), in four running sums. */
function denseDot(data: Int8Array, o: number, query: Float32Array, d: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  for (let j = 0; j < d; j += 8) {
    a += data[o + j] * query[j] + data[o + j + 4] * query[j + 4];
    b += data[o + j + 1] * query[j + 1] + data[o + j + 5] * query[j + 5];
    c += data[o + j + 2] * query[j + 2] + data[o + j + 6] * query[j + 6];
    e += data[o + j + 3] * query[j + 3] + data[o + j + 7] * query[j + 7];
  }
  return a + b + c + e;
}
