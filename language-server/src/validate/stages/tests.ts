// Stage 5: tests, run in a sandbox that is handed in. Without one the stage is skipped and says
// so: never a pass that was not measured.
import type { TestRunResult as SandboxRun } from '../../../../protocol/sandbox';
import type { TestCounts } from '../../../../protocol/validate';
import { asTool, type Stage, type StageFinding, type StageOutcome } from '../model';
import { untrustedTestsReason } from '../trust';

export type TestRunResult =
  | {
      tests?: TestCounts;
      /** Failing tests as findings (file and line of the test), when the runner reports them. */
      findings?: StageFinding[];
      /** Line coverage 0–1, when measured. */
      coverage?: number;
      /** The sandbox's own result: its output and receipt. */
      testRun?: SandboxRun;
    }
  /** The tests could not run (install failed, runner missing): why, with the run's evidence. */
  | { skipped: string; testRun?: SandboxRun };

/** Runs a project's tests in a sandbox (provided by the sandbox service). */
export type RunTests = (dir: string, signal: AbortSignal, progress: (message: string) => void) => Promise<TestRunResult>;

export const noSandboxReason = 'no sandbox is available to run the tests';

/** The tests stage: never in an untrusted folder, never without a sandbox. */
export async function runTestsStage(
  runTests: RunTests | undefined,
  root: string,
  trusted: boolean,
  signal: AbortSignal,
  progress: (message: string) => void,
): Promise<StageOutcome> {
  if (!trusted) return { skipped: untrustedTestsReason };
  if (!runTests) return { skipped: noSandboxReason };
  progress('Running the tests in the sandbox');
  const result = await asTool('sandbox', signal, () => runTests(root, signal, progress));
  if ('skipped' in result) return result;
  return {
    findings: result.findings ?? [],
    ...(result.tests ? { tests: result.tests } : {}),
    ...(result.coverage !== undefined ? { coverage: result.coverage } : {}),
    ...(result.testRun ? { testRun: result.testRun } : {}),
  };
}

export function createTestsStage(runTests?: RunTests): Stage {
  return { id: 'tests', run: (ctx) => runTestsStage(runTests, ctx.root, ctx.trusted, ctx.signal, ctx.progress) };
}
