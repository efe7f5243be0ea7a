import * as vscode from 'vscode';
import { secretTargets } from '../secrets';
import type { CommandDeps } from './index';
import { setUpLocalServer } from './localModelServer';

type TargetId = (typeof secretTargets)[number]['id'];

/** What the picker says of each target: a local server is set up by URL and model, the rest by key. */
const pickerDetail: Partial<Record<TargetId, string>> = {
  local:
    'Ollama, LM Studio, llama.cpp or vLLM on this machine or your network: its URL and model, tested before they are saved (and a key only if the server asks for one)',
};

/**
 * QLP: Set API key — pick a provider, type the key (hidden); an empty key removes it. The local
 * model server is set up by URL and model instead. The walkthrough passes the provider's id.
 */
export const setApiKey =
  ({ secrets, refreshStatus }: CommandDeps) =>
  async (preset?: unknown) => {
    const presetId = secretTargets.find((t) => t.id === preset)?.id;
    const items = await Promise.all(
      secretTargets.map(async (t) => ({ ...t, detail: pickerDetail[t.id] ?? t.detail, description: (await secrets.get(t.id)) ? 'key set' : undefined })),
    );
    const target = presetId
      ? items.find((t) => t.id === presetId)
      : await vscode.window.showQuickPick(items, { title: 'QLP: Set API key', placeHolder: 'Which provider is the key for?', matchOnDetail: true });
    if (!target) return;
    if (target.id === 'local') {
      if (await setUpLocalServer(secrets)) refreshStatus();
      return;
    }
    const key = await vscode.window.showInputBox({
      title: `API key for ${target.label}`,
      prompt: target.description
        ? 'A key is set; enter a new one to replace it, or leave empty to remove it.'
        : "The key is kept in VS Code's secret storage, never in settings.",
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
