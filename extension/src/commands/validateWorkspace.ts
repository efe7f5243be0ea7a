import * as vscode from 'vscode';
import { serverRequests, type FolderValidation } from '../../../protocol/lsp';
import type { CommandDeps } from './index';

function summary(folders: FolderValidation[]): string {
  const sum = (key: 'files' | 'errors' | 'warnings') => folders.reduce((n, f) => n + f[key], 0);
  const scores = folders.map((f) => (folders.length > 1 ? `${f.root.split(/[\\/]/).pop()} ${f.score}` : `${f.score}`)).join(', ');
  const skipped = [...new Set(folders.flatMap((f) => f.stages.filter((s) => s.status === 'skipped').map((s) => `${s.stage} (${s.reason})`)))];
  const tests = folders.flatMap((f) => (f.tests ? [`${f.tests.passed} passed, ${f.tests.failed} failed`] : []));
  return `QLP: ${sum('files')} files validated: ${sum('errors')} errors, ${sum('warnings')} warnings. Score ${scores}/100.${tests.length ? ` Tests: ${tests.join('; ')}.` : ''}${skipped.length ? ` Skipped: ${skipped.join('; ')}.` : ''}`;
}

/** QLP: Validate workspace — every folder through the stages, findings in the Problems panel. */
export const validateWorkspace = ({ ctx }: CommandDeps) => () =>
  vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'QLP: validating the workspace', cancellable: true },
    async (progress, token) => {
      const subscription = ctx.onDidValidateProgress((message) => progress.report({ message }));
      try {
        const result = await ctx.request(serverRequests.validateWorkspace, {}, { token });
        const message = summary(result.folders);
        ctx.output.info(message);
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
