// The "no good match" cuts in the product are the ones the evaluation fitted on the held-out
// packages (scripts/search-model/evalSearch.ts `fitNoMatch`, bench/results/search-model.json):
// retraining the model or changing the tokenizer without refitting them fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readResults } from '../../../bench/results';
import { LearnedEmbedder } from '../../../language-server/src/index/embedders/learnedEmbedder';
import { unknownQueryBelow } from '../../../language-server/src/index/rank';

interface Fitted {
  evaluation: { heldout: { noMatch: { unknownQueryBelow: number; learnedCosineBelow: number; onTopicEmpty: { hash: number; learned: number } } } };
}

describe('no good match cuts', () => {
  it('are the values fitted on the held-out packages, which empty no on-topic query there', () => {
    const fitted = readResults<Fitted>('search-model')?.figures.evaluation.heldout.noMatch;
    assert.ok(fitted, 'bench/results/search-model.json holds the fit (npm run bench:search-model)');
    assert.equal(unknownQueryBelow, fitted.unknownQueryBelow);
    assert.equal(LearnedEmbedder.open().noMatchBelow, fitted.learnedCosineBelow);
    assert.deepEqual(fitted.onTopicEmpty, { hash: 0, learned: 0 });
  });
});
