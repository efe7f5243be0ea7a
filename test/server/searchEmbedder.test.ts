// A remote embedder inside the bundled language server: its endpoint comes from the editor's
// settings and its key from the editor's SecretStorage (asked with qlp/secrets/get), never from
// the server's environment; the index worker embeds with it through the OpenAI SDK.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import { onNotification, onRequest, request } from '../../extension/src/lspMessages';
import { clientNotifications, clientRequests, serverRequests, type SecretTargetId } from '../../protocol/lsp';
import type { IndexStatus } from '../../protocol/search';
import { FakeEmbeddingServer } from '../support/fakeEmbeddingServer';
import { initializeParams, spawnServer, type LspProcess } from '../support/lspProcess';
import { searchWorkspace } from '../support/searchFixture';

describe('language server: a remote embedder with the key from SecretStorage', () => {
  const embeddings = new FakeEmbeddingServer();
  let base = '';
  let server: LspProcess | undefined;
  before(async () => (base = await embeddings.start()));
  after(() => embeddings.stop());
  afterEach(() => {
    server?.child.kill('SIGKILL');
    server = undefined;
  });

  it('indexes and searches with the key the editor hands over, not the one in the environment', { timeout: 120_000 }, async () => {
    const ws = searchWorkspace();
    // The server's environment holds another key and another endpoint: neither may be used.
    server = spawnServer({
      PATH: process.env.PATH,
      HOME: ws.home,
      QLP_HOME: ws.home,
      OPENAI_API_KEY: 'sk-from-environment',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    const asked: SecretTargetId[] = [];
    onRequest(server.connection, clientRequests.secret, ({ provider }) => {
      asked.push(provider);
      return provider === 'openai' ? { key: 'sk-from-secret-storage' } : {};
    });
    const settings: Record<string, unknown> = {
      'qlp.index': { embedder: 'openai:text-embedding-3-small' },
      qlp: { providers: { openai: { baseUrl: `${base}/v1` } } },
    };
    server.connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
      params.items.map((i) => settings[i.section ?? ''] ?? null),
    );
    const statuses: IndexStatus[] = [];
    onNotification(server.connection, clientNotifications.indexStatus, (s) => statuses.push(s));
    await server.connection.sendRequest('initialize', {
      ...initializeParams({ storageDir: join(ws.home, 'storage'), secrets: true }),
      capabilities: { workspace: { configuration: true } },
      workspaceFolders: [{ uri: pathToFileURL(ws.root).href, name: 'ws' }],
    });
    await server.connection.sendNotification('initialized', {});

    const deadline = Date.now() + 90_000;
    while (!statuses.some((s) => s.state === 'ready' && s.files === 6)) {
      const last = statuses.at(-1);
      assert.ok(last?.state !== 'error', `the index failed: ${last?.error}`);
      assert.ok(Date.now() < deadline, `index never became ready: ${JSON.stringify(last)} ${server.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const { results } = await request(server.connection, serverRequests.search, { query: 'customer owes after discount', limit: 3 });
    assert.ok(results.length > 0);
    assert.equal((await request(server.connection, serverRequests.indexStatus, {})).embedder, 'openai:text-embedding-3-small');

    assert.deepEqual([...new Set(asked)], ['openai']);
    assert.ok(embeddings.requests.length >= 3, 'the probe, the chunks and the query were embedded remotely');
    assert.deepEqual([...new Set(embeddings.requests.map((r) => r.headers.authorization))], ['Bearer sk-from-secret-storage']);
  });
});
