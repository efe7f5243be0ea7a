// Verification of a generated project: the validation service's five stages, the tests in the
// sandbox's warm runner (failing tests become findings at the test), and the mutation check of
// the tests' strength in the same sandbox. A pass of the tests stage always has a sandbox run
// with its receipt behind it.
import type { MutationReport, TestRunResult } from '../../../protocol/sandbox';
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

export interface MutationRequest {
  codeFiles: string[];
  testFiles: string[];
  maxMutants: number;
  signal: AbortSignal;
  progress(message: string): void;
}

export interface Verifier {
  verify(dir: string, options: { tests: boolean; signal: AbortSignal; progress(message: string): void }): Promise<Verification>;
  /** Runs the tests against mutants of the code under test, in the sandbox of the last run. */
  mutate(dir: string, request: MutationRequest): Promise<MutationReport>;
}

const staticStages: readonly StageId[] = ['syntax', 'lint', 'types', 'security'];

export function createVerifier(worker: ValidationWorker, runner: ProjectTestRunner): Verifier {
  const service = new ValidationService(
    worker,
    sandboxRunTests(() => runner),
  );
  return {
    async verify(dir, { tests, signal, progress }) {
      const report = await service.validate(
        { root: dir, stages: tests ? [...staticStages, 'tests'] : staticStages, trusted: false, sandboxUntrustedTests: true },
        signal,
        progress,
      );
      if (!tests) {
        report.stages.push({ stage: 'tests', status: 'skipped', durationMs: 0, reason: 'tests were turned off for this run' });
        finishReport(report);
      }
      return { report, testRun: report.testRun ?? null };
    },
    mutate(dir, { codeFiles, testFiles, maxMutants, signal, progress }) {
      return runner.mutate(dir, { codeFiles, testFiles, maxMutants, signal, onProgress: (p) => progress(p.message) });
    },
  };
}
