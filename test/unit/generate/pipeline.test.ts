// The generation pipeline end to end with its real parts: the model layer through the real SDK
// against the loopback server (a scripted model), validation, the sandbox, the capsule store.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it, type TestContext } from 'node:test';
import type { GenerationEvent } from '../../../protocol/generate';
import { CapsuleService } from '../../../language-server/src/capsule/service';
import { CancelledError } from '../../../language-server/src/common/cancellation';
import { runGeneration } from '../../../language-server/src/generate/generationHost';
import { transcriptOf } from '../../../language-server/src/generate/replaySource';
import { retrieveContext } from '../../../language-server/src/index/retrieve';
import { Ledger } from '../../../language-server/src/llm/ledger';
import { modelSettingsFromEnvironment } from '../../../language-server/src/llm/modelSettings';
import { setUpModels } from '../../../language-server/src/llm/modelSetup';
import { FakeModelServer } from '../../support/fakeModelServer';
import { repoRoot, requireBuilt } from '../../support/paths';
import { sandboxEnv, scratchDir, testSettings, testStorage } from '../../support/sandboxes';
import { buggySource, fastapiFiles, fastapiPlan, fixedSource, projectFiles, promptText, scriptedProject } from '../../support/scriptedProject';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

async function setup(t: TestContext, extra: { budgetUsd?: number; pricing?: unknown } = {}) {
  const env = await sandboxEnv('bwrap', t);
  if (!env) return undefined;
  const dataDir = testStorage();
  const workspace = scratchDir('qlp-gen-ws-');
  const { settings, keyOf } = modelSettingsFromEnvironment({ QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'scripted-coder' });
  settings.budgets.perGenerationUsd = extra.budgetUsd ?? 0;
  if (extra.pricing) settings.pricing = extra.pricing;
  settings.retry = { ...settings.retry, baseDelayMs: 5, maxDelayMs: 10, maxAttempts: 1 };
  const ledger = new Ledger(join(dataDir, 'ledger.jsonl'));
  const models = await setUpModels(settings, keyOf, ledger);
  const events: GenerationEvent[] = [];
  const options = {
    models,
    ledger,
    dataDir,
    workspaceRoot: workspace,
    sandbox: testSettings('bwrap'),
    env,
    budgetUsd: extra.budgetUsd ?? 0,
    validationWorkerFile: requireBuilt(join(repoRoot, 'dist', 'validateWorker.js')),
  };
  const generate = (requirements: string, folder = join(workspace, 'adder'), more: Partial<Parameters<typeof runGeneration>[0]> = {}, moreOptions = {}) =>
    runGeneration({ requirements, folder, stack: 'node-cli', ...more }, { ...options, ...moreOptions }, new AbortController().signal, (e) => events.push(e));
  return { dataDir, workspace, events, generate, options };
}

