import * as vscode from 'vscode';
import { formatUsd, tiers, type Tier } from '../../../protocol/llm';
import { serverRequests } from '../../../protocol/lsp';
import type { CommandDeps } from './index';

/** QLP: Test model connection — one tiny prompt through the router and a tier's providers. */
export const testModels = ({ ctx }: CommandDeps) => async () => {
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
        const message = `QLP: ${r.tier} ${r.provider}:${r.model} answered "${r.answer}" in ${r.latencyMs} ms (${r.inputTokens}+${r.outputTokens} tokens, ${formatUsd(r.costUsd)}).`;
        ctx.output.info(`${message} Route: ${r.reason}.`);
        void vscode.window.showInformationMessage(message);
      } catch (err) {
        if (token.isCancellationRequested) return;
        const message = err instanceof Error ? err.message : String(err);
        ctx.output.error(`Model connection test: ${message}`);
        const action = await vscode.window.showErrorMessage(`QLP: ${message}`, 'Set API key', 'Open settings');
        if (action === 'Set API key') void vscode.commands.executeCommand('qlp.setApiKey');
        if (action === 'Open settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'qlp.');
      }
    },
  );
};
