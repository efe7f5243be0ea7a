// What every embedder offers: an id (which names its table), a fixed dimension, and a batch call.
import type { RankWeights } from '../rank';

export interface Embedder {
  /** Stable id, e.g. `hash`, `openai:text-embedding-3-small`, `ollama:nomic-embed-text`. */
  readonly id: string;
  readonly dimensions: number;
  /**
   * For embedders whose cosines were calibrated (the learned model): a query whose best chunk scores
   * below this matched nothing the model recognises, and gets no results.
   */
  readonly noMatchBelow?: number;
  /** Rerank weights fitted for this embedder's vectors (index/rank.ts); others use the defaults. */
  readonly rankWeights?: RankWeights;
  embed(batch: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** An embedder that cannot be reached or answered wrongly; its message is one sentence. */
export class EmbedderError extends Error {
  override name = 'EmbedderError';
}

export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}
