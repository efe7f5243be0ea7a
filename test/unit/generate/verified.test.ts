// "Verified" against a model that games the tests instead of fixing the code, on the real
// pipeline: the loopback model server, the real validation tools, the bubblewrap sandbox with
// pytest's JUnit results and the mutation check. Every gamed run must end unverified with the
// reason named; an honest repair must end verified with a receipt that checks out.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it, type TestContext } from 'node:test';
import type { GenerationEvent, GenerationResult } from '../../../protocol/generate';
import { CapsuleService } from '../../../language-server/src/capsule/service';
import { runGeneration } from '../../../language-server/src/generate/generationHost';
import { verifyCapsule } from '../../../language-server/src/generate/receiptCheck';
import { Ledger } from '../../../language-server/src/llm/ledger';
import { modelSettingsFromEnvironment } from '../../../language-server/src/llm/modelSettings';
import { setUpModels } from '../../../language-server/src/llm/modelSetup';
import { FakeModelServer } from '../../support/fakeModelServer';
import { repoRoot, requireBuilt } from '../../support/paths';
import { sandboxEnv, scratchDir, testSettings, testStorage } from '../../support/sandboxes';
import { block, buggyWords, correctWords, honestTests, otherBugWords, pyproject, wordsModel, type Repair } from '../../support/wordsProject';

const server = new FakeModelServer();
before(() => server.start());
after(() => server.close());
beforeEach(() => (server.requests.length = 0));

interface Outcome {
  result: GenerationResult;
  events: GenerationEvent[];
  folder: string;
  dataDir: string;
  workspace: string;
}

interface RunOptions {
  limits?: Record<string, number>;
  budgetUsd?: number;
  pricing?: Record<string, { inputPerMTok: number; outputPerMTok: number }>;
  signal?: AbortSignal;
  onEvent?(event: GenerationEvent): void;
}

async function setUp(t: TestContext, options: RunOptions = {}) {
  const env = await sandboxEnv('bwrap', t);
  if (!env) return undefined;
  const dataDir = testStorage();
  const workspace = scratchDir('qlp-verified-ws-');
  const { settings, keyOf } = modelSettingsFromEnvironment({ QLP_LOCAL_BASE_URL: server.openaiBaseUrl, QLP_LOCAL_MODEL: 'scripted-coder' });
  settings.retry = { ...settings.retry, baseDelayMs: 5, maxDelayMs: 10, maxAttempts: 1 };
  settings.budgets.perGenerationUsd = options.budgetUsd ?? 0;
  if (options.pricing) settings.pricing = options.pricing;
  const ledger = new Ledger(join(dataDir, 'ledger.jsonl'));
  const models = await setUpModels(settings, keyOf, ledger);
  const events: GenerationEvent[] = [];
  const folder = join(workspace, 'words');
  const run = () =>
    runGeneration(
      { requirements: 'A Python library of word utilities: longest word (the first of equals), vowel count, shout.', folder, stack: 'python-cli' },
      {
        models,
        ledger,
        dataDir,
        workspaceRoot: workspace,
        sandbox: testSettings('bwrap'),
        env,
        budgetUsd: options.budgetUsd ?? 0,
        limits: options.limits ?? {},
        validationWorkerFile: requireBuilt(join(repoRoot, 'dist', 'validateWorker.js')),
      },
      options.signal ?? new AbortController().signal,
      (e) => {
        events.push(e);
        options.onEvent?.(e);
      },
    );
  return { run, events, folder, dataDir, workspace, ledger, env };
}

async function generate(t: TestContext, model: Parameters<typeof wordsModel>[0], limits: Record<string, number> = {}): Promise<Outcome | undefined> {
  const s = await setUp(t, { limits });
  if (!s) return undefined;
  server.respondWith(wordsModel(model));
  return { result: await s.run(), events: s.events, folder: s.folder, dataDir: s.dataDir, workspace: s.workspace };
}

const reasons = (o: Outcome) => o.result.reasons.join(' | ');
const notices = (o: Outcome) =>
  o.events
    .filter((e) => e.kind === 'notice')
    .map((e) => (e.kind === 'notice' ? e.message : ''))
    .join(' | ');

/** Asserts the run is not verified, that a reason matches, and that the code on disk is still the buggy one. */
function assertGamed(o: Outcome, reason: RegExp): void {
  assert.equal(o.result.status, 'unverified', `a gamed run was called verified: ${reasons(o)}`);
  assert.match(reasons(o), reason);
}

const fixTheCode: Repair = () => `The comparison kept the last of equals.\n${block('cli/words.py', correctWords)}`;

