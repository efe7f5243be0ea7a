// qlp/generate/start over stdio, as the editor drives it: events tagged with the run id, the plan
// sent to the client for approval (an edit or a refusal), and cancellation by $/cancelRequest.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { GenerationEvent, ProjectPlan } from '../../protocol/generate';
import { FakeModelServer } from '../support/fakeModelServer';
import { onNotification, onRequest, request } from '../../extension/src/lspMessages';
import { clientNotifications, clientRequests, serverRequests } from '../../protocol/lsp';
import { initializeParams, spawnServer, type LspProcess } from '../support/lspProcess';
import { sandboxEnv, scratchDir, testStorage } from '../support/sandboxes';
import { fixedSource, scriptedProject } from '../support/scriptedProject';

const models = new FakeModelServer();
before(() => models.start());
after(() => models.close());

interface Started {
  server: LspProcess;
  workspace: string;
  events: Array<{ runId: string; event: GenerationEvent }>;
  approvals: ProjectPlan[];
}

/** A server for a workspace, whose client answers plan approvals with `answer`. */
async function start(answer: (plan: ProjectPlan) => ProjectPlan | null): Promise<Started> {
  const workspace = scratchDir('qlp-gen-lsp-');
  const server = spawnServer({ PATH: process.env.PATH, QLP_HOME: testStorage() });
  const events: Started['events'] = [];
  const approvals: ProjectPlan[] = [];
  const qlp = { providers: { local: { baseUrl: models.openaiBaseUrl, model: 'scripted-coder' } }, sandbox: { mode: 'bwrap' }, generate: { parallelFiles: 2 } };
  server.connection.onRequest('workspace/configuration', () => [qlp]);
  onNotification(server.connection, clientNotifications.generateEvent, (e) => events.push(e));
  onRequest(server.connection, clientRequests.approvePlan, ({ plan }) => {
    approvals.push(plan);
    return { plan: answer(plan) };
  });
  const folders = [{ uri: pathToFileURL(workspace).href, name: 'ws' }];
  await server.connection.sendRequest('initialize', { ...initializeParams(), workspaceFolders: folders, capabilities: { workspace: { configuration: true } } });
  await server.connection.sendNotification('initialized', {});
  return { server, workspace, events, approvals };
}

const requirements = 'A command-line tool that adds two numbers.';

describe('qlp/generate/start over stdio', { timeout: 180_000 }, () => {
  let started: Started | undefined;
  afterEach(() => {
    started?.server.child.kill('SIGKILL');
    started = undefined;
  });

  it('asks the client to approve the plan, writes what it approved and streams the run to verified', async (t) => {
    if (!(await sandboxEnv('bwrap', t))) return;
    models.respondWith(scriptedProject());
    // The client edits the plan: a purpose rewritten (the file list is kept, the model writes it).
    started = await start((plan) => ({ ...plan, files: plan.files.map((f) => (f.path === 'README.md' ? { ...f, purpose: 'usage for people' } : f)) }));
    const folder = join(started.workspace, 'adder');
    const result = await request(started.server.connection, serverRequests.generateStart, {
      runId: 'run-1',
      requirements,
      folder,
      stack: 'node-cli',
      approvePlan: true,
    });
    assert.equal(result.status, 'verified', result.reasons.join('; '));
    assert.equal(started.approvals.length, 1);
    assert.equal(started.approvals[0].files.length, 5);
    assert.equal(readFileSync(join(folder, 'src', 'index.js'), 'utf8'), fixedSource);
    assert.ok(started.events.every((e) => e.runId === 'run-1'));
    const kinds = new Set(started.events.map((e) => e.event.kind));
    for (const kind of ['phase', 'plan', 'file', 'text', 'tests', 'usage'] as const) assert.ok(kinds.has(kind), `no ${kind} event arrived`);
    const phases = started.events.flatMap((e) => (e.event.kind === 'phase' ? [e.event.phase] : []));
    assert.ok(phases.indexOf('approve') < phases.indexOf('write'), `the plan was not approved before writing: ${phases.join(', ')}`);
    assert.ok(result.capsule, 'no capsule was kept');
  });

  it('cancels the run when the client refuses the plan, and writes nothing', async (t) => {
    if (!(await sandboxEnv('bwrap', t))) return;
    models.respondWith(scriptedProject());
    started = await start(() => null);
    const folder = join(started.workspace, 'refused');
    await assert.rejects(
      request(started.server.connection, serverRequests.generateStart, { runId: 'run-2', requirements, folder, stack: 'node-cli', approvePlan: true }),
      /The plan was not approved; nothing was written\./,
    );
    assert.equal(started.approvals.length, 1);
    assert.ok(!existsSync(folder), 'the refused plan left a folder behind');
    assert.ok(!started.events.some((e) => e.event.kind === 'file' && e.event.state === 'writing'), 'a file was written after the refusal');
  });

  it('leaves an existing folder as it was when the request is cancelled mid-run', async (t) => {
    if (!(await sandboxEnv('bwrap', t))) return;
    models.respondWith(scriptedProject());
    started = await start((plan) => plan);
    const folder = join(started.workspace, 'existing');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'keep me\n');
    const source = new CancellationTokenSource();
    const events = started.events;
    const pending = request(
      started.server.connection,
      serverRequests.generateStart,
      { runId: 'run-3', requirements, folder, stack: 'node-cli', allowExisting: true, approvePlan: true },
      source.token,
    );
    // Cancel once the files are written and the checks run: the folder must still be untouched.
    let settled = false;
    void pending.catch(() => undefined).finally(() => (settled = true));
    while (!settled && !events.some((e) => e.event.kind === 'phase' && e.event.phase === 'verify')) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!settled, 'the run ended before its checks started');
    source.cancel();
    await assert.rejects(pending);
    assert.deepEqual(readdirSync(folder), ['notes.txt']);
    assert.equal(readFileSync(join(folder, 'notes.txt'), 'utf8'), 'keep me\n');
    const health = await request(started.server.connection, serverRequests.health, undefined);
    assert.equal(health.pid, started.server.child.pid, 'the server stopped serving after the cancel');
  });
});
