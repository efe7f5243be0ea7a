// Verification of a generated project: the four static stages by the validation service, then
// the project's tests in the sandbox. A pass of the tests stage always has a sandbox receipt.
import type { TestRunResult } from '../../../protocol/sandbox';
import type { ValidationReport } from '../../../protocol/validate';
import type { ProjectTestRunner } from '../sandbox/runTests';
import { SandboxInputError, SandboxUnavailableError } from '../sandbox/types';
import { finishReport } from '../validate/report';
import type { ValidationService } from '../validate/service';

export interface Verification {
  report: ValidationReport;
  /** The sandboxed test run (with its receipt), when the tests ran. */
  testRun: TestRunResult | null;
}

export type Verifier = (dir: string, options: { tests: boolean; signal: AbortSignal; progress(message: string): void }) => Promise<Verification>;

const staticStages = ['syntax', 'lint', 'types', 'security'] as const;

export function createVerifier(validation: ValidationService, runner: ProjectTestRunner | undefined): Verifier {
  return async (dir, { tests, signal, progress }) => {
    const report = await validation.validate({ root: dir, stages: staticStages }, signal, progress);
    if (!tests) {
      report.stages.push({ stage: 'tests', status: 'skipped', durationMs: 0, reason: 'tests were turned off for this run (--no-tests)' });
      return { report: finishReport(report), testRun: null };
    }
    if (!runner) {
      report.stages.push({ stage: 'tests', status: 'skipped', durationMs: 0, reason: 'no sandbox is available to run the tests' });
      return { report: finishReport(report), testRun: null };
    }
    const started = performance.now();
    try {
      progress('Running the tests in the sandbox');
      const run = await runner.run(dir, { signal, onProgress: (p) => p.kind === 'phase' && progress(p.message) });
      if (run.tests) report.tests = { passed: run.tests.passed, failed: run.tests.failed, skipped: run.tests.skipped };
      if (run.coverage) report.coverage = run.coverage.linesPct / 100;
      const passed = run.status === 'passed';
      report.stages.push({ stage: 'tests', status: passed ? 'passed' : 'failed', durationMs: run.durationMs, ...(passed ? {} : { reason: run.error ?? `the tests ${run.status === 'timeout' ? 'timed out' : 'failed'} (exit ${run.exitCode})` }) });
      return { report: finishReport(report), testRun: run };
    } catch (err) {
      if (!(err instanceof SandboxUnavailableError || err instanceof SandboxInputError)) throw err;
      report.stages.push({ stage: 'tests', status: 'skipped', durationMs: Math.round(performance.now() - started), reason: err.message });
      return { report: finishReport(report), testRun: null };
    }
  };
}
