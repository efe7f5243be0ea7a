// QLP: Export capsule — from a folder in the Explorer (snapshotted first when it changed or has
// no capsule yet), a capsule or version in the Capsules view, or the palette. ZIP, TAR or TAR.GZ.
// The save dialog opens where the last export went, else beside the capsule's folder; the
// notification at the end says what was written where, with a way to reveal it.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { ArchiveFormat, CapsuleRef } from '../../../protocol/capsuleApi';
import { serverRequests } from '../../../protocol/lsp';
import { archiveChoices, archiveFileName } from '../capsules/present';
import { confirmSecrets, isTreeNode, versionTarget, withProgress } from '../capsules/ui';
import { exportedMessage } from './exportMessage';
import type { CommandDeps } from './index';

interface Source {
  /** A folder to snapshot first, or a version that exists. */
  folder?: vscode.Uri;
  ref?: CapsuleRef;
  name: string;
  version?: number;
  /** The folder the capsule belongs to, whose parent the save dialog starts in. */
  home?: vscode.Uri;
}

async function pickSource(deps: CommandDeps, arg: unknown): Promise<Source | undefined> {
  if (arg instanceof vscode.Uri) return { folder: arg, home: arg, name: arg.path.split('/').pop() || 'capsule' };
  const target = await versionTarget(deps.ctx, isTreeNode(arg) ? arg : undefined, 'Export which capsule version?');
  return (
    target && {
      ref: { id: target.capsule.id, version: target.version.version },
      name: target.capsule.name,
      version: target.version.version,
      home: vscode.Uri.file(target.capsule.folder),
    }
  );
}

/** Reveals the archive: in the system's file manager on the desktop, else in the Explorer when it is in the workspace. */
async function offerReveal(message: string, out: vscode.Uri): Promise<void> {
  const desktop = vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName;
  const inWorkspace = vscode.workspace.getWorkspaceFolder(out) !== undefined;
  const actions = desktop ? ['Reveal in File Explorer'] : inWorkspace ? ['Reveal in Explorer'] : ['Copy path'];
  const action = await vscode.window.showInformationMessage(message, ...actions);
  if (action === 'Reveal in File Explorer') await vscode.commands.executeCommand('revealFileInOS', out);
  else if (action === 'Reveal in Explorer') await vscode.commands.executeCommand('revealInExplorer', out);
  else if (action === 'Copy path') await vscode.env.clipboard.writeText(out.fsPath);
}

/** Where the last export of this session went. */
let lastFolder: vscode.Uri | undefined;

export const exportCapsule = (deps: CommandDeps) => async (arg?: unknown) => {
  const { ctx } = deps;
  const source = await pickSource(deps, arg);
  if (!source) return;
  const choice = await vscode.window.showQuickPick(
    archiveChoices.map((c) => ({ label: c.label, detail: c.detail, format: c.format })),
    { placeHolder: `Export ${source.name} as…` },
  );
  if (!choice) return;
  const format: ArchiveFormat = choice.format;
  const where = lastFolder ?? (source.home ? vscode.Uri.joinPath(source.home, '..') : vscode.workspace.workspaceFolders?.[0]?.uri);
  const fileName = archiveFileName(source.name, source.version ?? 1, format);
  const out = await vscode.window.showSaveDialog({
    title: `Export ${source.name} as ${choice.label}`,
    saveLabel: 'Export',
    defaultUri: where && vscode.Uri.joinPath(where, fileName),
    filters: { [choice.label]: [archiveChoices.find((c) => c.format === format)!.extension] },
  });
  if (!out) return;
  lastFolder = vscode.Uri.joinPath(out, '..');

  const params = source.folder ? { folder: source.folder.fsPath } : { ref: source.ref! };
  const findings = await withProgress(
    `Checking ${source.name} for secrets`,
    async (_r, token) => (await ctx.request(serverRequests.capsuleFindSecrets, params, { token })).findings,
    true,
  );
  if (!findings) return;
  const includeSecrets = await confirmSecrets(findings);
  if (includeSecrets === undefined) return;

  const result = await withProgress(`Exporting ${source.name}`, async (report, token) => {
    let snapshot = '';
    let ref = source.ref!;
    if (source.folder) {
      report('Recording the folder as a capsule version');
      const created = await ctx.request(serverRequests.capsuleCreate, { folder: source.folder.fsPath, includeSecrets }, { token });
      ref = { id: created.id, version: created.version };
      snapshot = created.created
        ? created.version === 1
          ? `${source.name} had no capsule yet: snapshotted it as version 1. `
          : `Snapshotted ${source.name} as version ${created.version}. `
        : '';
      deps.refreshCapsules();
    }
    const onProgress = (p: { message?: string; percentage?: number }) => report(p.message, p.percentage);
    const exported = await ctx.request(serverRequests.capsuleExport, { ref, format, out: out.fsPath, includeSecrets, overwrite: true }, { token, onProgress });
    return { snapshot, exported };
  });
  if (!result) return;
  const { snapshot, exported } = result;
  const message = exportedMessage(exported, snapshot, { workspace: vscode.workspace.getWorkspaceFolder(out)?.uri.fsPath, home: homedir() });
  void offerReveal(`QLP: ${message}`, vscode.Uri.file(exported.out));
};
