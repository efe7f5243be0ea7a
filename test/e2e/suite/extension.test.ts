// Runs inside the real extension host: the extension's behaviour through its API and commands.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    const shipped = [
      'qlp.restartServer',
      'qlp.showOutput',
      'qlp.refreshStatus',
      'qlp.setApiKey',
      'qlp.testModels',
      'qlp.validateWorkspace',
      'qlp.runTestsInSandbox',
      'qlp.exportCapsule',
      'qlp.snapshotFolder',
      'qlp.importCapsule',
      'qlp.restoreVersion',
      'qlp.compareWithFolder',
      'qlp.generateProject',
      'qlp.semanticSearch',
      'qlp.pushCapsule',
      'qlp.pullCapsule',
    ];
    for (const id of shipped) assert.ok(registered.has(id), `${id} is not registered`);
  });

  it("leaves an open file's type errors to the built-in TypeScript, and reports them itself when asked", async function () {
    this.timeout(90_000);
    const qlp = await api();
    await waitForState(qlp, 'ready');
    const dir = mkdtempSync(join(tmpdir(), 'qlp-in-host-'));
    writeFileSync(join(dir, 'app.ts'), "export const answer: number = 'forty-two';\nlet unchanged = 3;\nexport const doubled = unchanged * 2;\n");
    const uri = vscode.Uri.file(join(dir, 'app.ts'));
    const until = async (ok: (d: vscode.Diagnostic[]) => boolean) => {
      const deadline = Date.now() + 40_000;
      let diagnostics = vscode.languages.getDiagnostics(uri);
      while (!ok(diagnostics) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        diagnostics = vscode.languages.getDiagnostics(uri);
      }
      assert.ok(ok(diagnostics), `diagnostics for ${uri.toString()}: ${JSON.stringify(diagnostics)}`);
      return diagnostics;
    };
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // QLP's lint finding shows that it validated the file; the type error is the built-in one's.
    const byDefault = await until((d) => d.some((x) => x.source === 'eslint') && d.some((x) => x.source === 'ts'));
    assert.deepEqual(
      byDefault.filter((d) => d.source === 'typescript'),
      [],
    );
    const settings = vscode.workspace.getConfiguration('qlp.validate');
    await settings.update('typesWithBuiltinTypeScript', true, vscode.ConfigurationTarget.Global);
    try {
      const asked = await until((d) => d.some((x) => x.source === 'typescript'));
      // A code with a link to its docs comes as { value, target }.
      const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
      const typeError = asked.find((d) => d.source === 'typescript' && codeOf(d) === 'TS2322');
      assert.ok(typeError, JSON.stringify(asked));
      assert.equal(typeError.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(typeError.range.start.line, 0);
    } finally {
      await settings.update('typesWithBuiltinTypeScript', undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
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

  it("snapshots the workspace folder and shows a version's files as read-only documents", async () => {
    const qlp = await api();
    await waitForState(qlp, 'ready');
    const folder = vscode.workspace.workspaceFolders![0].uri;
    await vscode.commands.executeCommand('qlp.snapshotFolder', folder);
    const capsule = (await qlp.capsules()).find((c) => c.folder === folder.fsPath);
    assert.ok(capsule, `no capsule for ${folder.fsPath}`);
    assert.equal(capsule.versions[0].validation, null);
    const uri = vscode.Uri.from({ scheme: 'qlp-capsule', path: `/${capsule.id}@${capsule.latest}/index.js` });
    const document = await vscode.workspace.openTextDocument(uri);
    const onDisk = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'index.js'))).toString('utf8');
    assert.equal(document.getText(), onDisk);
    await assert.rejects(
      Promise.resolve(vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'qlp-capsule', path: `/${capsule.id}@${capsule.latest}/missing.js` }))),
    );
  });

  it('opens the changes of a first version in the multi-file diff editor', async () => {
    const qlp = await api();
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const capsule = (await qlp.capsules()).find((c) => c.folder === folder.fsPath)!;
    const first = capsule.versions.at(-1)!;
    await vscode.commands.executeCommand('qlp.compareWithPreviousVersion', { kind: 'version', capsule, version: first });
    const title = `${capsule.name} (empty) ↔ v${first.version}`;
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    assert.ok(
      tabs.some((label) => label.startsWith(`${title} (`)),
      `no tab '${title}' among: ${tabs.join(' | ')}`,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the output channel on command', async () => {
    await vscode.commands.executeCommand('qlp.showOutput');
  });
});
