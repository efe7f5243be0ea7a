import * as vscode from 'vscode';
import type { CommandDeps } from './index';

/** QLP: Restart language server — with progress, so the user sees it happen. */
export const restartServer =
  ({ ctx }: CommandDeps) =>
  () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Restarting the QLP language server' }, async () => {
      await ctx.restart();
      if (ctx.serverState !== 'ready') {
        const choice = await vscode.window.showErrorMessage(
          `The QLP language server did not start: ${ctx.stateDetail ?? 'see the QLP output'}.`,
          'Show output',
        );
        if (choice) ctx.output.show();
      }
    });
