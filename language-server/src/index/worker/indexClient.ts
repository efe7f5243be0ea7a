// The server's side of the index worker: typed calls, cancellation by AbortSignal, progress and
// status pushed back, and a fresh worker (reopening the index) after a crash.
// Native code reads the process environment, which only the main thread can change: the bound on
// LanceDB's threads is set here, before the worker (and LanceDB in it) starts.
import '../lanceEnv';
import { join } from 'node:path';
import type { IndexProgress, IndexStatus } from '../../../../protocol/search';
import { CancelledError, throwIfAborted } from '../../common/cancellation';
import { WorkerChannel } from '../../common/workerChannel';
import type { IndexServiceOptions } from '../service';
import type { CallName, IndexCalls, WorkerRequest, WorkerResponse } from './messages';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const indexingCancelled = 'Indexing was cancelled.';

export class IndexWorkerClient {
  private readonly channel: WorkerChannel<IndexProgress>;
  private opened: Promise<unknown> | undefined;

  /**
   * `options` may be a function: it is called for every open, so a fresh worker (or a reopen)
   * gets the editor's current settings and key.
   */
  constructor(
    private readonly options: IndexServiceOptions | (() => Promise<IndexServiceOptions>),
    onStatus: (status: IndexStatus) => void = () => undefined,
    file = join(__dirname, 'indexWorker.js'),
  ) {
    this.channel = new WorkerChannel(file, {
      what: 'index',
      cancelled: () => new CancelledError(indexingCancelled),
      onOther: (m) => {
        const message = m as WorkerResponse;
        if (message.kind === 'status') onStatus(message.status);
      },
      // A fresh worker opens the index again.
      onStopped: () => (this.opened = undefined),
      // LanceDB reads its full-text build bounds (index/store.ts) from the process's environment.
      shareEnv: true,
    });
  }

  private send(request: WithoutId<WorkerRequest>, signal?: AbortSignal, progress?: (p: IndexProgress) => void): Promise<unknown> {
    return this.channel.request(request, signal, progress);
  }

  /** Opens the index in the worker (once per worker); returns a notice when it had to be rebuilt. */
  async open(): Promise<{ status: IndexStatus; notice?: string }> {
    // A failed open (an embedder not reachable yet) is tried again on the next call.
    this.opened ??= (typeof this.options === 'function' ? this.options() : Promise.resolve(this.options))
      .then((options) => this.send({ kind: 'open', options }))
      .catch((err: unknown) => {
        this.opened = undefined;
        throw err;
      });
    return (await this.opened) as { status: IndexStatus; notice?: string };
  }

  /** Opens the index again with fresh options (a new key, a reachable embedder); the old one is closed. */
  reopen(): Promise<{ status: IndexStatus; notice?: string }> {
    this.opened = undefined;
    return this.open();
  }

  async call<M extends CallName>(
    method: M,
    params: IndexCalls[M]['params'],
    signal?: AbortSignal,
    progress?: (p: IndexProgress) => void,
  ): Promise<IndexCalls[M]['result']> {
    throwIfAborted(signal, indexingCancelled);
    await this.open();
    return (await this.send({ kind: 'call', method, params }, signal, progress)) as IndexCalls[M]['result'];
  }

  dispose(): Promise<void> {
    return this.channel.dispose();
  }
}
