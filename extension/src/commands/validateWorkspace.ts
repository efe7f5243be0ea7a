import * as vscode from 'vscode';
import { serverRequests } from '../../../protocol/lsp';
import { workspaceSummary } from '../validationSummary';
import type { CommandDeps } from './index';

/** QLP: Validate workspace — every folder through the stages, findings in the Problems panel. */
export const validateWorkspace =
  ({ ctx }: CommandDeps) =>
  () =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'QLP: validating the workspace', cancellable: true },
      async (progress, token) => {
        const subscription = ctx.onDidValidateProgress((message) => progress.report({ message }));
        try {
          const result = await ctx.request(serverRequests.validateWorkspace, {}, { token });
          const { message, reasons } = workspaceSummary(result.folders);
          ctx.output.info(reasons ? `${message} ${reasons}` : message);
          void vscode.window.showInformationMessage(message, 'Show problems').then((choice) => {
            if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
          });
        } catch (err) {
          if (token.isCancellationRequested) return;
          const message = err instanceof Error ? err.message : String(err);
          ctx.output.error(`Validate workspace: ${message}`);
          void vscode.window.showErrorMessage(`QLP: validation failed: ${message}`);
        } finally {
          subscription.dispose();
        }
      },
    );
