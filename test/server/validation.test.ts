// Validation through the bundled language server over stdio: diagnostics for open documents,
// quick fixes, workspace validation with progress, and a server that stays responsive.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { notify, onNotification, request } from '../../extension/src/lspMessages';
import { clientNotifications, serverNotifications, serverRequests } from '../../protocol/lsp';
import { initializeParams, spawnServer, type LspProcess } from '../support/lspProcess';
import { repoRoot } from '../support/paths';
import { typescriptProject, writeProject } from '../support/projects';
import { sandboxEnv, testStorage } from '../support/sandboxes';

const uri = (path: string) => pathToFileURL(path).href;

/** Collects published diagnostics and waits for ones that satisfy a predicate. */
class DiagnosticsLog {
  readonly latest = new Map<string, Diagnostic[]>();
  private waiters: Array<() => void> = [];
  constructor(server: LspProcess) {
    server.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.latest.set(p.uri, p.diagnostics);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  async waitFor(fileUri: string, ok: (d: Diagnostic[]) => boolean, timeoutMs = 60_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const current = this.latest.get(fileUri);
      if (current && ok(current)) return current;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    throw new Error(`no matching diagnostics for ${fileUri}; last: ${JSON.stringify(this.latest.get(fileUri))}`);
  }
}

async function start(
  root: string,
  settings: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = {},
  options: Record<string, unknown> = {},
): Promise<{ server: LspProcess; log: DiagnosticsLog }> {
  // No Docker engine: qlp/health then measures the server, not the probes.
  const server = spawnServer({ PATH: process.env.PATH, DOCKER_HOST: 'unix:///nonexistent/docker.sock', HOME: process.env.HOME, ...env });
  const log = new DiagnosticsLog(server);
  server.connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
    params.items.map((item) => (item.section === 'qlp.validate' ? { debounceMs: 50, ...settings } : null)),
  );
  await server.connection.sendRequest('initialize', {
    // A trusted workspace (the extension says so in VS Code); test/server/trust.test.ts covers untrusted ones.
    ...initializeParams({ workspaceTrusted: true, ...options }),
    rootUri: uri(root),
    workspaceFolders: [{ uri: uri(root), name: 'project' }],
    capabilities: { workspace: { configuration: true } },
  });
  await server.connection.sendNotification('initialized', {});
  return { server, log };
}

function open(server: LspProcess, path: string, languageId: string, text = readFileSync(path, 'utf8')) {
  return server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(path), languageId, version: 1, text } });
}

