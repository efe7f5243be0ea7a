// The index inside the bundled language server: built in the background in its worker thread
// (health keeps answering), searched over LSP, kept current by file-watcher events.
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { onNotification, request } from '../../extension/src/lspMessages';
import { clientNotifications, serverRequests } from '../../protocol/lsp';
import type { IndexStatus, SearchResult } from '../../protocol/search';
import { initializeParams, spawnServer, type LspProcess } from '../support/lspProcess';
import { searchWorkspace } from '../support/searchFixture';

describe('language server: workspace index and search', () => {
  let server: LspProcess | undefined;
  afterEach(() => {
    server?.child.kill('SIGKILL');
    server = undefined;
  });

  it('indexes the workspace in the background, answers health meanwhile, searches, follows saves', async () => {
    const ws = searchWorkspace();
    server = spawnServer({ PATH: process.env.PATH, HOME: ws.home, QLP_HOME: ws.home });
    const statuses: IndexStatus[] = [];
    onNotification(server.connection, clientNotifications.indexStatus, (s) => statuses.push(s));
    await server.connection.sendRequest('initialize', {
      ...initializeParams({ storageDir: join(ws.home, 'storage') }),
      workspaceFolders: [{ uri: pathToFileURL(ws.root).href, name: 'ws' }],
    });
    await server.connection.sendNotification('initialized', {});

    // While the worker loads grammars and indexes, the main thread still answers at once.
    const started = performance.now();
    await request(server.connection, serverRequests.health, undefined);
    assert.ok(performance.now() - started < 1000, 'health answered during indexing');

    const deadline = Date.now() + 60_000;
    while (!statuses.some((s) => s.state === 'ready' && s.files === 6)) {
      assert.ok(Date.now() < deadline, `index never became ready: ${JSON.stringify(statuses.at(-1))} ${server.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const status = await request(server.connection, serverRequests.indexStatus, {});
    assert.equal(status.files, 6);

    const { results } = await request(server.connection, serverRequests.search, { query: 'take a token from the bucket', limit: 5 });
    assert.deepEqual([results[0].path, results[0].symbol], ['src/retry.ts', 'RateLimiter']);

    // A save: the watcher's event makes the new function searchable.
    const file = join(ws.root, 'src', 'cart.ts');
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}\n/** Splits a bill evenly between friends, rounding to whole cents. */\nexport function splitBill(total: number, people: number): number[] {\n  return Array.from({ length: people }, () => Math.round((total / people) * 100) / 100);\n}\n`,
    );
    const saved = performance.now();
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 2 }] });
    let found: SearchResult | undefined;
    while (!found) {
      assert.ok(performance.now() - saved < 10_000, 'the saved file never became searchable');
      const { results: r } = await request(server.connection, serverRequests.search, { query: 'divide a bill evenly between friends', limit: 3 });
      found = r.find((x) => x.symbol === 'splitBill');
    }
    assert.equal(found.path, 'src/cart.ts');

    const rebuilt = await request(server.connection, serverRequests.indexRebuild, {});
    assert.deepEqual([rebuilt.state, rebuilt.files], ['ready', 6]);
  });
});
