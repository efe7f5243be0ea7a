// Cancellation, one way everywhere: an operation cancelled through its AbortSignal (the editor's
// Cancel, the client's $/cancelRequest, Ctrl+C) ends with a CancelledError, exit code 130 as
// shells report an interrupt. The LSP side answers it with RequestCancelled (lsp/handle.ts).
import { CodedError } from './codedError';

export class CancelledError extends CodedError {
  override readonly name = 'CancelledError';
  readonly exitCode = 130;

  constructor(message = 'Cancelled; nothing was written.') {
    super(message);
  }
}

/** Throws a CancelledError (saying `message` when given) once `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, message?: string): void {
  if (signal?.aborted) throw new CancelledError(message);
}
