// Translates one custom request between LSP and an engine service: the client's cancellation
// becomes an AbortSignal, the service's progress becomes work-done progress (when the client
// asked for it), and a failure becomes a ResponseError carrying its one sentence.
import { LSPErrorCodes, ResponseError, type Connection, type WorkDoneProgressParams } from 'vscode-languageserver/node';
import type { ParamsOf, RequestDescriptor, ResultOf } from '../../../protocol/lsp';
import type { CapsuleProgress } from '../../../protocol/capsuleApi';
import { CancelledError } from '../common/cancellation';
import type { Control } from '../common/control';
import { onRequest } from './messages';

export type Handler<P, R> = (params: P, control: Control) => Promise<R>;

/** How often progress is sent at most. */
const progressIntervalMs = 100;

export function handle<D extends RequestDescriptor<unknown, unknown, 'server'>>(
  connection: Connection,
  descriptor: D,
  run: Handler<ParamsOf<D>, ResultOf<D>>,
): void {
  onRequest(connection, descriptor, async (params, token) => {
    const workDone = connection.window.attachWorkDoneProgress((params as WorkDoneProgressParams | null)?.workDoneToken);
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    let begun = false;
    let sentAt = 0;
    const onProgress = (p: CapsuleProgress) => {
      const now = Date.now();
      if (begun && now - sentAt < progressIntervalMs) return;
      const percentage = p.total > 0 ? Math.min(100, Math.floor((100 * p.done) / p.total)) : undefined;
      if (!begun) workDone.begin(p.message, percentage, undefined, true);
      else workDone.report(percentage ?? 0, p.message);
      begun = true;
      sentAt = now;
    };
    try {
      return await run(params, { signal: controller.signal, onProgress });
    } catch (err) {
      if (err instanceof CancelledError || controller.signal.aborted)
        throw new ResponseError(LSPErrorCodes.RequestCancelled, (err instanceof CancelledError ? err : new CancelledError()).message);
      const message = err instanceof Error ? err.message : String(err);
      const kind = err instanceof Error ? err.name : 'Error';
      throw new ResponseError(LSPErrorCodes.RequestFailed, message, { kind });
    } finally {
      subscription.dispose();
      if (begun) workDone.done();
    }
  });
}
