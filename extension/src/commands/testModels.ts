import * as vscode from 'vscode';
import { formatUsd, tiers, type Tier } from '../../../protocol/llm';
import { serverRequests } from '../../../protocol/lsp';
import { classifyModelFailure, explainModelError, providerEndpoints, providersNamed } from '../modelErrors';
import { openWalkthrough, providerUrls } from '../walkthrough';
import type { CommandDeps } from './index';

/** QLP: Test model connection — one tiny prompt through the router and a tier's providers. */
export const testModels =
  ({ ctx }: CommandDeps) =>
  async () => {
    const choice = await vscode.window.showQuickPick(
      [{ label: 'Let the router choose', tier: undefined as Tier | undefined }, ...tiers.map((tier) => ({ label: tier, tier }))],
      { title: 'QLP: Test model connection', placeHolder: 'Which tier should answer?' },
    );
    if (!choice) return;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `QLP: asking ${choice.tier ?? 'the routed tier'}…`, cancellable: true },
      async (_progress, token) => {
        try {
          const r = await ctx.request(serverRequests.modelsProbe, choice.tier ? { tier: choice.tier } : {}, { token });
          // Short enough for a notification to show whole; the tokens and the route go to the log.
          const message = `QLP: ${r.tier} ${r.provider}:${r.model} answered "${r.answer}" in ${r.latencyMs} ms, ${r.costUsd === 0 ? 'free' : formatUsd(r.costUsd)}.`;
          ctx.output.info(`${message} Tokens: ${r.inputTokens}+${r.outputTokens}. Route: ${r.reason}.`);
          void vscode.window.showInformationMessage(message);
        } catch (err) {
          if (token.isCancellationRequested) return;
          const raw = err instanceof Error ? err.message : String(err);
          const urls = await ctx.health().then(providerUrls, () => ({}));
          const message = explainModelError(raw, urls);
          ctx.output.error(`Model connection test: ${message}`);
          void showModelFailure(message, () => vscode.commands.executeCommand('qlp.testModels'));
        }
      },
    );
  };

/**
 * A failed model call with the way forward: set a model up (the walkthrough's first step), replay
 * the sample when there is no model, or try again and open the settings of the provider it names.
 */
export async function showModelFailure(message: string, retry?: () => unknown): Promise<void> {
  const failure = classifyModelFailure(message);
  const actions = failure === 'noModel' ? ['Set up a model', 'Replay the sample'] : [...(retry ? ['Retry'] : []), 'Open settings', 'Set up a model'];
  const action = await vscode.window.showErrorMessage(`QLP: ${message}`, ...actions);
  if (action === 'Retry') retry?.();
  if (action === 'Set up a model') void openWalkthrough('chooseModel');
  if (action === 'Replay the sample') void vscode.commands.executeCommand('qlp.generateProject', { replay: 'sample' });
  if (action === 'Open settings') void openProviderSettings(message);
}

/** The settings of the provider a message names (all of QLP's provider settings when it names none). */
export function openProviderSettings(message: string): Thenable<unknown> {
  const named = providersNamed(message)[0];
  const setting = providerEndpoints.find((p) => p.id === named)?.setting.replace(/\.[^.]+$/, '') ?? 'qlp.providers';
  return vscode.commands.executeCommand('workbench.action.openSettings', setting);
}
