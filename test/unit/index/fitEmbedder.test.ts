// The per-embedder weight fit (scripts/search-model/fitEmbedder.ts) with a remote embedder: a
// loopback server speaking the OpenAI embeddings wire format stands in for the model.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fitEmbedderWeights } from '../../../scripts/search-model/fitEmbedder';
import { FakeEmbeddingServer } from '../../support/fakeEmbeddingServer';
import { searchWorkspace } from '../../support/searchFixture';

describe('rerank weights fitted for a remote embedder', () => {
  const server = new FakeEmbeddingServer();
  let base = '';
  before(async () => (base = await server.start()));
  after(() => server.stop());

  it("indexes with the embedder, ranks the queries' candidates and fits weights that find them", async () => {
    const ws = searchWorkspace();
    const queries = [
      { query: 'add up what the customer owes after the discount', targets: [{ path: 'src/cart.ts', startLine: 11, endLine: 15 }] },
      { query: 'hash a password with a salt', targets: [{ path: 'py/users.py', startLine: 5, endLine: 8 }] },
      { query: 'retry with exponential backoff', targets: [{ path: 'src/retry.ts', startLine: 5, endLine: 20 }] },
    ];
    const corpora = [
      { name: 'a', root: ws.root, queries: queries.slice(0, 2) },
      { name: 'b', root: ws.root, queries: queries.slice(2) },
    ];
    const fit = await fitEmbedderWeights('ollama:letters', corpora, ws.indexDir, { OLLAMA_HOST: base });
    assert.equal(fit.embedder, 'ollama:letters');
    assert.equal(fit.queries, 3);
    const { bm25, vector, coverage, symbol } = fit.weights;
    assert.ok(Math.abs(bm25 + vector + coverage + symbol - 1) < 1e-9, JSON.stringify(fit.weights));
    assert.ok(fit.mrr10 >= fit.defaultsMrr10 && fit.mrr10 > 0.5, JSON.stringify(fit));
    assert.ok(fit.leaveOnePackageOutMrr10 >= 0 && fit.leaveOnePackageOutMrr10 <= 1);
    // The chunks and the queries went to the model server, under the model's name.
    assert.ok(server.requests.length > 1 && server.requests.every((r) => r.body.model === 'letters'));
  });
});
