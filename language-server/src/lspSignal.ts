import type { CancellationToken } from 'vscode-languageserver/node';

/** An LSP cancellation token as an AbortSignal, for engine services. */
export function toSignal(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
