// What the product ranks with is what the evaluation fitted on the held-out packages
// (scripts/search-model/evalSearch.ts, bench/results/search-model.json): the "no good match" cuts
// and each embedder's rerank weights. Retraining the model, changing the tokenizer or the features
// without refitting them fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readResults } from '../../../bench/results';
import { HashEmbedder } from '../../../language-server/src/index/embedders/hashEmbedder';
import { LearnedEmbedder } from '../../../language-server/src/index/embedders/learnedEmbedder';
import { unknownQueryBelow, type RankWeights } from '../../../language-server/src/index/rank';

interface Fitted {
  evaluation: {
    heldout: {
      noMatch: {
        unknownQueryBelow: number;
        learned: { cosineBelow: number };
        onTopicEmpty: { hash: number; learned: number };
        answeredEmpty: { learned: number };
      };
      rankWeights: Record<'hash' | 'learned', { weights: RankWeights }>;
    };
  };
}

const fitted = () => {
  const heldout = readResults<Fitted>('search-model')?.figures.evaluation.heldout;
  assert.ok(heldout, 'bench/results/search-model.json holds the fit (npm run bench:search-model)');
  return heldout;
};

describe('ranking fitted on the held-out packages', () => {
  it('uses the no good match cuts fitted there, which empty no query there whose answer the search lists', () => {
    const { noMatch } = fitted();
    assert.equal(unknownQueryBelow, noMatch.unknownQueryBelow);
    assert.equal(LearnedEmbedder.open().noMatchBelow, noMatch.learned.cosineBelow);
    assert.equal(noMatch.onTopicEmpty.hash, 0);
    assert.equal(noMatch.answeredEmpty.learned, 0);
  });

  it("ranks with each embedder's fitted weights", () => {
    const { rankWeights } = fitted();
    assert.deepEqual(LearnedEmbedder.open().rankWeights, rankWeights.learned.weights);
    assert.deepEqual(new HashEmbedder().rankWeights, rankWeights.hash.weights);
  });
});
