// The main thread's side of the validation worker: one request per run, cancellation by
// AbortSignal, and a fresh worker after a crash.
import { join } from 'node:path';
import type { ValidationReport } from '../../../../protocol/validate';
import { CancelledError } from '../../common/cancellation';
import { WorkerChannel } from '../../common/workerChannel';
import type { ValidateInput } from '../pipeline';
import type { WorkerRequest } from './messages';

const validationCancelled = 'Validation was cancelled.';

/** dist/validateWorker.js beside the running bundle. */
export function bundledWorkerFile(): string {
  return join(__dirname, 'validateWorker.js');
}

export class ValidationWorker {
  private readonly channel: WorkerChannel<string>;

  constructor(file: string = bundledWorkerFile(), execArgv: string[] = []) {
    this.channel = new WorkerChannel(file, { what: 'validation', cancelled: () => new CancelledError(validationCancelled), execArgv });
  }

  /** Starts the worker now (loading its tools takes seconds), so a later validation finds it ready. */
  warmUp(): void {
    this.channel.start();
  }

  validate(input: ValidateInput, signal: AbortSignal, progress: (message: string) => void = () => undefined): Promise<ValidationReport> {
    return this.channel.request<ValidationReport>(
      { kind: 'validate', input } satisfies Omit<Extract<WorkerRequest, { kind: 'validate' }>, 'id'>,
      signal,
      progress,
    );
  }

  dispose(): Promise<void> {
    return this.channel.dispose();
  }
}
