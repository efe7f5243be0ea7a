import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { serverRequests } from '../../../protocol/lsp';
import type { TestRunResult } from '../../../protocol/sandbox';
import { resultBlock, resultLine } from '../sandboxSummary';
import type { CommandDeps } from './index';

/** The folder to test: the Explorer's folder, else the only workspace folder, else a pick. */
async function chooseFolder(uri: unknown): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri) return uri;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri;
  if (!folders.length) {
    void vscode.window.showErrorMessage('QLP: open a folder first; its tests run in the sandbox.');
    return undefined;
  }
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Whose tests should run in the sandbox?' }))?.uri;
}

/**
 * QLP: Run tests in sandbox — on a folder from the Explorer or the workspace: live output in the
 * "QLP Sandbox" channel, a progress notification with Cancel, the result and its receipt at the end.
 */
export const runTestsInSandbox =
  ({ ctx, sandboxOutput }: CommandDeps) =>
  async (uri?: unknown) => {
    const folder = await chooseFolder(uri);
    if (!folder) return;
    const runId = randomUUID();
    const channel = sandboxOutput;
    channel.clear();
    channel.show(true);
    channel.appendLine(`▶ ${folder.fsPath}`);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'QLP: running tests in the sandbox', cancellable: true },
      async (progress, token) => {
        const subscription = ctx.onSandboxProgress((p) => {
          if (p.runId !== runId) return;
          if (p.kind === 'phase') {
            channel.appendLine(`— ${p.message}`);
            progress.report({ message: p.phase === 'test' ? 'running the tests…' : p.phase === 'install' ? 'installing dependencies…' : 'preparing…' });
          } else channel.append(p.text);
        });
        let result: TestRunResult;
        try {
          result = await ctx.request(serverRequests.sandboxRun, { runId, folder: folder.fsPath }, { token });
        } catch (err) {
          if (token.isCancellationRequested) {
            channel.appendLine('\n■ Cancelled: the sandbox was stopped and removed.');
            return;
          }
          const message = err instanceof Error ? err.message : String(err);
          channel.appendLine(`\n■ ${message}`);
          ctx.output.error(`Run tests in sandbox: ${message}`);
          void vscode.window.showErrorMessage(`QLP: ${message}`);
          return;
        } finally {
          subscription.dispose();
        }
        channel.appendLine(resultBlock(result));
        ctx.output.info(`Sandbox: ${resultLine(result)} Inputs sha256 ${result.receipt.inputHash}.`);
        const show = result.status === 'passed' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
        void show(`QLP: ${resultLine(result)}`, 'Show output', 'Show receipt').then(async (choice) => {
          if (choice === 'Show output') channel.show();
          if (choice === 'Show receipt') {
            const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(result.receipt, null, 2) });
            await vscode.window.showTextDocument(doc, { preview: true });
          }
        });
      },
    );
  };