describe('validation in the language server', () => {
  let server: LspProcess | undefined;
  afterEach(() => {
    server?.child.kill('SIGKILL');
    server = undefined;
  });

  /** A server on the TypeScript demo project with src/app.ts open. */
  async function openApp(settings: Record<string, unknown> = {}) {
    const root = typescriptProject();
    const started = await start(root, settings);
    server = started.server;
    const app = join(root, 'src', 'app.ts');
    await open(server, app, 'typescript');
    return { server, log: started.log, app, appUri: uri(app) };
  }

  it('publishes a type error, a lint problem and a secret for an opened TypeScript file', { timeout: 90_000 }, async () => {
    const { log, app } = await openApp();
    const diagnostics = await log.waitFor(uri(app), (d) => d.some((x) => x.source === 'typescript'));
    const byCode = (code: string) => diagnostics.find((d) => d.code === code);
    assert.equal(byCode('TS2345')?.source, 'typescript');
    assert.equal(byCode('TS2345')?.range.start.line, 2);
    assert.equal(byCode('TS2345')?.severity, 1);
    assert.equal(byCode('@secretlint/secretlint-rule-github')?.source, 'secretlint');
    assert.equal(byCode('@secretlint/secretlint-rule-github')?.range.start.line, 3);
    assert.equal(byCode('prefer-const')?.source, 'eslint');
  });

  it('re-validates as the document changes, ending on the last edit', { timeout: 90_000 }, async () => {
    const { server, log, app } = await openApp();
    await log.waitFor(uri(app), (d) => d.some((x) => x.code === 'TS2345'));
    // Several quick edits: each supersedes the one before; the last fixes the type error.
    for (let version = 2; version <= 5; version++) {
      const call = version === 5 ? 'add(1, 2)' : `add(1, '${version}')`;
      await server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: uri(app), version },
        contentChanges: [{ text: `import { add } from './math.js';\n\nexport const total: number = ${call};\n` }],
      });
    }
    const after = await log.waitFor(uri(app), (d) => !d.some((x) => x.code === 'TS2345'));
    assert.deepEqual(
      after.filter((d) => d.severity === 1),
      [],
    );
  });

  it("offers the tools' fixes as quick fixes and a fix-all source action", { timeout: 90_000 }, async () => {
    const { server, log, app } = await openApp();
    const diagnostics = await log.waitFor(uri(app), (d) => d.some((x) => x.code === 'prefer-const'));
    const preferConst = diagnostics.find((d) => d.code === 'prefer-const')!;
    const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(app) },
      range: preferConst.range,
      context: { diagnostics: [preferConst] },
    });
    const quickFix = actions.find((a) => a.kind === 'quickfix' && a.title.includes('prefer-const'));
    assert.ok(quickFix, JSON.stringify(actions));
    const [edit] = quickFix.edit?.changes?.[uri(app)] ?? [];
    assert.equal(edit.range.start.line, 4);
    assert.match(edit.newText, /^const unchanged = 3;?$/);
    const source = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(app) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(
      source.map((a) => [a.kind, a.title]),
      [['source.fixAll.qlp', 'Fix all auto-fixable problems']],
    );
  });

  it('leaves files that .gitignore excludes alone', { timeout: 60_000 }, async () => {
    const root = writeProject({ '.gitignore': 'generated/\n', 'generated/out.js': 'var x = ;\n', 'src/ok.js': 'var y = ;\n' });
    const started = await start(root);
    server = started.server;
    await open(server, join(root, 'generated', 'out.js'), 'javascript');
    await open(server, join(root, 'src', 'ok.js'), 'javascript');
    await started.log.waitFor(uri(join(root, 'src', 'ok.js')), (d) => d.some((x) => x.source === 'typescript'));
    assert.deepEqual(started.log.latest.get(uri(join(root, 'generated', 'out.js'))) ?? [], []);
  });

  it('validates the workspace on request with progress, and answers qlp/health within 50 ms meanwhile', { timeout: 180_000 }, async () => {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true } }),
    };
    for (let i = 0; i < 60; i++) {
      files[`src/module${i}.ts`] =
        `import { value${i ? i - 1 : 0} as previous } from './module${i ? i - 1 : 0}.js';\nexport const value${i}: number = ${i ? 'previous + 1' : '1'};\n${Array.from({ length: 40 }, (_, j) => `export function f${j}(x: number): string { return String(x + value${i} + ${j}); }`).join('\n')}\n`;
    }
    files['src/module0.ts'] = 'export const value0: number = 1;\n';
    files['src/broken.ts'] = "export const wrong: number = 'text';\n";
    const root = writeProject(files);
    const started = await start(root);
    server = started.server;
    await request(server.connection, serverRequests.health, undefined); // warm: the first answer loads modules
    const progress: string[] = [];
    onNotification(server.connection, clientNotifications.validateProgress, (p) => progress.push(p.message));
    const validation = request(server.connection, serverRequests.validateWorkspace, {});
    let finished = false;
    void validation.then(() => (finished = true));
    const latencies: number[] = [];
    while (!finished && latencies.length < 40) {
      await new Promise((r) => setTimeout(r, 100));
      const t0 = performance.now();
      await request(server.connection, serverRequests.health, undefined);
      latencies.push(performance.now() - t0);
    }
    const result = await validation;
    assert.ok(latencies.length >= 3, `validation finished before health could be measured (${latencies.length} samples)`);
    const sorted = [...latencies].sort((a, b) => a - b);
    // p90: on a shared 2-core machine an odd sample waits for the scheduler, whatever the server does.
    const p90 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))];
    assert.ok(p90 < 50, `qlp/health took ${sorted.map((t) => t.toFixed(0)).join(', ')} ms during validation`);
    assert.equal(result.folders.length, 1);
    assert.equal(result.folders[0].files, 62);
    assert.equal(result.folders[0].errors, 1);
    assert.ok(result.folders[0].score < 100);
    assert.ok(
      progress.some((m) => /TypeScript/.test(m)),
      progress.join(' | '),
    );
    await started.log.waitFor(uri(join(root, 'src', 'broken.ts')), (d) => d.some((x) => x.code === 'TS2322'));
  });

  it('applies the qlp.validate settings: with lint and security off, only syntax and types report', { timeout: 90_000 }, async () => {
    const { log, app } = await openApp({ stages: ['syntax', 'types'] });
    const diagnostics = await log.waitFor(uri(app), (d) => d.some((x) => x.code === 'TS2345'));
    assert.ok(!diagnostics.some((d) => d.source === 'secretlint' || d.source === 'eslint'), JSON.stringify(diagnostics));
  });
  it('runs the tests stage of a workspace validation in the sandbox and shows the failing test in its file', { timeout: 120_000 }, async (t) => {
    if (!(await sandboxEnv('bwrap', t))) return;
    const root = join(repoRoot, 'test', 'fixtures', 'sandbox', 'node-fail');
    const started = await start(root, {}, { QLP_HOME: testStorage(), QLP_SANDBOX_MODE: 'bwrap', QLP_SANDBOX_MEMORY_MB: '256' });
    server = started.server;
    const result = await request(server.connection, serverRequests.validateWorkspace, { stages: ['tests'] });
    const folder = result.folders[0];
    assert.deepEqual(
      folder.stages.map((s) => [s.stage, s.status]),
      [['tests', 'failed']],
    );
    assert.deepEqual(folder.tests, { passed: 2, failed: 1, skipped: 1 });
    assert.equal(folder.testRun?.sandbox, 'bwrap');
    assert.equal(folder.testRun?.receipt.status, 'failed');
    const shown = await started.log.waitFor(uri(join(root, 'test', 'temperature.test.js')), (d) => d.length > 0);
    assert.deepEqual(
      shown.map((d) => [d.range.start.line, d.source, d.code, d.severity]),
      [[11, 'node:test', 'test-failed', 1]],
    );
  });
  it("leaves an open TypeScript file's types to the editor's built-in TypeScript when the client has it", { timeout: 90_000 }, async () => {
    const root = typescriptProject();
    const started = await start(root, {}, {}, { builtinTypeScript: true });
    server = started.server;
    const app = join(root, 'src', 'app.ts');
    await open(server, app, 'typescript');
    const diagnostics = await started.log.waitFor(uri(app), (d) => d.some((x) => x.source === 'secretlint') && d.some((x) => x.source === 'eslint'));
    assert.deepEqual(
      diagnostics.filter((d) => d.source === 'typescript'),
      [],
    );
  });

  it(
    "leaves ESLint's findings to the ESLint extension while it is active, keeps the secret, and takes them back when it stops",
    { timeout: 90_000 },
    async () => {
      const root = typescriptProject();
      // The extension can lint this project: ESLint installed in it, and a config.
      mkdirSync(join(root, 'node_modules'));
      for (const pkg of ['eslint', 'typescript-eslint']) symlinkSync(join(repoRoot, 'node_modules', pkg), join(root, 'node_modules', pkg));
      writeFileSync(
        join(root, 'eslint.config.mjs'),
        "import tseslint from 'typescript-eslint';\nexport default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'prefer-const': 'error' } }];\n",
      );
      const eslintExtension = { tool: 'eslint', extension: 'dbaeumer.vscode-eslint', languages: ['typescript'] };
      const started = await start(root, {}, {}, { editorLinters: [eslintExtension] });
      server = started.server;
      const app = join(root, 'src', 'app.ts');
      await open(server, app, 'typescript');
      const quiet = await started.log.waitFor(uri(app), (d) => d.some((x) => x.source === 'secretlint') && d.some((x) => x.source === 'typescript'));
      assert.deepEqual(
        quiet.filter((d) => d.source === 'eslint'),
        [],
      );
      await notify(server.connection, serverNotifications.editorLinters, { linters: [] });
      const back = await started.log.waitFor(uri(app), (d) => d.some((x) => x.code === 'prefer-const'));
      assert.equal(back.find((d) => d.code === 'prefer-const')?.severity, 1, "the project's own config sets its level");
    },
  );

  it('links each rule\'s docs and offers "Disable <rule> for this line" as a versioned edit', { timeout: 90_000 }, async () => {
    const { server, log, app } = await openApp();
    const diagnostics = await log.waitFor(uri(app), (d) => d.some((x) => x.code === 'TS2345') && d.some((x) => x.code === 'prefer-const'));
    const byCode = (code: string) => diagnostics.find((d) => d.code === code)!;
    assert.equal(byCode('prefer-const').codeDescription?.href, 'https://eslint.org/docs/latest/rules/prefer-const');
    assert.equal(byCode('TS2345').codeDescription?.href, 'https://typescript.tv/errors/#ts2345');
    const secret = byCode('@secretlint/secretlint-rule-github');
    assert.equal(secret.message, 'Hard-coded GitHub token (secretlint: @secretlint/secretlint-rule-github)');
    assert.match(secret.codeDescription?.href ?? '', /secretlint-rule-github\/README\.md$/);
    const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(app) },
      range: byCode('TS2345').range,
      context: { diagnostics: [byCode('TS2345'), secret] },
    });
    const disable = actions.find((a) => a.title === 'Disable TS2345 for this line');
    assert.ok(disable, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(disable.edit?.documentChanges, [
      {
        textDocument: { uri: uri(app), version: 1 },
        edits: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '// @ts-expect-error\n' }],
      },
    ]);
    assert.ok(!actions.some((a) => a.title.startsWith('Disable @secretlint')), 'secrets stay');
  });
});