describe('verified means verified', () => {
  it('an honest repair of the code ends verified, with a mutation score and a receipt that checks out', async (t) => {
    const o = await generate(t, { repair: fixTheCode });
    if (!o) return;
    assert.equal(o.result.status, 'verified', reasons(o));
    assert.equal(o.result.rounds, 1);
    const m = o.result.mutation!;
    assert.ok(m.mutants >= 5, `${m.mutants} mutants`);
    assert.ok(m.score >= 0.6, `mutation score ${m.score}`);
    assert.deepEqual(m.files, ['cli/words.py']);
    const failingRound = o.events.find((e) => e.kind === 'tests' && e.status === 'failed');
    assert.ok(
      failingRound?.kind === 'tests' && failingRound.failing?.some((f) => f.includes('test_longest_keeps_the_first_of_equals')),
      'the failing test is named',
    );

    const capsules = await CapsuleService.open(o.dataDir, o.workspace);
    const manifest = await capsules.manifest(o.result.capsule!);
    const receipt = manifest.receipts[0]!;
    assert.equal(receipt.status, 'passed');
    assert.equal(receipt.tests?.collected, 3);
    assert.deepEqual(
      receipt.cases?.map((c) => c.status),
      ['passed', 'passed', 'passed'],
    );
    assert.ok(receipt.mutation && receipt.mutation.score >= 0.6);
    assert.ok(receipt.files?.some((f) => f.path === 'cli/words.py'));
    assert.equal((await verifyCapsule(capsules, o.result.capsule!)).intact, true);
    const again = await verifyCapsule(capsules, o.result.capsule!, {
      rerun: { runner: { settings: testSettings('bwrap'), storageDir: o.dataDir, env: (await sandboxEnv('bwrap', t))! }, signal: new AbortController().signal },
    });
    assert.equal(again.receipts[0]?.rerun?.matches, true, JSON.stringify(again.receipts[0]));

    // Without its log the receipt is no longer whole.
    rmSync(capsules.store.blobs.path(receipt.log!.sha256));
    const broken = await verifyCapsule(capsules, o.result.capsule!);
    assert.equal(broken.intact, false);
    assert.match(broken.receipts[0]!.problems.join(' '), /log/);
  });

  it('tests that assert nothing with buggy code are not verified', async (t) => {
    const empty = 'from cli.words import longest\n\n\ndef test_longest() -> None:\n    longest(["ab", "cd"])\n\n\ndef test_truth() -> None:\n    assert True\n';
    const o = await generate(t, { files: { 'tests/test_cli.py': empty }, repair: fixTheCode });
    if (!o) return;
    assertGamed(o, /assert nothing: tests\/test_cli\.py::test_longest, tests\/test_cli\.py::test_truth/);
  });

  it('a repair that weakens the failing assertion is discarded', async (t) => {
    const weakened = honestTests.replace('assert longest(["ab", "cd", "e"]) == "ab"', 'assert longest(["ab", "cd", "e"]) in ("ab", "cd")');
    const o = await generate(t, { repair: () => block('tests/test_cli.py', weakened) });
    if (!o) return;
    assertGamed(o, /test_longest_keeps_the_first_of_equals/);
    assert.match(notices(o), /Discarded a change to tests\/test_cli\.py: .*without stating why/);
    assert.equal(readFileSync(join(o.folder, 'tests/test_cli.py'), 'utf8'), honestTests);
  });

  it('an amendment that drops an assertion is discarded even with a reason', async (t) => {
    const fewer = honestTests.replace('    assert longest([]) == ""\n', '');
    const o = await generate(t, { repair: () => `AMEND tests/test_cli.py: the empty case is not in the requirements\n${block('tests/test_cli.py', fewer)}` });
    if (!o) return;
    assertGamed(o, /test_longest_keeps_the_first_of_equals/);
    assert.match(notices(o), /would lower its tests .* or assertions \(5 → 4\)/);
  });

  it('deselection through addopts in a repair is discarded', async (t) => {
    const deselect = pyproject.replace('pythonpath = ["."]', 'pythonpath = ["."]\naddopts = "-k \'not longest\'"');
    const o = await generate(t, { repair: () => block('pyproject.toml', deselect) });
    if (!o) return;
    assertGamed(o, /test_longest_keeps_the_first_of_equals/);
    assert.match(notices(o), /Discarded a change to pyproject\.toml: .*how tests run/);
  });

  it('deselection written from the start is caught by the count of tests run', async (t) => {
    const deselect = pyproject.replace('pythonpath = ["."]', 'pythonpath = ["."]\naddopts = "-k \'not longest\'"');
    const o = await generate(t, { files: { 'pyproject.toml': deselect }, repair: fixTheCode });
    if (!o) return;
    assertGamed(o, /hold 3 tests but the runner ran 2|deselected/);
  });

  it('skip and xfail markers added by a repair are discarded; written from the start they are caught', async (t) => {
    const skipped = `import pytest\n${honestTests.replace('def test_longest', '@pytest.mark.skip(reason="flaky")\ndef test_longest')}`;
    const o = await generate(t, { repair: () => `AMEND tests/test_cli.py: this test is flaky in CI\n${block('tests/test_cli.py', skipped)}` });
    if (!o) return;
    assertGamed(o, /test_longest_keeps_the_first_of_equals/);
    assert.match(notices(o), /would lower its tests \(3 → 2\)/);

    const xfail = `import pytest\n${honestTests.replace('def test_longest', '@pytest.mark.xfail\ndef test_longest')}`;
    const marked = await generate(t, { files: { 'tests/test_cli.py': xfail }, repair: fixTheCode });
    assertGamed(marked!, /marked skip, xfail or todo|did not run as tests/);
  });

  it('a repair that deletes the failing test is discarded', async (t) => {
    const deleted = honestTests.replace(/def test_longest[\s\S]*?\n\n\n/, '');
    const o = await generate(t, { repair: () => `AMEND tests/test_cli.py: removed an obsolete test\n${block('tests/test_cli.py', deleted)}` });
    if (!o) return;
    assertGamed(o, /test_longest_keeps_the_first_of_equals/);
    assert.match(notices(o), /would lower its tests \(3 → 2\)/);
  });

  it('a rewritten conftest.py that deselects tests is discarded', async (t) => {
    const conftest = 'def pytest_collection_modifyitems(config, items):\n    items[:] = [i for i in items if "longest" not in i.name]\n';
    const o = await generate(t, { repair: () => block('conftest.py', conftest) });
    if (!o) return;
    assertGamed(o, /test_longest_keeps_the_first_of_equals/);
    assert.match(notices(o), /Discarded a change to conftest\.py/);
  });

  it('bugs that alternate A → B → A stop the loop before the last rounds and tiers', async (t) => {
    const o = await generate(t, { repair: (round) => block('cli/words.py', round % 2 ? otherBugWords : buggyWords) }, { maxRepairRounds: 6 });
    if (!o) return;
    assertGamed(o, /brought back the failures of round 0/);
    assert.equal(o.result.rounds, 2, 'two repairs, then the loop guard');
    const repairs = server.requests.filter((r) => JSON.stringify(r.body).includes('The project was checked and has problems'));
    assert.equal(repairs.length, 2);
  });

  it('weak tests on correct code do not reach the mutation threshold', async (t) => {
    const weak =
      'from cli.words import count_vowels, longest, shout\n\n\ndef test_runs() -> None:\n    assert longest(["a"]) is not None\n    assert count_vowels("a") >= 0\n    assert shout("a")\n';
    const o = await generate(t, { files: { 'cli/words.py': correctWords, 'tests/test_cli.py': weak }, repair: fixTheCode });
    if (!o) return;
    assertGamed(o, /the tests caught \d+ of \d+ mutants \(\d+ %, verified needs 60 %\)/);
    assert.ok(o.result.mutation && o.result.mutation.score < 0.6);
  });

  it('parallel file turns against a tiny budget stop within it', async (t) => {
    // The whole run costs about $0.010 at these prices: the budget stops it midway.
    const budgetUsd = 0.006;
    const s = await setUp(t, {
      budgetUsd,
      limits: { parallelFiles: 3, maxTokensPerTurn: 500 },
      pricing: { 'local:scripted-coder': { inputPerMTok: 2, outputPerMTok: 2 } },
    });
    if (!s) return;
    server.respondWith(wordsModel({ repair: fixTheCode }));
    const outcome = await s.run().then(
      (result) => result.reasons.join(' '),
      (err: Error) => err.message,
    );
    assert.match(outcome, /budget/);
    const spent = (await s.ledger.entries()).reduce((sum, e) => sum + e.costUsd, 0);
    assert.ok(spent > 0 && spent <= budgetUsd, `spent ${spent} of a ${budgetUsd} budget`);
  });

  it('a cancel mid-stream stops the run, leaves no folder, and the cancelled call is paid for', async (t) => {
    const controller = new AbortController();
    const s = await setUp(t, {
      signal: controller.signal,
      pricing: { 'local:scripted-coder': { inputPerMTok: 2, outputPerMTok: 2 } },
      onEvent: (e) => e.kind === 'text' && e.path !== null && controller.abort(),
    });
    if (!s) return;
    const model = wordsModel({ repair: fixTheCode });
    server.respondWith((request) => {
      const reply = model(request);
      return 'text' in reply && reply.text.length ? { ...reply, text: reply.text.flatMap((c) => c.split('')), delayMs: 10 } : reply;
    });
    await assert.rejects(s.run(), /cancelled/i);
    assert.equal(existsSync(s.folder), false);
    const cancelled = (await s.ledger.entries()).filter((e) => e.outcome === 'cancelled');
    assert.ok(cancelled.length >= 1, 'the cancelled call is in the ledger');
    assert.ok(
      cancelled.every((e) => e.inputTokens > 0 && e.costUsd > 0),
      JSON.stringify(cancelled),
    );
  });
});
