import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RankWeights } from '../../../language-server/src/index/rank';
import { fitRankWeights, type FeatureRow } from '../../../scripts/search-model/fitRanking';

const lines = { path: 'a.ts', startLine: 1, endLine: 9 };
const row = (bm25: number, vector: number, hit: boolean, line: number): FeatureRow => ({
  f: { rrf: 0, bm25, vector, coverage: 0, symbol: 0 },
  lines: { ...lines, startLine: line, endLine: line },
  hit,
});
/** The answer found by full text only: a vector-only weighting ranks it second. */
const textWins = (): FeatureRow[] => [row(1, 0, true, 1), row(0, 1, false, 2)];
/** The answer first under any weighting. */
const easy = (): FeatureRow[] => [row(1, 1, true, 1), row(0, 0, false, 2)];
const vectorOnly: RankWeights = { rrf: 0, bm25: 0, vector: 1, coverage: 0, symbol: 0 };

describe('rerank weights fitted per embedder', () => {
  it('replaces the shipped weighting when another ranks answers clearly higher', () => {
    const fit = fitRankWeights(Array.from({ length: 10 }, textWins), vectorOnly);
    assert.ok(fit.weights.bm25 > fit.weights.vector, JSON.stringify(fit.weights));
    assert.equal(fit.mrr10, 1);
  });

  it('keeps the shipped weighting when the best gains less than one query moving up a rank', () => {
    const queries = [textWins(), ...Array.from({ length: 299 }, easy)];
    const fit = fitRankWeights(queries, vectorOnly);
    assert.deepEqual(fit.weights, vectorOnly);
    assert.ok(fit.mrr10 < 1);
    // Without a shipped weighting, the grid's best wins.
    assert.notDeepEqual(fitRankWeights(queries).weights, vectorOnly);
  });
});