describe('generate: plan → files → sandboxed tests → repair → capsule', () => {
  it('repairs a real bug from the failing test output and ends verified with a receipt', async (t) => {
    const s = await setup(t);
    if (!s) return;
    server.respondWith(scriptedProject());
    const result = await s.generate('A command-line tool that adds two numbers.');
    assert.equal(result.status, 'verified', JSON.stringify(result.reasons));
    assert.equal(result.rounds, 1);
    assert.deepEqual(result.tests, { passed: 1, failed: 0, skipped: 0 });
    assert.equal(readFileSync(join(s.workspace, 'adder', 'src/index.js'), 'utf8'), fixedSource);
    for (const [path, content] of Object.entries(projectFiles))
      if (path !== 'src/index.js') assert.equal(readFileSync(join(s.workspace, 'adder', path), 'utf8'), content);

    const repair = server.requests.find((r) => promptText(r).includes('The project was checked and has problems'));
    assert.ok(repair, 'a repair turn was made');
    assert.match(promptText(repair), /Failing test output:[\s\S]*-1 !== 5/);
    const testsEvents = s.events.filter((e) => e.kind === 'tests');
    assert.deepEqual(
      testsEvents.map((e) => e.kind === 'tests' && e.status),
      ['failed', 'passed'],
    );

    const capsules = await CapsuleService.open(s.dataDir, s.workspace);
    const manifest = await capsules.manifest(result.capsule!);
    assert.equal(manifest.kind, 'generated');
    assert.equal(manifest.receipts[0]?.status, 'passed');
    assert.equal(manifest.receipts[0]?.sandbox, 'bwrap');
    assert.ok(manifest.usage!.inputTokens > 0);
    const { transcript } = await transcriptOf(capsules, result.capsule!);
    assert.deepEqual(
      transcript.turns.map((turn) => turn.key).sort(),
      ['file:README.md', 'file:bin/cli.js', 'file:package.json', 'file:src/index.js', 'file:test/index.test.js', 'plan', 'repair:1:tests'].sort(),
    );
  });

  it('generates a FastAPI service whose tests pass offline in the sandbox', async (t) => {
    const s = await setup(t);
    if (!s) return;
    server.respondWith(scriptedProject({ files: fastapiFiles, planOverride: fastapiPlan }));
    const result = await s.generate('A REST API in Python with FastAPI for todo items.', join(s.workspace, 'todos'), { stack: 'python-fastapi' });
    assert.equal(
      result.status,
      'verified',
      JSON.stringify({ reasons: result.reasons, events: s.events.filter((e) => e.kind === 'validation' || e.kind === 'tests') }).slice(0, 3000),
    );
    assert.equal(result.rounds, 0);
    assert.deepEqual(result.tests, { passed: 2, failed: 0, skipped: 0 });
  });

  it('gives the plan and the files the workspace code the index finds for the requirements', async (t) => {
    const s = await setup(t);
    if (!s) return;
    mkdirSync(join(s.workspace, 'lib'));
    writeFileSync(
      join(s.workspace, 'lib', 'money.js'),
      '/** Adds two amounts of money in cents, rounding half up. */\nexport function addCents(a, b) {\n  return Math.round(a + b);\n}\n',
    );
    server.respondWith(scriptedProject());
    const context = (text: string, signal: AbortSignal) => retrieveContext(s.workspace, text, { signal, indexDir: join(s.dataDir, 'index') });
    const result = await s.generate('A command-line tool that adds two amounts of money in cents.', undefined, {}, { context });
    assert.equal(result.status, 'verified');
    const plan = server.requests.find((r) => promptText(r).includes('Plan the project'))!;
    assert.match(promptText(plan), /Code from the user's workspace[\s\S]*lib\/money\.js[\s\S]*addCents/);
    assert.ok(server.requests.filter((r) => /\nWrite \S+ \(/.test(promptText(r))).every((r) => promptText(r).includes('addCents')));
  });

  it('stays unverified when the repair prompt lacks the failure, and says why', async (t) => {
    const s = await setup(t);
    if (!s) return;
    server.respondWith(scriptedProject({ failureMarker: /a marker no output has/ }));
    const result = await s.generate('A command-line tool that adds two numbers.');
    assert.equal(result.status, 'unverified');
    assert.match(result.reasons.join('\n'), /same failures came back/);
    assert.equal(readFileSync(join(s.workspace, 'adder', 'src/index.js'), 'utf8'), buggySource);
  });

  it('replays a capsule without any model call and reproduces its files byte for byte', async (t) => {
    const s = await setup(t);
    if (!s) return;
    server.respondWith(scriptedProject({ planAs: 'text' }));
    const first = await s.generate('A command-line tool that adds two numbers.');
    assert.equal(first.status, 'verified');
    const capsules = await CapsuleService.open(s.dataDir, s.workspace);
    const recorded = await transcriptOf(capsules, first.capsule!);
    const calls = server.requests.length;
    const replayed = await s.generate(recorded.transcript.requirements, join(s.workspace, 'replayed'), {}, { replay: recorded.transcript });
    assert.equal(server.requests.length, calls, 'no model was called');
    assert.equal(replayed.status, 'verified');
    assert.equal((await capsules.manifest(replayed.capsule!)).digest, recorded.digest);
    // A replay calls no model: it spends nothing, and tells the recorded cost apart.
    assert.deepEqual(replayed.usage, {
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      budgetUsd: first.usage.budgetUsd,
      recordedCostUsd: first.usage.costUsd,
    });
  });

  it('refuses a folder that is not empty unless allowed, and keeps its old state in a capsule', async (t) => {
    const s = await setup(t);
    if (!s) return;
    server.respondWith(scriptedProject());
    const folder = join(s.workspace, 'existing');
    mkdirSync(join(folder, 'src'), { recursive: true });
    writeFileSync(join(folder, 'src/index.js'), 'hand-written\n');
    await assert.rejects(s.generate('A command-line tool that adds two numbers.', folder), /is not empty/);
    assert.equal(server.requests.length, 0);
    const result = await s.generate('A command-line tool that adds two numbers.', folder, { allowExisting: true, tests: false });
    assert.equal(result.status, 'unverified');
    assert.match(result.reasons.join('\n'), /tests did not run/);
    const capsules = await CapsuleService.open(s.dataDir, s.workspace);
    const summary = await capsules.summary(result.capsule!.id);
    assert.deepEqual(
      summary.versions.map((v) => v.kind),
      ['generated', 'snapshot'],
    );
    const before = await capsules.readFile({ id: result.capsule!.id, version: summary.versions[1]!.version, path: 'src/index.js' });
    assert.deepEqual(before, { text: 'hand-written\n' });
    assert.ok(existsSync(join(folder, 'README.md')));
  });

  it('keeps the files already written, as unverified, when the provider fails mid-run', async (t) => {
    const s = await setup(t);
    if (!s) return;
    const base = scriptedProject();
    server.respondWith((request) => (/\nWrite README.md \(/.test(promptText(request)) ? { status: 500, message: 'upstream exploded' } : base(request)));
    const result = await s.generate('A command-line tool that adds two numbers.');
    assert.equal(result.status, 'unverified');
    assert.match(result.reasons.join('\n'), /model provider failed/);
    assert.deepEqual(result.files, ['bin/cli.js', 'package.json', 'src/index.js', 'test/index.test.js']);
    assert.ok(result.capsule);
  });

  it('stops at the budget before a call could exceed it, and writes nothing', async (t) => {
    const s = await setup(t, { budgetUsd: 0.5, pricing: { 'local:scripted-coder': { inputPerMTok: 1_000_000, outputPerMTok: 1_000_000 } } });
    if (!s) return;
    server.respondWith(scriptedProject());
    await assert.rejects(s.generate('A command-line tool that adds two numbers.'), /budget/i);
    assert.equal(server.requests.length, 0);
    assert.ok(!existsSync(join(s.workspace, 'adder')));
  });

  it('ends as a cancel (exit 130, what the editor answers RequestCancelled to) when the plan is refused, and writes nothing', async (t) => {
    const s = await setup(t);
    if (!s) return;
    server.respondWith(scriptedProject());
    let asked = 0;
    const refuse = async () => void asked++;
    await assert.rejects(s.generate('A command-line tool that adds two numbers.', undefined, {}, { approvePlan: refuse }), (err: Error) => {
      assert.ok(err instanceof CancelledError, `${err.name}: ${err.message}`);
      assert.equal(err.exitCode, 130);
      assert.equal(err.message, 'The plan was not approved; nothing was written.');
      return true;
    });
    assert.equal(asked, 1);
    assert.equal(server.requests.length, 1, 'only the plan was asked for');
    assert.ok(!existsSync(join(s.workspace, 'adder')));
    assert.deepEqual(readdirSync(join(s.dataDir, 'generations')), [], 'the staging folder is gone');
  });
});
