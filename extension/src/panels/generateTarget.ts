// Where a generation writes, and what its end actions act on: a folder in the workspace (a new one
// by default; an existing non-empty one only after the user agrees) and the capsule it left.
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { GenerationResult } from '../../../protocol/generate';
import { serverRequests } from '../../../protocol/lsp';
import type { Ctx } from '../ctx';
import type { VersionNode } from '../views/capsulesView';

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** The entries of a folder, or undefined when it does not exist. */
async function entries(folder: string): Promise<string[] | undefined> {
  return readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
}

/** `new-project`, or `new-project-2`… : the first name not taken in the workspace. */
export async function defaultFolderName(base = 'new-project'): Promise<string> {
  const root = workspaceRoot();
  if (!root) return base;
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!(await entries(join(root, name)))) return name;
  }
}

/** The absolute target folder, or undefined when the user declined or the name is not usable. */
export async function resolveTarget(name: string): Promise<{ folder: string; allowExisting: boolean } | undefined> {
  const root = workspaceRoot();
  if (!root) {
    void vscode.window.showErrorMessage('Open a folder in VS Code to generate a project into it.');
    return undefined;
  }
  const folder = join(root, name.trim());
  const inside = relative(root, folder);
  if (!name.trim() || inside.startsWith('..') || isAbsolute(inside)) {
    void vscode.window.showErrorMessage('Choose a folder inside the workspace for the project, such as new-project.');
    return undefined;
  }
  const present = await entries(folder);
  if (!present?.length) return { folder, allowExisting: false };
  const choice = await vscode.window.showWarningMessage(
    `${inside || 'The workspace folder'} already holds ${present.length} ${present.length === 1 ? 'entry' : 'entries'}. Generate into it?`,
    { modal: true, detail: 'QLP first keeps a capsule of its current state, so you can compare or restore it.' },
    'Generate into it',
  );
  return choice ? { folder, allowExisting: true } : undefined;
}

/** The Capsules view node of the version a generation committed, for Show diff and Export. */
export async function endActionTarget(ctx: Ctx, result: GenerationResult | undefined): Promise<VersionNode | undefined> {
  if (!result?.capsule) return undefined;
  const { id, version } = result.capsule;
  const capsule = (await ctx.request(serverRequests.capsuleList, {})).capsules.find((c) => c.id === id);
  const found = capsule?.versions.find((v) => v.version === version);
  return capsule && found ? { kind: 'version', capsule, version: found } : undefined;
}
