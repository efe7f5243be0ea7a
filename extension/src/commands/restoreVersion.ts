// QLP: Restore this version — into the capsule's folder, after recording the folder as it is.
import { counted } from '../../../protocol/validate';
import * as vscode from 'vscode';
import { serverRequests } from '../../../protocol/lsp';
import { versionTarget, withProgress } from '../capsules/ui';
import type { CommandDeps } from './index';

export const restoreVersion =
  ({ ctx, refreshCapsules }: CommandDeps) =>
  async (arg?: unknown) => {
    const target = await versionTarget(ctx, arg, 'Restore which version?');
    if (!target) return;
    const { capsule, version } = target;
    const restore = 'Restore';
    const choice = await vscode.window.showWarningMessage(
      `Restore ${capsule.name} to version ${version.version}?`,
      {
        modal: true,
        detail: `${capsule.folder} will hold the files of version ${version.version}. Its current state is recorded as a new version first, so nothing is lost. Files ignored by .gitignore or left out as secrets are not touched.`,
      },
      restore,
    );
    if (choice !== restore) return;
    const result = await withProgress(`Restoring ${capsule.name} v${version.version}`, (report, token) =>
      ctx.request(
        serverRequests.capsuleRestore,
        { ref: { id: capsule.id, version: version.version } },
        { token, onProgress: (p) => report(p.message, p.percentage) },
      ),
    );
    refreshCapsules();
    if (!result) return;
    const backup = result.backup ? ` The state before is version ${result.backup.version}.` : '';
    void vscode.window.showInformationMessage(
      `Restored ${capsule.name} to version ${result.version}: ${counted(result.written, 'file')} written, ${result.deleted} removed.${backup}`,
    );
  };
