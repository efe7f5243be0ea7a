// QLP: Push capsule / QLP: Pull capsule — share capsules through the team backend
// (qlp.backend.url, key from QLP: Set API key → QLP backend). A push while the backend is out of
// reach is queued by the server and retried; nothing waits on the network but the progress note.
// Files that look like they hold secrets are left out unless the user includes them, after the
// same warning as an export (the server leaves them out too when not told otherwise).
import { counted } from '../../../protocol/validate';
import * as vscode from 'vscode';
import type { TeamCapsule } from '../../../protocol/backendApi';
import { serverRequests } from '../../../protocol/lsp';
import { leftOutNote } from '../capsules/present';
import { confirmSecrets, versionTarget, withProgress } from '../capsules/ui';
import type { TeamCapsuleNode } from '../views/capsulesView';
import type { CommandDeps } from './index';

export const pushCapsule =
  ({ ctx, refreshCapsules }: CommandDeps) =>
  async (arg?: unknown) => {
    const target = await versionTarget(ctx, arg, 'Push which capsule version to the team backend?');
    if (!target) return;
    const label = `${target.capsule.name} v${target.version.version}`;
    const ref = { id: target.capsule.id, version: target.version.version };
    const findings = await withProgress(
      `Checking ${label} for secrets`,
      async (_r, token) => (await ctx.request(serverRequests.capsuleFindSecrets, { ref }, { token })).findings,
      true,
    );
    if (!findings) return;
    const includeSecrets = await confirmSecrets(findings);
    if (includeSecrets === undefined) return;
    const pushed = await withProgress(`Pushing ${label}`, (report, token) =>
      ctx.request(serverRequests.syncPush, { ...ref, includeSecrets }, { token, onProgress: (p) => report(p.message, p.percentage) }),
    );
    if (!pushed) return;
    refreshCapsules();
    const note = leftOutNote(pushed.leftOut);
    if (pushed.status === 'queued')
      void vscode.window.showWarningMessage(`${label} is queued and will be pushed when the backend answers: ${pushed.reason}${note}`);
    else if (pushed.status === 'unchanged') void vscode.window.showInformationMessage(`${label} is already on the team backend.${note}`);
    else void vscode.window.showInformationMessage(`Pushed ${label} to the team backend (${pushed.blobsSent} new files sent).${note}`);
  };

async function teamTarget(ctx: CommandDeps['ctx'], arg: unknown): Promise<TeamCapsule | undefined> {
  if ((arg as TeamCapsuleNode | undefined)?.kind === 'teamCapsule') return (arg as TeamCapsuleNode).capsule;
  const team = await ctx.request(serverRequests.teamList, {});
  if (team.error || !team.configured) {
    void vscode.window.showErrorMessage(team.error ?? 'No team backend is set: add its URL in Settings (qlp.backend.url).');
    return undefined;
  }
  const items = team.capsules.map((capsule) => ({
    label: capsule.name,
    description: `v${capsule.version} · ${counted(capsule.files, 'file')}`,
    detail: capsule.requirements ?? capsule.id,
    capsule,
  }));
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Pull which team capsule?', matchOnDetail: true }))?.capsule;
}

export const pullCapsule =
  ({ ctx, refreshCapsules }: CommandDeps) =>
  async (arg?: unknown) => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!root) return void vscode.window.showErrorMessage('Open a folder to pull a capsule into.');
    const capsule = await teamTarget(ctx, arg);
    if (!capsule) return;
    const name = await vscode.window.showInputBox({
      title: `Pull ${capsule.name} into a new folder of ${root.path.split('/').pop()}`,
      value: capsule.id,
      validateInput: (value) => (/^[^/\\]+$/.test(value.trim()) && value.trim() !== '..' ? undefined : 'A folder name, without slashes.'),
    });
    if (!name) return;
    const out = vscode.Uri.joinPath(root, name.trim());
    const pulled = await withProgress(`Pulling ${capsule.name}`, (report, token) =>
      ctx.request(
        serverRequests.syncPull,
        { id: capsule.id, version: capsule.version, out: out.fsPath },
        { token, onProgress: (p) => report(p.message, p.percentage) },
      ),
    );
    if (!pulled) return;
    refreshCapsules();
    void vscode.window.showInformationMessage(
      `Pulled ${capsule.name} v${pulled.version} into ${pulled.out} (${counted(pulled.files, 'file')}, every hash checked).`,
    );
  };
