// The remote embedders against a loopback server speaking OpenAI's, Azure's and Ollama's real
// embeddings protocols; one table per embedder id and dimension.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createEmbedder } from '../../../language-server/src/index/embedders/createEmbedder';
import { HashEmbedder } from '../../../language-server/src/index/embedders/hashEmbedder';
import { IndexService } from '../../../language-server/src/index/service';
import { FakeEmbeddingServer } from '../../support/fakeEmbeddingServer';
import { searchWorkspace } from '../../support/searchFixture';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('index: embedders', () => {
  const server = new FakeEmbeddingServer();
  let base = '';
  before(async () => (base = await server.start()));
  after(() => server.stop());

  it('the default hash embedder is deterministic, normalised, and puts related texts closer', async () => {
    const e = new HashEmbedder();
    const [a, b, c, a2] = await e.embed(['retry the request with backoff', 'retrying requests after backing off', 'render the html template', 'retry the request with backoff']);
    assert.equal(a.length, 256);
    assert.ok(Math.abs(dot(a, a) - 1) < 1e-5);
    assert.deepEqual(a, a2);
    assert.ok(dot(a, b) > dot(a, c) + 0.2, `${dot(a, b)} vs ${dot(a, c)}`);
  });

  it('speaks OpenAI embeddings (bearer key, order by index) and learns the dimension', async () => {
    const e = await createEmbedder('openai:text-embedding-3-small', { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${base}/v1` });
    assert.deepEqual([e.id, e.dimensions], ['openai:text-embedding-3-small', 26]);
    const [x, y] = await e.embed(['aaa', 'zzz']);
    assert.ok(x[0] > 0.99 && y[25] > 0.99, 'vectors kept in input order although the server reversed them');
    const last = server.requests.at(-1)!;
    assert.equal(last.headers.authorization, 'Bearer sk-test');
    assert.deepEqual(last.body.input, ['aaa', 'zzz']);
  });

  it('speaks Azure OpenAI (deployment URL, api-key header) and Ollama /api/embed', async () => {
    const azure = await createEmbedder('azure:embed-prod', { AZURE_OPENAI_ENDPOINT: base, AZURE_OPENAI_API_KEY: 'az-key' });
    await azure.embed(['hello']);
    const req = server.requests.at(-1)!;
    assert.match(req.path, /^\/openai\/deployments\/embed-prod\/embeddings\?api-version=/);
    assert.equal(req.headers['api-key'], 'az-key');
    const ollama = await createEmbedder('ollama:nomic-embed-text', { OLLAMA_HOST: base });
    assert.equal(ollama.dimensions, 26);
    assert.equal(server.requests.at(-1)!.path, '/api/embed');
    assert.equal(server.requests.at(-1)!.body.model, 'nomic-embed-text');
  });

  it('keeps one table per embedder and dimension, and reports a failing server in one sentence', async () => {
    const ws = searchWorkspace();
    const remote = await IndexService.open({ root: ws.root, indexDir: ws.indexDir, embedder: 'ollama:letters', env: { OLLAMA_HOST: base } });
    await remote.update();
    assert.ok((await remote.search('customer owes discount')).length > 0);
    await remote.close();
    const local = await IndexService.open({ root: ws.root, indexDir: ws.indexDir, env: {} });
    await local.update();
    await local.close();
    const tables = readdirSync(ws.indexDir).filter((n) => n.endsWith('.lance')).sort();
    assert.deepEqual(tables, ['chunks_hash_256.lance', 'chunks_ollama_letters_26.lance']);

    server.failWith = 404;
    try {
      await assert.rejects(createEmbedder('ollama:missing', { OLLAMA_HOST: base }), /^EmbedderError: The ollama embeddings server answered 404: .*model not found.*\.$/s);
    } finally {
      server.failWith = undefined;
    }
    await assert.rejects(createEmbedder('ollama', { OLLAMA_HOST: 'http://127.0.0.1:9' }), /Cannot reach the ollama embeddings server at http:\/\/127\.0\.0\.1:9/);
    await assert.rejects(createEmbedder('word2vec', {}), /Unknown embedder 'word2vec'/);
  });
});
