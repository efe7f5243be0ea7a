// Hybrid ranking: the full-text list (BM25 over stemmed, split identifiers) and the vector list
// are fused by reciprocal rank, then the fused candidates are reranked with features that read
// the chunk itself: how much of the query's weight (idf) the chunk covers, how much its symbol
// covers, and the two normalised first-stage scores. Formulas: docs/search.md.
import type { SearchResult } from '../../../protocol/search';
import type { StoreHit, StoredChunk } from './store';
import { joinedPairs, stem, terms, words } from './tokens';

export interface TermStats {
  df: Record<string, number>;
  chunks: number;
}

const rrfK = 60;
/** The rerank's weights; an embedder whose weights were fitted brings its own (Embedder.rankWeights). */
export interface RankWeights {
  rrf: number;
  bm25: number;
  vector: number;
  coverage: number;
  symbol: number;
}
export const weights: RankWeights = { rrf: 0, bm25: 0.6, vector: 0.1, coverage: 0.2, symbol: 0.1 };
const snippetLines = 6;

export interface Candidate {
  chunk: StoredChunk;
  rrf: number;
  bm25: number;
  vector: number;
}

export function idf(stats: TermStats, term: string): number {
  return Math.log(1 + (stats.chunks + 1) / ((stats.df[term] ?? 0) + 1));
}

/**
 * Below this share of a query's weight in words the workspace has at all, the query is about
 * something the workspace does not hold, and gets no results, whatever the embedder (a calibrated
 * one then also cuts on its cosine). The cut keeps every on-topic query of the held-out packages
 * (scripts/search-model/evalSearch.ts `fitNoMatch`, docs/search-model.md).
 */
export const unknownQueryBelow = 0.1;

/** The share of the query's weight (idf) carried by terms that occur in some chunk. */
export function knownShare(qTerms: readonly string[], stats: TermStats): number {
  let known = 0;
  let total = 0;
  for (const t of new Set(qTerms)) {
    const w = idf(stats, t);
    total += w;
    if (stats.df[t]) known += w;
  }
  return total ? known / total : 0;
}

