// QLP: Import capsule — unpacks a capsule archive into a new folder after checking every hash.
import { counted } from '../../../protocol/validate';
import * as vscode from 'vscode';
import { serverRequests } from '../../../protocol/lsp';
import { withProgress } from '../capsules/ui';
import type { CommandDeps } from './index';

export const importCapsule =
  ({ ctx, refreshCapsules }: CommandDeps) =>
  async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const [archive] =
      (await vscode.window.showOpenDialog({
        canSelectFiles: true,
        openLabel: 'Import',
        title: 'Import a capsule archive',
        filters: { 'Capsule archives': ['zip', 'tar', 'gz', 'tgz'] },
        defaultUri: root,
      })) ?? [];
    if (!archive) return;
    const [parent] =
      (await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: 'Import here',
        title: 'Import into which folder?',
        defaultUri: root,
      })) ?? [];
    if (!parent) return;
    const suggested = (archive.path.split('/').pop() ?? 'capsule').replace(/\.(zip|tar|tar\.gz|tgz)$/i, '');
    const name = await vscode.window.showInputBox({
      title: 'Name of the new folder',
      value: suggested,
      validateInput: (value) => (/^[^/\\]+$/.test(value.trim()) && value.trim() !== '..' ? undefined : 'A folder name, without slashes.'),
    });
    if (!name) return;
    const out = vscode.Uri.joinPath(parent, name.trim());
    const imported = await withProgress(`Importing ${suggested}`, (report, token) =>
      ctx.request(serverRequests.capsuleImport, { archive: archive.fsPath, out: out.fsPath }, { token, onProgress: (p) => report(p.message, p.percentage) }),
    );
    if (!imported) return;
    refreshCapsules();
    const reveal = 'Reveal in Explorer';
    const choice = await vscode.window.showInformationMessage(
      `Imported ${imported.id} version ${imported.version} into ${imported.out} (${counted(imported.files, 'file')}, every hash checked).`,
      reveal,
    );
    if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(imported.out));
  };
