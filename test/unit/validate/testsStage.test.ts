// The tests stage on real sandboxes: failing tests become error findings at the test (node:test
// and pytest report where), counts, coverage and the receipt reach the report and its score; a
// project without tests or a machine without a sandbox skips the stage and says why.
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestRunResult as SandboxRun } from '../../../protocol/sandbox';
import { validate } from '../../../language-server/src/validate/pipeline';
import { sandboxRunTests, testsStageResult } from '../../../language-server/src/validate/sandboxTests';
import { qualityScore } from '../../../language-server/src/validate/score';
import { Toolbox } from '../../../language-server/src/validate/toolbox';
import { validateProject } from '../../../language-server/src/validate/validateProject';
import { ValidationWorker } from '../../../language-server/src/validate/worker/client';
import { ProjectTestRunner } from '../../../language-server/src/sandbox/runTests';
import { distDir, repoRoot, requireBuilt } from '../../support/paths';
import { writeProject } from '../../support/projects';
import { sandboxEnv, sandboxKinds, scratchDir, testSettings, testStorage } from '../../support/sandboxes';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'sandbox', name);
const signal = () => new AbortController().signal;

describe('the tests stage in a sandbox', { timeout: 120_000 }, () => {
  for (const kind of sandboxKinds) {
    it(`${kind}: a failing node:test test is an error at its declaration, with counts, coverage and the receipt`, async (t) => {
      const env = await sandboxEnv(kind, t);
      if (!env) return;
      const messages: string[] = [];
      const runTests = sandboxRunTests(() => ({ settings: testSettings(kind), storageDir: testStorage(), env }));
      const root = fixture('node-fail');
      const report = await validate({ root, stages: ['tests'], trusted: true }, { tools: new Toolbox(), runTests }, signal(), (m) => messages.push(m));
      assert.deepEqual(
        report.stages.map((s) => [s.stage, s.status]),
        [['tests', 'failed']],
      );
      assert.deepEqual(report.tests, { passed: 2, failed: 1, skipped: 1 });
      assert.deepEqual(
        report.diagnostics.map((d) => ({ file: d.file, line: d.line, column: d.column, severity: d.severity, stage: d.stage, source: d.source, code: d.code })),
        [{ file: 'test/temperature.test.js', line: 12, column: 1, severity: 'error', stage: 'tests', source: 'node:test', code: 'test-failed' }],
      );
      assert.match(report.diagnostics[0].message, /^Test failed: Fahrenheit back to Celsius: /);
      assert.equal(report.diagnostics[0].endColumn, "test('Fahrenheit back to Celsius', () => assert.equal(toCelsius(212), 100));".length + 1);
      assert.equal(report.testRun?.sandbox, kind);
      assert.equal(report.testRun?.receipt.status, 'failed');
      assert.ok(report.testRun?.receipt.files.some((f) => f.path === 'test/temperature.test.js'));
      assert.ok(report.coverage !== undefined && report.coverage > 0.5 && report.coverage <= 1, `coverage ${report.coverage}`);
      // Score from the facts: 40 × 1 failed of 3, plus 10 × the uncovered share.
      assert.equal(report.score, Math.round(100 - (40 * 1) / 3 - 10 * (1 - report.coverage!)));
      assert.ok(
        messages.some((m) => m.startsWith('Running node --test')),
        messages.join('\n'),
      );
    });
  }

  it("pytest: the failing test's def line; a passing unittest project passes the stage", async (t) => {
    const env = await sandboxEnv('docker', t);
    if (!env) return;
    const runTests = sandboxRunTests(() => ({ settings: testSettings('docker'), storageDir: testStorage(), env }));
    const failing = await validate({ root: fixture('python-pytest-fail'), stages: ['tests'], trusted: true }, { tools: new Toolbox(), runTests }, signal());
    assert.deepEqual(
      failing.diagnostics.map((d) => [d.file, d.line, d.source, d.code]),
      [['test_shipping.py', 14, 'pytest', 'test-failed']],
    );
    assert.match(failing.diagnostics[0].message, /test_exactly_one_kilo_is_the_light_band/);
    assert.equal(failing.tests?.failed, 1);
    const passing = await validate({ root: fixture('python-unittest'), stages: ['tests'], trusted: true }, { tools: new Toolbox(), runTests }, signal());
    assert.deepEqual(
      passing.stages.map((s) => s.status),
      ['passed'],
    );
    assert.deepEqual(passing.diagnostics, []);
    assert.ok((passing.tests?.passed ?? 0) > 0);
  });

  it('skips with the reason when the project has no tests or no sandbox can run them', async () => {
    const root = writeProject({ 'package.json': JSON.stringify({ name: 'no-tests' }), 'index.js': 'module.exports = 1;\n' });
    const anywhere = sandboxRunTests(() => ({
      settings: testSettings('docker'),
      storageDir: testStorage(),
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    }));
    const none = await validate({ root, stages: ['tests'], trusted: true }, { tools: new Toolbox(), runTests: anywhere }, signal());
    assert.equal(none.stages[0].status, 'skipped');
    assert.match(none.stages[0].reason ?? '', /^No tests found in .*: package\.json has no test script/);
    const noEngine = await validate({ root: fixture('node-pass'), stages: ['tests'], trusted: true }, { tools: new Toolbox(), runTests: anywhere }, signal());
    assert.equal(noEngine.stages[0].status, 'skipped');
    assert.match(noEngine.stages[0].reason ?? '', /nonexistent\/docker\.sock/);
    assert.equal(noEngine.score, 100, 'a stage that did not run costs nothing');
  });
});

