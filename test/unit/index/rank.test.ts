import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinedTerms, rerank, withoutRepeats, type Candidate, type RankWeights } from '../../../language-server/src/index/rank';
import type { StoredChunk } from '../../../language-server/src/index/store';
import { joinedPairs } from '../../../language-server/src/index/tokens';

const chunk = (id: string, symbol: string, terms: string, startLine = 1, endLine = 5): StoredChunk => ({
  id,
  path: `${id}.py`,
  startLine,
  endLine,
  symbol,
  language: 'python',
  text: `def ${symbol}():\n    pass`,
  terms,
});
const candidate = (c: StoredChunk): Candidate => ({ chunk: c, rrf: 0, bm25: 1, vector: 1 });
const coverageOnly: RankWeights = { rrf: 0, bm25: 0, vector: 0, coverage: 0.5, symbol: 0.5 };

describe('ranking: words the code writes as one', () => {
  it('pairs adjacent content words, never across or with a stop word', () => {
    assert.deepEqual(joinedPairs('build a cookie jar from a dict'), [{ term: 'cookiejar', parts: ['cooki', 'jar'] }]);
    assert.deepEqual(
      joinedPairs('local time zone').map((p) => p.term),
      ['localtim', 'timezon'],
    );
    assert.deepEqual(joinedPairs('the and of'), []);
  });

  it('counts a pair written as one word for both words, when the workspace has that word', () => {
    const joined = chunk('cookies', 'cookiejar_from_dict', 'cookiejar dict cookiejar dict');
    const apart = chunk('cookie', 'get_cookie_dict', 'get cooki dict');
    const stats = { df: { cookiejar: 1, dict: 2, cooki: 1, get: 1 }, chunks: 2 };
    const query = 'build a cookie jar from a dict';
    assert.deepEqual([...joinedTerms(query, stats).keys()], ['cookiejar']);
    const ranked = rerank(query, [candidate(apart), candidate(joined)], stats, 10, coverageOnly);
    assert.equal(ranked[0].symbol, 'cookiejar_from_dict');
    assert.ok(ranked[0].score > ranked[1].score, JSON.stringify(ranked.map((r) => r.score)));
    // A workspace without the joined word: the pair adds nothing, and the chunk with more of the words wins.
    const without = { ...stats, df: { ...stats.df, cookiejar: 0 } };
    assert.equal(joinedTerms(query, without).size, 0);
    assert.equal(rerank(query, [candidate(joined), candidate(apart)], without, 10, coverageOnly)[0].symbol, 'get_cookie_dict');
  });
});

describe('ranking: results already shown', () => {
  const lines = (path: string, startLine: number, endLine: number) => ({ path, startLine, endLine });

  it('leaves out a result whose lines a better one of the same file holds, and fills the slot', () => {
    const ranked = [lines('a.py', 42, 57), lines('a.py', 43, 57), lines('b.py', 43, 57), lines('a.py', 50, 70), lines('c.py', 1, 9)];
    assert.deepEqual(
      withoutRepeats(ranked, (x) => x, 3),
      [ranked[0], ranked[2], ranked[3]],
    );
  });

  it('keeps a larger result ranked below a part of it: it shows more', () => {
    const ranked = [lines('a.py', 43, 57), lines('a.py', 42, 57)];
    assert.deepEqual(
      withoutRepeats(ranked, (x) => x, 10),
      ranked,
    );
  });
});
