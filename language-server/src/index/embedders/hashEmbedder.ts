// The model-free embedder: no weights, no network. A text becomes a signed feature-hashed vector of
// its stemmed terms (identifiers split), adjacent term pairs and character 4-grams of longer
// words, with sublinear term frequency, L2-normalised. Cosine similarity then rewards shared
// vocabulary, shared phrases and shared word parts ("serializ" in serialize/serializer).
import type { RankWeights } from '../rank';
import { terms } from '../tokens';
import { normalize, type Embedder } from './embedder';

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class HashEmbedder implements Embedder {
  readonly id = 'hash';
  /** The rerank weights fitted on the held-out packages (bench/results/search-model.json, `rankWeights`). */
  readonly rankWeights: RankWeights = { rrf: 0, bm25: 0.6, vector: 0, coverage: 0, symbol: 0.4 };
  constructor(readonly dimensions = 256) {}

  embedOne(text: string): Float32Array {
    return this.embedTerms(terms(text));
  }

  /** The same vector from terms already computed (the indexer has them for the full-text index). */
  embedTerms(ts: readonly string[]): Float32Array {
    const counts = new Map<string, number>();
    const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      add(t, 1);
      if (i > 0) add(`${ts[i - 1]} ${t}`, 0.5);
      if (t.length >= 5) for (let j = 0; j + 4 <= t.length; j++) add(`#${t.slice(j, j + 4)}`, 0.2);
    }
    const v = new Float32Array(this.dimensions);
    for (const [feature, count] of counts) {
      const h = fnv1a(feature);
      v[h % this.dimensions] += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(1 + count));
    }
    return normalize(v);
  }

  async embed(batch: string[]): Promise<Float32Array[]> {
    return batch.map((text) => this.embedOne(text));
  }
}
