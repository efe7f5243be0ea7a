import * as vscode from 'vscode';
import { secretTargets } from '../secrets';
import type { CommandDeps } from './index';

/** QLP: Set API key — pick a provider, type the key (hidden); an empty key removes it. */
export const setApiKey = ({ secrets, refreshStatus }: CommandDeps) => async () => {
  const items = await Promise.all(
    secretTargets.map(async (t) => ({ ...t, description: (await secrets.get(t.id)) ? 'key set' : undefined })),
  );
  const target = await vscode.window.showQuickPick(items, { title: 'QLP: Set API key', placeHolder: 'Which provider is the key for?', matchOnDetail: true });
  if (!target) return;
  const key = await vscode.window.showInputBox({
    title: `API key for ${target.label}`,
    prompt: target.description ? 'A key is set; enter a new one to replace it, or leave empty to remove it.' : 'The key is kept in VS Code\'s secret storage, never in settings.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (/\s/.test(value.trim()) ? 'A key has no spaces.' : undefined),
  });
  if (key === undefined) return;
  if (key.trim()) {
    await secrets.store(target.id, key.trim());
    void vscode.window.showInformationMessage(`QLP: the ${target.label} key is saved in secret storage.`);
  } else {
    await secrets.delete(target.id);
    void vscode.window.showInformationMessage(`QLP: the ${target.label} key is removed.`);
  }
  refreshStatus();
};
