// Black-box tests of the bundled language server over stdio.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { repoRoot } from '../support/paths';
import { request } from '../../extension/src/lspMessages';
import { serverRequests } from '../../protocol/lsp';
import { initializeParams, spawnServer, type LspProcess } from '../support/lspProcess';
import { startFakeDockerEngine } from '../support/fakeDockerEngine';

const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;

describe('language server over stdio', () => {
  let server: LspProcess | undefined;
  afterEach(() => {
    server?.child.kill('SIGKILL');
    server = undefined;
  });

  it('answers initialize with its name and version', async () => {
    server = spawnServer();
    const result = await server.connection.sendRequest<{ serverInfo: { name: string; version: string } }>('initialize', initializeParams());
    assert.deepEqual(result.serverInfo, { name: 'qlp', version });
  });

  it('answers qlp/health with version, uptime, pid and what the machine offers', async () => {
    const engine = await startFakeDockerEngine({ version: '28.2.2' });
    const storageDir = mkdtempSync(join(tmpdir(), 'qlp-server-'));
    try {
      server = spawnServer({ PATH: process.env.PATH, DOCKER_HOST: engine.dockerHost, GROQ_API_KEY: 'gsk-never-sent' });
      await server.connection.sendRequest('initialize', initializeParams({ storageDir }));
      await server.connection.sendNotification('initialized', {});
      const health = await request(server.connection, serverRequests.health, undefined);
      assert.equal(health.version, version);
      assert.equal(health.pid, server.child.pid);
      assert.ok(health.uptimeMs > 0 && health.uptimeMs < 60_000);
      assert.deepEqual(health.machine.docker, { reachable: true, host: engine.dockerHost, version: '28.2.2' });
      assert.deepEqual(health.machine.storage, { path: storageDir, writable: true });
      assert.equal(health.machine.sandbox, 'docker');
      assert.equal(health.machine.providers.find((p) => p.id === 'groq')?.configured, true);
      assert.ok(!JSON.stringify(health).includes('gsk-never-sent'));
    } finally {
      await engine.close();
    }
  });

  it('stays responsive: answers health requests sent together', async () => {
    server = spawnServer();
    await server.connection.sendRequest('initialize', initializeParams());
    const reports = await Promise.all(Array.from({ length: 5 }, () => request(server!.connection, serverRequests.health, undefined)));
    assert.ok(reports.every((r) => r.pid === server!.child.pid));
  });

  it('reports an unknown method as an error instead of crashing', async () => {
    server = spawnServer();
    await server.connection.sendRequest('initialize', initializeParams());
    await assert.rejects(server.connection.sendRequest('qlp/nope'), /Unhandled method qlp\/nope/);
    const health = await request(server.connection, serverRequests.health, undefined);
    assert.equal(health.pid, server.child.pid);
  });

  it('shuts down and exits with code 0 on shutdown + exit', async () => {
    server = spawnServer();
    await server.connection.sendRequest('initialize', initializeParams());
    await server.connection.sendRequest('shutdown');
    await server.connection.sendNotification('exit');
    assert.equal(await server.exited, 0, server.stderr());
  });
});
