// QLP: Snapshot folder as capsule — records a folder as a new capsule version.
import { counted } from '../../../protocol/validate';
import * as vscode from 'vscode';
import { serverRequests } from '../../../protocol/lsp';
import { leftOutNote } from '../capsules/present';
import { confirmSecrets, withProgress } from '../capsules/ui';
import type { CommandDeps } from './index';

async function pickFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Snapshot',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

export const snapshotFolder =
  ({ ctx, refreshCapsules }: CommandDeps) =>
  async (arg?: unknown) => {
    const folder = await pickFolder(arg);
    if (!folder) return;
    const name = folder.path.split('/').pop() || folder.fsPath;
    const findings = await withProgress(
      `Checking ${name} for secrets`,
      async (_r, token) => (await ctx.request(serverRequests.capsuleFindSecrets, { folder: folder.fsPath }, { token })).findings,
      true,
    );
    if (!findings) return;
    const includeSecrets = await confirmSecrets(findings);
    if (includeSecrets === undefined) return;
    const created = await withProgress(`Snapshotting ${name}`, (report, token) =>
      ctx.request(serverRequests.capsuleCreate, { folder: folder.fsPath, includeSecrets }, { token, onProgress: (p) => report(p.message, p.percentage) }),
    );
    if (!created) return;
    refreshCapsules();
    const note = leftOutNote(created.leftOut);
    void vscode.window.showInformationMessage(
      created.created
        ? `Snapshotted ${name} as capsule version ${created.version} (${counted(created.files, 'file')}).${note}`
        : `${name} is unchanged since version ${created.version}; no new version.${note}`,
    );
  };
