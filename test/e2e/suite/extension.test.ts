// Runs inside the real extension host: the extension's behaviour through its API and commands.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { QlpApi } from '../../../extension/src/api';
import type { ServerState } from '../../../protocol/webview';

const extensionId = 'qlp.qlp';

async function api(): Promise<QlpApi> {
  const extension = vscode.extensions.getExtension<QlpApi>(extensionId);
  assert.ok(extension, `${extensionId} is not installed`);
  return extension.activate();
}

function waitForState(qlp: QlpApi, wanted: ServerState, timeoutMs = 20_000): Promise<void> {
  if (qlp.serverState === wanted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`server state stayed ${qlp.serverState}, wanted ${wanted}`));
    }, timeoutMs);
    const subscription = qlp.onDidChangeServerState((state) => {
      if (state !== wanted) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

async function waitForNewPid(qlp: QlpApi, oldPid: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (qlp.serverState === 'ready') {
      const { pid } = await qlp.health().catch(() => ({ pid: oldPid }));
      if (pid !== oldPid) return pid;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server was not replaced within ${timeoutMs} ms (state ${qlp.serverState})`);
}

describe('QLP in the extension host', () => {
  it('activates and reports how long activate() took', async () => {
    const qlp = await api();
    assert.equal(typeof qlp.activationMs, 'number');
    assert.ok(qlp.activationMs > 0);
  });

  it('starts the language server, which answers qlp/health', async () => {
    const qlp = await api();
    await waitForState(qlp, 'ready');
    const health = await qlp.health();
    const version = vscode.extensions.getExtension(extensionId)!.packageJSON.version;
    assert.equal(health.version, version);
    assert.ok(health.pid > 0 && health.pid !== process.pid, 'the server runs in its own process');
    assert.equal(typeof health.machine.docker.reachable, 'boolean');
    assert.equal(health.machine.node.supported, true);
    assert.equal(health.machine.storage.writable, true);
  });

  it('registers the commands it ships and none that would pretend', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['qlp.restartServer', 'qlp.showOutput', 'qlp.refreshStatus', 'qlp.setApiKey', 'qlp.testModels', 'qlp.runTestsInSandbox']) assert.ok(registered.has(id), `${id} is not registered`);
    for (const id of ['qlp.generateProject', 'qlp.semanticSearch', 'qlp.exportCapsule', 'qlp.validateWorkspace']) {
      assert.ok(!registered.has(id), `${id} is registered but its feature is not built`);
    }
  });

  it('restarts the server on command: a new process answers', async () => {
    const qlp = await api();
    await waitForState(qlp, 'ready');
    const before = (await qlp.health()).pid;
    await vscode.commands.executeCommand('qlp.restartServer');
    assert.equal(qlp.serverState, 'ready');
    const after = (await qlp.health()).pid;
    assert.notEqual(after, before);
  });

  it('restarts the server automatically after it crashes', async () => {
    const qlp = await api();
    await waitForState(qlp, 'ready');
    const before = (await qlp.health()).pid;
    const states: ServerState[] = [];
    const subscription = qlp.onDidChangeServerState((s) => states.push(s));
    process.kill(before, 'SIGKILL');
    const after = await waitForNewPid(qlp, before);
    subscription.dispose();
    assert.notEqual(after, before);
    assert.ok(states.includes('restarting'), `states seen: ${states.join(', ')}`);
  });

  it('shows the output channel on command', async () => {
    await vscode.commands.executeCommand('qlp.showOutput');
  });
});
