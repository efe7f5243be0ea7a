// Validating a whole project folder from other engine code (generation's repair loop): the same
// stages, report and score as `qlp validate`, tests included when a sandbox is handed in.
import { defaultStages, type StageId, type ValidationReport } from '../../../protocol/validate';
import { sandboxRunTests, type TestsSandbox } from './sandboxTests';
import { ValidationService } from './service';
import { ValidationWorker } from './worker/client';

export interface ValidateProjectOptions {
  /**
   * The folder is trusted: its own ESLint config and plugins are imported and its tests run. A
   * folder QLP generated is; a folder someone else wrote is only when the user says so.
   */
  trusted: boolean;
  /** Default: every stage (syntax, lint, types, security, tests). */
  stages?: readonly StageId[];
  signal?: AbortSignal;
  onProgress?(message: string): void;
  /**
   * Where the tests run: a `ProjectTestRunner` the caller keeps (with `reuse`, one warm container
   * serves every iteration) or `RunnerOptions` for a fresh sandbox. Without it the tests stage is
   * skipped with "no sandbox is available to run the tests".
   */
  sandbox?: TestsSandbox;
  /** A worker to keep warm across calls (the caller disposes it); default: one for this call. */
  worker?: ValidationWorker;
}

/** `report.testRun` carries the sandbox's output and receipt when the tests ran. */
export async function validateProject(dir: string, options: ValidateProjectOptions): Promise<ValidationReport> {
  const worker = options.worker ?? new ValidationWorker();
  const sandbox = options.sandbox;
  const service = new ValidationService(worker, sandbox ? sandboxRunTests(() => sandbox) : undefined);
  try {
    return await service.validate(
      { root: dir, stages: options.stages ?? defaultStages, trusted: options.trusted },
      options.signal ?? new AbortController().signal,
      options.onProgress,
    );
  } finally {
    if (!options.worker) await service.dispose();
  }
}
