// The main thread's side of the validation worker: one request per run, cancellation by
// AbortSignal, and a fresh worker after a crash.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ValidationReport } from '../../../../protocol/validate';
import type { ValidateInput } from '../pipeline';
import type { WorkerRequest, WorkerResponse } from './messages';

interface Pending {
  resolve(report: ValidationReport): void;
  reject(err: Error): void;
  progress(message: string): void;
}

export class CancelledError extends Error {
  constructor() {
    super('Validation was cancelled.');
  }
}

/** dist/validateWorker.js beside the running bundle. */
export function bundledWorkerFile(): string {
  return join(__dirname, 'validateWorker.js');
}

export class ValidationWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly file: string = bundledWorkerFile(), private readonly execArgv: string[] = []) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    if (!existsSync(this.file)) throw new Error(`The validation worker ${this.file} is missing; rebuild QLP.`);
    const worker = new Worker(this.file, { execArgv: this.execArgv });
    worker.on('message', (message: WorkerResponse) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      if (message.kind === 'progress') return pending.progress(message.message);
      this.pending.delete(message.id);
      if (message.kind === 'result') pending.resolve(message.report);
      else pending.reject(message.cancelled ? new CancelledError() : new Error(message.message));
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`The validation worker stopped: ${err.message}`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Starts the worker now (loading its tools takes seconds), so a later validation finds it ready. */
  warmUp(): void {
    this.start();
  }

  validate(input: ValidateInput, signal: AbortSignal, progress: (message: string) => void = () => undefined): Promise<ValidationReport> {
    if (signal.aborted) return Promise.reject(new CancelledError());
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<ValidationReport>((resolve, reject) => {
      const onAbort = () => worker.postMessage({ kind: 'cancel', id } satisfies WorkerRequest);
      signal.addEventListener('abort', onAbort, { once: true });
      const done = () => signal.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (report) => (done(), resolve(report)),
        reject: (err) => (done(), reject(err)),
        progress,
      });
      // Keep the process alive while a run is pending (the worker itself is unref'd).
      worker.ref();
      worker.postMessage({ kind: 'validate', id, input } satisfies WorkerRequest);
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
