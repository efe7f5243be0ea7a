// Workspace Trust through the bundled language server over stdio: a server the client did not
// call trusted imports and runs nothing of the workspace, yet QLP's own rules still report; trust
// granted (`qlp/workspace/trusted`) brings the project's ESLint config in.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { notify, request } from '../../extension/src/lspMessages';
import { serverNotifications, serverRequests } from '../../protocol/lsp';
import { initializeParams, spawnServer, type LspProcess } from '../support/lspProcess';
import { fakeGithubToken, writeProject } from '../support/projects';

const uri = (path: string) => pathToFileURL(path).href;

/** A project whose ESLint config, once imported, writes a canary file and turns on `no-console`. */
function projectWithCanary(): { root: string; app: string; canary: string } {
  const root = writeProject({
    'package.json': JSON.stringify({ name: 'cloned', type: 'module', scripts: { test: 'node --test' } }),
    'eslint.config.js':
      "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./canary.txt', import.meta.url), 'imported');\nexport default [{ rules: { 'no-console': 'error' } }];\n",
    'src/app.js': `console.log('hi');\nexport const token = '${fakeGithubToken}';\n`,
    'app.test.js': "import test from 'node:test';\ntest('runs', () => {});\n",
  });
  return { root, app: join(root, 'src', 'app.js'), canary: join(root, 'canary.txt') };
}

async function start(
  root: string,
  initializationOptions: Record<string, unknown>,
): Promise<{ server: LspProcess; latest: (path: string) => Promise<Diagnostic[]> }> {
  const server = spawnServer({ PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  const published = new Map<string, Diagnostic[]>();
  server.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => published.set(p.uri, p.diagnostics));
  server.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  await server.connection.sendRequest('initialize', {
    ...initializeParams(initializationOptions),
    rootUri: uri(root),
    workspaceFolders: [{ uri: uri(root), name: 'cloned' }],
    capabilities: { workspace: { configuration: true } },
  });
  await server.connection.sendNotification('initialized', {});
  /** The diagnostics of `path` once they include a secretlint finding (every run of app.js has one). */
  const latest = async (path: string) => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const d = published.get(uri(path));
      if (d?.some((x) => x.source === 'secretlint')) return d;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no diagnostics for ${path}: ${server.stderr()}`);
  };
  return { server, latest };
}

describe('Workspace Trust in the language server', () => {
  let server: LspProcess | undefined;
  afterEach(() => {
    server?.child.kill('SIGKILL');
    server = undefined;
  });

  it(
    "without workspaceTrusted imports and runs nothing of the workspace, and still reports with QLP's rules; trust granted brings the project's config in",
    { timeout: 120_000 },
    async () => {
      const { root, app, canary } = projectWithCanary();
      const started = await start(root, {});
      server = started.server;
      await server.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: uri(app), languageId: 'javascript', version: 1, text: readFileSync(app, 'utf8') },
      });
      const untrusted = await started.latest(app);
      assert.ok(
        untrusted.some((d) => d.code === '@secretlint/secretlint-rule-github'),
        JSON.stringify(untrusted),
      );
      assert.ok(!untrusted.some((d) => d.code === 'no-console'), JSON.stringify(untrusted));
      assert.equal(existsSync(canary), false, "the workspace's ESLint config was imported");

      const health = await request(server.connection, serverRequests.health, undefined);
      assert.equal(health.workspaceTrust?.trusted, false);
      assert.ok(
        health.workspaceTrust?.limits.some((l) => /ESLint config/.test(l)),
        JSON.stringify(health.workspaceTrust),
      );

      await assert.rejects(
        request(server.connection, serverRequests.sandboxRun, { runId: 'r', folder: root }),
        /^Error: The workspace is not trusted, so QLP does not run its tests; trust the folder \(Workspaces: Manage Workspace Trust\) to run them\.$/,
      );
      const workspace = await request(server.connection, serverRequests.validateWorkspace, { stages: ['lint', 'tests'] });
      assert.deepEqual(
        workspace.folders[0].stages.map((s) => [s.stage, s.status]),
        [
          ['lint', 'passed'],
          ['tests', 'skipped'],
        ],
      );
      assert.match(workspace.folders[0].stages[0].reason ?? '', /ESLint config was not loaded because the workspace is not trusted/);
      assert.deepEqual(
        workspace.folders[0].unscored?.map((u) => u.stage),
        ['tests'],
      );
      assert.equal(existsSync(canary), false);
      const told = await request(server.connection, serverRequests.health, undefined);
      assert.deepEqual(
        told.notChecked?.map((u) => u.stage),
        ['tests'],
        'the Status view hears why the tests did not run',
      );

      await notify(server.connection, serverNotifications.workspaceTrusted, {});
      const deadline = Date.now() + 60_000;
      let trusted = await started.latest(app);
      while (!trusted.some((d) => d.code === 'no-console') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        trusted = await started.latest(app);
      }
      assert.ok(
        trusted.some((d) => d.code === 'no-console' && d.severity === 1),
        JSON.stringify(trusted),
      );
      assert.equal(existsSync(canary), true);
      assert.equal((await request(server.connection, serverRequests.health, undefined)).workspaceTrust?.trusted, true);
    },
  );

  it("with workspaceTrusted: true honours the project's ESLint config from the first run", { timeout: 120_000 }, async () => {
    const { root, app, canary } = projectWithCanary();
    const started = await start(root, { workspaceTrusted: true });
    server = started.server;
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(app), languageId: 'javascript', version: 1, text: readFileSync(app, 'utf8') },
    });
    const diagnostics = await started.latest(app);
    assert.ok(
      diagnostics.some((d) => d.code === 'no-console'),
      JSON.stringify(diagnostics),
    );
    assert.equal(existsSync(canary), true);
  });
});
