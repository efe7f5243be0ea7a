// Requests to a worker thread and their answers: ids, progress, cancellation by AbortSignal, the
// thread keeping the process alive only while a request is pending, and a fresh thread on the
// next request after one died (every request pending then fails with one sentence).
import { existsSync } from 'node:fs';
import { SHARE_ENV, Worker } from 'node:worker_threads';

/** What a worker sends back: answers to a request by id, or a message of its own (no id). */
export type ChannelReply<P> =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; message: string; cancelled: boolean }
  | { kind: 'progress'; id: number; progress: P };

interface Pending<P> {
  resolve(value: unknown): void;
  reject(err: Error): void;
  progress?(p: P): void;
}

export interface ChannelOptions {
  /** Names the worker in errors: "The <what> worker stopped: …". */
  what: string;
  /** The error for a cancelled request. */
  cancelled(): Error;
  execArgv?: string[];
  /**
   * Whether the thread works on the process's own environment, as native add-ons read it, instead
   * of a copy of it (what it sets is then seen by every thread and by the add-ons).
   */
  shareEnv?: boolean;
  /** Messages that answer no request (status pushed by the worker). */
  onOther?(message: unknown): void;
  /** After the thread died, before the pending requests fail. */
  onStopped?(): void;
}

export class WorkerChannel<P> {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending<P>>();

  constructor(
    private readonly file: string,
    private readonly options: ChannelOptions,
  ) {}

  /** Starts the thread now (loading it can take a while), so a later request finds it ready. */
  start(): Worker {
    if (this.worker) return this.worker;
    if (!existsSync(this.file)) throw new Error(`The ${this.options.what} worker ${this.file} is missing; rebuild QLP.`);
    const worker = new Worker(this.file, { execArgv: this.options.execArgv ?? [], ...(this.options.shareEnv ? { env: SHARE_ENV } : {}) });
    worker.on('message', (m: ChannelReply<P> | { kind: string; id?: number }) => {
      const p = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!p) return this.options.onOther?.(m);
      const reply = m as ChannelReply<P>;
      if (reply.kind === 'progress') return p.progress?.(reply.progress);
      this.pending.delete(reply.id);
      if (reply.kind === 'result') p.resolve(reply.result);
      else p.reject(reply.cancelled ? this.options.cancelled() : new Error(reply.message));
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.options.onStopped?.();
      for (const p of this.pending.values()) p.reject(new Error(`The ${this.options.what} worker stopped: ${err.message}`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Sends `message` with a fresh id; `signal` sends the worker a cancel for it. */
  request<T>(message: object, signal?: AbortSignal, progress?: (p: P) => void): Promise<T> {
    if (signal?.aborted) return Promise.reject(this.options.cancelled());
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => worker.postMessage({ kind: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, { resolve: (v) => (done(), resolve(v as T)), reject: (e) => (done(), reject(e)), progress });
      // Keep the process alive while a request is pending (the thread itself is unref'd).
      worker.ref();
      worker.postMessage({ ...message, id });
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
