// The learned code-search model: a static table of term vectors trained offline on
// (doc comment, code) pairs of public packages (docs/search-model.md). A text's vector is the sum
// of its terms' rows, each weighted by 1 + ln(count), L2-normalised; the terms come from
// tokens.ts, as in training. No network, no native code: the table ships beside the bundle and
// is read on the first call to embed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { terms } from '../tokens';
import type { RankWeights } from '../rank';
import { EmbedderError, normalize, type Embedder } from './embedder';

const magic = 'QLPSM1\0\0';
const headerBytes = 16;

/** Bundled: dist/search-model/; from sources: language-server/assets/search-model/. */
export function defaultModelDir(): string {
  const bundled = join(__dirname, 'search-model');
  return existsSync(join(bundled, 'model.json')) ? bundled : join(__dirname, '..', '..', '..', 'assets', 'search-model');
}

export interface StaticModel {
  dimensions: number;
  vocabulary: Map<string, number>;
  /** One float32 scale per row: row = scale · int8 values. */
  scales: Float32Array;
  matrix: Int8Array;
}

/** Reads vocab.txt and weights.bin (format: docs/search-model.md); throws one sentence when they do not fit. */
export function loadStaticModel(dir: string): StaticModel {
  const fail = (why: string) => new EmbedderError(`The learned search model in ${dir} cannot be used: ${why}.`);
  let bin: Buffer;
  let vocabText: string;
  try {
    bin = readFileSync(join(dir, 'weights.bin'));
    vocabText = readFileSync(join(dir, 'vocab.txt'), 'utf8');
  } catch (err) {
    throw fail((err as Error).message);
  }
  if (bin.length < headerBytes || bin.toString('latin1', 0, 8) !== magic) throw fail('weights.bin is not a QLPSM1 file');
  const rows = bin.readUInt32LE(8);
  const dimensions = bin.readUInt32LE(12);
  if (bin.length !== headerBytes + rows * 4 + rows * dimensions)
    throw fail(`weights.bin holds ${bin.length} bytes, not the ${headerBytes + rows * 4 + rows * dimensions} its header announces`);
  const words = vocabText.split('\n').filter((w) => w);
  if (words.length !== rows) throw fail(`vocab.txt has ${words.length} terms for ${rows} rows`);
  // Copies, so the typed arrays are aligned whatever offset the buffer has in its pool.
  const scales = new Float32Array(rows);
  for (let i = 0; i < rows; i++) scales[i] = bin.readFloatLE(headerBytes + i * 4);
  const start = headerBytes + rows * 4;
  const matrix = new Int8Array(bin.buffer.slice(bin.byteOffset + start, bin.byteOffset + start + rows * dimensions));
  return { dimensions, vocabulary: new Map(words.map((w, i) => [w, i])), scales, matrix };
}

export class LearnedEmbedder implements Embedder {
  readonly id = 'learned';
  /** The cosine cut fitted on the held-out packages (bench/results/search-model.json, `noMatch.learned`). */
  readonly noMatchBelow = 0.157;
  /** The rerank weights fitted on the held-out packages (bench/results/search-model.json, `rankWeights`). */
  readonly rankWeights: RankWeights = { rrf: 0, bm25: 0, vector: 0.2, coverage: 0.4, symbol: 0.4 };
  private model: StaticModel | undefined;

  private constructor(
    private readonly dir: string,
    readonly dimensions: number,
  ) {}

  /** Reads the model's description only; the table itself is read on the first embed. */
  static open(dir = defaultModelDir()): LearnedEmbedder {
    let meta: { format?: string; dimensions?: number };
    try {
      meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    } catch (err) {
      throw new EmbedderError(`The learned search model is missing or damaged (${join(dir, 'model.json')}: ${(err as Error).message}).`);
    }
    if (meta.format !== 'qlp-static-embedding/1' || !Number.isInteger(meta.dimensions)) {
      throw new EmbedderError(`The learned search model in ${dir} has an unknown format (${meta.format ?? 'none'}).`);
    }
    return new LearnedEmbedder(dir, meta.dimensions!);
  }

  private table(): StaticModel {
    if (!this.model) {
      const model = loadStaticModel(this.dir);
      if (model.dimensions !== this.dimensions)
        throw new EmbedderError(`The learned search model in ${this.dir} has ${model.dimensions} dimensions where model.json says ${this.dimensions}.`);
      this.model = model;
    }
    return this.model;
  }

  /** The vector of terms already computed (tokens.ts `terms`). */
  embedTerms(ts: readonly string[]): Float32Array {
    const { vocabulary, scales, matrix, dimensions: d } = this.table();
    const counts = new Map<number, number>();
    for (const t of ts) {
      const row = vocabulary.get(t);
      if (row !== undefined) counts.set(row, (counts.get(row) ?? 0) + 1);
    }
    const v = new Float32Array(d);
    for (const [row, n] of counts) {
      const w = (1 + Math.log(n)) * scales[row];
      const offset = row * d;
      for (let j = 0; j < d; j++) v[j] += w * matrix[offset + j];
    }
    return normalize(v);
  }

  embedOne(text: string): Float32Array {
    return this.embedTerms(terms(text));
  }

  async embed(batch: string[]): Promise<Float32Array[]> {
    return batch.map((text) => this.embedOne(text));
  }
}
