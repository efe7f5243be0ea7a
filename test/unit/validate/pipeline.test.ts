// The pipeline in process: order, timing, a tool that throws, the tests seam, editor runs, what
// the score covers, and Workspace Trust.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CancelledError } from '../../../language-server/src/common/cancellation';
import { validate } from '../../../language-server/src/validate/pipeline';
import { noSandboxReason, type RunTests } from '../../../language-server/src/validate/stages/tests';
import { Toolbox } from '../../../language-server/src/validate/toolbox';
import { untrustedEslintConfigNote, untrustedTestsReason } from '../../../language-server/src/validate/trust';
import type { EslintRunner } from '../../../language-server/src/validate/tools/eslint';
import { tsconfig, typescriptProject, writeProject } from '../../support/projects';

const signal = () => new AbortController().signal;
const allStages = ['syntax', 'lint', 'types', 'security', 'tests'] as const;

/** A toolbox whose ESLint is broken, as an ESLint that cannot load would be. */
class BrokenEslint extends Toolbox {
  override get eslint(): EslintRunner {
    throw new Error('ESLint could not be loaded: Cannot find module "espree"');
  }
}

describe('validation pipeline', () => {
  it('runs the stages in order, times them, and skips tests without a sandbox', async () => {
    const report = await validate(
      { root: typescriptProject(), stages: ['tests', 'security', 'syntax', 'types', 'lint'], trusted: true },
      { tools: new Toolbox() },
      signal(),
    );
    assert.deepEqual(
      report.stages.map((s) => s.stage),
      allStages,
    );
    // lint passes: its one finding, prefer-const, is a style rule and so a warning.
    assert.deepEqual(
      report.stages.map((s) => s.status),
      ['passed', 'passed', 'failed', 'failed', 'skipped'],
    );
    assert.deepEqual(
      report.diagnostics.filter((d) => d.stage === 'lint').map((d) => [d.code, d.severity]),
      [['prefer-const', 'warning']],
    );
    assert.equal(report.stages[4].reason, noSandboxReason);
    assert.deepEqual(report.unscored, [{ stage: 'tests', reason: noSandboxReason }]);
    assert.ok(report.stages.every((s) => Number.isInteger(s.durationMs) && s.durationMs >= 0));
    assert.deepEqual([...new Set(report.diagnostics.map((d) => d.stage))].sort(), ['lint', 'security', 'types']);
  });

  it('fails the stages of a tool that throws with an error finding, never a silent skip; the others still run', async () => {
    const root = typescriptProject();
    const report = await validate({ root, stages: ['syntax', 'lint', 'types', 'security'], trusted: true }, { tools: new BrokenEslint() }, signal());
    const byStage = Object.fromEntries(report.stages.map((s) => [s.stage, s]));
    assert.equal(byStage.lint.status, 'failed');
    assert.match(byStage.lint.reason ?? '', /^ESLint failed, so lint was not checked: ESLint could not be loaded/);
    assert.equal(byStage.security.status, 'failed');
    assert.equal(byStage.types.status, 'failed');
    assert.ok(report.diagnostics.some((d) => d.code === 'TS2345'));
    const crashes = report.diagnostics.filter((d) => d.code === 'tool-failed');
    assert.deepEqual(
      crashes.map((d) => [d.stage, d.source, d.severity]),
      [
        ['lint', 'eslint', 'error'],
        ['security', 'eslint', 'error'],
      ],
    );
    assert.ok(existsSync(join(root, crashes[0].file)), `the finding is on a file of the run, not ${crashes[0].file}`);
    assert.deepEqual(
      report.unscored.map((u) => u.stage),
      ['lint', 'security'],
    );
    assert.match(report.unscored[0].reason, /ESLint could not be loaded/);
    // While typing, the document shows the failure: never a clean file.
    const app = join(root, 'src', 'app.ts');
    const typing = await validate(
      { root, stages: ['syntax', 'lint', 'security'], only: [app], thorough: false, trusted: true },
      { tools: new BrokenEslint() },
      signal(),
    );
    assert.deepEqual(
      typing.diagnostics.filter((d) => d.code === 'tool-failed').map((d) => [d.file, d.stage, d.severity]),
      [
        ['src/app.ts', 'lint', 'error'],
        ['src/app.ts', 'security', 'error'],
      ],
    );
  });

  it('a stage with no file of its languages is unscored, saying so: a clean score names what it left out', async () => {
    const root = writeProject({ 'README.md': '# Notes\n', 'data.json': '{ "a": 1 }\n' });
    const report = await validate({ root, stages: ['syntax', 'lint', 'types', 'security', 'tests'], trusted: true }, { tools: new Toolbox() }, signal());
    assert.equal(report.score, 100);
    assert.deepEqual(
      report.stages.map((s) => [s.stage, s.status]),
      [
        ['syntax', 'passed'],
        ['lint', 'skipped'],
        ['types', 'skipped'],
        ['security', 'passed'],
        ['tests', 'skipped'],
      ],
    );
    assert.deepEqual(report.unscored, [
      { stage: 'lint', reason: 'no JavaScript, TypeScript or Python files to lint', nothingToCheck: true },
      { stage: 'types', reason: 'no TypeScript or Python files to type-check', nothingToCheck: true },
      { stage: 'tests', reason: noSandboxReason },
    ]);
  });

  it('hands the tests stage to the injected sandbox runner and scores its result', async () => {
    const root = writeProject({ 'tsconfig.json': tsconfig, 'src/ok.ts': 'export const a = 1;\n' });
    const calls: string[] = [];
    const runTests: RunTests = async (dir) => {
      calls.push(dir);
      return {
        tests: { passed: 3, failed: 1, skipped: 0 },
        findings: [
          {
            file: 'test/a.test.js',
            line: 4,
            column: 1,
            endLine: 4,
            endColumn: 10,
            severity: 'error',
            source: 'node:test',
            code: 'test-failed',
            message: 'expected 1 got 2',
          },
        ],
      };
    };
    const report = await validate({ root, stages: ['syntax', 'tests'], trusted: true }, { tools: new Toolbox(), runTests }, signal());
    assert.deepEqual(calls, [root]);
    assert.deepEqual(report.unscored, []);
    assert.deepEqual(report.tests, { passed: 3, failed: 1, skipped: 0 });
    assert.deepEqual(
      report.stages.map((s) => [s.stage, s.status]),
      [
        ['syntax', 'passed'],
        ['tests', 'failed'],
      ],
    );
    assert.equal(report.diagnostics[0].stage, 'tests');
    assert.equal(report.score, 90);
  });

  it('a sandbox that throws fails the tests stage with an error finding', async () => {
    const root = writeProject({ 'package.json': '{ "name": "p" }\n', 'src/ok.js': 'export const a = 1;\n' });
    const runTests: RunTests = async () => {
      throw new Error('the Docker engine stopped answering');
    };
    const report = await validate({ root, stages: ['tests'], trusted: true }, { tools: new Toolbox(), runTests }, signal());
    assert.deepEqual(
      report.stages.map((s) => [s.stage, s.status]),
      [['tests', 'failed']],
    );
    assert.deepEqual(
      report.diagnostics.map((d) => [d.file, d.source, d.code, d.severity]),
      [['package.json', 'sandbox', 'tool-failed', 'error']],
    );
    assert.match(report.unscored[0].reason, /^The sandbox failed, so tests was not checked: the Docker engine stopped answering/);
  });

  it('validates one editor document with its unsaved text, and no pyright while typing', async () => {
    const root = writeProject({
      'tsconfig.json': tsconfig,
      'src/a.ts': 'export const a: number = 1;\n',
      'src/other.ts': 'export const b: number = "x";\n',
      'tool.py': 'def f() -> int:\n    return "x"\n',
    });
    const a = join(root, 'src', 'a.ts');
    const overlays = new Map([[a, 'export const a: number = "unsaved";\n']]);
    const report = await validate(
      { root, stages: ['syntax', 'types'], only: [a], overlays, thorough: false, trusted: true },
      { tools: new Toolbox() },
      signal(),
    );
    assert.deepEqual(
      report.diagnostics.map((d) => `${d.file}:${d.code}`),
      ['src/a.ts:TS2322'],
    );
    assert.equal(report.files, 1);
    const python = await validate(
      { root, stages: ['types'], only: [join(root, 'tool.py')], thorough: false, trusted: true },
      { tools: new Toolbox() },
      signal(),
    );
    assert.equal(python.stages[0].status, 'skipped');
    assert.match(python.stages[0].reason ?? '', /on open, on save/);
  });

  it('reports one defect once when two tools see it (Ruff F821 and pyright)', async () => {
    const root = writeProject({ 'app.py': 'def run() -> None:\n    logger.info("x")\n' });
    const report = await validate({ root, stages: ['lint', 'types'], trusted: true }, { tools: new Toolbox() }, signal());
    assert.deepEqual(
      report.diagnostics.map((d) => `${d.stage}:${d.source}:${d.code}:${d.line}`),
      ['lint:ruff:F821:2'],
    );
    assert.equal(report.stages.find((s) => s.stage === 'types')?.status, 'passed');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const running = validate({ root: typescriptProject(), stages: ['syntax', 'lint', 'types'], trusted: true }, { tools: new Toolbox() }, controller.signal);
    controller.abort();
    await assert.rejects(running, (err: unknown) => err instanceof CancelledError && err.exitCode === 130);
  });

  describe('in an untrusted folder', () => {
    /** A project whose ESLint config, when imported, writes a file and asks for a rule QLP's defaults lack. */
    function projectWithCanary() {
      const root = writeProject({
        'eslint.config.mjs':
          "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./canary.txt', import.meta.url), 'imported');\nexport default [{ rules: { 'no-console': 'error' } }];\n",
        'src/app.mjs': "console.log('hi');\n",
      });
      return { root, canary: join(root, 'canary.txt') };
    }

    it("never imports the project's ESLint config: QLP's rules check the code and the lint stage says why", async () => {
      const { root, canary } = projectWithCanary();
      const report = await validate({ root, stages: ['lint', 'security'], trusted: false }, { tools: new Toolbox() }, signal());
      assert.equal(existsSync(canary), false, 'the config was imported');
      assert.ok(!report.diagnostics.some((d) => d.code === 'no-console'), JSON.stringify(report.diagnostics));
      assert.equal(report.stages.find((s) => s.stage === 'lint')?.reason, untrustedEslintConfigNote);
      const trusted = await validate({ root, stages: ['lint'], trusted: true }, { tools: new Toolbox() }, signal());
      assert.equal(existsSync(canary), true);
      assert.deepEqual(
        trusted.diagnostics.map((d) => `${d.file}:${d.code}:${d.severity}`),
        ['src/app.mjs:no-console:error'],
      );
    });

    it('refuses to run the tests, in one sentence, without asking the sandbox', async () => {
      const calls: string[] = [];
      const runTests: RunTests = async (dir) => {
        calls.push(dir);
        return { tests: { passed: 1, failed: 0, skipped: 0 } };
      };
      const report = await validate(
        { root: writeProject({ 'a.js': 'export const a = 1;\n' }), stages: ['tests'], trusted: false },
        { tools: new Toolbox(), runTests },
        signal(),
      );
      assert.deepEqual(calls, []);
      assert.deepEqual(
        report.stages.map((s) => [s.stage, s.status, s.reason]),
        [['tests', 'skipped', untrustedTestsReason]],
      );
      assert.deepEqual(report.unscored, [{ stage: 'tests', reason: untrustedTestsReason }]);
      assert.match(untrustedTestsReason, /^The workspace is not trusted, [^.]+\.$/, 'one sentence');
    });
  });
});
