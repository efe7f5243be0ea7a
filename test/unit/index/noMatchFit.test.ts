// The "no good match" fit (scripts/search-model/evalSearch.ts): only queries whose answer the
// ranking lists bound the cosine cut, and its worth is judged on packages left out of the fit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitLearnedNoMatch, type QueryOutcome } from '../../../scripts/search-model/evalSearch';
import { weights } from '../../../language-server/src/index/rank';

const f = { rrf: 0, bm25: 1, vector: 1, coverage: 1, symbol: 1 };
const outcome = (corpus: string, kind: QueryOutcome['kind'], learnedTop: number, answered: boolean): QueryOutcome => ({
  id: `${corpus}-${learnedTop}`,
  corpus,
  kind,
  ranks: {},
  learnedTop,
  learnedTarget: null,
  knownShare: 1,
  empty: { hash: false, learned: false },
  candidates: { hash: [], learned: [{ f, hit: answered }] },
});

describe('no good match fit', () => {
  it('cuts below the lowest answered query with a margin, whatever unanswered ones score', () => {
    const fit = fitLearnedNoMatch(
      [
        outcome('a', 'descriptive', 0.3, true),
        outcome('a', 'descriptive', 0.05, false),
        outcome('a', 'offtopic', 0.1, false),
        outcome('b', 'keyword', 0.2, true),
        outcome('b', 'offtopic', 0.18, false),
      ],
      weights,
    );
    assert.equal(fit.cosineBelow, 0.19);
    // Package a judged by b's cut (0.19) loses its off-topic query; b judged by a's (0.285) loses both.
    assert.deepEqual(fit.leaveOnePackageOut, { offTopicEmptied: 2, answeredEmptied: 1, offTopic: 2, answered: 2 });
  });
});
