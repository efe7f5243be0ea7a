// The pipeline in process: order, timing, a tool that throws, the tests seam, editor runs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validate } from '../../../language-server/src/validate/pipeline';
import { noSandboxReason, type RunTests } from '../../../language-server/src/validate/stages/tests';
import { Toolbox } from '../../../language-server/src/validate/toolbox';
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
    const report = await validate({ root: typescriptProject(), stages: ['tests', 'security', 'syntax', 'types', 'lint'] }, { tools: new Toolbox() }, signal());
    assert.deepEqual(report.stages.map((s) => s.stage), allStages);
    assert.deepEqual(report.stages.map((s) => s.status), ['passed', 'failed', 'failed', 'failed', 'skipped']);
    assert.equal(report.stages[4].reason, noSandboxReason);
    assert.ok(report.stages.every((s) => Number.isInteger(s.durationMs) && s.durationMs >= 0));
    assert.deepEqual([...new Set(report.diagnostics.map((d) => d.stage))].sort(), ['lint', 'security', 'types']);
  });

  it('skips only the stages of a tool that throws, saying why; the others still run', async () => {
    const report = await validate({ root: typescriptProject(), stages: ['syntax', 'lint', 'types', 'security'] }, { tools: new BrokenEslint() }, signal());
    const byStage = Object.fromEntries(report.stages.map((s) => [s.stage, s]));
    assert.equal(byStage.lint.status, 'skipped');
    assert.match(byStage.lint.reason ?? '', /ESLint could not be loaded/);
    assert.equal(byStage.security.status, 'skipped');
    assert.equal(byStage.types.status, 'failed');
    assert.ok(report.diagnostics.some((d) => d.code === 'TS2345'));
  });

  it('hands the tests stage to the injected sandbox runner and scores its result', async () => {
    const root = writeProject({ 'tsconfig.json': tsconfig, 'src/ok.ts': 'export const a = 1;\n' });
    const calls: string[] = [];
    const runTests: RunTests = async (dir) => {
      calls.push(dir);
      return { tests: { passed: 3, failed: 1, skipped: 0 }, findings: [{ file: 'test/a.test.js', line: 4, column: 1, endLine: 4, endColumn: 10, severity: 'error', source: 'node:test', code: 'test-failed', message: 'expected 1 got 2' }] };
    };
    const report = await validate({ root, stages: ['syntax', 'tests'] }, { tools: new Toolbox(), runTests }, signal());
    assert.deepEqual(calls, [root]);
    assert.deepEqual(report.tests, { passed: 3, failed: 1, skipped: 0 });
    assert.deepEqual(report.stages.map((s) => [s.stage, s.status]), [['syntax', 'passed'], ['tests', 'failed']]);
    assert.equal(report.diagnostics[0].stage, 'tests');
    assert.equal(report.score, 90);
  });

  it('validates one editor document with its unsaved text, and no pyright while typing', async () => {
    const root = writeProject({ 'tsconfig.json': tsconfig, 'src/a.ts': 'export const a: number = 1;\n', 'src/other.ts': 'export const b: number = "x";\n', 'tool.py': 'def f() -> int:\n    return "x"\n' });
    const a = join(root, 'src', 'a.ts');
    const overlays = new Map([[a, 'export const a: number = "unsaved";\n']]);
    const report = await validate({ root, stages: ['syntax', 'types'], only: [a], overlays, thorough: false }, { tools: new Toolbox() }, signal());
    assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.code}`), ['src/a.ts:TS2322']);
    assert.equal(report.files, 1);
    const python = await validate({ root, stages: ['types'], only: [join(root, 'tool.py')], thorough: false }, { tools: new Toolbox() }, signal());
    assert.equal(python.stages[0].status, 'skipped');
    assert.match(python.stages[0].reason ?? '', /on open, on save/);
  });

  it('reports one defect once when two tools see it (Ruff F821 and pyright)', async () => {
    const root = writeProject({ 'app.py': 'def run() -> None:\n    logger.info("x")\n' });
    const report = await validate({ root, stages: ['lint', 'types'] }, { tools: new Toolbox() }, signal());
    assert.deepEqual(report.diagnostics.map((d) => `${d.stage}:${d.source}:${d.code}:${d.line}`), ['lint:ruff:F821:2']);
    assert.equal(report.stages.find((s) => s.stage === 'types')?.status, 'passed');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const running = validate({ root: typescriptProject(), stages: ['syntax', 'lint', 'types'] }, { tools: new Toolbox() }, controller.signal);
    controller.abort(new Error('cancelled by the test'));
    await assert.rejects(running, /cancelled by the test/);
  });
});
