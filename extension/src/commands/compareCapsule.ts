// Compare a capsule version with its previous version, another version, or its folder as it is
// now: VS Code's multi-file diff editor over the server's read-only copies.
import * as vscode from 'vscode';
import type { CapsuleChange, DiffResult } from '../../../protocol/capsuleApi';
import { serverRequests } from '../../../protocol/lsp';
import { versionFileUri } from '../capsules/documents';
import { otherVersion, versionTarget, withProgress, type VersionTarget } from '../capsules/ui';
import type { CommandDeps } from './index';

type Side = { version: number } | 'folder' | 'nothing';

function sideUri(target: VersionTarget, side: Side, change: CapsuleChange, which: 'before' | 'after'): vscode.Uri | undefined {
  if (!change[which]) return undefined;
  if (side === 'folder') return vscode.Uri.joinPath(vscode.Uri.file(target.capsule.folder), ...change.path.split('/'));
  if (side === 'nothing') return undefined;
  return versionFileUri(target.capsule.id, side.version, change.path);
}

async function showChanges(target: VersionTarget, from: Side, to: Side, diff: Pick<DiffResult, 'changes'>, title: string): Promise<void> {
  if (diff.changes.length === 0) {
    void vscode.window.showInformationMessage(`${title}: no differences.`);
    return;
  }
  const folder = vscode.Uri.file(target.capsule.folder);
  const resources = diff.changes.map((change) => [
    vscode.Uri.joinPath(folder, ...change.path.split('/')),
    sideUri(target, from, change, 'before'),
    sideUri(target, to, change, 'after'),
  ]);
  await vscode.commands.executeCommand('vscode.changes', title, resources);
}

async function compare(deps: CommandDeps, target: VersionTarget, from: Side, to: Side, title: string): Promise<void> {
  const { ctx } = deps;
  const { id } = target.capsule;
  const diff = await withProgress(`Comparing ${title}`, async (_report, token) => {
    if (from === 'nothing') {
      const shown = await ctx.request(serverRequests.capsuleShow, { id, version: target.version.version }, { token });
      return { changes: shown.manifest.files.map((f): CapsuleChange => ({ path: f.path, status: 'added', after: f })) };
    }
    const fromRef = { id, version: (from as { version: number }).version };
    const toRef = to === 'folder' ? ('folder' as const) : { id, version: (to as { version: number }).version };
    return ctx.request(serverRequests.capsuleDiff, { from: fromRef, to: toRef }, { token });
  });
  if (diff) await showChanges(target, from, to, diff, title);
}

export const compareWithPrevious = (deps: CommandDeps) => async (arg?: unknown) => {
  const target = await versionTarget(deps.ctx, arg, 'Compare which version with the one before it?');
  if (!target) return;
  const { version, parentVersion } = target.version;
  const parentKept = parentVersion !== null && target.capsule.versions.some((v) => v.version === parentVersion);
  const from: Side = parentKept ? { version: parentVersion! } : 'nothing';
  await compare(deps, target, from, { version }, `${target.capsule.name} ${parentKept ? `v${parentVersion}` : '(empty)'} ↔ v${version}`);
};

export const compareVersions = (deps: CommandDeps) => async (arg?: unknown) => {
  const target = await versionTarget(deps.ctx, arg, 'Compare which version?');
  const other = target && (await otherVersion(target));
  if (!target || !other) return;
  const [older, newer] = [other.version, target.version.version].sort((a, b) => a - b);
  await compare(deps, target, { version: older }, { version: newer }, `${target.capsule.name} v${older} ↔ v${newer}`);
};

export const compareWithFolder = (deps: CommandDeps) => async (arg?: unknown) => {
  const target = await versionTarget(deps.ctx, arg, 'Compare which version with its folder?');
  if (!target) return;
  await compare(deps, target, { version: target.version.version }, 'folder', `${target.capsule.name} v${target.version.version} ↔ folder`);
};
