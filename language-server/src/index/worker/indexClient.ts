// The server's side of the index worker: typed calls, cancellation by AbortSignal, progress and
// status pushed back, and a fresh worker (reopening the index) after a crash.
// Native code reads the process environment, which only the main thread can change: the bound on
// LanceDB's threads is set here, before the worker (and LanceDB in it) starts.
import '../lanceEnv';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IndexProgress, IndexStatus } from '../../../../protocol/search';
import type { IndexServiceOptions } from '../service';
import type { CallName, IndexCalls, WorkerRequest, WorkerResponse } from './messages';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  progress?(p: IndexProgress): void;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class IndexCancelledError extends Error {
  constructor() {
    super('Indexing was cancelled.');
  }
}

export class IndexWorkerClient {
  private worker: Worker | undefined;
  private opened: Promise<unknown> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly options: IndexServiceOptions,
    private readonly onStatus: (status: IndexStatus) => void = () => undefined,
    private readonly file = join(__dirname, 'indexWorker.js'),
  ) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    if (!existsSync(this.file)) throw new Error(`The index worker ${this.file} is missing; rebuild QLP.`);
    const worker = new Worker(this.file);
    worker.on('message', (m: WorkerResponse) => {
      if (m.kind === 'status') return this.onStatus(m.status);
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.kind === 'progress') return p.progress?.(m.progress);
      this.pending.delete(m.id);
      if (m.kind === 'result') p.resolve(m.result);
      else p.reject(m.cancelled ? new IndexCancelledError() : new Error(m.message));
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.opened = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`The index worker stopped: ${err.message}`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private send(request: WithoutId<WorkerRequest>, signal?: AbortSignal, progress?: (p: IndexProgress) => void): Promise<unknown> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => worker.postMessage({ kind: 'cancel', id } satisfies WorkerRequest);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, { resolve: (v) => (done(), resolve(v)), reject: (e) => (done(), reject(e)), progress });
      worker.ref();
      worker.postMessage({ ...request, id } as WorkerRequest);
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  /** Opens the index in the worker (once per worker); returns a notice when it had to be rebuilt. */
  async open(): Promise<{ status: IndexStatus; notice?: string }> {
    // A failed open (an embedder not reachable yet) is tried again on the next call.
    this.opened ??= this.send({ kind: 'open', options: this.options }).catch((err: unknown) => {
      this.opened = undefined;
      throw err;
    });
    return (await this.opened) as { status: IndexStatus; notice?: string };
  }

  async call<M extends CallName>(method: M, params: IndexCalls[M]['params'], signal?: AbortSignal, progress?: (p: IndexProgress) => void): Promise<IndexCalls[M]['result']> {
    if (signal?.aborted) throw new IndexCancelledError();
    await this.open();
    return (await this.send({ kind: 'call', method, params }, signal, progress)) as IndexCalls[M]['result'];
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
