// Verification of a generated project: the validation service's five stages, the tests in the
// sandbox's warm runner (failing tests become findings at the test). A pass of the tests stage
// always has a sandbox run with its receipt behind it.
import type { TestRunResult } from '../../../protocol/sandbox';
import type { StageId, ValidationReport } from '../../../protocol/validate';
import type { ProjectTestRunner } from '../sandbox/runTests';
import { finishReport } from '../validate/report';
import { sandboxRunTests } from '../validate/sandboxTests';
import { ValidationService } from '../validate/service';
import type { ValidationWorker } from '../validate/worker/client';

export interface Verification {
  report: ValidationReport;
  /** The sandboxed test run (with its receipt), when the tests ran. */
  testRun: TestRunResult | null;
}

export type Verifier = (dir: string, options: { tests: boolean; signal: AbortSignal; progress(message: string): void }) => Promise<Verification>;

const staticStages: readonly StageId[] = ['syntax', 'lint', 'types', 'security'];

export function createVerifier(worker: ValidationWorker, runner: ProjectTestRunner): Verifier {
  const service = new ValidationService(worker, sandboxRunTests(() => runner));
  return async (dir, { tests, signal, progress }) => {
    const report = await service.validate({ root: dir, stages: tests ? [...staticStages, 'tests'] : staticStages }, signal, progress);
    if (!tests) {
      report.stages.push({ stage: 'tests', status: 'skipped', durationMs: 0, reason: 'tests were turned off for this run' });
      finishReport(report);
    }
    return { report, testRun: report.testRun ?? null };
  };
}
