// `qlp index` and `qlp search` as processes, per the CLI contract.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli } from '../support/runCli';
import { searchWorkspace } from '../support/searchFixture';

describe('qlp index / qlp search', () => {
  it("indexes into QLP's data folder and answers with the contract's JSON, best first", async () => {
    const ws = searchWorkspace();
    const env = { QLP_HOME: ws.home };
    const indexed = await runCli(['index', ws.root, '--json'], env);
    assert.equal(indexed.code, 0, indexed.stderr);
    const summary = JSON.parse(indexed.stdout);
    assert.equal(summary.files, 6);
    assert.equal(summary.embedder, 'learned');
    assert.ok(summary.chunks >= 8);
    assert.ok(!readdirSync(ws.root).some((n) => /lance|manifest/.test(n)), 'the index is not in the folder');

    const again = JSON.parse((await runCli(['index', ws.root, '--json'], env)).stdout);
    assert.equal(again.newChunks, 0, 'unchanged files are skipped');

    const found = await runCli(['search', 'salted slow digest so stored credentials resist brute force', '--dir', ws.root, '--limit', '3', '--json'], env);
    assert.equal(found.code, 0, found.stderr);
    const { results } = JSON.parse(found.stdout);
    assert.ok(results.length > 0 && results.length <= 3);
    assert.deepEqual(Object.keys(results[0]).sort(), ['endLine', 'path', 'score', 'snippet', 'startLine', 'symbol']);
    assert.equal(results[0].path, 'py/users.py');
    assert.equal(results[0].startLine, 5);
    for (let i = 1; i < results.length; i++) assert.ok(results[i - 1].score >= results[i].score);
  });

  it('indexes on demand, into --index-dir; exit 1 for no results, 2 for bad usage', async () => {
    const ws = searchWorkspace();
    const text = await runCli(['search', 'retry with exponential backoff', '--dir', ws.root, '--index-dir', ws.indexDir], {});
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^src\/retry\.ts:1-16 /);
    assert.ok(readdirSync(ws.indexDir).some((n) => n.endsWith('.lance')));

    for (const query of ['the of and', 'kubernetes helm chart rollout']) {
      const none = await runCli(['search', query, '--dir', ws.root, '--index-dir', ws.indexDir, '--json'], {});
      assert.deepEqual([none.code, JSON.parse(none.stdout)], [1, { results: [] }], query);
    }

    const bad = await runCli(['search', 'x', '--dir', ws.root, '--limit', 'many'], {});
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim(), "qlp: --limit must be a whole number from 1 to 1000, got 'many'.");
    const missing = await runCli(['index', '/nonexistent/folder'], {});
    assert.equal(missing.code, 2);
    const embedder = await runCli(['index', ws.root, '--embedder', 'ollama', '--index-dir', ws.indexDir], { OLLAMA_HOST: 'http://127.0.0.1:9' });
    assert.equal(embedder.code, 3);
    assert.match(
      embedder.stderr,
      /^qlp: Embedding with ollama:nomic-embed-text failed after 3 attempts: the local model server at http:\/\/127\.0\.0\.1:9\/v1 is unreachable: [^\n]+\.\n$/,
    );
  });
});
