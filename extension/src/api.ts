// What activate() returns: used by the in-host tests and the activation benchmark.
import type * as vscode from 'vscode';
import type { HealthReport } from '../../protocol/lsp';
import type { ServerState } from '../../protocol/webview';

export interface QlpApi {
  /** Milliseconds from entering activate() to its return. */
  readonly activationMs: number;
  readonly serverState: ServerState;
  readonly onDidChangeServerState: vscode.Event<ServerState>;
  health(): Promise<HealthReport>;
}
