// The remote embedders through the OpenAI SDK against a loopback server speaking OpenAI's and
// Azure's real embeddings wire format (Ollama through its OpenAI-compatible /v1): keys and URL
// shapes, retries on 429, 5xx, cut connections and stalls, one sentence when they run out; one
// table per embedder id and dimension.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createEmbedder } from '../../../language-server/src/index/embedders/createEmbedder';
import { HashEmbedder } from '../../../language-server/src/index/embedders/hashEmbedder';
import { RemoteEmbedder, type RemoteEmbedderOptions } from '../../../language-server/src/index/embedders/remoteEmbedders';
import { IndexService } from '../../../language-server/src/index/service';
import { FakeEmbeddingServer } from '../../support/fakeEmbeddingServer';
import { searchWorkspace } from '../../support/searchFixture';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
/** The product's policy with short waits, so a test that exhausts it takes milliseconds. */
const quick = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 30_000 };

describe('index: embedders', () => {
  const server = new FakeEmbeddingServer();
  let base = '';
  const openai = (extra: Partial<RemoteEmbedderOptions> = {}) =>
    RemoteEmbedder.connect({ kind: 'openai', model: 'text-embedding-3-small', baseUrl: `${base}/v1`, apiKey: 'sk-test', retry: quick, ...extra });
  before(async () => (base = await server.start()));
  after(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
    server.failWith = undefined;
  });

  it('the default hash embedder is deterministic, normalised, and puts related texts closer', async () => {
    const e = new HashEmbedder();
    const [a, b, c, a2] = await e.embed([
      'retry the request with backoff',
      'retrying requests after backing off',
      'render the html template',
      'retry the request with backoff',
    ]);
    assert.equal(a.length, 256);
    assert.ok(Math.abs(dot(a, a) - 1) < 1e-5);
    assert.deepEqual(a, a2);
    assert.ok(dot(a, b) > dot(a, c) + 0.2, `${dot(a, b)} vs ${dot(a, c)}`);
  });

  it('speaks OpenAI embeddings through the SDK (bearer key, base64 floats, order by index) and learns the dimension', async () => {
    const e = await createEmbedder('openai:text-embedding-3-small', { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${base}/v1` });
    assert.deepEqual([e.id, e.dimensions], ['openai:text-embedding-3-small', 26]);
    const [x, y] = await e.embed(['aaa', 'zzz']);
    assert.ok(x[0] > 0.99 && y[25] > 0.99, 'vectors kept in input order although the server reversed them');
    const last = server.requests.at(-1)!;
    assert.equal(last.path, '/v1/embeddings');
    assert.equal(last.headers.authorization, 'Bearer sk-test');
    assert.deepEqual([last.body.model, last.body.input, last.body.encoding_format], ['text-embedding-3-small', ['aaa', 'zzz'], 'base64']);
  });

  it("speaks Azure OpenAI (deployment URL, api-version, api-key header) and Ollama's /v1 endpoint", async () => {
    const azure = await createEmbedder('azure:embed-prod', { AZURE_OPENAI_ENDPOINT: base, AZURE_OPENAI_API_KEY: 'az-key', OPENAI_API_VERSION: '2024-06-01' });
    await azure.embed(['hello']);
    const req = server.requests.at(-1)!;
    assert.equal(req.path, '/openai/deployments/embed-prod/embeddings?api-version=2024-06-01');
    assert.equal(req.headers['api-key'], 'az-key');
    assert.equal(req.headers.authorization, undefined, 'Azure keys go in api-key, not a bearer token');

    const ollama = await createEmbedder('ollama:nomic-embed-text', { OLLAMA_HOST: base.replace('http://', '') });
    assert.equal(ollama.dimensions, 26);
    const last = server.requests.at(-1)!;
    assert.deepEqual([last.path, last.body.model, last.body.encoding_format], ['/v1/embeddings', 'nomic-embed-text', 'float']);
  });

  it('takes the endpoint and key it is given over the environment', async () => {
    const e = await createEmbedder('openai', { OPENAI_API_KEY: 'sk-from-env', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }, undefined, {
      baseUrl: `${base}/v1`,
      apiKey: 'sk-from-editor',
    });
    await e.embed(['x']);
    assert.deepEqual(
      server.requests.map((r) => r.headers.authorization),
      ['Bearer sk-from-editor', 'Bearer sk-from-editor'],
    );
  });

  it('retries a 429 (after Retry-After) and a 500, then succeeds', async () => {
    const e = await openai();
    server.script({ status: 429, retryAfter: '0', message: 'Rate limit reached' }, { status: 500 });
    const [v] = await e.embed(['abc']);
    assert.equal(v.length, 26);
    assert.equal(server.requests.length, 4, 'the probe, the 429, the 500, the answer');
  });

  it('gives up on a 500 after the policy’s attempts, in one sentence', async () => {
    const e = await openai();
    server.failWith = { status: 500, message: 'The server had an error processing your request' };
    const err = await e.embed(['abc']).then(
      () => assert.fail('a failing server must not yield vectors'),
      (x: Error) => x,
    );
    assert.equal(server.requests.length, 1 + quick.maxAttempts);
    assert.equal(err.name, 'EmbedderError');
    assert.match(err.message, /^Embedding with openai:text-embedding-3-small failed after 3 attempts: OpenAI failed with 500: .*The server had an error.*\.$/);
    assert.equal(err.message.split(/\.\s/).length, 1, `one sentence: ${err.message}`);
  });

  it('retries a cut connection and a stalled request; a server that keeps cutting is one sentence', async () => {
    const e = await openai({ timeoutMs: 300 });
    server.script({ cut: true }, { stallMs: 2000 });
    const [v] = await e.embed(['abc']);
    assert.equal(v.length, 26);
    assert.equal(server.requests.length, 4, 'the probe, the cut, the stall, the answer');

    server.failWith = { cut: true };
    await assert.rejects(e.embed(['abc']), (err: Error) => {
      assert.match(
        err.message,
        /^Embedding with openai:text-embedding-3-small failed after 3 attempts: OpenAI at http:\/\/127\.0\.0\.1:\d+\/v1 is unreachable: .+\.$/,
      );
      return true;
    });
  });

  it('does not retry a refused key, and says how to set one', async () => {
    server.failWith = { status: 401, message: 'Incorrect API key provided' };
    await assert.rejects(
      openai(),
      /^EmbedderError: Embedding with openai:text-embedding-3-small failed: OpenAI refused the API key \(401\); set a valid key with "QLP: Set API key"/,
    );
    assert.equal(server.requests.length, 1);
  });

  it('names what is missing before any request: a key, an Azure endpoint or deployment, a known id', async () => {
    await assert.rejects(
      createEmbedder('openai', { OPENAI_BASE_URL: `${base}/v1` }),
      /^EmbedderError: OpenAI embeddings need an API key: set one with "QLP: Set API key" \(or OPENAI_API_KEY on the command line\)\.$/,
    );
    await assert.rejects(createEmbedder('azure:embed-prod', { AZURE_OPENAI_API_KEY: 'k' }), /need an endpoint: set qlp\.providers\.azure\.endpoint/);
    await assert.rejects(createEmbedder('azure', { AZURE_OPENAI_ENDPOINT: base, AZURE_OPENAI_API_KEY: 'k' }), /need a deployment: azure:<deployment>/);
    await assert.rejects(createEmbedder('word2vec', {}), /Unknown embedder 'word2vec'/);
    assert.equal(server.requests.length, 0);
  });

  it('keeps one table per embedder and dimension', async () => {
    const ws = searchWorkspace();
    const remote = await IndexService.open({ root: ws.root, indexDir: ws.indexDir, embedder: 'ollama:letters', env: { OLLAMA_HOST: base } });
    await remote.update();
    assert.ok((await remote.search('customer owes discount')).length > 0);
    await remote.close();
    const local = await IndexService.open({ root: ws.root, indexDir: ws.indexDir, env: {} });
    await local.update();
    await local.close();
    const tables = readdirSync(ws.indexDir)
      .filter((n) => n.endsWith('.lance'))
      .sort();
    assert.deepEqual(tables, ['chunks_learned_256.lance', 'chunks_ollama_letters_26.lance']);
  });
});
