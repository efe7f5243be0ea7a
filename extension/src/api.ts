// What activate() returns: used by the in-host tests and the activation benchmark.
import type * as vscode from 'vscode';
import type { CapsuleSummary } from '../../protocol/capsuleApi';
import type { HealthReport } from '../../protocol/lsp';
import type { ServerState } from '../../protocol/webview';

export interface QlpApi {
  /** Milliseconds from entering activate() to its return. */
  readonly activationMs: number;
  readonly serverState: ServerState;
  readonly onDidChangeServerState: vscode.Event<ServerState>;
  health(): Promise<HealthReport>;
  /** The capsules of the workspace, as the Capsules view shows them. */
  capsules(): Promise<CapsuleSummary[]>;
}
