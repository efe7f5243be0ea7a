// Fits the rerank's weights for one embedder on the held-out packages (docs/search-model.md): each
// on-topic query's first-stage candidates and their features (index/rank.ts `features`) are read
// once, then every weighting on a 0.1 grid (BM25, vector, coverage, symbol; summing to 1) is scored
// by MRR@10 over those queries. Ties go to the weighting closest to the defaults, so a plateau does
// not move them for nothing; and the embedder's shipped weighting stays unless the best beats it by
// more than `replaceMargin`.
import type { IndexService } from '../../language-server/src/index/service';
import { features, weights as defaults, withoutRepeats, type RankWeights } from '../../language-server/src/index/rank';

export interface Target {
  path: string;
  startLine: number;
  endLine: number;
}

/** Whether a chunk (or result) covers part of a target's lines. */
export const overlaps = (r: Target, t: Target) => r.path === t.path && r.startLine <= t.endLine && t.startLine <= r.endLine;

/** One candidate: its features, its lines, and whether it hits one of the query's targets. */
export interface FeatureRow {
  f: RankWeights;
  lines: Target;
  hit: boolean;
}

/** The candidates of one query with their features, whether or not the query would get results. */
export async function candidateRows(service: IndexService, query: string, targets: Target[]): Promise<FeatureRow[]> {
  const found = await service.firstStage(query);
  if (!found) return [];
  return features(query, found.candidates, service.termStats()).map(({ c, f }) => ({
    f,
    lines: { path: c.chunk.path, startLine: c.chunk.startLine, endLine: c.chunk.endLine },
    hit: targets.some((t) => overlaps(c.chunk, t)),
  }));
}

const score = (w: RankWeights, f: RankWeights) => w.rrf * f.rrf + w.bm25 * f.bm25 + w.vector * f.vector + w.coverage * f.coverage + w.symbol * f.symbol;

/** 1-based rank of the first hit among one query's candidates ranked by a weighting, within the first 10; 0 for none. */
export function rankWith(w: RankWeights, rows: FeatureRow[]): number {
  const ranked = rows.map((r) => ({ s: score(w, r.f), r })).sort((a, b) => b.s - a.s);
  return withoutRepeats(ranked, (x) => x.r.lines, 10).findIndex((x) => x.r.hit) + 1;
}

/** MRR@10 of a weighting over queries' candidate rows. */
export function mrr10(w: RankWeights, queries: FeatureRow[][]): number {
  let sum = 0;
  for (const rows of queries) {
    const rank = rankWith(w, rows);
    if (rank) sum += 1 / rank;
  }
  return sum / Math.max(1, queries.length);
}

const distance = (a: RankWeights, b: RankWeights) =>
  Math.abs(a.bm25 - b.bm25) + Math.abs(a.vector - b.vector) + Math.abs(a.coverage - b.coverage) + Math.abs(a.symbol - b.symbol);

/**
 * MRR@10 a weighting must gain over the shipped one to replace it. Less is one query moving a rank
 * or two among 74, well inside what leaving one package out moves the fit by.
 */
export const replaceMargin = 0.005;

export function fitRankWeights(queries: FeatureRow[][], shipped?: RankWeights) {
  let best = { weights: defaults, mrr10: mrr10(defaults, queries) };
  for (let bm25 = 0; bm25 <= 10; bm25++)
    for (let vector = 0; vector <= 10 - bm25; vector++)
      for (let coverage = 0; coverage <= 10 - bm25 - vector; coverage++) {
        const w = { rrf: 0, bm25: bm25 / 10, vector: vector / 10, coverage: coverage / 10, symbol: (10 - bm25 - vector - coverage) / 10 };
        const m = mrr10(w, queries);
        const better = m > best.mrr10 + 1e-9 || (Math.abs(m - best.mrr10) <= 1e-9 && distance(w, defaults) < distance(best.weights, defaults));
        if (better) best = { weights: w, mrr10: m };
      }
  const kept = shipped && mrr10(shipped, queries);
  if (shipped && kept !== undefined && best.mrr10 <= kept + replaceMargin) best = { weights: shipped, mrr10: kept };
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { weights: best.weights, mrr10: round(best.mrr10), defaultsMrr10: round(mrr10(defaults, queries)), queries: queries.length };
}

/**
 * What the fit is worth on code it was not fitted to: each package's queries ranked with the weights
 * fitted on the other packages by the grid alone (the shipped weighting was chosen on all of them), MRR@10 over all queries.
 */
export function leaveOnePackageOut(groups: Map<string, FeatureRow[][]>): number {
  let sum = 0;
  let n = 0;
  for (const [name, queries] of groups) {
    const rest = [...groups].filter(([other]) => other !== name).flatMap(([, q]) => q);
    sum += mrr10(fitRankWeights(rest).weights, queries) * queries.length;
    n += queries.length;
  }
  return Math.round((sum / Math.max(1, n)) * 1000) / 1000;
}

/** The fit over every package's queries (keeping `shipped` unless clearly beaten), and what it is worth on a package left out. */
export function fitPackages(groups: Map<string, FeatureRow[][]>, shipped?: RankWeights) {
  return { ...fitRankWeights([...groups.values()].flat(), shipped), leaveOnePackageOutMrr10: leaveOnePackageOut(groups) };
}