describe('validateProject, as generation calls it', { timeout: 120_000 }, () => {
  it('reports every stage with the tests run in a warm sandbox the caller keeps, and again after a fix', async (t) => {
    const env = await sandboxEnv('docker', t);
    if (!env) return;
    const root = join(scratchDir(), 'project');
    cpSync(fixture('node-fail'), root, { recursive: true });
    writeFileSync(join(root, 'unused.js'), 'const unused = 1;\n');
    const worker = new ValidationWorker(requireBuilt(join(distDir, 'validateWorker.js')));
    const runner = new ProjectTestRunner({ settings: testSettings('docker'), storageDir: testStorage(), env, reuse: true });
    t.after(async () => {
      await runner.close();
      await worker.dispose();
    });
    const progress: string[] = [];
    const first = await validateProject(root, {
      trusted: true,
      sandbox: runner,
      worker,
      signal: new AbortController().signal,
      onProgress: (m) => progress.push(m),
    });
    assert.deepEqual(
      first.stages.map((s) => [s.stage, s.status]),
      [
        ['syntax', 'passed'],
        ['lint', 'failed'],
        ['types', 'skipped'],
        ['security', 'passed'],
        ['tests', 'failed'],
      ],
    );
    assert.deepEqual(
      first.diagnostics.map((d) => `${d.file}:${d.line} ${d.stage} ${d.code}`),
      ['test/temperature.test.js:12 tests test-failed', 'unused.js:1 lint no-unused-vars'],
    );
    assert.equal(first.testRun?.sandbox, 'docker');
    assert.ok(progress.includes('Running the tests in the sandbox'), progress.join(' | '));
    writeFileSync(
      join(root, 'temperature.js'),
      'exports.toFahrenheit = (c) => Math.round((c * 9) / 5 * 10 + 320) / 10;\nexports.toCelsius = (f) => ((f - 32) * 5) / 9;\n',
    );
    const second = await validateProject(root, { trusted: true, sandbox: runner, worker, stages: ['tests'] });
    assert.deepEqual(
      second.stages.map((s) => [s.stage, s.status]),
      [['tests', 'passed']],
    );
    assert.deepEqual(second.tests, { passed: 3, failed: 0, skipped: 1 });
    assert.notEqual(second.testRun?.receipt.inputHash, first.testRun?.receipt.inputHash);
    const none = await validateProject(root, { trusted: true, worker, stages: ['tests'] });
    assert.deepEqual(
      none.stages.map((s) => [s.status, s.reason]),
      [['skipped', 'no sandbox is available to run the tests']],
    );
  });
});

describe("a sandbox result as the stage's", () => {
  const base: SandboxRun = {
    status: 'failed',
    exitCode: 1,
    durationMs: 10,
    sandbox: 'bwrap',
    command: 'npm test',
    timedOut: false,
    oomKilled: false,
    tests: null,
    cases: null,
    stdout: 'Error: boom\n',
    stderr: '',
    coverage: null,
    receipt: {
      receiptVersion: 1,
      inputHash: 'x',
      files: [
        { path: 'package.json', sha256: 'a', size: 1, kind: 'file' },
        { path: 'src/a.test.js', sha256: 'b', size: 1, kind: 'file' },
      ],
      stack: 'node',
      sandbox: 'bwrap',
      environment: { image: 'host', runtime: 'bubblewrap' },
      limits: { cpus: 1, memoryMb: 1, pids: 1, timeoutSeconds: 5, diskMb: 1, outputBytes: 1 },
      dependencies: null,
      phases: [],
      status: 'failed',
      tests: null,
      coverage: null,
      startedAt: '',
      durationMs: 10,
      qlpVersion: '0',
    },
  };
  const root = writeProject({ 'package.json': '{}', 'src/a.test.js': 'it("x", () => {});\n' });

  it('a failure no runner located goes on the test file; a timeout says so; a run that could not start is skipped with its receipt', () => {
    const failed = testsStageResult(root, base);
    assert.ok(!('skipped' in failed));
    assert.deepEqual(
      failed.findings?.map((f) => [f.file, f.line, f.code, f.severity]),
      [['src/a.test.js', 1, 'tests-failed', 'error']],
    );
    const timeout = testsStageResult(root, { ...base, status: 'timeout', error: 'The tests did not finish within 5 s and were stopped.' });
    assert.ok(!('skipped' in timeout));
    assert.deepEqual(
      timeout.findings?.map((f) => [f.code, f.message]),
      [['tests-timeout', 'The tests did not finish within 5 s and were stopped.']],
    );
    const error = testsStageResult(root, { ...base, status: 'error', error: 'Installing the dependencies failed (exit 1); see stderr.' });
    assert.deepEqual(error, {
      skipped: 'the tests could not run: Installing the dependencies failed (exit 1); see stderr.',
      testRun: { ...base, status: 'error', error: 'Installing the dependencies failed (exit 1); see stderr.' },
    });
  });

  it('scores a timeout without counts by its finding', () => {
    const timeout = testsStageResult(root, { ...base, status: 'timeout' });
    assert.ok(!('skipped' in timeout));
    const diagnostics = (timeout.findings ?? []).map((f) => ({ ...f, stage: 'tests' as const }));
    assert.equal(qualityScore({ diagnostics, stages: [{ stage: 'tests', status: 'failed', durationMs: 1 }] }), 94);
  });
});
