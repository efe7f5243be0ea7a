// Dialogs and plumbing the capsule commands share: choosing a version, confirming secrets,
// progress with cancel, and errors said once.
import * as vscode from 'vscode';
import type { CapsuleSummary, CapsuleVersionSummary, SecretFinding } from '../../../protocol/capsuleApi';
import { serverRequests } from '../../../protocol/lsp';
import type { Ctx } from '../ctx';
import type { CapsuleNode, VersionNode } from '../views/capsulesView';
import { relativeTime, secretChoices, secretsWarning, versionDescription, versionLabel } from './present';

export interface VersionTarget {
  capsule: CapsuleSummary;
  version: CapsuleVersionSummary;
}

export function isTreeNode(arg: unknown): arg is CapsuleNode | VersionNode {
  const kind = (arg as { kind?: unknown } | undefined)?.kind;
  return (kind === 'capsule' || kind === 'version') && typeof (arg as { capsule?: unknown }).capsule === 'object';
}

/** The version a tree item names (a capsule item: its latest), or one the user picks. */
export async function versionTarget(ctx: Ctx, arg: unknown, placeHolder: string): Promise<VersionTarget | undefined> {
  if (isTreeNode(arg)) return { capsule: arg.capsule, version: arg.kind === 'version' ? arg.version : arg.capsule.versions[0] };
  const { capsules } = await ctx.request(serverRequests.capsuleList, {});
  if (capsules.length === 0) {
    void vscode.window.showInformationMessage('There are no capsules in this workspace yet; right-click a folder in the Explorer to snapshot or export it.');
    return undefined;
  }
  const items = capsules.flatMap((capsule) =>
    capsule.versions.map((version) => ({
      label: `${capsule.name} ${versionLabel(version)}`,
      description: versionDescription(version),
      detail: capsule.folder,
      target: { capsule, version },
    })),
  );
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.target;
}

/** Another version of the same capsule, picked by the user. */
export async function otherVersion(target: VersionTarget): Promise<CapsuleVersionSummary | undefined> {
  const items = target.capsule.versions
    .filter((v) => v.version !== target.version.version)
    .map((v) => ({ label: versionLabel(v), description: relativeTime(v.createdAt), version: v }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`${target.capsule.name} has only one version.`);
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: `Compare ${target.capsule.name} ${versionLabel(target.version)} with…` }))?.version;
}

/**
 * Asks whether files that look like they hold secrets may go along (in a snapshot, an export or a
 * push). Resolves to whether to include them, or undefined when the user cancelled the whole
 * operation.
 */
export async function confirmSecrets(findings: readonly SecretFinding[]): Promise<boolean | undefined> {
  if (findings.length === 0) return false;
  const { message, detail } = secretsWarning(findings);
  const { leave, include } = secretChoices(findings);
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, leave, include);
  return choice === undefined ? undefined : choice === include;
}

const isCancellation = (err: unknown, token?: vscode.CancellationToken) =>
  token?.isCancellationRequested === true || err instanceof vscode.CancellationError || (err as { code?: number })?.code === -32800;

/**
 * Runs `task` under a notification with a cancel button (or, for `quiet` checks, in the status
 * bar); says once what went wrong.
 */
export async function withProgress<T>(
  title: string,
  task: (report: (message?: string, percentage?: number) => void, token: vscode.CancellationToken) => Promise<T>,
  quiet = false,
): Promise<T | undefined> {
  const location = quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
  return vscode.window.withProgress({ location, title, cancellable: !quiet }, async (progress, token) => {
    let last = 0;
    const report = (message?: string, percentage?: number) => {
      const increment = percentage === undefined ? undefined : Math.max(0, percentage - last);
      if (percentage !== undefined) last = Math.max(last, percentage);
      progress.report({ message, increment });
    };
    try {
      return await task(report, token);
    } catch (err) {
      if (isCancellation(err, token)) void vscode.window.showInformationMessage(`${title}: cancelled; nothing was written.`);
      else void showError(err);
      return undefined;
    }
  });
}

export async function showError(err: unknown): Promise<void> {
  await vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
}
