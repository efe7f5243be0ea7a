// What the Search view says when it shows no results: why, in one line, with a hint for a miss.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IndexStatus } from '../../../protocol/search';
import { emptyReason } from '../../../webview/src/searchEmpty';

const ready: IndexStatus = { state: 'ready', files: 5, chunks: 12, embedder: 'hash' };

describe('Search view: why there are no results', () => {
  it('asks for a query when none is typed, whatever the index is doing', () => {
    assert.deepEqual(emptyReason({ query: '  ', status: ready, searching: false }), { text: 'Type to search: describe what the code does.' });
    assert.match(emptyReason({ query: '', status: { ...ready, state: 'error', error: 'x' }, searching: false }).text, /^Type to search/);
  });

  it('says the index is still being built, with its progress', () => {
    const indexing: IndexStatus = { ...ready, state: 'indexing', progress: { message: 'Indexed 40 of 120 files', done: 40, total: 120 } };
    assert.deepEqual(emptyReason({ query: 'retry', status: indexing, searching: false }), { text: 'Indexing… 40 of 120 files' });
    assert.deepEqual(emptyReason({ query: 'retry', status: { ...ready, state: 'empty', files: 0 }, searching: false }), { text: 'Indexing…' });
  });

  it('says there is no good match on a ready index, naming the query, with a hint', () => {
    assert.deepEqual(emptyReason({ query: ' send a fax ', status: ready, searching: false }), {
      text: 'No good match for “send a fax”.',
      hint: 'Try words that name what the code does, or re-index.',
    });
  });

  it('gives the error sentence of a failed search or a failed index, and a spinner while asking', () => {
    assert.deepEqual(emptyReason({ query: 'q', status: ready, error: 'The QLP language server is not running.', searching: false }), {
      text: 'The QLP language server is not running.',
    });
    const failed: IndexStatus = { ...ready, state: 'error', error: 'Embedding with openai:text-embedding-3-small failed: OpenAI refused the API key (401).' };
    assert.equal(emptyReason({ query: 'q', status: failed, searching: false }).text, failed.error);
    assert.deepEqual(emptyReason({ query: 'q', status: ready, searching: true }), { text: 'Searching…', busy: true });
  });
});
