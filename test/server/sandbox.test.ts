// qlp/sandbox/run over stdio: settings answered from workspace/configuration, progress arriving
// as notifications tagged with the run id, cancellation through $/cancelRequest.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { onNotification, request } from '../../extension/src/lspMessages';
import { clientNotifications, serverRequests, type SandboxProgressParams } from '../../protocol/lsp';
import { initializeParams, spawnServer, type LspProcess } from '../support/lspProcess';
import { repoRoot } from '../support/paths';
import { sandboxEnv, scratchDir, testStorage } from '../support/sandboxes';

/** Starts the server with a client that answers workspace/configuration with `qlp`. */
async function start(env: NodeJS.ProcessEnv, qlp: Record<string, unknown>): Promise<{ server: LspProcess; progress: SandboxProgressParams[] }> {
  const server = spawnServer({ PATH: process.env.PATH, QLP_HOME: testStorage(), ...(env.DOCKER_HOST ? { DOCKER_HOST: env.DOCKER_HOST } : {}) });
  const progress: SandboxProgressParams[] = [];
  server.connection.onRequest('workspace/configuration', () => [qlp]);
  onNotification(server.connection, clientNotifications.sandboxProgress, (p) => progress.push(p));
  await server.connection.sendRequest('initialize', { ...initializeParams({ workspaceTrusted: true }), capabilities: { workspace: { configuration: true } } });
  await server.connection.sendNotification('initialized', {});
  return { server, progress };
}

describe('qlp/sandbox/run over stdio', { timeout: 120_000 }, () => {
  let server: LspProcess | undefined;
  afterEach(() => {
    server?.child.kill('SIGKILL');
    server = undefined;
  });

  it("runs a folder's tests in the sandbox the editor's settings name, with progress and live output", async (t) => {
    const env = await sandboxEnv('bwrap', t);
    if (!env) return;
    const started = await start(env, { sandbox: { mode: 'bwrap', memoryMb: 256 } });
    server = started.server;
    const folder = join(repoRoot, 'test', 'fixtures', 'sandbox', 'node-fail');
    const result = await request(server.connection, serverRequests.sandboxRun, { runId: 'run-1', folder });
    assert.equal(result.status, 'failed');
    assert.equal(result.sandbox, 'bwrap');
    assert.deepEqual(result.tests, { passed: 2, failed: 1, skipped: 1, collected: 4, errors: 0, xfailed: 0, xpassed: 0, deselected: 0, source: 'junit' });
    assert.deepEqual(result.cases?.find((c) => c.status === 'failed')?.name, 'Fahrenheit back to Celsius');
    assert.equal(result.receipt.limits.memoryMb, 256);
    const phases = started.progress.filter((p) => p.kind === 'phase').map((p) => p.kind === 'phase' && p.phase);
    assert.deepEqual(phases, ['prepare', 'test']);
    assert.ok(started.progress.every((p) => p.runId === 'run-1'));
    const live = started.progress.map((p) => (p.kind === 'output' ? p.text : '')).join('');
    assert.match(live, /✖ Fahrenheit back to Celsius/);
    assert.doesNotMatch(live, /@@qlp-report/, 'the report blocks reached the live output');
  });

  it('answers bad input with an error the editor can show, and keeps serving', async (t) => {
    const env = await sandboxEnv('bwrap', t);
    if (!env) return;
    server = (await start(env, { sandbox: { mode: 'bwrap' } })).server;
    await assert.rejects(
      request(server.connection, serverRequests.sandboxRun, { runId: 'x', folder: join(scratchDir(), 'missing') }),
      /missing is not a folder; give the project's folder\./,
    );
    await assert.rejects(
      server.connection.sendRequest('qlp/sandbox/run', { runId: 'x', folder: repoRoot, sandbox: 'vm' }),
      /sandbox must be one of auto, docker, bwrap/,
    );
    const health = await request(server.connection, serverRequests.health, undefined);
    assert.equal(health.pid, server.child.pid);
  });

  it('stops the run when the request is cancelled, leaving no process behind', async (t) => {
    const env = await sandboxEnv('bwrap', t);
    if (!env) return;
    const started = await start(env, { sandbox: { mode: 'bwrap' } });
    server = started.server;
    const folder = join(scratchDir(), 'slow');
    mkdirSync(folder);
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ scripts: { test: 'node --test' } }));
    writeFileSync(join(folder, 'slow.test.js'), "require('node:test')('waits', () => new Promise((r) => setTimeout(r, 60000)));\n");
    const source = new CancellationTokenSource();
    const pending = request(server.connection, serverRequests.sandboxRun, { runId: 'slow', folder }, source.token);
    while (!started.progress.some((p) => p.kind === 'phase' && p.phase === 'test')) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    const at = Date.now();
    source.cancel();
    await assert.rejects(pending);
    const pid = server.child.pid;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && readdirSync('/sys/fs/cgroup/pids/qlp-sandbox').some((g) => g.startsWith(`run-${pid}-`)))
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      readdirSync('/sys/fs/cgroup/pids/qlp-sandbox').filter((g) => g.startsWith(`run-${pid}-`)),
      [],
      "the run's cgroup is still there",
    );
    assert.ok(Date.now() - at < 5000);
  });
});
