// Rename a capsule, tag a version, delete a version or a whole capsule (its folder is never touched).
import * as vscode from 'vscode';
import { capsuleTagPattern } from '../../../protocol/capsuleNames';
import { serverRequests } from '../../../protocol/lsp';
import { formatBytes } from '../capsules/present';
import { showError, versionTarget } from '../capsules/ui';
import type { CommandDeps } from './index';

export const renameCapsule =
  ({ ctx, refreshCapsules }: CommandDeps) =>
  async (arg?: unknown) => {
    const target = await versionTarget(ctx, arg, 'Rename which capsule?');
    if (!target) return;
    const name = await vscode.window.showInputBox({
      title: `Rename ${target.capsule.name}`,
      value: target.capsule.name,
      validateInput: (value) => (value.trim() && value.trim().length <= 200 ? undefined : 'A name of 1 to 200 characters.'),
    });
    if (name === undefined || name.trim() === target.capsule.name) return;
    await ctx.request(serverRequests.capsuleRename, { id: target.capsule.id, name }).then(refreshCapsules, showError);
  };

export const tagVersion =
  ({ ctx, refreshCapsules }: CommandDeps) =>
  async (arg?: unknown) => {
    const target = await versionTarget(ctx, arg, 'Tag which version?');
    if (!target) return;
    const value = await vscode.window.showInputBox({
      title: `Tags of ${target.capsule.name} v${target.version.version}`,
      prompt: 'Separate tags with commas; leave empty to remove them.',
      value: target.version.tags.join(', '),
      validateInput: (text) => {
        const bad = text
          .split(',')
          .map((t) => t.trim())
          .find((t) => t && !capsuleTagPattern.test(t));
        return bad === undefined ? undefined : `'${bad}' is not a tag: up to 40 letters, digits, dots, dashes and underscores.`;
      },
    });
    if (value === undefined) return;
    const tags = value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    await ctx.request(serverRequests.capsuleTag, { id: target.capsule.id, version: target.version.version, tags }).then(refreshCapsules, showError);
  };

export const deleteCapsule =
  ({ ctx, refreshCapsules }: CommandDeps) =>
  async (arg?: unknown) => {
    const target = await versionTarget(ctx, arg, 'Delete which version?');
    if (!target) return;
    const whole = (arg as { kind?: string } | undefined)?.kind === 'capsule' || target.capsule.versions.length === 1;
    const { capsule, version } = target;
    const message = whole
      ? `Delete the capsule ${capsule.name} and its ${capsule.versions.length} version(s)?`
      : `Delete version ${version.version} of ${capsule.name}?`;
    const remove = 'Delete';
    const choice = await vscode.window.showWarningMessage(
      message,
      { modal: true, detail: `The stored copies go; ${capsule.folder} itself is not touched.` },
      remove,
    );
    if (choice !== remove) return;
    try {
      const result = await ctx.request(serverRequests.capsuleDelete, whole ? { id: capsule.id } : { id: capsule.id, version: version.version });
      refreshCapsules();
      void vscode.window.showInformationMessage(
        `Deleted ${whole ? capsule.name : `${capsule.name} v${version.version}`}; freed ${formatBytes(result.freedBytes)}.`,
      );
    } catch (err) {
      await showError(err);
    }
  };
