// The "no good match" fit (scripts/search-model/evalSearch.ts): only queries whose answer the
// ranking lists bound the cosine cut, and its worth is judged on packages left out of the fit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitLearnedNoMatch, type QueryOutcome } from '../../../scripts/search-model/evalSearch';
import { weights } from '../../../language-server/src/index/rank';

const f = { rrf: 0, bm25: 1, vector: 1, coverage: 1, symbol: 1 };
const outcome = (corpus: string, kind: QueryOutcome['kind'], learnedTop: number, answered: boolean, knownShare = 1): QueryOutcome => ({
  id: `${corpus}-${learnedTop}`,
  corpus,
  kind,
  ranks: {},
  learnedTop,
  learnedTarget: null,
  knownShare,
  empty: { hash: false, learned: false },
  candidates: { hash: [], learned: [{ f, lines: { path: 'a.ts', startLine: 1, endLine: 9 }, hit: answered }] },
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

  it('also judges each package by the known-word cut fitted on the others', () => {
    const fit = fitLearnedNoMatch(
      [
        outcome('a', 'descriptive', 0.3, true, 0.5),
        outcome('a', 'offtopic', 0.35, false, 0),
        outcome('b', 'descriptive', 0.3, true, 0.2),
        outcome('b', 'offtopic', 0.4, false, 0.3),
      ],
      weights,
    );
    // Every cosine is above the cosine cuts (0.285). a judged by b's known-share cut (0.9 × 0.2 = 0.18)
    // loses its off-topic query, which has no known word; b judged by a's (0.45) loses both queries.
    assert.deepEqual(fit.leaveOnePackageOut, { offTopicEmptied: 2, answeredEmptied: 1, offTopic: 2, answered: 2 });
  });
});