export function fuse(text: StoreHit[], vector: StoreHit[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  const get = (h: StoreHit) => {
    let c = byId.get(h.chunk.id);
    if (!c) byId.set(h.chunk.id, (c = { chunk: h.chunk, rrf: 0, bm25: 0, vector: 0 }));
    return c;
  };
  text.forEach((h, rank) => {
    const c = get(h);
    c.rrf += 1 / (rrfK + rank + 1);
    c.bm25 = h.score;
  });
  vector.forEach((h, rank) => {
    const c = get(h);
    c.rrf += 1 / (rrfK + rank + 1);
    c.vector = Math.max(0, h.score);
  });
  return [...byId.values()];
}

/** The query's distinct terms with their idf weights and their sum; `joined`: a pair of its words the workspace writes as one term → the pair's terms. */
interface QueryWeights {
  qWeight: Map<string, number>;
  total: number;
  joined: Map<string, [string, string]>;
}

/** Pairs of the query's words that the workspace's chunks write as one word ("cookie jar" where the code says cookiejar). */
export function joinedTerms(query: string, stats: TermStats): Map<string, [string, string]> {
  return new Map(joinedPairs(query).flatMap(({ term, parts }) => (stats.df[term] ? [[term, parts] as const] : [])));
}

function queryWeights(query: string, stats: TermStats): QueryWeights {
  const qWeight = new Map([...new Set(terms(query))].map((t) => [t, idf(stats, t)]));
  return { qWeight, total: [...qWeight.values()].reduce((a, b) => a + b, 0) || 1, joined: joinedTerms(query, stats) };
}

/** The weight of the query's terms found in a set of terms (a pair written as one counts for both). */
function weightIn(have: ReadonlySet<string>, { qWeight, joined }: QueryWeights): number {
  const joinedHere = [...joined].filter(([term]) => have.has(term)).flatMap(([, parts]) => parts);
  let sum = 0;
  for (const [t, w] of qWeight) if (have.has(t) || joinedHere.includes(t)) sum += w;
  return sum;
}

/** Each candidate's features, every one in [0, 1]: the first-stage scores over their best, coverage, symbol. */
export function features(query: string, candidates: Candidate[], stats: TermStats): Array<{ c: Candidate; f: RankWeights }> {
  const weights = queryWeights(query, stats);
  const { total } = weights;
  const max = (f: (c: Candidate) => number) => Math.max(1e-9, ...candidates.map(f));
  const maxRrf = max((c) => c.rrf);
  const maxBm25 = max((c) => c.bm25);
  const maxVector = max((c) => c.vector);
  return candidates.map((c) => {
    const covered = weightIn(new Set(c.chunk.terms.split(' ')), weights);
    const symbol = weightIn(new Set(terms(c.chunk.symbol)), weights);
    return {
      c,
      f: { rrf: c.rrf / maxRrf, bm25: c.bm25 / maxBm25, vector: c.vector / maxVector, coverage: covered / total, symbol: Math.min(1, (2 * symbol) / total) },
    };
  });
}

/** The fused candidates of a query, and the best cosine of its vector list (what "no good match" reads). */
export interface FirstStage {
  candidates: Candidate[];
  cosine: number;
}

type Lines = Pick<StoredChunk, 'path' | 'startLine' | 'endLine'>;

/**
 * The first `limit` of a ranked list, leaving out any whose lines a better one of the same file
 * already holds (a long class's head and its first method): the slot goes to something new.
 */
export function withoutRepeats<T>(ranked: readonly T[], lines: (item: T) => Lines, limit: number): T[] {
  const kept: T[] = [];
  const shown: Lines[] = [];
  for (const item of ranked) {
    if (kept.length >= limit) break;
    const l = lines(item);
    if (shown.some((s) => s.path === l.path && s.startLine <= l.startLine && l.endLine <= s.endLine)) continue;
    kept.push(item);
    shown.push(l);
  }
  return kept;
}

export function rerank(
  query: string,
  candidates: Candidate[],
  stats: TermStats,
  limit: number,
  w: RankWeights = weights,
): Array<SearchResult & { id: string; text: string }> {
  const qTerms = new Set(terms(query));
  const scored = features(query, candidates, stats).map(({ c, f }) => ({
    c,
    score: w.rrf * f.rrf + w.bm25 * f.bm25 + w.vector * f.vector + w.coverage * f.coverage + w.symbol * f.symbol,
  }));
  scored.sort((a, b) => b.score - a.score);
  // Candidates far below the best one matched nothing but noise; they are not results.
  const floor = (scored[0]?.score ?? 0) * 0.02;
  const kept = withoutRepeats(
    scored.filter((s) => s.score > floor),
    (s) => s.c.chunk,
    limit,
  );
  return kept.map(({ c, score }) => ({
    id: c.chunk.id,
    path: c.chunk.path,
    startLine: c.chunk.startLine,
    endLine: c.chunk.endLine,
    score: Math.round(score * 1000) / 1000,
    symbol: c.chunk.symbol,
    language: c.chunk.language,
    text: c.chunk.text,
    ...snippet(c.chunk, qTerms),
  }));
}

/** The few lines of the chunk where the query's terms are densest. */
export function snippet(chunk: StoredChunk, qTerms: ReadonlySet<string>): { snippet: string; snippetLine: number; matches: string[] } {
  const lines = chunk.text.split('\n');
  const hits = lines.map((l) => terms(l).filter((t) => qTerms.has(t)).length);
  let best = 0;
  let bestSum = -1;
  for (let i = 0; i < Math.max(1, lines.length - snippetLines + 1); i++) {
    let sum = 0;
    for (let j = i; j < Math.min(lines.length, i + snippetLines); j++) sum += hits[j];
    if (sum > bestSum) [best, bestSum] = [i, sum];
  }
  const text = lines.slice(best, best + snippetLines).join('\n');
  const matches = [...new Set(words(text).filter((w) => qTerms.has(stem(w))))];
  return { snippet: text, snippetLine: chunk.startLine + best, matches };
}
